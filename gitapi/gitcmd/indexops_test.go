package gitcmd

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/index"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// indexOpsFixture builds "src": three commits over files, a directory
// that becomes a file, an executable and a symbolic link, with branches
// one, two and three, and three checked out.
func indexOpsFixture(t *testing.T) *gittest.Fixture {
	t.Helper()
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "src")
	f.Write(t, "src/a.txt", "a\n")
	f.Write(t, "src/secret.txt", "secret\n")
	f.Write(t, "src/sub/x.txt", "x\n")
	f.Write(t, "src/sub/deep/y.txt", "y\n")
	f.Write(t, "src/d/z.txt", "z\n")
	f.Git(t, "src", "add", ".")
	f.Git(t, "src", "commit", "-q", "-m", "one")
	f.Git(t, "src", "branch", "one")
	f.Write(t, "src/a.txt", "a2\n")
	f.Write(t, "src/new.txt", "new\n")
	if err := os.Chmod(filepath.Join(f.Root, "src/new.txt"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.txt", filepath.Join(f.Root, "src/link")); err != nil {
		t.Fatal(err)
	}
	f.Git(t, "src", "rm", "-q", "sub/deep/y.txt")
	f.Git(t, "src", "add", ".")
	f.Git(t, "src", "commit", "-q", "-m", "two")
	f.Git(t, "src", "branch", "two")
	f.Git(t, "src", "rm", "-q", "-r", "d")
	f.Write(t, "src/d", "now a file\n")
	f.Git(t, "src", "add", ".")
	f.Git(t, "src", "commit", "-q", "-m", "three")
	f.Git(t, "src", "branch", "three")
	return f
}

// indexCase is one face run on a fresh copy of src after setup (shell
// text run in the copy first).
type indexCase struct {
	setup string
	args  string
	env   []string
	// dirty is shell text run after setup once the copy's files are
	// backdated and the index refreshed (see runIndexCases): the files
	// it changes have a new mtime, unless racy.
	dirty string
	// racy makes every index entry racily clean on both runs: after
	// dirty, the files it changed get the backdated mtime again and so
	// does the index file, so git (and kiln) can tell a changed file
	// of the same size only by its content. A dirty file keeps a
	// matching stat only with core.trustctime false (its ctime is new).
	racy bool
}

// name is the case's subtest name.
func (c indexCase) name() string {
	name := c.setup
	if c.dirty != "" {
		name += " ; dirty: " + c.dirty
	}
	if c.racy {
		name += " ; racy"
	}
	return name + " | " + c.args
}

// backdated is the mtime runIndexCases gives the files of each copy.
const backdated = 946684800 // 2000-01-01T00:00:00Z

// backdateScript gives every file and symbolic link of the work tree
// (not .git) that is newer than backdated that mtime.
var backdateScript = fmt.Sprintf("find . -path ./.git -prune -o ! -type d -newermt @%d -exec touch -h -d @%[1]d {} +", backdated)

// runIndexCases runs each case on two fresh copies of src at the same
// path, once with git and once in-process, and compares the output, the
// work tree (contents, modes, links) and the index: every entry's mode,
// id, path, stage and flags, whether its stat data is filled, its size,
// the cache tree and the resolve-undo data. A served case must not
// reach Fallback.
//
// Whether an entry is racily clean (its mtime not older than the index
// file's), and whether a file changed in place still matches its
// entry's stat data, depends on the second each file and the index
// were written in, which the two runs need not share. So after setup
// the copy's files are backdated (to backdated) and the index is
// refreshed: no entry is racy, and a file the index does not match
// has another mtime than its entry. Racy cases then make every entry
// racy on purpose (see indexCase.racy).
func runIndexCases(t *testing.T, f *gittest.Fixture, cases []indexCase, mustServe bool) {
	t.Helper()
	work := filepath.Join(f.Root, "work")
	sh := func(t *testing.T, script string) {
		t.Helper()
		cmd := exec.Command("sh", "-c", script)
		cmd.Dir, cmd.Env = work, f.Env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", script, err, out)
		}
	}
	fresh := func(t *testing.T, c indexCase) {
		t.Helper()
		if err := os.RemoveAll(work); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("cp", "-a", filepath.Join(f.Root, "src"), work).CombinedOutput(); err != nil {
			t.Fatalf("cp: %s", out)
		}
		// The copy's files have new inodes: refreshed, the index
		// matches them again.
		sh(t, "git update-index -q --refresh >/dev/null; "+c.setup)
		sh(t, backdateScript+" && { git update-index -q --refresh >/dev/null; :; }")
		if c.dirty != "" {
			sh(t, c.dirty)
		}
		if c.racy {
			sh(t, backdateScript)
			at := time.Unix(backdated, 0)
			if err := os.Chtimes(filepath.Join(work, ".git", "index"), at, at); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
	}
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) {
			args := strings.Fields(c.args)
			fresh(t, c)
			want := f.RunGit(t, "work", c.env, "", args)
			wantState := workState(t, work)
			fresh(t, c)
			before := gitapi.FallbackCount()
			got := runKiln(f, "work", c.env, "", args)
			if mustServe && gitapi.FallbackCount() != before {
				t.Errorf("passed to git, not served in-process")
			}
			gotState := workState(t, work)
			if got != want {
				t.Errorf("git:   status %d\nstdout:\n%s\nstderr:\n%s\nkiln:  status %d\nstdout:\n%s\nstderr:\n%s",
					want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
			}
			if diff := cmp.Diff(wantState, gotState); diff != "" {
				t.Errorf("state differs (-git +kiln):\n%s", diff)
			}
		})
	}
	os.RemoveAll(work)
}

