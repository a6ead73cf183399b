package cover

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// knownReport runs testdata/known.sh instrumented under dash and returns
// its report (sources in testdata).
func knownReport(t *testing.T) *Report {
	t.Helper()
	dir := t.TempDir()
	hits := filepath.Join(t.TempDir(), "hits")
	maps := instrumentInto(t, dir, hits, false, "known.sh")
	runShell(t, "dash", dir, "known.sh")
	h, err := ReadHits(hits)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return &Report{ExecPath: abs, Fixtures: 1, Passed: 1, Files: []*FileCoverage{maps[0].Cover(h)}}
}

// TestLCOVGenhtml writes the LCOV tracefile of the known script, checks
// its function, branch and line records, and feeds it to genhtml (the
// lcov package; CI installs it), which must accept it without an error or
// a warning.
func TestLCOVGenhtml(t *testing.T) {
	rep := knownReport(t)
	var buf bytes.Buffer
	if err := rep.WriteLCOV(&buf); err != nil {
		t.Fatal(err)
	}
	info := buf.String()
	for _, want := range []string{
		"SF:" + filepath.Join(rep.ExecPath, "known.sh") + "\n",
		"FN:2,greet\n", "FNDA:1,greet\n", "FNDA:0,unused\n", "FNF:3\nFNH:2\n",
		"BRDA:5,1,0,0\n", "BRF:27\nBRH:13\n", "DA:10,3\n", "DA:6,0\n",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("LCOV lacks %q:\n%s", want, info)
		}
	}
	// The known script reaches every decision: no "-" (never reached)
	// arm, and the function never called is a plain 0.
	if regexp.MustCompile(`BRDA:\d+,\d+,\d+,-`).MatchString(info) {
		t.Errorf("a reached decision written as never reached:\n%s", info)
	}
	genhtml, err := exec.LookPath("genhtml")
	if err != nil {
		t.Fatalf("genhtml not installed (Debian: apt-get install lcov): %v", err)
	}
	dir := t.TempDir()
	tracefile := filepath.Join(dir, "known.info")
	if err := os.WriteFile(tracefile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(genhtml, "--branch-coverage", "-o", filepath.Join(dir, "html"), tracefile).CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("ERROR")) || bytes.Contains(out, []byte("WARNING")) {
		t.Fatalf("genhtml: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("branches...: 48.1% (13 of 27 branches)")) {
		t.Errorf("genhtml's branch summary is not the report's 13 of 27:\n%s", out)
	}
}

// TestCobertura parses the Cobertura XML back and checks its totals.
func TestCobertura(t *testing.T) {
	rep := knownReport(t)
	var buf bytes.Buffer
	if err := rep.WriteCobertura(&buf); err != nil {
		t.Fatal(err)
	}
	var got coberturaReport
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if got.BranchesValid != 27 || got.BranchesCovered != 13 {
		t.Errorf("branches %d/%d, want 13/27", got.BranchesCovered, got.BranchesValid)
	}
	// Lines with statements: 32 distinct, of which 7 never run.
	if got.LinesValid != 32 || got.LinesCovered != 25 {
		t.Errorf("lines %d/%d, want 25/32", got.LinesCovered, got.LinesValid)
	}
	if len(got.Packages) != 1 || len(got.Packages[0].Classes) != 1 || got.Packages[0].Classes[0].Filename != "known.sh" {
		t.Errorf("packages: %+v", got.Packages)
	}
}

