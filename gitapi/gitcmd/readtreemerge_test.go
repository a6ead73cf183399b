package gitcmd

import (
	"fmt"
	"github.com/kiln-dev/kiln/gitapi"
	"math/rand"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// mergeTreesFixture builds "src": a base commit and two branches, ours
// (checked out) and theirs, with every kind of change on each side:
// contents, additions, removals, the same change on both, conflicting
// changes (with and without a base), an executable bit, symbolic links
// and whole directories added and removed; and a branch df that turns
// a file into a directory.
func mergeTreesFixture(t *testing.T) *gittest.Fixture {
	t.Helper()
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "ours", "src")
	sh := func(script string) {
		t.Helper()
		cmd := exec.Command("sh", "-ec", script)
		cmd.Dir, cmd.Env = filepath.Join(f.Root, "src"), f.Env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", script, err, out)
		}
	}
	sh(`for n in a b c d e f same mode1 mode2 x; do echo "$n" >$n; done
chmod +x x
ln -s a l
mkdir -p dir1/deep dir2
echo p >dir1/p; echo q >dir1/deep/q; echo r >dir2/r
git add . && git commit -q -m base && git branch base && git branch theirs && git branch df`)
	sh(`echo a-ours >a; git rm -q b e; echo n1 >n1; echo S >same; chmod +x mode1; echo d-ours >d
git rm -q -r dir1; mkdir dir3; echo s >dir3/s; ln -sf b l; echo both >both; echo ours >addconf; chmod +x mode2
git add -A && git commit -q -m ours`)
	sh(`git checkout -q theirs; echo c-theirs >c; git rm -q b f; echo n2 >n2; echo S >same; echo d-theirs >d
echo e-theirs >e; git rm -q -r dir2; mkdir -p dir4/sub; echo t >dir4/sub/t; chmod -x x; ln -s c l2
echo both >both; echo theirs >addconf; echo mode2-theirs >mode2
git add -A && git commit -q -m theirs`)
	sh(`git checkout -q df; git rm -q f; mkdir f; echo g >f/g; git add -A && git commit -q -m df; git checkout -q ours`)
	return f
}

