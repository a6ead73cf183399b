// Package suite runs a TAP-producing test suite twice, once with the old
// implementation of a command standing in and once with the new, and
// compares the two runs test by test: `kiln parity --suite`.
//
// The TAP reader here is deliberately small. The Go TAP packages found
// (TAP 13 only, unmaintained for years) neither accept the version-less
// TAP that git's test-lib.sh, sharness and bats print nor keep the
// non-TAP lines around each test point, which is what a report needs to
// show why a test changed verdict.
package suite

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Verdict is what a TAP test point says about one test.
type Verdict string

// The verdicts a test point can give, and the pseudo-verdict of a test
// that one run has and the other has not.
const (
	VerdictOK      Verdict = "ok"      // ok
	VerdictNotOK   Verdict = "not ok"  // not ok
	VerdictSkip    Verdict = "skip"    // ok or not ok with a # SKIP directive
	VerdictTodo    Verdict = "todo"    // not ok # TODO: a known breakage
	VerdictTodoOK  Verdict = "todo ok" // ok # TODO: a known breakage that passed
	VerdictMissing Verdict = "missing" // no test point with this number
)

// Test is one test point and the output that belongs to it: the non-TAP
// lines printed since the test point before it (the test's own output,
// when the suite shows it, as test-lib.sh -v does) and the diagnostic lines
// (starting with "#") right after it (where test-lib.sh and bats say what
// failed).
type Test struct {
	Number      int     `json:"number"`
	Description string  `json:"description"`
	Verdict     Verdict `json:"verdict"`
	// Directive is the text after "# SKIP" or "# TODO", if any.
	Directive string `json:"directive,omitempty"`
	// Output are the lines before the test point, Diagnostics the "#"
	// lines after it.
	Output      []string `json:"-"`
	Diagnostics []string `json:"-"`
}

// Stream is what one run of a suite printed, read as TAP.
type Stream struct {
	// Planned is the count of the plan line ("1..N"); -1 when the run
	// printed none.
	Planned int
	// SkipAll is the reason of a "1..0 # SKIP reason" plan.
	SkipAll string
	// BailOut is the reason of a "Bail out!" line; Bailed says there was one.
	BailOut string
	Bailed  bool
	Tests   []Test
	// Trailing are the lines after the last test point that are not its
	// diagnostics (what a run printed after its last test).
	Trailing []string
}

// HasTAP reports whether the run printed any TAP at all: a plan, a test
// point or a bail-out.
func (s *Stream) HasTAP() bool {
	return s.Planned >= 0 || len(s.Tests) > 0 || s.Bailed
}

var (
	testPoint = regexp.MustCompile(`^(not ok|ok)(?:$|[ \t]+([0-9]+)?[ \t]*(?:- )?(.*))$`)
	planLine  = regexp.MustCompile(`^1\.\.([0-9]+)\s*(?:#\s*(.*))?$`)
	// test-lib.sh's closing summary, which follows the last test point.
	testLibSummary = regexp.MustCompile(`^# (passed all [0-9]|failed [0-9]+ among|still have [0-9]+ known breakage|[0-9]+ known breakage\(s\) vanished)`)
	versionLine    = regexp.MustCompile(`^TAP version [0-9]+$`)
	directive      = regexp.MustCompile(`(?i)^#\s*(skip\S*|todo)\b\s*(.*)$`)
)

// Parse reads TAP from r. It accepts TAP 12 and 13 as test-lib.sh,
// sharness and bats print them: an optional version line, a plan before or
// after the tests, test points with or without numbers (a missing number
// is the one after the previous test's), "# SKIP" and "# TODO" directives,
// "Bail out!". Lines it does not know are output, never an error; YAML
// blocks and indented subtests are output too. Only a read error fails.
func Parse(r io.Reader) (*Stream, error) {
	s := &Stream{Planned: -1}
	var pending []string // lines since the last test point
	afterTest := false   // still in the diagnostics after a test point
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if m := testPoint.FindStringSubmatch(line); m != nil {
			s.Tests = append(s.Tests, newTest(m, len(s.Tests), pending))
			pending, afterTest = nil, true
			continue
		}
		if afterTest && strings.HasPrefix(line, "#") && !testLibSummary.MatchString(line) {
			last := &s.Tests[len(s.Tests)-1]
			last.Diagnostics = append(last.Diagnostics, line)
			continue
		}
		afterTest = false
		switch m := planLine.FindStringSubmatch(line); {
		case m != nil && s.Planned < 0:
			s.Planned, _ = strconv.Atoi(m[1])
			if s.Planned == 0 && len(m) > 2 {
				s.SkipAll = skipReason(m[2])
			}
			continue // TAP, not any test's output
		case versionLine.MatchString(line) && len(s.Tests) == 0 && len(pending) == 0:
			continue
		case strings.HasPrefix(line, "Bail out!"):
			s.Bailed = true
			s.BailOut = strings.TrimSpace(strings.TrimPrefix(line, "Bail out!"))
		}
		pending = append(pending, line)
	}
	s.Trailing = pending
	if err := sc.Err(); err != nil {
		return s, fmt.Errorf("reading TAP: %w", err)
	}
	return s, nil
}

// newTest makes a Test of a test point's submatches; index is how many
// test points came before it.
func newTest(m []string, index int, output []string) Test {
	t := Test{Number: index + 1, Verdict: VerdictOK, Output: output}
	if m[1] == "not ok" {
		t.Verdict = VerdictNotOK
	}
	if m[2] != "" {
		t.Number, _ = strconv.Atoi(m[2])
	}
	t.Description = m[3]
	if desc, d := splitDirective(m[3]); d != nil {
		t.Description = desc
		t.Directive = strings.TrimSpace(d[2])
		if strings.HasPrefix(strings.ToLower(d[1]), "skip") {
			t.Verdict = VerdictSkip
		} else if t.Verdict == VerdictOK {
			t.Verdict = VerdictTodoOK
		} else {
			t.Verdict = VerdictTodo
		}
	}
	t.Description = strings.TrimSpace(t.Description)
	if t.Description == "" && t.Verdict == VerdictSkip {
		// test-lib.sh and sharness skip as "ok N # skip DESCRIPTION
		// (missing PREREQ)".
		t.Description, t.Directive = t.Directive, ""
	}
	return t
}

// skipReason is the reason of a skip-all plan's comment ("SKIP reason").
func skipReason(comment string) string {
	if len(comment) >= 4 && strings.EqualFold(comment[:4], "skip") {
		_, reason, _ := strings.Cut(comment, " ")
		return strings.TrimSpace(reason)
	}
	return strings.TrimSpace(comment)
}

// splitDirective finds the "# SKIP ..." or "# TODO ..." directive of a test
// point's text: the first "#" not escaped by a backslash that starts one.
// It returns the description before it and the directive's submatches, or
// nil when there is none.
func splitDirective(text string) (string, []string) {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case '#':
			if d := directive.FindStringSubmatch(text[i:]); d != nil {
				return strings.TrimSpace(text[:i]), d
			}
		}
	}
	return text, nil
}
