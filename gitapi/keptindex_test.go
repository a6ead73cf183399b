package gitapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/apply"
)

// TestKeptIndexAgainstGit applies a series of patches, each a step of
// Lock, Apply, WriteTree and Commit on one KeptIndex, in one repository,
// and with git apply --index -C1 and git write-tree in its twin; between
// two steps git itself changes the kept repository's index, which the
// next step must see. After every step git must see the same index,
// work tree and tree on both sides.
func TestKeptIndexAgainstGit(t *testing.T) {
	files := map[string]string{"a.txt": "one\ntwo\nthree\n", "dir/b.txt": "x\ny\n"}
	gitDir, kilnDir, env := twinRepos(t, files)
	r, err := Open(Options{Dir: kilnDir, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	k := r.KeepIndex()
	steps := []struct {
		name, patch string
		between     []string // a git command run on both sides after the step
	}{
		{"modify", "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n", nil},
		{"add", "diff --git a/c.txt b/c.txt\nnew file mode 100644\n--- /dev/null\n+++ b/c.txt\n@@ -0,0 +1 @@\n+c\n", []string{"rm", "-q", "--cached", "dir/b.txt"}},
		{"modify-again", "diff --git a/c.txt b/c.txt\n--- a/c.txt\n+++ b/c.txt\n@@ -1 +1,2 @@\n c\n+d\n", nil},
	}
	var kept *LockedIndex
	for i, s := range steps {
		patchFile := filepath.Join(t.TempDir(), "p.diff")
		if err := os.WriteFile(patchFile, []byte(s.patch), 0o644); err != nil {
			t.Fatal(err)
		}
		runIn(t, gitDir, env, "git", "apply", "--index", "-C1", patchFile)
		want := strings.TrimSpace(runIn(t, gitDir, env, "git", "write-tree"))

		l, err := k.Lock()
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		// Without a change by another process the index in memory is
		// the one the last step wrote.
		if i == 1 && l.Index() != kept.Index() {
			t.Errorf("%s: index read again though unchanged", s.name)
		}
		if i == 2 && l.Index() == kept.Index() {
			t.Errorf("%s: index kept though git changed it", s.name)
		}
		if _, err := l.Apply([]byte(s.patch), apply.Options{MinContext: 1, MinContextGiven: true, InputName: patchFile}); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, err := l.WriteTree()
		if err := k.Commit(l); err != nil {
			t.Fatal(err)
		}
		if err != nil || got.String() != want {
			t.Errorf("%s: tree %s (%v), git %s", s.name, got, err, want)
		}
		kept = l
		if s.between != nil {
			runIn(t, gitDir, env, "git", s.between...)
			runIn(t, kilnDir, env, "git", s.between...)
		}
		// (git status without its optional index write, which would
		// change the file the next step checks.)
		for _, args := range [][]string{{"ls-files", "-s"}, {"--no-optional-locks", "status", "--porcelain"}, {"diff-files", "--name-status"}} {
			if g, kk := runIn(t, gitDir, env, "git", args...), runIn(t, kilnDir, env, "git", args...); g != kk {
				t.Errorf("%s: git %v:\ngit side:\n%s\nkiln side:\n%s", s.name, args, g, kk)
			}
		}
	}
	// A failed step leaves the index as it was, and the lock free.
	l, err := k.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Apply([]byte("diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-nope\n+no\n"), apply.Options{}); err == nil {
		t.Fatal("a patch that does not apply applied")
	}
	k.Rollback(l)
	if _, err := os.Stat(filepath.Join(kilnDir, ".git", "index.lock")); !os.IsNotExist(err) {
		t.Errorf("index.lock after Rollback: %v", err)
	}
	if g, kk := runIn(t, gitDir, env, "git", "ls-files", "-s"), runIn(t, kilnDir, env, "git", "ls-files", "-s"); g != kk {
		t.Errorf("after a failed step:\ngit side:\n%s\nkiln side:\n%s", g, kk)
	}
}
