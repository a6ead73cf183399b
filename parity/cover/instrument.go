// Package cover measures the statement and branch coverage that parity
// fixtures reach in git's shell scripts (and their sourced libraries), and
// the statement coverage of kiln's Go builtins under the same fixtures.
//
// A script is instrumented by splicing probes into its source at offsets
// found with mvdan.cc/sh/v3: every probe is a call of a shell function
// defined in the instrumented copy that appends a probe id to a hits file
// with echo, so no process is spawned. Probes never add a newline, so every
// statement stays on its original line (LINENO, dash's "script: 12: ..."
// messages); each passes the previous $? through, so $?, set -e and exit
// codes are unchanged (see probeFuncs).
package cover

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// StmtInfo is one statement of a script: what a probe counts.
type StmtInfo struct {
	Key  string `json:"key"` // probe key in the hits file
	Line int    `json:"line"`
	Col  int    `json:"col"`
	// EndLine is the statement's last line (multi-line commands).
	EndLine int `json:"end_line"`
}

// Arm is one way a branch can go. Its count is the hits of Plus minus the
// hits of Minus (a "not taken" arm is derived from how often the decision
// was reached less how often it was taken).
type Arm struct {
	Label string `json:"label"`
	Plus  string `json:"plus"`
	Minus string `json:"minus,omitempty"`
}

// Branch is one decision point: an if/elif/else chain, a case, the right
// operand of && or ||, a loop (zero vs one or more iterations) or a
// function (called or not).
type Branch struct {
	Kind string `json:"kind"` // if, case, &&, ||, loop, func
	Line int    `json:"line"`
	Name string `json:"name,omitempty"` // the function's name
	Arms []Arm  `json:"arms"`
}

// FileMap describes one instrumented file: its probes and its source.
type FileMap struct {
	Name     string     `json:"name"` // path relative to the exec path
	Source   string     `json:"-"`
	Stmts    []StmtInfo `json:"stmts"`
	Branches []Branch   `json:"branches"`
}

// Instrumented is a file's instrumented text and its probe map.
type Instrumented struct {
	Text []byte
	Map  *FileMap
}

// insertion is probe text spliced in before the byte at offset.
type insertion struct {
	offset int
	seq    int
	text   func() string
}

// instrumenter holds the state of one file's instrumentation.
type instrumenter struct {
	file    string // probe key prefix: the file's number in the set
	hits    string // absolute path of the hits file
	src     []byte
	m       *FileMap
	inserts []insertion
	n       int
	first   bool // the next list statement is the file's first
}

// probe is a call site; loops register resets and iteration marks on it
// after it is created, so its text is rendered at the end.
type probe struct {
	key    string
	iter   string   // loop key whose first iteration this probe marks
	resets []string // loop keys whose iteration mark this probe clears
}

// Instrument returns src with probes spliced in. fileKey distinguishes the
// files of one run (probe keys are fileKey_N); hitsFile is where the
// probes append. bash selects the bash dialect (for #!/bin/bash scripts).
func Instrument(name string, src []byte, fileKey int, hitsFile string, bash bool) (*Instrumented, error) {
	if strings.ContainsAny(hitsFile, "'\n") {
		return nil, fmt.Errorf("hits file path %q: quote or newline", hitsFile)
	}
	lang := syntax.LangPOSIX
	if bash {
		lang = syntax.LangBash
	}
	f, err := syntax.NewParser(syntax.Variant(lang)).Parse(bytes.NewReader(src), name)
	if err != nil && !bash {
		// dash accepts a few things mvdan's POSIX mode does not.
		f, err = syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(src), name)
	}
	if err != nil {
		return nil, err
	}
	in := &instrumenter{file: fmt.Sprint(fileKey), hits: hitsFile, src: src, first: true,
		m: &FileMap{Name: name, Source: string(src)}}
	in.list(f.Stmts)
	out := in.splice()
	if _, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(out), name); err != nil {
		return nil, fmt.Errorf("instrumented %s does not parse: %v", name, err)
	}
	return &Instrumented{Text: out, Map: in.m}, nil
}

