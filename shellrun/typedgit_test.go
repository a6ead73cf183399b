package shellrun

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
)

// TestGitTypedMatchesFace runs git calls both ways in one repository,
// the face (State.Git) and the typed call (State.GitTyped), and wants
// the same stdout, stderr and status; the cases that succeed must have
// been answered by the typed call itself (it returned no error, so the
// face did not run), the failing ones either way.
func TestGitTypedMatchesFace(t *testing.T) {
	dir := t.TempDir()
	env := testEnv(t)
	git := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env, cmd.Stdin = dir, env, strings.NewReader(stdin)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	git("", "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("", "add", "a")
	tree := git("", "write-tree")
	c1 := git("one\n", "commit-tree", tree)
	c2 := git("two\n", "commit-tree", tree, "-p", c1)
	git("", "update-ref", "refs/heads/main", c2)
	git("", "tag", "dup", c1)
	git("", "branch", "dup", c2)
	git("", "config", "k.b", "yes")
	git("", "config", "k.bad", "maybe")

	type tc struct {
		name  string
		form  string
		argv  []string
		stdin string
		call  func(g *GitCall) (any, error)
		typed bool // answered by the typed call
	}
	resolve := func(quiet bool) func(g *GitCall) (any, error) {
		return func(g *GitCall) (any, error) { return g.Resolve(g.Args[0], quiet) }
	}
	cases := []tc{
		{"verify", "rev-parse --verify _", []string{"rev-parse", "--verify", "HEAD"}, "", resolve(false), true},
		{"ambiguous", "rev-parse _", []string{"rev-parse", "dup"}, "", resolve(false), true},
		{"ambiguous quiet", "rev-parse --verify -q _", []string{"rev-parse", "--verify", "-q", "dup"}, "", resolve(true), true},
		{"missing", "rev-parse --verify _", []string{"rev-parse", "--verify", "nosuch"}, "", resolve(false), false},
		{"missing quiet", "rev-parse --verify -q _", []string{"rev-parse", "--verify", "-q", "nosuch"}, "", resolve(true), false},
		{"peel error", "rev-parse -q _", []string{"rev-parse", "-q", tree + "^{commit}"}, "", resolve(true), false},
		{"range", "rev-parse _", []string{"rev-parse", c1 + ".." + c2}, "", resolve(false), false},
		{"short", "rev-parse --short _", []string{"rev-parse", "--short", c2}, "",
			func(g *GitCall) (any, error) { return g.ShortID(g.Args[0]) }, true},
		{"short missing", "rev-parse --short _", []string{"rev-parse", "--short", "nosuch"}, "",
			func(g *GitCall) (any, error) { return g.ShortID(g.Args[0]) }, false},
		{"git-path", "rev-parse --git-path _", []string{"rev-parse", "--git-path", "objects"}, "",
			func(g *GitCall) (any, error) { return g.GitPath(g.Args[0]), nil }, true},
		{"bool", "config --bool _", []string{"config", "--bool", "k.b"}, "",
			func(g *GitCall) (any, error) { return g.ConfigValue(g.Args[0], true) }, true},
		{"bad bool", "config --bool _", []string{"config", "--bool", "k.bad"}, "",
			func(g *GitCall) (any, error) { return g.ConfigValue(g.Args[0], true) }, false},
		{"unset", "config _", []string{"config", "k.none"}, "",
			func(g *GitCall) (any, error) { return g.ConfigValue(g.Args[0], false) }, false},
		{"write-tree", "write-tree", []string{"write-tree"}, "",
			func(g *GitCall) (any, error) { return g.WriteTree() }, true},
		{"commit-tree", "commit-tree _ -p _", []string{"commit-tree", tree, "-p", c1}, "msg\n",
			func(g *GitCall) (any, error) { return g.CommitTree(g.Args[0], g.Args[1]) }, true},
		{"commit-tree bad parent", "commit-tree _ -p _", []string{"commit-tree", tree, "-p", tree}, "msg\n",
			func(g *GitCall) (any, error) { return g.CommitTree(g.Args[0], g.Args[1]) }, false},
		{"commit-tree NUL", "commit-tree _", []string{"commit-tree", tree}, "a\x00b\n",
			func(g *GitCall) (any, error) { return g.CommitTree(g.Args[0]) }, false},
		{"update-ref wrong old", "update-ref _ _ _", []string{"update-ref", "refs/heads/main", c1, c1}, "",
			func(g *GitCall) (any, error) { return g.UpdateRef("", g.Args[0], g.Args[1], g.Args[2]) }, false},
		{"delete wrong old", "update-ref -d _ _", []string{"update-ref", "-d", "refs/heads/main", c1}, "",
			func(g *GitCall) (any, error) { return g.DeleteRef("", g.Args[0], g.Args[1]) }, false},
		{"merge-base", "merge-base _ _", []string{"merge-base", c1, c2}, "",
			func(g *GitCall) (any, error) { return g.MergeBase(g.Args[0], g.Args[1]) }, true},
		{"is-ancestor", "merge-base --is-ancestor _ _", []string{"merge-base", "--is-ancestor", c2, c1}, "",
			func(g *GitCall) (any, error) { return g.IsAncestor(g.Args[0], g.Args[1]) }, true},
		{"symbolic-ref", "symbolic-ref -q _", []string{"symbolic-ref", "-q", "HEAD"}, "",
			func(g *GitCall) (any, error) { return g.SymbolicRef(g.Args[0]) }, true},
		{"not symbolic", "symbolic-ref -q _", []string{"symbolic-ref", "-q", "refs/heads/main"}, "",
			func(g *GitCall) (any, error) { return g.SymbolicRef(g.Args[0]) }, false},
		{"diff-index", "diff-index --quiet --cached HEAD --", []string{"diff-index", "--quiet", "--cached", "HEAD", "--"}, "",
			func(g *GitCall) (any, error) { return g.NoDiff(DiffIndex{Rev: "HEAD", Cached: true, DashDash: true}) }, true},
		{"diff-index work tree", "diff-index HEAD --exit-code --quiet", []string{"diff-index", "HEAD", "--exit-code", "--quiet"}, "",
			func(g *GitCall) (any, error) { return g.NoDiff(DiffIndex{Rev: "HEAD"}) }, true},
		{"diff-index bad rev", "diff-index --quiet --cached _ --", []string{"diff-index", "--quiet", "--cached", "nosuch", "--"}, "",
			func(g *GitCall) (any, error) {
				return g.NoDiff(DiffIndex{Rev: g.Args[0], Cached: true, DashDash: true})
			}, false},
		{"cat-file", "cat-file -t _", []string{"cat-file", "-t", tree}, "",
			func(g *GitCall) (any, error) { return g.ObjectType(g.Args[0]) }, true},
	}
	run := func(c tc, typed bool) (string, string, int, bool) {
		var out, errb bytes.Buffer
		s := NewState(Config{Name: "s", Env: env, Dir: dir, Stdin: strings.NewReader(c.stdin), Stdout: &out, Stderr: &errb})
		answered := false
		s.Main(func(s *State) {
			if !typed {
				s.Git(c.argv...)
				return
			}
			s.GitTyped(c.form, c.argv, func(g *GitCall) (any, error) {
				v, err := c.call(g)
				answered = err == nil
				return v, err
			})
		})
		return out.String(), errb.String(), s.Status, answered
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fo, fe, fs, _ := run(c, false)
			to, te, ts, answered := run(c, true)
			if fo != to || fe != te || fs != ts {
				t.Errorf("face: status %d, stdout %q, stderr %q\ntyped: status %d, stdout %q, stderr %q", fs, fo, fe, ts, to, te)
			}
			if answered != c.typed {
				t.Errorf("answered by the typed call: %v, want %v", answered, c.typed)
			}
		})
	}
	// Outside a repository the face runs: no typed call is made.
	var out, errb bytes.Buffer
	s := NewState(Config{Name: "s", Env: env, Dir: t.TempDir(), Stdout: &out, Stderr: &errb})
	s.Main(func(s *State) {
		s.GitTyped("write-tree", []string{"write-tree"}, func(g *GitCall) (any, error) {
			t.Error("typed call made outside a repository")
			return gitapi.Hash{}, nil
		})
	})
	if s.Status != 128 || !strings.HasPrefix(errb.String(), "fatal: not a git repository") {
		t.Errorf("outside a repository: status %d, stderr %q", s.Status, errb.String())
	}
}
