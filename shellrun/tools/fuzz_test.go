package tools

import (
	"strings"
	"testing"
)

// compareWithReal runs argv both ways and fails on any difference.
func compareWithReal(t *testing.T, tc toolCase) {
	t.Helper()
	for _, a := range tc.args {
		if strings.ContainsRune(a, 0) {
			return // no program argument holds a NUL
		}
	}
	if !Handles(tc.args[0], tc.args[1:]) {
		return
	}
	ours, handled := runOurs(t, tc)
	if !handled {
		t.Fatalf("Handles accepted %q but Run refused it", tc.args)
	}
	real := runReal(t, tc)
	if real.Stdout != ours.Stdout || real.Stderr != ours.Stderr || real.Status != ours.Status {
		t.Errorf("%q on %q:\nreal %q %q %d\nours %q %q %d", tc.args, tc.stdin,
			real.Stdout, real.Stderr, real.Status, ours.Stdout, ours.Stderr, ours.Status)
	}
}

// FuzzGrepMatchesGNU compares grep on any pattern it accepts.
func FuzzGrepMatchesGNU(f *testing.F) {
	for _, p := range []string{"^a", `b\+c`, "[^ ]*$", `\(ab\)*`, "x|y", "a{2}"} {
		f.Add(p, "a\nab c\n\nbbc\nxy", uint8(0))
	}
	flags := []string{"-v", "-x", "-i", "-E", "-F", "-c", "-n", "-q"}
	f.Fuzz(func(t *testing.T, pattern, input string, set uint8) {
		argv := []string{"grep"}
		for i, fl := range flags {
			if set&(1<<i) != 0 {
				argv = append(argv, fl)
			}
		}
		compareWithReal(t, toolCase{args: append(argv, "-e", pattern), stdin: input})
	})
}

// FuzzExprMatchesGNU compares expr's anchored match on any pattern it
// accepts.
func FuzzExprMatchesGNU(f *testing.F) {
	f.Add("zA U Thor <a@e>", `z\(.*[^ ]\) *<.*`)
	f.Add("refs/heads//", `\(.*[^/]\)/*$`)
	f.Add("abc", "a*b.")
	f.Fuzz(func(t *testing.T, s, pattern string) {
		compareWithReal(t, toolCase{args: []string{"expr", s, ":", pattern}})
	})
}

// FuzzExprArgsMatchGNU compares expr on any argument list of up to five
// words it accepts, operators and parentheses included.
func FuzzExprArgsMatchGNU(f *testing.F) {
	f.Add("3", "+", "4", "*", "2", uint8(5))
	f.Add("(", "1", "|", "0", ")", uint8(5))
	f.Add("a", "<", "b", "&", "0", uint8(5))
	f.Add("=", "=", "=", "", "", uint8(3))
	f.Fuzz(func(t *testing.T, a, b, c, d, e string, n uint8) {
		words := []string{a, b, c, d, e}[:n%6]
		compareWithReal(t, toolCase{args: append([]string{"expr"}, words...)})
	})
}

// FuzzTrMatchesGNU compares tr on any sets it accepts.
func FuzzTrMatchesGNU(f *testing.F) {
	f.Add("a-z", "A-Z", "Hello world\n", uint8(0))
	f.Add(" ", "", "  a  b\n", uint8(1))
	f.Add("[:space:]", "x", "a \tb\n", uint8(3))
	f.Fuzz(func(t *testing.T, set1, set2, input string, mode uint8) {
		argv := []string{"tr"}
		switch mode % 4 {
		case 1:
			argv = append(argv, "-d", set1)
		case 2:
			argv = append(argv, "-s", set1)
		case 3:
			argv = append(argv, "-ds", set1, set2)
		default:
			argv = append(argv, set1, set2)
		}
		compareWithReal(t, toolCase{args: argv, stdin: input})
	})
}

// FuzzCutMatchesGNU compares cut on any list and delimiter it accepts.
func FuzzCutMatchesGNU(f *testing.F) {
	f.Add("2", " ", "a b c\nnone\n", uint8(0))
	f.Add("1,3-", ":", "a:b:c:d\n", uint8(1))
	f.Add("-2,4", "", "abcdef", uint8(2))
	f.Fuzz(func(t *testing.T, list, delim, input string, mode uint8) {
		argv := []string{"cut", "-f", list, "-d", delim}
		switch mode % 3 {
		case 1:
			argv = []string{"cut", "-s", "-d", delim, "-f", list}
		case 2:
			argv = []string{"cut", "-c", list}
		}
		compareWithReal(t, toolCase{args: argv, stdin: input})
	})
}
