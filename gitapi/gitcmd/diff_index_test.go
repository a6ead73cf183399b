package gitcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// buildIndexFixture makes repository "ix" with real git in every state
// the index commands meet: staged and unstaged changes, new, deleted and
// re-moded files, symlinks, a type change, a conflicted merge, a
// populated submodule and an unpopulated gitlink, racily clean and
// stat-clean-but-changed files, untracked, ignored and nested content,
// and names git quotes.
func buildIndexFixture(t *testing.T) *gittest.Fixture {
	t.Helper()
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "subrepo")
	f.Write(t, "subrepo/s", "s\n")
	f.Git(t, "subrepo", "add", "s")
	f.Git(t, "subrepo", "commit", "-q", "-m", "sub one")

	f.Git(t, "", "init", "-q", "-b", "main", "ix")
	f.Git(t, "ix", "config", "core.trustctime", "false")
	for path, content := range map[string]string{
		"a": "a\n", "d/b": "b\n", "d/e/c": "c\n", "conf": "base\n", "gone": "gone\n", "mode": "m\n",
		"typ": "t\n", "tab\there": "quoted\n", "skip": "skip\n", "assume": "assume\n", "caf\xc3\xa9": "utf8\n", "d/stay": "stay\n",
	} {
		f.Write(t, "ix/"+path, content)
	}
	if err := os.Symlink("a", filepath.Join(f.Root, "ix/lnk")); err != nil {
		t.Fatal(err)
	}
	f.Git(t, "ix", "add", ".")
	f.Git(t, "ix", "commit", "-q", "-m", "one")
	f.Git(t, "ix", "checkout", "-q", "-b", "side")
	f.Write(t, "ix/conf", "side\n")
	f.Git(t, "ix", "commit", "-q", "-a", "-m", "side")
	f.Git(t, "ix", "checkout", "-q", "main")
	f.Write(t, "ix/conf", "main\n")
	f.Git(t, "ix", "commit", "-q", "-a", "-m", "main")
	// A populated submodule, its gitlink then behind its HEAD.
	f.Git(t, "", "clone", "-q", "subrepo", "ix/sub")
	f.Git(t, "ix", "-c", "advice.addEmbeddedRepo=false", "add", "sub")
	f.Git(t, "ix", "commit", "-q", "-m", "add sub")
	f.Write(t, "ix/sub/s", "s2\n")
	f.Git(t, "ix/sub", "commit", "-q", "-a", "-m", "sub two")
	// A real conflict.
	res := f.RunGit(t, "ix", nil, "", []string{"merge", "-q", "side"})
	if res.Status == 0 {
		t.Fatal("merge did not conflict")
	}
	// Staged and unstaged changes.
	f.Write(t, "ix/d/e/c", "c staged\n")
	f.Write(t, "ix/new", "new\n")
	f.Git(t, "ix", "add", "d/e/c", "new")
	f.Git(t, "ix", "update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("1", 40)+",ghost")
	f.Write(t, "ix/ita", "intent\n")
	f.Git(t, "ix", "add", "-N", "ita")
	f.Write(t, "ix/a", "a changed\n")
	os.Remove(filepath.Join(f.Root, "ix/gone"))
	os.Chmod(filepath.Join(f.Root, "ix/mode"), 0o755)
	os.Remove(filepath.Join(f.Root, "ix/typ"))
	os.Symlink("a", filepath.Join(f.Root, "ix/typ"))
	os.MkdirAll(filepath.Join(f.Root, "ix/ghost"), 0o777)
	// The index was last written above; "racy" is recorded with a
	// future mtime (racily clean: git checks its content), "stale" with
	// a past one (git trusts its stat data). Both then change content
	// but keep size, inode and mtime.
	makeRacy(f, t, "ix", "racy", time.Now().Add(48*time.Hour))
	makeRacy(f, t, "ix", "stale", time.Now().Add(-48*time.Hour))
	touch(f, t, "ix/d/stay") // stat changed, content not
	// Flagged entries: a skip-worktree file that is gone, an
	// assume-unchanged one that changed.
	f.Git(t, "ix", "update-index", "--skip-worktree", "skip")
	f.Git(t, "ix", "update-index", "--assume-unchanged", "assume")
	os.Remove(filepath.Join(f.Root, "ix/skip"))
	f.Write(t, "ix/assume", "assume changed\n")
	// Untracked content.
	f.Write(t, "ix/.gitignore", "*.o\nign/\n!keep.o\n**/deepign\nd/e/*.tmp\n\\#hash\n")
	f.Write(t, "ix/d/.gitignore", "# comment\n*.log\n!important.log\n/anch\nsub/**/x\ntrail  \n")
	for _, p := range []string{"d/a.log", "d/important.log", "d/anch", "d/e/anch", "d/sub/q/r/x", "d/sub/x", "d/sub/y",
		"d/trail", "un/deepign/f", "d/e/t.tmp", "d/t.tmp", "#hash", "d/e/#hash", "main", "UP.O", "IGN/f", "D/a.LOG", "A"} {
		f.Write(t, "ix/"+p, p+"\n")
	}
	f.Write(t, "ix/.git/info/exclude", "/excluded\n")
	f.Write(t, "ix/home-ignored", "h\n")
	f.Write(t, "home/.config/git/ignore", "home-ignored\n")
	for _, p := range []string{"x.o", "keep.o", "d/y.o", "ign/f", "un/deep/f", "un/only/z.o", "onlyo/q.o", "excluded", "d/e/new", "sp ace"} {
		f.Write(t, "ix/"+p, p+"\n")
	}
	os.MkdirAll(filepath.Join(f.Root, "ix/emp/ty"), 0o777)
	f.Git(t, "ix", "init", "-q", "nested")
	os.MkdirAll(filepath.Join(f.Root, "plain"), 0o777)
	f.Git(t, "", "clone", "-q", "--bare", "subrepo", "bare.git")
	f.Git(t, "bare.git", "read-tree", "HEAD")
	if id := f.GitStdin(t, "ix", "", "mktree"); id != emptyTree {
		t.Fatalf("mktree gave %s", id)
	}
	return f
}

