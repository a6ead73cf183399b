package gitcmd

import (
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// forEachRefFormats are formats for-each-ref is compared on.
var forEachRefFormats = []string{
	"%(objectname) %(objecttype) %(refname)",
	"%(refname:short)|%(objectname:short)|%(objectname:short=12)|%(objectname:short=1)|%(objectsize)",
	"%(*objectname)|%(*objecttype)|%(*objectsize)|%(*objectname:short)",
	"%(subject)|%(*subject)|%(HEAD)",
	"%(refname:lstrip=1) %(refname:strip=2) %(refname:lstrip=-1) %(refname:lstrip=-9) %(refname:lstrip=9)",
	"%(refname:rstrip=1) %(refname:rstrip=-1) %(refname:rstrip=9) %(refname:rstrip=0)",
	"%(symref)|%(symref:short)|%(upstream)|%(upstream:short)|%(upstream:lstrip=-1)|%(upstream:rstrip=1)",
	"%(author)|%(authorname)|%(authoremail)|%(committer)|%(committername)|%(committeremail)",
	"%(tagger)|%(taggername)|%(taggeremail)|%(*authorname)|%(*taggeremail)|%(*committer)",
	"[%(body)][%(contents)][%(contents:body)][%(contents:subject)][%(contents:signature)][%(*body)][%(*contents:subject)]",
	"%(authordate)|%(committerdate:iso)|%(taggerdate:iso-strict)|%(creatordate:rfc)|%(creatordate:short)|%(creatordate:unix)|%(creatordate:raw)",
	"%(*authordate:iso8601)|%(*committerdate:rfc2822)|%(taggerdate:default)|%(creator)|%(*creator)|%(*creatordate:iso8601-strict)",
	"100%% %41%zz %(refname)%",
	"",
	"literal only",
}

// TestForEachRefAgainstGit compares for-each-ref's listings, patterns,
// formats, quoting, sorting and errors with real git, on the shared
// Fixture (packed and loose refs, annotated and nested tags, a
// symbolic ref, a branch and tag of the same name).
func TestForEachRefAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	var cases []diffCase
	for _, patterns := range []string{"", "refs/heads", "refs/heads/", "refs/tags/v1", "refs/tags/v", "refs/tags/v*",
		"refs/*/side", "refs/heads/main refs/remotes", "heads", "refs/remotes/origin/HEAD", "refs/**/main", "refs"} {
		cases = append(cases, diffCase{dir: "repo", args: "for-each-ref " + patterns})
		for _, format := range forEachRefFormats {
			cases = append(cases, diffCase{dir: "repo", argv: append([]string{"for-each-ref", "--format=" + format}, strings.Fields(patterns)...)})
		}
	}
	for _, args := range [][]string{
		{"--format", "%(refname)", "--sort=-refname"},
		{"--sort=objecttype"},
		{"--sort=objecttype", "--sort=-refname"},
		{"--sort=-objecttype", "--sort=objectname"},
		{"--sort=objectsize"},
		{"--sort=-objectsize", "--format=%(objectsize) %(refname)"},
		{"--sort=*objecttype"},
		{"--sort=subject", "--format=%(subject)"},
		{"--sort=-creatordate", "--format=%(creatordate:unix) %(refname)"},
		{"--sort=committerdate", "--sort=-taggerdate"},
		{"--sort=*authordate"},
		{"--no-sort", "--sort=-HEAD"},
		{"--count=2"},
		{"--count", "0"},
		{"--count=3", "--sort=-refname", "refs/tags"},
		{"--count=-1"},
		{"--count=x"},
		{"--shell", "--format=%(refname) %(subject) x'y"},
		{"-s", "--format=%(*subject)"},
		{"--perl", "--format=%(refname) %(subject)"},
		{"--python", "--format=%(subject)"},
		{"--shell", "--perl"},
		{"--shell", "--no-shell", "--perl", "--format=%(refname)"},
		{"--format=%(refname"},
		{"--format=%(refname) %(objectname"},
		{"--points-at", "HEAD"},
		{"--points-at", "v1", "--points-at=HEAD~1", "--format=%(refname)"},
		{"--points-at", "v1^{}", "--no-points-at"},
		{"--points-at", "nosuch"},
		{"--points-at", "side", "refs/tags"},
		{"--points-at", "HEAD^{tree}"},
		{"--contains", "HEAD"},
		{"--contains", "side", "--format=%(refname)"},
		{"--contains=v1", "--contains", "main~1", "--format=%(refname)"},
		{"--no-contains", "v1", "--format=%(refname)"},
		{"--format=%(refname)", "--no-contains"},
		{"--format=%(refname)", "--contains"},
		{"--contains", "v1", "--no-contains", "topic", "--format=%(refname)"},
		{"--con", "HEAD~2", "--format=%(refname)"},
		{"--contains", "nosuch"},
		{"--contains", "HEAD^{tree}"},
		{"--no-contains", "HEAD:a"},
		{"--points-at", "HEAD", "--contains", "v1"},
		{"-h"},
		{"--bogus"},
		{"--format"},
	} {
		cases = append(cases, diffCase{dir: "repo", argv: append([]string{"for-each-ref"}, args...)})
	}
	cases = append(cases,
		diffCase{dir: "repo/sub", args: "for-each-ref refs/tags"},
		diffCase{dir: "wt", args: "for-each-ref"},
		diffCase{dir: "wt", argv: []string{"for-each-ref", "--format=%(HEAD)%(refname)"}},
		diffCase{dir: "detached", argv: []string{"for-each-ref", "--format=%(HEAD)%(refname)"}},
		diffCase{dir: "bare.git", args: "for-each-ref"},
		diffCase{dir: "plain", args: "for-each-ref"},
		diffCase{dir: "plain", args: "for-each-ref --bogus"},
	)
	runDiffCases(t, f, cases)
}

