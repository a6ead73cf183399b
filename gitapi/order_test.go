package gitapi

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCombinedOutputAgainstGit compares stdout and stderr written to one
// pipe (a script's 2>&1): git's stdout is block-buffered, so its
// messages come before the output printed earlier.
func TestCombinedOutputAgainstGit(t *testing.T) {
	f := sharedFixture(t)
	for _, args := range []string{
		"rev-parse HEAD nosuch", "rev-parse HEAD HEAD^{tree}^{blob}", "rev-parse --verify HEAD..HEAD~1",
		"rev-parse side HEAD", "show-ref --bogus", "rev-parse --symbolic-full-name side main",
	} {
		t.Run(args, func(t *testing.T) {
			t.Parallel()
			argv := strings.Fields(args)
			var want bytes.Buffer
			cmd := exec.Command("git", argv...)
			cmd.Dir, cmd.Env = filepath.Join(f.root, "repo"), f.env
			cmd.Stdout, cmd.Stderr = &want, &want
			cmd.Run()
			var got bytes.Buffer
			Run(argv, Options{Dir: filepath.Join(f.root, "repo"), Env: f.env}, Stdio{Out: &got, Err: &got})
			if got.String() != want.String() {
				t.Errorf("git:\n%s\nkiln:\n%s", want.String(), got.String())
			}
		})
	}
}
