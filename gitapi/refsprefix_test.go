package gitapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefsPrefixMatchesGit lists refs by prefix with Refs and with git
// for-each-ref in a repository with loose and packed refs, nested
// directories and a ref that is also a directory's name on the way: the
// walk that starts at the prefix's directory finds what git finds.
func TestRefsPrefixMatchesGit(t *testing.T) {
	dir, _, env := twinRepos(t, map[string]string{"a.txt": "a\n"})
	for _, args := range [][]string{
		{"branch", "topic"}, {"branch", "team/one"}, {"branch", "team/two/deep"},
		{"tag", "v1"}, {"pack-refs", "--all"}, {"branch", "team/loose"}, {"tag", "v2"},
	} {
		runIn(t, dir, env, "git", args...)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".git", "refs", "heads", "empty", "dir"), 0o777); err != nil {
		t.Fatal(err)
	}
	r, err := Open(Options{Dir: dir, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	for _, prefix := range []string{"", "refs/", "refs/heads/", "refs/heads/team/", "refs/heads/team/t", "refs/heads/te",
		"refs/heads/topic/", "refs/heads/main/", "refs/heads/empty/", "refs/tags/", "refs/nothing/", "refs/heads/team/two/"} {
		refs, err := r.Refs(prefix)
		if err != nil {
			t.Fatalf("%q: %v", prefix, err)
		}
		var got strings.Builder
		for _, ref := range refs {
			got.WriteString(ref.ID.String() + " " + ref.Name + "\n")
		}
		want := ""
		for _, line := range strings.SplitAfter(runIn(t, dir, env, "git", "for-each-ref", "--format=%(objectname) %(refname)"), "\n") {
			if _, name, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " "); ok && strings.HasPrefix(name, prefix) {
				want += line
			}
		}
		if got.String() != want {
			t.Errorf("Refs(%q):\n%s\ngit:\n%s", prefix, got.String(), want)
		}
	}
}
