package translate

import (
	"fmt"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// keptRef counts a reference of a variable written as a State access by
// name, in all and for that variable (the report's keptRefs).
func (g *gen) keptRef(name string) {
	l := &g.report.Lowering
	l.VarRefsKept++
	if l.KeptRefs == nil {
		l.KeptRefs = map[string]int{}
	}
	l.KeptRefs[name]++
}

// addReason adds a reason to keep a variable, with the script line it
// was found at (none when pos is not valid), once.
func addReason(reasons []string, why string, pos syntax.Pos) []string {
	if pos.IsValid() {
		why = fmt.Sprintf("%s (line %d)", why, pos.Line())
	}
	if slices.Contains(reasons, why) {
		return reasons
	}
	return append(reasons, why)
}

// keptReasons records in the report every reason a kept variable has:
// the one that keeps every variable (a library, set -u...) alone, else
// all the analysis found.
func (g *gen) keptReasons(name, why string, u *varUse) {
	l := &g.report.Lowering
	if l.Reasons == nil {
		l.Reasons = map[string][]string{}
	}
	if why != u.keep || len(u.reasons) == 0 {
		l.Reasons[name] = []string{why}
		return
	}
	l.Reasons[name] = u.reasons
}

// A subshell, command substitution, pipeline stage or background job
// runs on a copy of the State (State.fork), which holds the values the
// bound Go variables have when it starts, without their bindings. Its
// Go code is a closure: where it may assign a lowered variable (an
// assignment, read, getopts, arithmetic, ${x:=d}, or a function, eval
// or sourced text assigning it by name) or runs in the background while
// the script goes on, it declares Go variables of its own for the
// lowered variables it mentions and binds them to its State (s.Vars),
// so nothing it does reaches the script's variables, and what its
// functions assign by name is what its code reads.

// forkCopies fills g.copies: for each forked node (a *syntax.Subshell,
// a *syntax.CmdSubst, a pipeline stage's or a background job's
// *syntax.Stmt), the lowered variables its closure copies.
func (g *gen) forkCopies() {
	g.copies = map[syntax.Node][]string{}
	if len(g.lowered) == 0 {
		return
	}
	assigns := g.funcAssigns()
	add := func(fork syntax.Node, background bool) {
		mentioned := varNamesOf(fork, false)
		var names map[string]bool
		var any bool
		if call := oneCommand(fork); call != nil && !background {
			// The command runs after its words are expanded:
			// what it assigns, no code of the fork reads. Only
			// ${x:=d} in its words assigns a Go variable.
			names = wordAssigns(call)
		} else {
			names, any = g.forkAssigns(fork, assigns)
		}
		var copies []string
		for _, name := range sortedKeys(mentioned) {
			if _, ok := g.lowered[name]; ok && (background || any || names[name]) {
				copies = append(copies, name)
			}
		}
		if len(copies) > 0 {
			g.copies[fork] = copies
		}
	}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			if n.Background {
				add(n, true)
			}
		case *syntax.Subshell:
			add(n, false)
		case *syntax.CmdSubst:
			add(n, false)
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				for _, st := range pipeStages(n) {
					add(st, false)
				}
			}
		}
		return true
	})
}

// forkClosure is closure for a forked node: the closure starts with its
// copies of the lowered variables (forkCopies).
func (g *gen) forkClosure(c *ctx, fork syntax.Node, list []*syntax.Stmt) string {
	body, _ := g.forkBody(c, fork, list)
	return g.funcLit(body)
}

// forkBody is forkClosure's body, and whether it starts with copies.
func (g *gen) forkBody(c *ctx, fork syntax.Node, list []*syntax.Stmt) (string, bool) {
	inner := c.sub()
	copies := g.copies[fork]
	if len(copies) > 0 {
		var names, binds []string
		for _, name := range copies {
			names = append(names, g.lowered[name])
			binds = append(binds, fmt.Sprintf("%q: &%s", name, g.lowered[name]))
		}
		inner.printf("var %s string\n", strings.Join(names, ", "))
		inner.printf("s.Vars(map[string]*string{%s})\n", strings.Join(binds, ", "))
	}
	g.stmts(inner, list)
	return inner.w.String(), len(copies) > 0
}

