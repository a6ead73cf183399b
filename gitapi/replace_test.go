package gitapi

import (
	"strings"
	"testing"
)

// TestReplaceRefsAgainstGit: where replace refs are in effect, the
// commands that read objects through them give git's answers (handed to
// git, counted); with GIT_NO_REPLACE_OBJECTS they run in-process.
func TestReplaceRefsAgainstGit(t *testing.T) {
	f := newFixtureDir(t)
	f.git(t, "", "init", "-q", "-b", "main", "repo")
	for _, name := range []string{"one", "two", "three"} {
		f.write(t, "repo/"+name+".txt", name+"\n")
		f.git(t, "repo", "add", name+".txt")
		f.git(t, "repo", "commit", "-q", "-m", name)
	}
	f.git(t, "repo", "checkout", "-q", "-b", "other", "HEAD~2")
	f.write(t, "repo/other.txt", "other\n")
	f.git(t, "repo", "add", "other.txt")
	f.git(t, "repo", "commit", "-q", "-m", "other")
	f.git(t, "repo", "checkout", "-q", "main")
	replaced := strings.TrimSpace(f.git(t, "repo", "rev-parse", "HEAD~1"))
	f.git(t, "repo", "replace", replaced, "other")
	for _, c := range []struct {
		args     string
		env      []string
		fallback bool
	}{
		{args: "cat-file commit " + replaced, fallback: true},
		{args: "cat-file -p HEAD~1", fallback: true},
		{args: "rev-parse HEAD~1^{tree}", fallback: true},
		{args: "ls-tree HEAD~1", fallback: true},
		{args: "for-each-ref --format=%(objectname)_%(subject)", fallback: true},
		{args: "cat-file commit " + replaced, env: []string{"GIT_NO_REPLACE_OBJECTS=1"}},
		{args: "rev-parse HEAD~1^{tree}", env: []string{"GIT_NO_REPLACE_OBJECTS=1"}},
		{args: "-c core.useReplaceRefs=false cat-file -p HEAD~1"},
		{args: "config core.bare"},
	} {
		before := FallbackCount()
		got := f.runKiln("repo", c.env, "", strings.Fields(c.args))
		if fell := FallbackCount() != before; fell != c.fallback {
			t.Errorf("%s %v: fell back to git %v, want %v", c.args, c.env, fell, c.fallback)
		}
		want := f.runGit(t, "repo", c.env, "", strings.Fields(c.args))
		if got != want {
			t.Errorf("%s %v:\ngit:  status %d stdout %q stderr %q\nkiln: status %d stdout %q stderr %q",
				c.args, c.env, want.status, want.stdout, want.stderr, got.status, got.stdout, got.stderr)
		}
	}
}
