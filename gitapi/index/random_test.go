package index

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// randomPaths are names chosen to collide: files and directories of
// the same name, and neighbours in git's sort order.
var randomPaths = []string{"a", "a-b", "a.b", "a0", "a/b", "a/c", "a/b/c", "a/b/d", "b", "b/a", "b/a/a", "c/d/e", "c/d", "c"}

func randomLine(rng *rand.Rand, blobs []string) string {
	path := randomPaths[rng.IntN(len(randomPaths))]
	if rng.IntN(6) == 0 {
		return "0 " + strings.Repeat("0", 40) + "\t" + path
	}
	mode := []string{"100644", "100755", "120000", "160000"}[rng.IntN(4)]
	blob := blobs[rng.IntN(len(blobs))]
	switch rng.IntN(4) {
	case 0:
		return fmt.Sprintf("%s %s %d\t%s", mode, blob, 1+rng.IntN(3), path)
	case 1:
		return fmt.Sprintf("%s blob %s\t%s", mode, blob, path)
	default:
		return fmt.Sprintf("%s %s\t%s", mode, blob, path)
	}
}

// TestRandomUpdatesMatchGit applies seeded random batches of
// --index-info lines and --cacheinfo additions (with and without --add
// and --replace) on top of an index with a full cache tree (in versions
// 2, 3 and 4), with git and with this package, and compares the index
// bytes and messages; then write-tree on the result.
func TestRandomUpdatesMatchGit(t *testing.T) {
	r := newRepo(t)
	var blobs []string
	for i := 0; i < 3; i++ {
		blobs = append(blobs, strings.TrimSpace(r.gitIn(fmt.Sprintf("blob %d\n", i), "hash-object", "-w", "--stdin")))
	}
	base := "100644 " + blobs[0] + "\ta.b\n100644 " + blobs[1] + "\ta/b/c\n100755 " + blobs[2] + "\tc/d/e\n100644 " + blobs[0] + "\tb/a/a\n"
	for seed := uint64(0); seed < 120; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		os.Remove(r.indexPath())
		r.gitIn(base, "update-index", "--index-info")
		switch seed % 3 {
		case 1:
			r.git("update-index", "--index-version", "4")
		case 2:
			r.git("update-index", "--skip-worktree", "a.b") // extended flags: v3
		}
		r.git("write-tree")
		restore := r.saveIndex()

		var lines []string
		for n := rng.IntN(8); n >= 0; n-- {
			lines = append(lines, randomLine(rng, blobs))
		}
		stdin := strings.Join(lines, "\n") + "\n"
		args := []string{"update-index"}
		if rng.IntN(2) == 0 {
			args = append(args, "--add")
		}
		if rng.IntN(2) == 0 {
			args = append(args, "--replace")
		}
		type cacheinfo struct {
			mode uint32
			id   string
			path string
		}
		var adds []cacheinfo
		for n := rng.IntN(3); n >= 0; n-- {
			c := cacheinfo{[]uint32{0o100644, 0o100755}[rng.IntN(2)], blobs[rng.IntN(3)], randomPaths[rng.IntN(len(randomPaths))]}
			adds = append(adds, c)
			args = append(args, "--cacheinfo", fmt.Sprintf("%o,%s,%s", c.mode, c.id, c.path))
		}
		args = append(args, "--index-info")

		gitOut, gitErr, gitCode := r.run(stdin, args...)
		want := r.indexBytes()
		restore()

		opts := UpdateOptions{Add: contains(args, "--add"), Replace: contains(args, "--replace")}
		res := &ourResult{}
		ix, err := OpenLocked(r.indexPath(), r.options())
		if err != nil {
			t.Fatal(err)
		}
		err = nil
		for _, c := range adds {
			if err = ix.CacheInfo(c.mode, parseID(t, c.id), c.path, 0, opts); err != nil {
				break
			}
		}
		if err == nil {
			var stderr strings.Builder
			err = ix.IndexInfo(strings.NewReader(stdin), false, &stderr)
			res.stderr += stderr.String()
		}
		if err != nil {
			res.fail(err)
			ix.Rollback()
		} else if ix.Modified() {
			if err := ix.Commit(); err != nil {
				t.Fatal(err)
			}
		} else {
			ix.Rollback()
		}
		got := r.indexBytes()
		if fmt.Sprint(res.stdout, "|", res.stderr, "|", res.code) != fmt.Sprint(gitOut, "|", gitErr, "|", gitCode) || !bytes.Equal(got, want) {
			g, _ := Parse(got)
			w, _ := Parse(want)
			t.Fatalf("seed %d: git %q\nstdin:\n%s\nours: %q|%q|%d\ngit:  %q|%q|%d\nindex ours:\n%s\nindex git:\n%s",
				seed, args, stdin, res.stdout, res.stderr, res.code, gitOut, gitErr, gitCode, describe(g), describe(w))
		}
		compareWriteTree(t, r, fmt.Sprintf("seed %d", seed))
	}
}

// compareWriteTree runs "git write-tree" and WriteTree on the current
// index and compares their results and the index each leaves.
func compareWriteTree(t *testing.T, r *testRepo, label string) {
	t.Helper()
	restore := r.saveIndex()
	gitOut, gitErr, gitCode := r.run("", "write-tree")
	want := r.indexBytes()
	restore()
	got := runOurWriteTree(t, r, WriteTreeOptions{})
	if wantRes := fmt.Sprint(gitOut, "|", gitErr, "|", gitCode); got != wantRes {
		t.Fatalf("%s: write-tree: ours %q, git %q", label, got, wantRes)
	}
	if !bytes.Equal(r.indexBytes(), want) {
		t.Fatalf("%s: index after write-tree differs", label)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
