package gitcmd

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestCombinedOutputAgainstGit compares stdout and stderr written to one
// pipe (a script's 2>&1): git's stdout is block-buffered, so its
// messages come before the output printed earlier.
func TestCombinedOutputAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	for _, args := range []string{
		"rev-parse HEAD nosuch", "rev-parse HEAD HEAD^{tree}^{blob}", "rev-parse --verify HEAD..HEAD~1",
		"rev-parse side HEAD", "show-ref --bogus", "rev-parse --symbolic-full-name side main",
	} {
		t.Run(args, func(t *testing.T) {
			t.Parallel()
			argv := strings.Fields(args)
			var want bytes.Buffer
			cmd := exec.Command("git", argv...)
			cmd.Dir, cmd.Env = filepath.Join(f.Root, "repo"), f.Env
			cmd.Stdout, cmd.Stderr = &want, &want
			cmd.Run()
			var got bytes.Buffer
			Run(argv, gitapi.Options{Dir: filepath.Join(f.Root, "repo"), Env: f.Env}, Stdio{Out: &got, Err: &got})
			if got.String() != want.String() {
				t.Errorf("git:\n%s\nkiln:\n%s", want.String(), got.String())
			}
		})
	}
}
