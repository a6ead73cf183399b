package gitapi

import (
	"path/filepath"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestSessionReplaceRefsActive checks the session's kept answer: it
// follows a replace ref the session writes or deletes, and one git
// writes outside once the session is invalidated.
func TestSessionReplaceRefsActive(t *testing.T) {
	f := gittest.NewFixture(t)
	s := NewSession()
	r, err := Open(Options{Dir: filepath.Join(f.Root, "repo"), Env: f.Env, Session: s})
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string, want bool) {
		t.Helper()
		if got := r.ReplaceRefsActive(); got != want {
			t.Errorf("%s: ReplaceRefsActive() = %v, want %v", when, got, want)
		}
		if got := openIn(t, f, "repo").ReplaceRefsActive(); got != want {
			t.Errorf("%s: without a session: %v, want %v", when, got, want)
		}
	}
	check("no replace refs", false)
	head, _ := r.Resolve("HEAD")
	parent, _ := r.Resolve("HEAD~1")
	name := "refs/replace/" + head.String()
	if err := r.UpdateRef(name, parent, &ZeroHash, ""); err != nil {
		t.Fatal(err)
	}
	check("after the session wrote one", true)
	if err := r.DeleteRef(name, &parent, ""); err != nil {
		t.Fatal(err)
	}
	check("after the session deleted it", false)
	f.Git(t, "repo", "replace", head.String(), parent.String())
	if err := s.Invalidate(); err != nil {
		t.Fatal(err)
	}
	r, err = Open(Options{Dir: filepath.Join(f.Root, "repo"), Env: f.Env, Session: s})
	if err != nil {
		t.Fatal(err)
	}
	check("after git replace and Invalidate", true)
	r2, err := Open(Options{Dir: filepath.Join(f.Root, "repo"), Env: append(append([]string{}, f.Env...), "GIT_NO_REPLACE_OBJECTS=1"), Session: s})
	if err != nil {
		t.Fatal(err)
	}
	if r2.ReplaceRefsActive() {
		t.Errorf("GIT_NO_REPLACE_OBJECTS: the session kept another environment's answer")
	}
}