// textRunners are the builtins that run text or a command of their
// arguments in the shell itself, where it may assign any variable.
var textRunners = setOf("eval", ".", "source", "command", "builtin", "exec", "trap", "alias")

// assignedBy is what a piece of code may assign by name: the names, or
// any variable at all.
type assignedBy struct {
	names map[string]bool
	any   bool
}

// forkAssigns lists the variables a forked node's own code may assign
// (nested forks, which have copies of their own, and the bodies of
// functions it defines left out), calls included: a function of the
// script assigns what funcAssigns says; a library's function, a command
// named at run time, a text runner, or any command when eval'd text or
// an untranslated file may define functions (dynamicFuncs), may assign
// anything.
func (g *gen) forkAssigns(fork syntax.Node, funcs map[string]*assignedBy) (map[string]bool, bool) {
	a := &assignedBy{names: map[string]bool{}}
	a.walk(g, fork, fork, funcs)
	return a.names, a.any
}

// walk adds what node's code may assign (see forkAssigns); top is the
// node walked, whose nested forks are left out.
func (a *assignedBy) walk(g *gen, top, node syntax.Node, funcs map[string]*assignedBy) {
	syntax.Walk(node, func(n syntax.Node) bool {
		if a.any {
			return false
		}
		switch n := n.(type) {
		case *syntax.FuncDecl:
			return false
		case *syntax.Subshell, *syntax.CmdSubst, *syntax.ProcSubst:
			return n == top
		case *syntax.Stmt:
			if n.Background && n != top {
				return false
			}
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				return false // each stage is a fork
			}
		case *syntax.Assign:
			if n.Name != nil {
				a.names[n.Name.Value] = true
			}
		case *syntax.ForClause:
			if it, ok := n.Loop.(*syntax.WordIter); ok {
				a.names[it.Name.Value] = true
			}
		case *syntax.ParamExp:
			if n.Param != nil && n.Exp != nil && (n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.AssignUnsetOrNull) {
				a.names[n.Param.Value] = true
			}
		case *syntax.ArithmExp:
			for _, id := range identifiers(arithText(n)) {
				a.names[id] = true
			}
		case *syntax.DeclClause:
			for id := range varNamesOf(n, false) {
				a.names[id] = true
			}
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				return true
			}
			name, ok := plainLiteral(n.Args[0])
			switch {
			case !ok || textRunners[name] || g.libDefines[name] || g.mayDefineFuncs() && funcs[name] == nil:
				a.any = true
			case funcs[name] != nil:
				for id := range funcs[name].names {
					a.names[id] = true
				}
				a.any = a.any || funcs[name].any
			case namesArgs[name] || name == "read" || name == "getopts":
				for _, w := range n.Args[1:] {
					for _, id := range identifiers(wordText(w)) {
						a.names[id] = true
					}
				}
			}
		}
		return true
	})
}

// funcAssigns lists, for each function of the script, the variables a
// call of it may assign: its body's (every definition of that name),
// and those of the functions it calls, to a fixed point.
func (g *gen) funcAssigns() map[string]*assignedBy {
	bodies := map[string][]*syntax.Stmt{}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok && fd.Name != nil && fd.Body != nil {
			bodies[fd.Name.Value] = append(bodies[fd.Name.Value], fd.Body)
		}
		return true
	})
	funcs := map[string]*assignedBy{}
	for name := range bodies {
		funcs[name] = &assignedBy{names: map[string]bool{}}
	}
	for changed := true; changed; {
		changed = false
		for _, name := range sortedKeys(bodies) {
			a := funcs[name]
			before, any := len(a.names), a.any
			for _, body := range bodies[name] {
				// A function's own subshells assign nothing of
				// the caller's: walked from the body, they are
				// nested forks.
				a.walk(g, body, body, funcs)
			}
			if len(a.names) != before || a.any != any {
				changed = true
			}
		}
	}
	return funcs
}

