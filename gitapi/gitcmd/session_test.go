package gitcmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestSessionHeldIndexAgainstGit runs filter-branch's sequence of index
// commands on a temporary index (GIT_INDEX_FILE) with git, and in-process
// in one gitapi.Session that holds the index in memory: every step's
// output is git's, index.lock is held while memory is ahead of the file
// (and not after Flush), and the index file the session writes at the
// end (or before a command that reads the file itself, or a spawned
// git) describes what git's does.
func TestSessionHeldIndexAgainstGit(t *testing.T) {
	f := indexOpsFixture(t)
	steps := [][]string{
		{"read-tree", "-i", "-m", "one"},
		{"rm", "-q", "--cached", "--ignore-unmatch", "secret.txt"},
		{"write-tree"},
		{"ls-files", "-s"},
		{"read-tree", "-i", "-m", "two"},
		{"rm", "--cached", "a.txt"},
		{"rm", "--cached", "nosuch"},
		{"write-tree"},
		// update-index reads the file itself: the session writes it
		// first and reads it again after.
		{"update-index", "--add", "--cacheinfo", "100644,e69de29bb2d1d6434b8b29ae775ad8c2e48c5391,empty.txt"},
		{"ls-files", "-s"},
		{"read-tree", "-i", "-m", "three"},
		// Not served (a glob): the spawned git sees the file.
		{"rm", "-q", "--cached", "*.txt"},
		{"ls-files", "-s"},
		{"write-tree"},
	}
	for _, name := range []string{"old", "new"} {
		if out, err := exec.Command("cp", "-a", filepath.Join(f.Root, "src"), filepath.Join(f.Root, name)).CombinedOutput(); err != nil {
			t.Fatalf("cp: %s", out)
		}
		if err := os.MkdirAll(filepath.Join(f.Root, name, ".git-rewrite", "t"), 0o777); err != nil {
			t.Fatal(err)
		}
	}
	env := func(name string) []string {
		return []string{"GIT_DIR=" + filepath.Join(f.Root, name, ".git"), "GIT_WORK_TREE=.",
			"GIT_INDEX_FILE=" + filepath.Join(f.Root, name, ".git-rewrite", "t", "..", "index")}
	}
	indexPath := filepath.Join(f.Root, "new", ".git-rewrite", "index")
	s := gitapi.NewSession()
	opts := gitapi.Options{Dir: filepath.Join(f.Root, "new", ".git-rewrite", "t"), Env: append(append([]string{}, f.Env...), env("new")...), Session: s}
	r, err := gitapi.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.IndexFile() != indexPath {
		t.Fatalf("index file %s, want %s", r.IndexFile(), indexPath)
	}
	s.HoldIndex(r.IndexFile())
	locked := func() bool {
		_, err := os.Stat(indexPath + ".lock")
		return err == nil
	}
	for i, args := range steps {
		want := f.RunGit(t, filepath.Join("old", ".git-rewrite", "t"), env("old"), "", args)
		var out, errb bytes.Buffer
		stdio := Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}
		var status int
		if Serves(args) {
			status = Run(args, opts, stdio)
		} else {
			// What shellrun does with a form no face serves.
			status = gitapi.Fallback(context.Background(), args, opts, stdio)
		}
		got := gittest.Result{Stdout: out.String(), Stderr: errb.String(), Status: status}
		if got != want {
			t.Errorf("step %d %v:\ngit:  %+v\nkiln: %+v", i, args, want, got)
		}
		if i == 1 && !locked() {
			t.Errorf("step %d %v: index.lock not held while memory is ahead of the file", i, args)
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if locked() {
		t.Errorf("index.lock still there after Flush")
	}
	ls := func(name string) gittest.Result {
		return f.RunGit(t, name, env(name), "", []string{"ls-files", "-s", "--debug"})
	}
	if got, want := ls("new"), ls("old"); got != want {
		t.Errorf("index after the run:\ngit:  %+v\nkiln: %+v", want, got)
	}
}
