package gitcmd

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// randomMergeHistory builds a repository "merges" of n commits on a few
// branches that merge into each other often (octopus merges too), with
// committer dates that repeat (ties) and sometimes go back in time
// (skew): the shapes where topological order and date tie-breaks show.
// It returns the branch names.
func randomMergeHistory(t *testing.T, f *gittest.Fixture, n int, seed int64) []string {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	f.Git(t, "", "init", "-q", "-b", "main", "merges")
	f.Write(t, "merges/file", "x\n")
	f.Git(t, "merges", "add", "file")
	tree := f.Git(t, "merges", "write-tree")
	branches := []string{"main", "b1", "b2", "b3", "b4"}
	tips := map[string]string{}
	var all []string
	date := 1112900000
	for i := 0; i < n; i++ {
		b := branches[rng.Intn(len(branches))]
		var parents []string
		if tips[b] != "" {
			parents = append(parents, tips[b])
		} else if len(all) > 0 && rng.Intn(3) > 0 {
			parents = append(parents, all[rng.Intn(len(all))])
		}
		if len(all) > 0 && rng.Intn(3) == 0 {
			for k := 1 + rng.Intn(2); k > 0; k-- {
				p := all[rng.Intn(len(all))]
				if !contains(parents, p) {
					parents = append(parents, p)
				}
			}
		}
		switch rng.Intn(4) {
		case 0: // same date as the last commit
		case 1:
			date -= rng.Intn(500) // clock skew
		default:
			date += rng.Intn(100)
		}
		args := []string{"commit-tree", "-m", fmt.Sprintf("c%d", i)}
		for _, p := range parents {
			args = append(args, "-p", p)
		}
		args = append(args, tree)
		stamp := fmt.Sprintf("GIT_COMMITTER_DATE=%d +0000", date)
		res := f.RunGit(t, "merges", []string{stamp, "GIT_AUTHOR_DATE=1112900000 +0000"}, "", args)
		if res.Status != 0 {
			t.Fatalf("commit-tree: %s", res.Stderr)
		}
		id := strings.TrimSpace(res.Stdout)
		tips[b] = id
		all = append(all, id)
	}
	var names []string
	for _, b := range branches {
		if tips[b] != "" {
			f.Git(t, "merges", "update-ref", "refs/heads/"+b, tips[b])
			names = append(names, b)
		}
	}
	f.Git(t, "merges", "symbolic-ref", "HEAD", "refs/heads/"+names[0])
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// runServedCases is runDiffCases for faces that must answer in-process:
// each case is also checked not to have reached Fallback. The cases run
// one after another so that the fallback count is theirs alone.
func runServedCases(t *testing.T, f *gittest.Fixture, cases []diffCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) {
			want := f.RunGit(t, c.dir, c.env, c.stdin, c.argList())
			before := gitapi.FallbackCount()
			got := runKiln(f, c.dir, c.env, c.stdin, c.argList())
			if gitapi.FallbackCount() != before {
				t.Errorf("passed to git, not served in-process")
			}
			if got != want {
				t.Errorf("git:   status %d\nstdout:\n%s\nstderr:\n%s\nkiln:  status %d\nstdout:\n%s\nstderr:\n%s",
					want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
			}
		})
	}
}

// revListForms are the rev-list argument lists filter-branch and
// subtree use, and the plain forms around them.
var revListForms = []string{
	"rev-list %s",
	"rev-list --topo-order %s",
	"rev-list --topo-order --reverse --parents %s",
	"rev-list --reverse --topo-order --default HEAD --parents --simplify-merges %s",
	"rev-list --simplify-merges -1 %s",
	"rev-list --count %s",
	"rev-list --parents -n 3 %s",
	"rev-list --reverse --max-count=2 %s",
}

