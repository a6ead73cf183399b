package cover

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// formatTotalsLine is one row of the text summary.
func formatTotalsLine(name string, t Totals) string {
	return fmt.Sprintf("%-28s statements %6.1f%% (%d/%d)  branches %6.1f%% (%d/%d)",
		name, t.StmtPercent(), t.StmtsHit, t.Stmts, t.BranchPercent(), t.ArmsTaken, t.Arms)
}

// WriteSummary writes one line per file and the total.
func WriteSummary(w io.Writer, files []*FileCoverage) error {
	var total Totals
	for _, fc := range files {
		t := fc.Totals()
		total.Add(t)
		if _, err := fmt.Fprintln(w, formatTotalsLine(fc.Name, t)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, formatTotalsLine("total", total))
	return err
}

// WriteUncovered writes the review list: every statement never reached
// and every branch arm never taken, by file and line, the first things a
// porting engineer writes fixtures for.
func WriteUncovered(w io.Writer, files []*FileCoverage) error {
	for _, fc := range files {
		for _, item := range uncovered(fc) {
			if _, err := fmt.Fprintf(w, "%s:%s\n", fc.Name, item); err != nil {
				return err
			}
		}
	}
	return nil
}

// uncoveredItem is one entry of the review list.
type uncoveredItem struct {
	line int
	text string
}

func (u uncoveredItem) String() string { return fmt.Sprintf("%d: %s", u.line, u.text) }

// uncovered lists a file's unreached statements and untaken arms by line.
func uncovered(fc *FileCoverage) []uncoveredItem {
	lines := strings.Split(fc.Source, "\n")
	var out []uncoveredItem
	listed := map[int]bool{} // one entry per line, however many statements start there
	for _, s := range fc.Stmts {
		if s.Count == 0 && s.Line <= len(lines) && !listed[s.Line] {
			listed[s.Line] = true
			out = append(out, uncoveredItem{s.Line, "statement never run: " + strings.TrimSpace(lines[s.Line-1])})
		}
	}
	for _, b := range fc.Branches {
		for _, a := range b.Arms {
			if a.Count == 0 {
				out = append(out, uncoveredItem{b.Line, "branch never taken: " + describeArm(b, a)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out
}

// describeArm names an arm for people: "if: implicit else", "func foo:
// called", "case: no match".
func describeArm(b BranchCount, a ArmCount) string {
	kind := b.Kind
	if b.Name != "" {
		kind += " " + b.Name
	}
	return kind + ": " + a.Label
}

// WriteText writes the text report: the scripts' summary, the Go
// builtin's and the provenance table when there is Go coverage, then the
// review list of what no fixture reached.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("kiln cover: %d fixtures (%d passed)\n", r.Fixtures, r.Passed)
	var total Totals
	for _, fc := range r.Files {
		t := fc.Totals()
		total.Add(t)
		ew.printf("%s\n", formatTotalsLine(fc.Name, t))
	}
	ew.printf("%s\n", formatTotalsLine("total", total))
	if len(r.Go) > 0 {
		ew.printf("\nGo builtin:\n")
		for _, g := range r.Go {
			t := g.Totals()
			ew.printf("%-40s statements %6.1f%% (%d/%d)\n", g.Path, t.StmtPercent(), t.StmtsHit, t.Stmts)
		}
		t := r.GoTotals()
		ew.printf("%-40s statements %6.1f%% (%d/%d)\n", "total", t.StmtPercent(), t.StmtsHit, t.Stmts)
		ew.printf("\nProvenance (script lines, the Go code replacing them):\n")
		for _, p := range r.Provenance {
			ew.printf("%s:%-9s script %3d/%-3d stmts %3d/%-3d branches   go %3d/%-3d stmts  %s:%d-%d\n",
				p.Script, lineRange(p.FromLine, p.ToLine), p.ScriptHit.StmtsHit, p.ScriptHit.Stmts,
				p.ScriptHit.ArmsTaken, p.ScriptHit.Arms, p.GoHit.StmtsHit, p.GoHit.Stmts, p.GoFile, p.GoFrom, p.GoTo)
		}
	}
	ew.printf("\nNot covered (statements never run, branch arms never taken):\n")
	if ew.err == nil {
		ew.err = WriteUncovered(w, r.Files)
	}
	return ew.err
}

func lineRange(from, to int) string {
	if from == to {
		return fmt.Sprint(from)
	}
	return fmt.Sprintf("%d-%d", from, to)
}

// errWriter keeps the first write error, so a report is written without
// checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// WriteAnnotated writes each file's source with the hit count of the
// statements starting on each line (##### for never run, blank for no
// statement) and, under each branching line, its arms and their counts
// (a ! marks an arm never taken).
func (r *Report) WriteAnnotated(w io.Writer) error {
	ew := &errWriter{w: w}
	for _, fc := range r.Files {
		ew.printf("==> %s <==\n", fc.Name)
		hits := fc.LineHits()
		branches := map[int][]BranchCount{}
		for _, b := range fc.Branches {
			branches[b.Line] = append(branches[b.Line], b)
		}
		for i, line := range strings.Split(strings.TrimSuffix(fc.Source, "\n"), "\n") {
			n := i + 1
			ew.printf("%7s %5d| %s\n", countColumn(hits, n), n, line)
			for _, b := range branches[n] {
				ew.printf("%7s      | ^ %s\n", "", branchMarker(b))
			}
		}
	}
	return ew.err
}

func countColumn(hits []int, line int) string {
	switch {
	case line >= len(hits) || hits[line] < 0:
		return ""
	case hits[line] == 0:
		return "#####"
	}
	return fmt.Sprint(hits[line])
}

// branchMarker is "if: then 1, implicit else 0!".
func branchMarker(b BranchCount) string {
	kind := b.Kind
	if b.Name != "" {
		kind += " " + b.Name
	}
	var arms []string
	for _, a := range b.Arms {
		mark := ""
		if a.Count == 0 {
			mark = "!"
		}
		arms = append(arms, fmt.Sprintf("%s %d%s", a.Label, a.Count, mark))
	}
	return kind + ": " + strings.Join(arms, ", ")
}
