package shellrun

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunExpansionErrorsAgainstShells: a script run by Run that stops on
// an expansion's error (set -u, ${x?}) prints the shell's message, with
// $0 and the line, and exits with its status (dash's 2); it printed the
// interpreter's bare "x: unbound variable" before. A script printing
// that text itself keeps it.
func TestRunExpansionErrorsAgainstShells(t *testing.T) {
	scripts := map[string]string{
		"unset":        "set -u\necho a\necho \"b $undefined_var\"\necho never\n",
		"positional":   "set -u\necho \"$1\"\necho never\n",
		"required":     "echo a\necho ${x?}\n",
		"required-nul": "x=\necho a\necho ${x:?}\n",
		"required-msg": "x=\necho ${x:?hello $x there}\n",
		"function":     "set -u\nf() {\n\techo in f\n\techo \"$in_f\"\n}\nf\necho never\n",
		"subshell":     "set -u\n( echo \"$in_sub\" )\necho \"after $?\"\n",
		"own-text":     "set -u\necho 'x: unbound variable' >&2\necho 'y: parameter not set' >&2\necho done\n",
	}
	for _, shell := range []string{"dash", "bash"} {
		for name, src := range scripts {
			if name == "subshell" && shell == "dash" {
				// Known limit: the interpreter's subshell exits with 1
				// there, dash's with 2 (docs/corpus.md).
				continue
			}
			t.Run(shell+"/"+name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "git-"+name)
				if err := os.WriteFile(path, []byte(src), 0o755); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(shell, "./git-"+name)
				cmd.Dir = dir
				var wantOut, wantErr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &wantOut, &wantErr
				wantStatus := 0
				var exit *exec.ExitError
				if err := cmd.Run(); errors.As(err, &exit) {
					wantStatus = exit.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				var out, errb bytes.Buffer
				status, _, err := Run(ctx, parse(t, "./git-"+name, src), nil, Options{
					Dir: dir, Env: testEnv(t), Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
					Bash: shell == "bash",
				})
				if err != nil || status != wantStatus || out.String() != wantOut.String() || errb.String() != wantErr.String() {
					t.Errorf("%s: status %d\nstdout:\n%s\nstderr:\n%s\nkiln run: status %d, err %v\nstdout:\n%s\nstderr:\n%s",
						shell, wantStatus, wantOut.String(), wantErr.String(), status, err, out.String(), errb.String())
				}
			})
		}
	}
}
