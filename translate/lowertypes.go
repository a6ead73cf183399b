package translate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Typed locals. Among the variables analyzeVars lowers, some are given
// a Go type of their own where every value the script can give them is
// one the type holds exactly (typeLocals):
//
//   - bool (a flag): only ever assigned "" or one fixed literal word
//     (sep_seen= ... sep_seen=yes). "$x" is FlagText(x, "yes"), and
//     test -n/-z "$x", test "$x" = yes (or != yes, = "") are x or !x;
//   - int: only ever assigned literal numbers in canonical decimal
//     (NON_FF_MERGE=0 ... NON_FF_MERGE=1), read as strconv.Itoa(x);
//     arithmetic reads it by name through the State;
//   - []string (a word list): only ever emptied (x=) or appended to as
//     x="$x$word " (remotes="$remotes$arg "): x = append(x, word). "$x"
//     is WordsText(x) (each word and a space) and an unquoted $x, a word
//     of its own, is s.SplitWords(x): the text split at the IFS of the
//     moment and each field globbed, so that a word with spaces or glob
//     characters gives what it gives in the shell whatever IFS is.
//
// Such a variable is bound to the State as a view (shellrun
// BindFlag/BindInt/BindWords) that renders the Go value as the shell
// string, for the environment of programs (a name inherited exported
// stays exported), subshells' copies, `set` and text run by eval, and
// parses a string text run at run time assigns back (saying on standard
// error when the type cannot hold it, as shellrun/evalguard.go does for
// what a Go string cannot follow). The analysis proves that nothing the
// translation knows of assigns it otherwise:
//
//   - it is typed in the top level's code only: a function mentioning
//     it keeps a Go string bound while it runs (FuncVars), which starts
//     with the rendered value and goes back by name, through the view,
//     when it returns; every assignment, functions' included, has one
//     of the shapes above, so that value always parses;
//   - the first top-level statement whose Go code reads or assigns it
//     (a function definition runs nothing) is an assignment statement
//     giving it a literal value, where the view is bound: before, the
//     State's own
//     variable (the environment's, or unset) is the variable, as in the
//     shell, so that a program run before it sees the environment's;
//   - it is not a loop variable, not named by read, getopts, local or
//     another builtin taking names, not assigned by arithmetic or
//     ${x:=w}, not assigned by an option loop the idiomatic stage
//     writes as an options struct;
//   - every expansion of it in the top level's code is $x, ${x},
//     ${#x} or ${x#...} forms whose value is the rendered string (no
//     ${x:-d}, ${x:+w}, which the lowering writes from the Go
//     variable itself).
//
// Everything analyzeVars keeps in the State (exported, eval's known
// text, traps, libraries, ${!x}, set -a/-u...) is not lowered at all,
// typed or not.

// typeKind is the Go type of a typed local.
type typeKind int

const (
	typeFlag typeKind = iota + 1
	typeInt
	typeWords
)

func (k typeKind) String() string {
	switch k {
	case typeFlag:
		return "bool"
	case typeInt:
		return "int"
	case typeWords:
		return "[]string"
	}
	return "string"
}

// typedVar is what typeLocals decided about one variable.
type typedVar struct {
	kind typeKind
	word string // a flag's value when true
	// digits says an int is only ever given numbers without a sign:
	// its text is decimal digits.
	digits bool
	// first is the assignment where the view is bound.
	first *syntax.Assign
}

var canonicalIntRE = regexp.MustCompile(`^(0|-?[1-9][0-9]{0,17})$`)

