package suite

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kiln-dev/kiln/parity"
)

// WriteText writes the human-readable report: per command line (or file)
// a line of counts, then every differing test with the tail of each
// side's output for it; the summary line last.
func WriteText(w io.Writer, results []*FileResult) error {
	var b strings.Builder
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(&b, "ERROR %s: %s\n", r.Label(), indentRest(r.Error, "    "))
			continue
		}
		status := "SAME"
		if len(r.Differing) > 0 {
			status = "DIFF"
		}
		fmt.Fprintf(&b, "%s %s: %s, %d identical (%d skipped by both), %d differing (%.1fs)\n",
			status, r.Label(), plural(r.Tests, "test"), r.Identical, r.Skipped, len(r.Differing), r.Seconds)
		if note := r.New.anomaly(); note != "" {
			fmt.Fprintf(&b, "    new run: %s\n", note)
		}
		for _, d := range r.Differing {
			writeDifference(&b, d)
		}
	}
	fmt.Fprintln(&b, Summarize(results))
	_, err := io.WriteString(w, b.String())
	return err
}

// writeDifference writes one differing test, indented.
func writeDifference(b *strings.Builder, d Difference) {
	fmt.Fprintf(b, "    test %d - %s: old %s, new %s\n", d.Number, d.Description, verdictText(d.Old, d.OldDirective), verdictText(d.New, d.NewDirective))
	if d.NewDescription != "" {
		fmt.Fprintf(b, "      new description: %s\n", d.NewDescription)
	}
	for _, side := range []struct {
		label string
		lines []string
	}{{"old", d.OldTail}, {"new", d.NewTail}} {
		if len(side.lines) == 0 {
			fmt.Fprintf(b, "      %s output: (none)\n", side.label)
			continue
		}
		fmt.Fprintf(b, "      %s output:\n", side.label)
		for _, l := range side.lines {
			fmt.Fprintf(b, "        | %s\n", l)
		}
	}
}

func verdictText(v Verdict, directive string) string {
	if directive == "" {
		return string(v)
	}
	return fmt.Sprintf("%s (%s)", v, directive)
}

func indentRest(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

// Report is the JSON document kiln parity --suite --json prints (see
// docs/parity.md).
type Report struct {
	Suite   string        `json:"suite"`
	Name    string        `json:"name"`
	Old     string        `json:"old"`
	New     string        `json:"new"`
	Results []*FileResult `json:"results"`
	Summary Summary       `json:"summary"`
	Exit    int           `json:"exit"`
}

// WriteJSON writes the results as one indented JSON Report.
func WriteJSON(w io.Writer, r *Runner, results []*FileResult) error {
	if results == nil {
		results = []*FileResult{}
	}
	for _, res := range results {
		if res.Differing == nil {
			res.Differing = []Difference{}
		}
	}
	s := Summarize(results)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Report{Suite: r.Command, Name: r.Name, Old: r.Old.String(), New: r.New.String(),
		Results: results, Summary: s, Exit: s.ExitCode()})
}

// WriteJUnit writes the results as JUnit XML: a testsuite per command
// line (or file), a testcase per test ("N - description", class
// "suite.NAME"), a <failure> for each differing test and an <error> case
// for a suite that could not run.
func WriteJUnit(w io.Writer, name string, results []*FileResult) error {
	var doc parity.JUnitSuites
	class := "suite." + name
	for _, r := range results {
		s := parity.JUnitSuite{Name: r.Label(), Tests: r.Tests, Time: fmt.Sprintf("%.3f", r.Seconds)}
		if r.Error != "" {
			s.Errors, s.Tests = 1, 1
			s.Cases = append(s.Cases, parity.JUnitCase{Class: class, Name: "(suite)",
				Error: &parity.JUnitProblem{Message: strings.SplitN(r.Error, "\n", 2)[0], Text: r.Error}})
			doc.Suites = append(doc.Suites, s)
			continue
		}
		differing := map[int]Difference{}
		for _, d := range r.Differing {
			differing[d.Number] = d
		}
		for _, t := range r.Old.stream.Tests {
			if _, ok := differing[t.Number]; !ok {
				s.Cases = append(s.Cases, parity.JUnitCase{Class: class, Name: fmt.Sprintf("%d - %s", t.Number, t.Description)})
			}
		}
		for _, d := range r.Differing {
			var text strings.Builder
			writeDifference(&text, d)
			s.Failures++
			s.Cases = append(s.Cases, parity.JUnitCase{Class: class, Name: fmt.Sprintf("%d - %s", d.Number, d.Description),
				Failure: &parity.JUnitProblem{Message: fmt.Sprintf("old %s, new %s", d.Old, d.New), Text: text.String()}})
		}
		doc.Suites = append(doc.Suites, s)
	}
	return doc.Write(w)
}

// anomaly says how a run that is not the reference went wrong as a whole,
// or "": killed by the timeout, bailed out, fewer tests than planned.
func (r Run) anomaly() string {
	switch {
	case r.TimedOut:
		return "killed after the timeout"
	case r.Bailed:
		return "bailed out: " + r.BailOut
	case r.Planned < 0:
		return fmt.Sprintf("no plan line (exit %d)", r.Exit)
	case r.Planned > r.Tests:
		return fmt.Sprintf("planned %d tests and ran %d (exit %d)", r.Planned, r.Tests, r.Exit)
	}
	return ""
}
