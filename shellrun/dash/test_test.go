package dash

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testFixture makes a directory with one file of every kind test can
// tell apart, and returns it.
func testFixture(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "file"), "content", 0o644)
	writeFile(t, filepath.Join(dir, "empty"), "", 0o644)
	writeFile(t, filepath.Join(dir, "exe"), "#!/bin/sh\n", 0o755)
	writeFile(t, filepath.Join(dir, "noperm"), "x", 0o000)
	writeFile(t, filepath.Join(dir, "suid"), "x", 0o644|os.ModeSetuid)
	if err := os.Chmod(filepath.Join(dir, "suid"), 0o644|os.ModeSetuid|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"dir", "sticky"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "sticky"), 0o755|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("file", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "empty"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(dir, "file"), filepath.Join(dir, "hardlink")); err != nil {
		t.Fatal(err)
	}
	return dir
}

var testCases = []string{
	// Arity rules and quirks.
	``, `''`, `a`, `-n`, `-z`, `!`, `"("`, `")"`, `-a`, `-o`, `=`, `]`,
	`= =`, `= = =`, `= = = =`, `! = =`, `-n ''`, `-z ''`, `-n x`, `-z x`,
	`'' -a ''`, `x -a ''`, `x -a y`, `'' -o x`, `'' -o ''`, `! ''`, `! x`,
	`! ! x`, `! ! ! x`, `'(' x ')'`, `'(' '' ')'`, `'(' ! ')'`, `'(' = ')'`,
	`! '(' x ')'`, `'(' x`, `x ')'`, `'(' '(' x ')' ')'`, `'(' ')'`,
	`a b`, `a b c`, `a b c d`, `a = b c`, `-n a b`, `-f`, `-f = x`,
	`-f = -f`, `x -a`, `x -o`, `-a -a -a`, `-o -o -o`, `! -a x`,
	`x = y -o a = a`, `x = x -a a = b`, `'(' x = x ')' -a '(' y != y ')'`,
	`-z -a -z`, `-n -o`, `! -n`, `-t`, `= x`, `x =`, `x !=`, `x -eq`,
	`'' = ''`, `a '<' b`, `b '<' a`, `a '>' b`, `A '<' a`, `a != a`, `ab = a`,
	// Integers.
	`1 -eq 1`, `1 -eq 2`, `1 -ne 2`, `2 -gt 1`, `1 -ge 1`, `1 -lt 0`, `1 -le 1`,
	`-1 -lt 0`, `+1 -eq 1`, `' 1' -eq 1`, `'1 ' -eq 1`, `01 -eq 1`, `010 -eq 10`,
	`0x10 -eq 16`, `x -eq 1`, `1 -eq x`, `'' -eq 0`, `' ' -eq 0`, `1x -eq 1`,
	`9223372036854775807 -gt 0`, `9223372036854775808 -gt 0`,
	`-9223372036854775808 -lt 0`, `99999999999999999999 -eq 1`, `1.5 -eq 1`,
	`-t x`, `-t 99`, `-t 1x`,
	// Files.
	`-e file`, `-e missing`, `-e ''`, `-e file/`, `-e dir/`, `-f file`, `-f dir`,
	`-f link`, `-d dir`, `-d file`, `-s file`, `-s empty`, `-s dir`, `-r noperm`,
	`-w noperm`, `-x noperm`, `-x exe`, `-x file`, `-x dir`, `-r missing`,
	`-h link`, `-L link`, `-h file`, `-L dangling`, `-e dangling`, `-p fifo`,
	`-p file`, `-S file`, `-b file`, `-c /dev/null`, `-c file`, `-u suid`,
	`-g suid`, `-u file`, `-k sticky`, `-k dir`, `-O file`, `-G file`, `-O missing`,
	`file -nt empty`, `empty -nt file`, `empty -ot file`, `file -ot missing`,
	`missing -nt file`, `file -ef hardlink`, `file -ef link`, `file -ef empty`,
	`file -ef missing`, `/dev/null -ef /dev/null`, `-d /`, `-f /dev/null`,
	`-d dir -a -f file`, `! -d file -o -e missing`,
}

// splitWords splits a test case written in shell syntax, as dash would.
func splitWords(t *testing.T, dir, words string) []string {
	res := runDash(t, dir, `for a in `+words+`; do printf '%s\0' "$a"; done`, nil)
	if res.Status != 0 {
		t.Fatalf("splitting %s: %+v", words, res)
	}
	if res.Stdout == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(res.Stdout, "\x00"), "\x00")
}

func TestTestAgainstDash(t *testing.T) {
	requireDash(t)
	dir := testFixture(t)
	for _, tc := range testCases {
		args := splitWords(t, dir, tc)
		for _, name := range []string{"test", "["} {
			script := `test "$@"`
			callArgs := args
			if name == "[" {
				script = `[ "$@"`
				callArgs = append(append([]string(nil), args...), "]")
			}
			want := runDash(t, dir, script, nil, callArgs...)
			stdio, out, errb := captureIO(dir)
			status := Test(callArgs, name, stdio, testPrefix)
			got := shellResult{out.String(), errb.String(), status}
			if got != want {
				t.Errorf("%s %s: got %+v, dash %+v", name, tc, got, want)
			}
		}
	}
}

func TestBracketNeedsClosing(t *testing.T) {
	requireDash(t)
	dir := t.TempDir()
	for _, args := range [][]string{{}, {"a"}, {"a", "]x"}, {"a", "]"}, {"]"}, {"x", ""}, {"-n", "]]"}} {
		want := runDash(t, dir, `[ "$@"`, nil, args...)
		stdio, out, errb := captureIO(dir)
		status := Test(args, "[", stdio, testPrefix)
		if got := (shellResult{out.String(), errb.String(), status}); got != want {
			t.Errorf("[ %q: got %+v, dash %+v", args, got, want)
		}
	}
}