// TestReadTreeMergeAgainstGit compares read-tree's 2- and 3-way merges
// (with and without --aggressive, -u and -i) with git's: the index
// entries and stages, stat data, cache tree, the work tree and the
// output, on the merges git-merge-resolve and git-merge-octopus run and
// around them: staged changes, the index already at theirs, dirty
// files the merge does not touch, a fresh index file. States git
// refuses or decides its own way are passed to it.
func TestReadTreeMergeAgainstGit(t *testing.T) {
	f := mergeTreesFixture(t)
	other := []string{"GIT_INDEX_FILE=.git/other-index"}
	var cases []indexCase
	for _, flags := range []string{"-m", "-m --aggressive", "-u -m", "-u -m --aggressive", "-i -m", "-i -m --aggressive"} {
		for _, setup := range []string{
			"",
			"git write-tree >/dev/null",
			"echo dirty >n1",
			"git checkout theirs -- c l2",
			"git checkout theirs -- dir4",
		} {
			cases = append(cases,
				indexCase{setup: setup, args: "read-tree " + flags + " base ours theirs"},
				indexCase{setup: setup, args: "read-tree " + flags + " base^{tree} HEAD theirs^{tree}"},
			)
		}
		cases = append(cases,
			indexCase{args: "read-tree " + flags + " theirs ours base"},
			indexCase{args: "read-tree " + flags + " ours ours theirs"},
			indexCase{setup: "git checkout -q theirs", args: "read-tree " + flags + " base theirs ours"},
			// 2-way: move to theirs, the fast-forward of merge-octopus.
			indexCase{args: "read-tree " + flags + " ours theirs"},
			indexCase{setup: "git write-tree >/dev/null", args: "read-tree " + flags + " ours theirs"},
			indexCase{setup: "git checkout -q base", args: "read-tree " + flags + " base ours"},
			indexCase{setup: "git checkout -q base", args: "read-tree " + flags + " base theirs"},
			indexCase{setup: "echo staged >same && git add same", args: "read-tree " + flags + " ours theirs"},
			indexCase{setup: "echo staged >new && git add new", args: "read-tree " + flags + " ours theirs"},
			indexCase{setup: "git rm -q --cached same", args: "read-tree " + flags + " ours theirs"},
			indexCase{setup: "git checkout theirs -- c", args: "read-tree " + flags + " ours theirs"},
			indexCase{setup: "echo dirty >n1", args: "read-tree " + flags + " theirs ours"},
		)
	}
	cases = append(cases, indexCase{setup: "git config core.bare true", args: "read-tree -i -m base ours theirs"})
	for _, flags := range []string{"-m", "-m --aggressive", "-i -m", "-i -m --aggressive"} {
		cases = append(cases,
			indexCase{setup: "git rm -q --cached n1", args: "read-tree " + flags + " base ours theirs"},
			indexCase{args: "read-tree " + flags + " base ours theirs", env: other},
		)
	}
	cases = append(cases,
		indexCase{args: "read-tree -m base ours nosuch"},
		indexCase{setup: ": >.git/index.lock", args: "read-tree -m base ours theirs"},
		indexCase{setup: "git read-tree -m base ours theirs", args: "read-tree -m base ours theirs"},
	)
	runIndexCases(t, f, cases, true)
	// States git refuses or decides itself: the face passes them on.
	runIndexCases(t, f, []indexCase{
		{setup: "echo dirty >d", args: "read-tree -u -m base ours theirs"},
		{setup: "echo dirty >c", args: "read-tree -u -m --aggressive base ours theirs"},
		{setup: "echo dirty >f", args: "read-tree -u -m --aggressive base ours theirs"},
		{setup: "echo untracked >n2", args: "read-tree -u -m base ours theirs"},
		{setup: "mkdir -p dir4/sub/t", args: "read-tree -u -m base ours theirs"},
		{setup: "echo staged >c && git add c", args: "read-tree -m base ours theirs"},
		{setup: "echo staged >d && git add d", args: "read-tree -u -m ours theirs"},
		{setup: "echo dirty >c", args: "read-tree -u -m ours theirs"},
		{args: "read-tree -u -m base ours df"},
		{args: "read-tree -m base base theirs"},
		{setup: "git config core.bare true", args: "read-tree -m base ours theirs"},
		{setup: "git config core.bare true", args: "read-tree -m ours"},
		{setup: "echo '* text' >.gitattributes", args: "read-tree -u -m base ours theirs"},
		{setup: "echo '* text' >dir3/.gitattributes", args: "read-tree -u -m ours theirs"},
		{setup: "git config core.autocrlf true", args: "read-tree -m base ours theirs"},
		{setup: "git config core.sparseCheckout true", args: "read-tree -u -m base ours theirs"},
		{setup: "git tag bad $(printf '100644 blob %s\\t.GIT\\n' $(git rev-parse ours:a) | git mktree)", args: "read-tree -i -m base ours bad"},
		{setup: "git config core.protectNTFS false", args: "read-tree -m base ours theirs"},
		{setup: "git tag bad $(printf '100644 blob %s\\t.GIT\\n' $(git rev-parse ours:a) | git mktree)", args: "read-tree -i -m bad"},
		{setup: "git tag bad $(printf '100644 blob %s\\t.GIT\\n' $(git rev-parse ours:a) | git mktree)", args: "read-tree --prefix=sub/ bad"},
		{setup: "git update-index --assume-unchanged a", args: "read-tree -u -m --aggressive base ours theirs"},
		{args: "read-tree -i -m --aggressive base base theirs"},
		{setup: "git rm -q --cached n1", args: "read-tree -u -m base ours theirs"},
		{args: "read-tree -u -m --aggressive base ours theirs", env: other},
		{args: "read-tree -m ours theirs", env: other},
		{setup: "git update-index --skip-worktree a", args: "read-tree -m base ours theirs"},
		{setup: "git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),mod", args: "read-tree -m base ours theirs"},
	}, false)
	for _, args := range []string{
		"read-tree -m base ours theirs df", "read-tree -m --aggressive ours", "read-tree -m --trivial base ours theirs",
		"read-tree -n -m base ours theirs", "read-tree --reset -u ours theirs", "read-tree -m -i -u base ours theirs",
		"read-tree base ours theirs", "read-tree --prefix=x/ ours theirs",
	} {
		if Serves(strings.Fields(args)) {
			t.Errorf("Serves(%q) = true", args)
		}
	}
}

