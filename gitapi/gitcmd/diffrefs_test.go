package gitcmd

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"

	"github.com/google/go-cmp/cmp"
)

// snapshotGitDir reads every file of a git directory except objects and
// the index: refs, packed-refs, reflogs, HEAD, config.
func snapshotGitDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if rel == "objects" || rel == "hooks" {
				return filepath.SkipDir
			}
			files[rel+"/"] = ""
			return nil
		}
		if rel == "index" {
			return nil
		}
		data, err := os.ReadFile(path)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// copyRepoForRefs copies what ref commands touch of the repository at
// src: its git directory without objects (borrowed through
// objects/info/alternates, which both git and gitapi follow) and hooks,
// and the work tree's directories. Creating files is slow on the test
// machines; this keeps a copy to a few dozen.
func copyRepoForRefs(dst, src, gitSub string) error {
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		switch {
		case rel == filepath.Join(gitSub, "objects") || rel == filepath.Join(gitSub, "hooks"):
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(target, 0o777)
		case gitSub != "." && !strings.HasPrefix(rel, gitSub+string(filepath.Separator)):
			return nil // work tree files: not needed by ref commands
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o666)
	})
	if err != nil {
		return err
	}
	info := filepath.Join(dst, gitSub, "objects", "info")
	if err := os.MkdirAll(info, 0o777); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(info, "alternates"), []byte(filepath.Join(src, gitSub, "objects")+"\n"), 0o666)
}

// runMutatingCases runs each case twice on fresh copies of the fixture's
// repo at the same path, once with git and once with gitapi, and compares
// the output and the resulting git directory.
func runMutatingCases(t *testing.T, f *gittest.Fixture, cases []diffCase) {
	t.Helper()
	runMutatingCasesIn(t, f, "repo", ".git", cases)
}

