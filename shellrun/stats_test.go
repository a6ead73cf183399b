package shellrun

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestPipelineStats counts the tools of pipelines whose stages run at
// once and count into one Stats: the interpreter's pipelines (Run) and
// a translated script's (State.Pipe). Under -race this is the check
// that the stages' counting is synchronised.
func TestPipelineStats(t *testing.T) {
	const rounds = 20
	want := statCounts{Tools: 3 * rounds}
	wantOut := strings.Repeat("AB\n", rounds)

	t.Run("interpreter", func(t *testing.T) {
		src := `i=0
while [ $i -lt 20 ]; do
	printf 'ab\n' | tr a-z A-Z | tr A-Z a-z | tr a-z A-Z
	i=$((i + 1))
done
`
		var out, errb bytes.Buffer
		status, stats, err := Run(context.Background(), parse(t, "s.sh", src), nil,
			Options{Env: testEnv(t), Dir: t.TempDir(), Stdout: &out, Stderr: &errb})
		if err != nil || status != 0 {
			t.Fatalf("status %d, err %v, stderr %s", status, err, errb.String())
		}
		if out.String() != wantOut {
			t.Errorf("stdout = %q, want %q", out.String(), wantOut)
		}
		if got := counts(stats); got != want {
			t.Errorf("stats = %+v, want %+v", got, want)
		}
	})

	t.Run("state", func(t *testing.T) {
		var out, errb bytes.Buffer
		stats := &Stats{}
		s := NewState(Config{Name: "s.sh", Env: testEnv(t), Dir: t.TempDir(),
			Stdout: &out, Stderr: &errb, Stats: stats})
		status := s.Main(func(s *State) {
			for range rounds {
				s.Pipe(
					func(s *State) { s.Printf(`ab\n`) },
					func(s *State) { s.Run("tr", "a-z", "A-Z") },
					func(s *State) { s.Run("tr", "A-Z", "a-z") },
					func(s *State) { s.Run("tr", "a-z", "A-Z") },
				)
			}
		})
		if status != 0 {
			t.Fatalf("status %d, stderr %s", status, errb.String())
		}
		if out.String() != wantOut {
			t.Errorf("stdout = %q, want %q", out.String(), wantOut)
		}
		if got := counts(stats); got != want {
			t.Errorf("stats = %+v, want %+v", got, want)
		}
	})
}
