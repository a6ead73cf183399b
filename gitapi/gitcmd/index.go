package gitcmd

import (
	"errors"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// indexFatal reports a failure to read or lock the index as git does: a
// file too short to be an index names the file; a bad header or an
// extension git does not know is "error: <why>" then "fatal: index file
// corrupt"; other damage is git's own fatal message.
func (c *command) indexFatal(err error) int {
	var ce *index.CorruptError
	if !errors.As(err, &ce) {
		return c.fatalErr(err)
	}
	switch {
	case ce.Msg == "index file smaller than expected":
		return c.fatal("%s: %s", c.repo.IndexFileShown(), ce.Msg)
	case strings.HasPrefix(ce.Msg, "bad ") || strings.HasPrefix(ce.Msg, "index uses "):
		c.errorf("%s", ce.Msg)
		return c.fatal("index file corrupt")
	}
	return c.fatal("%s", ce.Msg)
}
