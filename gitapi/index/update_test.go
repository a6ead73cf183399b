package index

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// ourResult is what "git update-index" would print and exit with, had
// it run our operation: the test stand-in for the future argv face.
type ourResult struct {
	stdout, stderr string
	code           int
}

func (res *ourResult) fail(err error) {
	var ue *Error
	switch {
	case errors.As(err, &ue):
		for _, line := range ue.Errors {
			res.stderr += "error: " + line + "\n"
		}
		res.stderr += "fatal: " + ue.Fatal + "\n"
		res.code = 128
	case errors.Is(err, ErrIgnoredPath):
		res.stderr += "Ignoring path " + strings.TrimPrefix(err.Error(), ErrIgnoredPath.Error()+" ") + "\n"
	default:
		res.stderr += "fatal: " + err.Error() + "\n"
		res.code = 128
	}
}

type updateCase struct {
	name  string
	setup func(r *testRepo)
	args  []string // git update-index arguments
	stdin string
	ours  func(r *testRepo, ix *Index, res *ourResult) error
}

// committedRepo is populate's tree committed, with file times moved an
// hour back so that only what a case touches is racily clean.
func committedRepo(t *testing.T) *testRepo {
	r := newRepo(t)
	populate(r)
	r.git("update-index", "--force-remove", longPath) // no file to refresh
	r.git("commit", "-q", "-m", "base")
	past := time.Now().Add(-time.Hour)
	for _, p := range strings.Split(strings.TrimSpace(r.git("ls-files")), "\n") {
		os.Chtimes(r.dir+"/"+p, past, past)
	}
	r.git("update-index", "--refresh")
	return r
}

func runUpdateCase(t *testing.T, c updateCase) {
	r := committedRepo(t)
	if c.setup != nil {
		c.setup(r)
	}
	restore := r.saveIndex()
	gitOut, gitErr, gitCode := r.run(c.stdin, append([]string{"update-index"}, c.args...)...)
	gitIndex := r.indexBytes()
	gitStatus := r.git("status", "--porcelain")
	restore()

	res := &ourResult{}
	ix, err := OpenLocked(r.indexPath(), r.options())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ours(r, ix, res); err != nil {
		res.fail(err)
	}
	if res.code == 128 || !ix.Modified() {
		ix.Rollback()
	} else if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	if res.code == 0 && res.stdout != "" && strings.Contains(res.stdout, "needs") {
		res.code = 1
	}
	if got, want := fmt.Sprint(res.stdout, "|", res.stderr, "|", res.code), fmt.Sprint(gitOut, "|", gitErr, "|", gitCode); got != want {
		t.Errorf("output differs\n got: %q\nwant: %q", got, want)
	}
	ours := r.indexBytes()
	if !bytes.Equal(ours, gitIndex) {
		want, _ := Parse(gitIndex)
		got, _ := Parse(ours)
		t.Errorf("index differs from git's:\n got:\n%s\nwant:\n%s", describe(got), describe(want))
	}
	if st := r.git("status", "--porcelain"); st != gitStatus {
		t.Errorf("git status differs:\n got: %q\nwant: %q", st, gitStatus)
	}
}