// typeLocals decides which of the top level's lowered variables become
// typed locals (see above); it runs at the end of analyzeVars.
func (g *gen) typeLocals() {
	g.typed = map[string]*typedVar{}
	if g.report.Lowering.Typed == nil {
		g.report.Lowering.Typed = map[string]string{}
	}
	// Names something assigns otherwise than by a plain assignment, or
	// the top level's code expands in a form whose lowering reads the
	// Go variable itself (a function's code has a Go string).
	refused := map[string]bool{}
	var optLoops []*syntax.WhileClause
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			return false
		case *syntax.ParamExp:
			if n.Param != nil && (n.Excl || n.Repl != nil || n.Slice != nil || n.Index != nil || n.Width || n.Names != 0 ||
				n.Exp != nil && !isTrim(n.Exp.Op)) {
				refused[n.Param.Value] = true
			}
		}
		return true
	})
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ParamExp:
			if n.Param != nil && n.Exp != nil && (n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.AssignUnsetOrNull) {
				refused[n.Param.Value] = true // ${x:=word}: any word
			}
		case *syntax.ForClause:
			if it, ok := n.Loop.(*syntax.WordIter); ok {
				refused[it.Name.Value] = true
			}
		case *syntax.WhileClause:
			if g.lowersOptionLoop(n) {
				optLoops = append(optLoops, n)
			}
		case *syntax.CallExpr:
			if len(n.Args) > 0 && namesArgs[litValue(n.Args[0])] {
				for _, w := range n.Args[1:] {
					for _, id := range identifiers(wordText(w)) {
						refused[id] = true
					}
				}
			}
		case *syntax.DeclClause:
			for id := range varNamesOf(n, false) {
				refused[id] = true
			}
		case *syntax.ArithmExp:
			if text := arithText(n); arithAssigns(text) {
				for _, id := range identifiers(text) {
					refused[id] = true
				}
			}
		}
		return true
	})
	for _, wc := range optLoops {
		syntax.Walk(wc, func(n syntax.Node) bool {
			if a, ok := n.(*syntax.Assign); ok && a.Name != nil {
				refused[a.Name.Value] = true
			}
			return true
		})
	}
	// A subshell's copy of a variable is a Go string (forkCopies).
	for _, names := range g.copies {
		for _, name := range names {
			refused[name] = true
		}
	}
	for _, name := range g.topLowered {
		if refused[name] {
			continue
		}
		first := firstAssign(g.file, name)
		if first == nil {
			continue
		}
		tv := g.typeOf(name)
		if tv == nil {
			continue
		}
		tv.first = first
		g.typed[name] = tv
		g.report.Lowering.Typed[name] = tv.kind.String()
	}
}

// typedVar is a variable's typed local, or nil: in a function's body
// (its code has a Go string bound by FuncVars, whose value goes back
// to the typed local's view when the function returns) and for
// variables that are not typed.
func (g *gen) typedVar(name string) *typedVar {
	if g.inLocalFunc {
		return nil
	}
	return g.typed[name]
}

// lowersOptionLoop reports a while loop optionLoop writes as an options
// struct, whose assignments are written from the options' strings.
func (g *gen) lowersOptionLoop(wc *syntax.WhileClause) bool {
	if g.opts.Library || !isOptionLoop(wc) || !g.parsesOptions() {
		return false
	}
	ol, _ := g.analyzeOptionLoop(wc)
	return ol != nil
}

// isTrim reports ${x#p}, ${x##p}, ${x%p}, ${x%%p}: their lowering trims
// the variable's value (paramValue), the rendered string of a typed one.
func isTrim(op syntax.ParExpOperator) bool {
	return op == syntax.RemSmallPrefix || op == syntax.RemLargePrefix || op == syntax.RemSmallSuffix ||
		op == syntax.RemLargeSuffix
}

// arithAssigns reports arithmetic text that may assign: any = (which
// takes == != <= >= along, to be simple), ++ or --.
func arithAssigns(text string) bool {
	return strings.ContainsAny(text, "=") || strings.Contains(text, "++") || strings.Contains(text, "--")
}

// firstAssign is the assignment of name in the first top-level
// statement the Go code of which may read or assign its Go variable
// (expands or assigns it), when that statement is a plain assignment
// statement (no command, redirection, negation or background) giving it
// a value that does not read it; else nil. What reaches the variable
// by name before (arithmetic, read, text run as shell text, programs)
// reaches the State's own variable, as in the shell.
func firstAssign(file *syntax.File, name string) *syntax.Assign {
	for _, st := range file.Stmts {
		if !goMentions(st, name) {
			continue
		}
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) > 0 || len(st.Redirs) > 0 || st.Negated || st.Background {
			return nil
		}
		for _, a := range call.Assigns {
			if a.Name != nil && a.Name.Value == name {
				if a.Value != nil && varNamesOf(a.Value, false)[name] {
					return nil
				}
				return a
			}
		}
		return nil
	}
	return nil
}

