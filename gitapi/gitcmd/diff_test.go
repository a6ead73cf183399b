package gitcmd

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// diffCase is one command run by real git and by gitapi on the same
// repository, whose stdout, stderr and status must be identical.
type diffCase struct {
	dir   string   // directory under the fixture root
	env   []string // extra environment
	stdin string
	args  string // split on spaces; use argv for arguments with spaces
	argv  []string
}

// argList returns the case's arguments.
func (c diffCase) argList() []string {
	if c.argv != nil {
		return c.argv
	}
	return strings.Fields(c.args)
}

// name is the subtest name.
func (c diffCase) name() string {
	return c.dir + ": " + strings.Join(c.argList(), " ")
}

// runDiffCases compares every case on a shared read-only fixture.
func runDiffCases(t *testing.T, f *gittest.Fixture, cases []diffCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) {
			t.Parallel()
			want := f.RunGit(t, c.dir, c.env, c.stdin, c.argList())
			got := runKiln(f, c.dir, c.env, c.stdin, c.argList())
			if got != want {
				t.Errorf("env %q\ngit:   status %d\nstdout:\n%s\nstderr:\n%s\nkiln:  status %d\nstdout:\n%s\nstderr:\n%s",
					c.env, want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
			}
		})
	}
}

// TestDiscoveryAgainstGit compares repository discovery and the
// environment variables that steer it.
func TestDiscoveryAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	info := "rev-parse --git-dir --absolute-git-dir --git-common-dir --is-inside-git-dir --is-inside-work-tree --is-bare-repository --show-prefix --show-cdup --git-path objects --git-path index --git-path HEAD --git-path refs/heads"
	top := info + " --show-toplevel"
	root := f.Root
	runDiffCases(t, f, []diffCase{
		{dir: "repo", args: top},
		{dir: "repo/sub", args: top},
		{dir: "repo/.git", args: info},
		{dir: "repo/.git/refs", args: info},
		{dir: "bare.git", args: info},
		{dir: "bare.git/refs/heads", args: info},
		{dir: "wt", args: top},
		{dir: "wt/sub", args: "rev-parse --git-path info/exclude --git-path logs/HEAD --git-path logs/refs/heads/x --git-path config --git-path hooks/pre-commit --git-path packed-refs --git-path refs/bisect/x --git-path refs/worktree/y --git-path MERGE_HEAD --git-path info/sparse-checkout --git-path objects/info/alternates"},
		{dir: "plain", args: info},
		{dir: "plain/deep", args: "rev-parse HEAD"},
		{dir: "plain", env: []string{"GIT_DIR=../repo/.git"}, args: top},
		{dir: "plain", env: []string{"GIT_DIR=" + root + "/repo/.git"}, args: top},
		{dir: "repo/sub", env: []string{"GIT_DIR=../.git"}, args: top},
		{dir: "repo/sub", env: []string{"GIT_DIR=" + root + "/repo/.git", "GIT_WORK_TREE=" + root + "/repo"}, args: top},
		{dir: "repo/sub", env: []string{"GIT_WORK_TREE=" + root + "/repo"}, args: top},
		{dir: "repo", env: []string{"GIT_DIR=.git", "GIT_WORK_TREE=sub"}, args: top},
		{dir: "plain", env: []string{"GIT_DIR=../bare.git"}, args: info},
		{dir: "plain", env: []string{"GIT_DIR=nowhere"}, args: info},
		{dir: "plain", env: []string{"GIT_DIR=../wt/.git"}, args: info},
		{dir: "repo", env: []string{"GIT_INDEX_FILE=/tmp/other-index", "GIT_OBJECT_DIRECTORY=" + root + "/repo/.git/objects"}, args: info},
		{dir: "repo/sub", env: []string{"GIT_CEILING_DIRECTORIES=" + root + "/repo"}, args: info},
		{dir: "repo/sub", env: []string{"GIT_CEILING_DIRECTORIES=" + root + "/repo/sub"}, args: info},
		{dir: "plain", args: "-C ../repo/sub " + top},
		{dir: "plain", env: []string{"GIT_DIR=" + root + "/repo/.git/worktrees/wt", "GIT_COMMON_DIR=" + root + "/repo/.git", "GIT_WORK_TREE=" + root + "/wt"}, args: top + " HEAD"},
		{dir: "wt", env: []string{"GIT_COMMON_DIR=" + root + "/bare.git"}, args: "rev-parse --git-common-dir HEAD main"},
		{dir: "cw.git", args: info},
		{dir: "repo/.git", env: []string{"GIT_WORK_TREE=" + root + "/repo"}, args: top},
		{dir: "repo/.git", env: []string{"GIT_DIR=."}, args: info},
		{dir: "repo/.git/refs", env: []string{"GIT_DIR=.."}, args: info},
		{dir: "bare.git/refs", env: []string{"GIT_DIR=.."}, args: info},
		{dir: "plain", env: []string{"GIT_DIR=../cw.git"}, args: top},
		{dir: "cwtree/d", env: []string{"GIT_DIR=" + root + "/cw.git"}, args: top},
		{dir: "cwtree", env: []string{"GIT_DIR=../cw.git", "GIT_WORK_TREE=."}, args: top},
		{dir: "repo", args: "rev-parse"},
		{dir: "plain", args: "rev-parse"},
	})
}

