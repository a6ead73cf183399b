package cover

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"mvdan.cc/sh/v3/syntax"
)

// shells are the shells every instrumentation test runs under: dash is
// git's /bin/sh here, bash runs #!/bin/bash scripts.
var shells = []string{"dash", "bash"}

// instrumentInto writes the instrumented copies of the named testdata
// files into dir (file keys in order) and returns their maps.
func instrumentInto(t *testing.T, dir, hits string, bash bool, names ...string) []*FileMap {
	t.Helper()
	var maps []*FileMap
	for i, name := range names {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		ins, err := Instrument(name, src, i+1, hits, bash)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), ins.Text, 0o755); err != nil {
			t.Fatal(err)
		}
		maps = append(maps, ins.Map)
	}
	return maps
}

// copyInto copies the named testdata files into dir unchanged.
func copyInto(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, name := range names {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// runShell runs `shell script args` in dir and returns what it did.
func runShell(t *testing.T, shell, dir, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command(shell, append([]string{script}, args...)...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
}

// TestInstrumentTransparent runs scripts that look at $?, $#, "$@",
// LINENO, set -e, a sourced library's starting $?, here-docs and a
// not-found error message carrying the line number, original and
// instrumented, under dash and bash: everything they print and their exit
// status must be the same.
func TestInstrumentTransparent(t *testing.T) {
	for _, shell := range shells {
		for _, script := range []string{"transparent.sh", "known.sh"} {
			t.Run(shell+"/"+script, func(t *testing.T) {
				orig, inst := t.TempDir(), t.TempDir()
				hits := filepath.Join(t.TempDir(), "hits")
				copyInto(t, orig, script, "lib.sh")
				instrumentInto(t, inst, hits, shell == "bash", script, "lib.sh")
				want := runShell(t, shell, orig, script, "a b", "c")
				got := runShell(t, shell, inst, script, "a b", "c")
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("instrumented script behaves differently (-orig +instrumented):\n%s", diff)
				}
				if h, err := ReadHits(hits); err != nil || len(h) == 0 {
					t.Errorf("no hits recorded (%v)", err)
				}
			})
		}
	}
}

// TestInstrumentBash runs a script full of bash-only syntax (function
// keyword, [[ ]], (( )), C-style for, process substitution, |&, ;&)
// original and instrumented under bash.
func TestInstrumentBash(t *testing.T) {
	orig, inst := t.TempDir(), t.TempDir()
	hits := filepath.Join(t.TempDir(), "hits")
	copyInto(t, orig, "bashisms.sh")
	maps := instrumentInto(t, inst, hits, true, "bashisms.sh")
	want := runShell(t, "bash", orig, "bashisms.sh")
	got := runShell(t, "bash", inst, "bashisms.sh")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instrumented script behaves differently (-orig +instrumented):\n%s", diff)
	}
	h, err := ReadHits(hits)
	if err != nil {
		t.Fatal(err)
	}
	tot := maps[0].Cover(h).Totals()
	// Statements: lines 2-4, 6-8, 10 (twice: the loop and its read),
	// 11, 12 (the process substitution's printf), 13-19 and the break
	// of the select on 15, never run (no words). Arms: shout called;
	// for 0 / 1+; && taken / not; while 0 / 1+; || taken / not; select
	// 0 / 1+; case one, two (reached by ;& fall-through), no match.
	if want := (Totals{Stmts: 18, StmtsHit: 17, Arms: 14, ArmsTaken: 9}); tot != want {
		t.Errorf("totals %+v, want %+v", tot, want)
	}
}

// TestInstrumentKeepsLines checks that every statement of the
// instrumented copy of each test script is on its original line.
func TestInstrumentKeepsLines(t *testing.T) {
	for _, name := range []string{"known.sh", "transparent.sh", "lib.sh"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		ins, err := Instrument(name, src, 1, "/nonexistent/hits", false)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := bytes.Count(ins.Text, []byte("\n")), bytes.Count(src, []byte("\n")); got != want {
			t.Errorf("%s: %d lines instrumented, %d originally", name, got, want)
		}
		origLines := commandLines(t, src, false)
		instLines := commandLines(t, ins.Text, true)
		if diff := cmp.Diff(origLines, instLines); diff != "" {
			t.Errorf("%s: lines of the script's own commands moved (-orig +instrumented):\n%s", name, diff)
		}
	}
}

// commandLines lists "line: command name" of every simple command, the
// probes left out.
func commandLines(t *testing.T, src []byte, skipProbes bool) []string {
	t.Helper()
	f, err := syntax.NewParser().Parse(bytes.NewReader(src), "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	syntax.Walk(f, func(n syntax.Node) bool {
		if fn, ok := n.(*syntax.FuncDecl); ok && skipProbes && strings.HasPrefix(fn.Name.Value, "kiln_cover_") {
			return false
		}
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		name := call.Args[0].Lit()
		if skipProbes && strings.HasPrefix(name, "kiln_cover_") || name == ":" {
			return true
		}
		out = append(out, fmt.Sprintf("%d: %s", call.Pos().Line(), name))
		return true
	})
	return out
}