// typeOf reads the type off every assignment of a variable: a flag,
// an int or a word list, or nil when the values fit none.
func (g *gen) typeOf(name string) *typedVar {
	var empties, appends int
	lits := map[string]bool{}
	fits := true
	syntax.Walk(g.file, func(n syntax.Node) bool {
		a, ok := n.(*syntax.Assign)
		if !ok || a.Name == nil || a.Name.Value != name {
			return true
		}
		if a.Append || a.Array != nil || a.Index != nil {
			fits = false
			return true
		}
		if v, ok := plainLiteral(a.Value); a.Value == nil || ok && v == "" {
			empties++
			return true
		} else if ok && !strings.Contains(printNode(a.Value), "~") {
			// (An assignment expands a tilde, at its start or after
			// a colon: x=~ is not the word "~".)
			lits[v] = true
			return true
		}
		if _, ok := wordsAppend(a); ok {
			appends++
			return true
		}
		fits = false
		return true
	})
	if !fits {
		return nil
	}
	switch {
	case appends > 0 && len(lits) == 0:
		return &typedVar{kind: typeWords}
	case appends > 0:
		return nil
	case empties == 0 && len(lits) > 0:
		for v := range lits {
			if !canonicalIntRE.MatchString(v) {
				return nil
			}
			if n, err := strconv.Atoi(v); err != nil || strconv.Itoa(n) != v {
				return nil
			}
		}
		digits := true
		for v := range lits {
			digits = digits && !strings.HasPrefix(v, "-")
		}
		return &typedVar{kind: typeInt, digits: digits}
	case len(lits) == 1 && empties > 0:
		for v := range lits {
			return &typedVar{kind: typeFlag, word: v}
		}
	}
	return nil
}

// wordsAppend returns the word x="$x<word> " appends to x: the double
// quoted text after $x, without the final space.
func wordsAppend(a *syntax.Assign) (*syntax.Word, bool) {
	if a.Value == nil || len(a.Value.Parts) != 1 {
		return nil, false
	}
	dq, ok := a.Value.Parts[0].(*syntax.DblQuoted)
	if !ok || len(dq.Parts) < 2 {
		return nil, false
	}
	pe, ok := dq.Parts[0].(*syntax.ParamExp)
	if !ok || pe.Param == nil || pe.Param.Value != a.Name.Value || pe.Exp != nil || pe.Length || pe.Excl ||
		pe.Repl != nil || pe.Slice != nil || pe.Index != nil {
		return nil, false
	}
	last, ok := dq.Parts[len(dq.Parts)-1].(*syntax.Lit)
	if !ok || !strings.HasSuffix(last.Value, " ") {
		return nil, false
	}
	text := strings.TrimSuffix(last.Value, " ")
	if strings.HasSuffix(text, "\\") {
		return nil, false
	}
	parts := append([]syntax.WordPart(nil), dq.Parts[1:len(dq.Parts)-1]...)
	if text != "" {
		parts = append(parts, &syntax.Lit{ValuePos: last.ValuePos, ValueEnd: last.ValueEnd, Value: text})
	}
	rest := &syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Left: dq.Left, Right: dq.Right, Parts: parts}}}
	if varNamesOf(rest, false)[a.Name.Value] {
		return nil, false
	}
	return rest, true
}

// declareTyped writes the declarations of the typed locals; they are
// bound where the script first assigns them (typedAssign).
func (g *gen) declareTyped() string {
	var out strings.Builder
	for _, kind := range []typeKind{typeFlag, typeInt, typeWords} {
		var names []string
		for _, name := range g.topLowered {
			if tv := g.typed[name]; tv != nil && tv.kind == kind {
				names = append(names, g.lowered[name])
			}
		}
		if len(names) > 0 {
			fmt.Fprintf(&out, "var %s %s\n", strings.Join(names, ", "), kind)
		}
	}
	return out.String()
}

// typedAssign writes an assignment of a typed local, and binds it to
// the State after its first; false when the variable is not typed.
func (g *gen) typedAssign(c *ctx, a *syntax.Assign) bool {
	tv := g.typedVar(a.Name.Value)
	if tv == nil {
		return false
	}
	v := g.lowered[a.Name.Value]
	g.report.Lowering.VarRefsLowered++
	lit, isLit := plainLiteral(a.Value)
	switch {
	case a == tv.first && (a.Value == nil || isLit && (lit == "" || lit == "0" && tv.kind == typeInt)):
		// The Go variable holds its zero value: it was never
		// assigned before (its first mention).
	case tv.kind == typeFlag:
		c.printf("%s = %t\n", v, isLit && lit != "")
	case tv.kind == typeInt:
		c.printf("%s = %s\n", v, lit)
	case a.Value == nil || isLit:
		c.printf("%s = nil\n", v)
	default:
		word, _ := wordsAppend(a)
		g.report.Lowering.VarRefsLowered++ // the $x it reads
		c.printf("%s = append(%s, %s)\n", v, v, g.stringWord(c, word))
	}
	if a == tv.first {
		switch tv.kind {
		case typeFlag:
			c.printf("s.BindFlag(%q, &%s, %q)\n", a.Name.Value, v, tv.word)
		case typeInt:
			c.printf("s.BindInt(%q, &%s)\n", a.Name.Value, v)
		case typeWords:
			c.printf("s.BindWords(%q, &%s)\n", a.Name.Value, v)
		}
	}
	return true
}