// IsBash reports whether a script's #! line names bash.
func IsBash(src []byte) bool {
	line, _, _ := bytes.Cut(src, []byte("\n"))
	return bytes.HasPrefix(line, []byte("#!")) && bytes.Contains(line, []byte("bash"))
}

func (in *instrumenter) newKey() string {
	in.n++
	return in.file + "_" + fmt.Sprint(in.n)
}

func (in *instrumenter) insert(pos syntax.Pos, text func() string) {
	in.inserts = append(in.inserts, insertion{offset: int(pos.Offset()), seq: len(in.inserts), text: text})
}

// splice applies the insertions, stable for equal offsets.
func (in *instrumenter) splice() []byte {
	sort.SliceStable(in.inserts, func(i, j int) bool { return in.inserts[i].offset < in.inserts[j].offset })
	var out bytes.Buffer
	last := 0
	for _, ins := range in.inserts {
		out.Write(in.src[last:ins.offset])
		out.WriteString(ins.text())
		last = ins.offset
	}
	out.Write(in.src[last:])
	return out.Bytes()
}

// list instruments a statement list: each statement gets a probe before
// it. It returns the first statement's probe (nil for an empty list).
func (in *instrumenter) list(stmts []*syntax.Stmt) *probe {
	var first *probe
	for _, s := range stmts {
		p := &probe{key: in.newKey()}
		if first == nil {
			first = p
		}
		in.m.Stmts = append(in.m.Stmts, StmtInfo{Key: p.key, Line: int(s.Pos().Line()), Col: int(s.Pos().Col()), EndLine: int(s.End().Line())})
		in.insert(s.Pos(), in.stmtProbeText(p))
		in.stmt(s, p)
	}
	return first
}

// stmtProbeText renders a statement probe: `P key $? && :; `. The list's
// status is the probe's, which is the previous $? (or the 0 of : when that
// was 0), and as a non-last member of an && list it never trips set -e.
// The file's first probe also defines the probe functions, saving $?
// first: a sourced file starts with its caller's $?.
func (in *instrumenter) stmtProbeText(p *probe) func() string {
	first := in.first
	in.first = false
	return func() string {
		status := "$?"
		prefix := ""
		if first {
			prefix = "kiln_cover_s=$?; " + probeFuncs(in.hits)
			status = "$kiln_cover_s"
		}
		return prefix + p.call(status) + " && :; "
	}
}

// call renders the probe's function call.
func (p *probe) call(status string) string {
	if p.iter == "" && len(p.resets) == 0 {
		return "kiln_cover_hit " + p.key + " " + status
	}
	iter := p.iter
	if iter == "" {
		iter = "-"
	}
	return strings.Join(append([]string{"kiln_cover_p", p.key, status, iter}, p.resets...), " ")
}

// probeFuncs defines the probe functions on one line. kiln_cover_hit
// records a key and returns the status it was given. kiln_cover_p also
// marks a loop's first iteration since the loop's last start (KEY+ in the
// hits file) and clears the marks of the loops given after it (the loops
// started by the statement it precedes). Only builtins: echo, test, eval,
// shift, return.
func probeFuncs(hits string) string {
	q := "'" + hits + "'"
	return "kiln_cover_hit() { echo \"$1\" >>" + q + "; return $2; }; " +
		"kiln_cover_p() { echo \"$1\" >>" + q + "; kiln_cover_st=$2; " +
		"if test \"$3\" != - && eval \"test -z \\\"\\${kiln_cover_l$3-}\\\"\"; then eval \"kiln_cover_l$3=1\"; echo \"$3+\" >>" + q + "; fi; " +
		"shift 3; while test $# -gt 0; do eval \"kiln_cover_l$1=\"; shift; done; return $kiln_cover_st; }; "
}

