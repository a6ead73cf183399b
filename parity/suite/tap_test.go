package suite

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, tap string
		want      Stream
	}{{
		name: "test-lib.sh",
		tap: `expecting success of 1.1 'setup':
	git init
ok 1 - setup
not ok 2 - breaks
#	false
#
ok 3 # skip needs network (missing NETWORK)
not ok 4 - known bug # TODO known breakage
ok 5 - fixed bug # TODO known breakage vanished
# failed 1 among 5 test(s)
1..5
`,
		want: Stream{Planned: 5, Tests: []Test{
			{Number: 1, Description: "setup", Verdict: VerdictOK, Output: []string{"expecting success of 1.1 'setup':", "\tgit init"}},
			{Number: 2, Description: "breaks", Verdict: VerdictNotOK, Diagnostics: []string{"#\tfalse", "#"}},
			{Number: 3, Description: "needs network (missing NETWORK)", Verdict: VerdictSkip},
			{Number: 4, Description: "known bug", Verdict: VerdictTodo, Directive: "known breakage"},
			{Number: 5, Description: "fixed bug", Verdict: VerdictTodoOK, Directive: "known breakage vanished"},
		}, Trailing: []string{"# failed 1 among 5 test(s)"}},
	}, {
		name: "bats",
		tap: `1..3
ok 1 works
not ok 2 fails
# (in test file x.bats, line 3)
ok 3 later # skip not here
`,
		want: Stream{Planned: 3, Tests: []Test{
			{Number: 1, Description: "works", Verdict: VerdictOK},
			{Number: 2, Description: "fails", Verdict: VerdictNotOK, Diagnostics: []string{"# (in test file x.bats, line 3)"}},
			{Number: 3, Description: "later", Verdict: VerdictSkip, Directive: "not here"},
		}},
	}, {
		name: "TAP 13, no numbers, an escaped #, YAML, bail out",
		tap: `TAP version 13
ok - first
not ok
  ---
  message: boom
  ...
ok - a \# b
Bail out! no disk
`,
		want: Stream{Planned: -1, Bailed: true, BailOut: "no disk", Tests: []Test{
			{Number: 1, Description: "first", Verdict: VerdictOK},
			{Number: 2, Verdict: VerdictNotOK},
			{Number: 3, Description: `a \# b`, Verdict: VerdictOK, Output: []string{"  ---", "  message: boom", "  ..."}},
		}, Trailing: []string{"Bail out! no disk"}},
	}, {
		name: "skip all; ok-like words are not test points",
		tap:  "okay then\n1..0 # Skipped: no bats here\n",
		want: Stream{Planned: 0, SkipAll: "no bats here", Trailing: []string{"okay then"}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tc.tap))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}
