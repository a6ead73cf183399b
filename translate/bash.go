package translate

import (
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/shellrun"
	"mvdan.cc/sh/v3/syntax"
)

// Bash scripts. A script whose shebang (or --lang) says bash translates
// on bash's semantics: the State runs bash's echo, printf (%q, -v),
// BASH_VERSION/BASH_VERSINFO, pipefail and shopt, and keeps arrays. A
// statement using a construct the Go stage does not reproduce natively
// (arrays, [[ ]], (( )), process substitution, bash's parameter
// expansions, declare, mapfile, read -a, brace expansion, ...) runs
// through the embedded interpreter on the same State, marked
// kiln:review; its git calls are counted, served by gitapi if it can.

// bashBuiltins are bash builtins the Go stage leaves to the interpreter.
var bashBuiltins = setOf("declare", "typeset", "let", "mapfile", "readarray", "pushd", "popd", "dirs",
	"builtin", "caller", "compgen", "complete", "compopt", "hash", "ulimit", "enable",
	"disown", "suspend", "help", "history", "bind", "fc", "jobs", "kill", "times")

// bashStmt reports whether a statement uses bash constructs the Go stage
// does not translate: for a simple command anywhere in it, for a
// compound one in what the compound itself expands (its redirections,
// for words, case word and patterns); the statements inside a compound
// are translated on their own.
func (g *gen) bashStmt(st *syntax.Stmt) (string, bool) {
	for _, r := range st.Redirs {
		if why, ok := g.bashNode(r); ok {
			return why, true
		}
	}
	switch cmd := st.Cmd.(type) {
	case nil:
		return "", false
	case *syntax.IfClause, *syntax.WhileClause, *syntax.Block, *syntax.Subshell, *syntax.FuncDecl:
		return "", false
	case *syntax.BinaryCmd:
		if cmd.Op == syntax.PipeAll {
			return "|& pipeline", true
		}
		return "", false
	case *syntax.ForClause:
		iter, ok := cmd.Loop.(*syntax.WordIter)
		if !ok {
			return "C-style for loop", true
		}
		for _, w := range iter.Items {
			if why, ok := g.bashWordHeader(w); ok {
				return why, true
			}
		}
		return "", false
	case *syntax.CaseClause:
		if why, ok := g.bashWordHeader(cmd.Word); ok {
			return why, true
		}
		for _, item := range cmd.Items {
			if item.Op == syntax.Resume || item.Op == syntax.ResumeKorn {
				return "case ;;& or ;| terminator", true
			}
			for _, p := range item.Patterns {
				if why, ok := g.bashNode(p); ok {
					return why, true
				}
				if g.shopt && hasGlob(p) {
					return "pattern under shopt options", true
				}
			}
		}
		return "", false
	case *syntax.DeclClause:
		switch cmd.Variant.Value {
		case "local", "export", "readonly":
			for _, a := range cmd.Args {
				if a.Naked && a.Value != nil {
					return cmd.Variant.Value + " with options", true
				}
				if a.Array != nil || a.Index != nil || a.Append {
					return "array assignment", true
				}
				if a.Value != nil {
					if why, ok := g.bashNode(a.Value); ok {
						return why, true
					}
				}
			}
			return "", false
		}
		return cmd.Variant.Value, true
	}
	if call, ok := st.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 {
		name, _ := plainLiteral(call.Args[0])
		if bashBuiltins[name] {
			return name + " (bash builtin)", true
		}
		if name == "unset" {
			for _, a := range call.Args[1:] {
				if lit, ok := plainLiteral(a); !ok || strings.Contains(lit, "[") {
					return "unset of an array element", true
				}
			}
		}
		if name == "[" || name == "test" {
			for _, a := range call.Args[1:] {
				if op, ok := plainLiteral(a); ok && (op == "==" || op == "-v" || op == "-R" || op == "<" || op == ">") {
					return name + " " + op + " (bash's test)", true
				}
			}
		}
		if name == "read" {
			for _, a := range call.Args[1:] {
				opt, ok := plainLiteral(a)
				if ok && strings.HasPrefix(opt, "-") && opt != "-r" {
					return "read " + opt, true
				}
				if !ok || strings.Contains(opt, "[") {
					return "read into an array element", true
				}
			}
		}
		if g.shopt {
			for _, a := range call.Args {
				if hasGlob(a) {
					return "glob under shopt options", true
				}
			}
		}
	}
	return g.bashNode(st.Cmd)
}

// bashWordHeader reports a word of a compound command's header that the
// Go stage cannot expand: bash's own expansions are expanded by the
// interpreter's expander on the State (s.ExpandFields), unless they run
// commands.
func (g *gen) bashWordHeader(w *syntax.Word) (string, bool) {
	why, ok := g.bashNode(w)
	if !ok {
		if g.shopt && hasGlob(w) {
			return "glob under shopt options", true
		}
		return "", false
	}
	if hasCmdSubst(w) || hasProcSubst(w) || hasBraces(w) || why == "extended glob" || shellrun.NeedsRewrite(w) {
		return why, true
	}
	return "", false
}

