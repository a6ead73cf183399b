// Package gittest builds the repositories gitapi's tests and gitcmd's
// differential tests share, with real git in a sandboxed environment, and
// runs real git in them.
package gittest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// SandboxEnv is the environment every test runs git and gitapi with: no
// user or system configuration, fixed identities and dates.
func SandboxEnv(home string) []string {
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

// Fixture is a set of repositories made by real git in a temp dir.
type Fixture struct {
	Root string   // temp dir holding everything
	Env  []string // sandbox environment
}

// Git runs real git in dir and fails the test on error.
func (f *Fixture) Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = filepath.Join(f.Root, dir)
	cmd.Env = f.Env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// GitStdin runs real git with stdin and fails the test on error.
func (f *Fixture) GitStdin(t testing.TB, dir, stdin string, args ...string) string {
	t.Helper()
	res := f.RunGit(t, dir, nil, stdin, args)
	if res.Status != 0 {
		t.Fatalf("git %s in %s: status %d\n%s", strings.Join(args, " "), dir, res.Status, res.Stderr)
	}
	return strings.TrimSpace(res.Stdout)
}

// Write creates a file under the fixture root.
func (f *Fixture) Write(t testing.TB, path, content string) {
	t.Helper()
	full := filepath.Join(f.Root, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// NewFixture builds the repositories the differential tests share:
//
//	repo      non-bare, main with a merge, packed and loose refs and
//	          objects, annotated and lightweight tags, an ambiguous name,
//	          an upstream, checkout history, config includes
//	bare.git  a bare clone
//	wt        a linked worktree of repo (a .git file, commondir)
//	detached  a linked worktree with a detached HEAD
//	plain     a directory outside any repository (ceiling applies)
//	cw.git    a git directory with core.worktree = ../cwtree
func NewFixture(t testing.TB) *Fixture {
	t.Helper()
	dir, err := os.MkdirTemp(TempDir(), "gitapi-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return buildFixture(t, dir)
}

// NewDir is an empty fixture (sandbox environment, no
// repositories) for tests that build their own.
func NewDir(t testing.TB) *Fixture {
	t.Helper()
	dir, err := os.MkdirTemp(TempDir(), "gitapi-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &Fixture{Root: root, Env: append(SandboxEnv(root), "GIT_CEILING_DIRECTORIES="+root)}
}

// TempDir is where fixtures go: /dev/shm when it is a writable
// directory (creating files on the test machines' disks costs over a
// millisecond each, and these tests create thousands), else the usual
// temporary directory.
func TempDir() string {
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
	f    *Fixture
	err  error
}

// Shared returns the fixture built once for the tests that do not
// change it; TestMain removes it.
func Shared(t testing.TB) *Fixture {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp(TempDir(), "gitapi-fixture-")
		if shared.err == nil {
			shared.f = buildFixture(t, shared.dir)
		}
	})
	if shared.err != nil || shared.f == nil {
		t.Fatalf("shared fixture: %v", shared.err)
	}
	return shared.f
}

// Main runs the tests of a package that uses Shared and removes the
// shared fixture after them; call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// buildFixture creates the repositories under dir.
func buildFixture(t testing.TB, dir string) *Fixture {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("differential tests need git: %v", err)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &Fixture{Root: root, Env: SandboxEnv(filepath.Join(root, "home"))}
	f.Env = append(f.Env, "GIT_CEILING_DIRECTORIES="+root)
	os.MkdirAll(filepath.Join(root, "home"), 0o777)
	os.MkdirAll(filepath.Join(root, "plain", "deep"), 0o777)
	f.Write(t, "home/.gitconfig", "[user]\n\tname = Global User\n[alias]\n\tco = checkout\n")

	f.Git(t, "", "init", "-q", "-b", "main", "repo")
	f.Write(t, "repo/a", "a\n")
	f.Git(t, "repo", "add", "a")
	f.Git(t, "repo", "commit", "-q", "-m", "one")
	f.Git(t, "repo", "tag", "-a", "-m", "version one", "v1")
	f.Git(t, "repo", "branch", "side")
	f.Write(t, "repo/sub/b", "b\n")
	f.Git(t, "repo", "add", "sub")
	f.Git(t, "repo", "commit", "-q", "-m", "two")
	f.Git(t, "repo", "checkout", "-q", "side")
	f.Write(t, "repo/c", "c\n")
	f.Git(t, "repo", "add", "c")
	f.Git(t, "repo", "commit", "-q", "-m", "side work")
	f.Git(t, "repo", "checkout", "-q", "main")
	f.Git(t, "repo", "merge", "-q", "--no-ff", "-m", "merge side", "side")
	f.Git(t, "repo", "tag", "lt")
	f.Git(t, "repo", "tag", "-a", "-m", "tag of tag", "v1-nested", "v1")
	f.Git(t, "repo", "remote", "add", "origin", "https://example.com/r.git")
	f.Git(t, "repo", "update-ref", "refs/remotes/origin/main", "HEAD~1")
	f.Git(t, "repo", "config", "branch.main.remote", "origin")
	f.Git(t, "repo", "config", "branch.main.merge", "refs/heads/main")
	f.Git(t, "repo", "config", "branch.side.remote", ".")
	f.Git(t, "repo", "config", "branch.side.merge", "refs/heads/main")
	f.Git(t, "repo", "pack-refs", "--all")
	f.Git(t, "repo", "repack", "-q", "-a", "-d")
	// After packing: a loose ref and a loose object, and a name that is
	// both a branch and a tag.
	f.Write(t, "repo/d", "d\n")
	f.Git(t, "repo", "add", "d")
	f.Git(t, "repo", "commit", "-q", "-m", "three\n\nbody line")
	f.Git(t, "repo", "branch", "topic")
	f.Git(t, "repo", "tag", "side", "HEAD~2")
	f.Write(t, "repo/extra.cfg", "[extra]\n\tincluded = yes\n[core]\n\tabbrev = 9\n")
	f.Write(t, "repo/cond.cfg", "[cond]\n\tgitdir = matched\n")
	f.Write(t, "repo/branch.cfg", "[cond]\n\tbranch = on-main\n")
	f.Git(t, "repo", "config", "include.path", "../extra.cfg")
	f.Git(t, "repo", "config", "includeIf.gitdir:"+filepath.Join(root, "repo")+"/.path", "../cond.cfg")
	f.Git(t, "repo", "config", "includeIf.gitdir:nomatch/.path", "../extra-missing.cfg")
	f.Git(t, "repo", "config", "includeIf.onbranch:main.path", "../branch.cfg")
	f.AppendFile(t, "repo/.git/config", strings.Join([]string{
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
	f.Git(t, "repo", "checkout", "-q", "side")
	f.Git(t, "repo", "checkout", "-q", "main")

	f.Git(t, "", "clone", "-q", "--bare", "repo", "bare.git")
	f.Git(t, "repo", "worktree", "add", "-q", "../wt", "topic")
	f.Git(t, "repo", "worktree", "add", "-q", "--detach", "../detached", "HEAD~1")
	f.Git(t, "repo", "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	// A git directory whose work tree is named by core.worktree.
	f.Git(t, "", "init", "-q", "--bare", "cw.git")
	f.Git(t, "cw.git", "config", "core.bare", "false")
	f.Git(t, "cw.git", "config", "core.worktree", "../cwtree")
	os.MkdirAll(filepath.Join(root, "cwtree", "d"), 0o777)
	return f
}

// AppendFile appends to a file under the fixture root.
func (f *Fixture) AppendFile(t testing.TB, path, content string) {
	t.Helper()
	file, err := os.OpenFile(filepath.Join(f.Root, path), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if _, err := file.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

// Result is what a command printed and its exit status.
type Result struct {
	Stdout, Stderr string
	Status         int
}

// RunGit runs the real git.
func (f *Fixture) RunGit(t testing.TB, dir string, env []string, stdin string, args []string) Result {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = filepath.Join(f.Root, dir)
	cmd.Env = append(append([]string{}, f.Env...), env...)
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
	return Result{out.String(), errb.String(), status}
}

// SpawnGit runs the installed git once and fails the benchmark on error.
func SpawnGit(b *testing.B, dir string, env []string, stdin []byte, args ...string) []byte {
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("git %v: %v", args, err)
	}
	return out
}

// BenchRepo is a repository for the benchmarks that write: a 200-line
// file and 20 others in 4 directories, committed, and the patches that
// change the big file (forward, about 30 lines in 3 hunks) and change it
// Back.
type BenchRepo struct {
	Dir            string
	Env            []string
	Forward, Back  []byte
	ForwardFile    string // forward patch, as a file for git apply
	BackFile       string
	Head, HeadTree string
}

// NewBenchRepo builds a BenchRepo in a fresh fixture.
func NewBenchRepo(b *testing.B) *BenchRepo {
	b.Helper()
	f := NewDir(b)
	br := &BenchRepo{Dir: filepath.Join(f.Root, "repo"), Env: f.Env}
	f.Git(b, "", "init", "-q", "-b", "main", "repo")
	var lines []string
	for i := 1; i <= 200; i++ {
		lines = append(lines, "line "+strings.Repeat("x", i%17)+" "+string(rune('a'+i%26)))
	}
	base := strings.Join(lines, "\n") + "\n"
	f.Write(b, "repo/big.txt", base)
	for i := 0; i < 20; i++ {
		f.Write(b, filepath.Join("repo", "d"+string(rune('0'+i%4)), "f"+string(rune('a'+i))), "file\n")
	}
	f.Git(b, "repo", "add", ".")
	f.Git(b, "repo", "commit", "-q", "-m", "base")
	changed := append([]string{}, lines...)
	for _, at := range []int{20, 100, 180} {
		changed[at] = "changed " + changed[at]
		changed[at+1] = "changed " + changed[at+1]
		changed = append(changed[:at+3], append([]string{"added line"}, changed[at+3:]...)...)
	}
	f.Write(b, "repo/big.txt", strings.Join(changed, "\n")+"\n")
	br.Forward = []byte(f.Git(b, "repo", "diff") + "\n")
	f.Git(b, "repo", "add", "big.txt")
	f.Write(b, "repo/big.txt", base)
	br.Back = []byte(f.Git(b, "repo", "diff") + "\n")
	f.Git(b, "repo", "reset", "-q", "--hard")
	br.ForwardFile, br.BackFile = filepath.Join(f.Root, "forward.diff"), filepath.Join(f.Root, "back.diff")
	os.WriteFile(br.ForwardFile, br.Forward, 0o666)
	os.WriteFile(br.BackFile, br.Back, 0o666)
	br.Head = f.Git(b, "repo", "rev-parse", "HEAD")
	br.HeadTree = f.Git(b, "repo", "rev-parse", "HEAD^{tree}")
	return br
}