// typedValue is the shell string of a typed local, for paramValue.
func (g *gen) typedValue(name string) (string, bool) {
	tv := g.typedVar(name)
	if tv == nil {
		return "", false
	}
	v := g.lowered[name]
	switch tv.kind {
	case typeFlag:
		return fmt.Sprintf("shellrun.FlagText(%s, %q)", v, tv.word), true
	case typeInt:
		g.imports["strconv"] = true
		return "strconv.Itoa(" + v + ")", true
	}
	return "shellrun.WordsText(" + v + ")", true
}

// typedFields writes an unquoted $x, a word of its own, of a word list
// as its fields (s.SplitWords, multi), and of an int given only numbers
// without a sign, when no IFS the script can set has a digit
// (ifsFree), as its one field (its digits: no glob character); ok is
// false for any other word.
func (g *gen) typedFields(w *syntax.Word) (expr string, multi, ok bool) {
	if len(w.Parts) != 1 {
		return "", false, false
	}
	pe, isParam := w.Parts[0].(*syntax.ParamExp)
	if !isParam || pe.Param == nil || pe.Exp != nil || pe.Length {
		return "", false, false
	}
	tv := g.typedVar(pe.Param.Value)
	switch {
	case tv == nil:
		return "", false, false
	case tv.kind == typeWords:
		if g.discarding == 0 {
			g.report.Lowering.VarRefsLowered++
		}
		return "s.SplitWords(" + g.lowered[pe.Param.Value] + ")", true, true
	case tv.kind == typeInt && tv.digits && g.ifsFree():
		return g.paramValue(pe.Param.Value), false, true
	}
	return "", false, false
}

// typedTest writes test's string comparisons of a flag or an int with a
// literal as Go comparisons of the typed value: test -n "$f" is f,
// test "$f" = yes is f, test "$n" = 1 (or -eq 1) is n == 1. ok is false
// for anything else (the rendered string is compared then).
func (g *gen) typedTest(args []*syntax.Word, negated bool) (string, bool) {
	operand := func(w *syntax.Word) *typedVar {
		if len(w.Parts) != 1 {
			return nil
		}
		dq, ok := w.Parts[0].(*syntax.DblQuoted)
		if !ok || len(dq.Parts) != 1 {
			return nil
		}
		pe, ok := dq.Parts[0].(*syntax.ParamExp)
		if !ok || pe.Param == nil || pe.Exp != nil || pe.Length {
			return nil
		}
		return g.typedVar(pe.Param.Value)
	}
	nameOf := func(w *syntax.Word) string {
		return g.lowered[w.Parts[0].(*syntax.DblQuoted).Parts[0].(*syntax.ParamExp).Param.Value]
	}
	not := func(expr string, on bool) string {
		if on == negated {
			return "!" + expr
		}
		return expr
	}
	var x *syntax.Word
	var op, lit string
	switch len(args) {
	case 1:
		x, op = args[0], "-n"
	case 2:
		x, op = args[1], litValue(args[0])
	case 3:
		v, ok := plainLiteral(args[2])
		w, okw := plainLiteral(args[0])
		switch {
		case ok && operand(args[0]) != nil:
			x, op, lit = args[0], litValue(args[1]), v
		case okw && operand(args[2]) != nil && (litValue(args[1]) == "=" || litValue(args[1]) == "!="):
			x, op, lit = args[2], litValue(args[1]), w
		default:
			return "", false
		}
	default:
		return "", false
	}
	tv := operand(x)
	if tv == nil || tv.kind == typeWords {
		return "", false
	}
	v := nameOf(x)
	g.report.Lowering.VarRefsLowered++
	if tv.kind == typeFlag {
		switch {
		case len(args) < 3 && op == "-n":
			return not(v, true), true
		case len(args) < 3 && (op == "-z" || op == "!"):
			return not(v, false), true
		case op == "=" && lit == tv.word, op == "!=" && lit == "":
			return not(v, true), true
		case op == "!=" && lit == tv.word, op == "=" && lit == "":
			return not(v, false), true
		}
		g.report.Lowering.VarRefsLowered--
		return "", false
	}
	cmp := map[string]string{"=": "==", "!=": "!="}[op]
	if cmp == "" || len(args) != 3 || !canonicalIntRE.MatchString(lit) {
		// -eq and the like parse their operands: left to test.
		g.report.Lowering.VarRefsLowered--
		return "", false
	}
	if negated {
		cmp = map[string]string{"==": "!=", "!=": "=="}[cmp]
	}
	return fmt.Sprintf("%s %s %s", v, cmp, lit), true
}