// describe prints an index for failure messages.
func describe(ix *Index) string {
	if ix == nil {
		return "<unparsable>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "version %d\n", ix.Version)
	b.WriteString(lsFilesDebug(ix))
	if ix.CacheTree != nil {
		fmt.Fprintf(&b, "TREE %q\n", ix.CacheTree.encode(nil))
	}
	fmt.Fprintf(&b, "REUC %+v\n", ix.ResolveUndo)
	return b.String()
}

func updatePaths(opts UpdateOptions, paths ...string) func(r *testRepo, ix *Index, res *ourResult) error {
	return func(r *testRepo, ix *Index, res *ourResult) error {
		for _, p := range paths {
			if err := ix.UpdatePath(p, r, opts); err != nil {
				if !errors.Is(err, ErrIgnoredPath) {
					return err
				}
				res.fail(err)
			}
		}
		return nil
	}
}

func withOptions(set func(*Options), then func(r *testRepo, ix *Index, res *ourResult) error) func(r *testRepo, ix *Index, res *ourResult) error {
	return func(r *testRepo, ix *Index, res *ourResult) error {
		set(&ix.Options)
		return then(r, ix, res)
	}
}

func refresh(opts RefreshOptions) func(r *testRepo, ix *Index, res *ourResult) error {
	return func(r *testRepo, ix *Index, res *ourResult) error {
		out := ix.Refresh(opts)
		res.stdout = out.Output
		if out.NeedsUpdate {
			res.code = 1
		}
		return nil
	}
}

const blobA = "78981922613b2afb6025042ff6bd878ac1994e85" // "a\n"

var updateCases = []updateCase{
	{name: "add-new", setup: func(r *testRepo) { r.write("new/file", "new\n") },
		args: []string{"--add", "new/file"}, ours: updatePaths(UpdateOptions{Add: true}, "new/file")},
	{name: "add-missing-flag", setup: func(r *testRepo) { r.write("new", "new\n") },
		args: []string{"new"}, ours: updatePaths(UpdateOptions{}, "new")},
	{name: "modify", setup: func(r *testRepo) { r.write("dir/file", "changed\n") },
		args: []string{"dir/file"}, ours: updatePaths(UpdateOptions{}, "dir/file")},
	{name: "unchanged", args: []string{"a", "dir/file"}, ours: updatePaths(UpdateOptions{}, "a", "dir/file")},
	{name: "exec-bit", setup: func(r *testRepo) { os.Chmod(r.dir+"/a", 0o755) },
		args: []string{"a"}, ours: updatePaths(UpdateOptions{}, "a")},
	{name: "symlink", setup: func(r *testRepo) { os.Symlink("dir/file", r.dir+"/ln2") },
		args: []string{"--add", "ln2"}, ours: updatePaths(UpdateOptions{Add: true}, "ln2")},
	{name: "remove-gone", setup: func(r *testRepo) { os.Remove(r.dir + "/a0") },
		args: []string{"--remove", "a0"}, ours: updatePaths(UpdateOptions{Remove: true}, "a0")},
	{name: "gone-without-remove", setup: func(r *testRepo) { os.Remove(r.dir + "/a0") },
		args: []string{"a0"}, ours: updatePaths(UpdateOptions{}, "a0")},
	{name: "remove-present", args: []string{"--remove", "a0"}, ours: updatePaths(UpdateOptions{Remove: true}, "a0")},
	{name: "force-remove", args: []string{"--force-remove", "a0", "dir/sub/deep.txt", "absent"},
		ours: func(r *testRepo, ix *Index, res *ourResult) error {
			for _, p := range []string{"a0", "dir/sub/deep.txt", "absent"} {
				if err := ix.ForceRemove(p); err != nil {
					return err
				}
			}
			return nil
		}},
	{name: "ignored-path", args: []string{"--add", ".git/config", "sub/.GIT/x", "a0"},
		ours: updatePaths(UpdateOptions{Add: true}, ".git/config", "sub/.GIT/x", "a0")},
	{name: "stage0-beside-stages", setup: func(r *testRepo) {
		r.gitIn("100644 "+blobA+" 1\ta0\n100644 "+blobA+" 3\ta0\n", "update-index", "--index-info")
		r.write("a0", "changed\n")
	}, args: []string{"a0"}, ours: updatePaths(UpdateOptions{}, "a0")},
	{name: "directory", args: []string{"--add", "dir"}, ours: updatePaths(UpdateOptions{Add: true}, "dir")},
	{name: "beyond-symlink", setup: func(r *testRepo) { os.Symlink("dir", r.dir+"/dl") },
		args: []string{"--add", "dl/file"}, ours: updatePaths(UpdateOptions{Add: true}, "dl/file")},
	{name: "file-over-dir", setup: func(r *testRepo) {
		os.RemoveAll(r.dir + "/dir/sub")
		r.write("dir/sub", "now a file\n")
	}, args: []string{"--add", "dir/sub"}, ours: updatePaths(UpdateOptions{Add: true}, "dir/sub")},
	{name: "file-over-dir-replace", setup: func(r *testRepo) {
		os.RemoveAll(r.dir + "/dir/sub")
		r.write("dir/sub", "now a file\n")
	}, args: []string{"--add", "--replace", "dir/sub"}, ours: updatePaths(UpdateOptions{Add: true, Replace: true}, "dir/sub")},
	{name: "dir-over-file-replace", setup: func(r *testRepo) {
		os.Remove(r.dir + "/a0")
		r.write("a0/inner", "x\n")
	}, args: []string{"--add", "--replace", "a0/inner"}, ours: updatePaths(UpdateOptions{Add: true, Replace: true}, "a0/inner")},
	{name: "dir-over-file", setup: func(r *testRepo) {
		os.Remove(r.dir + "/a0")
		r.write("a0/inner", "x\n")
	}, args: []string{"--add", "a0/inner"}, ours: updatePaths(UpdateOptions{Add: true}, "a0/inner")},
	{name: "cacheinfo", args: []string{"--add", "--cacheinfo", "100755," + blobA + ",dir/new", "--cacheinfo", "160000," + blobA + ",sub"},
		ours: func(r *testRepo, ix *Index, res *ourResult) error {
			id := parseID(r.t, blobA)
			if err := ix.CacheInfo(0o100755, id, "dir/new", 0, UpdateOptions{Add: true}); err != nil {
				return err
			}
			return ix.CacheInfo(0o160000, id, "sub", 0, UpdateOptions{Add: true})
		}},
	{name: "cacheinfo-without-add", args: []string{"--cacheinfo", "100644," + blobA + ",brand-new"},
		ours: func(r *testRepo, ix *Index, res *ourResult) error {
			return ix.CacheInfo(0o100644, parseID(r.t, blobA), "brand-new", 0, UpdateOptions{})
		}},
	{name: "index-info", args: []string{"--index-info"},
		stdin: "100644 " + blobA + "\tplain\n" +
			"100755 blob " + blobA + "\tls/tree\n" +
			"100644 " + blobA + " 1\tconflict\n" +
			"100644 " + blobA + " 3\tconflict\n" +
			"0 " + strings.Repeat("0", 40) + "\ta0\n" +
			"100644 " + blobA + "\t\"quo\\tted\\303\\251\"\n" +
			"100644 " + blobA + "\t.git/x\n" +
			"120000 " + blobA + " 0\ta\n",
		ours: indexInfo(false)},
	{name: "index-info-z", args: []string{"-z", "--index-info"},
		stdin: "100644 " + blobA + "\tnul\"name\x00100644 " + blobA + " 2\tdir/file\x00",
		ours:  indexInfo(true)},
	{name: "index-info-malformed", args: []string{"--index-info"},
		stdin: "100644 " + blobA + "\tok\n100644 nothex\tbad\n",
		ours:  indexInfo(false)},
	{name: "resolve-conflict", setup: func(r *testRepo) {
		r.gitIn("0 "+strings.Repeat("0", 40)+"\ta0\n100644 "+blobA+" 1\ta0\n100644 "+blobA+" 2\ta0\n100755 "+blobA+" 3\ta0\n", "update-index", "--index-info")
	}, args: []string{"a0"}, ours: updatePaths(UpdateOptions{}, "a0")},
	{name: "remove-unmerged-gone", setup: func(r *testRepo) {
		r.gitIn("0 "+strings.Repeat("0", 40)+"\ta0\n100644 "+blobA+" 1\ta0\n100644 "+blobA+" 2\ta0\n", "update-index", "--index-info")
		os.Remove(r.dir + "/a0")
	}, args: []string{"--remove", "--", "a0"}, ours: updatePaths(UpdateOptions{Remove: true}, "a0")},
	{name: "refresh-ignore-submodules", setup: func(r *testRepo) {
		r.git("update-index", "--add", "--cacheinfo", "160000,"+blobA+",sub")
		touchSame("a")(r)
	}, args: []string{"-q", "--ignore-submodules", "--refresh"}, ours: refresh(RefreshOptions{Quiet: true, IgnoreSubmodules: true})},
	{name: "refresh-submodule-missing", setup: func(r *testRepo) {
		r.git("update-index", "--add", "--cacheinfo", "160000,"+blobA+",sub")
	}, args: []string{"--refresh"}, ours: refresh(RefreshOptions{})},
	{name: "submodule-add", setup: makeSubmodule, args: []string{"--add", "sm"},
		ours: updatePaths(UpdateOptions{Add: true}, "sm")},
	{name: "submodule-add-without-flag", setup: makeSubmodule, args: []string{"sm"},
		ours: updatePaths(UpdateOptions{}, "sm")},
	{name: "submodule-moved", setup: func(r *testRepo) {
		makeSubmodule(r)
		r.git("update-index", "--add", "sm")
		r.git("-C", "sm", "commit", "-q", "--allow-empty", "-m", "two")
	}, args: []string{"sm"}, ours: updatePaths(UpdateOptions{}, "sm")},
	{name: "submodule-refresh", setup: func(r *testRepo) {
		makeSubmodule(r)
		r.git("update-index", "--add", "sm")
		r.git("-C", "sm", "commit", "-q", "--allow-empty", "-m", "two")
		r.git("-C", "sm", "pack-refs", "--all")
	}, args: []string{"--refresh"}, ours: refresh(RefreshOptions{})},
	{name: "filemode-off", setup: func(r *testRepo) {
		r.git("config", "core.filemode", "false")
		os.Chmod(r.dir+"/a", 0o755)
		r.write("a", "grown\n")
		os.Chmod(r.dir+"/exe.sh", 0o644)
		r.write("exe.sh", "#!/bin/sh\nexit 0\n")
		r.write("newexe", "x\n")
		os.Chmod(r.dir+"/newexe", 0o755)
	}, args: []string{"--add", "a", "exe.sh", "newexe"}, ours: withOptions(func(o *Options) { o.FileMode = false },
		updatePaths(UpdateOptions{Add: true}, "a", "exe.sh", "newexe"))},
	{name: "symlinks-off", setup: func(r *testRepo) {
		r.git("config", "core.symlinks", "false")
		os.Remove(r.dir + "/link")
		r.write("link", "dir/file")
	}, args: []string{"link"}, ours: withOptions(func(o *Options) { o.Symlinks = false },
		updatePaths(UpdateOptions{}, "link"))},
	{name: "info-only", setup: func(r *testRepo) { r.write("dir/file", "not stored\n") },
		args: []string{"--info-only", "dir/file"}, ours: updatePaths(UpdateOptions{InfoOnly: true}, "dir/file")},
	{name: "mark-skip-worktree", args: []string{"--skip-worktree", "dir/file", "a-b"},
		setup: func(r *testRepo) { r.git("write-tree") },
		ours: func(r *testRepo, ix *Index, res *ourResult) error {
			if err := ix.SetSkipWorktree("dir/file", true); err != nil {
				return err
			}
			return ix.SetSkipWorktree("a-b", true)
		}},
	{name: "mark-no-skip-worktree", args: []string{"--no-skip-worktree", "dir/file"},
		setup: func(r *testRepo) { r.git("update-index", "--skip-worktree", "dir/file", "a") },
		ours:  func(r *testRepo, ix *Index, res *ourResult) error { return ix.SetSkipWorktree("dir/file", false) }},
	{name: "mark-assume-unchanged", args: []string{"--assume-unchanged", "a", "dir/sub/deep.txt"},
		setup: func(r *testRepo) { r.git("update-index", "--assume-unchanged", "a-b") },
		ours: func(r *testRepo, ix *Index, res *ourResult) error {
			if err := ix.SetAssumeUnchanged("a", true); err != nil {
				return err
			}
			return ix.SetAssumeUnchanged("dir/sub/deep.txt", true)
		}},
	{name: "mark-no-assume-unchanged", args: []string{"--no-assume-unchanged", "a-b"},
		setup: func(r *testRepo) { r.git("update-index", "--assume-unchanged", "a-b", "a") },
		ours:  func(r *testRepo, ix *Index, res *ourResult) error { return ix.SetAssumeUnchanged("a-b", false) }},
	{name: "mark-missing", args: []string{"--assume-unchanged", "nope"},
		ours: func(r *testRepo, ix *Index, res *ourResult) error { return ix.SetAssumeUnchanged("nope", true) }},
	{name: "chmod", setup: func(r *testRepo) { r.git("write-tree") },
		args: []string{"--chmod=+x", "dir/sub/deep.txt", "--chmod=-x", "exe.sh"},
		ours: func(r *testRepo, ix *Index, res *ourResult) error {
			if err := ix.UpdatePath("dir/sub/deep.txt", r, UpdateOptions{}); err != nil {
				return err
			}
			if err := ix.Chmod("dir/sub/deep.txt", true); err != nil {
				return err
			}
			if err := ix.UpdatePath("exe.sh", r, UpdateOptions{}); err != nil {
				return err
			}
			return ix.Chmod("exe.sh", false)
		}},
	{name: "chmod-symlink", args: []string{"--chmod=+x", "link"},
		ours: func(r *testRepo, ix *Index, res *ourResult) error {
			if err := ix.UpdatePath("link", r, UpdateOptions{}); err != nil {
				return err
			}
			return ix.Chmod("link", true)
		}},
	{name: "plain-directory", setup: func(r *testRepo) { r.write("plain/dir/x", "x\n") },
		args: []string{"--add", "plain"}, ours: updatePaths(UpdateOptions{Add: true}, "plain")},
	{name: "invalidates-cache-tree", setup: func(r *testRepo) {
		r.git("write-tree")
		r.write("dir/sub/deep.txt", "changed\n")
		r.write("dir/sub/more/x", "x\n")
	}, args: []string{"--add", "dir/sub/deep.txt", "dir/sub/more/x"},
		ours: updatePaths(UpdateOptions{Add: true}, "dir/sub/deep.txt", "dir/sub/more/x")},
	{name: "refresh-clean", setup: touchSame("a", "dir/file"), args: []string{"--refresh"}, ours: refresh(RefreshOptions{})},
	{name: "refresh-modified", setup: func(r *testRepo) {
		touchSame("a")(r)
		r.write("dir/file", "modified\n")
		os.Remove(r.dir + "/a0")
		os.Remove(r.dir + "/link")
		r.write("link", "a")
	}, args: []string{"--refresh"}, ours: refresh(RefreshOptions{})},
	{name: "refresh-quiet", setup: func(r *testRepo) {
		touchSame("a")(r)
		r.write("dir/file", "modified\n")
	}, args: []string{"-q", "--refresh"}, ours: refresh(RefreshOptions{Quiet: true})},
	{name: "refresh-ignore-missing", setup: func(r *testRepo) { os.Remove(r.dir + "/a0") },
		args: []string{"--ignore-missing", "--refresh"}, ours: refresh(RefreshOptions{IgnoreMissing: true})},
	{name: "refresh-unmerged", setup: func(r *testRepo) {
		r.gitIn("100644 "+blobA+" 2\tu\n100644 "+blobA+" 3\tu\n", "update-index", "--index-info")
	}, args: []string{"-q", "--refresh"}, ours: refresh(RefreshOptions{Quiet: true})},
	{name: "refresh-unmerged-allowed", setup: func(r *testRepo) {
		r.gitIn("100644 "+blobA+" 2\tu\n", "update-index", "--index-info")
	}, args: []string{"--unmerged", "--refresh"}, ours: refresh(RefreshOptions{Unmerged: true})},
	{name: "refresh-intent-to-add", setup: func(r *testRepo) {
		r.write("ita", "x\n")
		r.git("add", "-N", "ita")
	}, args: []string{"--refresh"}, ours: refresh(RefreshOptions{})},
	{name: "really-refresh", setup: func(r *testRepo) {
		r.git("update-index", "--assume-unchanged", "a", "dir/file")
		touchSame("a")(r)
		r.write("dir/file", "modified\n")
	}, args: []string{"--really-refresh"}, ours: refresh(RefreshOptions{Really: true})},
	{name: "racy-smudge", setup: func(r *testRepo) {
		// A file changed within the index's own second, stat otherwise
		// equal: git smudges it when it next writes the index.
		r.git("config", "core.trustctime", "false")
		future := time.Now().Add(time.Hour).Truncate(time.Second)
		r.write("dir/file", "same size 1\n")
		os.Chtimes(r.dir+"/dir/file", future, future)
		r.git("update-index", "dir/file")
		r.write("dir/file", "same size 2\n")
		os.Chtimes(r.dir+"/dir/file", future, future)
		r.write("other", "o\n")
	}, args: []string{"--add", "other"}, ours: func(r *testRepo, ix *Index, res *ourResult) error {
		ix.Options.TrustCtime = false
		return ix.UpdatePath("other", r, UpdateOptions{Add: true})
	}},
}

// makeSubmodule puts a repository with one commit at "sm".
func makeSubmodule(r *testRepo) {
	r.write("sm/file", "sub\n")
	r.git("-C", "sm", "init", "-q")
	r.git("-C", "sm", "add", "file")
	r.git("-C", "sm", "commit", "-q", "-m", "one")
}

// touchSame rewrites files with their own content: new stat data, same
// blob.
func touchSame(paths ...string) func(r *testRepo) {
	return func(r *testRepo) {
		for _, p := range paths {
			data, err := os.ReadFile(r.dir + "/" + p)
			if err != nil {
				r.t.Fatal(err)
			}
			os.Remove(r.dir + "/" + p)
			r.write(p, string(data))
		}
	}
}

func indexInfo(nul bool) func(r *testRepo, ix *Index, res *ourResult) error {
	return func(r *testRepo, ix *Index, res *ourResult) error {
		var stderr strings.Builder
		err := ix.IndexInfo(strings.NewReader(r.stdinOf()), nul, &stderr)
		res.stderr += stderr.String()
		return err
	}
}

// TestUpdateIndexMatchesGit runs each "git update-index" case with git
// and with this package on the same repository state and compares
// output, exit code, the index bytes and "git status".
func TestUpdateIndexMatchesGit(t *testing.T) {
	for _, c := range updateCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			currentStdin.Store(t.Name(), c.stdin)
			runUpdateCase(t, c)
		})
	}
}
