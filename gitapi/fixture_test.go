package gitapi

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// sandboxEnv is the environment every test runs git and gitapi with: no
// user or system configuration, fixed identities and dates.
func sandboxEnv(home string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=A U Thor",
		"GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_AUTHOR_DATE=1112911993 +0200",
		"GIT_COMMITTER_NAME=C O Mitter",
		"GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_COMMITTER_DATE=1112912053 +0200",
		"TZ=UTC",
		"LC_ALL=C",
		"TERM=dumb",
	}
}

// fixture is a set of repositories made by real git in a temp dir.
type fixture struct {
	root string   // temp dir holding everything
	env  []string // sandbox environment
}

// gitRun runs real git in dir and fails the test on error.
func (f *fixture) git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = filepath.Join(f.root, dir)
	cmd.Env = f.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// gitStdin runs real git with stdin and fails the test on error.
func (f *fixture) gitStdin(t testing.TB, dir, stdin string, args ...string) string {
	t.Helper()
	res := f.runGit(t, dir, nil, stdin, args)
	if res.status != 0 {
		t.Fatalf("git %s in %s: status %d\n%s", strings.Join(args, " "), dir, res.status, res.stderr)
	}
	return strings.TrimSpace(res.stdout)
}

// write creates a file under the fixture root.
func (f *fixture) write(t testing.TB, path, content string) {
	t.Helper()
	full := filepath.Join(f.root, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// newFixture builds the repositories the differential tests share:
//
//	repo      non-bare, main with a merge, packed and loose refs and
//	          objects, annotated and lightweight tags, an ambiguous name,
//	          an upstream, checkout history, config includes
//	bare.git  a bare clone
//	wt        a linked worktree of repo (a .git file, commondir)
//	detached  a linked worktree with a detached HEAD
//	plain     a directory outside any repository (ceiling applies)
//	cw.git    a git directory with core.worktree = ../cwtree
func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir, err := os.MkdirTemp(fastTempDir(), "gitapi-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return buildFixture(t, dir)
}

// newFixtureDir is an empty fixture (sandbox environment, no
// repositories) for tests that build their own.
func newFixtureDir(t testing.TB) *fixture {
	t.Helper()
	dir, err := os.MkdirTemp(fastTempDir(), "gitapi-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{root: root, env: append(sandboxEnv(root), "GIT_CEILING_DIRECTORIES="+root)}
}

// fastTempDir is where fixtures go: /dev/shm when it is a writable
// directory (creating files on the test machines' disks costs over a
// millisecond each, and these tests create thousands), else the usual
// temporary directory.
func fastTempDir() string {
	const shm = "/dev/shm"
	probe, err := os.MkdirTemp(shm, "gitapi-probe-")
	if err != nil {
		return ""
	}
	os.Remove(probe)
	return shm
}

// shared is the fixture the read-only tests share, built once.
var shared struct {
	once sync.Once
	dir  string
	f    *fixture
	err  error
}

// sharedFixture returns the fixture built once for the tests that do not
// change it; TestMain removes it.
func sharedFixture(t testing.TB) *fixture {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp(fastTempDir(), "gitapi-fixture-")
		if shared.err == nil {
			shared.f = buildFixture(t, shared.dir)
		}
	})
	if shared.err != nil || shared.f == nil {
		t.Fatalf("shared fixture: %v", shared.err)
	}
	return shared.f
}

// TestMain removes the shared fixture after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// buildFixture creates the repositories under dir.
func buildFixture(t testing.TB, dir string) *fixture {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("differential tests need git: %v", err)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{root: root, env: sandboxEnv(filepath.Join(root, "home"))}
	f.env = append(f.env, "GIT_CEILING_DIRECTORIES="+root)
	os.MkdirAll(filepath.Join(root, "home"), 0o777)
	os.MkdirAll(filepath.Join(root, "plain", "deep"), 0o777)
	f.write(t, "home/.gitconfig", "[user]\n\tname = Global User\n[alias]\n\tco = checkout\n")

	f.git(t, "", "init", "-q", "-b", "main", "repo")
	f.write(t, "repo/a", "a\n")
	f.git(t, "repo", "add", "a")
	f.git(t, "repo", "commit", "-q", "-m", "one")
	f.git(t, "repo", "tag", "-a", "-m", "version one", "v1")
	f.git(t, "repo", "branch", "side")
	f.write(t, "repo/sub/b", "b\n")
	f.git(t, "repo", "add", "sub")
	f.git(t, "repo", "commit", "-q", "-m", "two")
	f.git(t, "repo", "checkout", "-q", "side")
	f.write(t, "repo/c", "c\n")
	f.git(t, "repo", "add", "c")
	f.git(t, "repo", "commit", "-q", "-m", "side work")
	f.git(t, "repo", "checkout", "-q", "main")
	f.git(t, "repo", "merge", "-q", "--no-ff", "-m", "merge side", "side")
	f.git(t, "repo", "tag", "lt")
	f.git(t, "repo", "tag", "-a", "-m", "tag of tag", "v1-nested", "v1")
	f.git(t, "repo", "remote", "add", "origin", "https://example.com/r.git")
	f.git(t, "repo", "update-ref", "refs/remotes/origin/main", "HEAD~1")
	f.git(t, "repo", "config", "branch.main.remote", "origin")
	f.git(t, "repo", "config", "branch.main.merge", "refs/heads/main")
	f.git(t, "repo", "config", "branch.side.remote", ".")
	f.git(t, "repo", "config", "branch.side.merge", "refs/heads/main")
	f.git(t, "repo", "pack-refs", "--all")
	f.git(t, "repo", "repack", "-q", "-a", "-d")
	// After packing: a loose ref and a loose object, and a name that is
	// both a branch and a tag.
	f.write(t, "repo/d", "d\n")
	f.git(t, "repo", "add", "d")
	f.git(t, "repo", "commit", "-q", "-m", "three\n\nbody line")
	f.git(t, "repo", "branch", "topic")
	f.git(t, "repo", "tag", "side", "HEAD~2")
	f.write(t, "repo/extra.cfg", "[extra]\n\tincluded = yes\n[core]\n\tabbrev = 9\n")
	f.write(t, "repo/cond.cfg", "[cond]\n\tgitdir = matched\n")
	f.write(t, "repo/branch.cfg", "[cond]\n\tbranch = on-main\n")
	f.git(t, "repo", "config", "include.path", "../extra.cfg")
	f.git(t, "repo", "config", "includeIf.gitdir:"+filepath.Join(root, "repo")+"/.path", "../cond.cfg")
	f.git(t, "repo", "config", "includeIf.gitdir:nomatch/.path", "../extra-missing.cfg")
	f.git(t, "repo", "config", "includeIf.onbranch:main.path", "../branch.cfg")
	f.appendFile(t, "repo/.git/config", strings.Join([]string{
		"[Syntax]",
		"\tflag",
		"\tempty =",
		"\tquoted = \"  a  b  \" c ; comment",
		"\tescapes = tab\\there \\\"q\\\" back\\\\slash",
		"\tcontinued = one \\",
		"two",
		"\tnum = 2k",
		"\tneg = -3",
		"\tbig = 3g",
		"\tyes = YeS",
		"\toff = off",
		"\tmulti = 1",
		"\tmulti = 2",
		"\tMixedCase = v",
		"\tpath = ~/somewhere",
		"[Syntax \"Sub.Sect\"]",
		"\tkey = in subsection",
		"[syntax.old]",
		"\tkey = old style",
		"",
	}, "\n"))
	f.git(t, "repo", "checkout", "-q", "side")
	f.git(t, "repo", "checkout", "-q", "main")

	f.git(t, "", "clone", "-q", "--bare", "repo", "bare.git")
	f.git(t, "repo", "worktree", "add", "-q", "../wt", "topic")
	f.git(t, "repo", "worktree", "add", "-q", "--detach", "../detached", "HEAD~1")
	f.git(t, "repo", "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	// A git directory whose work tree is named by core.worktree.
	f.git(t, "", "init", "-q", "--bare", "cw.git")
	f.git(t, "cw.git", "config", "core.bare", "false")
	f.git(t, "cw.git", "config", "core.worktree", "../cwtree")
	os.MkdirAll(filepath.Join(root, "cwtree", "d"), 0o777)
	return f
}

// appendFile appends to a file under the fixture root.
func (f *fixture) appendFile(t testing.TB, path, content string) {
	t.Helper()
	file, err := os.OpenFile(filepath.Join(f.root, path), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if _, err := file.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

// result is what a command printed and its exit status.
type result struct {
	stdout, stderr string
	status         int
}

// runGit runs the real git.
func (f *fixture) runGit(t testing.TB, dir string, env []string, stdin string, args []string) result {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = filepath.Join(f.root, dir)
	cmd.Env = append(append([]string{}, f.env...), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	status := 0
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running git: %v", err)
	}
	return result{out.String(), errb.String(), status}
}

// runKiln runs the same command through gitapi.Run.
func (f *fixture) runKiln(dir string, env []string, stdin string, args []string) result {
	var out, errb bytes.Buffer
	opts := Options{Dir: filepath.Join(f.root, dir), Env: append(append([]string{}, f.env...), env...)}
	status := Run(args, opts, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return result{out.String(), errb.String(), status}
}