// emptyTree is the id of the tree with no entries.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// makeRacy adds a file whose index entry has mtime at, then changes its
// content in place (same size, same inode) and puts the mtime back.
func makeRacy(f *gittest.Fixture, t *testing.T, repo, name string, at time.Time) {
	t.Helper()
	path := filepath.Join(f.Root, repo, name)
	f.Write(t, repo+"/"+name, "before\n")
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
	f.Git(t, repo, "update-index", "--add", name)
	file, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	file.WriteString("after!\n")
	file.Close()
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
}

// touch changes a file's mtime only.
func touch(f *gittest.Fixture, t *testing.T, path string) {
	t.Helper()
	later := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(f.Root, path), later, later); err != nil {
		t.Fatal(err)
	}
}

// TestDiffIndexAgainstGit compares diff-index and diff-files on every
// kind of change, from the top and a subdirectory, with GIT_INDEX_FILE.
func TestDiffIndexAgainstGit(t *testing.T) {
	f := buildIndexFixture(t)
	var cases []diffCase
	for _, args := range []string{
		"diff-index HEAD", "diff-index --cached HEAD", "diff-index -r HEAD", "diff-index HEAD~1",
		"diff-index --name-only HEAD", "diff-index --cached --name-only HEAD", "diff-index --name-status HEAD",
		"diff-index --quiet HEAD", "diff-index --cached --quiet HEAD", "diff-index --cached HEAD --name-only -r", "diff-index --exit-code HEAD",
		"diff-index --cached --exit-code --quiet HEAD", "diff-index --ignore-submodules HEAD",
		"diff-index --cached --ignore-submodules HEAD", "diff-index -r --name-only --ignore-submodules HEAD --",
		"diff-index --cached --quiet --ignore-submodules HEAD", "diff-index -z HEAD", "diff-index --cached HEAD -- d",
		"diff-index HEAD d/e", "diff-index HEAD -- nosuch", "diff-index HEAD -- a/", "diff-index HEAD -- d/", "diff-files a/", "diff-index --quiet HEAD -- d/stay",
		"diff-index --cached HEAD^{tree}", "diff-index --cached main~1 --", "diff-index --exit-code --quiet HEAD -- a",
		"diff-index", "diff-index --cached", "diff-index nosuch", "diff-index nosuch --", "diff-index HEAD nosuch",
		"diff-index HEAD:a", "diff-index HEAD HEAD", "diff-index --bogus HEAD", "diff-index HEAD -- ../x",
		"diff-files", "diff-files --quiet --ignore-submodules", "diff-files --ignore-submodules", "diff-files --name-only",
		"diff-files --name-status", "diff-files --name-status -z", "diff-index --name-status -z HEAD", "diff-files --exit-code", "diff-files --quiet", "diff-files -z", "diff-files -r",
		"diff-files -- d", "diff-files d/e", "diff-files conf", "diff-files --quiet -- new",
		"diff-files HEAD", "diff-files nosuch", "diff-files -- nosuch", "diff-files --bogus",
		"diff-index -h", "diff-index HEAD -h", "diff-files -h", "diff-files -r -h",
	} {
		cases = append(cases, diffCase{dir: "ix", args: args})
		cases = append(cases, diffCase{dir: "ix/d", args: args})
	}
	cases = append(cases,
		diffCase{dir: "ix/d", args: "diff-index HEAD -- ../a b"},
		diffCase{dir: "ix/d", args: "diff-files ../a"},
		diffCase{dir: "ix", args: "diff-index main"},
		diffCase{dir: "ix", args: "diff-index --cached main --"},
		diffCase{dir: "ix", args: "diff-index HEAD main"},
		diffCase{dir: "ix", args: "diff-files main"},
		diffCase{dir: "ix", args: "diff-files -- main"},
		diffCase{dir: "ix", args: "-c core.quotePath=false diff-index --cached " + emptyTree},
		diffCase{dir: "ix", args: "diff-index --cached -z " + emptyTree},
		diffCase{dir: "ix", args: "diff-index --cached --name-status " + emptyTree},
		diffCase{dir: "ix", args: "diff-index --ignore-submodules " + emptyTree},
		diffCase{dir: "ix", args: "-c core.quotePath=false diff-index --name-only " + emptyTree},
		diffCase{dir: "ix", env: []string{"GIT_INDEX_FILE=" + f.Root + "/other-index"}, args: "diff-index --cached HEAD"},
		diffCase{dir: "ix", env: []string{"GIT_INDEX_FILE=" + f.Root + "/other-index"}, args: "diff-files"},
		diffCase{dir: "plain", args: "diff-index HEAD"},
		diffCase{dir: "plain", args: "diff-files"},
		diffCase{dir: "plain", args: "diff-files -h"},
		diffCase{dir: "plain", args: "diff-files --bogus"},
		diffCase{dir: "plain", args: "diff-index --bogus HEAD"},
		diffCase{dir: "bare.git", args: "diff-index HEAD"},
		diffCase{dir: "bare.git", args: "diff-index --cached HEAD"},
		diffCase{dir: "bare.git", args: "diff-index --cached HEAD -- d"},
		diffCase{dir: "bare.git", args: "diff-files"},
		diffCase{dir: "bare.git", args: "diff-files --bogus"},
		diffCase{dir: "plain", args: "diff-index -h"},
		diffCase{dir: "subrepo", args: "diff-index --quiet HEAD"},
		diffCase{dir: "subrepo", args: "diff-files"},
	)
	runDiffCases(t, f, cases)
}

