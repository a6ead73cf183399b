package gitcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// treeFixture builds a repository "trees" whose commit holds nested
// directories, a submodule (gitlink), a symlink, an executable, and
// names git quotes (tab, quote, backslash, newline, UTF-8, a space);
// its objects are packed but for the last commit's.
func treeFixture(t *testing.T) *gittest.Fixture {
	t.Helper()
	f := gittest.NewDir(t)
	f.Write(t, "plain/.keep", "")
	f.Git(t, "", "init", "-q", "-b", "main", "trees")
	for _, name := range []string{
		"a", "exe", "sub/b", "sub/deep/c", "sub/deep/d", "sub/x.txt", "subway", "sub-file",
		"odd dir/tab\tq\"x", "odd dir/back\\slash", "odd dir/new\nline", "odd dir/caf\u00e9", "odd dir/del\x7fx", "-", "z/y/x/w",
	} {
		f.Write(t, "trees/"+name, name+"\n")
	}
	if err := os.Chmod(filepath.Join(f.Root, "trees/exe"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a", filepath.Join(f.Root, "trees/link")); err != nil {
		t.Fatal(err)
	}
	f.Git(t, "trees", "add", "--", ".")
	f.Git(t, "trees", "update-index", "--add", "--cacheinfo", "160000,0123456789012345678901234567890123456789,sm")
	f.Git(t, "trees", "update-index", "--add", "--cacheinfo", "160000,1123456789012345678901234567890123456789,sub/sm2")
	f.Git(t, "trees", "commit", "-q", "-m", "first")
	f.Git(t, "trees", "tag", "-a", "-m", "a tag", "t1")
	f.Git(t, "trees", "repack", "-q", "-a", "-d")
	f.Write(t, "trees/sub/deep/e", "e\n")
	f.Git(t, "trees", "add", "sub")
	f.Git(t, "trees", "commit", "-q", "-m", "second")
	return f
}

// TestLsTreeAgainstGit compares ls-tree's listings, flags, paths (from
// the top and from subdirectories) and errors with real git.
func TestLsTreeAgainstGit(t *testing.T) {
	f := treeFixture(t)
	var cases []diffCase
	flagSets := []string{"", "-r", "-t", "-d", "-r -t", "-d -r", "-d -t", "--name-only", "-r --name-only -z", "-z",
		"--full-name", "--full-tree", "-r --full-tree", "-l", "-r -l", "--object-only", "--abbrev", "--abbrev=4 -r",
		"--name-status", "--full-name -r", "--no-full-name", "--no-full-tree"}
	pathSets := map[string][]string{
		"trees": {"", "a", "sub", "sub/", "sub/deep", "sub/deep/", "sub/deep/c", "su", "sub/nosuch", "a/", "sm", "sm/",
			"sm/x", "link", "odd dir", "odd dir/", ".", "./sub/../a", "sub//deep", "z/y", "z/y/", "a sub/deep a",
			"-- -", "sub/sm2", "sub/sm2/", "sub-file subway", "sub*"},
		"trees/sub":      {"", ".", "..", "../a", "../sub", "../sub/", "deep", "deep/", "deep/c", "../odd dir", "../sm", "sm2", "../../x"},
		"trees/sub/deep": {"", ".", "..", "../..", "../../a", "c ../b", "../../../x"},
	}
	for dir, paths := range pathSets {
		for _, flags := range flagSets {
			for _, p := range paths {
				cases = append(cases, diffCase{dir: dir, args: "ls-tree " + flags + " HEAD " + p})
			}
		}
	}
	root := f.Root + "/trees"
	for _, args := range []string{
		"ls-tree", "ls-tree -h", "ls-tree --bogus HEAD", "ls-tree nosuch", "ls-tree HEAD:a", "ls-tree HEAD:sub",
		"ls-tree HEAD~1", "ls-tree t1", "ls-tree HEAD^{tree} sub", "ls-tree -r t1 sub", "ls-tree HEAD:sub deep",
		"ls-tree --abbrev=x HEAD", "ls-tree --abbrev=0 HEAD", "ls-tree --abbrev=50 HEAD", "ls-tree --no-abbrev HEAD",
		"ls-tree --abbrev=2 HEAD", "ls-tree -l --name-only HEAD", "ls-tree --object-only --name-only HEAD",
		"ls-tree --no-long HEAD", "ls-tree --no-r HEAD", "ls-tree -rt HEAD", "ls-tree -dr HEAD", "ls-tree -rz HEAD",
		"ls-tree nosuch a", "ls-tree HEAD:a ../x", "ls-tree HEAD " + root, "ls-tree HEAD " + root + "/sub/deep",
		"ls-tree HEAD " + root + "/sub/", "ls-tree HEAD /nowhere", "ls-tree -r HEAD a -- sub",
	} {
		cases = append(cases, diffCase{dir: "trees", args: args})
	}
	cases = append(cases,
		diffCase{dir: "trees", argv: []string{"ls-tree", "HEAD", ""}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "-r", "HEAD", "odd dir/tab\tq\"x"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "HEAD", "odd dir/caf\u00e9"}},
		diffCase{dir: "trees/sub", argv: []string{"ls-tree", "-r", "HEAD", "../odd dir/"}},
		diffCase{dir: "trees/odd dir", argv: []string{"ls-tree", "HEAD"}},
		diffCase{dir: "trees/odd dir", argv: []string{"ls-tree", "-r", "-t", "HEAD", ".."}},
		diffCase{dir: "trees/.git", args: "ls-tree HEAD"},
		diffCase{dir: "trees", argv: []string{"ls-tree", "-r", "--format=%(objectmode) %(objecttype) %(objectname) %(objectsize) %(objectsize:padded)%x09%(path)|%%|%x41|%n|", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "-r", "-z", "--format=%(path)|", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "-r", "-z", "--format=%(path)", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "-r", "--format=%(objectmode) %(objecttype) %(objectname)%x09%(path)", "-z", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=%(objectname)", "--abbrev=5", "-d", "-r", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=%(objectmode) %(objecttype) %(objectname) %(objectsize:padded)%x09%(path)", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"-c", "core.quotePath=false", "ls-tree", "-r", "--format=[%(path)]", "HEAD"}},
		diffCase{dir: "trees/sub", argv: []string{"ls-tree", "--format=%(path) %(objecttype)", "HEAD", "../a", "deep"}},
		diffCase{dir: "trees/sub", argv: []string{"ls-tree", "--full-name", "--format=%(path)!", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=%(bogus)", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=x%(path", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=%z", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=%x4", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=%", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=%(bogus)", "HEAD", "nosuch"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--format=x", "-l", "HEAD"}},
		diffCase{dir: "trees", argv: []string{"ls-tree", "--name-only", "--format=%(path)", "HEAD"}},
		diffCase{dir: "trees", args: "-c core.quotePath=false ls-tree -r HEAD"},
		diffCase{dir: "trees", args: "-c core.quotePath=off ls-tree -r --name-only HEAD odd"},
		diffCase{dir: "trees", args: "-c core.quotePath=bogus ls-tree HEAD"},
		diffCase{dir: "trees", args: "-c core.quotePath ls-tree -r HEAD"},
		diffCase{dir: "plain", args: "ls-tree HEAD"},
		diffCase{dir: "plain", args: "ls-tree --bogus"},
		diffCase{dir: "plain", args: "ls-tree -h"},
	)
	runDiffCases(t, f, cases)
}

// TestLsTreeFormsServed: pathspec magic goes to git.
func TestLsTreeFormsServed(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"ls-tree", "--full-name", "-r", "HEAD", "--", "x"}, true},
		{[]string{"ls-tree", ":sub", "x"}, true},
		{[]string{"ls-tree", "--format=%(path)", "HEAD"}, true},
		{[]string{"ls-tree", "HEAD", ":(glob)*.c"}, false},
		{[]string{"ls-tree", "HEAD", "--", ":/a"}, false},
		{[]string{"ls-tree", "-r", "HEAD@{2.days.ago}"}, false},
		{[]string{"ls-tree", "-r", "HEAD@{1}", "x"}, true},
	} {
		if got := Serves(tt.args); got != tt.want {
			t.Errorf("Serves(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// TestMkTreeAgainstGit feeds mktree the same input in kiln and in git,
// kiln first, on the same repository: same tree ids (so byte-identical
// objects), messages and statuses; git then finds the repository sound.
func TestMkTreeAgainstGit(t *testing.T) {
	f := treeFixture(t)
	id := func(rev string) string { return f.Git(t, "trees", "rev-parse", rev) }
	blob, tree, commit := id("HEAD:a"), id("HEAD:sub"), id("HEAD")
	missing := "0123456789abcdef0123456789abcdef01234567"
	lsTop := f.GitStdin(t, "trees", "", "ls-tree", "HEAD") + "\n"
	lsSub := f.GitStdin(t, "trees", "", "ls-tree", "HEAD:odd dir") + "\n"
	lsZ := f.RunGit(t, "trees", nil, "", []string{"ls-tree", "-z", "HEAD:odd dir"}).Stdout
	reversed := reverseLines(lsTop)
	line := func(mode, typ, id, name string) string { return mode + " " + typ + " " + id + "\t" + name + "\n" }
	cases := []diffCase{
		{args: "mktree", stdin: lsTop},
		{args: "mktree", stdin: reversed},
		{args: "mktree", stdin: lsSub},
		{args: "mktree -z", stdin: lsZ},
		{args: "mktree", stdin: ""},
		{args: "mktree --batch", stdin: ""},
		{args: "mktree --batch", stdin: "\n"},
		{args: "mktree --batch", stdin: lsTop + "\n" + lsSub},
		{args: "mktree --batch", stdin: lsTop + "\n" + lsSub + "\n"},
		{args: "mktree --batch", stdin: lsTop + "\n\n" + lsSub},
		{args: "mktree", stdin: lsTop + "\n" + lsSub},
		{args: "mktree", stdin: strings.TrimSuffix(lsTop, "\n")},
		{args: "mktree", stdin: line("100644", "blob", blob, "a-") + line("040000", "tree", tree, "a") +
			line("100644", "blob", blob, "a0") + line("100644", "blob", blob, "a.c") + line("160000", "commit", missing, "a!")},
		{args: "mktree", stdin: line("100644", "blob", strings.ToUpper(blob), "upper")},
		{args: "mktree", stdin: line("100644", "blob", blob, `"q\tx\"\\\303\251"`)},
		{args: "mktree", stdin: line("100644", "blob", blob, `"bad\q"`)},
		{args: "mktree", stdin: line("100644", "blob", blob, `"unterminated`)},
		{args: "mktree", stdin: line("100644", "blob", blob, `"after" quote`)},
		{args: "mktree", stdin: line("100644", "blob", blob, "dir/file")},
		{args: "mktree", stdin: line("100644", "blob", missing, "gone")},
		{args: "mktree --missing", stdin: line("100644", "blob", missing, "gone")},
		{args: "mktree --missing --no-missing", stdin: line("100644", "blob", missing, "gone")},
		{args: "mktree", stdin: line("160000", "commit", missing, "sm")},
		{args: "mktree", stdin: line("160000", "commit", commit, "sm")},
		{args: "mktree", stdin: line("160000", "commit", blob, "sm")},
		{args: "mktree", stdin: line("100644", "tree", tree, "x")},
		{args: "mktree", stdin: line("040000", "blob", blob, "x")},
		{args: "mktree", stdin: line("100644", "blob", tree, "x")},
		{args: "mktree --missing", stdin: line("040000", "tree", blob, "x")},
		{args: "mktree", stdin: line("100644", "bogus", blob, "x")},
		{args: "mktree", stdin: line("100644", "tag", blob, "x")},
		{args: "mktree", stdin: line("x100644", "blob", blob, "x")},
		{args: "mktree", stdin: line("  +100644", "blob", blob, "x")},
		{args: "mktree", stdin: line("100644", "blob", blob[:39], "x")},
		{args: "mktree", stdin: "100644 blob " + blob + " x\n"},
		{args: "mktree", stdin: "100644blob " + blob + "\tx\n"},
		{args: "mktree", stdin: line("100644", "blob", blob, "cr\r")},
		{args: "mktree", stdin: line("100644", "blob", blob, "x") + "\n" + line("100644", "blob", blob, "y")},
		{args: "mktree", stdin: line("100644", "blob", blob, "nul\x00after")},
		{args: "mktree -h"},
		{args: "mktree --bogus"},
		{args: "mktree extra args", stdin: lsSub},
	}
	for _, c := range cases {
		c.dir = "trees"
		got := runKiln(f, c.dir, nil, c.stdin, c.argList())
		want := f.RunGit(t, c.dir, nil, c.stdin, c.argList())
		if got != want {
			t.Errorf("%s < %q:\ngit:  %d %q %q\nkiln: %d %q %q", c.name(), c.stdin, want.Status, want.Stdout, want.Stderr,
				got.Status, got.Stdout, got.Stderr)
		}
	}
	for _, args := range []string{"mktree", "mktree --bogus", "mktree -h"} {
		argv := strings.Fields(args)
		if got, want := runKiln(f, "plain", nil, "", argv), f.RunGit(t, "plain", nil, "", argv); got != want {
			t.Errorf("%s outside a repository:\ngit:  %v\nkiln: %v", args, want, got)
		}
	}
	f.Git(t, "trees", "fsck", "--strict", "--no-dangling")
	// Duplicate names are written as given (in input order), as git
	// does; fsck would object to that tree.
	dup := line("100644", "blob", blob, "dup") + line("100755", "blob", blob, "dup")
	if got, want := runKiln(f, "trees", nil, dup, []string{"mktree"}), f.RunGit(t, "trees", nil, dup, []string{"mktree"}); got != want {
		t.Errorf("duplicate names:\ngit:  %v\nkiln: %v", want, got)
	}
}

// reverseLines reverses the order of the lines of s.
func reverseLines(s string) string {
	lines := strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
	var b strings.Builder
	for i := len(lines) - 1; i >= 0; i-- {
		b.WriteString(strings.TrimSuffix(lines[i], "\n") + "\n")
	}
	return b.String()
}

// TestLsTreeMissingSubtreeAgainstGit: a subtree whose object is gone is
// reported, the listing stops, and the status is 1.
func TestLsTreeMissingSubtreeAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "m")
	f.Write(t, "m/d/f", "x\n")
	f.Write(t, "m/a", "y\n")
	f.Write(t, "m/z/g", "z\n")
	f.Git(t, "m", "add", ".")
	f.Git(t, "m", "commit", "-q", "-m", "x")
	sub := f.Git(t, "m", "rev-parse", "HEAD:d")
	if err := os.Remove(filepath.Join(f.Root, "m/.git/objects", sub[:2], sub[2:])); err != nil {
		t.Fatal(err)
	}
	runDiffCases(t, f, []diffCase{
		{dir: "m", args: "ls-tree -r HEAD"},
		{dir: "m", args: "ls-tree -r -t HEAD"},
		{dir: "m", args: "ls-tree HEAD d/"},
		{dir: "m", args: "ls-tree HEAD"},
		{dir: "m", args: "ls-tree -r HEAD z"},
	})
}
