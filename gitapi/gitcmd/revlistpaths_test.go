package gitcmd

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// randomPathHistory builds a repository "paths" of n commits without
// merges on a few branches forking from each other (and a second root),
// each commit changing, adding, removing or re-moding files under a/,
// a/x/, b/ and c, or nothing; committer dates repeat and go back in
// time. It returns the branch names.
func randomPathHistory(t *testing.T, f *gittest.Fixture, n int, seed int64) []string {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	f.Git(t, "", "init", "-q", "-b", "main", "paths")
	files := []string{"a/f1", "a/f2", "a/x/g", "b/h", "c", "d/e"}
	branches := []string{"main", "b1", "b2", "b3"}
	tips := map[string]string{}
	trees := map[string]string{}
	var all []string
	date := 1112900000
	for i := 0; i < n; i++ {
		b := branches[rng.Intn(len(branches))]
		parent := tips[b]
		if parent == "" && len(all) > 0 && rng.Intn(4) > 0 {
			parent = all[rng.Intn(len(all))]
		}
		// Start from the parent's tree (or nothing) in the index.
		if parent != "" {
			f.Git(t, "paths", "read-tree", trees[parent])
		} else {
			f.Git(t, "paths", "read-tree", "--empty")
		}
		for k := rng.Intn(3); k > 0; k-- {
			path := files[rng.Intn(len(files))]
			switch rng.Intn(5) {
			case 0:
				f.Git(t, "paths", "rm", "-q", "--cached", "--ignore-unmatch", path)
			case 1:
				blob := f.GitStdin(t, "paths", path+"\n", "hash-object", "-w", "--stdin")
				f.Git(t, "paths", "update-index", "--add", "--cacheinfo", "100755,"+blob+","+path)
			default:
				blob := f.GitStdin(t, "paths", fmt.Sprintf("%s %d\n", path, rng.Intn(4)), "hash-object", "-w", "--stdin")
				f.Git(t, "paths", "update-index", "--add", "--cacheinfo", "100644,"+blob+","+path)
			}
		}
		tree := f.Git(t, "paths", "write-tree")
		switch rng.Intn(4) {
		case 0:
		case 1:
			date -= rng.Intn(500)
		default:
			date += rng.Intn(100)
		}
		args := []string{"commit-tree", "-m", fmt.Sprintf("c%d", i)}
		if parent != "" {
			args = append(args, "-p", parent)
		}
		args = append(args, tree)
		res := f.RunGit(t, "paths", []string{fmt.Sprintf("GIT_COMMITTER_DATE=%d +0000", date), "GIT_AUTHOR_DATE=1112900000 +0000"}, "", args)
		if res.Status != 0 {
			t.Fatalf("commit-tree: %s", res.Stderr)
		}
		id := strings.TrimSpace(res.Stdout)
		trees[id] = tree
		tips[b] = id
		all = append(all, id)
	}
	var names []string
	for _, b := range branches {
		if tips[b] != "" {
			f.Git(t, "paths", "update-ref", "refs/heads/"+b, tips[b])
			names = append(names, b)
		}
	}
	f.Git(t, "paths", "symbolic-ref", "HEAD", "refs/heads/"+names[0])
	return names
}

// revListPathForms are the path-limited rev-list forms filter-branch
// runs (git-filter-branch:334, 494) and those around them; %[1]s is the
// revisions, %[2]s the paths.
var revListPathForms = []string{
	"rev-list --reverse --topo-order --default HEAD --parents --simplify-merges %[1]s -- %[2]s",
	"rev-list --simplify-merges -1 %[1]s -- %[2]s",
	"rev-list --simplify-merges --parents %[1]s -- %[2]s",
	"rev-list --simplify-merges --count %[1]s -- %[2]s",
	"rev-list --topo-order --simplify-merges --parents -n 4 %[1]s -- %[2]s",
}

// TestRevListPathsAgainstGit compares path-limited rev-list (history
// simplified by paths with --simplify-merges) with git's on random
// histories without merges: every form, on every branch and pair of
// branches, through --stdin too, for paths of trees, files, nested and
// missing ones, and several at once.
func TestRevListPathsAgainstGit(t *testing.T) {
	pathSets := []string{"a", "a/x", "a/f1", "c", "b c", "a/x/g d", "nosuch", "d/e/f"}
	for seed := int64(1); seed <= 3; seed++ {
		g := gittest.NewDir(t)
		branches := randomPathHistory(t, g, 50, seed)
		var cases []diffCase
		for _, paths := range pathSets {
			for _, form := range revListPathForms {
				for _, a := range branches {
					cases = append(cases, diffCase{dir: "paths", args: fmt.Sprintf(form, a, paths)})
					for _, b := range branches {
						if a != b {
							cases = append(cases, diffCase{dir: "paths", args: fmt.Sprintf(form, b+" ^"+a, paths)})
						}
					}
				}
			}
			cases = append(cases,
				diffCase{dir: "paths", args: "rev-list --reverse --topo-order --default HEAD --parents --simplify-merges --stdin -- " + paths,
					stdin: strings.Join(branches, "\n") + "\n"},
				diffCase{dir: "paths", args: "rev-list --reverse --topo-order --default HEAD --parents --simplify-merges --stdin -- " + paths,
					stdin: branches[0] + "\n^" + branches[len(branches)-1] + "\n"},
				diffCase{dir: "paths", args: "rev-list --reverse --topo-order --default HEAD --parents --simplify-merges --stdin -- " + paths},
			)
		}
		cases = append(cases,
			diffCase{dir: "paths", args: "rev-list --simplify-merges nosuch -- a"},
			diffCase{dir: "paths", args: "rev-list --simplify-merges HEAD --"},
		)
		t.Run(fmt.Sprintf("random %d", seed), func(t *testing.T) { runServedCases(t, g, cases) })
	}
	// Merges are git's: the face hands the walk over, with git's
	// answer.
	f := historyFixture(t)
	var cases []diffCase
	for _, b := range historyBranches {
		cases = append(cases, diffCase{dir: "hist", args: "rev-list --reverse --topo-order --default HEAD --parents --simplify-merges " + b + " -- f"})
	}
	runDiffCases(t, f, cases)
}
