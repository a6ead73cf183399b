package shellrun

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestTypedViews: a typed Go variable bound with BindFlag, BindInt or
// BindWords is the shell variable for everything that reaches it by
// name: programs see its rendered value when the name came exported,
// before the binding the environment's value, interpreted text reads
// the rendered value and its assignments are parsed back; a value the
// type cannot hold, or an unset, is said on standard error.
func TestTypedViews(t *testing.T) {
	var out, errs bytes.Buffer
	s := NewState(Config{Name: "t", Env: []string{"PATH=" + os.Getenv("PATH"), "list=from-env", "n=7"},
		Stdin: devNull(t), Stdout: &out, Stderr: &errs})
	var flag bool
	var n int
	var list []string
	s.Run("printenv", "list", "n")
	s.BindWords("list", &list)
	s.BindFlag("flag", &flag, "yes")
	s.BindInt("n", &n)
	list = append(list, "a b", "*")
	flag, n = true, 12
	s.Run("printenv", "list", "n")
	if got, want := out.String(), "from-env\n7\na b * \n12\n"; got != want {
		t.Errorf("programs printed %q, want %q", got, want)
	}
	if got := s.Get("flag") + "|" + s.Get("list") + "|" + s.Get("n"); got != "yes|a b * |12" {
		t.Errorf("by name: %q", got)
	}
	s.Eval(`flag= list="x  y " n=-3`)
	if flag || n != -3 || !slices.Equal(list, []string{"x", "", "y"}) || s.Get("list") != "x  y " {
		t.Errorf("after eval: flag=%v n=%d list=%q", flag, n, list)
	}
	if errs.Len() != 0 {
		t.Errorf("notes for values the types hold: %q", errs.String())
	}
	s.Eval(`flag=no n=007 list=tail`)
	if flag || n != -3 || !slices.Equal(list, []string{"x", "", "y"}) {
		t.Errorf("values the types cannot hold changed them: flag=%v n=%d list=%q", flag, n, list)
	}
	for _, want := range []string{`flag="no"`, `n="007"`, `list="tail"`} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("no note for %s in %q", want, errs.String())
		}
	}
	errs.Reset()
	s.Eval(`unset list`)
	if list != nil || !strings.Contains(errs.String(), "unset list") {
		t.Errorf("unset: list=%q, notes %q", list, errs.String())
	}
	if got := s.SplitWords([]string{"a b", "", "c"}); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("SplitWords = %q", got)
	}
}