// TestRevListAgainstGit compares rev-list on historyFixture (criss-cross
// merges, equal dates, a commit older than its parent, an octopus) and
// on random merge-heavy histories: every form on every branch, on pairs
// (b ^a, a..b), and through --stdin.
func TestRevListAgainstGit(t *testing.T) {
	f := historyFixture(t)
	var cases []diffCase
	add := func(dir string, branches []string) {
		for _, form := range revListForms {
			for _, a := range branches {
				cases = append(cases, diffCase{dir: dir, args: fmt.Sprintf(form, a)})
				for _, b := range branches[:min(len(branches), 6)] {
					cases = append(cases,
						diffCase{dir: dir, args: fmt.Sprintf(form, b+" ^"+a)},
						diffCase{dir: dir, args: fmt.Sprintf(form, a+".."+b)},
						diffCase{dir: dir, args: fmt.Sprintf(form, "--stdin"), stdin: a + "\n^" + b + "\n"})
				}
			}
		}
		cases = append(cases,
			diffCase{dir: dir, args: "rev-list --reverse --topo-order --default HEAD --parents --simplify-merges --stdin", stdin: ""},
			diffCase{dir: dir, args: "rev-list --count --stdin", stdin: ""},
			diffCase{dir: dir, args: "rev-list --topo-order " + strings.Join(branches, " ")},
			diffCase{dir: dir, args: "rev-list --topo-order --parents --reverse ^" + strings.Join(branches, " ^") + " HEAD"},
			diffCase{dir: dir, args: "rev-list nosuch"},
			diffCase{dir: dir, args: "rev-list --count -n 0 HEAD"},
		)
	}
	add("hist", historyBranches)
	add("hist", []string{"td", "HEAD~1", "f^2", "k^3"})
	for seed := int64(1); seed <= 3; seed++ {
		g := gittest.NewDir(t)
		branches := randomMergeHistory(t, g, 60, seed)
		var gc []diffCase
		for _, form := range revListForms {
			for _, a := range branches {
				gc = append(gc, diffCase{dir: "merges", args: fmt.Sprintf(form, a)})
				for _, b := range branches {
					gc = append(gc, diffCase{dir: "merges", args: fmt.Sprintf(form, b+" ^"+a)})
				}
			}
		}
		gc = append(gc, diffCase{dir: "merges", args: "rev-list --topo-order --parents " + strings.Join(branches, " ")})
		t.Run(fmt.Sprintf("random %d", seed), func(t *testing.T) { runServedCases(t, g, gc) })
	}
	runServedCases(t, f, cases)
	// With a commit-graph git walks unlimited topological orders
	// incrementally by generation numbers: the same order.
	g := gittest.NewDir(t)
	branches := randomMergeHistory(t, g, 80, 4)
	g.Git(t, "merges", "commit-graph", "write", "--reachable")
	var gc []diffCase
	for _, a := range branches {
		gc = append(gc,
			diffCase{dir: "merges", args: "rev-list --topo-order " + a},
			diffCase{dir: "merges", args: "rev-list --topo-order --reverse --parents " + a},
			diffCase{dir: "merges", args: "rev-list --count " + a},
		)
	}
	gc = append(gc, diffCase{dir: "merges", args: "rev-list --topo-order " + strings.Join(branches, " ")})
	t.Run("commit-graph", func(t *testing.T) { runServedCases(t, g, gc) })
}

// TestRevListServes: forms git answers (pathspecs other than literal
// paths with --simplify-merges, other options) are not claimed.
func TestRevListServes(t *testing.T) {
	for _, args := range []string{
		"rev-list --topo-order HEAD -- file", "rev-list --all", "rev-list --simplify-merges HEAD -- 'a*'",
		"rev-list --simplify-merges HEAD -- ./a", "rev-list --simplify-merges HEAD -- a/", "rev-list --simplify-merges HEAD -- :a",
		"rev-list --date-order HEAD", "rev-list a...b", "rev-list --first-parent HEAD", "rev-list HEAD@{yesterday}",
	} {
		if Serves(strings.Fields(args)) {
			t.Errorf("Serves(%q) = true", args)
		}
	}
	for _, args := range []string{
		"rev-list --reverse --topo-order --default HEAD --parents --simplify-merges --stdin",
		"rev-list --count a..b", "rev-list --topo-order --reverse --parents a ^b",
		"rev-list --reverse --topo-order --default HEAD --parents --simplify-merges --stdin -- lib",
		"rev-list --simplify-merges -1 refs/heads/main -- lib sub/dir",
	} {
		if !Serves(strings.Fields(args)) {
			t.Errorf("Serves(%q) = false", args)
		}
	}
}