// stmt instruments what is inside one statement; exec is the probe that
// fires exactly once each time the statement runs (nil if none does).
func (in *instrumenter) stmt(s *syntax.Stmt, exec *probe) {
	for _, r := range s.Redirs {
		in.words(r.Word)
	}
	if s.Cmd != nil {
		in.command(s.Cmd, exec)
	}
}

func (in *instrumenter) command(cmd syntax.Command, exec *probe) {
	switch c := cmd.(type) {
	case *syntax.Block:
		in.list(c.Stmts)
	case *syntax.Subshell:
		in.list(c.Stmts)
	case *syntax.IfClause:
		in.ifClause(c)
	case *syntax.WhileClause:
		in.list(c.Cond)
		in.loop(c.WhilePos, c.Do, exec)
	case *syntax.ForClause:
		in.words(c.Loop)
		in.loop(c.ForPos, c.Do, exec)
	case *syntax.CaseClause:
		in.caseClause(c)
	case *syntax.FuncDecl:
		in.funcDecl(c)
	case *syntax.BinaryCmd:
		in.binary(c, exec)
	case *syntax.TimeClause:
		if c.Stmt != nil {
			in.stmt(c.Stmt, exec)
		}
	default: // simple commands, declarations, [[ ]], (( )), let
		in.words(c)
	}
}

// words instruments the command substitutions in a node that holds no
// statement lists of its own, never those in here-document bodies.
func (in *instrumenter) words(node syntax.Node) {
	if node == nil {
		return
	}
	if w, ok := node.(*syntax.Word); ok && w == nil {
		return
	}
	syntax.Walk(node, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst:
			in.list(n.Stmts)
			return false
		case *syntax.ProcSubst:
			in.list(n.Stmts)
			return false
		case *syntax.Redirect:
			if n.Word != nil {
				in.words(n.Word)
			}
			return false // never inside a here-document's body
		case *syntax.Stmt:
			in.stmt(n, nil)
			return false
		}
		return true
	})
}

// ifClause: one branch with an arm per then/elif and the else arm, an
// implicit one (`else P key 0;` before fi: an if that takes no arm
// returns 0, as the probe does) when there is no else.
func (in *instrumenter) ifClause(c *syntax.IfClause) {
	b := Branch{Kind: "if", Line: int(c.Pos().Line())}
	for clause := c; clause != nil; clause = clause.Else {
		if !clause.ThenPos.IsValid() { // else
			if p := in.list(clause.Then); p != nil {
				b.Arms = append(b.Arms, Arm{Label: "else", Plus: p.key})
			}
			break
		}
		in.list(clause.Cond)
		label := "then"
		if clause != c {
			label = fmt.Sprintf("elif@%d", clause.Pos().Line())
		}
		if p := in.list(clause.Then); p != nil {
			b.Arms = append(b.Arms, Arm{Label: label, Plus: p.key})
		}
		if clause.Else == nil {
			key := in.newKey()
			in.insert(clause.FiPos, func() string { return "else kiln_cover_hit " + key + " 0; " })
			b.Arms = append(b.Arms, Arm{Label: "implicit else", Plus: key})
		}
	}
	in.m.Branches = append(in.m.Branches, b)
}

