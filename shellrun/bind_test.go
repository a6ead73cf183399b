package shellrun

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestVarsBoundToEnvironment: a Go variable bound with Vars starts from
// the environment's value, and programs see its current value when the
// name came exported; a background job started before a change keeps
// the value it started with (and reads no Go variable later: -race).
func TestVarsBoundToEnvironment(t *testing.T) {
	var out bytes.Buffer
	s := NewState(Config{Name: "t", Env: []string{"PATH=" + os.Getenv("PATH"), "head=env"}, Stdout: &out})
	var head, mine string
	s.Vars(map[string]*string{"head": &head, "mine": &mine})
	if head != "env" || mine != "" {
		t.Fatalf("Vars loaded head=%q mine=%q, want env and empty", head, mine)
	}
	head, mine = "changed", "unexported"
	s.Background(func(s *State) { s.Run("printenv", "head") })
	head = "later"
	s.Wait()
	s.Run("printenv", "head", "mine")
	if got, want := out.String(), "changed\nlater\n"; got != want {
		t.Errorf("programs printed %q, want %q", got, want)
	}
	if env := strings.Join(s.Environ(), " "); strings.Contains(env, "mine=") {
		t.Errorf("a name that was not exported reached the environment: %s", env)
	}
}

// TestLocalVarsUndone: a function's bound local hides the variable until
// it returns; a nested call's binding hides the caller's.
func TestLocalVarsUndone(t *testing.T) {
	s := NewState(Config{Name: "t", Env: []string{"v=env"}})
	var seen []string
	var f Func
	f = func(s *State) {
		v := s.Get("v")
		defer s.LocalVars(map[string]*string{"v": &v})()
		seen = append(seen, v)
		v = "local-" + s.Arg(1)
		seen = append(seen, strings.Join(s.Environ(), " "))
		if s.Arg(1) == "1" {
			s.Call(f, "2")
		}
	}
	s.Call(f, "1")
	want := []string{"env", "PWD=" + s.Dir() + " v=local-1", "local-1", "PWD=" + s.Dir() + " v=local-2"}
	if strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Errorf("seen %q, want %q", seen, want)
	}
	if got := s.Get("v"); got != "env" {
		t.Errorf("after the calls v=%q, want env", got)
	}
}