// TestKnownCounts runs a script of known structure and checks every
// statement and branch count, under dash and bash.
func TestKnownCounts(t *testing.T) {
	for _, shell := range shells {
		t.Run(shell, func(t *testing.T) {
			dir := t.TempDir()
			hits := filepath.Join(t.TempDir(), "hits")
			maps := instrumentInto(t, dir, hits, shell == "bash", "known.sh")
			runShell(t, shell, dir, "known.sh")
			h, err := ReadHits(hits)
			if err != nil {
				t.Fatal(err)
			}
			fc := maps[0].Cover(h)
			checkKnownStmts(t, fc)
			checkKnownBranches(t, fc)
			want := Totals{Stmts: 38, StmtsHit: 31, Arms: 27, ArmsTaken: 13}
			if got := fc.Totals(); got != want {
				t.Errorf("totals %+v, want %+v", got, want)
			}
		})
	}
}

// checkKnownStmts: testdata/known.sh's statements by line and their
// counts (two on a line when a compound statement's condition or a
// subshell's body starts there too).
func checkKnownStmts(t *testing.T, fc *FileCoverage) {
	want := []string{
		"2:1", "3:1", "5:1", "6:0", "8:1", "9:1", "10:3", "12:1", "13:1", "14:0",
		"16:1", "16:1", "17:1", "17:1", "18:1", "20:0", "21:0", "23:0",
		"25:1", "26:0", "27:1", "29:1", "32:1", "33:1", "34:1", "34:1", "35:1",
		"38:1", "40:1", "40:1", "41:1", "41:1", "42:0", "44:1", "44:1", "45:1", "46:1", "47:1",
	}
	var got []string
	for _, s := range fc.Stmts {
		got = append(got, fmt.Sprintf("%d:%d", s.Line, s.Count))
	}
	sortStrings(got)
	sortStrings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statement counts (-want +got):\n%s", diff)
	}
}

// checkKnownBranches: every branch of testdata/known.sh with its arms.
func checkKnownBranches(t *testing.T, fc *FileCoverage) {
	want := []string{
		"func 2 greet: called=1",
		"func 5 unused: called=0",
		"loop 9: 0 iterations=0 1+ iterations=1",
		"loop 13: 0 iterations=1 1+ iterations=0",
		"if 16: then=1 elif@20=0 else=0",
		"if 17: then=1 implicit else=0",
		"case 25: 1=0 3=1 no match=0",
		"case 29: y=0 no match=1",
		"&& 32: taken=1 not taken=0",
		"|| 32: taken=1 not taken=0",
		"&& 33: taken=0 not taken=1",
		"&& 34: taken=1 not taken=0",
		"loop 41: 0 iterations=1 1+ iterations=0",
		"func 44 status: called=1",
	}
	var got []string
	for _, b := range fc.Branches {
		s := fmt.Sprintf("%s %d", b.Kind, b.Line)
		if b.Name != "" {
			s += " " + b.Name
		}
		s += ":"
		for _, a := range b.Arms {
			s += fmt.Sprintf(" %s=%d", a.Label, a.Count)
		}
		got = append(got, s)
	}
	sortStrings(got)
	sortStrings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("branches (-want +got):\n%s", diff)
	}
}