// trapTextNames lists the variables the text of a top-level `trap
// 'TEXT' CONDITION...` reaches in ways the State's binding does not
// serve (its stateNames), when the text is literal and only reads
// variables and runs commands. Such text is translated in place (see
// gen.trap) into a handler of the script's top level: its $x is the top
// level's Go variable, the one the State binds, which holds the
// variable's value when the handler runs (at exit, after the functions
// have returned and handed their values back). In a function or a
// subshell, the handler would read that function's or subshell's own
// Go variable after it is gone: there the names stay in the State, as
// they do when the text assigns, forks, or runs other text.
func (g *gen) trapTextNames(call *syntax.CallExpr, fd *syntax.FuncDecl, forked bool) ([]string, bool) {
	if fd != nil || forked || len(call.Args) < 3 {
		return nil, false
	}
	text, ok := plainLiteral(call.Args[1])
	if !ok || text == "-" {
		return nil, false
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	if err != nil {
		return nil, false
	}
	simple := true
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign, *syntax.ForClause, *syntax.Subshell, *syntax.CmdSubst, *syntax.ProcSubst,
			*syntax.ArithmExp, *syntax.ArithmCmd, *syntax.DeclClause, *syntax.FuncDecl, *syntax.LetClause:
			simple = false
		case *syntax.Stmt:
			simple = simple && !n.Background
		case *syntax.BinaryCmd:
			simple = simple && n.Op != syntax.Pipe && n.Op != syntax.PipeAll
		case *syntax.ParamExp:
			simple = simple && n.Exp == nil && !n.Excl && n.Repl == nil && n.Slice == nil && n.Index == nil
		case *syntax.CallExpr:
			if len(n.Args) > 0 {
				name, ok := plainLiteral(n.Args[0])
				simple = simple && ok && !textRunners[name] && !namesArgs[name] && name != "set" && name != "shift"
			}
		}
		return simple
	})
	if !simple {
		return nil, false
	}
	return sortedKeys(stateNames(f)), true
}

// oneCommand is the command a forked node runs when that is all it
// does: one simple command without assignments, else nil.
func oneCommand(fork syntax.Node) *syntax.CallExpr {
	var list []*syntax.Stmt
	switch n := fork.(type) {
	case *syntax.Stmt:
		list = []*syntax.Stmt{n}
	case *syntax.Subshell:
		list = n.Stmts
	case *syntax.CmdSubst:
		list = n.Stmts
	}
	if len(list) != 1 || list[0].Background {
		return nil
	}
	call, ok := list[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return nil
	}
	return call
}

// wordAssigns lists the variables ${x:=d} or ${x=d} assigns in a node.
func wordAssigns(node syntax.Node) map[string]bool {
	names := map[string]bool{}
	syntax.Walk(node, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil && pe.Exp != nil && (pe.Exp.Op == syntax.AssignUnset || pe.Exp.Op == syntax.AssignUnsetOrNull) {
			names[pe.Param.Value] = true
		}
		return true
	})
	return names
}

// knownTextNames lists the variables text eval runs, known before it
// runs, reaches in ways the State's binding does not serve: its
// stateNames when it parses (its plain reads and assignments go through
// the binding, as those of text known only at run time do), else every
// name it spells. runs reports text that itself runs text (eval, trap,
// `.`, command, builtin...), which may be known only at run time.
func knownTextNames(text string) (names []string, runs bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(text), "")
	if err != nil {
		return identifiers(text), true
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok && len(call.Args) > 0 {
			name, ok := plainLiteral(call.Args[0])
			runs = runs || !ok || textRunners[name]
		}
		return !runs
	})
	return sortedKeys(stateNames(f)), runs
}

