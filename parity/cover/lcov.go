package cover

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
)

// WriteLCOV writes an LCOV tracefile (genhtml, Codecov): per script its
// functions (FN/FNDA), branch arms (BRDA; "-" for a decision never
// reached) and lines (DA: the highest count of the statements starting on
// the line); per Go file its lines. Scripts are named by their installed
// path, Go files by their path under the module root, so genhtml finds
// the sources.
func (r *Report) WriteLCOV(w io.Writer) error {
	ew := &errWriter{w: w}
	for _, fc := range r.Files {
		ew.printf("TN:\nSF:%s\n", r.SourcePath(fc.Name))
		writeLCOVFunctions(ew, fc)
		writeLCOVBranches(ew, fc)
		writeLCOVLines(ew, scriptLineCounts(fc))
		ew.printf("end_of_record\n")
	}
	for _, g := range r.Go {
		ew.printf("TN:\nSF:%s\n", filepath.Join(r.ModuleRoot, g.Path))
		writeLCOVLines(ew, goLineCounts(g))
		ew.printf("end_of_record\n")
	}
	return ew.err
}

// functionName is unique per file: a function defined twice (in two arms
// of an if) gets its line appended the second time.
func functionNames(fc *FileCoverage) map[int]string {
	names := map[int]string{}
	seen := map[string]bool{}
	for i, b := range fc.Branches {
		if b.Kind != "func" {
			continue
		}
		name := b.Name
		if seen[name] {
			name = fmt.Sprintf("%s@%d", name, b.Line)
		}
		seen[name] = true
		names[i] = name
	}
	return names
}

