package dash

import (
	"bytes"
	"testing"
)

var echoCases = [][]string{
	{}, {""}, {"", ""}, {"-n"}, {"-n", "a"}, {"-n", "-n", "a"}, {"-nn", "a"}, {"-e", "a\\tb"},
	{"-E", "x"}, {"--", "x"}, {"a\\tb", "c\\nd"}, {"stop\\chere", "never"}, {"a", "\\c", "b"},
	{"\\0101\\0", "\\101", "back\\\\slash", "\\q"}, {"\\0", "x"}, {"\\08"}, {"\\01234"},
	{"\\1234"}, {"\\777"}, {"\\e[m"}, {"\\x41"}, {"\\u00e9"}, {"trailing\\"}, {"\\a\\b\\f\\r\\v"},
	{"-n", "\\c"}, {"é ü"}, {"a  b"},
}

func TestEchoAgainstDash(t *testing.T) {
	requireDash(t)
	dir := t.TempDir()
	for _, args := range echoCases {
		want := runDash(t, dir, `echo "$@"`, nil, args...)
		var out bytes.Buffer
		status := Echo(args, &out)
		if got := (shellResult{out.String(), "", status}); got != want {
			t.Errorf("echo %q: got %+v, dash %+v", args, got, want)
		}
	}
}