// runsNoText reports a command that never runs its arguments as shell
// text in the script's shell: a program named by a path, or, when no
// eval'd text or untranslated file may define functions, a name that
// is no function of the script or its libraries, no builtin running
// text (textRunners) and none naming variables. What such a command
// makes of its arguments reaches the shell only as its output, which
// is text known only at run time wherever the script runs it.
func (g *gen) runsNoText(call *syntax.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	name, ok := plainLiteral(call.Args[0])
	switch {
	case !ok || name == "":
		return false
	case strings.Contains(name, "/"):
		return true // never a function or a builtin
	}
	_, isFunc := g.funcNames[name]
	return !g.mayDefineFuncs() && !isFunc && !g.libDefines[name] && !textRunners[name] && !namesArgs[name] &&
		name != "set" && name != "getopts"
}

// programText lists the literal text (Lit and SglQuoted nodes) that
// only ever reaches programs as their arguments, never the shell as
// text to run (literalStateNames is not asked about it): literal words
// of the arguments of a command that runs no text (runsNoText), and the
// literal value of a variable every assignment of which is literal
// text and every expansion of which ($v, "$v") is such an argument,
// which nothing else names (read, export...) and no library mentions
// (git-request-pull:84's Perl program, run by /usr/bin/perl -e).
func (g *gen) programText() map[syntax.Node]bool {
	text := map[syntax.Node]bool{}
	asArg := map[*syntax.ParamExp]bool{}
	markWord := func(w *syntax.Word) {
		for _, p := range w.Parts {
			switch p := p.(type) {
			case *syntax.Lit, *syntax.SglQuoted:
				text[p] = true
			case *syntax.ParamExp:
				asArg[p] = true
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					switch q := q.(type) {
					case *syntax.Lit:
						text[q] = true
					case *syntax.ParamExp:
						asArg[q] = true
					}
				}
			}
		}
	}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok && g.runsNoText(call) {
			for _, w := range call.Args[1:] {
				markWord(w)
			}
		}
		return true
	})
	// The variables all of whose expansions are such arguments.
	onlyArgs := map[string]bool{}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil {
			name := pe.Param.Value
			if _, seen := onlyArgs[name]; !seen {
				onlyArgs[name] = true
			}
			plain := pe.Exp == nil && !pe.Length && !pe.Excl && !pe.Width && pe.Names == 0 && pe.Index == nil && pe.Slice == nil && pe.Repl == nil
			if !plain || !asArg[pe] {
				onlyArgs[name] = false
			}
		}
		return true
	})
	for _, name := range sortedKeys(onlyArgs) {
		if !onlyArgs[name] || stateOnly[name] || strings.HasPrefix(name, "GIT_") || strings.HasPrefix(name, "LC_") || g.libMentions(name) {
			continue
		}
		literal := true
		var values []*syntax.Word
		g.eachAssignment(name, func(w *syntax.Word) {
			if _, ok := plainLiteral(w); w == nil || !ok {
				literal = false
			}
			values = append(values, w)
		}, func() { literal = false })
		if !literal {
			continue
		}
		for _, w := range values {
			syntax.Walk(w, func(n syntax.Node) bool {
				switch n.(type) {
				case *syntax.Lit, *syntax.SglQuoted:
					text[n] = true
				}
				return true
			})
		}
	}
	return text
}

// libMentions reports a variable a library the script may source
// mentions, or may (its names are not known).
func (g *gen) libMentions(name string) bool {
	for _, lib := range g.libs {
		if lib.Mentions == nil || lib.Mentions[name] {
			return true
		}
	}
	return false
}

