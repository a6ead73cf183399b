package cover

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// GoBlock is one basic block of Go code with its statement count and
// execution count, as `go tool covdata textfmt` reports it.
type GoBlock struct {
	StartLine int `json:"start_line"`
	EndLine   int `json:"end_line"`
	Stmts     int `json:"stmts"`
	Count     int `json:"count"`
}

// GoFile is the coverage of one Go source file.
type GoFile struct {
	Path   string    `json:"path"` // relative to the module root
	Source string    `json:"source"`
	Blocks []GoBlock `json:"blocks"`
}

// Totals counts the file's statements and those run.
func (g *GoFile) Totals() Totals {
	var t Totals
	for _, b := range g.Blocks {
		t.Stmts += b.Stmts
		if b.Count > 0 {
			t.StmtsHit += b.Stmts
		}
	}
	return t
}

// ReadGoCoverage converts the counters in covDir to per-file blocks with
// `go tool covdata textfmt`, keeping the files of packages under
// pkgPrefix (an import path of module modPath); moduleRoot is where the
// sources are read from.
func ReadGoCoverage(covDir, modPath, pkgPrefix, moduleRoot string) ([]*GoFile, error) {
	tmp, err := os.CreateTemp("", "kiln-cover-*.txt")
	if err != nil {
		return nil, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	cmd := exec.Command("go", "tool", "covdata", "textfmt", "-i="+covDir, "-o="+tmp.Name())
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go tool covdata textfmt: %v: %s", err, out)
	}
	f, err := os.Open(tmp.Name())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseTextfmt(bufio.NewScanner(f), modPath, pkgPrefix, moduleRoot)
}

// parseTextfmt reads "path/file.go:L.C,L.C stmts count" lines; a block
// reported by several processes gets the sum of their counts.
func parseTextfmt(sc *bufio.Scanner, modPath, pkgPrefix, moduleRoot string) ([]*GoFile, error) {
	files := map[string]*GoFile{}
	index := map[string]int{}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "mode:") || line == "" {
			continue
		}
		name, block, key, err := parseTextfmtLine(line)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(name, pkgPrefix) {
			continue
		}
		g := files[name]
		if g == nil {
			rel := strings.TrimPrefix(strings.TrimPrefix(name, modPath), "/")
			src, err := os.ReadFile(filepath.Join(moduleRoot, rel))
			if err != nil {
				return nil, err
			}
			g = &GoFile{Path: rel, Source: string(src)}
			files[name] = g
		}
		if i, ok := index[key]; ok {
			g.Blocks[i].Count += block.Count
			continue
		}
		index[key] = len(g.Blocks)
		g.Blocks = append(g.Blocks, block)
	}
	var out []*GoFile
	for _, g := range files {
		sort.SliceStable(g.Blocks, func(i, j int) bool { return g.Blocks[i].StartLine < g.Blocks[j].StartLine })
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, sc.Err()
}

var textfmtLine = regexp.MustCompile(`^(.+):(\d+)\.(\d+),(\d+)\.(\d+) (\d+) (\d+)$`)

func parseTextfmtLine(line string) (name string, b GoBlock, key string, err error) {
	m := textfmtLine.FindStringSubmatch(line)
	if m == nil {
		return "", b, "", fmt.Errorf("covdata textfmt: bad line %q", line)
	}
	b.StartLine, _ = strconv.Atoi(m[2])
	b.EndLine, _ = strconv.Atoi(m[4])
	b.Stmts, _ = strconv.Atoi(m[6])
	b.Count, _ = strconv.Atoi(m[7])
	return m[1], b, line[:strings.LastIndexByte(line[:strings.LastIndexByte(line, ' ')], ' ')], nil
}

// Provenance is a range of script lines a piece of Go code replaces, as
// its comment says (`// git-quiltimport:87-92`), with the coverage of
// both.
type Provenance struct {
	Script    string `json:"script"` // git-quiltimport
	FromLine  int    `json:"from_line"`
	ToLine    int    `json:"to_line"`
	GoFile    string `json:"go_file"`
	GoFrom    int    `json:"go_from_line"`
	GoTo      int    `json:"go_to_line"`
	ScriptHit Totals `json:"script_coverage"`
	GoHit     Totals `json:"go_coverage"`
}

var provenanceRe = regexp.MustCompile(`\b(git-[A-Za-z0-9-]+):(\d+)(?:-(\d+))?`)

