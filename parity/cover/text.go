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
	for _, s := range fc.Stmts {
		if s.Count == 0 && s.Line <= len(lines) {
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
