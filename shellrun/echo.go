package shellrun

import (
	"io"

	"github.com/kiln-dev/kiln/shellrun/dash"
)

// DashEcho writes its arguments as dash's echo does: -n only as the first
// argument, backslash escapes always interpreted, and \c ending all
// output. It is dash.Echo under its older name.
func DashEcho(w io.Writer, args []string) {
	dash.Echo(args, w)
}