// discardedExps lists the parameter expansions that are whole arguments
// of `:` or `true` (`: ${x:="$1"}`): what they expand to is thrown away,
// so how the State would split it does not matter; only the assignment
// of ${x:=word} counts, which takes the word's value as one string.
func discardedExps(file *syntax.File) map[*syntax.ParamExp]bool {
	exps := map[*syntax.ParamExp]bool{}
	syntax.Walk(file, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		if name, _ := plainLiteral(call.Args[0]); name != ":" && name != "true" {
			return true
		}
		for _, w := range call.Args[1:] {
			if len(w.Parts) == 1 {
				if pe, ok := w.Parts[0].(*syntax.ParamExp); ok {
					exps[pe] = true
				}
			}
		}
		return true
	})
	return exps
}

// `unset x` of a lowered variable is served by the State's unset mark
// (State.Unset marks the bound Go variable: an empty string with bytes
// of its own, evalguard.go), which tells unset from empty wherever the
// State is asked by name. The mark is lost, exactly, when the Go code
// assigns the variable any other string, and wrongly kept when it gives
// the variable back the marked string itself: x=$x, or x=$y after y=$x,
// or x=$1 in a function called with "$x". markFlows follows which
// strings may be stored unchanged where (a copy of the string, not a new
// one): a variable is lowered although unset names it only where no
// such chain leads from it back to it, and none leaves what the
// analysis sees.

// escapes is the markFlows node for where a string may go unseen.
const escapes = "!"

// markFlows lists, for each variable (and each function's positional
// parameters, "@NAME", the top level's "@"), where its string may be
// stored unchanged: assignments (x=$y, x=${y#p}, x=${y:-$z}, local
// x=$y), ${x:=$y}, for loops, the positional parameters of a function
// called with "$y" or set with `set -- "$y"`. A word with literal text
// gives a new string; an argument of a library's function, eval or a
// command named at run time goes where the analysis does not see
// (escapes).
func (g *gen) markFlows() map[string]map[string]bool {
	flows := map[string]map[string]bool{}
	edge := func(from []string, to string) {
		for _, f := range from {
			if flows[f] == nil {
				flows[f] = map[string]bool{}
			}
			flows[f][to] = true
		}
	}
	var walk func(node syntax.Node, frame string)
	walk = func(node syntax.Node, frame string) {
		syntax.Walk(node, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.FuncDecl:
				if n != node && n.Body != nil && n.Name != nil {
					walk(n.Body, "@"+n.Name.Value)
					return false
				}
			case *syntax.Assign:
				if n.Name != nil {
					edge(bareSources(n.Value, frame), n.Name.Value)
				}
			case *syntax.ForClause:
				if it, ok := n.Loop.(*syntax.WordIter); ok {
					if !it.InPos.IsValid() {
						edge([]string{frame}, it.Name.Value)
					}
					for _, w := range it.Items {
						edge(bareSources(w, frame), it.Name.Value)
					}
				}
			case *syntax.ParamExp:
				if n.Param != nil && n.Exp != nil && (n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.AssignUnsetOrNull) {
					edge(bareSources(n.Exp.Word, frame), n.Param.Value)
				}
			case *syntax.CallExpr:
				if len(n.Args) == 0 {
					return true
				}
				name, ok := plainLiteral(n.Args[0])
				_, isFunc := g.funcNames[name]
				var to string
				switch {
				case name == "exec":
					return true // the shell is gone: nothing it stores is read
				case !ok && len(g.libs) == 0 && !g.mayDefineFuncs():
					// A command named at run time: a program, a
					// builtin, or one of the script's functions.
					for _, w := range n.Args[1:] {
						for fn := range g.funcNames {
							edge(bareSources(w, frame), "@"+fn)
						}
					}
					return true
				case !ok || g.libDefines[name] || textRunners[name] || g.mayDefineFuncs() && !isFunc:
					to = escapes
				case isFunc:
					to = "@" + name
				case name == "set":
					to = frame
				case name == "local" || name == "export" || name == "readonly":
					for _, w := range n.Args[1:] {
						if a, ok := localArgOf(w); ok && a.value != nil {
							edge(bareSources(a.value, frame), a.name)
						}
					}
					return true
				default:
					return true
				}
				for _, w := range n.Args[1:] {
					edge(bareSources(w, frame), to)
				}
			}
			return true
		})
	}
	walk(g.file, "@")
	return flows
}