// Provenances finds the provenance comments of the Go files and measures
// each range on both sides.
func Provenances(goFiles []*GoFile, scripts []*FileCoverage) []Provenance {
	byName := map[string]*FileCoverage{}
	for _, fc := range scripts {
		byName[fc.Name] = fc
	}
	var out []Provenance
	for _, g := range goFiles {
		for _, p := range provenanceComments(g) {
			fc := byName[p.Script]
			if fc == nil {
				continue
			}
			p.ScriptHit = scriptRange(fc, p.FromLine, p.ToLine)
			p.GoHit = goRange(g, p.GoFrom, p.GoTo)
			out = append(out, p)
		}
	}
	return out
}

// provenanceComments returns the provenance ranges of one Go file: each
// comment's Go range is the declaration it documents, else the first
// statement after it.
func provenanceComments(g *GoFile) []Provenance {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, g.Path, g.Source, parser.ParseComments)
	if err != nil {
		return nil
	}
	var out []Provenance
	for _, cg := range file.Comments {
		for _, m := range provenanceRe.FindAllStringSubmatch(cg.Text(), -1) {
			from, _ := strconv.Atoi(m[2])
			to := from
			if m[3] != "" {
				to, _ = strconv.Atoi(m[3])
			}
			node := nodeAfter(file, cg)
			if node == nil {
				continue
			}
			out = append(out, Provenance{Script: m[1], FromLine: from, ToLine: to, GoFile: g.Path,
				GoFrom: fset.Position(node.Pos()).Line, GoTo: fset.Position(node.End()).Line})
		}
	}
	return out
}

// nodeAfter is the outermost statement or declaration that starts first
// after the comment.
func nodeAfter(file *ast.File, cg *ast.CommentGroup) ast.Node {
	var best ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		switch n.(type) {
		case ast.Stmt, ast.Decl:
		default:
			return true
		}
		if n.Pos() < cg.End() {
			return true
		}
		if best == nil || n.Pos() < best.Pos() {
			best = n
		}
		return false
	})
	return best
}

// scriptRange counts the statements and arms of lines from..to.
func scriptRange(fc *FileCoverage, from, to int) Totals {
	var t Totals
	for _, s := range fc.Stmts {
		if s.Line >= from && s.Line <= to {
			t.Stmts++
			if s.Count > 0 {
				t.StmtsHit++
			}
		}
	}
	for _, b := range fc.Branches {
		if b.Line >= from && b.Line <= to {
			for _, a := range b.Arms {
				t.Arms++
				if a.Count > 0 {
					t.ArmsTaken++
				}
			}
		}
	}
	return t
}

// goRange counts the statements of the blocks overlapping from..to (a
// block that starts before a one-line statement still runs it).
func goRange(g *GoFile, from, to int) Totals {
	var t Totals
	for _, b := range g.Blocks {
		if b.StartLine <= to && b.EndLine >= from { // overlapping the range
			t.Stmts += b.Stmts
			if b.Count > 0 {
				t.StmtsHit += b.Stmts
			}
		}
	}
	return t
}

// BuildCoverKiln builds kiln from the module at moduleRoot with coverage
// counters in its builtins. The main package is instrumented too (and
// left out of the report): with -coverpkg=./builtins/... alone the binary
// writes no counters at all (go1.26: the exit hook comes with main's
// instrumentation).
func BuildCoverKiln(moduleRoot, out string) error {
	cmd := exec.Command("go", "build", "-cover", "-coverpkg=./builtins/...,./cmd/kiln", "-o", out, "./cmd/kiln")
	cmd.Dir = moduleRoot
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -cover: %v: %s", err, msg)
	}
	return nil
}

// AddGo reads the Go counters in covDir into the report, for the files
// of the module at moduleRoot under its directory pkgDir ("builtins" for
// kiln's builtins; "" for every package of the module, as for a port of
// one's own), and measures every provenance range on both sides.
func (r *Report) AddGo(covDir, moduleRoot, pkgDir string) error {
	gomod, err := os.ReadFile(filepath.Join(moduleRoot, "go.mod"))
	if err != nil {
		return err
	}
	modPath := ""
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(line, "module "); ok {
			modPath = strings.TrimSpace(rest)
		}
	}
	if modPath == "" {
		return fmt.Errorf("%s/go.mod: no module line", moduleRoot)
	}
	prefix := modPath + "/"
	if pkgDir != "" {
		prefix += strings.Trim(pkgDir, "/") + "/"
	}
	files, err := ReadGoCoverage(covDir, modPath, prefix, moduleRoot)
	if err != nil {
		return err
	}
	r.Go, r.ModuleRoot = files, moduleRoot
	r.Provenance = Provenances(r.Go, r.Files)
	return nil
}
