package gitcmd

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// historyFixture builds a repository "hist" whose branches make the
// shapes merge-base must get right: a criss-cross merge (two best
// bases), equal commit dates (ties broken as git's queue breaks them), a
// commit dated before its parent (clock skew), an unrelated root, and
// three branches off one root for octopus merges.
func historyFixture(t *testing.T) *gittest.Fixture {
	t.Helper()
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "hist")
	f.Write(t, "plain/.keep", "")
	f.Write(t, "hist/file", "x\n")
	f.Git(t, "hist", "add", "file")
	tree := f.Git(t, "hist", "write-tree")
	ids := map[string]string{}
	commit := func(name string, date int, parents ...string) {
		args := []string{"commit-tree", "-m", name}
		for _, p := range parents {
			args = append(args, "-p", ids[p])
		}
		args = append(args, tree)
		stamp := fmt.Sprintf("GIT_COMMITTER_DATE=%d +0000", 1112900000+date)
		res := f.RunGit(t, "hist", []string{stamp, "GIT_AUTHOR_DATE=1112900000 +0000"}, "", args)
		if res.Status != 0 {
			t.Fatalf("commit-tree %s: %s", name, res.Stderr)
		}
		ids[name] = strings.TrimSpace(res.Stdout)
		f.Git(t, "hist", "update-ref", "refs/heads/"+name, ids[name])
	}
	commit("r", 100)
	commit("b", 200, "r")
	commit("c", 200, "r")
	commit("d", 300, "b", "c")
	commit("e", 300, "c", "b")
	commit("f", 400, "d")
	commit("g", 150, "e") // older than its parent
	commit("h", 250, "b")
	commit("i", 260, "c")
	commit("j", 270, "r")
	commit("k", 280, "h", "i", "j")
	commit("z", 500)
	commit("y", 100, "z")
	f.Git(t, "hist", "tag", "-a", "-m", "tag on d", "td", "d")
	f.Git(t, "hist", "tag", "-a", "-m", "tag on tree", "ttree", tree)
	f.Git(t, "hist", "checkout", "-q", "f")
	return f
}

// historyBranches are the branch names of historyFixture.
var historyBranches = strings.Fields("r b c d e f g h i j k z y")

// TestMergeBaseAgainstGit compares merge-base in every mode on every
// pair (and some triples) of historyFixture's branches.
func TestMergeBaseAgainstGit(t *testing.T) {
	f := historyFixture(t)
	var cases []diffCase
	for _, a := range historyBranches {
		for _, b := range historyBranches {
			cases = append(cases,
				diffCase{dir: "hist", args: "merge-base " + a + " " + b},
				diffCase{dir: "hist", args: "merge-base --all " + a + " " + b},
				diffCase{dir: "hist", args: "merge-base --is-ancestor " + a + " " + b},
			)
		}
	}
	for _, args := range []string{
		"merge-base -a d e", "merge-base --all f g", "merge-base --no-all d e", "merge-base -a td e",
		"merge-base d e f", "merge-base --all h i j", "merge-base --all k d e", "merge-base --all f g z",
		"merge-base --octopus h i j", "merge-base --octopus --all h i j", "merge-base --all --octopus d e f g",
		"merge-base --octopus f", "merge-base --octopus", "merge-base --octopus h z", "merge-base --octopus d e",
		"merge-base --independent h i j k", "merge-base --independent d e f g b", "merge-base --independent f f d",
		"merge-base --independent", "merge-base --independent --all f",
		"merge-base --is-ancestor", "merge-base --is-ancestor f", "merge-base --is-ancestor a b c",
		"merge-base --is-ancestor r f g", "merge-base --is-ancestor --all r f", "merge-base --is-ancestor td f",
		"merge-base --octopus --independent f", "merge-base", "merge-base f", "merge-base -h", "merge-base --bogus",
		"merge-base f nosuch", "merge-base nosuch f", "merge-base f HEAD^{tree}", "merge-base ttree f",
		"merge-base f HEAD:file", "merge-base --is-ancestor f nosuch", "merge-base --all",
		"merge-base --no-octopus f g",
	} {
		cases = append(cases, diffCase{dir: "hist", args: args})
	}
	cases = append(cases, diffCase{dir: "plain", args: "merge-base a b"}, diffCase{dir: "plain", args: "merge-base --bogus"},
		diffCase{dir: "plain", args: "merge-base -h"})
	runDiffCases(t, f, cases)
}