// TestLsFilesAgainstGit compares ls-files listings of the index and of
// untracked files with git's exclude rules.
func TestLsFilesAgainstGit(t *testing.T) {
	f := buildIndexFixture(t)
	var cases []diffCase
	for _, args := range []string{
		"ls-files", "ls-files -s", "ls-files --stage", "ls-files -u", "ls-files --unmerged", "ls-files -z",
		"ls-files -s -z", "ls-files -o", "ls-files --others", "ls-files -o -z", "ls-files --others --exclude-standard",
		"ls-files -o --directory", "ls-files -o --directory --exclude-standard",
		"ls-files -o --directory --no-empty-directory", "ls-files -o --directory --no-empty-directory --exclude-standard",
		"ls-files --others --exclude-standard --directory --no-empty-directory --error-unmatch -- :/*",
		"ls-files --others --directory --no-empty-directory --error-unmatch -- :/*",
		"ls-files -c -o", "ls-files --full-name", "ls-files -s d", "ls-files -u -- conf", "ls-files -u -- a",
		"ls-files --error-unmatch a nosuch", "ls-files --error-unmatch -- d", "ls-files --error-unmatch nosuch",
		"ls-files -o d", "ls-files -o --exclude-standard un", "ls-files a d/b", "ls-files d/", "ls-files ../x",
		"ls-files a/", "ls-files --error-unmatch a/", "ls-files -o un/", "ls-files -o --error-unmatch un", "ls-files -o un/deep/",
		"ls-files -o nosuch/", "ls-files -o nosuch/y/", "ls-files -o d/nosuch/x", "ls-files -o d/b/", "ls-files -o un/nosuch/ un/x/",
		"ls-files -o d/e/nosuch/", "ls-files -o un/deep/ un/only/", "ls-files -o a/x",
		"ls-files -o --error-unmatch a", "ls-files -c -o --error-unmatch x.o a nosuch", "ls-files -u --error-unmatch a",
		"ls-files -s --error-unmatch conf", "ls-files --error-unmatch d d/b conf conf", "ls-files -s conf conf", "ls-files -o --exclude-standard --error-unmatch x.o",
	} {
		cases = append(cases, diffCase{dir: "ix", args: args})
		cases = append(cases, diffCase{dir: "ix/d", args: args})
	}
	f.Write(t, "bad-index", "DIRC\x00\x00\x00\x02garbage")
	f.Write(t, "bad-version", "DIRC\x00\x00\x00\x09\x00\x00\x00\x00"+strings.Repeat("\x00", 20))
	f.Write(t, "bad-signature", "CRID\x00\x00\x00\x02\x00\x00\x00\x00"+strings.Repeat("\x00", 20))
	for _, bad := range []string{"bad-index", "bad-version", "bad-signature"} {
		env := []string{"GIT_INDEX_FILE=" + f.Root + "/" + bad}
		for _, args := range []string{"ls-files", "ls-files -o", "diff-files", "diff-index --cached HEAD", "update-index --refresh", "update-index a"} {
			cases = append(cases, diffCase{dir: "ix", env: env, args: args})
		}
	}
	f.Git(t, "", "init", "-q", "broken")
	f.Write(t, "broken/.git/index", "DIRC")
	f.Write(t, "broken/d/f", "f\n")
	for _, dir := range []string{"broken", "broken/d"} {
		cases = append(cases, diffCase{dir: dir, args: "ls-files"}, diffCase{dir: dir, args: "update-index --refresh"})
	}
	cases = append(cases,
		diffCase{dir: "ix/d", args: "ls-files ../a ../conf"},
		diffCase{dir: "ix", args: "-c core.quotePath=false ls-files"},
		diffCase{dir: "ix", args: "-c core.quotePath=false ls-files -s -z"},
		diffCase{dir: "ix/d/e", args: "ls-files -s .."},
		diffCase{dir: "ix/un", args: "ls-files -o"},
		diffCase{dir: "ix", env: []string{"GIT_INDEX_FILE=" + f.Root + "/other-index"}, args: "ls-files -s"},
		diffCase{dir: "ix", env: []string{"XDG_CONFIG_HOME=" + f.Root + "/nowhere"}, args: "ls-files -o --exclude-standard"},
		diffCase{dir: "ix", args: "-c core.excludesFile=" + f.Root + "/ix/a ls-files -o --exclude-standard"},
		diffCase{dir: "ix", args: "-c core.ignoreCase=true ls-files -o --exclude-standard"},
		diffCase{dir: "ix", args: "-c core.ignoreCase=true ls-files -o --exclude-standard --directory"},
		diffCase{dir: "ix", args: "-c core.ignoreCase=true ls-files -o"},
		diffCase{dir: "plain", args: "ls-files"},
		diffCase{dir: "plain", args: "ls-files -o"},
		diffCase{dir: "bare.git", args: "ls-files -s"},
		diffCase{dir: "bare.git", args: "ls-files -o"},
	)
	runDiffCases(t, f, cases)
}

