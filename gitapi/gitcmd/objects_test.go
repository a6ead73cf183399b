package gitcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestObjectCommandsAgainstGit compares cat-file, hash-object and the
// commit-tree paths that write nothing with real git.
func TestObjectCommandsAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	tree := strings.TrimSpace(f.Git(t, "repo", "rev-parse", "HEAD^{tree}"))
	runDiffCases(t, f, []diffCase{
		{dir: "repo", args: "cat-file -t HEAD"},
		{dir: "repo", args: "cat-file -t v1"},
		{dir: "repo", args: "cat-file -s HEAD"},
		{dir: "repo", args: "cat-file -p HEAD"},
		{dir: "repo", args: "cat-file -p v1"},
		{dir: "repo", args: "cat-file -p HEAD^{tree}"},
		{dir: "repo", args: "cat-file -p HEAD:a"},
		{dir: "repo", args: "cat-file -e HEAD"},
		{dir: "repo", args: "cat-file -e nosuch"},
		{dir: "repo", args: "cat-file -t nosuch"},
		{dir: "repo", args: "cat-file commit HEAD"},
		{dir: "repo", args: "cat-file tree HEAD"},
		{dir: "repo", args: "cat-file commit v1"},
		{dir: "repo", args: "cat-file blob HEAD"},
		{dir: "repo", args: "cat-file -h"},
		{dir: "repo", args: "hash-object --stdin", stdin: "hello\n"},
		{dir: "repo", args: "hash-object -t commit --stdin", stdin: "tree " + tree + "\n\nmsg\n"},
		{dir: "repo", args: "hash-object -t bogus --stdin", stdin: "x"},
		{dir: "repo", args: "hash-object --no-filters a"},
		{dir: "repo", args: "hash-object --no-filters missing"},
		{dir: "repo", args: "commit-tree"},
		{dir: "repo", args: "commit-tree -h"},
		{dir: "repo", args: "commit-tree " + tree + " " + tree},
		{dir: "repo", args: "commit-tree nosuch"},
		{dir: "repo", args: "commit-tree -p nosuch " + tree},
		{dir: "repo", args: "commit-tree HEAD"},
		{dir: "repo", args: "commit-tree -m"},
		{dir: "repo", args: "commit-tree --bogus " + tree},
		{dir: "repo", args: "commit-tree -F /nonexistent " + tree},
	})
}