// TestMergeBaseNamesAgainstGit: revisions git warns about (an
// ambiguous name) or dies on (no upstream) as merge-base and ls-tree
// arguments, on the shared fixture.
func TestMergeBaseNamesAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	runDiffCases(t, f, []diffCase{
		{dir: "repo", args: "merge-base side main"},
		{dir: "repo", args: "merge-base --is-ancestor side main"},
		{dir: "repo", args: "merge-base topic@{u} main"},
		{dir: "repo", args: "merge-base @{u} side@{u}"},
		{dir: "repo", args: "merge-base --fork-point side main"},
		{dir: "repo", args: "merge-base --fork-point main side"},
		{dir: "repo", args: "merge-base --fork-point origin/main main"},
		{dir: "repo", args: "merge-base --fork-point origin topic@{u}"},
		{dir: "repo", args: "merge-base HEAD@{1} main~1"},
		{dir: "repo", args: "merge-base HEAD@{99} main"},
		{dir: "repo", args: "ls-tree side"},
		{dir: "repo", args: "ls-tree topic@{u}"},
		{dir: "repo", args: "ls-tree -r origin/main^{tree}"},
	})
}

// TestMergeBaseWithCommitGraphAgainstGit: with a commit-graph git walks
// by generation numbers, which changes the order of equally dated bases
// and the walks themselves; compared with corrected commit dates, with
// topological levels, and with a split graph that misses the newest
// commits.
func TestMergeBaseWithCommitGraphAgainstGit(t *testing.T) {
	for _, setup := range []struct {
		name  string
		write [][]string
	}{
		{"corrected dates", [][]string{{"commit-graph", "write", "--reachable"}}},
		{"levels", [][]string{{"-c", "commitGraph.generationVersion=1", "commit-graph", "write", "--reachable"}}},
		{"split, partial", [][]string{
			{"commit-graph", "write", "--reachable", "--split"},
			{"checkout", "-q", "--detach", "g"},
			{"commit", "-q", "--allow-empty", "-m", "after graph"},
			{"branch", "x", "HEAD"},
			{"merge", "-q", "--no-ff", "-m", "merge f", "f"},
			{"branch", "w", "HEAD"},
		}},
	} {
		t.Run(setup.name, func(t *testing.T) {
			f := historyFixture(t)
			for _, args := range setup.write {
				f.Git(t, "hist", args...)
			}
			var cases []diffCase
			branches := append(historyBranches, "x", "w")
			if setup.name != "split, partial" {
				branches = historyBranches
			}
			for _, a := range branches {
				for _, b := range branches {
					cases = append(cases,
						diffCase{dir: "hist", args: "merge-base --all " + a + " " + b},
						diffCase{dir: "hist", args: "merge-base --is-ancestor " + a + " " + b},
					)
				}
			}
			for _, args := range []string{"merge-base --all --octopus h i j", "merge-base --independent d e f g b",
				"merge-base --all k d e", "merge-base --independent b c d e f g h i j k", "merge-base --all --octopus d e f g"} {
				cases = append(cases, diffCase{dir: "hist", args: args})
			}
			runDiffCases(t, f, cases)
		})
	}
}

