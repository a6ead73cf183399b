package gitapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/apply"
)

// TestHeldIndexAgainstGit applies a series of patches, each a step of
// LockIndex, Apply, WriteTree and Commit on an index a Session holds
// (quiltimport's steps), in one repository, and with git apply --index
// -C1 and git write-tree in its twin. After every step the session
// flushes and git must see the same index, work tree and tree on both
// sides; the next step goes on from memory, with the lock still held,
// except after git itself changed the index (the session invalidated
// first, as Fallback does), which the next step must see.
func TestHeldIndexAgainstGit(t *testing.T) {
	files := map[string]string{"a.txt": "one\ntwo\nthree\n", "dir/b.txt": "x\ny\n"}
	gitDir, kilnDir, env := twinRepos(t, files)
	s := NewSession()
	r, err := Open(Options{Dir: kilnDir, Env: env, Session: s})
	if err != nil {
		t.Fatal(err)
	}
	s.HoldIndex(r.IndexFile())
	lockFile := filepath.Join(kilnDir, ".git", "index.lock")
	steps := []struct {
		name, patch string
		between     []string // a git command run on both sides after the step
	}{
		{"modify", "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n", nil},
		{"add", "diff --git a/c.txt b/c.txt\nnew file mode 100644\n--- /dev/null\n+++ b/c.txt\n@@ -0,0 +1 @@\n+c\n", []string{"rm", "-q", "--cached", "dir/b.txt"}},
		{"modify-again", "diff --git a/c.txt b/c.txt\n--- a/c.txt\n+++ b/c.txt\n@@ -1 +1,2 @@\n c\n+d\n", nil},
	}
	for _, step := range steps {
		patchFile := filepath.Join(t.TempDir(), "p.diff")
		if err := os.WriteFile(patchFile, []byte(step.patch), 0o644); err != nil {
			t.Fatal(err)
		}
		runIn(t, gitDir, env, "git", "apply", "--index", "-C1", patchFile)
		want := strings.TrimSpace(runIn(t, gitDir, env, "git", "write-tree"))

		l, err := r.LockIndex()
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if _, err := l.Apply([]byte(step.patch), apply.Options{MinContext: 1, MinContextGiven: true, InputName: patchFile}); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		got, err := l.WriteTree()
		if err := l.Commit(); err != nil {
			t.Fatal(err)
		}
		if err != nil || got.String() != want {
			t.Errorf("%s: tree %s (%v), git %s", step.name, got, err, want)
		}
		// Committed, the step's index is memory's; the file's lock
		// stays taken.
		if _, err := os.Stat(lockFile); err != nil {
			t.Errorf("%s: index.lock not held after the step: %v", step.name, err)
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		if step.between != nil {
			if err := s.Invalidate(); err != nil {
				t.Fatal(err)
			}
			runIn(t, gitDir, env, "git", step.between...)
			runIn(t, kilnDir, env, "git", step.between...)
		}
		// (git status without its optional index write, which would
		// change the file the next step checks.)
		for _, args := range [][]string{{"ls-files", "-s"}, {"--no-optional-locks", "status", "--porcelain"}, {"diff-files", "--name-status"}} {
			if g, kk := runIn(t, gitDir, env, "git", args...), runIn(t, kilnDir, env, "git", args...); g != kk {
				t.Errorf("%s: git %v:\ngit side:\n%s\nkiln side:\n%s", step.name, args, g, kk)
			}
		}
	}
	// A failed step leaves the index as it was, and the lock free.
	l, err := r.LockIndex()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Apply([]byte("diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-nope\n+no\n"), apply.Options{}); err == nil {
		t.Fatal("a patch that does not apply applied")
	}
	l.Rollback()
	if _, err := os.Stat(filepath.Join(kilnDir, ".git", "index.lock")); !os.IsNotExist(err) {
		t.Errorf("index.lock after Rollback: %v", err)
	}
	if g, kk := runIn(t, gitDir, env, "git", "ls-files", "-s"), runIn(t, kilnDir, env, "git", "ls-files", "-s"); g != kk {
		t.Errorf("after a failed step:\ngit side:\n%s\nkiln side:\n%s", g, kk)
	}
}