// TestRevParseAgainstGit compares revision parsing and rev-parse's
// output options.
func TestRevParseAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	var cases []diffCase
	for _, rev := range []string{
		"HEAD", "@", "main", "heads/main", "refs/heads/main", "topic", "side", "heads/side", "tags/side",
		"v1", "v1^{}", "v1^{commit}", "v1^{tree}", "v1^{tag}", "v1^{blob}", "v1-nested^{}", "v1-nested^{tag}",
		"v1^0", "v1~0", "lt", "HEAD^", "HEAD^^", "HEAD^2", "HEAD~1^2", "HEAD^3", "HEAD~2", "HEAD~3", "HEAD~9",
		"HEAD^{tree}", "HEAD^{tree}^{blob}", "HEAD^{object}", "HEAD^{/two}", "HEAD^{/^side}", "HEAD^{/nomatch}",
		"HEAD:a", "HEAD:sub", "HEAD:sub/b", "HEAD:", "HEAD:nope", "HEAD~2:sub/b", "v1:a", ":a", ":sub/b", ":0:a", ":nope",
		"@{u}", "main@{u}", "main@{upstream}", "side@{u}", "topic@{u}", "nosuch@{u}",
		"@{-1}", "@{-2}", "@{-9}", "HEAD@{0}", "HEAD@{1}", "HEAD@{3}", "HEAD@{99}", "main@{1}", "@{1}", "@{0}", "topic@{0}",
		"origin/main", "remotes/origin/main", "origin", "nosuch", "v1..HEAD", "HEAD~2..", "..HEAD", "v1...side", "side...main",
		"^v1", "^HEAD~1", "HEAD^@", "HEAD^!", "HEAD^-1", "HEAD^-2", "HEAD^-3", "a", "sub", "..", "a..b",
		"HEAD:./a", "0000000000000000000000000000000000000000", "HEAD^{", "HEAD^{}}", "HEAD^{commit}x}", "HEAD^{tre}",
		"@{", "@{u", "HEAD@{-1}", "@{-0}", "HEAD^{/}",
	} {
		cases = append(cases, diffCase{dir: "repo", args: "rev-parse " + rev})
		cases = append(cases, diffCase{dir: "repo", args: "rev-parse --verify " + rev})
		cases = append(cases, diffCase{dir: "repo", args: "rev-parse -q --verify " + rev})
	}
	for _, args := range []string{
		"rev-parse --symbolic-full-name HEAD main topic v1 lt origin/main side @{u} @{-1}",
		"rev-parse --abbrev-ref HEAD main topic v1 origin/main @{u} side heads/side",
		"rev-parse --abbrev-ref=loose HEAD main origin/main",
		"rev-parse --symbolic HEAD v1 main~1 ^side",
		"rev-parse --short HEAD", "rev-parse --short=12 HEAD", "rev-parse --short=abc HEAD", "rev-parse --short=99 HEAD", "rev-parse --short=2 HEAD", "rev-parse --short HEAD v1",
		"rev-parse --sq HEAD a --", "rev-parse --sq-quote a b'c d!e",
		"rev-parse --verify HEAD HEAD", "rev-parse --verify", "rev-parse --verify --default HEAD",
		"rev-parse --default HEAD", "rev-parse --default HEAD v1", "rev-parse --not HEAD ^v1",
		"rev-parse --revs-only HEAD a --foo", "rev-parse --no-revs HEAD a --foo", "rev-parse --flags HEAD --foo a",
		"rev-parse --no-flags HEAD --foo a", "rev-parse HEAD -- a nope", "rev-parse nope -- a",
		"rev-parse --all", "rev-parse --branches", "rev-parse --tags", "rev-parse --remotes",
		"rev-parse --local-env-vars", "rev-parse --prefix sub/ a -- b", "rev-parse --git-path", "rev-parse --prefix",
		"rev-parse --end-of-options --foo", "rev-parse --is-shallow-repository", "rev-parse --show-object-format",
		"rev-parse --verify --foo", "rev-parse -- --foo",
		// Forms the shell porcelain uses (git-filter-branch,
		// Git-mergetool).
		"rev-parse --no-flags --revs-only --symbolic-full-name --default HEAD",
		"rev-parse --no-flags --revs-only --symbolic-full-name --default HEAD main side..topic ^v1 --all",
		"rev-parse --no-flags --revs-only --symbolic-full-name --default HEAD --branches -- a",
		"rev-parse --no-flags --revs-only main", "rev-parse --revs-only --all -- a",
		"rev-parse --sq --no-revs --all -- a sub", "rev-parse --sq --no-revs main --",
		"rev-parse --sq --no-revs main -- sub", "rev-parse --sq --prefix sub/ -- a b",
		"rev-parse --sq --prefix sub/ --", "rev-parse --verify main^0", "rev-parse --verify v1^0",
		// The order rev-parse reads its arguments in: once a file is
		// named, or after --end-of-options, options are arguments;
		// values are the next argument; "=" only where the value is
		// optional.
		"rev-parse a --verify", "rev-parse a --git-path x", "rev-parse a -- --verify",
		"rev-parse --end-of-options --git-path x", "rev-parse --end-of-options -- HEAD",
		"rev-parse --end-of-options --local-env-vars", "rev-parse --default", "rev-parse --default -- HEAD",
		"rev-parse --abbrev HEAD", "rev-parse --abbrev-ref=bad HEAD", "rev-parse --abbrev-ref= HEAD",
		"rev-parse --show-object-format=storage", "rev-parse --show-object-format=bad",
		"rev-parse -qq HEAD", "rev-parse --quiet --verify nosuch", "rev-parse --git-path=x", "rev-parse --short= HEAD",
		"rev-parse --verify=x HEAD", "rev-parse - HEAD", "rev-parse --prefix sub/ --git-path x", "rev-parse --sq=x HEAD",
	} {
		cases = append(cases, diffCase{dir: "repo", args: args})
	}
	for _, args := range []string{
		"rev-parse HEAD:b", "rev-parse HEAD:./b", "rev-parse :./b", "rev-parse HEAD:../a", "rev-parse b",
		"rev-parse HEAD:nope", "rev-parse --show-toplevel", "rev-parse --prefix sub/ b",
	} {
		cases = append(cases, diffCase{dir: "repo/sub", args: args})
	}
	runDiffCases(t, f, cases)
}

