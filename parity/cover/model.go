package cover

import (
	"bufio"
	"os"
	"sort"
	"strings"
)

// Hits counts how often each probe key was recorded.
type Hits map[string]int

// ReadHits reads a hits file: one probe key a line. A missing file means
// nothing ran.
func ReadHits(path string) (Hits, error) {
	h := Hits{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return h, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if key := strings.TrimSpace(sc.Text()); key != "" {
			h[key]++
		}
	}
	return h, sc.Err()
}

// StmtCount is a statement with its hit count.
type StmtCount struct {
	StmtInfo
	Count int `json:"count"`
}

// ArmCount is a branch arm with how often it was taken.
type ArmCount struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// BranchCount is a branch with the counts of its arms.
type BranchCount struct {
	Kind string     `json:"kind"`
	Line int        `json:"line"`
	Name string     `json:"name,omitempty"`
	Arms []ArmCount `json:"arms"`
}

// FileCoverage is one file's coverage.
type FileCoverage struct {
	Name     string        `json:"name"`
	Source   string        `json:"source"`
	Stmts    []StmtCount   `json:"stmts"`
	Branches []BranchCount `json:"branches"`
}

// Cover turns hit counts into the file's coverage.
func (m *FileMap) Cover(h Hits) *FileCoverage {
	fc := &FileCoverage{Name: m.Name, Source: m.Source}
	for _, s := range m.Stmts {
		fc.Stmts = append(fc.Stmts, StmtCount{StmtInfo: s, Count: h[s.Key]})
	}
	for _, b := range m.Branches {
		bc := BranchCount{Kind: b.Kind, Line: b.Line, Name: b.Name}
		for _, a := range b.Arms {
			n := h[a.Plus]
			if a.Minus != "" {
				n -= h[a.Minus]
			}
			bc.Arms = append(bc.Arms, ArmCount{Label: a.Label, Count: max(n, 0)})
		}
		fc.Branches = append(fc.Branches, bc)
	}
	return fc
}

// Totals are hit/total counts of statements and branch arms.
type Totals struct {
	Stmts     int `json:"stmts"`
	StmtsHit  int `json:"stmts_hit"`
	Arms      int `json:"branches"`
	ArmsTaken int `json:"branches_taken"`
}

// Totals counts the file's statements and arms, and those reached.
func (fc *FileCoverage) Totals() Totals {
	var t Totals
	for _, s := range fc.Stmts {
		t.Stmts++
		if s.Count > 0 {
			t.StmtsHit++
		}
	}
	for _, b := range fc.Branches {
		for _, a := range b.Arms {
			t.Arms++
			if a.Count > 0 {
				t.ArmsTaken++
			}
		}
	}
	return t
}

// Add adds u's counts to t.
func (t *Totals) Add(u Totals) {
	t.Stmts += u.Stmts
	t.StmtsHit += u.StmtsHit
	t.Arms += u.Arms
	t.ArmsTaken += u.ArmsTaken
}

// StmtPercent is the statement coverage in percent (100 with none).
func (t Totals) StmtPercent() float64 { return percent(t.StmtsHit, t.Stmts) }

// BranchPercent is the branch coverage in percent (100 with none).
func (t Totals) BranchPercent() float64 { return percent(t.ArmsTaken, t.Arms) }

func percent(n, total int) float64 {
	if total == 0 {
		return 100
	}
	return 100 * float64(n) / float64(total)
}

// LineHits is the highest hit count of the statements starting on each
// line (1-based), -1 for lines without a statement.
func (fc *FileCoverage) LineHits() []int {
	n := strings.Count(fc.Source, "\n") + 1
	lines := make([]int, n+1)
	for i := range lines {
		lines[i] = -1
	}
	for _, s := range fc.Stmts {
		if s.Line < len(lines) {
			lines[s.Line] = max(lines[s.Line], s.Count)
		}
	}
	return lines
}

func sortStrings(s []string) { sort.Strings(s) }
