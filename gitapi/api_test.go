package gitapi

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// openIn opens the repository at dir (under the fixture root) with the
// Fixture's environment.
func openIn(t *testing.T, f *gittest.Fixture, dir string, env ...string) *Repo {
	t.Helper()
	r, err := Open(Options{Dir: filepath.Join(f.Root, dir), Env: append(append([]string{}, f.Env...), env...)})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return r
}

// TestResolveMatchesGit checks the typed Resolve and ResolveCommit
// against `git rev-parse --verify`.
func TestResolveMatchesGit(t *testing.T) {
	f := gittest.Shared(t)
	r := openIn(t, f, "repo")
	for _, rev := range []string{"HEAD", "HEAD~2", "v1", "v1^{tree}", "main:sub/b", "@{u}", "HEAD@{1}", "side^2", "HEAD^2"} {
		id, err := r.Resolve(rev)
		want := f.RunGit(t, "repo", nil, "", []string{"rev-parse", "-q", "--verify", rev})
		if want.Status != 0 {
			if err == nil {
				t.Errorf("Resolve(%q) = %s, git finds nothing", rev, id)
			}
			continue
		}
		if err != nil || id.String() != strings.TrimSpace(want.Stdout) {
			t.Errorf("Resolve(%q) = %s, %v; git says %s", rev, id, err, want.Stdout)
		}
	}
	commit, err := r.ResolveCommit("v1-nested")
	if want := f.Git(t, "repo", "rev-parse", "v1-nested^{commit}"); err != nil || commit.String() != want {
		t.Errorf("ResolveCommit(v1-nested) = %s, %v; want %s", commit, err, want)
	}
	if _, err := r.Resolve("nosuch"); !errors.Is(err, ErrBadRevision) {
		t.Errorf("Resolve(nosuch) error = %v, want ErrBadRevision", err)
	}
}

// TestConfigGettersMatchGit checks Bool, Int, Path, Get and GetAll
// against `git config --type`.
func TestConfigGettersMatchGit(t *testing.T) {
	f := gittest.Shared(t)
	cfg, err := openIn(t, f, "repo").Config()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"syntax.yes", "syntax.off", "syntax.flag", "syntax.empty", "syntax.num", "core.bare"} {
		got, err := cfg.Bool(key, false)
		want := f.Git(t, "repo", "config", "--bool", key)
		if err != nil || strconv.FormatBool(got) != want {
			t.Errorf("Bool(%s) = %v, %v; git says %s", key, got, err, want)
		}
	}
	for _, key := range []string{"syntax.num", "syntax.neg", "syntax.big", "core.abbrev"} {
		got, err := cfg.Int(key, 0)
		want := f.Git(t, "repo", "config", "--int", key)
		if err != nil || strconv.FormatInt(got, 10) != want {
			t.Errorf("Int(%s) = %d, %v; git says %s", key, got, err, want)
		}
	}
	if _, err := cfg.Int("syntax.quoted", 0); err == nil {
		t.Errorf("Int(syntax.quoted) accepted a non-number")
	}
	if got, _ := cfg.Bool("no.such", true); !got {
		t.Errorf("Bool of an unset key ignored the default")
	}
	path, ok, err := cfg.Path("syntax.path")
	if want := f.Git(t, "repo", "config", "--path", "syntax.path"); !ok || err != nil || path != want {
		t.Errorf("Path(syntax.path) = %q, %v, %v; git says %q", path, ok, err, want)
	}
	if v, ok := cfg.Get("Syntax.Sub.Sect.KEY"); !ok || v != "in subsection" {
		t.Errorf("Get with mixed case = %q, %v", v, ok)
	}
	if got, want := strings.Join(cfg.GetAll("syntax.multi"), ","), "1,2"; got != want {
		t.Errorf("GetAll(syntax.multi) = %s, want %s", got, want)
	}
}

// TestUpdateRefAPI checks the typed UpdateRef and DeleteRef: the old
// value check, the reflog line and the result as real git reads it.
func TestUpdateRefAPI(t *testing.T) {
	f := gittest.NewFixture(t)
	r := openIn(t, f, "repo")
	head, err := r.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	parent, _ := r.Resolve("HEAD~1")
	if err := r.UpdateRef("refs/heads/api", parent, &ZeroHash, "api: create"); err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateRef("refs/heads/api", head, &head, "api: wrong old"); err == nil {
		t.Fatal("UpdateRef with a wrong old value succeeded")
	}
	if err := r.UpdateRef("refs/heads/api", head, &parent, "api:\n  move"); err != nil {
		t.Fatal(err)
	}
	if got := f.Git(t, "repo", "rev-parse", "api"); got != head.String() {
		t.Errorf("git sees api at %s, want %s", got, head)
	}
	if got, want := f.Git(t, "repo", "reflog", "show", "--format=%gs", "api"), "api: move\napi: create"; got != want {
		t.Errorf("git reflog of api:\n%s\nwant:\n%s", got, want)
	}
	if err := r.DeleteRef("refs/heads/api", &head, ""); err != nil {
		t.Fatal(err)
	}
	if out := f.RunGit(t, "repo", nil, "", []string{"show-ref", "--verify", "-q", "refs/heads/api"}); out.Status == 0 {
		t.Errorf("refs/heads/api still exists for git")
	}
	if _, err := os.Stat(filepath.Join(f.Root, "repo/.git/refs/heads/api.lock")); err == nil {
		t.Errorf("lock file left behind")
	}
}

// TestCheckRefName checks CheckRefName against `git check-ref-format`.
func TestCheckRefName(t *testing.T) {
	f := gittest.Shared(t)
	for _, name := range []string{
		"refs/heads/main", "heads/x", "main", "refs/heads/.hidden", "refs/heads/a..b", "refs/heads/a.lock",
		"refs/heads/a/", "refs/heads/a.", "refs/heads//a", "refs/heads/a b", "refs/heads/a~1", "refs/heads/a^",
		"refs/heads/a:b", "refs/heads/a?", "refs/heads/a*", "refs/heads/a[", "refs/heads/a\\b", "refs/heads/a@{1}",
		"@", "refs/heads/@", "refs/heads/a@b", "refs/heads/\x01",
	} {
		for _, oneLevel := range []bool{false, true} {
			args := []string{"check-ref-format", name}
			if oneLevel {
				args = []string{"check-ref-format", "--allow-onelevel", name}
			}
			gitOK := f.RunGit(t, "plain", nil, "", args).Status == 0
			if ok := CheckRefName(name, oneLevel) == nil; ok != gitOK {
				t.Errorf("CheckRefName(%q, %v) valid = %v, git says %v", name, oneLevel, ok, gitOK)
			}
		}
	}
}

// TestOpenErrors checks the typed errors of Open.
func TestOpenErrors(t *testing.T) {
	f := gittest.Shared(t)
	_, err := Open(Options{Dir: filepath.Join(f.Root, "plain"), Env: f.Env})
	if !errors.Is(err, ErrNotRepository) {
		t.Errorf("Open outside a repository: %v, want ErrNotRepository", err)
	}
	a := openIn(t, f, "repo")
	b := openIn(t, f, "repo/sub")
	if a.shared != b.shared {
		t.Errorf("two opens of the same repository do not share their cached state")
	}
	if b.Prefix() != "sub/" || b.WorkTree() != filepath.Join(f.Root, "repo") || a.IsBare() {
		t.Errorf("prefix %q, work tree %q, bare %v", b.Prefix(), b.WorkTree(), a.IsBare())
	}
}

// TestMain removes the shared fixture after the tests.
func TestMain(m *testing.M) { gittest.Main(m) }
