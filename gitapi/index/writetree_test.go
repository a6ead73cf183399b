package index

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

type writeTreeCase struct {
	name  string
	setup func(r *testRepo)
	opts  WriteTreeOptions
}

func (c writeTreeCase) gitArgs() []string {
	args := []string{"write-tree"}
	if c.opts.MissingOK {
		args = append(args, "--missing-ok")
	}
	if c.opts.Prefix != "" {
		args = append(args, "--prefix="+c.opts.Prefix)
	}
	return args
}

func cacheInfo(r *testRepo, lines ...string) {
	r.gitIn(strings.Join(lines, "\n")+"\n", "update-index", "--index-info")
}

const missingBlob = "1111111111111111111111111111111111111111"

var writeTreeCases = []writeTreeCase{
	{name: "empty"},
	{name: "populated", setup: populate},
	{name: "sort-care", setup: func(r *testRepo) {
		for _, p := range []string{"s-t", "s.t", "s/x", "s/y/z", "s0", "s/-", "s/.x", "s/0", "t", "t.d/x", "t-d/x", "t0"} {
			r.write(p, p+"\n")
		}
		r.git("add", ".")
	}},
	{name: "gitlink-and-modes", setup: func(r *testRepo) {
		blob := strings.TrimSpace(r.gitIn("x\n", "hash-object", "-w", "--stdin"))
		cacheInfo(r,
			"160000 "+missingBlob+"\tmod/sub",
			"100755 "+blob+"\tbin/tool",
			"120000 "+blob+"\tbin/link",
			"100644 "+blob+"\tünïcode/名前")
	}},
	{name: "many-files", setup: func(r *testRepo) {
		blob := strings.TrimSpace(r.gitIn("x\n", "hash-object", "-w", "--stdin"))
		var lines []string
		for i := 0; i < 1000; i++ {
			lines = append(lines, fmt.Sprintf("100644 %s\td%d/e%d/f%d", blob, i%7, i%13, i))
		}
		cacheInfo(r, lines...)
	}},
	{name: "prefix", setup: populate, opts: WriteTreeOptions{Prefix: "dir/"}},
	{name: "prefix-nested", setup: populate, opts: WriteTreeOptions{Prefix: "dir/sub"}},
	{name: "prefix-missing", setup: populate, opts: WriteTreeOptions{Prefix: "nope/"}},
	{name: "unmerged", setup: func(r *testRepo) {
		populate(r)
		var lines []string
		for i := 0; i < 6; i++ {
			lines = append(lines, fmt.Sprintf("100644 %s 2\tu%d", blobAOf(r), i), fmt.Sprintf("100644 %s 3\tu%d", blobAOf(r), i))
		}
		cacheInfo(r, lines...)
	}},
	{name: "missing-object", setup: func(r *testRepo) {
		populate(r)
		cacheInfo(r, "100644 "+missingBlob+"\tdir/sub/missing")
	}},
	{name: "missing-ok", setup: func(r *testRepo) {
		populate(r)
		cacheInfo(r, "100644 "+missingBlob+"\tdir/sub/missing")
	}, opts: WriteTreeOptions{MissingOK: true}},
	{name: "intent-to-add", setup: func(r *testRepo) {
		populate(r)
		r.write("dir/ita", "x\n")
		r.write("allita/one", "x\n")
		r.git("add", "-N", "dir/ita", "allita/one")
	}},
	{name: "partly-valid-cache-tree", setup: func(r *testRepo) {
		populate(r)
		r.git("write-tree")
		r.write("dir/sub/deep.txt", "changed\n")
		r.write("dir/new/x", "x\n")
		os.Remove(r.dir + "/unicodé/naïve.txt")
		r.git("add", "-A")
	}},
	{name: "fully-valid-cache-tree", setup: func(r *testRepo) {
		populate(r)
		r.git("write-tree")
	}},
	{name: "v4-index", setup: func(r *testRepo) {
		populate(r)
		r.git("update-index", "--index-version", "4")
	}},
}

func blobAOf(r *testRepo) string {
	return strings.TrimSpace(r.gitIn("a\n", "hash-object", "-w", "--stdin"))
}

// TestWriteTreeMatchesGit compares WriteTree with "git write-tree" on
// the same index: output (the tree id), errors, exit code, and the index
// git leaves behind (with its filled-in cache tree).
func TestWriteTreeMatchesGit(t *testing.T) {
	for _, c := range writeTreeCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := newRepo(t)
			if c.setup != nil {
				c.setup(r)
			}
			indexExisted := fileExists(r.indexPath())
			var restore func()
			if indexExisted {
				restore = r.saveIndex()
			}
			gitOut, gitErr, gitCode := r.run("", c.gitArgs()...)
			gitIndex, _ := os.ReadFile(r.indexPath())
			if indexExisted {
				restore()
			} else {
				os.Remove(r.indexPath())
			}

			got := runOurWriteTree(t, r, c.opts)
			if want := fmt.Sprint(gitOut, "|", gitErr, "|", gitCode); got != want {
				t.Errorf("write-tree differs\n got: %q\nwant: %q", got, want)
			}
			ours, _ := os.ReadFile(r.indexPath())
			if !bytes.Equal(ours, gitIndex) {
				want, _ := Parse(gitIndex)
				got, _ := Parse(ours)
				t.Errorf("index differs from git's:\n got:\n%s\nwant:\n%s", describe(got), describe(want))
			}
			if gitCode == 0 {
				if out, errs, code := r.run("", "fsck", "--no-dangling", "--connectivity-only"); code != 0 && !c.opts.MissingOK {
					t.Errorf("git fsck: %d\n%s%s", code, out, errs)
				}
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// runOurWriteTree renders WriteTree's result as "stdout|stderr|code".
func runOurWriteTree(t *testing.T, r *testRepo, opts WriteTreeOptions) string {
	ix, err := OpenLocked(r.indexPath(), r.options())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Rollback()
	id, changed, err := ix.WriteTree(r, r, opts)
	var wte *WriteTreeError
	if errors.As(err, &wte) {
		var b strings.Builder
		for _, m := range wte.Messages {
			b.WriteString(m + "\n")
		}
		b.WriteString("fatal: " + wte.Fatal + "\n")
		if changed {
			t.Errorf("WriteTree failed but asks for the index to be written")
		}
		return fmt.Sprint("|", b.String(), "|", 128)
	}
	if err != nil {
		t.Fatal(err)
	}
	if changed {
		if err := ix.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("%x\n||0", id)
}
