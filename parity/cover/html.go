package cover

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// htmlLine is one source line of the HTML report.
type htmlLine struct {
	N       int
	Text    string
	Count   string
	Class   string // hit, miss or empty
	Markers []htmlMarker
}

// htmlMarker is a branch's arms; Missed when one was never taken.
type htmlMarker struct {
	Text   string
	Missed bool
}

// htmlFile is one listing of the HTML report.
type htmlFile struct {
	Name    string
	Anchor  string
	Summary string
	Lines   []htmlLine
}

// htmlSection is a script with, beside it, the Go files whose
// provenance comments name it.
type htmlSection struct {
	Script htmlFile
	Go     []htmlFile
}

type htmlPage struct {
	Title      string
	Rows       []string
	GoRows     []string
	Provenance []Provenance
	Sections   []htmlSection
}

// WriteHTML writes a self-contained HTML page: the summary, the
// provenance table, and each script with its hit counts (red: never
// run) and branch markers, the builtin's Go files beside the script they
// port.
func (r *Report) WriteHTML(w io.Writer) error {
	page := htmlPage{Title: "kiln cover", Provenance: r.Provenance}
	for _, fc := range r.Files {
		page.Rows = append(page.Rows, formatTotalsLine(fc.Name, fc.Totals()))
	}
	page.Rows = append(page.Rows, formatTotalsLine("total", r.Totals()))
	ported := map[string][]htmlFile{}
	for _, g := range r.Go {
		t := g.Totals()
		summary := fmt.Sprintf("statements %.1f%% (%d/%d)", t.StmtPercent(), t.StmtsHit, t.Stmts)
		page.GoRows = append(page.GoRows, fmt.Sprintf("%-40s %s", g.Path, summary))
		for _, script := range portedScripts(r.Provenance, g.Path) {
			ported[script] = append(ported[script], goHTMLFile(g, summary))
		}
	}
	for _, fc := range r.Files {
		page.Sections = append(page.Sections, htmlSection{Script: scriptHTMLFile(fc), Go: ported[fc.Name]})
	}
	return htmlTemplate.Execute(w, page)
}

// portedScripts lists the scripts a Go file's provenance comments name.
func portedScripts(provs []Provenance, goFile string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range provs {
		if p.GoFile == goFile && !seen[p.Script] {
			seen[p.Script] = true
			out = append(out, p.Script)
		}
	}
	return out
}

func scriptHTMLFile(fc *FileCoverage) htmlFile {
	t := fc.Totals()
	f := htmlFile{Name: fc.Name, Anchor: "s-" + anchorName(fc.Name),
		Summary: fmt.Sprintf("statements %.1f%% (%d/%d), branches %.1f%% (%d/%d)",
			t.StmtPercent(), t.StmtsHit, t.Stmts, t.BranchPercent(), t.ArmsTaken, t.Arms)}
	hits := fc.LineHits()
	markers := map[int][]BranchCount{}
	for _, b := range fc.Branches {
		markers[b.Line] = append(markers[b.Line], b)
	}
	for i, text := range strings.Split(strings.TrimSuffix(fc.Source, "\n"), "\n") {
		n := i + 1
		line := htmlLine{N: n, Text: text, Count: countColumn(hits, n)}
		if n < len(hits) && hits[n] >= 0 {
			line.Class = "hit"
			if hits[n] == 0 {
				line.Class = "miss"
			}
		}
		for _, b := range markers[n] {
			m := branchMarker(b)
			line.Markers = append(line.Markers, htmlMarker{Text: m, Missed: strings.Contains(m, "!")})
		}
		f.Lines = append(f.Lines, line)
	}
	return f
}

func goHTMLFile(g *GoFile, summary string) htmlFile {
	f := htmlFile{Name: g.Path, Anchor: "g-" + anchorName(g.Path), Summary: summary}
	counts := goLineCounts(g)
	for i, text := range strings.Split(strings.TrimSuffix(g.Source, "\n"), "\n") {
		n := i + 1
		line := htmlLine{N: n, Text: text}
		if c, ok := counts[n]; ok {
			line.Count, line.Class = fmt.Sprint(c), "hit"
			if c == 0 {
				line.Count, line.Class = "#####", "miss"
			}
		}
		f.Lines = append(f.Lines, line)
	}
	return f
}

func anchorName(s string) string {
	return strings.NewReplacer("/", "-", ".", "-").Replace(s)
}

var htmlTemplate = template.Must(template.New("cover").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body { font-family: sans-serif; margin: 1em; }
pre, td.src, td.n, td.c { font-family: monospace; font-size: 12px; white-space: pre; }
.cols { display: flex; gap: 1em; align-items: flex-start; }
.cols > div { flex: 1; overflow-x: auto; }
table.src { border-collapse: collapse; }
tr.hit td.src { background: #e6ffe6; }
tr.miss td.src { background: #ffdddd; }
td.n { color: #888; text-align: right; padding-right: .5em; }
td.c { text-align: right; padding-right: .5em; color: #333; }
span.br { display: block; color: #05a; font-size: 11px; }
span.br.missed { color: #c00; }
</style></head><body>
<h1>{{.Title}}</h1>
<h2>Scripts</h2><pre>{{range .Rows}}{{.}}
{{end}}</pre>
{{if .GoRows}}<h2>Go builtin</h2><pre>{{range .GoRows}}{{.}}
{{end}}</pre>
<h2>Provenance</h2>
<table><tr><th>script lines</th><th>script statements</th><th>script branches</th><th>Go code</th><th>Go statements</th></tr>
{{range .Provenance}}<tr><td>{{.Script}}:{{.FromLine}}-{{.ToLine}}</td><td>{{.ScriptHit.StmtsHit}}/{{.ScriptHit.Stmts}}</td><td>{{.ScriptHit.ArmsTaken}}/{{.ScriptHit.Arms}}</td><td>{{.GoFile}}:{{.GoFrom}}-{{.GoTo}}</td><td>{{.GoHit.StmtsHit}}/{{.GoHit.Stmts}}</td></tr>
{{end}}</table>{{end}}
{{range .Sections}}<div class="cols">
<div>{{template "file" .Script}}</div>
{{if .Go}}<div>{{range .Go}}{{template "file" .}}{{end}}</div>{{end}}
</div>{{end}}
</body></html>
{{define "file"}}<h3 id="{{.Anchor}}">{{.Name}}</h3><p>{{.Summary}}</p>
<table class="src">{{range .Lines}}<tr class="{{.Class}}"><td class="n">{{.N}}</td><td class="c">{{.Count}}</td><td class="src">{{.Text}}{{range .Markers}}<span class="br{{if .Missed}} missed{{end}}">{{.Text}}</span>{{end}}</td></tr>
{{end}}</table>{{end}}
`))