// bashNode finds a bash-only construct in a node.
func (g *gen) bashNode(node syntax.Node) (string, bool) {
	why := ""
	syntax.Walk(node, func(n syntax.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *syntax.TestClause:
			why = "[[ ]] test"
		case *syntax.ArithmCmd:
			why = "(( )) arithmetic command"
		case *syntax.LetClause:
			why = "let"
		case *syntax.ProcSubst:
			why = "process substitution " + n.Op.String() + "...)"
		case *syntax.ExtGlob:
			why = "extended glob"
		case *syntax.CoprocClause:
			why = "coproc"
		case *syntax.DeclClause:
			if v := n.Variant.Value; v != "local" && v != "export" && v != "readonly" {
				why = v
			}
		case *syntax.Assign:
			if n.Array != nil || n.Index != nil || n.Append {
				why = "array or += assignment"
			}
		case *syntax.ParamExp:
			if bashParam(n) {
				why = "bash parameter expansion"
			}
		case *syntax.Redirect:
			switch n.Op {
			case syntax.RdrOut, syntax.RdrClob, syntax.AppOut, syntax.RdrIn, syntax.RdrInOut,
				syntax.DplOut, syntax.DplIn, syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
				if n.N != nil && !isNumber(n.N.Value) {
					why = "{var} redirection"
				}
			default:
				why = "redirection " + n.Op.String()
			}
		case *syntax.Lit:
			if braceLit(n.Value) {
				why = "brace expansion"
			}
		case *syntax.CallExpr:
			if len(n.Args) > 0 {
				if name, _ := plainLiteral(n.Args[0]); bashBuiltins[name] {
					why = name + " (bash builtin)"
				}
			}
		case *syntax.DblQuoted:
			// Braces inside quotes do not expand.
			for _, p := range n.Parts {
				if _, lit := p.(*syntax.Lit); !lit {
					if w, ok := g.bashNode(p); ok {
						why = w
					}
				}
			}
			return false
		}
		return why == ""
	})
	return why, why != ""
}

// bashParam reports a parameter expansion dash does not have.
func bashParam(pe *syntax.ParamExp) bool {
	if pe.Excl || pe.Repl != nil || pe.Slice != nil || pe.Index != nil || pe.Width || pe.Names != 0 {
		return true
	}
	if pe.Exp != nil {
		switch pe.Exp.Op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull,
			syntax.AlternateUnset, syntax.AlternateUnsetOrNull, syntax.ErrorUnset, syntax.ErrorUnsetOrNull,
			syntax.RemSmallPrefix, syntax.RemLargePrefix, syntax.RemSmallSuffix, syntax.RemLargeSuffix:
			return false
		}
		return true
	}
	return false
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// braceLit reports unquoted text bash brace-expands: {a,b} or {1..3}.
func braceLit(s string) bool {
	open := strings.IndexByte(s, '{')
	if open < 0 {
		return false
	}
	closing := strings.IndexByte(s[open:], '}')
	if closing < 0 {
		return false
	}
	inner := s[open+1 : open+closing]
	return strings.Contains(inner, ",") || strings.Contains(inner, "..")
}

func hasBraces(w *syntax.Word) bool {
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok && braceLit(l.Value) {
			return true
		}
	}
	return false
}

func hasProcSubst(node syntax.Node) bool {
	found := false
	syntax.Walk(node, func(n syntax.Node) bool {
		if _, ok := n.(*syntax.ProcSubst); ok {
			found = true
		}
		return !found
	})
	return found
}

// hasGlob reports unquoted glob characters in a word: * or ?, or a
// bracket expression.
func hasGlob(w *syntax.Word) bool {
	for _, p := range w.Parts {
		l, ok := p.(*syntax.Lit)
		if !ok {
			continue
		}
		v := stripEscaped(l.Value)
		if strings.ContainsAny(v, "*?") {
			return true
		}
		if i := strings.IndexByte(v, '['); i >= 0 && strings.IndexByte(v[i+1:], ']') >= 0 {
			return true
		}
	}
	return false
}

// bashDecl writes local or declare with options or arrays in a
// function: the names are made local in Go (so that return restores
// them), then the interpreter declares them on the State.
func (g *gen) bashDecl(c *ctx, st *syntax.Stmt, dc *syntax.DeclClause, why string) {
	var names []string
	global := false
	for _, a := range dc.Args {
		if a.Naked && a.Value != nil {
			if opt, _ := plainLiteral(a.Value); strings.HasPrefix(opt, "-") && strings.Contains(opt, "g") {
				global = true
			}
			continue
		}
		if a.Name != nil {
			names = append(names, strconv.Quote(a.Name.Value))
		}
	}
	if global || dc.Variant.Value == "export" || dc.Variant.Value == "readonly" ||
		(dc.Variant.Value != "local" && dc.Variant.Value != "declare" && dc.Variant.Value != "typeset") {
		g.interpretedStmt(c, st, why)
		return
	}
	if len(names) > 0 {
		c.printf("s.Local(%s)\n", strings.Join(names, ", "))
	}
	decl := *dc
	decl.Variant = &syntax.Lit{Value: "declare"}
	decl.Args = append([]*syntax.Assign{{Naked: true, Value: &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: "-g"}}}}}, dc.Args...)
	copied := *st
	copied.Cmd = &decl
	g.interpretedStmt(c, &copied, why+" in a function: made local in Go, declared by the interpreter")
}

// interpretedStmt runs a whole statement (its redirections included)
// through the interpreter, marked, its git calls counted.
func (g *gen) interpretedStmt(c *ctx, st *syntax.Stmt, why string) {
	g.interpreted(c, st, why)
}

// countInterpretedGit counts the git calls in text the interpreter runs:
// they are git calls of the script (scan counts them too), served by
// gitapi when it can, never claimed in-process.
func (g *gen) countInterpretedGit(node syntax.Node) {
	syntax.Walk(node, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok && len(call.Args) > 0 {
			if name, _ := plainLiteral(call.Args[0]); name == "git" {
				g.report.GitCalls++
				g.report.GitMarked++
				g.report.GitInterpreted++
			}
		}
		return true
	})
}