// TestMergeBaseFormsServed: revisions the parser does not handle, and
// --fork-point refs named through "@", go to git.
func TestMergeBaseFormsServed(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"merge-base", "--all", "a", "b"}, true},
		{[]string{"merge-base", "--is-ancestor", "a", "b"}, true},
		{[]string{"merge-base", "--octopus", "a", "b", "c"}, true},
		{[]string{"merge-base", "--fork-point", "origin/main"}, true},
		{[]string{"merge-base", "--fork-point", "@{u}"}, false},
		{[]string{"merge-base", "--f", "main@{upstream}", "HEAD"}, false},
		{[]string{"merge-base", "--", "a", "b"}, true},
		{[]string{"merge-base", "main@{yesterday}", "b"}, false},
		{[]string{"merge-base", "--is-ancestor", ":/fix", "HEAD"}, false},
		{[]string{"merge-base", "@{u}", "HEAD"}, true},
	} {
		if got := Serves(tt.args); got != tt.want {
			t.Errorf("Serves(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// TestMergeBaseRandomHistoriesAgainstGit compares merge-base on random
// histories: merges of up to three parents, dates drawn from a few
// values (ties) and sometimes older than a parent (skew); with and
// without a commit-graph written halfway.
func TestMergeBaseRandomHistoriesAgainstGit(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			f := gittest.NewDir(t)
			f.Git(t, "", "init", "-q", "-b", "main", "rnd")
			tree := f.Git(t, "rnd", "write-tree")
			const commits = 40
			var ids []string
			for i := 0; i < commits; i++ {
				args := []string{"commit-tree", "-m", fmt.Sprint("c", i)}
				if i > 0 && rng.Intn(8) != 0 {
					for _, p := range rng.Perm(i)[:min(i, 1+rng.Intn(3))] {
						args = append(args, "-p", ids[p])
					}
				}
				args = append(args, tree)
				date := fmt.Sprintf("GIT_COMMITTER_DATE=%d +0000", 1112900000+10*i-rng.Intn(3)*15)
				res := f.RunGit(t, "rnd", []string{date}, "", args)
				if res.Status != 0 {
					t.Fatalf("commit-tree: %s", res.Stderr)
				}
				ids = append(ids, strings.TrimSpace(res.Stdout))
				f.Git(t, "rnd", "update-ref", fmt.Sprint("refs/heads/c", i), ids[i])
				if seed%2 == 0 && i == commits/2 {
					f.Git(t, "rnd", "commit-graph", "write", "--reachable")
				}
			}
			var cases []diffCase
			for k := 0; k < 60; k++ {
				a, b, c := rng.Intn(commits), rng.Intn(commits), rng.Intn(commits)
				cases = append(cases,
					diffCase{dir: "rnd", args: fmt.Sprintf("merge-base --all c%d c%d", a, b)},
					diffCase{dir: "rnd", args: fmt.Sprintf("merge-base c%d c%d c%d", a, b, c)},
					diffCase{dir: "rnd", args: fmt.Sprintf("merge-base --is-ancestor c%d c%d", a, b)},
					diffCase{dir: "rnd", args: fmt.Sprintf("merge-base --independent c%d c%d c%d", a, b, c)},
					diffCase{dir: "rnd", args: fmt.Sprintf("merge-base --octopus --all c%d c%d c%d", a, b, c)},
				)
			}
			runDiffCases(t, f, cases)
		})
	}
}

// TestMergeBaseForkPointAgainstGit compares --fork-point: a branch
// rewound and rewritten (its reflog), one without a reflog, a symbolic
// ref, ambiguous and missing names, and commits that are not commits.
func TestMergeBaseForkPointAgainstGit(t *testing.T) {
	f := historyFixture(t)
	for _, to := range []string{"r", "b", "h", "c", "i"} {
		f.Git(t, "hist", "update-ref", "refs/heads/up", to)
	}
	f.Git(t, "hist", "update-ref", "refs/heads/nolog", "b")
	if err := os.Remove(filepath.Join(f.Root, "hist/.git/logs/refs/heads/nolog")); err != nil {
		t.Fatal(err)
	}
	f.Git(t, "hist", "symbolic-ref", "refs/remotes/origin/HEAD", "refs/heads/up")
	f.Git(t, "hist", "tag", "y", "b")
	var cases []diffCase
	for _, commit := range append([]string{""}, historyBranches...) {
		for _, ref := range []string{"up", "nolog", "origin", "refs/heads/up", "b", "y"} {
			cases = append(cases, diffCase{dir: "hist", args: strings.TrimSpace("merge-base --fork-point " + ref + " " + commit)})
		}
	}
	for _, args := range []string{
		"merge-base --fork-point nosuch", "merge-base --fork-point up nosuch", "merge-base --fork-point up HEAD^{tree}",
		"merge-base --fork-point nosuch HEAD^{tree}", "merge-base --fork-point", "merge-base --fork-point up k z",
		"merge-base --fork-point --all up k", "merge-base --fork-point td k", "merge-base --fork-point up td",
	} {
		cases = append(cases, diffCase{dir: "hist", args: args})
	}
	runDiffCases(t, f, cases)
}
