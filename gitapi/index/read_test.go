package index

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lsFilesDebug renders entries like `git ls-files --stage --debug`.
func lsFilesDebug(ix *Index) string {
	var b strings.Builder
	for _, e := range ix.Entries {
		s := e.Stat
		fmt.Fprintf(&b, "%06o %x %d\t%s\n", e.Mode, e.ID, e.Stage, e.Path)
		fmt.Fprintf(&b, "  ctime: %d:%d\n  mtime: %d:%d\n", s.CtimeSec, s.CtimeNsec, s.MtimeSec, s.MtimeNsec)
		fmt.Fprintf(&b, "  dev: %d\tino: %d\n  uid: %d\tgid: %d\n", s.Dev, s.Ino, s.UID, s.GID)
		fmt.Fprintf(&b, "  size: %d\tflags: %x\n", s.Size, debugFlags(e))
	}
	return b.String()
}

// debugFlags is the in-memory flag word git's --debug prints.
func debugFlags(e *Entry) uint32 {
	f := uint32(e.Stage) << flagStageShift
	if e.AssumeValid {
		f |= flagAssumeValid
	}
	if e.extendedFlags() != 0 {
		f |= flagExtended
	}
	if e.IntentToAdd {
		f |= 1 << 29
	}
	if e.SkipWorktree {
		f |= 1 << 30
	}
	return f
}

type indexScenario struct {
	name  string
	setup func(r *testRepo)
}

func populate(r *testRepo) {
	r.write("a", "a\n")
	r.write("a-b", "ab\n")
	r.write("a.b", "a.b\n")
	r.write("a0", "a0\n")
	r.write("dir/sub/deep.txt", "deep\n")
	r.write("dir/file", "file\n")
	r.write("unicodé/naïve.txt", "u\n")
	if err := os.Symlink("a", r.dir+"/link"); err != nil {
		r.t.Fatal(err)
	}
	r.write("exe.sh", "#!/bin/sh\n")
	if err := os.Chmod(r.dir+"/exe.sh", 0o755); err != nil {
		r.t.Fatal(err)
	}
	r.git("add", ".")
	// A path longer than the 12-bit name length field, in the index
	// only (the file system would refuse it).
	blob := strings.TrimSpace(r.gitIn("long\n", "hash-object", "-w", "--stdin"))
	r.git("update-index", "--add", "--cacheinfo", "100644,"+blob+","+longPath)
}

var longPath = strings.Repeat(strings.Repeat("l", 254)+"/", 17) + "end"

var indexScenarios = []indexScenario{
	{"v2-plain", populate},
	{"v2-cache-tree", func(r *testRepo) { populate(r); r.git("write-tree") }},
	{"v2-invalidated-tree", func(r *testRepo) {
		populate(r)
		r.git("write-tree")
		r.write("dir/sub/deep.txt", "changed\n")
		r.git("add", "dir/sub/deep.txt")
	}},
	{"v3-extended", func(r *testRepo) {
		populate(r)
		r.git("update-index", "--skip-worktree", "a0")
		r.write("new", "n\n")
		r.git("add", "-N", "new")
	}},
	{"v4", func(r *testRepo) {
		populate(r)
		r.git("update-index", "--index-version", "4")
		r.git("write-tree")
	}},
	{"assume-valid", func(r *testRepo) { populate(r); r.git("update-index", "--assume-unchanged", "a") }},
	{"resolve-undo", func(r *testRepo) {
		populate(r)
		blob := strings.TrimSpace(r.gitIn("x\n", "hash-object", "-w", "--stdin"))
		r.gitIn(fmt.Sprintf("0 %s 0\tc\n100644 %s 1\tc\n100644 %s 2\tc\n100755 %s 3\tc\n",
			strings.Repeat("0", 40), blob, blob, blob), "update-index", "--index-info")
		r.write("c", "resolved\n")
		r.git("update-index", "--add", "c")
	}},
	{"untracked-cache", func(r *testRepo) {
		populate(r)
		r.write("untracked", "u\n")
		r.git("-c", "core.untrackedCache=true", "status", "--porcelain")
	}},
	{"unmerged", func(r *testRepo) {
		populate(r)
		blob := strings.TrimSpace(r.gitIn("x\n", "hash-object", "-w", "--stdin"))
		r.gitIn(fmt.Sprintf("100644 %s 1\tm\n100644 %s 3\tm\n", blob, blob), "update-index", "--index-info")
	}},
}

// TestReadMatchesGit parses indexes git wrote and checks every field
// against `git ls-files --stage --debug`, then that encoding them again
// gives git's bytes exactly.
func TestReadMatchesGit(t *testing.T) {
	for _, sc := range indexScenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			r := newRepo(t)
			sc.setup(r)
			data := r.indexBytes()
			ix, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			want := r.git("-c", "core.quotePath=false", "ls-files", "--stage", "--debug")
			if diff := cmp.Diff(strings.Split(want, "\n"), strings.Split(lsFilesDebug(ix), "\n")); diff != "" {
				t.Errorf("entries differ from git ls-files --debug (-git +ours):\n%s", diff)
			}
			if got := ix.Encode(); !bytes.Equal(got, data) {
				t.Errorf("re-encoded index differs from git's (%d vs %d bytes)", len(got), len(data))
			}
		})
	}
}