// TestForEachRefObjectsAgainstGit covers subjects git reads specially
// (several lines, CRLF, signed tags, empty messages) and refs whose
// object is missing.
func TestForEachRefObjectsAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "r")
	tree := f.Git(t, "r", "write-tree")
	commit := func(ref, msg string) string {
		id := f.GitStdin(t, "r", msg, "commit-tree", tree)
		f.Git(t, "r", "update-ref", ref, id)
		return id
	}
	base := commit("refs/heads/main", "first line\nsecond line\n\nbody\n")
	commit("refs/heads/crlf", "crlf one\r\ncrlf two\r\n\r\nbody\r\n")
	commit("refs/heads/empty", "")
	commit("refs/heads/blank-first", "\n\n\nafter blanks\n")
	commit("refs/heads/one-line-no-newline", "no newline")
	tag := func(ref, msg string) {
		obj := "object " + base + "\ntype commit\ntag x\ntagger T <t@example.com> 1112911993 +0200\n\n" + msg
		id := f.GitStdin(t, "r", obj, "hash-object", "-t", "tag", "-w", "--stdin")
		f.Git(t, "r", "update-ref", ref, id)
	}
	tag("refs/tags/signed", "signed subject\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n")
	tag("refs/tags/signed-para", "para one\n\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n")
	tag("refs/tags/sig-only", "-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n")
	tag("refs/tags/empty", "")
	tag("refs/tags/crlf-signed", "crlf tag\r\n-----BEGIN PGP SIGNATURE-----\r\nabc\r\n\r\n-----END PGP SIGNATURE-----\r\n")
	tag("refs/tags/two-sigs", "two\n-----BEGIN PGP SIGNATURE-----\nabc\n-----BEGIN SSH SIGNATURE-----\nx\n")
	treeTag := "object " + tree + "\ntype tree\ntag t\ntagger T <t@example.com> 1112911993 +0200\n\ntree tag\n"
	f.Git(t, "r", "update-ref", "refs/tags/tree", f.GitStdin(t, "r", treeTag, "hash-object", "-t", "tag", "-w", "--stdin"))
	f.Git(t, "r", "tag", "-a", "-m", "of a blob", "blobtag", f.GitStdin(t, "r", "blob\n", "hash-object", "-w", "--stdin"))
	var cases []diffCase
	for _, format := range forEachRefFormats {
		cases = append(cases, diffCase{dir: "r", argv: []string{"for-each-ref", "--format=" + format}})
	}
	// The parallel cases of a group end before the next group starts.
	t.Run("objects", func(t *testing.T) { runDiffCases(t, f, cases) })
	// A ref to a missing object: fine while no atom reads the object.
	f.Write(t, "r/.git/refs/heads/zz-missing", "0123456789012345678901234567890123456789\n")
	f.Git(t, "r", "symbolic-ref", "refs/heads/dangling", "refs/heads/nowhere")
	cases = nil
	for _, args := range [][]string{
		{"--format=%(refname) %(objectname)"},
		{"--format=%(refname) %(objecttype)"},
		{"--format=%(refname)", "--sort=objecttype"},
		{"--count=1"},
		{"--points-at", "main"},
		{},
	} {
		cases = append(cases, diffCase{dir: "r", argv: append([]string{"for-each-ref"}, args...)})
	}
	runDiffCases(t, f, cases)
}

