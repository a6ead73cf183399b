package subtree

import (
	"os/exec"
	"strings"
	"testing"
)

// dash runs a dash script with args and returns its stdout.
func dash(t *testing.T, script string, args ...string) string {
	t.Helper()
	out, err := exec.Command("dash", append([]string{"-c", script, "sh"}, args...)...).Output()
	if err != nil {
		t.Fatalf("dash: %v", err)
	}
	return string(out)
}

// TestDirnameMatchesCoreutils compares dirname with dirname(1) on the
// script's "$arg_prefix/." (git-subtree:269).
func TestDirnameMatchesCoreutils(t *testing.T) {
	for _, prefix := range []string{"lib", "vendor/lib", "lib/", "lib//", "/abs", "/", "", "a/../b", "./lib", "a//b"} {
		want := strings.TrimSuffix(dash(t, `dirname "$1/."`, prefix), "\n")
		if got := dirname(prefix + "/."); got != want {
			t.Errorf("dirname(%q) = %q, dirname(1) says %q", prefix+"/.", got, want)
		}
	}
}

// TestReadMatchesDash compares the `read a b junk` split of
// git-subtree:420 with dash's read, backslashes and blanks included.
func TestReadMatchesDash(t *testing.T) {
	for _, line := range []string{
		"START abc", "git-subtree-split: 1234  ", "  lead  two   three four  ", "", "one",
		`back\ slash tw\o`, "tab\tsep\tx", `a\\b c`,
	} {
		want := dash(t, `printf '%s\n' "$1" | { read a b junk; printf '%s|%s|%s' "$a" "$b" "$junk"; }`, line)
		scan := &joinScan{text: line + "\n"}
		a, b, junk, ok := scan.next()
		if !ok {
			t.Fatalf("%q: no line read", line)
		}
		if got := a + "|" + b + "|" + junk; got != want {
			t.Errorf("read of %q = %q, dash says %q", line, got, want)
		}
		wantOne := dash(t, `printf '%s\n' "$1" | { read v; printf '%s' "$v"; }`, line)
		if got := shellRead(line); got != wantOne {
			t.Errorf("read v of %q = %q, dash says %q", line, got, wantOne)
		}
	}
}
