package dash

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// globFixture makes a directory of names that exercise dash's globbing:
// dot files, a directory symlink, names with blanks, glob characters and
// backslashes.
func globFixture(t testing.TB) string {
	dir := t.TempDir()
	for _, d := range []string{"d1", "d2/sub", ".hd", "noread"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"a", "b", "B", "_x", ".h", "a b", "a*", `\x`, "x", "a?b", "[a]", "d1/f", "d2/g", "d1/.df", "-n", "é"} {
		writeFile(t, filepath.Join(dir, f), "", 0o644)
	}
	if err := os.Symlink("d1", filepath.Join(dir, "ld")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// dashWords runs `for a in WORD` under dash and returns the fields it
// made, each as <field>.
func dashWords(t *testing.T, dir, setup, word string, env []string) string {
	res := runDash(t, dir, setup+`; for a in `+word+`; do printf '<%s>' "$a"; done`, env)
	if res.Status != 0 || res.Stderr != "" {
		t.Fatalf("dash on %s: %+v", word, res)
	}
	return res.Stdout
}

func bracket(fields []string) string {
	var b strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&b, "<%s>", f)
	}
	return b.String()
}

// globCases are patterns in backslash-escape syntax, which dash and Glob
// read alike.
var globCases = []string{
	"*", ".*", "*.", "*/", ".*/", "[.]*", `\.*`, "*/*", "d[12]/[fg]", "nomatch*", "[!a-z]*",
	"[^a-z]*", "[[:upper:]]*", "[", "a[", "[a", "[a]", `\[a]`, "[]a]*", "d1/../*", "./*",
	"ld/*", "*//f", "d1//f*", "nod/*", "?", ".?", "??", "d1/*/", "d*/[fg]", `a\*`, `a\?b`,
	`a?b`, "a*", `\\*`, "d1/.*", "d1/*", "*/.*", "[ab]", "[!ab]", "*a", "*[", "-*", "é",
	"?é", "d?/*", "*/*/", "d2/*/", "x*", "dang*", "*ing", "no*/*", "[[:alpha:]][[:alpha:]]*",
}

func TestGlobAgainstDash(t *testing.T) {
	requireDash(t)
	dir := globFixture(t)
	for _, pattern := range globCases {
		want := dashWords(t, dir, ":", pattern, nil)
		got := Glob(dir, pattern)
		if got == nil {
			got = []string{unescapePattern(pattern)}
		}
		if bracket(got) != want {
			t.Errorf("Glob(%q) = %s, dash %s", pattern, bracket(got), want)
		}
	}
}

func TestGlobAbsolute(t *testing.T) {
	requireDash(t)
	dir := globFixture(t)
	pattern := dir + "/d*/?"
	want := dashWords(t, t.TempDir(), ":", pattern, nil)
	if got := bracket(Glob(t.TempDir(), pattern)); got != want {
		t.Errorf("Glob(%q) = %s, dash %s", pattern, got, want)
	}
}

// fieldCase is a word for Fields: ifs nil means IFS unset.
type fieldCase struct {
	ifs   *string
	parts []Part
}

func ifsOf(s string) *string { return &s }

func lit(s string) Part     { return Part{Text: s} }
func quo(s string) Part     { return Part{Text: s, Quoted: true} }
func exp(s string) Part     { return Part{Text: s, Expanded: true} }
func qexp(s string) Part    { return Part{Text: s, Quoted: true, Expanded: true} }
func word(p ...Part) []Part { return p }

