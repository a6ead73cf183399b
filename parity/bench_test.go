package parity

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newTestBencher is a Bencher whose sandboxes the test's cleanup removes.
func newTestBencher(t *testing.T, runs int) *Bencher {
	b := &Bencher{Runs: runs}
	t.Cleanup(b.Close)
	return b
}

func writeScenario(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiny.txtar")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBenchCountsSpawns times two commands whose process counts dash
// makes certain: each program of a top-level list forks (dash -c does not
// exec the last in place); /bin/true spawns nothing.
func TestBenchCountsSpawns(t *testing.T) {
	path := writeScenario(t, `# two commands with known spawns
old: /bin/sh -c "ls >/dev/null; ls >/dev/null"
new: /bin/true
dir: repo
-- setup --
git init -q repo
`)
	sc, err := LoadScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := newTestBencher(t, 3).Run(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Sides) != 2 || res.Sides[0].Role != "old" || res.Sides[1].Role != "new" {
		t.Fatalf("sides %+v", res.Sides)
	}
	if got := res.Sides[0].Spawns; got != 2 {
		t.Errorf("old spawns = %d, want 2 (%s)", got, res.SpawnMethod)
	}
	if got := res.Sides[1].Spawns; got != 0 {
		t.Errorf("new spawns = %d, want 0", got)
	}
	for _, s := range res.Sides {
		if len(s.Samples) != 3 || s.WallMedian <= 0 {
			t.Errorf("%s: %d samples, median %v", s.Role, len(s.Samples), s.WallMedian)
		}
	}
	if _, ok := res.Ratios["old/new"]; !ok {
		t.Errorf("no old/new ratio: %v", res.Ratios)
	}
	if len(res.CreateCost) != 2 {
		t.Errorf("file creation measured %d times, want 2 (before and after the runs)", len(res.CreateCost))
	}
}

// TestBenchRunsOnFreshCopies: every run starts from setup's state, so a
// command that fails when its own earlier output is there still passes.
func TestBenchRunsOnFreshCopies(t *testing.T) {
	path := writeScenario(t, "old: /bin/mkdir made\n-- setup --\n:\n")
	sc, err := LoadScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newTestBencher(t, 2).Run(context.Background(), sc); err != nil {
		t.Fatalf("second run saw the first one's directory: %v", err)
	}
}

// TestBenchDeletesNothingUntilClose: the copies the runs used are moved
// aside, not deleted, while a scenario runs (see Bencher.Run), and Close
// removes them with the sandbox.
func TestBenchDeletesNothingUntilClose(t *testing.T) {
	path := writeScenario(t, "old: /bin/mkdir made\nnew: /bin/true\ndir: repo\n-- setup --\nmkdir repo\n")
	sc, err := LoadScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	b := newTestBencher(t, 2)
	if _, err := b.Run(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	if len(b.sandboxes) != 1 {
		t.Fatalf("%d sandboxes kept, want 1", len(b.sandboxes))
	}
	root := b.sandboxes[0].root
	// Setup's tree, one per timed run (2 runs, 2 sides) and the old
	// side's spawn count; the new side's, counted last, is still in place.
	made, err := filepath.Glob(filepath.Join(root, ".trash", "*", "work", "repo", "made"))
	if err != nil {
		t.Fatal(err)
	}
	trees, err := filepath.Glob(filepath.Join(root, ".trash", "*", "work"))
	if err != nil {
		t.Fatal(err)
	}
	if len(trees) != 6 || len(made) != 3 {
		t.Errorf("%d trees set aside (%d the old side's), want 6 (3)", len(trees), len(made))
	}
	b.Close()
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("sandbox %s after Close: %v", root, err)
	}
}

func TestBenchFailures(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"bogus: x\n-- setup --\n:\n", `:1: unknown directive "bogus"`},
		{"old: x\n", "needs a setup section"},
		{"old: 'unterminated\n-- setup --\n:\n", "bad command line"},
	} {
		_, err := LoadScenario(writeScenario(t, tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err %v, want %q", tt.text, err, tt.want)
		}
	}
	sc, err := LoadScenario(writeScenario(t, "old: /bin/false\n-- setup --\n:\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newTestBencher(t, 1).Run(context.Background(), sc); err == nil || !strings.Contains(err.Error(), "exit 1") {
		t.Errorf("a failing command: err %v", err)
	}
	sc, err = LoadScenario(writeScenario(t, "old: /bin/true\n-- setup --\nexit 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newTestBencher(t, 1).Run(context.Background(), sc); err == nil || !strings.Contains(err.Error(), "setup failed (exit 3)") {
		t.Errorf("a failing setup: err %v", err)
	}
}

func TestCountCreations(t *testing.T) {
	log := `100 execve("/bin/sh", ["sh"], 0x7ff /* 3 vars */) = 0
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101
101 execve("/bin/ls", ["ls"], 0x5 /* 3 vars */) = 0
100 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM <unfinished ...>
102 exit_group(0)                           = ?
100 <... clone resumed>, parent_tid=[103], tls=0x7f, child_tidptr=0x7f) = 103
100 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f, stack_size=0x9000} <unfinished ...>
100 <... clone3 resumed>, 88) = 104
100 vfork()                                 = 105
100 fork()                                  = -1 EAGAIN (Resource temporarily unavailable)
101 +++ exited with 0 +++
`
	if n := countCreations(log); n != 3 {
		t.Errorf("countCreations = %d, want 3 (clone, clone3 without CLONE_THREAD, vfork)", n)
	}
}
