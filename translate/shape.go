package translate

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"maps"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// The idiomatic stage's shape: rewrites of the Go it wrote that change
// how the code reads, never what it does.

// atLineRE is a line that only records the script line of the command
// after it (s.At(61)), with a provenance comment perhaps.
var atLineRE = regexp.MustCompile(`^(\s*)s\.At\((\d+)\)( // [^\n]*)?$`)

// chainableRE is the start of a statement that can take the s.At before
// it as the receiver of its first call: `s.Method(`, `if s.Method(`,
// `x = s.Method(`, `if x = s.Method(` (group 1 ends right after "s.").
var chainableRE = regexp.MustCompile(`^(\s*(?:if )?(?:[A-Za-z_]\w*(?:, [A-Za-z_]\w*)* (?:=|:=|\+=) )?s\.)([A-Z]\w*)\(`)

// inlineAtRE is s.At(N) followed by another statement on one line (a
// one-line closure's body).
var inlineAtRE = regexp.MustCompile(`\bs\.At\((\d+)\); s\.([A-Z]\w*)\(`)

// statusOnly are the State's methods that run no command: an s.At
// before them is not folded into them.
var statusOnly = setOf("Unwinding", "OK", "Not", "SetStatus", "At", "CheckErrExit")

// chainAt folds each `s.At(N)` line into the statement after it, as the
// receiver of its first call (s.At returns the State): `s.At(61)` then
// `if s.Command(...); s.Unwinding() {` reads `if s.At(61).Command(...);
// s.Unwinding() {`. The line is still recorded before anything of the
// statement runs (Go evaluates calls left to right, the receiver
// first). Comment lines between the two move above them; the At line's
// provenance comment ends the statement's first line.
func chainAt(code string) string {
	code = inlineAtRE.ReplaceAllStringFunc(code, func(m string) string {
		sub := inlineAtRE.FindStringSubmatch(m)
		if statusOnly[sub[2]] {
			return m
		}
		return "s.At(" + sub[1] + ")." + sub[2] + "("
	})
	lines := strings.Split(code, "\n")
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		at := atLineRE.FindStringSubmatch(lines[i])
		if at == nil {
			out = append(out, lines[i])
			continue
		}
		j := i + 1
		for j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "//") {
			j++
		}
		if j == len(lines) {
			out = append(out, lines[i])
			continue
		}
		next := lines[j]
		m := chainableRE.FindStringSubmatchIndex(next)
		comment := at[3]
		if m == nil || statusOnly[next[m[4]:m[5]]] || comment != "" && strings.Contains(next, "//") {
			out = append(out, lines[i])
			continue
		}
		out = append(out, lines[i+1:j]...)
		out = append(out, next[:m[3]]+"At("+at[2]+")."+next[m[3]:]+comment)
		i = j
	}
	return strings.Join(out, "\n")
}

// gitRunOnly reports a command substitution's code that is one typed
// git call alone (s.GitRun(...), nothing after it: no redirection, no
// set -e check), and returns the call's arguments: the substitution is
// then s.GitText of them.
func gitRunOnly(g *gen, code string) (string, bool) {
	if !g.idiom {
		return "", false
	}
	line, ok := strings.CutSuffix(g.trimTail(code), "\n")
	if !ok || strings.Contains(line, "\n") {
		return "", false
	}
	if stmt, comment, ok := simpleLine(line); !ok || comment != "" || stmt != line {
		return "", false
	}
	args, ok := strings.CutPrefix(line, "s.GitRun(")
	if !ok {
		return "", false
	}
	return strings.TrimSuffix(args, ")"), strings.HasSuffix(args, ")")
}

// testCond is testExpr of a condition that may also be tests joined by
// && and || (`[ -z "$a" ] && [ -z "$b" ]`): the Go booleans joined
// alike, the shell's left-to-right grouping kept with parentheses where
// Go's precedence would differ. Such a list's status is its last test's,
// 0 when the whole is true and 1 when it is false, as a single test's.
// Nothing is written or counted when a part is not such a test.
func (g *gen) testCond(c *ctx, st *syntax.Stmt) (string, bool) {
	bc, ok := st.Cmd.(*syntax.BinaryCmd)
	if !ok || bc.Op != syntax.AndStmt && bc.Op != syntax.OrStmt {
		return g.testExpr(c, st)
	}
	if st.Background || len(st.Redirs) > 0 {
		return "", false
	}
	undo := g.trial()
	scratch := c.sub()
	x, okX := g.testOperand(scratch, bc.X, bc.Op)
	y, okY := g.testOperand(scratch, bc.Y, bc.Op)
	if !okX || !okY || scratch.w.Len() > 0 {
		undo()
		return "", false
	}
	op := " && "
	if bc.Op == syntax.OrStmt {
		op = " || "
	}
	expr := x + op + y
	if st.Negated {
		expr = "!(" + expr + ")"
	}
	return expr, true
}

