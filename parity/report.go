package parity

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Summary counts the results of a run.
type Summary struct {
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Errors   int `json:"errors"`
	Accepted int `json:"accepted"` // accepted divergences, over all fixtures
	Noise    int `json:"noise"`    // noise fields, over all fixtures
}

// Summarize counts results by status, accepted divergences and noise.
func Summarize(results []*Result) Summary {
	var s Summary
	for _, r := range results {
		switch r.Status {
		case StatusPass:
			s.Passed++
		case StatusFail:
			s.Failed++
		default:
			s.Errors++
		}
		s.Accepted += len(r.Accepted)
		s.Noise += len(r.Noise)
	}
	return s
}

// ExitCode is kiln parity's exit status for a run: 2 if any fixture could
// not be judged, 1 if any has an unaccepted difference, 0 otherwise.
func (s Summary) ExitCode() int {
	switch {
	case s.Errors > 0:
		return 2
	case s.Failed > 0:
		return 1
	}
	return 0
}

// String is the summary line kiln parity prints.
func (s Summary) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d errors; %d accepted divergences, %d noise fields",
		s.Passed, s.Failed, s.Errors, s.Accepted, s.Noise)
}

// WriteText writes the human-readable report: a line per fixture, the
// diff of every mismatch and accepted divergence, the noise fields, and
// the summary line.
func WriteText(w io.Writer, results []*Result, summary Summary) error {
	var b strings.Builder
	for _, r := range results {
		fmt.Fprintf(&b, "%s %s (%.1fs)\n", strings.ToUpper(string(r.Status)), r.Fixture, r.Seconds)
		writeDetails(&b, r)
	}
	fmt.Fprintln(&b, summary)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeDetails writes what a fixture's verdict rests on, indented.
func writeDetails(b *strings.Builder, r *Result) {
	for _, e := range r.Errors {
		fmt.Fprintf(b, "    error: %s\n", strings.ReplaceAll(strings.TrimSuffix(e, "\n"), "\n", "\n      "))
	}
	for _, m := range r.Mismatches {
		fmt.Fprintf(b, "    mismatch %s:\n%s", m.Field, indent(m.Diff, "      "))
	}
	for _, m := range r.Accepted {
		fmt.Fprintf(b, "    accepted %s (%s):\n%s", m.Field, m.Reason, indent(m.Diff, "      "))
	}
	if len(r.Noise) > 0 {
		fmt.Fprintf(b, "    noise (differs between two old runs, not compared): %s\n", strings.Join(r.Noise, ", "))
	}
}

// indent leaves a one-line message alone and prefixes every line of a
// multi-line block, which then ends in a newline.
func indent(s, prefix string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}

// Report is the JSON document kiln parity --json prints (see
// docs/parity.md).
type Report struct {
	Old     string    `json:"old"`
	New     string    `json:"new"`
	Results []*Result `json:"results"`
	Summary Summary   `json:"summary"`
	Exit    int       `json:"exit"`
}

// WriteJSON writes the results as one indented JSON Report.
func WriteJSON(w io.Writer, old, new Side, results []*Result) error {
	if results == nil {
		results = []*Result{}
	}
	s := Summarize(results)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Report{Old: old.String(), New: new.String(), Results: results, Summary: s, Exit: s.ExitCode()})
}

// JUnitSuites is a JUnit XML document, as kiln parity writes it for
// fixtures and for a TAP suite (parity/suite).
type JUnitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one <testsuite>.
type JUnitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []JUnitCase `xml:"testcase"`
}

// JUnitCase is one <testcase>; File, Time and SystemOut are left out
// when empty.
type JUnitCase struct {
	Class     string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Time      string        `xml:"time,attr,omitempty"`
	Failure   *JUnitProblem `xml:"failure,omitempty"`
	Error     *JUnitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// JUnitProblem is a <failure> or an <error>: its message and text.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// Write writes the document: the XML header, the elements indented, a
// final newline.
func (d *JUnitSuites) Write(w io.Writer) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(d); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// WriteJUnit writes the results as JUnit XML: one testsuite, one testcase
// per fixture (class "parity.NAME", name the case), mismatches as
// <failure>, fixture errors as <error>, accepted divergences and noise in
// <system-out>.
func WriteJUnit(w io.Writer, results []*Result) error {
	run := JUnitSuite{Name: "kiln parity", Tests: len(results)}
	total := 0.0
	for _, r := range results {
		name, cas, _ := strings.Cut(r.Fixture, "/")
		c := JUnitCase{Class: "parity." + name, Name: cas, File: r.File, Time: fmt.Sprintf("%.3f", r.Seconds)}
		total += r.Seconds
		var details strings.Builder
		writeDetails(&details, &Result{Mismatches: r.Mismatches})
		switch r.Status {
		case StatusFail:
			run.Failures++
			c.Failure = &JUnitProblem{Message: fmt.Sprintf("%d mismatches", len(r.Mismatches)), Text: details.String()}
		case StatusError:
			run.Errors++
			c.Error = &JUnitProblem{Message: strings.SplitN(r.Errors[0], "\n", 2)[0], Text: strings.Join(r.Errors, "\n") + "\n" + details.String()}
		}
		var out strings.Builder
		writeDetails(&out, &Result{Accepted: r.Accepted, Noise: r.Noise})
		c.SystemOut = out.String()
		run.Cases = append(run.Cases, c)
	}
	run.Time = fmt.Sprintf("%.3f", total)
	return (&JUnitSuites{Suites: []JUnitSuite{run}}).Write(w)
}
