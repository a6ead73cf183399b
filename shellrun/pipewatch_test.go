package shellrun

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestRunEndsWriterOnClosedPipe: a loop of builtins writing into a
// pipeline whose reader has exited ends, as SIGPIPE ends it under the
// shell, with the output and status dash and bash give; it looped
// before. The timeout only guards against the old hang.
func TestRunEndsWriterOnClosedPipe(t *testing.T) {
	src := `while :; do printf 'p\n'; done | head -n 1
while :; do echo e; done | head -n 2
f() { while :; do echo "f $1"; done; }
f x | head -n 1
echo "last $?"
`
	for _, shell := range []string{"dash", "bash"} {
		t.Run(shell, func(t *testing.T) {
			want, err := exec.Command(shell, "-c", src).Output()
			if err != nil {
				t.Fatalf("%s: %v", shell, err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var out, errb bytes.Buffer
			status, _, err := Run(ctx, parse(t, "closed-pipe", src), nil, Options{
				Dir: t.TempDir(), Env: testEnv(t), Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
				Bash: shell == "bash",
			})
			if err != nil || status != 0 || out.String() != string(want) || errb.Len() != 0 {
				t.Errorf("kiln run: status %d, err %v\nstdout:\n%s\nstderr:\n%s\nwant stdout:\n%s", status, err, out.String(), errb.String(), want)
			}
		})
	}
}