// TestReadTreeMergeRandomAgainstGit compares 2- and 3-way read-tree
// merges over generated trees (a fixed seed): each of base, ours and
// theirs gives each of a set of paths (none a directory of another)
// one of three contents as a file, an executable or a symbolic link,
// or leaves it out; ours is checked out, sometimes with a dirty file or
// theirs' version of a path staged; every other trial with all entries
// racily clean (see indexCase.racy). Whether served or passed to git,
// the outcome must be git's.
func TestReadTreeMergeRandomAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "src")
	src := filepath.Join(f.Root, "src")
	run := func(env []string, stdin, script string) string {
		t.Helper()
		cmd := exec.Command("sh", "-ec", script)
		cmd.Dir, cmd.Env, cmd.Stdin = src, append(append([]string{}, f.Env...), env...), strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v: %s", script, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	contents := []string{"one", "two", "three"}
	blobs := make([]string, len(contents))
	for i, c := range contents {
		blobs[i] = run(nil, c+"\n", "git hash-object -w --stdin")
	}
	paths := []string{"a", "b", "c", "d/x", "d/y", "e/f/g", "e/h", "k"}
	modes := []string{"100644", "100755", "120000"}
	rng := rand.New(rand.NewSource(13))
	// tree writes a tree and its commit as branch name: each path as in
	// from (nil: generated afresh), changed one time in three.
	tree := func(name string, from map[string]string) map[string]string {
		entries := map[string]string{}
		var b strings.Builder
		for _, p := range paths {
			e, ok := from[p]
			if from == nil || rng.Intn(3) == 0 {
				e, ok = modes[rng.Intn(3)]+" "+blobs[rng.Intn(3)], rng.Intn(4) != 0
			}
			if !ok {
				continue
			}
			entries[p] = e
			fmt.Fprintf(&b, "%s\t%s\n", e, p)
		}
		run([]string{"GIT_INDEX_FILE=.git/gen-index"}, b.String(), "rm -f .git/gen-index; git update-index --index-info; "+
			"git branch "+name+" $(git commit-tree -m "+name+" $(git write-tree)); rm .git/gen-index")
		return entries
	}
	const trials = 40
	var cases []indexCase
	for i := 0; i < trials; i++ {
		base, ours, theirs := fmt.Sprintf("base%d", i), fmt.Sprintf("ours%d", i), fmt.Sprintf("theirs%d", i)
		b := tree(base, nil)
		tree(ours, b)
		tree(theirs, b)
		// Every other trial makes all entries racily clean, a dirty
		// file (changed in place, same size) among them.
		racy := i%2 == 1
		setup, dirty := "git checkout -q -f "+ours, ""
		if racy {
			setup += " && git config core.trustctime false"
		}
		switch p := paths[rng.Intn(len(paths))]; rng.Intn(4) {
		case 0:
			dirty = "if test -f " + p + "; then echo dirty >" + p + "; fi"
			if racy {
				dirty = "if test -f " + p + "; then printf X | dd of=" + p + " conv=notrunc 2>/dev/null; fi"
			}
		case 1:
			setup += " && (git checkout " + theirs + " -- " + p + " 2>/dev/null || :)"
		}
		for _, flags := range []string{"-m", "-u -m", "-u -m --aggressive", "-i -m --aggressive"} {
			cases = append(cases,
				indexCase{setup: setup, dirty: dirty, racy: racy, args: "read-tree " + flags + " " + base + " " + ours + " " + theirs},
			)
		}
		cases = append(cases,
			indexCase{setup: setup, dirty: dirty, racy: racy, args: "read-tree -u -m " + ours + " " + theirs},
			indexCase{setup: setup, dirty: dirty, racy: racy, args: "read-tree -m " + base + " " + theirs},
		)
	}
	before := gitapi.FallbackCount()
	runIndexCases(t, f, cases, false)
	t.Logf("%d cases, %d passed to git", len(cases), gitapi.FallbackCount()-before)
}

// TestReadTreeMergeRacyAgainstGit compares 2- and 3-way read-tree
// merges where every index entry is racily clean (its mtime that of the
// index file) on both runs: clean files, whose content git checks and
// keeps; files changed in place with the same size, inode and mtime
// that the merge keeps, which git smudges (size 0) when it writes the
// index; and such files the merge must find up to date, which git
// refuses (passed to it).
func TestReadTreeMergeRacyAgainstGit(t *testing.T) {
	f := mergeTreesFixture(t)
	// The dirty files' ctime is new: git compares it unless told not to.
	const noCtime = "git config core.trustctime false"
	var served, refused []indexCase
	for _, flags := range []string{"-m", "-u -m", "-i -m"} {
		served = append(served,
			indexCase{racy: true, args: "read-tree " + flags + " ours theirs"},
			indexCase{racy: true, args: "read-tree " + flags + " base ours theirs"},
			indexCase{racy: true, setup: noCtime, args: "read-tree " + flags + " --aggressive base ours theirs"},
			// same and both are alike in ours and theirs: kept.
			indexCase{racy: true, setup: noCtime, dirty: "echo T >same && echo BOTH >both", args: "read-tree " + flags + " ours theirs"},
			// a is changed in ours alone: kept by the 3-way merge.
			indexCase{racy: true, setup: noCtime, dirty: "echo T >same && echo a-OURS >a", args: "read-tree " + flags + " base ours theirs"},
			indexCase{racy: true, setup: noCtime, dirty: "echo a-OURS >a", args: "read-tree " + flags + " --aggressive base ours theirs"},
			// The same, not racy: the dirty file's mtime is new.
			indexCase{setup: noCtime, dirty: "echo T >same && echo BOTH >both", args: "read-tree " + flags + " ours theirs"},
		)
	}
	// c moves to theirs, d is a conflict: both must be up to date,
	// unless only the index is read.
	served = append(served,
		indexCase{racy: true, setup: noCtime, dirty: "echo C >c", args: "read-tree -i -m ours theirs"},
		indexCase{racy: true, setup: noCtime, dirty: "echo d-OURS >d", args: "read-tree -i -m base ours theirs"},
	)
	for _, flags := range []string{"-m", "-u -m"} {
		refused = append(refused,
			indexCase{racy: true, setup: noCtime, dirty: "echo C >c", args: "read-tree " + flags + " ours theirs"},
			indexCase{racy: true, setup: noCtime, dirty: "echo C >c", args: "read-tree " + flags + " base ours theirs"},
			indexCase{racy: true, setup: noCtime, dirty: "echo d-OURS >d", args: "read-tree " + flags + " base ours theirs"},
		)
	}
	runIndexCases(t, f, served, true)
	runIndexCases(t, f, refused, false)
}