// TestForEachRefFormsServed: atoms, options and sort keys gitapi does
// not implement go to git.
func TestForEachRefFormsServed(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"for-each-ref", "--format=%(objectname) %(objecttype) %(refname)", "refs/tags"}, true},
		{[]string{"for-each-ref"}, true},
		{[]string{"for-each-ref", "--sort=-refname", "--count=1"}, true},
		{[]string{"for-each-ref", "--format=%(authordate:relative)"}, false},
		{[]string{"for-each-ref", "--format=%(authordate:format:%Y)"}, false},
		{[]string{"for-each-ref", "--sort=-committerdate", "--format=%(committerdate:iso)"}, true},
		{[]string{"for-each-ref", "--format=%(authoremail:trim)"}, false},
		{[]string{"for-each-ref", "--format=%(contents:lines=2)"}, false},
		{[]string{"for-each-ref", "--format=%(upstream:track)"}, false},
		{[]string{"for-each-ref", "--format=%(*refname)"}, false},
		{[]string{"for-each-ref", "--format=%(authorname) %(upstream:short) %(contents:body)"}, true},
		{[]string{"for-each-ref", "--format=%(refname:bogus)"}, false},
		{[]string{"for-each-ref", "--format=%(objectname:short=0)"}, false},
		{[]string{"for-each-ref", "--format=%(if)%(HEAD)%(then)x%(end)"}, false},
		{[]string{"for-each-ref", "--sort=version:refname"}, false},
		{[]string{"for-each-ref", "--sort=describe"}, false},
		{[]string{"for-each-ref", "--merged", "HEAD"}, false},
		{[]string{"for-each-ref", "--contains=HEAD"}, true},
		{[]string{"for-each-ref", "--no-contains"}, true},
		{[]string{"for-each-ref", "--no-merged"}, false},
		{[]string{"for-each-ref", "--points-at", "HEAD"}, true},
		{[]string{"for-each-ref", "--color=always"}, false},
		{[]string{"for-each-ref", "--tcl"}, false},
		{[]string{"for-each-ref", "--ignore-case"}, false},
		{[]string{"for-each-ref", "--format=x", "--no-format"}, false},
	} {
		if got := Serves(tt.args); got != tt.want {
			t.Errorf("Serves(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// TestForEachRefWorktreesAgainstGit: each worktree lists its own
// refs/worktree/ and refs/bisect/ refs with the shared ones.
func TestForEachRefWorktreesAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "main")
	f.Git(t, "main", "commit", "-q", "--allow-empty", "-m", "x")
	f.Git(t, "main", "worktree", "add", "-q", "../linked", "-b", "other")
	f.Git(t, "main", "update-ref", "refs/worktree/mine", "HEAD")
	f.Git(t, "main", "update-ref", "refs/bisect/bad", "HEAD")
	f.Git(t, "linked", "update-ref", "refs/worktree/theirs", "HEAD")
	f.Git(t, "linked", "update-ref", "refs/bisect/good", "HEAD")
	runDiffCases(t, f, []diffCase{
		{dir: "main", args: "for-each-ref"},
		{dir: "linked", args: "for-each-ref"},
		{dir: "linked", argv: []string{"for-each-ref", "--format=%(HEAD) %(refname:short)", "refs/worktree", "refs/heads"}},
		{dir: "main/.git", args: "for-each-ref refs/bisect"},
	})
}

// TestForEachRefDateSortAgainstGit sorts on dates that differ, tie and
// run backwards (historyFixture), shows them in every date mode, and
// filters on reachability there.
func TestForEachRefDateSortAgainstGit(t *testing.T) {
	f := historyFixture(t)
	runDiffCases(t, f, []diffCase{
		{dir: "hist", argv: []string{"for-each-ref", "--sort=-committerdate", "--format=%(refname) %(committerdate:raw)"}},
		{dir: "hist", argv: []string{"for-each-ref", "--sort=creatordate", "--sort=-objecttype", "--format=%(refname) %(creatordate)"}},
		{dir: "hist", argv: []string{"for-each-ref", "--sort=authordate", "--format=%(refname) %(authordate:iso) %(creatordate:iso-strict)"}},
		{dir: "hist", argv: []string{"-c", "core.abbrev=12", "for-each-ref", "--count=3", "--sort=-*committerdate", "--format=%(objectname:short) %(*committerdate:short)"}},
		{dir: "hist", argv: []string{"for-each-ref", "--contains", "b", "--format=%(refname)"}},
		{dir: "hist", argv: []string{"for-each-ref", "--contains", "e", "--contains", "h", "--no-contains", "g", "--format=%(refname)"}},
		{dir: "hist", argv: []string{"for-each-ref", "--no-contains", "r", "--format=%(refname)"}},
	})
}