// TestMerge merges a report with itself: every count doubles, the totals
// stay; a file whose source changed cannot merge.
func TestMerge(t *testing.T) {
	a, b := knownReport(t), knownReport(t)
	m, err := Merge([]*Report{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if m.Fixtures != 2 || m.Totals() != a.Totals() {
		t.Errorf("merged: %d fixtures, totals %+v; want 2, %+v", m.Fixtures, m.Totals(), a.Totals())
	}
	for i, s := range m.Files[0].Stmts {
		if s.Count != 2*a.Files[0].Stmts[i].Count {
			t.Errorf("line %d: merged count %d, want %d", s.Line, s.Count, 2*a.Files[0].Stmts[i].Count)
		}
	}
	b.Files[0].Source += "\n"
	if _, err := Merge([]*Report{a, b}); err == nil {
		t.Error("merged two different sources")
	}
	var buf bytes.Buffer
	if err := a.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := ReadReport(path)
	if err != nil || back.Totals() != a.Totals() || back.Files[0].Source != a.Files[0].Source {
		t.Errorf("JSON round trip: %v, %+v", err, back)
	}
}

// TestAnnotatedAndHTML checks the listing's counts and branch markers.
func TestAnnotatedAndHTML(t *testing.T) {
	rep := knownReport(t)
	var buf bytes.Buffer
	if err := rep.WriteAnnotated(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  #####     6| \techo never\n",
		"      3    10| \tn=$((n + 1))\n",
		"             | ^ if: then 1, implicit else 0!\n",
		"             | ^ case: y 0!, no match 1\n",
		"             | ^ loop: 0 iterations 1, 1+ iterations 0!\n",
		"           36| here $(echo doc) $n\n", // a here-doc body has no statement
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("annotated listing lacks %q:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	if err := rep.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{
		`<tr class="miss"><td class="n">6</td><td class="c">#####</td><td class="src">	echo never</td></tr>`,
		`<span class="br missed">if: then 1, implicit else 0!</span>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

// TestUncoveredList checks the review list of the known script.
func TestUncoveredList(t *testing.T) {
	rep := knownReport(t)
	var buf bytes.Buffer
	if err := WriteUncovered(&buf, rep.Files); err != nil {
		t.Fatal(err)
	}
	want := `known.sh:5: branch never taken: func unused: called
known.sh:6: statement never run: echo never
known.sh:9: branch never taken: loop: 0 iterations
known.sh:13: branch never taken: loop: 1+ iterations
known.sh:14: statement never run: echo none
known.sh:16: branch never taken: if: elif@20
known.sh:16: branch never taken: if: else
known.sh:17: branch never taken: if: implicit else
known.sh:20: statement never run: elif false; then
known.sh:21: statement never run: echo no
known.sh:23: statement never run: echo no
known.sh:25: branch never taken: case: 1
known.sh:25: branch never taken: case: no match
known.sh:26: statement never run: 1) echo one ;;
known.sh:29: branch never taken: case: y
known.sh:32: branch never taken: &&: not taken
known.sh:32: branch never taken: ||: not taken
known.sh:33: branch never taken: &&: taken
known.sh:34: branch never taken: &&: not taken
known.sh:41: branch never taken: loop: 1+ iterations
known.sh:42: statement never run: echo never
`
	if got := buf.String(); got != want {
		t.Errorf("review list:\n%s\nwant:\n%s", got, want)
	}
}

// TestProvenance maps a Go file's provenance comments to script lines
// and Go blocks: a doc comment covers its function, a comment in a body
// the statement after it.
func TestProvenance(t *testing.T) {
	src := `package demo

// run is git-demo:2-3.
func run(x int) int {
	if x > 0 {
		return 1
	}
	// git-demo:5
	return 2
}
`
	textfmt := "mode: set\n" +
		"example.com/m/builtins/demo/demo.go:4.21,5.11 1 1\n" +
		"example.com/m/builtins/demo/demo.go:5.11,7.3 1 1\n" +
		"example.com/m/builtins/demo/demo.go:9.2,9.10 1 0\n" +
		"example.com/m/builtins/demo/demo.go:9.2,9.10 1 0\n" + // a second process's counters
		"example.com/m/other/x.go:1.1,2.2 5 1\n"
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "builtins", "demo"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "builtins", "demo", "demo.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := parseTextfmt(bufio.NewScanner(strings.NewReader(textfmt)), "example.com/m", "example.com/m/builtins/", root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || len(files[0].Blocks) != 3 || files[0].Totals() != (Totals{Stmts: 3, StmtsHit: 2}) {
		t.Fatalf("Go files: %+v", files)
	}
	script := &FileCoverage{Name: "git-demo", Source: "#!/bin/sh\na\nb\nc\nd\n", Stmts: []StmtCount{
		{StmtInfo{Key: "1_1", Line: 2}, 1}, {StmtInfo{Key: "1_2", Line: 3}, 0}, {StmtInfo{Key: "1_3", Line: 5}, 4},
	}}
	got := Provenances(files, []*FileCoverage{script})
	want := []Provenance{
		{Script: "git-demo", FromLine: 2, ToLine: 3, GoFile: "builtins/demo/demo.go", GoFrom: 4, GoTo: 10,
			ScriptHit: Totals{Stmts: 2, StmtsHit: 1}, GoHit: Totals{Stmts: 3, StmtsHit: 2}},
		{Script: "git-demo", FromLine: 5, ToLine: 5, GoFile: "builtins/demo/demo.go", GoFrom: 9, GoTo: 9,
			ScriptHit: Totals{Stmts: 1, StmtsHit: 1}, GoHit: Totals{Stmts: 1, StmtsHit: 0}},
	}
	if len(got) != len(want) {
		t.Fatalf("provenance %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("provenance %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// The HTML page shows the Go file beside the script it ports, and
	// the text report the provenance table.
	rep := &Report{Files: []*FileCoverage{script}, Go: files, Provenance: got}
	var buf bytes.Buffer
	if err := rep.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	scriptAt, goAt := strings.Index(page, `<h3 id="s-git-demo">`), strings.Index(page, `<h3 id="g-builtins-demo-demo-go">`)
	if scriptAt < 0 || goAt < scriptAt || strings.Count(page, `<div class="cols">`) != 1 {
		t.Errorf("the Go file is not beside the script:\n%s", page)
	}
	if !strings.Contains(page, `<tr class="miss"><td class="n">9</td><td class="c">#####</td><td class="src">	return 2</td></tr>`) {
		t.Errorf("the Go line never run is not marked:\n%s", page)
	}
	buf.Reset()
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "git-demo:5         script   1/1   stmts   0/0   branches   go   0/1   stmts  builtins/demo/demo.go:9-9\n") {
		t.Errorf("text report's provenance table:\n%s", buf.String())
	}
}
