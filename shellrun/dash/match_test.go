package dash

import (
	"fmt"
	"testing"
)

// matchCases pair a pattern, written as dash would read it unquoted with
// backslash escapes (the convention Match uses too), with a subject.
var matchCases = []struct{ pattern, s string }{
	{"", ""}, {"", "a"}, {"a", "a"}, {"a", "b"}, {"?", ""}, {"?", "a"}, {"?", "ab"},
	{"*", ""}, {"*", "abc"}, {"a*", "abc"}, {"*c", "abc"}, {"*b*", "abc"}, {"*x*", "abc"},
	{"a**c", "ac"}, {"a*b*c", "aXbYc"}, {"*.txt", "a.b.txt"}, {"*/*", "a/b"}, {"?", "/"},
	{"*", ".hidden"}, {`\*`, "*"}, {`\*`, "a"}, {`a\?`, "a?"}, {`a\?`, "ab"}, {`\\`, `\`},
	{`[abc]`, "b"}, {`[abc]`, "d"}, {`[!abc]`, "d"}, {`[!abc]`, "a"}, {`[^abc]`, "^"},
	{`[^abc]`, "d"}, {`[a-c]`, "b"}, {`[c-a]`, "b"}, {`[a-]`, "-"}, {`[-a]`, "-"},
	{`[]a]`, "]"}, {`[]a]`, "a"}, {`[!]a]`, "]"}, {`[!]a]`, "b"}, {`[]`, "]"}, {`[]`, "[]"},
	{`[`, "["}, {`[a`, "[a"}, {`a[`, "a["}, {`a[`, "a"}, {`[ab`, "a"}, {`[\]]`, "]"},
	{`[a\-z]`, "-"}, {`[a\-z]`, "m"}, {`[\!a]`, "!"}, {`[[:alpha:]]`, "q"}, {`[[:alpha:]]`, "1"},
	{`[[:digit:][:upper:]]`, "Z"}, {`[[:space:]]`, " "}, {`[[:punct:]]`, "!"}, {`[[:xdigit:]]`, "g"},
	{`[[:alnum:]_]`, "_"}, {`[[:lower:]]`, "A"}, {`[[:blank:]]`, "\t"}, {`[[:cntrl:]]`, "\x01"},
	{`[[:graph:]]`, " "}, {`[[:print:]]`, " "}, {`[[:nope:]]`, "n"}, {`[[:alpha:]`, "a"},
	{`[[]`, "["}, {`[[]a]`, "[a]"}, {`[a-z]*[0-9]`, "abc9"}, {`*[0-9]`, "abc"},
	{`?*`, ""}, {`*?`, "a"}, {`é`, "é"}, {`?`, "é"}, {`??`, "é"}, {`[é]`, "é"},
	{`a*a*a*a*b`, "aaaaaaaaaaaaaaaaaaaaaaaa"}, {`\a`, "a"}, {`a\\`, `a\`}, {`*\\`, `ab\`},
}

func TestMatchAgainstDash(t *testing.T) {
	requireDash(t)
	dir := t.TempDir()
	for _, tc := range matchCases {
		script := fmt.Sprintf(`case $S in %s) echo y;; *) echo n;; esac`, shellPattern(tc.pattern))
		want := runDash(t, dir, script, []string{"S=" + tc.s}).Stdout == "y\n"
		if got := Match(tc.pattern, tc.s); got != want {
			t.Errorf("Match(%q, %q) = %v, dash %v", tc.pattern, tc.s, got, want)
		}
	}
}

// shellPattern writes a pattern for dash's parser: an empty pattern as
// ”, anything else as it is.
func shellPattern(p string) string {
	if p == "" {
		return "''"
	}
	return p
}

var trimCases = []struct{ s, pattern string }{
	{"abcabc", "*b"}, {"abcabc", "b*"}, {"abcabc", "a"}, {"abcabc", "c"}, {"abcabc", "*"},
	{"abcabc", "?"}, {"abcabc", `\*`}, {"a*b*", `*\*`}, {"a*b*", `\**`}, {"", "*"},
	{"path/to/file.tar.gz", "*/"}, {"path/to/file.tar.gz", ".*"}, {"path/to/file.tar.gz", "*."},
	{"refs/heads/main", "refs/heads/"}, {"refs/heads/main", "refs/*/"}, {"x", "y"},
	{"aaa", "a*"}, {"aaa", "*a"}, {"abcabc", "[ab]"}, {"abcabc", "[!a]*"}, {"  lead", "[[:space:]]"},
	{"a.b.c", "*.*"}, {"-v", "-"}, {"@{u}", "@"},
}

func TestTrimAgainstDash(t *testing.T) {
	requireDash(t)
	dir := t.TempDir()
	for _, tc := range trimCases {
		p := shellPattern(tc.pattern)
		script := fmt.Sprintf(`a=${S#%s} b=${S##%s} c=${S%%%s} d=${S%%%%%s}; printf '%%s|' "$a" "$b" "$c" "$d"`, p, p, p, p)
		want := runDash(t, dir, script, []string{"S=" + tc.s})
		got := fmt.Sprintf("%s|%s|%s|%s|", TrimPrefix(tc.s, tc.pattern, false), TrimPrefix(tc.s, tc.pattern, true),
			TrimSuffix(tc.s, tc.pattern, false), TrimSuffix(tc.s, tc.pattern, true))
		if want.Status != 0 || got != want.Stdout {
			t.Errorf("trim %q by %q: got %q, dash %+v", tc.s, tc.pattern, got, want)
		}
	}
}

func TestQuoteMetaIsLiteral(t *testing.T) {
	for _, s := range []string{`*`, `?`, `[a]`, `[!a]`, `\`, `a\*b`, `[[:alpha:]]`, `a-z`, `^x`, "plain"} {
		if !Match(QuoteMeta(s), s) {
			t.Errorf("Match(QuoteMeta(%q), itself) = false", s)
		}
		if s != "plain" && Match(QuoteMeta(s), "a") {
			t.Errorf("Match(QuoteMeta(%q), a) = true", s)
		}
	}
	if got := TrimPrefix("[x]*rest", QuoteMeta("[x]*"), false); got != "rest" {
		t.Errorf("TrimPrefix with QuoteMeta = %q", got)
	}
}

// TestMatchBuiltPatternAgainstDash builds patterns as a caller does from
// `case $S in $P"$Q")` and ${S#$P"$Q"}: the unquoted expansion as it is,
// the quoted one through QuoteMeta.
func TestMatchBuiltPatternAgainstDash(t *testing.T) {
	requireDash(t)
	dir := t.TempDir()
	for _, tc := range []struct{ p, q, s string }{
		{`a\*`, "", "a*"}, {`a\*`, "", `a\b`}, {`a\*`, "", `a\*`}, {`a\`, "", `a\`}, {"", "*", "abc"},
		{"", "*", "*"}, {"[ab]", "", "a"}, {"", "[ab]", "[ab]"}, {"*", ".txt", "x.txt"}, {"*", "?", "x?"},
		{"*", "?", "xy"}, {`\\`, `\`, `\\`}, {"[!", "]", "x]"}, {"?", "*", "a*"},
	} {
		pattern := tc.p + QuoteMeta(tc.q)
		env := []string{"S=" + tc.s, "P=" + tc.p, "Q=" + tc.q}
		res := runDash(t, dir, `case $S in $P"$Q") echo y;; *) echo n;; esac; r=${S#$P"$Q"}; printf '%s\n' "$r"`, env)
		got := "n\n"
		if Match(pattern, tc.s) {
			got = "y\n"
		}
		got += TrimPrefix(tc.s, pattern, false) + "\n"
		if got != res.Stdout {
			t.Errorf("P=%q Q=%q S=%q: got %q, dash %q", tc.p, tc.q, tc.s, got, res.Stdout)
		}
	}
}
