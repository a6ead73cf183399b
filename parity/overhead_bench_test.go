package parity

import (
	"context"
	"testing"
)

// BenchmarkRunnerOverhead measures what the runner itself costs per
// fixture (sandbox, setup, three restores, snapshots, comparison) around a
// command that does nothing, with the noise check on. Where the sandboxes
// go matters: compare TMPDIR=/dev/shm with a disk.
func BenchmarkRunnerOverhead(b *testing.B) {
	f, err := LoadFixture(testFixture("quiltimport/one-patch"))
	if err != nil {
		b.Fatal(err)
	}
	r := &Runner{Old: shell(":"), New: shell(":"), Noise: NoiseOn, Jobs: 1}
	for b.Loop() {
		results, err := r.Run(context.Background(), []*Fixture{f})
		if err != nil || results[0].Status != StatusPass {
			b.Fatalf("%v %+v", err, results)
		}
	}
}
