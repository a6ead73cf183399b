package translate_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/translate"
	"mvdan.cc/sh/v3/syntax"
)

// lowering translates src in the idiomatic stage and returns its report's
// lowering.
func lowering(t *testing.T, name, src string) translate.Lowering {
	t.Helper()
	file, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(src), name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := translate.Translate(file, translate.Options{Name: "git-" + name, Package: "main", Idiomatic: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Report.Lowering
}

// TestReachLowers: the variables the lowering snippets of lowerreach.go's
// rules are about are lowered (so TestSnippetsAgainstDash/idiomatic runs
// them as Go variables), and those the rules must keep are kept, with
// their reasons listed.
func TestReachLowers(t *testing.T) {
	cases := []struct {
		name, src     string
		lowered, kept []string
	}{
		{"lower-fork-copies", loweringSnippets["lower-fork-copies"], []string{"x", "y", "z", "n", "i", "sq", "a", "b", "w", "v", "bg", "cmd", "u"}, nil},
		{"lower-trap-literal", loweringSnippets["lower-trap-literal"], []string{"d", "e", "only_f"}, nil},
		{"lower-eval-known-var", loweringSnippets["lower-eval-known-var"], []string{"grl", "rev", "unrevs", "found", "un"}, []string{"gone"}},
		{"eval-known-readonly", "ro='readonly r; echo \"$q\"'\nr=1 q=2\neval \"$ro\"\nr=2", []string{"ro", "q"}, []string{"r"}},
		{"eval-known-runs-text", "t='eval \"$u\"'\nu=$(cat)\nx=1\neval \"$t\"\nx=$x\necho $x", []string{"t"}, []string{"x"}},
		{"lower-program-text", loweringSnippets["lower-program-text"], []string{"prog", "head", "w"}, nil},
		{"program-text-to-function", "run() { eval \"$1\"; }\nu='echo \"${k-unset}\"'\nk=1\n/bin/echo \"$u\"\nrun \"$u\"\necho $k", []string{"u"}, []string{"k"}},
		{"program-text-to-eval", "u='echo \"${k-unset}\"'\nk=1\ncat \"$u\"\neval \"$u\"\necho $k", []string{"u"}, []string{"k"}},
		{"program-text-dynamic-funcs", "d=$(cat)\neval \"$d\"\nu='echo \"${k-unset}\"'\nk=1\nsed \"$u\"\necho $k", []string{"u"}, []string{"k"}},
		{"program-text-assigned", "u='echo \"${k-unset}\"'\nk=1\nv=$u\nsed \"$u\"\neval \"$v\"\necho $k", nil, []string{"k"}},
		{"lower-colon-assign-default", loweringSnippets["lower-colon-assign-default"], []string{"bp"}, []string{"z"}},
		{"lower-unset", loweringSnippets["lower-unset"], []string{"b", "c"}, nil},
		{"unset-self-assign", "x=1\nunset x\nx=$x\necho \"$x\"", nil, []string{"x"}},
		{"unset-round-trip", "x=1\ny=$x\nunset x\nx=\"${y#p}\"\necho \"$x\"", []string{"y"}, []string{"x"}},
		{"unset-function-arg", "f() { x=$1; }\nx=1\nunset x\nf \"$x\"\necho \"$x\"", nil, []string{"x"}},
		{"unset-set-args", "x=1\nunset x\nset -- \"$x\"\nfor x; do :; done\necho \"$x\"", nil, []string{"x"}},
		{"unset-dynamic-funcs", "eval \"$(cat)\"\nx=1\nunset x\ntest \"$x\"\necho \"$x\"", nil, []string{"x"}},
		{"unset-default-word", "x=1\nunset x\nx=${y:-$x}\necho \"$x\"", nil, []string{"x"}},
		{"unset-fresh", "x=1\ny=$x\nunset x\nx=\"a$y\"\nx=$(echo \"$x\")\necho \"$x\"", []string{"x", "y"}, nil},
		{"lower-self-assign-guarded", loweringSnippets["lower-self-assign-guarded"], []string{"ref", "w", "cmd", "s"}, nil},
		{"self-assign-after-eval", "c=$(cat)\ny=1\neval \"$c\"\ny=$y\necho $y", nil, []string{"y"}},
		{"self-assign-and-list", "c=$(cat)\neval \"$c\"\ny=1 && y=${y#1}\necho $y", nil, []string{"y"}},
		{"self-assign-until-read", "c=$(cat)\nuntil read r; do eval \"$c\"; r=$r; done\necho $r", nil, []string{"r"}},
		{"self-assign-after-copy", "c=$(cat)\nz=$r\neval \"$c\"\nr=$z\nr=$r\necho $r", []string{"z"}, []string{"r"}},
		{"lower-trap-in-func", loweringSnippets["lower-trap-in-func"], nil, []string{"t"}},
		{"trap-assigns", "x=1\ntrap 'x=2; echo $x' 0\necho $x", nil, []string{"x"}},
		{"trap-unset-form", "x=1 y=2\ntrap 'echo ${x-unset} $y' 0\necho $x $y", nil, []string{"x", "y"}},
	}
	for _, c := range cases {
		l := lowering(t, c.name, c.src)
		for _, name := range c.lowered {
			if !slices.Contains(l.Lowered, name) {
				t.Errorf("%s: %s kept (%v), want it lowered", c.name, name, l.Reasons[name])
			}
		}
		for _, name := range c.kept {
			if slices.Contains(l.Lowered, name) {
				t.Errorf("%s: %s lowered, want it kept", c.name, name)
			}
			if len(l.Reasons[name]) == 0 {
				t.Errorf("%s: %s kept without reasons", c.name, name)
			}
		}
	}
}