// workTreeFiles describes the work tree at top (.git left out) for
// comparison: "dir" for each directory (NAME/), "symlink TARGET" for a
// symbolic link, describe's text for a file, by path relative to top.
func workTreeFiles(top string, describe func(mode fs.FileMode, data []byte) string) map[string]string {
	state := map[string]string{}
	filepath.WalkDir(top, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(top, path)
		if d.IsDir() {
			if rel == ".git" {
				return filepath.SkipDir
			}
			state[rel+"/"] = "dir"
			return nil
		}
		info, _ := os.Lstat(path)
		if info.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(path)
			state[rel] = "symlink " + target
			return nil
		}
		data, _ := os.ReadFile(path)
		state[rel] = describe(info.Mode(), data)
		return nil
	})
	return state
}

// workState describes a work tree and its index for comparison.
func workState(t *testing.T, top string) map[string]string {
	t.Helper()
	state := workTreeFiles(top, func(mode fs.FileMode, data []byte) string {
		return fmt.Sprintf("%o %q", mode.Perm(), data)
	})
	for _, name := range []string{"index", "other-index"} {
		path := filepath.Join(top, ".git", name)
		if _, err := os.Stat(path); err != nil {
			state["<"+name+">"] = "absent"
			continue
		}
		ix, err := index.ReadFile(path)
		if err != nil {
			state["<"+name+">"] = "unreadable: " + err.Error()
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "version %d\n", ix.Version)
		for _, e := range ix.Entries {
			filled := e.Stat != index.Stat{}
			fmt.Fprintf(&b, "%06o %x %d %s valid=%t skip=%t ita=%t stat=%t size=%d\n", e.Mode, e.ID, e.Stage, e.Path,
				e.AssumeValid, e.SkipWorktree, e.IntentToAdd, filled, e.Stat.Size)
		}
		if ix.CacheTree != nil {
			var walk func(tr *index.CacheTree, path string)
			walk = func(tr *index.CacheTree, path string) {
				fmt.Fprintf(&b, "tree %q %d %x\n", path, tr.EntryCount, tr.ID)
				for _, s := range tr.Subtrees {
					walk(s, path+"/"+s.Name)
				}
			}
			walk(ix.CacheTree, "")
		}
		var reuc []string
		for _, r := range ix.ResolveUndo {
			reuc = append(reuc, fmt.Sprintf("reuc %s %o", r.Path, r.Modes))
		}
		sort.Strings(reuc)
		b.WriteString(strings.Join(reuc, "\n"))
		state["<"+name+">"] = b.String()
	}
	_, err := os.Stat(filepath.Join(top, ".git", "index.lock"))
	state["<index.lock>"] = fmt.Sprint(err == nil)
	return state
}