// TestAbbreviatedAgainstGit compares abbreviated ids (unique and
// ambiguous) and the ambiguous-refname warning for a hex-looking ref.
func TestAbbreviatedAgainstGit(t *testing.T) {
	f := gittest.NewFixture(t)
	head := f.Git(t, "repo", "rev-parse", "HEAD")
	v1 := f.Git(t, "repo", "rev-parse", "v1")
	f.Git(t, "repo", "branch", head[:7])
	runDiffCases(t, f, []diffCase{
		{dir: "repo", args: "rev-parse " + head[:4]},
		{dir: "repo", args: "rev-parse " + head[:10]},
		{dir: "repo", args: "rev-parse " + strings.ToUpper(head)},
		{dir: "repo", args: "rev-parse " + v1[:8]},
		{dir: "repo", args: "rev-parse " + v1[:8] + "^{}"},
		{dir: "repo", args: "rev-parse v1.0-3-g" + head[:7]},
		{dir: "repo", args: "rev-parse " + head[:7]},
		{dir: "repo", args: "rev-parse abc"},
	})
}

// runKiln runs the same command through gitcmd.Run.
func runKiln(f *gittest.Fixture, dir string, env []string, stdin string, args []string) gittest.Result {
	var out, errb bytes.Buffer
	opts := gitapi.Options{Dir: filepath.Join(f.Root, dir), Env: append(append([]string{}, f.Env...), env...)}
	status := Run(args, opts, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return gittest.Result{Stdout: out.String(), Stderr: errb.String(), Status: status}
}
