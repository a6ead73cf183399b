package shellparse

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"mvdan.cc/sh/v3/syntax"
)

// fakeExecPath makes an exec path holding a git-sh-setup that defines die.
func fakeExecPath(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	lib := "die () {\n\techo >&2 \"$*\"\n\texit 1\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "git-sh-setup"), []byte(lib), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// invocationLines renders invocations compactly for comparison.
func invocationLines(invs []*Invocation) []string {
	var out []string
	for _, inv := range invs {
		s := fmt.Sprintf("%d:%d %s %s", inv.Line, inv.Col, inv.Kind, inv.Name)
		if inv.Kind == KindGit {
			s += fmt.Sprintf(" sub=%s flags=%v", inv.Subcommand, inv.Flags)
			if len(inv.GlobalFlags) > 0 {
				s += fmt.Sprintf(" global=%v", inv.GlobalFlags)
			}
		}
		s += fmt.Sprintf(" spawns=%d", inv.Spawns)
		if inv.Func != "" {
			s += " func=" + inv.Func
		}
		if len(inv.Via) > 0 {
			s += " via=" + strings.Join(inv.Via, ",")
		}
		for _, c := range []struct {
			on   bool
			name string
		}{{inv.InLoop, "loop"}, {inv.InPipeline, "pipe"}, {inv.InSubst, "subst"}, {inv.InSubshell, "subshell"}, {inv.InBackground, "bg"}} {
			if c.on {
				s += " " + c.name
			}
		}
		out = append(out, s)
	}
	return out
}

const sampleScript = `#!/bin/sh
. git-sh-setup
cmd=quiltimport
head=$(git rev-parse --verify -q HEAD)
for f in a b; do
	sed -n 1p "$f" | tr a b
done
helper() {
	git -C "$dir" config --bool core.bare
}
while read line; do helper; done
$cmd --opt
eval 'git status --short'
trap 'rm -f "$tmp"' 0
command -v git >/dev/null
env GIT_DIR=x git log --oneline
x=$(echo a; echo b)
(cd sub && git add .)
exec git update-ref -m msg HEAD "$head"
die "bye"
`

func TestInvocations(t *testing.T) {
	execPath := fakeExecPath(t)
	rep := NewScanner(Config{ExecPath: execPath}).ScanSource("sample.sh", []byte(sampleScript))
	if len(rep.Scripts) != 2 {
		t.Fatalf("want the script and its library, got %d scripts", len(rep.Scripts))
	}
	sc := rep.Scripts[0]
	want := []string{
		"2:1 builtin . spawns=0",
		"4:8 git git sub=rev-parse flags=[--verify -q] spawns=1 subst",
		"6:2 external sed spawns=1 loop pipe",
		"6:19 external tr spawns=1 loop pipe",
		// helper is called in a loop, so its body runs per iteration.
		"9:2 git git sub=config flags=[--bool] global=[-C] spawns=1 func=helper loop",
		"11:7 builtin read spawns=0 loop",
		"11:21 function helper spawns=0 loop",
		"12:1 dynamic $cmd spawns=1",
		"13:1 builtin eval spawns=0",
		"13:7 git git sub=status flags=[--short] spawns=1 via=eval",
		"14:1 builtin trap spawns=0",
		"14:7 external rm spawns=1 via=trap",
		"15:1 builtin command spawns=0",
		"16:15 git git sub=log flags=[--oneline] spawns=1 via=env",
		// $(a; b) of builtins forks once; the first command carries it.
		"17:5 builtin echo spawns=1 subst",
		"17:13 builtin echo spawns=0 subst",
		// The subshell ends in a program, which is exec'd in its fork.
		"18:2 builtin cd spawns=0 subshell",
		"18:12 git git sub=add flags=[] spawns=1 subshell",
		"19:6 git git sub=update-ref flags=[-m] spawns=1 via=exec",
		"20:1 function die spawns=0",
	}
	if diff := cmp.Diff(want, invocationLines(sc.Invocations)); diff != "" {
		t.Errorf("invocations (-want +got):\n%s", diff)
	}
	if sc.Stats.Spawns != 11 || sc.Stats.SpawnsInLoops != 3 {
		t.Errorf("spawns = %d (in loops %d), want 11 (3)", sc.Stats.Spawns, sc.Stats.SpawnsInLoops)
	}
	wantSource := &Source{Line: 2, Col: 3, Text: "git-sh-setup", Resolved: filepath.Join(execPath, "git-sh-setup")}
	if diff := cmp.Diff([]*Source{wantSource}, sc.Sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	lib := rep.Scripts[1]
	if lib.SourcedBy != "sample.sh" || lib.Path != wantSource.Resolved {
		t.Errorf("library %s sourced by %q", lib.Path, lib.SourcedBy)
	}
	// The library's own commands are attributed to the library.
	if diff := cmp.Diff([]string{"2:2 builtin echo spawns=0 func=die", "3:2 builtin exit spawns=0 func=die"},
		invocationLines(lib.Invocations)); diff != "" {
		t.Errorf("library invocations (-want +got):\n%s", diff)
	}
	var rules []string
	for _, f := range sc.Findings {
		rules = append(rules, fmt.Sprintf("%d:%d %s", f.Line, f.Col, f.Rule))
	}
	wantRules := []string{"6:2 spawn-in-loop", "6:19 spawn-in-loop", "9:2 spawn-in-loop", "12:1 dynamic-command"}
	if diff := cmp.Diff(wantRules, rules); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestForkModel(t *testing.T) {
	tests := []struct {
		script string
		spawns []int // per invocation, in order
	}{
		// A pipeline element that is a builtin forks; a program execs.
		{`x=$(echo "$y" | sed s/a/b/)`, []int{2, 1}},
		// A subshell that is a pipeline element runs in its fork.
		{`( echo a; cat f ) | git commit-tree t`, []int{0, 1, 1}},
		{`c=$( (echo a; cat f) | git commit-tree t)`, []int{1, 1, 1}},
		// Background jobs fork; a program absorbs the fork.
		{`sleep 1 & wait`, []int{1, 0}},
		{`{ echo a; } &`, []int{1}},
		// Nothing forks for a plain sequence of builtins.
		{`echo a; test -n b`, []int{0, 0}},
		// A function in a substitution forks.
		{"f() { :; }\nv=$(f)", []int{0, 1}},
	}
	for _, tt := range tests {
		rep := NewScanner(Config{}).ScanSource("t.sh", []byte(tt.script))
		var got []int
		for _, inv := range rep.Scripts[0].Invocations {
			got = append(got, inv.Spawns)
		}
		if diff := cmp.Diff(tt.spawns, got); diff != "" {
			t.Errorf("%q: spawns (-want +got):\n%s", tt.script, diff)
		}
	}
}

func TestUnresolvedSource(t *testing.T) {
	src := ". \"$LIB_DIR/lib.sh\"\n. no-such-lib\n. \"$(git --exec-path)/git-sh-setup\"\n"
	execPath := fakeExecPath(t)
	rep := NewScanner(Config{ExecPath: execPath, Path: t.TempDir()}).ScanSource("t.sh", []byte(src))
	sc := rep.Scripts[0]
	var got []string
	for _, s := range sc.Sources {
		got = append(got, fmt.Sprintf("%d:%d %s -> %q (%s)", s.Line, s.Col, s.Text, s.Resolved, s.Reason))
	}
	want := []string{
		`1:3 "$LIB_DIR/lib.sh" -> "" (not a static path: "$LIB_DIR/lib.sh")`,
		`2:3 no-such-lib -> "" (no-such-lib not found in git's exec path or PATH)`,
		fmt.Sprintf(`3:3 "$(git --exec-path)/git-sh-setup" -> %q ()`, filepath.Join(execPath, "git-sh-setup")),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	if n := rep.Summary.Findings[RuleUnresolvedSource]; n != 2 {
		t.Errorf("%d unresolved-source findings, want 2", n)
	}
}

func TestParseErrorIsPositioned(t *testing.T) {
	rep := NewScanner(Config{}).ScanSource("broken.sh", []byte("#!/bin/sh\necho ok\nif true; then\n"))
	sc := rep.Scripts[0]
	if sc.Error != "broken.sh:3:10: `then` must be followed by a statement list" || sc.ErrorLine != 3 || sc.ErrorCol != 10 {
		t.Errorf("error = %q at %d:%d", sc.Error, sc.ErrorLine, sc.ErrorCol)
	}
	if rep.Summary.Errors != 1 {
		t.Errorf("summary counts %d errors, want 1", rep.Summary.Errors)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		src  string
		lang Lang
		ok   bool
	}{
		{"#!/bin/sh\necho hi\n", LangPOSIX, true},
		{"#!/usr/bin/env bash\necho hi\n", LangBash, true},
		{"#!/usr/bin/perl\nprint 1;\n", "", false},
		{"\x7fELF\x00\x01", "", false},
		{"die () {\n\texit 1\n}\n", LangPOSIX, true},
		{". \"$MERGE_TOOLS_DIR/vimdiff\"\n", LangPOSIX, true},
		{"This is a README.\nIt has prose.\n", "", false},
		// Only bash parses [[ ]] and arrays: a bash library.
		{"a=(1 2)\nif [[ -n $a ]]; then :; fi\n", LangBash, true},
	}
	for _, tt := range tests {
		lang, ok, _ := Classify([]byte(tt.src))
		if lang != tt.lang || ok != tt.ok {
			t.Errorf("Classify(%q) = %q, %v; want %q, %v", tt.src, lang, ok, tt.lang, tt.ok)
		}
	}
}

// TestCorpus scans the installed git's porcelain: every script parses, and
// for each file the git calls found are at least those an independent walk
// of the syntax tree sees (the scan finds more inside eval and trap text).
func TestCorpus(t *testing.T) {
	execPath := gitExecPath(t)
	paths, _, err := Corpus(execPath)
	if err != nil {
		t.Fatal(err)
	}
	rep := NewScanner(Config{ExecPath: execPath}).Scan(paths)
	byPath := map[string]*Script{}
	for _, sc := range rep.Scripts {
		byPath[sc.Path] = sc
		if sc.Error != "" {
			t.Errorf("%s", sc.Error)
		}
	}
	want := []string{"git-quiltimport", "git-request-pull", "git-merge-octopus", "git-merge-resolve",
		"git-merge-one-file", "git-filter-branch", "git-subtree", "git-bisect", "git-mergetool",
		"git-difftool--helper", "git-web--browse", "git-submodule", "git-instaweb", "git-sh-setup",
		"git-mergetool--lib", "git-sh-i18n"}
	tools, _ := filepath.Glob(filepath.Join(execPath, "mergetools", "*"))
	if len(tools) == 0 {
		t.Fatal("no mergetools in the exec path")
	}
	for _, name := range want {
		want := filepath.Join(execPath, name)
		tools = append(tools, want)
	}
	for _, p := range tools {
		sc, ok := byPath[p]
		if !ok {
			t.Errorf("%s was not scanned", p)
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got := sc.Stats.ByKind[KindGit]
		if min := countGitCalls(t, p, src, sc.Lang); got < min {
			t.Errorf("%s: %d git invocations, an independent walk finds %d", p, got, min)
		}
	}
}

// countGitCalls counts the simple commands whose first word is literally
// git, walking the whole tree with syntax.Walk.
func countGitCalls(t *testing.T, path string, src []byte, lang Lang) int {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(lang.variant())).Parse(strings.NewReader(string(src)), path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	n := 0
	syntax.Walk(f, func(node syntax.Node) bool {
		if call, ok := node.(*syntax.CallExpr); ok && len(call.Args) > 0 && call.Args[0].Lit() == "git" {
			n++
		}
		return true
	})
	return n
}

func gitExecPath(tb testing.TB) string {
	tb.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		tb.Fatalf("git --exec-path: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// BenchmarkScanCorpus scans every shell script of the installed git.
func BenchmarkScanCorpus(b *testing.B) {
	execPath := gitExecPath(b)
	for b.Loop() {
		paths, _, err := Corpus(execPath)
		if err != nil {
			b.Fatal(err)
		}
		rep := NewScanner(Config{ExecPath: execPath}).Scan(paths)
		if rep.Summary.Errors != 0 {
			b.Fatal("parse errors in the corpus")
		}
	}
}

// FuzzScan scans arbitrary bytes as a script: it must never panic.
func FuzzScan(f *testing.F) {
	f.Add([]byte(sampleScript))
	f.Add([]byte("#!/bin/bash\nf() { eval \"git $1\"; }\nwhile :; do f | cat & done\n"))
	f.Add([]byte("OPTIONS_SPEC=\"\\\ncmd [opts]\n--\nn,dry-run x\na= y\n\"\nwhile test $# != 0; do case \"$1\" in -n|--dry-run) ;; --st|--sta*) ;; esac; done\n"))
	f.Add([]byte("trap 'git reset --hard' 0\neval 'x=$(git rev-parse HEAD)'\n. \"$(git --exec-path)/git-sh-setup\"\n"))
	execPath := fakeExecPath(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, lang := range []Lang{"", LangBash} {
			rep := NewScanner(Config{Lang: lang, ExecPath: execPath}).ScanSource("fuzz.sh", src)
			_ = SARIF(rep, "fuzz")
		}
	})
}