// TestIndexFormsServed pins which forms of the index commands are served
// in-process; the others go to the counted fallback.
func TestIndexFormsServed(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"update-index", "-q", "--refresh"}, true},
		{[]string{"update-index", "-q", "--ignore-submodules", "--refresh"}, true},
		{[]string{"update-index", "--add", "--replace", "--remove", "--stdin"}, true},
		{[]string{"update-index", "--add", "--cacheinfo", "100644", "abc", "--weird"}, true},
		{[]string{"update-index", "--add", "--cacheinfo", "100644,abc,p"}, true},
		{[]string{"update-index", "--index-info"}, true},
		{[]string{"update-index", "--force-remove", "--", "-x"}, true},
		{[]string{"update-index", "--chmod=+x", "a"}, false},
		{[]string{"update-index", "--assume-unchanged", "a"}, false},
		{[]string{"update-index", "-h"}, true},
		{[]string{"update-index", "--help"}, false},
		{[]string{"diff-index", "--quiet", "--cached", "HEAD", "--"}, true},
		{[]string{"diff-index", "-r", "--name-only", "--ignore-submodules", "HEAD", "--"}, true},
		{[]string{"diff-index", "-p", "HEAD"}, false},
		{[]string{"diff-index", "HEAD~1..HEAD"}, false},
		{[]string{"diff-index", "HEAD", "--", "*.c"}, false},
		{[]string{"diff-files", "--quiet", "--ignore-submodules"}, true},
		{[]string{"diff-files", "--cached"}, false},
		{[]string{"diff-files", "-p"}, false},
		{[]string{"ls-files", "--others", "--exclude-standard", "--directory", "--no-empty-directory", "--error-unmatch", "--", ":/*"}, true},
		{[]string{"ls-files", "-o", "--directory", "sub"}, false},
		{[]string{"ls-files", "-u", "--", "file"}, true},
		{[]string{"ls-files", "-s", "*.c"}, false},
		{[]string{"ls-files", "-m"}, false},
		{[]string{"ls-files", "-h"}, false},
	} {
		if got := Serves(tt.args); got != tt.want {
			t.Errorf("Serves(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// indexState is how real git reads an index back: its entries with
// their stat data and flags, resolve-undo records, the staged and
// unstaged differences, and status. status comes last: it refreshes the
// index it reads.
func indexState(f *gittest.Fixture, t *testing.T, dir string, env []string) string {
	t.Helper()
	var b strings.Builder
	for _, args := range [][]string{
		{"ls-files", "-s", "--debug"}, {"ls-files", "--resolve-undo"}, {"diff-index", "--cached", "HEAD"},
		{"diff-files"}, {"status", "--porcelain"},
	} {
		res := f.RunGit(t, dir, env, "", args)
		b.WriteString(strings.Join(args, " ") + ":\n" + res.Stdout + res.Stderr)
	}
	return b.String()
}

// updateIndexCase is one update-index call, with an optional lock file
// in place.
type updateIndexCase struct {
	diffCase
	locked bool
}

// TestUpdateIndexAgainstGit runs each update-index call with git and
// with kiln from the same index (restored, with its mtime, in between):
// same output and status, and git reads back the same index.
func TestUpdateIndexAgainstGit(t *testing.T) {
	f := buildIndexFixture(t)
	blob := f.GitStdin(t, "ix", "blob\n", "hash-object", "-w", "--stdin")
	link := f.GitStdin(t, "ix", "a", "hash-object", "-w", "--stdin")
	other := f.Root + "/other-index"
	f.Git(t, "ix", "read-tree", "--index-output="+other, "HEAD")
	indexInfo := "100644 " + blob + "\tinfo/plain\n" +
		"100644 blob " + blob + "\tinfo/lstree\n" +
		"120000 " + link + " 0\tinfo/link\n" +
		"100644 " + blob + " 2\tinfo/staged\n" +
		"100644 " + blob + "\t\"info/q\\tuoted\"\n" +
		"0 " + strings.Repeat("0", 40) + "\tgone\n" +
		"100644 " + blob + " 0\tconf\n"
	cases := []updateIndexCase{
		{diffCase: diffCase{dir: "ix", args: "update-index a"}},
		{diffCase: diffCase{dir: "ix", args: "update-index a d/stay mode typ"}},
		{diffCase: diffCase{dir: "ix", args: "update-index d/e/new"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add d/e/new x.o"}},
		{diffCase: diffCase{dir: "ix", args: "update-index gone"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --remove gone"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --remove a"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --force-remove a conf"}},
		{diffCase: diffCase{dir: "ix", args: "update-index conf"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add .git/config"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add d"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add nested"}},
		{diffCase: diffCase{dir: "ix", args: "update-index sub"}},
		{diffCase: diffCase{dir: "ix", args: "update-index racy stale"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --info-only --add d/e/new"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo 100644," + blob + ",added"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo 100644 " + blob + " old/form"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --cacheinfo 100644," + blob + ",notadded"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --cacheinfo 100755," + blob + ",a"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo 100644," + blob + ",a/under"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --replace --cacheinfo 100644," + blob + ",a/under"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo 100644," + blob + ",d"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --replace --cacheinfo 160000 " + blob + " d"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo 100644," + blob + ",.git/x"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo 100644,zz,p"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo 100644 zz p"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo 9x " + blob + " p"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --cacheinfo 1 2"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --index-info", stdin: indexInfo}},
		{diffCase: diffCase{dir: "ix", args: "update-index -z --index-info", stdin: strings.ReplaceAll(strings.ReplaceAll(indexInfo, "\"info/q\\tuoted\"", "info/z"), "\n", "\x00")}},
		{diffCase: diffCase{dir: "ix", args: "update-index --index-info", stdin: "garbage line\n"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --index-info", stdin: "100644 " + blob + "\t\"bad\\q\"\n"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --index-info", stdin: "100644 " + blob + "\t.git/evil\n"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --index-info extra"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --replace --remove --stdin", stdin: "a\nd/e/new\ngone\n\"sp ace\"\nd/stay\n"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --stdin", stdin: "\"tab\\there\"\nun/deep/f"}},
		{diffCase: diffCase{dir: "ix", args: "update-index -z --add --stdin", stdin: "sp ace\x00un/deep/f\x00"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --stdin", stdin: "\"bad\n"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --stdin", stdin: "d/e/new\n"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --stdin extra"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --refresh"}},
		{diffCase: diffCase{dir: "ix", args: "update-index -q --refresh"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --ignore-submodules --refresh"}},
		{diffCase: diffCase{dir: "ix", args: "update-index -q --ignore-submodules --refresh"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --unmerged --ignore-missing --refresh"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --really-refresh"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --refresh a"}},
		{diffCase: diffCase{dir: "ix", args: "update-index"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --bogus"}},
		{diffCase: diffCase{dir: "ix", args: "update-index -h"}},
		{diffCase: diffCase{dir: "plain", args: "update-index -h"}},
		{diffCase: diffCase{dir: "ix", args: "update-index a -h"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add -- --weird"}},
		// parse-options' forms: abbreviations, negations, clusters,
		// and the errors update-index words its own way.
		{diffCase: diffCase{dir: "ix", args: "update-index --ad d/e/new"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --no-add d/e/new"}},
		{diffCase: diffCase{dir: "ix", args: "update-index -qz --refre"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --cacheinfo=100644," + blob + ",added"}},
		{diffCase: diffCase{dir: "ix", args: "update-index a -x"}},
		{diffCase: diffCase{dir: "ix", args: "update-index -qx"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --bogus=1"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --no-refresh"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --no-chmod"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --in"}},
		{diffCase: diffCase{dir: "ix", args: "update-index -add a"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --stdin --"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --index-info --add"}},
		{diffCase: diffCase{dir: "ix", args: "update-index a --help"}},
		{diffCase: diffCase{dir: "ix", args: "update-index --add --cacheinfo"}},
		{diffCase: diffCase{dir: "ix/d", args: "update-index stay ../a e/../b"}},
		{diffCase: diffCase{dir: "ix/d", args: "update-index --add ./y.o"}},
		{diffCase: diffCase{dir: "ix/d", args: "update-index ../../x"}},
		{diffCase: diffCase{dir: "ix/d", args: "update-index -q --refresh"}},
		{diffCase: diffCase{dir: "ix/d", args: "update-index --add --cacheinfo 100644," + blob + ",top"}},
		{diffCase: diffCase{dir: "ix/d", args: "update-index --index-info", stdin: "100644 " + blob + "\tfrom/sub\n"}},
		{diffCase: diffCase{dir: "ix/d", args: "update-index --add --stdin", stdin: "y.o\n../x.o\ne/../../keep.o\n"}},
		{diffCase: diffCase{dir: "ix/d", args: "update-index --stdin", stdin: "../../out\n"}},
		{diffCase: diffCase{dir: "ix", env: []string{"GIT_INDEX_FILE=" + other}, args: "update-index --add d/e/new a"}},
		{diffCase: diffCase{dir: "ix", env: []string{"GIT_INDEX_FILE=" + other}, args: "update-index --refresh"}},
		{diffCase: diffCase{dir: "plain", args: "update-index a"}},
		{diffCase: diffCase{dir: "bare.git", args: "update-index a"}},
		{diffCase: diffCase{dir: "bare.git", args: "update-index --refresh"}},
		{diffCase: diffCase{dir: "ix", args: "update-index a"}, locked: true},
		{diffCase: diffCase{dir: "ix", args: "update-index -q --refresh"}, locked: true},
		{diffCase: diffCase{dir: "ix", args: "update-index --force-remove nosuch"}, locked: true},
		{diffCase: diffCase{dir: "ix", args: "update-index --index-info", stdin: indexInfo}, locked: true},
	}
	indexPath := filepath.Join(f.Root, "ix/.git/index")
	saved := saveFiles(t, indexPath, other)
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) {
			run := func(do func() gittest.Result) (gittest.Result, string) {
				saved.restore(t)
				if c.locked {
					f.Write(t, "ix/.git/index.lock", "")
					defer os.Remove(indexPath + ".lock")
				}
				res := do()
				if c.locked {
					if _, err := os.Stat(indexPath + ".lock"); err != nil {
						t.Errorf("index.lock was removed: %v", err)
					}
				} else if _, err := os.Stat(indexPath + ".lock"); err == nil {
					t.Errorf("index.lock left behind")
				}
				raw, _ := os.ReadFile(indexPath)
				return res, string(raw) + indexState(f, t, "ix", c.env)
			}
			want, wantState := run(func() gittest.Result { return f.RunGit(t, c.dir, c.env, c.stdin, c.argList()) })
			got, gotState := run(func() gittest.Result { return runKiln(f, c.dir, c.env, c.stdin, c.argList()) })
			if got != want {
				t.Errorf("git:   status %d\nstdout:\n%s\nstderr:\n%s\nkiln:  status %d\nstdout:\n%s\nstderr:\n%s",
					want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
			}
			if gotState != wantState {
				t.Errorf("index bytes or index read back by git differ:\ngit:\n%q\nkiln:\n%q", wantState, gotState)
			}
		})
	}
	saved.restore(t)
}

// savedFiles are files' contents and mtimes, to put back between runs.
type savedFiles map[string]savedFile

type savedFile struct {
	data  []byte
	mtime time.Time
}

func saveFiles(t *testing.T, paths ...string) savedFiles {
	t.Helper()
	s := savedFiles{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		s[p] = savedFile{data, info.ModTime()}
	}
	return s
}

func (s savedFiles) restore(t *testing.T) {
	t.Helper()
	for p, sf := range s {
		if err := os.WriteFile(p, sf.data, 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, sf.mtime, sf.mtime); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIndexCorpusFormsInProcess runs the forms git's shell scripts use
// (git-sh-setup's require_clean_work_tree, git-merge-resolve,
// Git-filter-branch's tree update, git-sh-prompt, git-mergetool) through
// Run: the same results as git, and no call handed to the fallback.
func TestIndexCorpusFormsInProcess(t *testing.T) {
	f := buildIndexFixture(t)
	f.Write(t, "subrepo/s", "changed\n")
	f.Write(t, "subrepo/t", "untracked\n")
	cases := []diffCase{
		{dir: "ix", args: "update-index -q --ignore-submodules --refresh"},
		{dir: "ix", args: "diff-files --quiet --ignore-submodules"},
		{dir: "ix", args: "diff-index --cached --quiet --ignore-submodules HEAD --"},
		{dir: "ix", args: "diff-index --quiet --cached HEAD --"},
		{dir: "ix", args: "diff-index --cached --name-only HEAD --"},
		{dir: "ix", args: "diff-index -r --name-only --ignore-submodules HEAD --"},
		{dir: "ix", args: "ls-files --others"},
		{dir: "ix", args: "ls-files --unmerged"},
		{dir: "ix", args: "ls-files -u -- conf"},
		{dir: "ix", args: "ls-files --others --exclude-standard --directory --no-empty-directory --error-unmatch -- :/*"},
		{dir: "subrepo", args: "diff-index --exit-code --quiet HEAD"},
		{dir: "subrepo", args: "diff-index HEAD --exit-code --quiet"},
		{dir: "subrepo", args: "diff-index --cached HEAD --exit-code --quiet"},
		{dir: "subrepo", args: "diff-index --cached --exit-code --quiet HEAD"},
		{dir: "subrepo", args: "update-index -q --refresh"},
		{dir: "subrepo", args: "update-index --add --replace --remove --stdin", stdin: "s\nt\n"},
		{dir: "subrepo", args: "diff-index --exit-code --quiet HEAD"},
	}
	for _, c := range cases {
		want := f.RunGit(t, c.dir, c.env, c.stdin, c.argList())
		if c.args == "update-index --add --replace --remove --stdin" {
			// Undo git's update so that kiln starts from the same index.
			f.Git(t, c.dir, "reset", "-q")
		}
		before := gitapi.FallbackCount()
		got := runKiln(f, c.dir, c.env, c.stdin, c.argList())
		if n := gitapi.FallbackCount() - before; n != 0 {
			t.Errorf("%s: %d call(s) went to the fallback", c.name(), n)
		}
		if got != want {
			t.Errorf("%s:\ngit:  %d %q %q\nkiln: %d %q %q", c.name(), want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
		}
	}
	if got := f.Git(t, "subrepo", "diff-index", "--cached", "--name-status", "HEAD"); got != "M\ts\nA\tt" {
		t.Errorf("index after kiln's update-index --stdin, as git reads it: %q", got)
	}
}

// TestSubmoduleSettingsAgainstGit: .gitmodules "ignore" settings change
// what git reports for a submodule; without --ignore-submodules such a
// call is handed to git (counted), with it the call stays in-process.
func TestSubmoduleSettingsAgainstGit(t *testing.T) {
	f := buildIndexFixture(t)
	f.Write(t, "ix/.gitmodules", "[submodule \"sub\"]\n\tpath = sub\n\turl = ../subrepo\n\tignore = all\n")
	for _, c := range []struct {
		args     string
		fallback bool
	}{
		{"diff-index HEAD", true},
		{"diff-index --cached HEAD", true},
		{"diff-files", true},
		{"diff-index --ignore-submodules HEAD", false},
		{"diff-index --cached --ignore-submodules HEAD", false},
		{"diff-files --quiet --ignore-submodules", false},
	} {
		dc := diffCase{dir: "ix", args: c.args}
		want := f.RunGit(t, dc.dir, nil, "", dc.argList())
		before := gitapi.FallbackCount()
		got := runKiln(f, dc.dir, nil, "", dc.argList())
		if fell := gitapi.FallbackCount() != before; fell != c.fallback {
			t.Errorf("%s: handed to git %v, want %v", c.args, fell, c.fallback)
		}
		if got != want {
			t.Errorf("%s:\ngit:  %d %q %q\nkiln: %d %q %q", c.args, want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
		}
	}
}

// TestSubmoduleStateAgainstGit: a populated submodule at its recorded
// commit is compared in-process when its state is certain (clean, or
// dirty by a staged, changed or removed file), and handed to git (which
// asks the submodule) otherwise: untracked files, nested submodules,
// submodule settings.
func TestSubmoduleStateAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "sp")
	f.Write(t, "sp/a", "a\n")
	f.Git(t, "sp", "add", "a")
	f.Git(t, "sp", "commit", "-q", "-m", "one")
	f.Git(t, "", "clone", "-q", "sp", "sp/sub")
	f.Write(t, "sp/sub/.gitignore", "*.o\n")
	f.Git(t, "sp/sub", "add", ".gitignore")
	f.Git(t, "sp/sub", "commit", "-q", "-m", "ignore")
	f.Git(t, "sp", "-c", "advice.addEmbeddedRepo=false", "add", "sub")
	f.Git(t, "sp", "commit", "-q", "-m", "sub")
	steps := []struct {
		name     string
		change   func()
		fallback bool
	}{
		{"clean", func() {}, false},
		{"ignored file", func() { f.Write(t, "sp/sub/x.o", "x\n") }, false},
		{"untracked file", func() { f.Write(t, "sp/sub/new", "n\n") }, true},
		{"untracked files hidden", func() { f.Git(t, "sp/sub", "config", "status.showUntrackedFiles", "no") }, true},
		{"modified file", func() { os.Remove(filepath.Join(f.Root, "sp/sub/new")); f.Write(t, "sp/sub/a", "changed\n") }, false},
		{"touched file", func() { f.Git(t, "sp/sub", "checkout", "a"); touch(f, t, "sp/sub/a") }, false},
		{"removed file", func() { os.Remove(filepath.Join(f.Root, "sp/sub/a")) }, false},
		{"staged file", func() { f.Write(t, "sp/sub/a", "staged\n"); f.Git(t, "sp/sub", "add", "a") }, false},
		{"moved HEAD", func() { f.Git(t, "sp/sub", "commit", "-q", "-m", "two") }, false},
		{"nested submodule", func() {
			f.Git(t, "", "clone", "-q", "sp", "sp/sub/nest")
			f.Git(t, "sp/sub", "-c", "advice.addEmbeddedRepo=false", "add", "nest")
			f.Git(t, "sp/sub", "commit", "-q", "-m", "nest")
			f.Git(t, "sp", "add", "sub")
		}, true},
		{"submodule ignore setting", func() { f.Git(t, "sp", "config", "submodule.sub.ignore", "dirty") }, true},
	}
	for _, step := range steps {
		step.change()
		for _, args := range []string{"diff-files", "diff-index HEAD", "diff-index --quiet HEAD", "diff-files --ignore-submodules"} {
			dc := diffCase{dir: "sp", args: args}
			want := f.RunGit(t, dc.dir, nil, "", dc.argList())
			before := gitapi.FallbackCount()
			got := runKiln(f, dc.dir, nil, "", dc.argList())
			fell := gitapi.FallbackCount() != before
			if wantFall := step.fallback && !strings.Contains(args, "--ignore-submodules"); fell != wantFall {
				t.Errorf("%s: %s: handed to git %v, want %v", step.name, args, fell, wantFall)
			}
			if got != want {
				t.Errorf("%s: %s:\ngit:  %d %q %q\nkiln: %d %q %q", step.name, args, want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
			}
		}
	}
}