// runMutatingCasesIn is runMutatingCases on a copy of the repository src
// (a fixture directory) whose git directory is src/gitSub; case
// directories start with src.
func runMutatingCasesIn(t *testing.T, f *gittest.Fixture, src, gitSub string, cases []diffCase) {
	t.Helper()
	pristine := filepath.Join(f.Root, src)
	for i, c := range cases {
		// Each case gets its own copy, at the same path for both runs.
		name := fmt.Sprintf("%s-work%d", t.Name(), i)
		work := filepath.Join(f.Root, name)
		fresh := func(t *testing.T) {
			t.Helper()
			if err := os.RemoveAll(work); err != nil {
				t.Fatal(err)
			}
			if err := copyRepoForRefs(work, pristine, gitSub); err != nil {
				t.Fatal(err)
			}
		}
		c.dir = name + strings.TrimPrefix(c.dir, src)
		t.Run(c.name(), func(t *testing.T) {
			t.Parallel()
			t.Cleanup(func() { os.RemoveAll(work) })
			fresh(t)
			want := f.RunGit(t, c.dir, c.env, c.stdin, c.argList())
			wantFiles := snapshotGitDir(t, filepath.Join(work, gitSub))
			fresh(t)
			got := runKiln(f, c.dir, c.env, c.stdin, c.argList())
			gotFiles := snapshotGitDir(t, filepath.Join(work, gitSub))
			if got != want {
				t.Errorf("git:   status %d\nstdout:\n%s\nstderr:\n%s\nkiln:  status %d\nstdout:\n%s\nstderr:\n%s",
					want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
			}
			if diff := cmp.Diff(wantFiles, gotFiles); diff != "" {
				t.Errorf("git directory differs (-git +kiln):\n%s", diff)
			}
		})
	}
}

// TestUpdateRefAgainstGit compares update-ref: creation, update through
// HEAD, old-value checks, deletion of loose and packed refs, reflogs and
// their messages, lock conflicts and bad names.
func TestUpdateRefAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	head := f.Git(t, "repo", "rev-parse", "HEAD")
	v1 := f.Git(t, "repo", "rev-parse", "v1")
	one := f.Git(t, "repo", "rev-parse", "v1^{}")
	zero := strings.Repeat("0", 40)
	tree := f.Git(t, "repo", "rev-parse", "HEAD^{tree}")
	runMutatingCases(t, f, []diffCase{
		{dir: "repo", args: "update-ref refs/heads/new HEAD"},
		{dir: "repo", argv: []string{"update-ref", "-m", "  a  message\nwith lines  ", "refs/heads/new", "HEAD~1"}},
		{dir: "repo", args: "update-ref -m move refs/heads/main HEAD~1"},
		{dir: "repo", args: "update-ref -m via-head HEAD HEAD~1"},
		{dir: "repo", args: "update-ref --no-deref -m detach HEAD HEAD~1"},
		{dir: "repo", args: "update-ref -m same refs/heads/main HEAD"},
		{dir: "repo", args: "update-ref -m same-noderef --no-deref refs/heads/main HEAD"},
		{dir: "repo", args: "update-ref -m detach-same --no-deref HEAD HEAD"},
		{dir: "repo", args: "update-ref -m same-via-head HEAD HEAD"},
		{dir: "repo", args: "update-ref -m tagged refs/tags/new " + v1},
		{dir: "repo", args: "update-ref -m created --create-reflog refs/tags/new2 HEAD"},
		{dir: "repo", args: "update-ref refs/heads/main " + one + " " + head},
		{dir: "repo", args: "update-ref refs/heads/main " + one + " " + one},
		{dir: "repo", args: "update-ref refs/heads/new " + one + " " + head},
		{dir: "repo", args: "update-ref refs/heads/main " + one + " " + zero},
		{dir: "repo", argv: []string{"update-ref", "refs/heads/brand", one, ""}},
		{dir: "repo", args: "update-ref refs/heads/x nosuchrev"},
		{dir: "repo", args: "update-ref refs/heads/x HEAD nosuchrev"},
		{dir: "repo", args: "update-ref refs/heads/x " + tree},
		{dir: "repo", args: "update-ref refs/heads/x 1234567890123456789012345678901234567890"},
		{dir: "repo", args: "update-ref lower HEAD"},
		{dir: "repo", args: "update-ref ORIG_HEAD HEAD~1"},
		{dir: "repo", args: "update-ref refs/heads/bad..name HEAD"},
		{dir: "repo", args: "update-ref refs/heads HEAD"},
		{dir: "repo", args: "update-ref refs/heads/main/sub HEAD"},
		{dir: "repo", args: "update-ref refs/tags/v1/x HEAD"},
		{dir: "repo", args: "update-ref refs/remotes/origin HEAD"},
		{dir: "repo", args: "update-ref -m packed refs/heads/side HEAD"},
		{dir: "repo", args: "update-ref -m packed-tag refs/tags/v1 HEAD " + v1},
		{dir: "repo", args: "update-ref -m through-symref refs/remotes/origin/HEAD HEAD"},
		{dir: "repo", args: "update-ref -d refs/heads/topic"},
		{dir: "repo", args: "update-ref -d refs/heads/side"},
		{dir: "repo", args: "update-ref -d refs/tags/v1"},
		{dir: "repo", args: "update-ref -d refs/heads/nosuch"},
		{dir: "repo", args: "update-ref -d refs/heads/side " + head},
		{dir: "repo", args: "update-ref -d refs/heads/topic " + head},
		{dir: "repo", args: "update-ref -d refs/heads/topic " + zero},
		// Deleting the branch HEAD points at logs the deletion on HEAD.
		{dir: "repo", args: "update-ref -m bye -d refs/heads/main"},
		{dir: "repo", args: "update-ref -m bye -d refs/heads/main " + head},
		{dir: "repo", args: "update-ref -d refs/heads/main"},
		{dir: "repo", args: "update-ref -m via-head -d HEAD"},
		{dir: "repo", args: "update-ref -m via-symref -d refs/remotes/origin/HEAD"},
		{dir: "repo", args: "update-ref"},
		{dir: "repo", args: "update-ref refs/heads/x"},
		{dir: "repo", args: "update-ref -h"},
		{dir: "repo", args: "update-ref --bogus"},
		{dir: "repo", argv: []string{"update-ref", "-m", "", "refs/heads/x", "HEAD"}},
		{dir: "repo/sub", args: "update-ref -m from-sub refs/heads/sub HEAD"},
		{dir: "repo", env: []string{"GIT_COMMITTER_NAME=<Odd, Name.>", "GIT_COMMITTER_EMAIL= <odd@example.com> "}, args: "update-ref -m ident refs/heads/main HEAD~1"},
		{dir: "repo", env: []string{"GIT_CONFIG_PARAMETERS='core.logallrefupdates'='false'"}, args: "update-ref -m nolog refs/heads/fresh HEAD"},
		{dir: "repo", env: []string{"GIT_CONFIG_PARAMETERS='core.logallrefupdates'='always'"}, args: "update-ref -m always refs/tags/logged HEAD"},
		{dir: "repo", args: "symbolic-ref HEAD refs/heads/topic"},
		{dir: "repo", args: "symbolic-ref -m switch HEAD refs/heads/topic"},
		{dir: "repo", args: "symbolic-ref -m unborn HEAD refs/heads/unborn"},
		{dir: "repo", args: "symbolic-ref HEAD main"},
		{dir: "repo", args: "symbolic-ref HEAD refs/heads/bad..name"},
		{dir: "repo", args: "symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main"},
		{dir: "repo", args: "symbolic-ref -d HEAD"},
		{dir: "repo", args: "symbolic-ref -d refs/heads/main"},
	})
}

