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
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	kiln := filepath.Join(t.TempDir(), "kiln")
	build := exec.Command("go", "build", "-o", kiln, "./cmd/kiln")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
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
