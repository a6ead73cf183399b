package subtree

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestBenchScenarioSameResult builds the history of the bench scenario
// tests/bench/subtree-split-1000 with its own setup, runs its old side
// (the script) and the builtin on copies, and compares what they leave:
// stdout, refs and the split cache. The scenario's command lines are
// checked to be the ones run here.
func TestBenchScenarioSameResult(t *testing.T) {
	if testing.Short() {
		t.Skip("runs git subtree split on 1,000 commits")
	}
	arc, err := txtar.ParseFile(filepath.Join("..", "..", "tests", "bench", "subtree-split-1000.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	comment := string(arc.Comment)
	args := []string{"split", "-q", "-P", "lib", "-b", "split"}
	for _, line := range []string{"old: git subtree " + strings.Join(args, " "), "new: kiln builtin subtree " + strings.Join(args, " "), "dir: repo"} {
		if !strings.Contains(comment, line+"\n") {
			t.Fatalf("scenario lacks %q", line)
		}
	}
	var setup string
	for _, f := range arc.Files {
		if f.Name == "setup" {
			setup = string(f.Data)
		}
	}
	env := gitEnv(t)
	work := t.TempDir()
	cmd := exec.Command("/bin/sh", "-c", setup)
	cmd.Dir, cmd.Env = work, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	orig := filepath.Join(work, "repo")
	old, neu := copyRepo(t, orig), copyRepo(t, orig)
	script := exec.Command("git", append([]string{"subtree"}, args...)...)
	script.Dir, script.Env = old, env
	var wantOut bytes.Buffer
	script.Stdout = &wantOut
	if err := script.Run(); err != nil {
		t.Fatalf("git subtree: %v", err)
	}
	gotOut, gotErr, code := runBuiltin(t, neu, env, args...)
	if code != 0 || gotOut != wantOut.String() {
		t.Errorf("builtin: exit %d, stdout %q (stderr %q); script: %q", code, gotOut, gotErr, wantOut.String())
	}
	refs := func(dir string) string {
		return run(t, dir, env, "", "git", "for-each-ref", "--format=%(refname) %(objectname)")
	}
	if got, want := refs(neu), refs(old); got != want || !strings.Contains(got, "refs/heads/split ") {
		t.Errorf("refs:\n%s\nscript:\n%s", got, want)
	}
	if got, want := cacheFiles(t, neu), cacheFiles(t, old); strings.Join(got, "") != strings.Join(want, "") || len(got) < 1000 {
		t.Errorf("split caches differ: %d files, script %d", len(got), len(want))
	}
	if _, err := os.Stat(filepath.Join(neu, ".git", "subtree-cache")); err != nil {
		t.Error(err)
	}
}
