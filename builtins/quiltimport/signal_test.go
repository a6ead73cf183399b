package quiltimport

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs Main itself when the test binary is started as the
// builtin (KILN_QUILTIMPORT_MAIN holds its arguments, one a line), for
// tests that signal a run.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("KILN_QUILTIMPORT_MAIN"); ok {
		// The signal tests' series are shorter than heldPatches: what
		// a signal finds is held, unless the test says otherwise.
		if n, err := strconv.Atoi(os.Getenv("KILN_QUILTIMPORT_HELD")); err == nil {
			heldPatches = n
		}
		os.Exit(Main(strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestSignalWritesHeldState signals a run between patches, while the
// index and HEAD of the patches imported so far are held in memory (the
// series is a FIFO: the run waits for its next line), and
// requires what git's commands would have left: the process killed by
// the signal, no index.lock or branch lock left behind, HEAD at the last
// imported patch with one reflog line per patch, and index and work tree
// at HEAD's tree.
func TestSignalWritesHeldState(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE} {
		t.Run(sig.String(), func(t *testing.T) { signalRun(t, sig, seriesFIFO, "") })
	}
}

// TestKilledLosesNoMoreThanHeld kills a run with SIGKILL, which nothing
// can catch: what it held in memory is lost, so the run writes it before
// it waits on anybody (a bare -p's patch on stdin) and whenever it has
// held heldPatches of them (here 1: after every patch). Either way the
// repository must show every patch imported before the kill.
func TestKilledLosesNoMoreThanHeld(t *testing.T) {
	t.Run("stdin", func(t *testing.T) { signalRun(t, syscall.SIGKILL, lastFromStdin, "") })
	t.Run("held-at-most", func(t *testing.T) { signalRun(t, syscall.SIGKILL, seriesFIFO, "1") })
}

// lastPatch is how seriesRepo's last patch comes.
type lastPatch int

const (
	lastInFile    lastPatch = iota // a file like the others
	lastFromStdin                  // listed with a bare -p: git apply reads stdin
	seriesFIFO                     // the series is a FIFO the test writes: the run waits for the last line
)

// signalRun sends sig to a run that imported five patches and waits for
// the sixth (last), then checks the repository; held is the run's
// heldPatches ("" for the builtin's own).
func signalRun(t *testing.T, sig syscall.Signal, last lastPatch, held string) {
	const imported = 5
	repo, env, git, base := seriesRepo(t, imported, last)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Dir = repo
	cmd.Env = append(env, "KILN_QUILTIMPORT_MAIN=--patches\n../patches", "KILN_QUILTIMPORT_HELD="+held)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if last == seriesFIFO {
		writeSeries(t, repo, imported)
	}
	waitForLast(t, cmd, repo, last, imported)
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != sig {
		t.Fatalf("the run ended with %v, want killed by %v", err, sig)
	}
	// A signal that comes between the last patch's mailinfo and its
	// commit finds one patch fewer imported.
	if n := checkImportedSoFar(t, repo, git, base); n != imported && !(last == seriesFIFO && n == imported-1) {
		t.Errorf("%d patches imported, want %d", n, imported)
	}
}

// writeSeries opens the series FIFO and writes the first n lines of the
// series, keeping it open: the run imports them and waits for more.
func writeSeries(t *testing.T, repo string, n int) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(repo, "..", "patches", "series"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	for i := 1; i <= n; i++ {
		fmt.Fprintf(f, "%04d.patch\n", i)
	}
}

// waitForLast returns when the run waits for its last patch, the ones
// before it imported.
func waitForLast(t *testing.T, cmd *exec.Cmd, repo string, last lastPatch, imported int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !reachedLast(repo, last, imported) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("the run did not reach the last patch")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// reachedLast reports whether the run waits for its last patch: its
// message is written before its patch is read from stdin, or, when the
// series comes from a FIFO, the last listed patch's message is written
// (the run then commits it and waits for the next line).
func reachedLast(repo string, last lastPatch, imported int) bool {
	body := imported + 1
	if last == seriesFIFO {
		body = imported
	}
	data, _ := os.ReadFile(filepath.Join(repo, ".git", "rebase-apply", "msg"))
	if !strings.Contains(string(data), fmt.Sprintf("Body %d.", body)) {
		return false
	}
	time.Sleep(100 * time.Millisecond)
	return true
}

// seriesRepo makes a repository with one commit (base) and a quilt
// series in ../patches of n+1 patches, each adding a file, the last one
// as last says.
func seriesRepo(t *testing.T, n int, last lastPatch) (repo string, env []string, git func(args ...string) string, base string) {
	t.Helper()
	root := t.TempDir()
	env = append(os.Environ(), "HOME="+root, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"LC_ALL=C", "TZ=UTC", "GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_COMMITTER_DATE=1112911993 -0700")
	repo = filepath.Join(root, "repo")
	git = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if err := os.MkdirAll(repo, 0o777); err != nil {
		t.Fatal(err)
	}
	git("init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(repo, "base.txt"), []byte("base\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	git("add", "base.txt")
	git("-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "-m", "base")
	patches := filepath.Join(root, "patches")
	if err := os.Mkdir(patches, 0o777); err != nil {
		t.Fatal(err)
	}
	var series strings.Builder
	for i := 1; i <= n+1; i++ {
		name := fmt.Sprintf("%04d.patch", i)
		patch := fmt.Sprintf("From: A U Thor <author@example.com>\nDate: Thu, 7 Apr 2005 15:13:13 -0700\nSubject: patch %d\n\nBody %d.\n---\n"+
			"diff --git a/p%d.txt b/p%d.txt\nnew file mode 100644\n--- /dev/null\n+++ b/p%d.txt\n@@ -0,0 +1 @@\n+patch %d\n", i, i, i, i, i, i)
		level := ""
		if i == n+1 && last == lastFromStdin {
			level = " -p"
		}
		if err := os.WriteFile(filepath.Join(patches, name), []byte(patch), 0o666); err != nil {
			t.Fatal(err)
		}
		series.WriteString(name + level + "\n")
	}
	if last == seriesFIFO {
		if err := syscall.Mkfifo(filepath.Join(patches, "series"), 0o666); err != nil {
			t.Fatal(err)
		}
	} else if err := os.WriteFile(filepath.Join(patches, "series"), []byte(series.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	return repo, env, git, git("rev-parse", "HEAD")
}

// checkImportedSoFar requires what the script's git commands leave
// after some patches: no index.lock or branch lock, one reflog line per
// commit since base, and index and work tree at HEAD's tree. It returns
// how many patches were imported.
func checkImportedSoFar(t *testing.T, repo string, git func(args ...string) string, base string) int {
	t.Helper()
	for _, lock := range []string{"index.lock", "refs/heads/main.lock", "HEAD.lock"} {
		if _, err := os.Stat(filepath.Join(repo, ".git", lock)); err == nil {
			t.Errorf(".git/%s left behind", lock)
		}
	}
	var n int
	fmt.Sscan(git("rev-list", "--count", base+"..HEAD"), &n)
	if n > 0 {
		if got := git("log", "-g", "--format=%gs", "-1", "HEAD"); got != fmt.Sprintf("quiltimport: %04d.patch", n) {
			t.Errorf("HEAD's last reflog line is %q after %d patches", got, n)
		}
	}
	if got := git("rev-list", "--count", "-g", "refs/heads/main"); got != fmt.Sprint(n+1) {
		t.Errorf("main's reflog has %s lines, want %d", got, n+1)
	}
	// Index and work tree at HEAD's tree: nothing staged, nothing
	// changed, nothing untracked but rebase-apply (inside .git).
	if got := git("status", "--porcelain"); got != "" {
		t.Errorf("git status:\n%s", got)
	}
	return n
}

// TestClosedStdoutWritesHeldState runs the builtin with its stdout a
// pipe nobody reads (`git quiltimport | true`): the first write fails,
// and the run must end killed by SIGPIPE as the script's echo did, with
// what the patches imported so far left (checkImportedSoFar).
func TestClosedStdoutWritesHeldState(t *testing.T) {
	repo, env, git, base := seriesRepo(t, 40, lastInFile)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Dir, cmd.Stdout = repo, w
	cmd.Env = append(env, "KILN_QUILTIMPORT_MAIN=--patches\n../patches")
	err = cmd.Run()
	w.Close()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGPIPE {
		t.Fatalf("the run ended with %v, want killed by SIGPIPE", err)
	}
	checkImportedSoFar(t, repo, git, base)
}