// testOperand is testCond of one side of a list joined by op: in
// parentheses when it is itself a list of the other operator (the shell
// groups `a || b && c` from the left, Go would not).
func (g *gen) testOperand(c *ctx, st *syntax.Stmt, op syntax.BinCmdOperator) (string, bool) {
	expr, ok := g.testCond(c, st)
	if !ok {
		return "", false
	}
	if inner, isList := st.Cmd.(*syntax.BinaryCmd); isList && !st.Negated && inner.Op != op {
		return "(" + expr + ")", true
	}
	return expr, true
}

// pipeOnly reports a command substitution's code that is one pipeline
// alone (s.Pipe(...), nothing after it), and returns its stages: the
// substitution is then s.PipeText of them.
func pipeOnly(g *gen, code string) (string, bool) {
	if !g.idiom {
		return "", false
	}
	code = g.trimTail(code)
	stages, ok := strings.CutPrefix(code, "s.Pipe(\n")
	if !ok || !strings.HasSuffix(stages, "\n)\n") {
		return "", false
	}
	stages = strings.TrimSuffix(stages, ")\n")
	// The Pipe call must end only at the code's end.
	var sc scanner.Scanner
	fset := token.NewFileSet()
	src := []byte(stages)
	sc.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	depth := 0
	for {
		_, tok, _ := sc.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
			if depth < 0 {
				return "", false
			}
		}
	}
	return "\n" + stages, depth == 0
}

// elseArm writes an if's else arm, its code written by arm: `} else {
// ... }`, or in the idiomatic stage `} else if ... {` when the arm is one
// if statement alone (an elif, or an else holding only an if).
func (g *gen) elseArm(c *ctx, arm func(c *ctx)) {
	if !g.idiom {
		c.printf("} else {\n")
		arm(c)
		c.printf("}\n")
		return
	}
	w := c.w
	sub := &bytes.Buffer{}
	c.w = sub
	arm(c)
	c.w = w
	code := chainAt(sub.String())
	if strings.HasPrefix(code, "if ") && oneStatement(code) {
		c.printf("} else %s", code)
		return
	}
	c.printf("} else {\n%s}\n", code)
}

// oneStatement reports Go code that is one statement: its brackets
// close only at its end.
func oneStatement(code string) bool {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	src := []byte(code)
	sc.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	depth := 0
	for {
		pos, tok, _ := sc.Scan()
		if tok == token.EOF {
			return depth == 0
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
			if rest := strings.TrimSpace(code[fset.Position(pos).Offset:]); depth == 0 && tok == token.RBRACE && rest != "}" {
				// A closing brace at depth 0 before the end: an else
				// may follow it ("} else {"), anything else is a
				// statement of its own.
				if !strings.HasPrefix(rest, "} else ") {
					return false
				}
			}
		}
	}
}

// caseConds are the Go conditions of a case arm's patterns, on the Go
// expression subject; nil for an arm that matches everything (*).
func (g *gen) caseConds(c *ctx, item *syntax.CaseItem, subject string) []string {
	var conds []string
	for _, p := range item.Patterns {
		if l, isLit := onlyLit(p); isLit && l == "*" {
			return nil
		}
		if g.nocase {
			conds = append(conds, fmt.Sprintf("s.CaseMatch(%s, %s)", g.patternWord(c, p), subject))
			continue
		}
		if lit, ok := plainLiteral(p); ok && !strings.ContainsAny(lit, "*?[\\") {
			conds = append(conds, fmt.Sprintf("%s == %q", subject, lit))
			continue
		}
		conds = append(conds, fmt.Sprintf("shellrun.Match(%s, %s)", g.patternWord(c, p), subject))
	}
	return conds
}

// goIdentRE is a Go identifier: a lowered variable.
var goIdentRE = regexp.MustCompile(`^[A-Za-z_]\w*$`)

// caseIf writes a case of one arm as an if: `if x == "a" ||
// shellrun.Match("b*", x) {`, the word evaluated once (a lowered
// variable read in place when the patterns are literal text, else bound
// as word), the patterns in order. With no match its status is 0, set
// in an else where something reads it. It reports false, writing
// nothing, for an arm of the pattern *.
func (g *gen) caseIf(c *ctx, word string, item *syntax.CaseItem, caseDead bool) bool {
	for _, p := range item.Patterns {
		if l, isLit := onlyLit(p); isLit && l == "*" {
			return false
		}
	}
	literal := true
	for _, p := range item.Patterns {
		if _, ok := plainLiteral(p); !ok {
			literal = false
		}
	}
	if literal && goIdentRE.MatchString(word) && len(item.Stmts) == 0 {
		// Nothing to run, nothing evaluated: the status is 0 either way.
		if !caseDead {
			c.printf("s.SetStatus(0)\n")
		}
		return true
	}
	if literal && goIdentRE.MatchString(word) {
		c.printf("if %s {\n", strings.Join(g.caseConds(c, item, word), " || "))
	} else {
		c.printf("if word := %s; %s {\n", word, strings.Join(g.caseConds(c, item, "word"), " || "))
	}
	c.lastLine = 0
	if len(item.Stmts) == 0 && !caseDead {
		c.printf("s.SetStatus(0)\n")
	}
	g.nested(c, item.Stmts, caseDead)
	if caseDead {
		c.printf("}\n")
	} else {
		c.printf("} else {\ns.SetStatus(0)\n}\n")
	}
	c.lastLine = 0
	return true
}