// caseClause: an arm per item (an empty item gets its own probe) and,
// without a catch-all * pattern, an implicit no-match arm that returns 0
// as a case matching nothing does.
func (in *instrumenter) caseClause(c *syntax.CaseClause) {
	in.words(c.Word)
	b := Branch{Kind: "case", Line: int(c.Pos().Line())}
	catchAll := false
	terminated := len(c.Items) == 0 || c.Items[len(c.Items)-1].OpPos.IsValid()
	for _, item := range c.Items {
		labels := make([]string, len(item.Patterns))
		for i, pat := range item.Patterns {
			in.words(pat)
			labels[i] = string(in.src[pat.Pos().Offset():pat.End().Offset()])
			if labels[i] == "*" {
				catchAll = true
			}
		}
		p := in.list(item.Stmts)
		if p == nil {
			p = in.emptyArmProbe(item, c)
			terminated = terminated || !item.OpPos.IsValid()
		}
		b.Arms = append(b.Arms, Arm{Label: strings.Join(labels, "|"), Plus: p.key})
	}
	if !catchAll && !c.Braces {
		key := in.newKey()
		needsEnd := !terminated
		in.insert(c.Esac, func() string {
			text := "*) kiln_cover_hit " + key + " 0;; "
			if needsEnd {
				text = ";; " + text
			}
			return text
		})
		b.Arms = append(b.Arms, Arm{Label: "no match", Plus: key})
	}
	in.m.Branches = append(in.m.Branches, b)
}

// emptyArmProbe probes a case item without statements. It returns 0: a
// case whose matching item runs no command returns 0.
func (in *instrumenter) emptyArmProbe(item *syntax.CaseItem, c *syntax.CaseClause) *probe {
	p := &probe{key: in.newKey()}
	if item.OpPos.IsValid() {
		in.insert(item.OpPos, func() string { return "kiln_cover_hit " + p.key + " 0 " })
	} else { // the last item, ended by esac: end it
		in.insert(c.Esac, func() string { return "kiln_cover_hit " + p.key + " 0;; " })
	}
	return p
}

// loop: the body's first probe marks the first iteration; exec, which
// fires once per start of the loop, clears the mark. Zero-iteration starts
// are starts less first iterations.
func (in *instrumenter) loop(pos syntax.Pos, body []*syntax.Stmt, exec *probe) {
	p := in.list(body)
	if p == nil {
		return
	}
	p.iter = p.key
	b := Branch{Kind: "loop", Line: int(pos.Line()), Arms: []Arm{{Label: "1+ iterations", Plus: p.key + "+"}}}
	if exec != nil {
		exec.resets = append(exec.resets, p.key)
		b.Arms = append([]Arm{{Label: "0 iterations", Plus: exec.key, Minus: p.key + "+"}}, b.Arms...)
	}
	in.m.Branches = append(in.m.Branches, b)
}

// funcDecl: the body's first probe counts calls.
func (in *instrumenter) funcDecl(c *syntax.FuncDecl) {
	var p *probe
	switch body := c.Body.Cmd.(type) {
	case *syntax.Block:
		p = in.list(body.Stmts)
	case *syntax.Subshell:
		p = in.list(body.Stmts)
	default:
		in.stmt(c.Body, nil)
	}
	if p != nil {
		in.m.Branches = append(in.m.Branches, Branch{Kind: "func", Name: c.Name.Value, Line: int(c.Pos().Line()),
			Arms: []Arm{{Label: "called", Plus: p.key}}})
	}
}

// binary: for && and ||, a probe at the start of the right operand,
// joined with the same operator (`a && P key $? && b`): it runs exactly
// when b would, passes a's status on to b's $?, and is never last in the
// list, so set -e ignores it.
func (in *instrumenter) binary(c *syntax.BinaryCmd, exec *probe) {
	in.stmt(c.X, exec)
	if c.Op != syntax.AndStmt && c.Op != syntax.OrStmt {
		in.stmt(c.Y, exec)
		return
	}
	p := &probe{key: in.newKey()}
	op := c.Op.String()
	in.insert(c.Y.Pos(), func() string { return p.call("$?") + " " + op + " " })
	arms := []Arm{{Label: "taken", Plus: p.key}}
	if exec != nil {
		arms = append(arms, Arm{Label: "not taken", Plus: exec.key, Minus: p.key})
	}
	in.m.Branches = append(in.m.Branches, Branch{Kind: op, Line: int(c.OpPos.Line()), Arms: arms})
	in.stmt(c.Y, p)
}