var fieldCases = []fieldCase{
	{nil, word(exp("a b  c"))}, {nil, word(exp("  lead and trail  "))}, {nil, word(exp(""))},
	{nil, word(exp(" "))}, {nil, word(qexp(""))}, {nil, word(quo(""))}, {nil, word(exp(""), exp(""))},
	{nil, word(exp(""), quo(""))}, {nil, word(quo(""), exp(" a"))}, {nil, word(exp(" a "), quo(""))},
	{nil, word(exp("a\tb\nc"))}, {nil, word(lit("x"), exp(" a b "), lit("y"))},
	{nil, word(exp("a "), exp(" b"))}, {nil, word(exp("a"), exp("b"))}, {nil, word(qexp("a b"), exp("c d"))},
	{ifsOf(":"), word(exp(":a::b:"))}, {ifsOf(":"), word(exp("a:"))}, {ifsOf(":"), word(exp(":"))},
	{ifsOf(":"), word(exp("::"))}, {ifsOf(":"), word(exp("a b:c"))}, {ifsOf(":"), word(exp("x:"), exp(":y"))},
	{ifsOf(": "), word(exp(" : a : : b : "))}, {ifsOf(": "), word(exp("a : b"))}, {ifsOf(": "), word(exp("a  :  :b"))},
	{ifsOf(": "), word(exp("a::b"))}, {ifsOf(": "), word(exp(" :"))}, {ifsOf(":\t"), word(exp("a\t:\tb\t"))},
	{ifsOf(""), word(exp(" a b "))}, {ifsOf(""), word(exp(""))}, {ifsOf("x"), word(exp("axbxxc"))},
	{ifsOf("ab"), word(exp("1a2b3ab4"))}, {ifsOf(" "), word(exp("a\tb c"))}, {ifsOf("\n"), word(exp("l1\nl2 x\n\nl3\n"))},
	{nil, word(lit("lit:eral"))}, {ifsOf(":"), word(lit("a:b"), exp("c:d"), quo("e:f"))},
	// Pathname expansion.
	{nil, word(exp("*"))}, {nil, word(qexp("*"))}, {nil, word(lit("*"))}, {nil, word(quo("*"))},
	{nil, word(exp("a*"))}, {nil, word(quo("a"), exp("*"))}, {nil, word(quo("a"), lit("*"))},
	{nil, word(exp("a* d1/*"))}, {nil, word(exp(`a\*`))}, {nil, word(exp(`\x`))}, {nil, word(exp(`\*`))},
	{nil, word(exp("[a]"))}, {nil, word(quo("["), exp("a]"))}, {nil, word(lit("["), quo("!"), lit("a]"))},
	{nil, word(exp("nomatch*"))}, {nil, word(exp("*/"))}, {nil, word(lit("d"), exp("*"), lit("/"))},
	{nil, word(exp(".*"))}, {nil, word(exp("?"))}, {ifsOf("*"), word(exp("a*b"))}, {nil, word(exp("a?b"))},
	{nil, word(quo("a?b"))}, {nil, word(exp("a"), quo("?"), lit("b"))}, {nil, word(exp("[!a-z]*"))},
	{nil, word(exp(`\x*`))}, {nil, word(exp(`\\*`))}, {nil, word(exp(`*\*`))}, {nil, word(exp(`a\`), lit("*"))},
	{nil, word(exp(`\[a]`))}, {nil, word(exp(`[\]`))}, {nil, word(exp(`d\1/*`))}, {nil, word(quo(`\`), lit("*"))},
	{nil, word(exp(`\`), quo("x"), lit("*"))}, {nil, word(exp(`no\*`))},
	{ifsOf(""), word(exp("a *"))}, {nil, word(exp("-*"))}, {nil, word(exp("d[12]/[fg]"))},
}

// shellWord writes a word's parts in shell syntax, expansions taken from
// environment variables V0, V1, ... that it returns.
func shellWord(parts []Part) (string, []string) {
	var b strings.Builder
	var env []string
	for i, p := range parts {
		switch {
		case p.Expanded:
			env = append(env, fmt.Sprintf("V%d=%s", i, p.Text))
			if p.Quoted {
				fmt.Fprintf(&b, `"${V%d}"`, i)
			} else {
				fmt.Fprintf(&b, `${V%d}`, i)
			}
		case p.Quoted:
			b.WriteString("'" + strings.ReplaceAll(p.Text, "'", `'\''`) + "'")
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String(), env
}

func TestFieldsAgainstDash(t *testing.T) {
	requireDash(t)
	dir := globFixture(t)
	glob := func(p string) []string { return Glob(dir, p) }
	for _, tc := range fieldCases {
		word, env := shellWord(tc.parts)
		setup, ifs := "unset IFS", " \t\n"
		if tc.ifs != nil {
			setup, ifs = "IFS=$KILN_IFS", *tc.ifs
			env = append(env, "KILN_IFS="+ifs)
		}
		want := dashWords(t, dir, setup, word, env)
		if got := bracket(Fields(tc.parts, ifs, glob)); got != want {
			t.Errorf("Fields(%+v, IFS %q) = %s, dash %s", tc.parts, ifs, got, want)
		}
		wantNoGlob := dashWords(t, dir, setup+"; set -f", word, env)
		if got := bracket(Fields(tc.parts, ifs, nil)); got != wantNoGlob {
			t.Errorf("Fields(%+v, IFS %q, no glob) = %s, dash %s", tc.parts, ifs, got, wantNoGlob)
		}
	}
}

func TestSplitFieldsAgainstDash(t *testing.T) {
	requireDash(t)
	dir := t.TempDir()
	for _, tc := range []struct{ s, ifs string }{
		{"a b c", " \t\n"}, {" a ", " "}, {"a,,b,", ","}, {", a ,b", ", "}, {"", ","}, {"abc", ""},
		{"a\n\nb", "\n"}, {"x  y", "y "}, {"1-2--3", "-"}, {"\t", " \t\n"},
	} {
		want := dashWords(t, dir, "set -f; IFS=$KILN_IFS", "$S", []string{"S=" + tc.s, "KILN_IFS=" + tc.ifs})
		if got := bracket(SplitFields(tc.s, tc.ifs)); got != want {
			t.Errorf("SplitFields(%q, %q) = %s, dash %s", tc.s, tc.ifs, got, want)
		}
	}
}