// testRun writes `X && T1 && ... && Tn` (n >= 2 tests testCond writes
// as Go booleans, after a command X) as X then one check: `if s.OK() &&
// (a == "" || b == "") { s.SetStatus(1) }`: the status is X's when X
// fails, 1 when a test is false, 0 when all hold, as the shell leaves
// it. It reports false, writing nothing, for other lists (and under set
// -e, whose check the last test would need, or set -u, whose messages
// name lines).
func (g *gen) testRun(c *ctx, bc *syntax.BinaryCmd) bool {
	if !g.idiom || g.errexit || g.nounset || bc.Op != syntax.AndStmt {
		return false
	}
	var tests []*syntax.Stmt
	prefix := &syntax.Stmt{Cmd: bc, Position: bc.Pos()}
	for {
		list, ok := prefix.Cmd.(*syntax.BinaryCmd)
		if !ok || list.Op != syntax.AndStmt || !isTestCall(list.Y) {
			break
		}
		tests = append([]*syntax.Stmt{list.Y}, tests...)
		prefix = list.X
		if prefix.Negated || prefix.Background || len(prefix.Redirs) > 0 {
			break
		}
	}
	if len(tests) < 2 {
		return false
	}
	undo := g.trial()
	scratch := c.sub()
	var fails []string
	for _, t := range tests {
		expr, ok := g.testExpr(scratch, t)
		if !ok || scratch.w.Len() > 0 {
			undo()
			return false
		}
		g.report.Statements++
		fails = append(fails, negate(expr))
	}
	dead := c.dead
	c.dead = false
	g.condOperand(c, prefix)
	c.dead = dead
	cond := strings.Join(fails, " || ")
	g.ifOn(c, "s.OK() && ("+cond+")", "s.SetStatus(1)\n}\n")
	c.unreachable = false
	c.lastLine = 0
	return true
}

// isTestCall reports a plain `test ...` or `[ ... ]` command.
func isTestCall(st *syntax.Stmt) bool {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Background || len(st.Redirs) > 0 || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return false
	}
	name, _ := plainLiteral(call.Args[0])
	return name == "test" || name == "["
}

// negate is the Go boolean expression expr negated: a comparison's
// operator flipped, a negation dropped, else a "!" before it.
func negate(expr string) string {
	e, err := parser.ParseExpr(expr)
	if err != nil {
		return "!(" + expr + ")"
	}
	switch e := e.(type) {
	case *ast.BinaryExpr:
		op := int(e.OpPos) - 1
		switch e.Op {
		case token.EQL:
			return expr[:op] + "!=" + expr[op+2:]
		case token.NEQ:
			return expr[:op] + "==" + expr[op+2:]
		}
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			if p, ok := e.X.(*ast.ParenExpr); ok {
				return expr[int(p.Lparen) : int(p.Rparen)-1]
			}
			return expr[int(e.X.Pos())-1:]
		}
	case *ast.CallExpr, *ast.Ident, *ast.SelectorExpr:
		return "!" + expr
	}
	return "!(" + expr + ")"
}

// condUnchecked reports a condition under set -e that needs no s.Cond
// around it (the idiomatic stage): one command that cannot make the
// shell leave the function (a test, read, cd, a git call: see
// mayUnwind) and runs nothing in a subshell that set -e would reach (no
// command substitution, no redirection, no assignment). Outside a
// condition set -e's only check is of its status; inside one there is
// none, so the command is written alone, its status read by the if.
func (g *gen) condUnchecked(st *syntax.Stmt) bool {
	if !g.idiom || st.Negated || st.Background || len(st.Redirs) > 0 {
		return false
	}
	if _, bash := g.bashStmt(st); bash && g.opts.Bash {
		// The interpreter runs it, and its own set -e applies
		// unless s.Cond says it runs as a condition.
		return false
	}
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 || len(call.Assigns) > 0 || g.mayUnwind(call) {
		return false
	}
	found := false
	syntax.Walk(call, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst:
			found = true
		}
		return !found
	})
	return !found
}

// trial starts writing code that may be thrown away: the function it
// returns puts back the report's counts and the imports as they were.
func (g *gen) trial() (undo func()) {
	report := *g.report
	kept := maps.Clone(report.Lowering.Kept)
	imports := maps.Clone(g.imports)
	if imports == nil {
		imports = map[string]bool{}
	}
	return func() {
		*g.report, g.imports = report, imports
		g.report.Lowering.Kept = kept
	}
}
