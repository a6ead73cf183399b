// Package corpus holds the CI gate for the parity fixture corpus. It is a
// package of its own so that go test gives it its own time budget and runs
// it alongside the runner's unit tests.
package corpus

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/parity"
)

// TestCorpusSelfParity runs every fixture under tests/fixtures in
// self-parity mode with the noise check on: the installed script against
// itself. Any fixture error (bad syntax, failing setup, wrong exit:)
// fails, and so does noise in a fixture not marked noise: on: fixtures
// normalize their nondeterminism away, or the fields go uncompared.
func TestCorpusSelfParity(t *testing.T) {
	// Nothing of the user's reaches the fixtures (the runner builds their
	// environment), but keep this process's own git calls clean too.
	useMemoryTempDir(t)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	root := filepath.Join("..", "..", "tests", "fixtures")
	paths, err := parity.FindFixtures(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	var fixtures []*parity.Fixture
	for _, path := range paths {
		f, err := parity.LoadFixture(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		fixtures = append(fixtures, f)
	}
	r := &parity.Runner{Self: true, Noise: parity.NoiseOn, Jobs: runtime.NumCPU()}
	results, err := r.Run(context.Background(), fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range results {
		t.Run(res.Fixture, func(t *testing.T) {
			if res.Status != parity.StatusPass || (len(res.Noise) > 0 && !fixtures[i].Noise) {
				var b strings.Builder
				_ = parity.WriteText(&b, []*parity.Result{res}, parity.Summarize([]*parity.Result{res}))
				t.Errorf("%s (noise: normalize it away or mark the fixture noise: on):\n%s", res.File, b.String())
			}
		})
	}
	t.Logf("%d fixtures: %s", len(results), parity.Summarize(results))
}

// useMemoryTempDir points TMPDIR, where the runner makes its sandboxes,
// at /dev/shm when that is a writable tmpfs: the runs create and delete
// many small files, several times faster in memory than on a disk
// (measured: 0.22 s against 0.89 s per fixture of runner overhead).
func useMemoryTempDir(t *testing.T) {
	dir, err := os.MkdirTemp("/dev/shm", "kiln-corpus-")
	if err != nil {
		return // no /dev/shm here: stay on the disk
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Setenv("TMPDIR", dir)
}
