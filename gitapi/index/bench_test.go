package index

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

// benchRepo is a repository of n files spread over nested directories,
// all added to the index, with file times an hour back so that no entry
// is racily clean (the steady state of a real work tree).
func benchRepo(b *testing.B, n int) *testRepo {
	b.Helper()
	r := newRepo(b)
	past := time.Now().Add(-time.Hour)
	for i := 0; i < n; i++ {
		p := fmt.Sprintf("d%d/e%d/f%d.txt", i%10, i%37, i)
		r.write(p, fmt.Sprintf("file %d\n", i))
		if err := os.Chtimes(r.dir+"/"+p, past, past); err != nil {
			b.Fatal(err)
		}
	}
	r.git("add", ".")
	return r
}

func spawnGit(b *testing.B, r *testRepo, args ...string) {
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// BenchmarkReadWrite5000 reads a 5,000-entry index under its lock and
// writes it back: the fixed cost of every index-changing operation.
func BenchmarkReadWrite5000(b *testing.B) {
	r := benchRepo(b, 5000)
	for b.Loop() {
		ix, err := OpenLocked(r.indexPath(), r.options())
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefresh5000 is "update-index --refresh" on a clean 5,000-file
// work tree: read, lstat every file, no write (nothing changed).
func BenchmarkRefresh5000(b *testing.B) {
	r := benchRepo(b, 5000)
	for b.Loop() {
		ix, err := OpenLocked(r.indexPath(), r.options())
		if err != nil {
			b.Fatal(err)
		}
		if ix.Refresh(RefreshOptions{}).Changed {
			err = ix.Commit()
		} else {
			ix.Rollback()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpawnGitRefresh5000 is the same refresh done by spawning git.
func BenchmarkSpawnGitRefresh5000(b *testing.B) {
	r := benchRepo(b, 5000)
	for b.Loop() {
		spawnGit(b, r, "update-index", "--refresh")
	}
}

// BenchmarkWriteTree1000 builds every tree of a 1,000-file index from
// scratch (no valid cache tree) and writes it back with the cache tree
// filled, objects already present as on any write-tree after the first.
func BenchmarkWriteTree1000(b *testing.B) {
	r := benchRepo(b, 1000)
	plain := r.indexBytes()
	writeTree := func() {
		if err := os.WriteFile(r.indexPath(), plain, 0o666); err != nil {
			b.Fatal(err)
		}
		ix, err := OpenLocked(r.indexPath(), r.options())
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := ix.WriteTree(r, r, WriteTreeOptions{}); err != nil {
			b.Fatal(err)
		}
		if err := ix.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	writeTree() // store the tree objects once
	for b.Loop() {
		writeTree()
	}
}

// BenchmarkSpawnGitWriteTree1000 spawns "git write-tree" on the same
// index, restored without its cache tree before each run.
func BenchmarkSpawnGitWriteTree1000(b *testing.B) {
	r := benchRepo(b, 1000)
	plain := r.indexBytes()
	spawnGit(b, r, "write-tree") // store the tree objects once
	for b.Loop() {
		if err := os.WriteFile(r.indexPath(), plain, 0o666); err != nil {
			b.Fatal(err)
		}
		spawnGit(b, r, "write-tree")
	}
}
