package gitapi

import (
	"path/filepath"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"

	"github.com/kiln-dev/kiln/gitapi/apply"
)

// Each in-process benchmark here has beside it the git process it
// replaces (BenchmarkSpawn...), run on the same repository, so that the
// ratio of the two is the per-call saving. Benchmarks assert nothing.

// openResolveConfig is the hot path a builtin starts with: open the
// repository, resolve HEAD, read a configuration value.
func openResolveConfig(b *testing.B, f *gittest.Fixture) {
	r, err := Open(Options{Dir: filepath.Join(f.Root, "repo/sub"), Env: f.Env})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Resolve("HEAD"); err != nil {
		b.Fatal(err)
	}
	cfg, err := r.Config()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cfg.Bool("core.bare", false); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOpenResolveHEADConfig measures the hot path with the process
// cache warm ("cached": every open after the first, the normal case
// in-process) and with it emptied before each iteration ("cold": config
// parsed, packs opened, as a fresh process would).
func BenchmarkOpenResolveHEADConfig(b *testing.B) {
	f := gittest.Shared(b)
	b.Run("cached", func(b *testing.B) {
		openResolveConfig(b, f)
		b.ResetTimer()
		for b.Loop() {
			openResolveConfig(b, f)
		}
	})
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			cacheMu.Lock()
			clear(cache)
			cacheMu.Unlock()
			openResolveConfig(b, f)
		}
	})
}

// BenchmarkSpawnRevParseHEAD is the cost gitapi replaces: one
// `git rev-parse HEAD` process (which also opens the repository and
// reads its configuration).
func BenchmarkSpawnRevParseHEAD(b *testing.B) {
	f := gittest.Shared(b)
	for b.Loop() {
		gittest.SpawnGit(b, filepath.Join(f.Root, "repo/sub"), f.Env, nil, "rev-parse", "HEAD")
	}
}

// openBench opens the benchmark repository.
func openBench(b *testing.B, br *gittest.BenchRepo) *Repo {
	r, err := Open(Options{Dir: br.Dir, Env: br.Env})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkWriteTree is `git write-tree` in-process on an opened
// repository (the cache tree valid after the first call, as after git's).
func BenchmarkWriteTree(b *testing.B) {
	br := gittest.NewBenchRepo(b)
	r := openBench(b, br)
	for b.Loop() {
		if _, err := r.WriteTree(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpawnWriteTree spawns `git write-tree` on the same repository.
func BenchmarkSpawnWriteTree(b *testing.B) {
	br := gittest.NewBenchRepo(b)
	for b.Loop() {
		gittest.SpawnGit(b, br.Dir, br.Env, nil, "write-tree")
	}
}

// BenchmarkCommitTree writes a commit of HEAD's tree on HEAD in-process.
func BenchmarkCommitTree(b *testing.B) {
	br := gittest.NewBenchRepo(b)
	r := openBench(b, br)
	tree, _ := ParseHash(br.HeadTree)
	head, _ := ParseHash(br.Head)
	msg := []byte("subject\n\nbody of the message\n")
	for b.Loop() {
		if _, _, err := r.CommitTree(tree, []Hash{head}, msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpawnCommitTree spawns `git commit-tree` for the same commit.
func BenchmarkSpawnCommitTree(b *testing.B) {
	br := gittest.NewBenchRepo(b)
	for b.Loop() {
		gittest.SpawnGit(b, br.Dir, br.Env, []byte("subject\n\nbody of the message\n"), "commit-tree", br.HeadTree, "-p", br.Head)
	}
}

// BenchmarkApplyIndex is `git apply --index` of a ~30-line, 3-hunk patch
// through Repo.ApplyIndex (lock, check against index and work tree, write
// both); iterations alternate the patch and its inverse so that each
// starts from the state the previous one left.
func BenchmarkApplyIndex(b *testing.B) {
	br := gittest.NewBenchRepo(b)
	r := openBench(b, br)
	patches := [][]byte{br.Forward, br.Back}
	i := 0
	for b.Loop() {
		res, err := r.ApplyIndex(patches[i%2], apply.Options{})
		if err != nil {
			b.Fatalf("%v\n%s", err, res.Stderr)
		}
		i++
	}
}

// BenchmarkSpawnApplyIndex spawns `git apply --index` for the same
// alternating patches.
func BenchmarkSpawnApplyIndex(b *testing.B) {
	br := gittest.NewBenchRepo(b)
	files := []string{br.ForwardFile, br.BackFile}
	i := 0
	for b.Loop() {
		gittest.SpawnGit(b, br.Dir, br.Env, nil, "apply", "--index", files[i%2])
		i++
	}
}