// TestReadTreeAgainstGit compares `read-tree -m [-i|-u] <tree-ish>`:
// onto the index of the same commit (stat data kept), of another commit,
// a new index file, after a dirty file or an untracked one in the way
// (given to git), and the errors.
func TestReadTreeAgainstGit(t *testing.T) {
	f := indexOpsFixture(t)
	other := []string{"GIT_INDEX_FILE=.git/other-index"}
	var cases []indexCase
	for _, rev := range []string{"one", "two", "three", "HEAD", "one^{tree}"} {
		cases = append(cases,
			indexCase{args: "read-tree -m " + rev},
			indexCase{args: "read-tree -i -m " + rev},
			indexCase{args: "read-tree -m -u " + rev},
			indexCase{args: "read-tree -i -m " + rev, env: other},
			indexCase{setup: "git read-tree -i -m two", args: "read-tree -i -m " + rev},
			indexCase{setup: "git checkout -q one", args: "read-tree -u -m " + rev},
			indexCase{setup: "git checkout -q two", args: "read-tree -u -m " + rev},
			indexCase{setup: "git update-index --refresh >/dev/null; git write-tree >/dev/null", args: "read-tree -m " + rev},
		)
	}
	for _, rev := range []string{"one", "two^{tree}", "HEAD:sub"} {
		for _, prefix := range []string{"lib/", "lib", "a/b/c/", "sub/deep2/"} {
			cases = append(cases,
				indexCase{args: "read-tree --prefix=" + prefix + " " + rev},
				indexCase{setup: "git write-tree >/dev/null", args: "read-tree --prefix=" + prefix + " " + rev},
				indexCase{args: "read-tree --prefix=" + prefix + " " + rev, env: other},
			)
		}
	}
	cases = append(cases,
		indexCase{args: "read-tree -m nosuch"},
		indexCase{setup: "rm -rf sub", args: "read-tree -u -m one"},
		indexCase{setup: "git checkout -q one && rm a.txt", args: "read-tree -u -m two"},
		indexCase{setup: ": >.git/index.lock", args: "read-tree -m one"},
	)
	runIndexCases(t, f, cases, true)
	// States git decides itself: the face passes them on.
	runIndexCases(t, f, []indexCase{
		{setup: "echo dirty >a.txt", args: "read-tree -u -m one"},
		{setup: "git checkout -q one && echo u >new.txt", args: "read-tree -u -m two"},
		{setup: "git checkout -q two && echo u >d/u", args: "read-tree -u -m three"},
		{args: "read-tree -m HEAD:a.txt"},
		{args: "read-tree --prefix=sub/ one"},
		{args: "read-tree --prefix=a.txt/x/ one"},
	}, false)
	for _, args := range []string{"read-tree one", "read-tree -m one two three four", "read-tree --reset -u one", "read-tree -m -i -u one", "read-tree -m --prefix=x/ one", "read-tree --prefix=../x/ one", "read-tree --prefix= one"} {
		if Serves(strings.Fields(args)) {
			t.Errorf("Serves(%q) = true", args)
		}
	}
}

// TestCheckoutIndexAgainstGit compares `checkout-index -f -u -a`: into
// an empty work tree, over changed and up-to-date files, with the
// index of another commit.
func TestCheckoutIndexAgainstGit(t *testing.T) {
	f := indexOpsFixture(t)
	runIndexCases(t, f, []indexCase{
		{args: "checkout-index -f -u -a"},
		{args: "checkout-index -u -a"},
		{setup: "echo changed >a.txt", args: "checkout-index -f -u -a"},
		{setup: "rm -rf a.txt sub link new.txt", args: "checkout-index -f -u -a"},
		{setup: "echo changed >a.txt; chmod +x a.txt", args: "checkout-index -f -u -a"},
		{setup: "git read-tree -i -m one", args: "checkout-index -f -u -a -q"},
		{setup: "git read-tree -i -m two && rm -rf ./* ", args: "checkout-index -f -u -a"},
	}, true)
}

// TestRmCachedAgainstGit compares `rm --cached`: quiet and not, files
// and directories (-r), unmatched paths with and without
// --ignore-unmatch, from a subdirectory, and the staged-content check.
func TestRmCachedAgainstGit(t *testing.T) {
	f := indexOpsFixture(t)
	runIndexCases(t, f, []indexCase{
		{args: "rm --cached a.txt"},
		{args: "rm -q --cached --ignore-unmatch secret.txt"},
		{args: "rm -q --cached --ignore-unmatch nosuch"},
		{args: "rm --cached nosuch"},
		{args: "rm --cached sub"},
		{args: "rm --cached -r sub"},
		{args: "rm -q -r --cached --ignore-unmatch sub nosuch a.txt"},
		{args: "rm --cached a.txt nosuch"},
		{setup: "echo staged >a.txt && git add a.txt && echo local >a.txt", args: "rm --cached a.txt"},
		{setup: "echo staged >a.txt && git add a.txt && echo local >a.txt && echo s2 >secret.txt && git add secret.txt && echo l2 >secret.txt", args: "rm --cached a.txt secret.txt"},
		{setup: "echo staged >a.txt && git add a.txt", args: "rm --cached a.txt"},
		{setup: "echo staged >a.txt && git add a.txt && echo local >a.txt", args: "rm -f --cached a.txt"},
		{setup: "rm a.txt", args: "rm --cached a.txt"},
		{setup: "git read-tree -i -m one", args: "rm -q --cached --ignore-unmatch secret.txt"},
		{setup: ": >.git/index.lock", args: "rm --cached a.txt"},
	}, true)
	// A submodule: git asks it about its state; the face passes it on.
	runIndexCases(t, f, []indexCase{
		{setup: "git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),mod", args: "rm --cached mod"},
		{setup: "git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),mod && mkdir mod", args: "rm -q --cached -r mod a.txt"},
	}, false)
	for _, args := range []string{"rm --cached *.txt", "rm a.txt", "rm --cached", "rm -n --cached a.txt", "rm --cached :/a.txt"} {
		if Serves(strings.Fields(args)) {
			t.Errorf("Serves(%q) = true", args)
		}
	}
}
