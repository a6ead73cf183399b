package shellrun

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestBoundUnsetMark: a bound Go variable stands for an unset variable
// while it holds the State's mark (unset when bound, or unset by
// interpreted text, whatever way the text names it); any assignment of
// the Go code, "" included, sets it again, as in dash.
func TestBoundUnsetMark(t *testing.T) {
	var out bytes.Buffer
	s := NewState(Config{Name: "t", Env: []string{"PATH=" + os.Getenv("PATH"), "x=env"}, Stdin: devNull(t), Stdout: &out})
	var x, y string
	s.Vars(map[string]*string{"x": &x, "y": &y})
	show := `echo "x=${x-unset} y=${y-unset}"`
	s.Eval(show)
	y = ""
	s.Eval(show)
	s.Eval("n=x; unset $n")
	if x != "" {
		t.Errorf("after eval unset x, Go x = %q, want empty", x)
	}
	if _, set := s.Lookup("x"); set {
		t.Error("after eval unset x, Lookup says x is set")
	}
	s.Eval(show)
	x = ""
	s.Eval(show)
	if _, set := s.Lookup("x"); !set {
		t.Error(`after the Go code assigned x "", Lookup says x is unset`)
	}
	s.Eval("unset x y")
	s.Eval(`: ${x=assigned}`)
	s.Eval(show)
	if x != "assigned" {
		t.Errorf("after eval ${x=assigned}, Go x = %q", x)
	}
	want := "x=env y=unset\nx=env y=\nx=unset y=\nx= y=\nx=assigned y=unset\n"
	if got := out.String(); got != want {
		t.Errorf("eval printed %q, want %q", got, want)
	}
	if env := strings.Join(s.Environ(), " "); strings.Contains(env, "x=") {
		t.Errorf("environment %s: x came exported, but unset drops the attribute", env)
	}
}

// TestBoundLocalAndFuncUnset: a function's Go local of a variable that
// was unset (local x) starts unset, one given "" (local x=) set; a
// global a function's text unsets is unset for the caller when the
// function returns.
func TestBoundLocalAndFuncUnset(t *testing.T) {
	var out bytes.Buffer
	s := NewState(Config{Name: "t", Env: []string{"PATH=" + os.Getenv("PATH")}, Stdin: devNull(t), Stdout: &out})
	var g string
	s.Vars(map[string]*string{"g": &g})
	g = "top"
	f := func(s *State) {
		l := s.Value("l")
		e := ""
		defer s.LocalVars(map[string]*string{"l": &l, "e": &e})()
		var g string
		defer s.FuncVars(map[string]*string{"g": &g})()
		s.Eval(`echo "l=${l-unset} e=${e-unset} g=${g-unset}"; unset g`)
	}
	s.Call(f)
	s.Eval(`echo "after: g=${g-unset}"`)
	if want := "l=unset e= g=top\nafter: g=unset\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
}

// TestBoundGuardNotes: what a Go variable cannot do is said on standard
// error, once, naming the variable and the construct: readonly by
// interpreted text (the Go code's own assignments are not refused),
// unset under set -u (the Go code's reads give "" instead of an
// error). The State itself still refuses assignments by name.
func TestBoundGuardNotes(t *testing.T) {
	var errb bytes.Buffer
	s := NewState(Config{Name: "t", Env: []string{"PATH=" + os.Getenv("PATH")}, Stdin: devNull(t), Stderr: &errb})
	var x, y string
	s.Vars(map[string]*string{"x": &x, "y": &y})
	x, y = "1", "2"
	s.Eval(`name=x; readonly $name`)
	s.Eval(`readonly x`)
	if n := strings.Count(errb.String(), "kiln: t: readonly x (in text run by eval or the interpreter): x is a Go variable in this translation; the translated code's own assignments to it are not refused"); n != 1 {
		t.Errorf("readonly note %d times, want once; stderr:\n%s", n, errb.String())
	}
	errb.Reset()
	s.SetOption("-u")
	s.Eval(`unset y`)
	if !strings.Contains(errb.String(), `kiln: t: unset y (in text run by eval or the interpreter): y is a Go variable in this translation; with set -u on, the translated code's own reads of it give "" where dash stops`) {
		t.Errorf("no note for unset under set -u; stderr:\n%s", errb.String())
	}
	errb.Reset()
	s.Eval(`x=3`)
	if s.Status == 0 || x != "1" {
		t.Errorf("assignment of readonly x by eval: status %d, x=%q, stderr %q", s.Status, x, errb.String())
	}
}

// devNull is /dev/null open for reading, the interpreted text's
// standard input.
func devNull(t *testing.T) *os.File {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