// TestObjectFormsServed pins which argument forms the object commands
// serve in-process; the others go to the counted fallback.
func TestObjectFormsServed(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"cat-file", "-p", "HEAD"}, true},
		{[]string{"cat-file", "commit", "HEAD"}, true},
		{[]string{"cat-file", "-h"}, true},
		{[]string{"cat-file"}, false},
		{[]string{"cat-file", "-p"}, false},
		{[]string{"cat-file", "--batch-check", "x"}, false},
		{[]string{"commit-tree", "-m", "x", "T"}, true},
		{[]string{"commit-tree", "-S", "-m", "x", "T"}, false},
		{[]string{"hash-object", "--stdin"}, true},
		{[]string{"hash-object", "-t", "blob", "--no-filters", "file"}, true},
		{[]string{"hash-object", "file"}, true}, // handed to git when attributes may apply
		{[]string{"hash-object", "--stdin-paths"}, false},
		{[]string{"-C", "dir", "hash-object", "--stdin"}, true},
		{[]string{"no-such-command"}, false},
	} {
		if got := Serves(tt.args); got != tt.want {
			t.Errorf("Serves(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// TestObjectWritesAgainstGit writes objects with kiln first, then asks
// real git for the same on the same repository: git must print the same
// ids, find the objects valid (fsck) and read them back unchanged.
func TestObjectWritesAgainstGit(t *testing.T) {
	f := gittest.NewFixture(t)
	tree := strings.TrimSpace(f.Git(t, "repo", "rev-parse", "HEAD^{tree}"))
	f.Write(t, "repo/msg.txt", "from a file\n\nwith a body")
	latin1 := "caf\xe9 cr\xe8me\n"
	cases := []diffCase{
		{dir: "repo", args: "hash-object -w --stdin", stdin: "a new blob\n"},
		{dir: "repo", args: "hash-object -w --no-filters msg.txt"},
		{dir: "repo", args: "commit-tree -m one " + tree},
		{dir: "repo", argv: []string{"commit-tree", "-m", "subject", "-m", "body\n\n", "-p", "HEAD", tree}},
		{dir: "repo", args: "commit-tree -F msg.txt -m after -p HEAD " + tree},
		{dir: "repo", args: "commit-tree " + tree, stdin: "message from stdin\n"},
		{dir: "repo", args: "commit-tree " + tree, stdin: ""},
		{dir: "repo", args: "commit-tree -p HEAD -p HEAD -m dup " + tree},
		{dir: "repo", args: "commit-tree " + tree, stdin: latin1},
		{dir: "repo", args: "-c i18n.commitEncoding=ISO-8859-1 commit-tree " + tree, stdin: latin1},
		{dir: "repo", args: "commit-tree " + tree, stdin: "nul\x00inside\n"},
		// A name in Latin-1 keeps its bytes (i18n.commitEncoding set).
		{dir: "repo", args: "-c i18n.commitEncoding=ISO-8859-1 commit-tree -m latin1 " + tree,
			env: []string{"GIT_AUTHOR_NAME=J\xfcrgen <crud>"}},
		{dir: "repo", args: "commit-tree -m dated " + tree,
			env: []string{"GIT_AUTHOR_DATE=Thu, 7 Apr 2005 15:14:13 -0700", "GIT_COMMITTER_DATE=@1112911993 +0200"}},
	}
	for _, c := range cases {
		got := runKiln(f, c.dir, c.env, c.stdin, c.argList())
		want := f.RunGit(t, c.dir, c.env, c.stdin, c.argList())
		if got != want {
			t.Errorf("%s:\ngit:  status %d stdout %q stderr %q\nkiln: status %d stdout %q stderr %q",
				c.name(), want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
		}
		if got.Status == 0 {
			for _, id := range strings.Fields(got.Stdout) {
				f.Git(t, "repo", "cat-file", "-e", id)
			}
		}
	}
	f.Git(t, "repo", "fsck", "--strict", "--no-dangling")
	// Objects are read-only files in their fan-out directories, and no
	// temporary file is left behind.
	matches, _ := filepath.Glob(filepath.Join(f.Root, "repo/.git/objects/*/tmp_obj_*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
	id := strings.TrimSpace(runKiln(f, "repo", nil, "only kiln writes this\n", []string{"hash-object", "-w", "--stdin"}).Stdout)
	info, err := os.Stat(filepath.Join(f.Root, "repo/.git/objects", id[:2], id[2:]))
	if err != nil || info.Mode().Perm() != 0o444 {
		t.Errorf("loose object %s: %v, mode %v", id, err, info.Mode())
	}
	if out := f.Git(t, "repo", "cat-file", "-p", id); strings.TrimSpace(out) != "only kiln writes this" {
		t.Errorf("git reads back %q", out)
	}
}

// TestBrokenConfigAgainstGit: a command run in a repository reads its
// configuration first and dies on a broken file, as git's setup does;
// rev-parse --parseopt, answered before setup, does not.
func TestBrokenConfigAgainstGit(t *testing.T) {
	f := gittest.NewFixture(t)
	f.AppendFile(t, "repo/.git/config", "[broken\n")
	cases := []diffCase{
		{dir: "repo", args: "rev-parse --git-dir"},
		{dir: "repo", args: "rev-parse --parseopt -- --bogus", stdin: "x [options]\n--\nq quiet\n"},
		{dir: "repo", args: "cat-file -t HEAD"},
		{dir: "repo", args: "var GIT_EDITOR"},
	}
	for _, c := range cases {
		want := f.RunGit(t, c.dir, c.env, c.stdin, c.argList())
		got := runKiln(f, c.dir, c.env, c.stdin, c.argList())
		if got != want || (want.Status != 128 && c.argList()[1] != "--parseopt") {
			t.Errorf("%s:\ngit:  status %d stderr %q\nkiln: status %d stderr %q", c.name(), want.Status, want.Stderr, got.Status, got.Stderr)
		}
	}
}

// TestWriteTreeAgainstGit runs kiln's write-tree first, then git's, on
// the same repository: same ids, messages and status.
func TestWriteTreeAgainstGit(t *testing.T) {
	f := gittest.NewFixture(t)
	f.Write(t, "repo/dir/sub/x", "x\n")
	f.Git(t, "repo", "add", "dir")
	for _, args := range []string{"write-tree", "write-tree --prefix=dir/", "write-tree --prefix=dir/sub/",
		"write-tree --prefix=nosuch/", "write-tree extra", "write-tree -h", "write-tree --bogus"} {
		c := diffCase{dir: "repo", args: args}
		got := runKiln(f, c.dir, nil, "", c.argList())
		want := f.RunGit(t, c.dir, nil, "", c.argList())
		if got != want {
			t.Errorf("%s:\ngit:  %d %q %q\nkiln: %d %q %q", args, want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
		}
	}
	// A blob that is not in the repository: refused, unless --missing-ok.
	f.Git(t, "repo", "update-index", "--add", "--cacheinfo", "100644,0123456789012345678901234567890123456789,ghost")
	for _, args := range []string{"write-tree", "write-tree --missing-ok"} {
		c := diffCase{dir: "repo", args: args}
		got := runKiln(f, c.dir, nil, "", c.argList())
		want := f.RunGit(t, c.dir, nil, "", c.argList())
		if got != want {
			t.Errorf("%s:\ngit:  %d %q %q\nkiln: %d %q %q", args, want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
		}
	}
}
