package gitapi

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/apply"
)

// Each in-process benchmark here has beside it the git process it
// replaces (BenchmarkSpawn...), run on the same repository, so that the
// ratio of the two is the per-call saving. Benchmarks assert nothing.

// openResolveConfig is the hot path a builtin starts with: open the
// repository, resolve HEAD, read a configuration value.
func openResolveConfig(b *testing.B, f *fixture) {
	r, err := Open(Options{Dir: filepath.Join(f.root, "repo/sub"), Env: f.env})
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
	f := sharedFixture(b)
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
	f := sharedFixture(b)
	for b.Loop() {
		spawnGit(b, filepath.Join(f.root, "repo/sub"), f.env, nil, "rev-parse", "HEAD")
	}
}

// spawnGit runs the installed git once and fails the benchmark on error.
func spawnGit(b *testing.B, dir string, env []string, stdin []byte, args ...string) []byte {
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("git %v: %v", args, err)
	}
	return out
}

// benchRepo is a repository for the benchmarks that write: a 200-line
// file and 20 others in 4 directories, committed, and the patches that
// change the big file (forward, about 30 lines in 3 hunks) and change it
// back.
type benchRepo struct {
	dir            string
	env            []string
	forward, back  []byte
	forwardFile    string // forward patch, as a file for git apply
	backFile       string
	head, headTree string
}

func newBenchRepo(b *testing.B) *benchRepo {
	b.Helper()
	f := newFixtureDir(b)
	br := &benchRepo{dir: filepath.Join(f.root, "repo"), env: f.env}
	f.git(b, "", "init", "-q", "-b", "main", "repo")
	var lines []string
	for i := 1; i <= 200; i++ {
		lines = append(lines, "line "+strings.Repeat("x", i%17)+" "+string(rune('a'+i%26)))
	}
	base := strings.Join(lines, "\n") + "\n"
	f.write(b, "repo/big.txt", base)
	for i := 0; i < 20; i++ {
		f.write(b, filepath.Join("repo", "d"+string(rune('0'+i%4)), "f"+string(rune('a'+i))), "file\n")
	}
	f.git(b, "repo", "add", ".")
	f.git(b, "repo", "commit", "-q", "-m", "base")
	changed := append([]string{}, lines...)
	for _, at := range []int{20, 100, 180} {
		changed[at] = "changed " + changed[at]
		changed[at+1] = "changed " + changed[at+1]
		changed = append(changed[:at+3], append([]string{"added line"}, changed[at+3:]...)...)
	}
	f.write(b, "repo/big.txt", strings.Join(changed, "\n")+"\n")
	br.forward = []byte(f.git(b, "repo", "diff") + "\n")
	f.git(b, "repo", "add", "big.txt")
	f.write(b, "repo/big.txt", base)
	br.back = []byte(f.git(b, "repo", "diff") + "\n")
	f.git(b, "repo", "reset", "-q", "--hard")
	br.forwardFile, br.backFile = filepath.Join(f.root, "forward.diff"), filepath.Join(f.root, "back.diff")
	os.WriteFile(br.forwardFile, br.forward, 0o666)
	os.WriteFile(br.backFile, br.back, 0o666)
	br.head = f.git(b, "repo", "rev-parse", "HEAD")
	br.headTree = f.git(b, "repo", "rev-parse", "HEAD^{tree}")
	return br
}

func (br *benchRepo) open(b *testing.B) *Repo {
	r, err := Open(Options{Dir: br.dir, Env: br.env})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkWriteTree is `git write-tree` in-process on an opened
// repository (the cache tree valid after the first call, as after git's).
func BenchmarkWriteTree(b *testing.B) {
	br := newBenchRepo(b)
	r := br.open(b)
	for b.Loop() {
		if _, err := r.WriteTree(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpawnWriteTree spawns `git write-tree` on the same repository.
func BenchmarkSpawnWriteTree(b *testing.B) {
	br := newBenchRepo(b)
	for b.Loop() {
		spawnGit(b, br.dir, br.env, nil, "write-tree")
	}
}

// BenchmarkCommitTree writes a commit of HEAD's tree on HEAD in-process.
func BenchmarkCommitTree(b *testing.B) {
	br := newBenchRepo(b)
	r := br.open(b)
	tree, _ := ParseHash(br.headTree)
	head, _ := ParseHash(br.head)
	msg := []byte("subject\n\nbody of the message\n")
	for b.Loop() {
		if _, _, err := r.CommitTree(tree, []Hash{head}, msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpawnCommitTree spawns `git commit-tree` for the same commit.
func BenchmarkSpawnCommitTree(b *testing.B) {
	br := newBenchRepo(b)
	for b.Loop() {
		spawnGit(b, br.dir, br.env, []byte("subject\n\nbody of the message\n"), "commit-tree", br.headTree, "-p", br.head)
	}
}

// BenchmarkApplyIndex is `git apply --index` of a ~30-line, 3-hunk patch
// through Repo.ApplyIndex (lock, check against index and work tree, write
// both); iterations alternate the patch and its inverse so that each
// starts from the state the previous one left.
func BenchmarkApplyIndex(b *testing.B) {
	br := newBenchRepo(b)
	r := br.open(b)
	patches := [][]byte{br.forward, br.back}
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
	br := newBenchRepo(b)
	files := []string{br.forwardFile, br.backFile}
	i := 0
	for b.Loop() {
		spawnGit(b, br.dir, br.env, nil, "apply", "--index", files[i%2])
		i++
	}
}

// benchMail is a format-patch mail of the forward patch.
func benchMail(br *benchRepo) []byte {
	return []byte("From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n" +
		"From: A U Thor <author@example.com>\nDate: Thu, 7 Apr 2005 15:13:13 -0700\n" +
		"Subject: [PATCH 1/3] big: change three places\n\nThe body of the message,\nover two lines.\n\n" +
		"Signed-off-by: A U Thor <author@example.com>\n---\n big.txt | 9 ++++++---\n 1 file changed\n\n" +
		string(br.forward) + "-- \n2.39.5\n\n")
}

// BenchmarkMailinfo is `kiln git mailinfo msg patch < mail`: the argv
// face, files written, info on stdout.
func BenchmarkMailinfo(b *testing.B) {
	br := newBenchRepo(b)
	mail := benchMail(br)
	opts := Options{Dir: br.dir, Env: br.env}
	var out, errb bytes.Buffer
	for b.Loop() {
		out.Reset()
		if Run([]string{"mailinfo", "../msg", "../patch"}, opts, Stdio{In: bytes.NewReader(mail), Out: &out, Err: &errb}) != 0 {
			b.Fatalf("mailinfo: %s", errb.String())
		}
	}
}

// BenchmarkSpawnMailinfo spawns `git mailinfo` on the same mail.
func BenchmarkSpawnMailinfo(b *testing.B) {
	br := newBenchRepo(b)
	mail := benchMail(br)
	for b.Loop() {
		spawnGit(b, br.dir, br.env, mail, "mailinfo", "../msg", "../patch")
	}
}