// TestBareUpdateRefAgainstGit compares ref updates in a bare repository,
// where core.logAllRefUpdates defaults to false.
func TestBareUpdateRefAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	runMutatingCasesIn(t, f, "bare.git", ".", []diffCase{
		{dir: "bare.git", args: "update-ref -m bare refs/heads/new main~1"},
		{dir: "bare.git", args: "update-ref -m bare-head HEAD main~1"},
		{dir: "bare.git", args: "update-ref -m bare-create --create-reflog refs/heads/logged main"},
		{dir: "bare.git", env: []string{"GIT_CONFIG_PARAMETERS='core.logallrefupdates'='true'"}, args: "update-ref -m forced refs/heads/new main"},
		{dir: "bare.git", args: "update-ref -d refs/heads/side"},
		{dir: "bare.git", args: "symbolic-ref -m switch HEAD refs/heads/side"},
	})
}

// TestLockedRefAgainstGit compares an update that finds the ref locked.
func TestLockedRefAgainstGit(t *testing.T) {
	f := gittest.NewFixture(t)
	f.Write(t, "repo/.git/refs/heads/main.lock", "")
	runMutatingCases(t, f, []diffCase{
		{dir: "repo", args: "update-ref refs/heads/main HEAD~1"},
		{dir: "repo", args: "update-ref -m x HEAD HEAD~1"},
	})
}

// TestLockedSymrefAgainstGit compares a symbolic-ref that finds HEAD
// locked and a deletion that finds packed-refs locked: git prints the
// lock's message alone, as an error, with status 1.
func TestLockedSymrefAgainstGit(t *testing.T) {
	f := gittest.NewFixture(t)
	f.Write(t, "repo/.git/HEAD.lock", "")
	f.Write(t, "repo/.git/packed-refs.lock", "")
	runMutatingCases(t, f, []diffCase{
		{dir: "repo", args: "symbolic-ref HEAD refs/heads/side"},
		{dir: "repo", args: "symbolic-ref -m x HEAD refs/heads/side"},
		{dir: "repo", args: "update-ref -d refs/tags/lt"},
	})
}

// TestRefQueriesAgainstGit compares show-ref and symbolic-ref reads.
func TestRefQueriesAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	var cases []diffCase
	for _, args := range []string{
		"show-ref", "show-ref --head", "show-ref --heads", "show-ref --tags", "show-ref --heads --tags",
		"show-ref -d", "show-ref --tags -d", "show-ref -s", "show-ref --hash=8", "show-ref --abbrev", "show-ref --abbrev=5 -d",
		"show-ref main", "show-ref side", "show-ref origin/main", "show-ref ain", "show-ref nosuch", "show-ref -q main",
		"show-ref --verify refs/heads/main", "show-ref --verify refs/heads/main refs/tags/v1", "show-ref --verify main",
		"show-ref --verify -q main", "show-ref --verify HEAD", "show-ref --verify", "show-ref --verify -d refs/tags/v1",
		"show-ref -h", "show-ref --bogus", "show-ref --he", "show-ref --hash=abc", "show-ref --abbrev=0", "show-ref --hash=0",
		"symbolic-ref HEAD", "symbolic-ref --short HEAD", "symbolic-ref -q HEAD", "symbolic-ref refs/remotes/origin/HEAD",
		"symbolic-ref --short refs/remotes/origin/HEAD", "symbolic-ref refs/heads/main", "symbolic-ref -q refs/heads/main",
		"symbolic-ref nosuch", "symbolic-ref", "symbolic-ref a b c", "symbolic-ref -h", "symbolic-ref --no-recurse HEAD",
		"symbolic-ref -d", "symbolic-ref --bogus",
	} {
		cases = append(cases, diffCase{dir: "repo", args: args})
	}
	cases = append(cases,
		diffCase{dir: "bare.git", args: "show-ref"},
		diffCase{dir: "wt", args: "symbolic-ref HEAD"},
		diffCase{dir: "wt", args: "rev-parse HEAD @{0} --symbolic-full-name @"},
		diffCase{dir: "detached", args: "symbolic-ref HEAD"},
		diffCase{dir: "detached", args: "symbolic-ref -q HEAD"},
		diffCase{dir: "detached", args: "rev-parse --abbrev-ref HEAD"},
		diffCase{dir: "detached", args: "rev-parse --symbolic-full-name HEAD @{u} @{-1}"},
		diffCase{dir: "detached", args: "rev-parse HEAD@{0} @{1}"},
		diffCase{dir: "detached", args: "show-ref --head --heads"},
		diffCase{dir: "repo", args: "show-ref --heads --tags side"},
		diffCase{dir: "repo", args: "show-ref --heads --tags v1"},
		diffCase{dir: "repo", args: "symbolic-ref -q main"},
		diffCase{dir: "repo", args: "rev-parse --verify --quiet side^0"},
		diffCase{dir: "repo", args: "rev-parse --verify --quiet v1^0"},
	)
	runDiffCases(t, f, cases)
}
