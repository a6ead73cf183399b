package translate_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/translate"
	"mvdan.cc/sh/v3/syntax"
)

// TestEvalRunTimeTextLowers: a script evaluating text known only at run
// time still has its variables lowered (the State guards what the text
// does to them, shellrun/evalguard.go); what the known shape of eval's
// words reaches in ways only the State serves stays there, and so does
// a variable assigned its own value (x=$x), which the State's unset
// mark cannot follow. TestSnippetsAgainstDash runs the snippets.
func TestEvalRunTimeTextLowers(t *testing.T) {
	cases := []struct {
		name, src     string
		lowered, kept []string
	}{
		{"lower-eval-run-unset", loweringSnippets["lower-eval-run-unset"], []string{"name", "w", "x", "y", "z"}, nil},
		{"lower-eval-run-funcs", loweringSnippets["lower-eval-run-funcs"], []string{"g", "l"}, nil},
		{"lower-eval-run-dynamic", loweringSnippets["lower-eval-run-dynamic"], []string{"SHA1", "pretty_name", "target"}, nil},
		{"shape", `a=1 b=2 c=3 d=4 cmd=x
eval "$cmd" '"$a"' "\${b-none}"
eval "unset c; $cmd"
d=$d
echo "$a $b $c $d"`, []string{"a", "cmd"}, []string{"b", "c", "d"}},
		{"shape-unparsed", `a=1 b=2 cmd=x
eval "$cmd" "'$a" "\${b"
echo "$a $b"`, []string{"a", "cmd"}, []string{"b"}},
	}
	for _, c := range cases {
		file, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(c.src), c.name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := translate.Translate(file, translate.Options{Name: "git-" + c.name, Package: "main", Idiomatic: true})
		if err != nil {
			t.Fatal(err)
		}
		l := res.Report.Lowering
		for _, name := range c.lowered {
			if !slices.Contains(l.Lowered, name) {
				t.Errorf("%s: %s kept (%s), want it lowered", c.name, name, l.Kept[name])
			}
		}
		for _, name := range c.kept {
			if slices.Contains(l.Lowered, name) {
				t.Errorf("%s: %s lowered, want it kept", c.name, name)
			}
		}
	}
}