func writeLCOVFunctions(ew *errWriter, fc *FileCoverage) {
	names := functionNames(fc)
	idx := make([]int, 0, len(names))
	for i := range names {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	hit := 0
	for _, i := range idx {
		ew.printf("FN:%d,%s\n", fc.Branches[i].Line, names[i])
	}
	for _, i := range idx {
		n := fc.Branches[i].Arms[0].Count
		if n > 0 {
			hit++
		}
		ew.printf("FNDA:%d,%s\n", n, names[i])
	}
	ew.printf("FNF:%d\nFNH:%d\n", len(idx), hit)
}

func writeLCOVBranches(ew *errWriter, fc *FileCoverage) {
	total, taken := 0, 0
	for block, b := range fc.Branches {
		// A decision none of whose arms ran was never reached ("-");
		// a single arm (a function called or not) is a plain count.
		reached := len(b.Arms) == 1
		for _, a := range b.Arms {
			reached = reached || a.Count > 0
		}
		for i, a := range b.Arms {
			count := "-"
			if reached {
				count = strconv.Itoa(a.Count)
			}
			if a.Count > 0 {
				taken++
			}
			total++
			ew.printf("BRDA:%d,%d,%d,%s\n", b.Line, block, i, count)
		}
	}
	ew.printf("BRF:%d\nBRH:%d\n", total, taken)
}

func writeLCOVLines(ew *errWriter, counts map[int]int) {
	lines := sortedLines(counts)
	hit := 0
	for _, l := range lines {
		if counts[l] > 0 {
			hit++
		}
		ew.printf("DA:%d,%d\n", l, counts[l])
	}
	ew.printf("LF:%d\nLH:%d\n", len(lines), hit)
}

func sortedLines(counts map[int]int) []int {
	lines := make([]int, 0, len(counts))
	for l := range counts {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	return lines
}

// scriptLineCounts is the highest count of the statements starting on
// each line that has one.
func scriptLineCounts(fc *FileCoverage) map[int]int {
	counts := map[int]int{}
	for _, s := range fc.Stmts {
		if c, ok := counts[s.Line]; !ok || s.Count > c {
			counts[s.Line] = s.Count
		}
	}
	return counts
}

// goLineCounts spreads each block's count over its lines, the highest
// count winning where blocks share a line.
func goLineCounts(g *GoFile) map[int]int {
	counts := map[int]int{}
	for _, b := range g.Blocks {
		for l := b.StartLine; l <= b.EndLine; l++ {
			if c, ok := counts[l]; !ok || b.Count > c {
				counts[l] = b.Count
			}
		}
	}
	return counts
}

// Cobertura XML (coverage-04.dtd), as Jenkins, GitLab and Codecov read it.
type coberturaReport struct {
	XMLName         xml.Name           `xml:"coverage"`
	LineRate        string             `xml:"line-rate,attr"`
	BranchRate      string             `xml:"branch-rate,attr"`
	LinesCovered    int                `xml:"lines-covered,attr"`
	LinesValid      int                `xml:"lines-valid,attr"`
	BranchesCovered int                `xml:"branches-covered,attr"`
	BranchesValid   int                `xml:"branches-valid,attr"`
	Complexity      string             `xml:"complexity,attr"`
	Version         string             `xml:"version,attr"`
	Timestamp       string             `xml:"timestamp,attr"`
	Sources         []string           `xml:"sources>source"`
	Packages        []coberturaPackage `xml:"packages>package"`
}

type coberturaPackage struct {
	Name       string           `xml:"name,attr"`
	LineRate   string           `xml:"line-rate,attr"`
	BranchRate string           `xml:"branch-rate,attr"`
	Complexity string           `xml:"complexity,attr"`
	Classes    []coberturaClass `xml:"classes>class"`
}

type coberturaClass struct {
	Name       string          `xml:"name,attr"`
	Filename   string          `xml:"filename,attr"`
	LineRate   string          `xml:"line-rate,attr"`
	BranchRate string          `xml:"branch-rate,attr"`
	Complexity string          `xml:"complexity,attr"`
	Methods    struct{}        `xml:"methods"`
	Lines      []coberturaLine `xml:"lines>line"`
}

type coberturaLine struct {
	Number    int    `xml:"number,attr"`
	Hits      int    `xml:"hits,attr"`
	Branch    string `xml:"branch,attr"`
	Condition string `xml:"condition-coverage,attr,omitempty"`

	arms, armsTaken int // not written: summed into the rates
}

// rate is n/total as Cobertura writes it (1 with nothing to cover).
func rate(n, total int) string {
	if total == 0 {
		return "1"
	}
	return strconv.FormatFloat(float64(n)/float64(total), 'f', 4, 64)
}

// WriteCobertura writes a Cobertura XML report: a package "scripts"
// (file names relative to the exec path source) and, with Go coverage, a
// package "go" (relative to the module root source).
func (r *Report) WriteCobertura(w io.Writer) error {
	rep := coberturaReport{Complexity: "0", Version: "kiln cover", Timestamp: "0", Sources: []string{r.ExecPath}}
	var lines, linesHit, arms, armsHit int
	scripts := coberturaPackage{Name: "scripts", Complexity: "0"}
	for _, fc := range r.Files {
		class := scriptClass(fc)
		scripts.Classes = append(scripts.Classes, class)
	}
	pkgs := []coberturaPackage{scripts}
	if len(r.Go) > 0 {
		rep.Sources = append(rep.Sources, r.ModuleRoot)
		goPkg := coberturaPackage{Name: "go", Complexity: "0"}
		for _, g := range r.Go {
			goPkg.Classes = append(goPkg.Classes, goClass(g))
		}
		pkgs = append(pkgs, goPkg)
	}
	for i := range pkgs {
		var pl, plh, pa, pah int
		for _, c := range pkgs[i].Classes {
			for _, l := range c.Lines {
				pl++
				if l.Hits > 0 {
					plh++
				}
				pa, pah = pa+l.arms, pah+l.armsTaken
			}
		}
		pkgs[i].LineRate, pkgs[i].BranchRate = rate(plh, pl), rate(pah, pa)
		lines, linesHit, arms, armsHit = lines+pl, linesHit+plh, arms+pa, armsHit+pah
	}
	rep.Packages = pkgs
	rep.LineRate, rep.BranchRate = rate(linesHit, lines), rate(armsHit, arms)
	rep.LinesCovered, rep.LinesValid, rep.BranchesCovered, rep.BranchesValid = linesHit, lines, armsHit, arms
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(rep); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func scriptClass(fc *FileCoverage) coberturaClass {
	counts := scriptLineCounts(fc)
	armsByLine := map[int][2]int{}
	for _, b := range fc.Branches {
		v := armsByLine[b.Line]
		for _, a := range b.Arms {
			v[1]++
			if a.Count > 0 {
				v[0]++
			}
		}
		armsByLine[b.Line] = v
		if _, ok := counts[b.Line]; !ok {
			// An operator on a continuation line (a &&\n b): the
			// line ran as often as its busiest arm.
			for _, a := range b.Arms {
				counts[b.Line] = max(counts[b.Line], a.Count)
			}
		}
	}
	t := fc.Totals()
	class := coberturaClass{Name: fc.Name, Filename: fc.Name, Complexity: "0"}
	hit := 0
	for _, l := range sortedLines(counts) {
		line := coberturaLine{Number: l, Hits: counts[l], Branch: "false"}
		if v, ok := armsByLine[l]; ok {
			line.Branch = "true"
			line.Condition = fmt.Sprintf("%d%% (%d/%d)", 100*v[0]/v[1], v[0], v[1])
			line.armsTaken, line.arms = v[0], v[1]
		}
		if counts[l] > 0 {
			hit++
		}
		class.Lines = append(class.Lines, line)
	}
	class.LineRate, class.BranchRate = rate(hit, len(counts)), rate(t.ArmsTaken, t.Arms)
	return class
}

func goClass(g *GoFile) coberturaClass {
	counts := goLineCounts(g)
	class := coberturaClass{Name: g.Path, Filename: g.Path, Complexity: "0", BranchRate: "1"}
	hit := 0
	for _, l := range sortedLines(counts) {
		class.Lines = append(class.Lines, coberturaLine{Number: l, Hits: counts[l], Branch: "false"})
		if counts[l] > 0 {
			hit++
		}
	}
	class.LineRate = rate(hit, len(counts))
	return class
}
