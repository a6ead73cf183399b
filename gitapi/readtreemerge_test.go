package gitapi

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadTreeMerge3Typed calls ReadTreeMerge2 and ReadTreeMerge3
// directly: the index each leaves is the one `git read-tree -i -m`
// leaves (ls-files -s), with --aggressive and without; a
// directory/file conflict is a *MergeUnservedError and an unmerged index
// ErrUnmergedIndex, the index file unchanged by either.
func TestReadTreeMerge3Typed(t *testing.T) {
	_, dir, env := twinRepos(t, map[string]string{"a": "a\n", "b": "b\n", "c": "c\n", "f": "f\n"})
	sh := func(args ...string) string { t.Helper(); return runIn(t, dir, env, args[0], args[1:]...) }
	sh("git", "branch", "base")
	sh("git", "branch", "df")
	sh("sh", "-ec", "echo a2 >a; git rm -q b; echo n >n; git commit -qam ours; git add n; git commit -qm n")
	sh("sh", "-ec", "git checkout -q -b theirs base; echo a3 >a; git rm -q c; git rm -q f; git commit -qam theirs; git checkout -q main")
	sh("sh", "-ec", "git checkout -q df; git rm -q f; mkdir f; echo g >f/g; git add f; git commit -qm df; git checkout -q main")
	r, err := Open(Options{Dir: dir, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	rev := func(name string) Hash {
		h, err := r.Resolve(name)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	indexFile := filepath.Join(dir, ".git", "index")
	for _, aggressive := range []bool{false, true} {
		for _, trees := range [][]string{{"base", "main", "theirs"}, {"main", "theirs"}} {
			args := []string{"read-tree", "-i", "-m"}
			if aggressive {
				args = append(args, "--aggressive")
			}
			want := runIn(t, dir, append(env, "GIT_INDEX_FILE=.git/git-index"), "sh", "-ec",
				"cp .git/index .git/git-index; git "+strings.Join(append(args, trees...), " ")+"; git ls-files -s")
			saved, _ := os.ReadFile(indexFile)
			l, err := r.LockIndex()
			if err != nil {
				t.Fatal(err)
			}
			o := ReadTreeOptions{IndexOnly: true, Aggressive: aggressive}
			if len(trees) == 3 {
				err = r.ReadTreeMerge3(l.Index(), rev(trees[0]), rev(trees[1]), rev(trees[2]), o)
			} else {
				err = r.ReadTreeMerge2(l.Index(), rev(trees[0]), rev(trees[1]), o)
			}
			if err != nil {
				l.Rollback()
				t.Fatalf("%v aggressive=%t: %v", trees, aggressive, err)
			}
			if err := l.Commit(); err != nil {
				t.Fatal(err)
			}
			if got := sh("git", "ls-files", "-s"); got != want {
				t.Errorf("%v aggressive=%t: index\n%s\ngit's\n%s", trees, aggressive, got, want)
			}
			if err := os.WriteFile(indexFile, saved, 0o666); err != nil {
				t.Fatal(err)
			}
		}
	}
	before, _ := os.ReadFile(indexFile)
	l, err := r.LockIndex()
	if err != nil {
		t.Fatal(err)
	}
	var unserved *MergeUnservedError
	if err := r.ReadTreeMerge3(l.Index(), rev("base"), rev("main"), rev("df"), ReadTreeOptions{Update: true}); !errors.As(err, &unserved) {
		t.Errorf("directory/file conflict: %v, want a *MergeUnservedError", err)
	}
	l.Rollback()
	sh("git", "read-tree", "-m", "base", "main", "theirs")
	unmerged, _ := os.ReadFile(indexFile)
	if bytes.Equal(before, unmerged) {
		t.Fatal("the 3-way merge left no conflict")
	}
	if l, err = r.LockIndex(); err != nil {
		t.Fatal(err)
	}
	if err := r.ReadTreeMerge2(l.Index(), rev("main"), rev("theirs"), ReadTreeOptions{}); !errors.Is(err, ErrUnmergedIndex) {
		t.Errorf("unmerged index: %v, want ErrUnmergedIndex", err)
	}
	l.Rollback()
	if after, _ := os.ReadFile(indexFile); !bytes.Equal(after, unmerged) {
		t.Error("the index file changed")
	}
}