// goMentions reports a parameter expansion or an assignment of name in
// a node: what the lowering writes as reads and assignments of its Go
// variable.
func goMentions(node syntax.Node, name string) bool {
	found := false
	syntax.Walk(node, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			return false // defined, not run: its code has a Go string of its own
		case *syntax.ParamExp:
			found = found || n.Param != nil && n.Param.Value == name
		case *syntax.Assign:
			found = found || n.Name != nil && n.Name.Value == name
		case *syntax.ForClause:
			if it, ok := n.Loop.(*syntax.WordIter); ok {
				found = found || it.Name.Value == name
			}
		}
		return !found
	})
	return found
}

// typedCase writes `case "$x" in` of a flag or an int whose patterns
// are all literal words without glob characters (or a last `*`) as a
// Go switch on the typed value: an int's patterns in canonical decimal
// are its cases (switch n { case 1: }), a flag's "" and word are false
// and true. false when it does not apply (the caller writes the switch
// on the rendered string).
func (g *gen) typedCase(c *ctx, cc *syntax.CaseClause) bool {
	if !g.idiom || g.nocase || len(cc.Word.Parts) != 1 {
		return false
	}
	part := cc.Word.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	}
	pe, ok := part.(*syntax.ParamExp)
	if !ok || pe.Param == nil || pe.Exp != nil || pe.Length {
		return false
	}
	tv := g.typedVar(pe.Param.Value)
	if tv == nil || tv.kind == typeWords {
		return false
	}
	seen := map[string]bool{}
	conds := make([][]string, len(cc.Items))
	for i, item := range cc.Items {
		if item.Op != syntax.Break && item.Op != 0 {
			return false
		}
		for _, p := range item.Patterns {
			lit, ok := plainLiteral(p)
			if l, isLit := onlyLit(p); isLit && l == "*" {
				if len(item.Patterns) != 1 || i != len(cc.Items)-1 {
					return false
				}
				continue // default
			}
			if !ok || strings.ContainsAny(lit, "*?[\\") {
				return false
			}
			var cond string
			switch {
			case tv.kind == typeInt && canonicalIntRE.MatchString(lit):
				cond = lit
			case tv.kind == typeFlag && lit == "":
				cond = "false"
			case tv.kind == typeFlag && lit == tv.word:
				cond = "true"
			default:
				return false
			}
			if seen[cond] {
				return false // Go refuses a duplicate case
			}
			seen[cond] = true
			conds[i] = append(conds[i], cond)
		}
	}
	caseDead := c.dead
	dead := caseDead && g.idiom
	if g.discarding == 0 {
		g.report.Lowering.VarRefsLowered++
	}
	c.printf("switch %s {\n", g.lowered[pe.Param.Value])
	hasDefault := false
	for i, item := range cc.Items {
		if conds[i] == nil {
			hasDefault = true
			c.printf("default:\n")
		} else {
			c.printf("case %s:\n", strings.Join(conds[i], ", "))
		}
		c.lastLine = 0
		if len(item.Stmts) == 0 && !dead {
			c.printf("s.SetStatus(0)\n")
			g.noise(caseDead)
		}
		g.nested(c, item.Stmts, caseDead)
	}
	if !hasDefault && !dead {
		c.printf("default:\ns.SetStatus(0)\n")
		g.noise(caseDead)
	}
	c.printf("}\n")
	c.lastLine = 0
	return true
}
