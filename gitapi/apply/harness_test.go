package apply

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// tree is a file tree for tests: path -> content. A path ending in "*" is
// an executable file and one ending in "@" a symlink whose content is the
// target.
type tree map[string]string

// gitEnv isolates every git run from the user's configuration.
func gitEnv(home string) []string {
	env := []string{
		"HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_AUTHOR_DATE=1112911993 -0700",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_COMMITTER_DATE=1112911993 -0700",
		"TZ=UTC", "LC_ALL=C", "LANG=C",
	}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	return env
}

// runGit runs git in dir with stdin, returning stdout, stderr and the exit
// code; it fails the test only when git cannot be started.
func runGit(t testing.TB, dir string, stdin []byte, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(testHome)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitCode()
	case err != nil:
		t.Fatalf("git %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), 0
}

func mustGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, errOut, code := runGit(t, dir, nil, args...)
	if code != 0 {
		t.Fatalf("git %v: exit %d: %s", args, code, errOut)
	}
	return out
}

// testHome is the HOME of every git run: an empty temporary directory.
var testHome string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "apply-test-home")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	testHome = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// writeTree materialises tr under dir.
func writeTree(t testing.TB, dir string, tr tree) {
	t.Helper()
	for name, content := range tr {
		path := filepath.Join(dir, strings.TrimRight(name, "*@"))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasSuffix(name, "@"):
			err = os.Symlink(content, path)
		case strings.HasSuffix(name, "*"):
			err = os.WriteFile(path, []byte(content), 0o755)
		default:
			err = os.WriteFile(path, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// readTree is the inverse of writeTree, skipping .git.
func readTree(t testing.TB, dir string) tree {
	t.Helper()
	tr := tree{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			tr[rel+"@"] = target
		case info.Mode()&0o100 != 0:
			b, err := os.ReadFile(path)
			tr[rel+"*"] = string(b)
			return err
		default:
			b, err := os.ReadFile(path)
			tr[rel] = string(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func (tr tree) String() string {
	names := make([]string, 0, len(tr))
	for n := range tr {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "== %s\n%q\n", n, tr[n])
	}
	return b.String()
}

// gitDiff commits before in a scratch repository, replaces the work tree
// with after, and returns `git diff --cached <args>`.
func gitDiff(t testing.TB, before, after tree, args ...string) []byte {
	t.Helper()
	dir := t.TempDir()
	mustGit(t, dir, "init", "-q")
	writeTree(t, dir, before)
	mustGit(t, dir, "add", "-A")
	mustGit(t, dir, "commit", "-q", "--allow-empty", "-m", "before")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != ".git" {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	writeTree(t, dir, after)
	mustGit(t, dir, "add", "-A")
	return []byte(mustGit(t, dir, append([]string{"diff", "--cached"}, args...)...))
}

// plainDiff runs the diff program (not git) on two trees laid out as
// dir/old and dir/new, from dir, with the given arguments.
func plainDiff(t testing.TB, before, after tree, args ...string) []byte {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, filepath.Join(dir, "old"), before)
	writeTree(t, filepath.Join(dir, "new"), after)
	cmd := exec.Command("diff", args...)
	cmd.Dir = dir
	cmd.Env = []string{"TZ=UTC", "LC_ALL=C"}
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("diff %v: %v", args, err)
	}
	return out
}

// outcome is what an apply run leaves behind.
type outcome struct {
	stderr string
	code   int
	files  tree
}

// sharedRepo is an empty repository that every real "git apply" runs
// against (--git-dir), so that a work tree needs no "git init" of its own.
var sharedRepo = struct {
	once sync.Once
	dir  string
}{}

func sharedGitDir(t testing.TB) string {
	sharedRepo.once.Do(func() {
		sharedRepo.dir = filepath.Join(testHome, "shared.git")
		mustGit(t, testHome, "init", "-q", "--bare", sharedRepo.dir)
	})
	return sharedRepo.dir
}

// runRealApply runs the installed git apply on patch (from stdin) in a
// fresh work tree holding pre; config entries are passed with -c.
func runRealApply(t testing.TB, pre tree, patch []byte, config []string, args []string) outcome {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, pre)
	gitArgs := []string{"--git-dir=" + sharedGitDir(t), "--work-tree=."}
	for _, kv := range config {
		gitArgs = append(gitArgs, "-c", kv)
	}
	gitArgs = append(gitArgs, "apply")
	for _, a := range args {
		if a == patchFileArg {
			// The patch is given as a file (labelling whitespace warnings
			// with its name) instead of on stdin.
			a = patchFileName
			if err := os.WriteFile(filepath.Join(dir, a), patch, 0o644); err != nil {
				t.Fatal(err)
			}
			patch = nil
		}
		gitArgs = append(gitArgs, a)
	}
	_, stderr, code := runGit(t, dir, patch, gitArgs...)
	return outcome{stderr: stderr, code: code, files: readTree(t, dir)}
}

// patchFileArg in a case's arguments means: pass the patch to git apply
// as the file patchFileName (outside the compared tree) rather than stdin.
const (
	patchFileArg  = "@patch-file"
	patchFileName = "../patch.diff"
)

// runOurApply applies patch to pre with this package, writing the result
// unless opts.Check or failure.
func runOurApply(t testing.TB, pre tree, patch []byte, opts Options) outcome {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, pre)
	res, err := Apply(patch, Dir{Root: dir}, opts)
	if err != nil && (res == nil || res.ExitCode == 0) {
		t.Fatalf("Apply: %v", err)
	}
	if err == nil && !opts.Check {
		if werr := res.Write(Dir{Root: dir}); werr != nil {
			t.Fatalf("Write: %v", werr)
		}
	}
	return outcome{stderr: res.Stderr, code: res.ExitCode, files: readTree(t, dir)}
}

// optionsFromArgs turns the git apply arguments used in the tests into
// Options, so that each case states its flags once.
func optionsFromArgs(t testing.TB, args []string, config []string) Options {
	t.Helper()
	opts := Options{}
	for _, a := range args {
		switch {
		case a == "--check":
			opts.Check = true
		case a == "-v":
			opts.Verbose = true
		case a == patchFileArg:
			opts.InputName = patchFileName
		case a == "--allow-empty":
			opts.AllowEmpty = true
		case a == "--unidiff-zero":
			opts.UnidiffZero = true
		case strings.HasPrefix(a, "-p"):
			fmt.Sscanf(a, "-p%d", &opts.StripComponents)
			opts.StripGiven = true
		case strings.HasPrefix(a, "-C"):
			fmt.Sscanf(a, "-C%d", &opts.MinContext)
			opts.MinContextGiven = true
		case strings.HasPrefix(a, "--directory="):
			opts.Directory = strings.TrimPrefix(a, "--directory=")
		case strings.HasPrefix(a, "--whitespace="):
			opts.Whitespace.Action = strings.TrimPrefix(a, "--whitespace=")
		default:
			t.Fatalf("test harness does not know git apply argument %q", a)
		}
	}
	for _, kv := range config {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "core.whitespace":
			opts.Whitespace.Rule = v
		case "apply.whitespace":
			opts.Whitespace.Action = v
		default:
			t.Fatalf("test harness does not know config %q", k)
		}
	}
	return opts
}
