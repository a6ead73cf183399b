package gitcmd

import (
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestReplaceRefsAgainstGit: where replace refs are in effect, the
// commands that read objects through them give git's answers (handed to
// git, counted); with GIT_NO_REPLACE_OBJECTS they run in-process.
func TestReplaceRefsAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "repo")
	for _, name := range []string{"one", "two", "three"} {
		f.Write(t, "repo/"+name+".txt", name+"\n")
		f.Git(t, "repo", "add", name+".txt")
		f.Git(t, "repo", "commit", "-q", "-m", name)
	}
	f.Git(t, "repo", "checkout", "-q", "-b", "other", "HEAD~2")
	f.Write(t, "repo/other.txt", "other\n")
	f.Git(t, "repo", "add", "other.txt")
	f.Git(t, "repo", "commit", "-q", "-m", "other")
	f.Git(t, "repo", "checkout", "-q", "main")
	replaced := strings.TrimSpace(f.Git(t, "repo", "rev-parse", "HEAD~1"))
	f.Git(t, "repo", "replace", replaced, "other")
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
		before := gitapi.FallbackCount()
		got := runKiln(f, "repo", c.env, "", strings.Fields(c.args))
		if fell := gitapi.FallbackCount() != before; fell != c.fallback {
			t.Errorf("%s %v: fell back to git %v, want %v", c.args, c.env, fell, c.fallback)
		}
		want := f.RunGit(t, "repo", c.env, "", strings.Fields(c.args))
		if got != want {
			t.Errorf("%s %v:\ngit:  status %d stdout %q stderr %q\nkiln: status %d stdout %q stderr %q",
				c.args, c.env, want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
		}
	}
}
