package tools

import "testing"

func TestExprMatchesCoreutils(t *testing.T) {
	author := "zA U Thor <author@example.com>"
	runCases(t, []toolCase{
		{args: args("expr", author, ":", `z\(.*[^ ]\) *<.*`)},
		{args: args("expr", author, ":", `.*<\([^>]*\)`)},
		{args: args("expr", "zNoMail", ":", `.*<\([^>]*\)`)},
		{args: args("expr", "z  <x>", ":", `z\(.*[^ ]\) *<.*`)},
		{args: args("expr", "z\xe9t\xe9 <a>", ":", `z\(.*[^ ]\) *<.*`)},
		{args: args("expr", "z\xc3\xa9 <a>", ":", `z\(.\)`)},
		{args: args("expr", "z\xc3\xa9 <a>", ":", `z\(.\)`), env: []string{"LC_ALL=C.UTF-8"}},
		{args: args("expr", "zdir/sub/file", ":", `z\(.*\)/`)},
		{args: args("expr", "z-browser=firefox", ":", `z-[^=]*=\(.*\)`)},
		{args: args("expr", "refs/heads///", ":", `\(.*[^/]\)/*$`)},
		{args: args("expr", "abc", ":", "a.")},
		{args: args("expr", "abc", ":", "^a")},
		{args: args("expr", "abc", ":", "b")},
		{args: args("expr", "a*b", ":", "a*b")},
		{args: args("expr", "*b", ":", "*b")},
		{args: args("expr", "xx", ":", `x\{2\}`)},
		{args: args("expr", "ab", ":", `\(a\|b\)`), refused: true},
		{args: args("expr", "aa", ":", `\(a\)\1`), refused: true},
		{args: args("expr", "a", ":", `\(`), refused: true},
		{args: args("expr", "12", "<", "9")},
		{args: args("expr", "12", "<", "9a")},
		{args: args("expr", "007", "=", "7")},
		{args: args("expr", "b", ">=", "a")},
		{args: args("expr", "b", "!=", "b")},
		{args: args("expr", "3", "+", "4", "*", "2")},
		{args: args("expr", "(", "3", "+", "4", ")", "*", "2")},
		{args: args("expr", "-7", "/", "2")},
		{args: args("expr", "-7", "%", "2")},
		{args: args("expr", "99999999999999999999", "*", "99")},
		{args: args("expr", "1", "/", "0")},
		{args: args("expr", "a", "+", "1")},
		{args: args("expr", "1", "|", "1", "/", "0")},
		{args: args("expr", "0", "|", "1", "/", "0")},
		{args: args("expr", "", "|", "0")},
		{args: args("expr", "0", "&", "1")},
		{args: args("expr", "x", "&", "y")},
		{args: args("expr", "00")},
		{args: args("expr", "-0")},
		{args: args("expr", "-")},
		{args: args("expr", "")},
		{args: args("expr", "5", "-", "5")},
		{args: args("expr", "a", "=", "a", "b"), refused: true},
		{args: args("expr", "length", "abc"), refused: true},
		{args: args("expr"), refused: true},
		{args: args("expr", "--version"), refused: true},
	})
}

// TestFilter checks the in-memory face used by Go ports of the scripts.
func TestFilter(t *testing.T) {
	out, status, ok := Filter("sed", []string{"-e", "s/.patch$//"}, []byte("0001-fix.patch\n"))
	if !ok || status != 0 || string(out) != "0001-fix\n" {
		t.Errorf("sed: %q %d %v", out, status, ok)
	}
	out, status, ok = Filter("expr", []string{"z00 <a@b>", ":", `z\(.*[^ ]\) *<.*`}, nil)
	if !ok || status != 1 || string(out) != "00\n" {
		t.Errorf("expr: %q %d %v, want expr's status 1 for a zero result", out, status, ok)
	}
	if _, _, ok := Filter("sed", []string{"-i", "s/a/b/"}, nil); ok {
		t.Error("sed -i was not refused")
	}
}
