package cover

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Report is everything kiln cover shows: the scripts' coverage, the Go
// builtin's, and both per provenance range. Its JSON form is what --json
// writes and --merge reads.
type Report struct {
	// ExecPath is where the installed scripts are (LCOV and Cobertura
	// name them there, so genhtml can read their source).
	ExecPath string `json:"exec_path"`
	// Paths names the source of files not from the exec path (a script
	// given on the command line).
	Paths map[string]string `json:"paths,omitempty"`
	// ModuleRoot is where the Go files are.
	ModuleRoot string          `json:"module_root,omitempty"`
	Fixtures   int             `json:"fixtures"`
	Passed     int             `json:"passed"`
	Files      []*FileCoverage `json:"files"`
	Go         []*GoFile       `json:"go,omitempty"`
	Provenance []Provenance    `json:"provenance,omitempty"`
}

// Keep returns the files worth showing: those run at least once, and
// those named in always (the commands the fixtures test).
func Keep(files []*FileCoverage, always map[string]bool) []*FileCoverage {
	var out []*FileCoverage
	for _, fc := range files {
		if always[fc.Name] || fc.Totals().StmtsHit > 0 {
			out = append(out, fc)
		}
	}
	return out
}

// Totals sums the scripts' coverage.
func (r *Report) Totals() Totals {
	var t Totals
	for _, fc := range r.Files {
		t.Add(fc.Totals())
	}
	return t
}

// GoTotals sums the Go files' coverage.
func (r *Report) GoTotals() Totals {
	var t Totals
	for _, g := range r.Go {
		t.Add(g.Totals())
	}
	return t
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadReport reads a report written by WriteJSON.
func ReadReport(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &r, nil
}

// Merge adds several runs together: the counts of the same file (same
// name and source) are summed; a file whose source changed between runs
// is an error, since its statements no longer line up.
func Merge(reports []*Report) (*Report, error) {
	out := &Report{}
	files := map[string]*FileCoverage{}
	goFiles := map[string]*GoFile{}
	for _, r := range reports {
		if out.ExecPath == "" {
			out.ExecPath, out.ModuleRoot = r.ExecPath, r.ModuleRoot
		}
		for name, path := range r.Paths {
			if out.Paths == nil {
				out.Paths = map[string]string{}
			}
			out.Paths[name] = path
		}
		out.Fixtures += r.Fixtures
		out.Passed += r.Passed
		for _, fc := range r.Files {
			if err := mergeFile(files, fc); err != nil {
				return nil, err
			}
		}
		for _, g := range r.Go {
			if err := mergeGo(goFiles, g); err != nil {
				return nil, err
			}
		}
	}
	for _, fc := range files {
		out.Files = append(out.Files, fc)
	}
	sort.Slice(out.Files, func(i, j int) bool { return out.Files[i].Name < out.Files[j].Name })
	for _, g := range goFiles {
		out.Go = append(out.Go, g)
	}
	sort.Slice(out.Go, func(i, j int) bool { return out.Go[i].Path < out.Go[j].Path })
	out.Provenance = Provenances(out.Go, out.Files)
	return out, nil
}

func mergeFile(files map[string]*FileCoverage, fc *FileCoverage) error {
	have := files[fc.Name]
	if have == nil {
		copied := *fc
		copied.Stmts = append([]StmtCount{}, fc.Stmts...)
		copied.Branches = nil
		for _, b := range fc.Branches {
			b.Arms = append([]ArmCount{}, b.Arms...)
			copied.Branches = append(copied.Branches, b)
		}
		files[fc.Name] = &copied
		return nil
	}
	if have.Source != fc.Source || len(have.Stmts) != len(fc.Stmts) || len(have.Branches) != len(fc.Branches) {
		return fmt.Errorf("merge: %s differs between the runs (another git version?)", fc.Name)
	}
	for i := range fc.Stmts {
		have.Stmts[i].Count += fc.Stmts[i].Count
	}
	for i, b := range fc.Branches {
		for j := range b.Arms {
			have.Branches[i].Arms[j].Count += b.Arms[j].Count
		}
	}
	return nil
}

func mergeGo(files map[string]*GoFile, g *GoFile) error {
	have := files[g.Path]
	if have == nil {
		copied := *g
		copied.Blocks = append([]GoBlock{}, g.Blocks...)
		files[g.Path] = &copied
		return nil
	}
	if have.Source != g.Source || len(have.Blocks) != len(g.Blocks) {
		return fmt.Errorf("merge: %s differs between the runs", g.Path)
	}
	for i := range g.Blocks {
		have.Blocks[i].Count += g.Blocks[i].Count
	}
	return nil
}

// SourcePath is where a file's source is: the given script, else the
// exec path's entry.
func (r *Report) SourcePath(name string) string {
	if p, ok := r.Paths[name]; ok {
		return p
	}
	return filepath.Join(r.ExecPath, name)
}
