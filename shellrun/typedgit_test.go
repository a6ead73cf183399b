package shellrun

import (
	"bytes"
	"io"
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
		call  GitOp
		typed bool // answered by the typed call
	}
	cases := []tc{
		{"verify", "rev-parse --verify _", []string{"rev-parse", "--verify", "HEAD"}, "", Resolve, true},
		{"ambiguous", "rev-parse _", []string{"rev-parse", "dup"}, "", Resolve, true},
		{"ambiguous quiet", "rev-parse --verify -q _", []string{"rev-parse", "--verify", "-q", "dup"}, "", Resolve, true},
		{"missing", "rev-parse --verify _", []string{"rev-parse", "--verify", "nosuch"}, "", Resolve, false},
		{"missing quiet", "rev-parse --verify -q _", []string{"rev-parse", "--verify", "-q", "nosuch"}, "", Resolve, false},
		{"peel error", "rev-parse -q _", []string{"rev-parse", "-q", tree + "^{commit}"}, "", Resolve, false},
		{"range", "rev-parse _", []string{"rev-parse", c1 + ".." + c2}, "", Resolve, false},
		{"short", "rev-parse --short _", []string{"rev-parse", "--short", c2}, "", ShortID, true},
		{"short missing", "rev-parse --short _", []string{"rev-parse", "--short", "nosuch"}, "", ShortID, false},
		{"git-path", "rev-parse --git-path _", []string{"rev-parse", "--git-path", "objects"}, "", GitPath, true},
		{"bool", "config --bool _", []string{"config", "--bool", "k.b"}, "", ConfigValue, true},
		{"bad bool", "config --bool _", []string{"config", "--bool", "k.bad"}, "", ConfigValue, false},
		{"unset", "config _", []string{"config", "k.none"}, "", ConfigValue, false},
		{"write-tree", "write-tree", []string{"write-tree"}, "", WriteTree, true},
		{"commit-tree", "commit-tree _ -p _", []string{"commit-tree", tree, "-p", c1}, "msg\n", CommitTree, true},
		{"commit-tree bad parent", "commit-tree _ -p _", []string{"commit-tree", tree, "-p", tree}, "msg\n", CommitTree, false},
		{"commit-tree parent first", "commit-tree -p _ _", []string{"commit-tree", "-p", c1, tree}, "msg\n", CommitTree, true},
		{"update-ref with message", "update-ref -m _ _ _", []string{"update-ref", "-m", "moved", "refs/heads/other", c1}, "", UpdateRef, true},
		{"commit-tree NUL", "commit-tree _", []string{"commit-tree", tree}, "a\x00b\n", CommitTree, false},
		{"update-ref wrong old", "update-ref _ _ _", []string{"update-ref", "refs/heads/main", c1, c1}, "", UpdateRef, false},
		{"delete wrong old", "update-ref -d _ _", []string{"update-ref", "-d", "refs/heads/main", c1}, "", UpdateRef, false},
		{"merge-base", "merge-base _ _", []string{"merge-base", c1, c2}, "", MergeBase, true},
		{"is-ancestor", "merge-base --is-ancestor _ _", []string{"merge-base", "--is-ancestor", c2, c1}, "", IsAncestor, true},
		{"symbolic-ref", "symbolic-ref -q _", []string{"symbolic-ref", "-q", "HEAD"}, "", SymbolicRef, true},
		{"not symbolic", "symbolic-ref -q _", []string{"symbolic-ref", "-q", "refs/heads/main"}, "", SymbolicRef, false},
		{"diff-index", "diff-index --quiet --cached HEAD --", []string{"diff-index", "--quiet", "--cached", "HEAD", "--"}, "", NoDiff, true},
		{"diff-index work tree", "diff-index HEAD --exit-code --quiet", []string{"diff-index", "HEAD", "--exit-code", "--quiet"}, "", NoDiff, true},
		{"diff-index bad rev", "diff-index --quiet --cached _ --", []string{"diff-index", "--quiet", "--cached", "nosuch", "--"}, "",
			func(g *GitCall) (any, error) {
				return g.NoDiff(DiffIndex{Rev: g.Args[0], Cached: true, DashDash: true})
			}, false},
		{"cat-file", "cat-file -t _", []string{"cat-file", "-t", tree}, "", ObjectType, true},
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

// TestFillForm checks the argv GitRun gives the face: the operands in
// the form's places, the fields of the last ones however many.
func TestFillForm(t *testing.T) {
	cases := []struct {
		form     string
		operands []string
		want     string
	}{
		{"write-tree", nil, "write-tree"},
		{"commit-tree _ -p _", []string{"T", "P"}, "commit-tree T -p P"},
		{"commit-tree _ -p _", []string{"T"}, "commit-tree T -p"},
		{"commit-tree _ -p _", []string{"T", "P", "Q"}, "commit-tree T -p P Q"},
		{"merge-base --all _ _", []string{"A", "B", "C"}, "merge-base --all A B C"},
		{"rev-parse --verify -q _", nil, "rev-parse --verify -q"},
		{"update-ref -m _ -d _ _", []string{"msg", "R", "O"}, "update-ref -m msg -d R O"},
	}
	for _, c := range cases {
		if got := strings.Join(fillForm(strings.Fields(c.form), c.operands), " "); got != c.want {
			t.Errorf("fillForm(%q, %q) = %q, want %q", c.form, c.operands, got, c.want)
		}
	}
}

// TestGitTextIsCapture wants GitText to give what $(git ...) of the face
// gives, and $? with it, in a repository and outside one.
func TestGitTextIsCapture(t *testing.T) {
	env := testEnv(t)
	repo := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	for _, dir := range []string{repo, t.TempDir()} {
		var face, typed string
		var faceStatus, typedStatus int
		var faceErr, typedErr bytes.Buffer
		s := NewState(Config{Name: "s", Env: env, Dir: dir, Stdout: io.Discard, Stderr: &faceErr})
		s.Main(func(s *State) {
			face = s.Capture(func(s *State) { s.Git("write-tree") })
			faceStatus = s.Status
		})
		s = NewState(Config{Name: "s", Env: env, Dir: dir, Stdout: io.Discard, Stderr: &typedErr})
		s.Main(func(s *State) {
			typed = s.GitText(WriteTree, "write-tree")
			typedStatus = s.Status
		})
		if face != typed || faceStatus != typedStatus || faceErr.String() != typedErr.String() {
			t.Errorf("in %s: face %q status %d stderr %q, GitText %q status %d stderr %q", dir, face, faceStatus, faceErr.String(), typed, typedStatus, typedErr.String())
		}
	}
}