// bareSources lists the variables (and positional parameters, as the
// frame's "@" node) whose string a word's value may be, unchanged: none
// when the word has literal text (its value is a new string, never an
// empty one), else those of its expansions ($x, ${x#p}; for ${x:-w}
// and the like, w's too). Command substitutions and arithmetic give new
// strings.
func bareSources(w *syntax.Word, frame string) []string {
	if w == nil {
		return nil
	}
	var parts []syntax.WordPart
	for _, p := range w.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			parts = append(parts, dq.Parts...)
			continue
		}
		parts = append(parts, p)
	}
	var out []string
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if p.Value != "" {
				return nil
			}
		case *syntax.SglQuoted:
			if p.Value != "" {
				return nil
			}
		case *syntax.ParamExp:
			if p.Param == nil || p.Length {
				continue
			}
			switch name := p.Param.Value; {
			case name == "@" || name == "*" || name[0] >= '1' && name[0] <= '9':
				out = append(out, frame)
			case name == "#" || name == "?" || name == "$" || name == "!" || name == "-" || name == "0":
			default:
				out = append(out, name)
			}
			if p.Exp != nil {
				out = append(out, bareSources(p.Exp.Word, frame)...)
			}
		}
	}
	return out
}

// unsetKept says why a variable `unset` names stays in the State, or ""
// when the State's unset mark serves it (see markFlows). Text the
// interpreter runs never gets the mark: an unset bound variable is
// unset there, without a string (stateEnviron.Get), so only the Go code, the
// script's and its libraries', can copy it.
func (g *gen) unsetKept(name string, flows map[string]map[string]bool) string {
	reach := map[string]bool{}
	next := []string{name}
	for len(next) > 0 {
		n := next[len(next)-1]
		next = next[:len(next)-1]
		for to := range flows[n] {
			if !reach[to] {
				reach[to] = true
				next = append(next, to)
			}
		}
	}
	switch {
	case reach[escapes]:
		return "named by unset, and its string may go where the analysis does not see (an argument of eval, of a library's function or of a command named at run time)"
	case reach[name]:
		return "named by unset, and its string may come back to it unchanged (x=$y after y=$x), which would keep it unset"
	}
	reach[name] = true
	for n := range reach {
		if g.libMentions(n) {
			return "named by unset, and a library mentions " + n
		}
	}
	return ""
}

// unsetVarNames lists the variables `unset [-v] NAME...` names, when
// every word is literal and none is -f.
func unsetVarNames(call *syntax.CallExpr) ([]string, bool) {
	args := literalArgs(call.Args)
	if len(args) != len(call.Args) || args[0] != "unset" {
		return nil, false
	}
	var names []string
	for _, a := range args[1:] {
		switch {
		case a == "-f" || strings.HasPrefix(a, "-") && a != "-v":
			return nil, false
		case a != "-v":
			names = append(names, a)
		}
	}
	return names, true
}

// mayDefineFuncs reports text that may define functions where the
// script's code goes on after it (gen.dynamicFuncs, less the eval that
// is the last command of a subshell or command substitution: what it
// defines is gone when that ends): then any command name may be a
// function, interpreted, which runs text and gets its arguments.
func (g *gen) mayDefineFuncs() bool {
	if g.defineFuncs != nil {
		return *g.defineFuncs
	}
	may := g.opts.Library
	last := map[*syntax.Stmt]bool{}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Subshell:
			if len(n.Stmts) > 0 {
				last[n.Stmts[len(n.Stmts)-1]] = true
			}
		case *syntax.CmdSubst:
			if len(n.Stmts) > 0 {
				last[n.Stmts[len(n.Stmts)-1]] = true
			}
		case *syntax.Stmt:
			call, ok := n.Cmd.(*syntax.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			switch name, _ := plainLiteral(call.Args[0]); name {
			case "eval":
				may = may || !last[n] && !g.evalDefinesNoFunction(call)
			case ".", "source":
				may = may || len(call.Args) < 2 || g.libraryOf(call.Args[1]) == nil
			}
		}
		return true
	})
	g.defineFuncs = &may
	return may
}

