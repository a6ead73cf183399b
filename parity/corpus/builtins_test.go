package corpus

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/parity"
)

// TestFilterBranchBuiltinParity builds kiln and runs every
// tests/fixtures/filter-branch fixture with the installed
// git-filter-branch as the old side and kiln's builtin (kiln linked as
// git-filter-branch in the exec-path overlay) as the new side: every
// fixture must pass.
func TestFilterBranchBuiltinParity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kiln and runs the filter-branch fixtures")
	}
	// Sandboxes stay on the disk: under /dev/shm, a mount point, git's
	// "not a git repository" message names the filesystem boundary.
	kiln := isolatedKiln(t)
	paths, err := parity.FindFixtures(filepath.Join("..", "..", "tests", "fixtures"), []string{"filter-branch"})
	if err != nil {
		t.Fatal(err)
	}
	var fixtures []*parity.Fixture
	for _, path := range paths {
		f, err := parity.LoadFixture(path)
		if err != nil {
			t.Fatal(err)
		}
		fixtures = append(fixtures, f)
	}
	if len(fixtures) == 0 {
		t.Fatal("no filter-branch fixtures found")
	}
	r := &parity.Runner{New: parity.Side{Program: kiln}, Noise: parity.NoiseOff, Jobs: runtime.NumCPU()}
	results, err := r.Run(context.Background(), fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range results {
		if res.Status != parity.StatusPass {
			var b strings.Builder
			_ = parity.WriteText(&b, []*parity.Result{res}, parity.Summarize([]*parity.Result{res}))
			t.Errorf("%s:\n%s", res.Fixture, b.String())
		}
	}
	t.Logf("%d fixtures: %s", len(results), parity.Summarize(results))
}

// TestFilterBranchBenchScenariosIdentical runs the old and new sides of
// the filter-branch bench scenarios once each on copies of the
// scenario's state and requires the same refs afterwards (the rewritten
// branches and their refs/original backups): the speed the bench
// measures is for identical results.
func TestFilterBranchBenchScenariosIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("rewrites 1,000 commits with git-filter-branch and with the builtin")
	}
	kiln := isolatedKiln(t)
	for _, name := range []string{"filter-branch-1000", "filter-branch-1000-env"} {
		t.Run(name, func(t *testing.T) {
			sc, root, state, env := scenarioState(t, name)
			refs := map[string]string{}
			for _, side := range sc.Sides {
				if side.Role == "ref" {
					continue
				}
				work := filepath.Join(root, side.Role)
				if out, err := exec.Command("cp", "-a", state, work).CombinedOutput(); err != nil {
					t.Fatalf("cp: %s", out)
				}
				argv := append([]string{}, side.Argv...)
				if argv[0] == "kiln" {
					argv[0] = kiln
				}
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Dir, cmd.Env = filepath.Join(work, sc.Dir), env
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s: %v: %s", side.Role, err, lastLines(string(out)))
				}
				list := exec.Command("git", "for-each-ref", "--format=%(refname) %(objectname)")
				list.Dir, list.Env = cmd.Dir, env
				out, err := list.Output()
				if err != nil {
					t.Fatal(err)
				}
				refs[side.Role] = string(out)
			}
			if refs["old"] == "" || refs["old"] != refs["new"] {
				t.Errorf("refs differ:\nold:\n%s\nnew:\n%s", refs["old"], refs["new"])
			}
		})
	}
}

// lastLines is the end of a command's output, for a failure message.
func lastLines(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, "\n")
}

// isolatedKiln gives the test a HOME of its own and no system or global
// git configuration, and builds kiln for it: the path of the binary.
func isolatedKiln(t *testing.T) string {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	kiln := filepath.Join(t.TempDir(), "kiln")
	build := exec.Command("go", "build", "-o", kiln, "./cmd/kiln")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	return kiln
}

// scenarioState loads the bench scenario tests/bench/NAME.txtar and runs
// its setup in ROOT/state, ROOT a fresh temporary directory, under the
// fixed identities and dates the bench uses: it returns the scenario,
// ROOT, the state directory and the environment its commands run with.
func scenarioState(t *testing.T, name string) (sc *parity.Scenario, root, state string, env []string) {
	t.Helper()
	sc, err := parity.LoadScenario(filepath.Join("..", "..", "tests", "bench", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	env = append(os.Environ(), "LC_ALL=C", "TZ=UTC",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com", "GIT_AUTHOR_DATE=1112911993 -0700",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com", "GIT_COMMITTER_DATE=1112911993 -0700")
	env = append(env, sc.Env...)
	root = t.TempDir()
	state = filepath.Join(root, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range sc.Files {
		if err := os.WriteFile(filepath.Join(state, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	setup := exec.Command("/bin/sh", "-c", sc.Setup)
	setup.Dir, setup.Env = state, env
	if out, err := setup.CombinedOutput(); err != nil {
		t.Fatalf("setup: %v: %s", err, out)
	}
	return sc, root, state, env
}
