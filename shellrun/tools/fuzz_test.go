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
	flags := []string{"-v", "-x", "-i", "-E", "-F", "-c", "-n"}
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