// unguardedSelfAssigns lists the variables assigned their own value
// (x=$x, x="${x#p}": selfAssign) somewhere that may follow eval'd text
// that unset them: there the Go variable may hold the State's unset
// mark, which the assignment would keep. A self-assignment is guarded
// when the command run just before it gives the variable a new string:
// it is the first command of a while loop's body whose condition ends
// in a `read` naming the variable (which succeeded, so assigned it), or
// it comes right after an assignment of the variable whose value has
// literal text or is a command's output (bareSources is empty).
func (g *gen) unguardedSelfAssigns() map[string]bool {
	unguarded := map[string]bool{}
	selfAssigns := func(st *syntax.Stmt) []*syntax.Assign {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) > 0 || st.Background {
			return nil
		}
		var out []*syntax.Assign
		for _, a := range call.Assigns {
			if a.Name != nil && selfAssign(a) {
				out = append(out, a)
			}
		}
		return out
	}
	freshly := func(st *syntax.Stmt, name string) bool {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) > 0 || st.Background || st.Negated || len(st.Redirs) > 0 {
			return false
		}
		for _, a := range call.Assigns {
			if a.Name != nil && a.Name.Value == name && !a.Append && a.Array == nil && a.Index == nil && len(bareSources(a.Value, "")) == 0 {
				return true
			}
		}
		return false
	}
	readsInto := func(cond []*syntax.Stmt, name string) bool {
		if len(cond) == 0 {
			return false
		}
		call, ok := cond[len(cond)-1].Cmd.(*syntax.CallExpr)
		if !ok || len(call.Assigns) > 0 || cond[len(cond)-1].Negated {
			return false
		}
		args := literalArgs(call.Args)
		return len(args) == len(call.Args) && len(args) > 1 && args[0] == "read" && slices.Contains(args[1:], name)
	}
	guarded := map[*syntax.Assign]bool{}
	list := func(stmts []*syntax.Stmt, loopCond []*syntax.Stmt) {
		for i, st := range stmts {
			for _, a := range selfAssigns(st) {
				name := a.Name.Value
				if i == 0 && readsInto(loopCond, name) || i > 0 && freshly(stmts[i-1], name) {
					guarded[a] = true
				}
			}
		}
	}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.File:
			list(n.Stmts, nil)
		case *syntax.Block:
			list(n.Stmts, nil)
		case *syntax.Subshell:
			list(n.Stmts, nil)
		case *syntax.CmdSubst:
			list(n.Stmts, nil)
		case *syntax.IfClause:
			list(n.Cond, nil)
			list(n.Then, nil)
		case *syntax.WhileClause:
			list(n.Cond, nil)
			if n.Until {
				list(n.Do, nil)
			} else {
				list(n.Do, n.Cond)
			}
		case *syntax.ForClause:
			list(n.Do, nil)
		case *syntax.CaseItem:
			list(n.Stmts, nil)
		case *syntax.FuncDecl:
			if n.Body != nil {
				if _, ok := n.Body.Cmd.(*syntax.Block); !ok {
					list([]*syntax.Stmt{n.Body}, nil)
				}
			}
		}
		return true
	})
	// Any other self-assignment (after &&, in local x=$x...) is not.
	syntax.Walk(g.file, func(n syntax.Node) bool {
		if a, ok := n.(*syntax.Assign); ok && a.Name != nil && selfAssign(a) && !guarded[a] {
			unguarded[a.Name.Value] = true
		}
		return true
	})
	return unguarded
}
