package parity

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestCorpusSelfParity runs every fixture under tests/fixtures in
// self-parity mode with the noise check on: the installed script against
// itself. Any fixture error (bad syntax, failing setup, wrong exit:)
// fails, and so does noise in a fixture not marked noise: on: fixtures
// normalize their nondeterminism away, or the fields go uncompared.
// This is the CI gate for the fixture corpus.
func TestCorpusSelfParity(t *testing.T) {
	root := filepath.Join("..", "tests", "fixtures")
	paths, err := FindFixtures(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	var fixtures []*Fixture
	for _, path := range paths {
		f, err := LoadFixture(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		fixtures = append(fixtures, f)
	}
	r := &Runner{Self: true, Noise: NoiseOn, Jobs: runtime.NumCPU()}
	results, err := r.Run(context.Background(), fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range results {
		t.Run(res.Fixture, func(t *testing.T) {
			if res.Status != StatusPass || (len(res.Noise) > 0 && !fixtures[i].Noise) {
				var b strings.Builder
				writeDetails(&b, res)
				t.Errorf("%s %s (noise: normalize it away or mark the fixture noise: on):\n%s", strings.ToUpper(string(res.Status)), res.File, b.String())
			}
		})
	}
	t.Logf("%d fixtures: %s", len(results), Summarize(results))
}
