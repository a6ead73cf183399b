package dash

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"testing"
)

// testPrefix is the "$0: LINENO: " dash prints for `dash -c SCRIPT
// kiln-test`, whose $0 is kiln-test and whose commands are on line 1.
const testPrefix = "kiln-test: 1: "

// shellResult is what a run of dash or of our function produced.
type shellResult struct {
	Stdout, Stderr string
	Status         int
}

// runDash runs script under the real dash in dir with args as "$@" and
// extra environment variables, and returns what it printed.
func runDash(t testing.TB, dir, script string, env []string, args ...string) shellResult {
	t.Helper()
	cmd := exec.Command("dash", append([]string{"-c", script, "kiln-test"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LC_ALL=C"}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	status := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		status = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running dash: %v", err)
	}
	return shellResult{out.String(), errb.String(), status}
}

// requireDash skips nothing: the differential tests are the point of the
// package, so a machine without dash fails loudly.
func requireDash(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("dash"); err != nil {
		t.Fatalf("dash is required for these tests: %v", err)
	}
}

// captureIO returns an IO rooted at dir whose streams are buffers.
func captureIO(dir string) (IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return IO{Dir: dir, Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errb}, &out, &errb
}

// writeFile creates a file for a test, failing it on error.
func writeFile(t testing.TB, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
