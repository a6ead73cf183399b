package translate

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// The idiomatic stage (Options.Idiomatic) is written by the same
// generator as the raw one, from the same parse; where analysis proves
// that a simpler form means the same, it writes that form instead:
//
//   - status placeholders are left out where nothing reads the status
//     before the next command sets it (statusOverwritten), and nothing is
//     written after exit or return (they always leave the function);
//   - variables nothing reaches by name in a way the State's binding does
//     not serve become Go string variables (analyzeVars says which, and
//     why each other one stays in the State);
//   - `test`/`[` string comparisons in an if's condition become Go
//     comparisons when nothing reads the condition's status (boolCond);
//   - the script's comments come along, above the statements they
//     precede.

// varNames lists every variable name a file's code may read or set:
// parameter expansions, assignments, loop variables, the names given to
// read, export, local, unset, getopts and eval, names in arithmetic, and
// $NAME spelled in literal text (which eval, eval_gettext or a sourced
// file may expand).
func varNames(file *syntax.File) map[string]bool { return varNamesOf(file, false) }

// varNamesOf is varNames of a node; skipFuncs leaves out the bodies of
// the functions it defines.
func varNamesOf(node syntax.Node, skipFuncs bool) map[string]bool {
	names := map[string]bool{}
	syntax.Walk(node, func(node syntax.Node) bool {
		switch n := node.(type) {
		case *syntax.FuncDecl:
			return !skipFuncs
		case *syntax.ParamExp:
			if n.Param != nil {
				names[n.Param.Value] = true
			}
		case *syntax.Assign:
			if n.Name != nil {
				names[n.Name.Value] = true
			}
		case *syntax.ForClause:
			if it, ok := n.Loop.(*syntax.WordIter); ok {
				names[it.Name.Value] = true
			}
		case *syntax.DeclClause:
			for _, a := range n.Args {
				if a.Name != nil {
					names[a.Name.Value] = true
				}
				if a.Naked && a.Value != nil {
					for _, id := range identifiers(litValue(a.Value)) {
						names[id] = true
					}
				}
			}
		case *syntax.CallExpr:
			if len(n.Args) > 0 && namesArgs[litValue(n.Args[0])] {
				for _, w := range n.Args[1:] {
					for _, id := range identifiers(wordText(w)) {
						names[id] = true
					}
				}
			}
		case *syntax.ArithmExp:
			for _, id := range identifiers(arithText(n)) {
				names[id] = true
			}
		case *syntax.Lit:
			for _, id := range dollarNames(n.Value) {
				names[id] = true
			}
		case *syntax.SglQuoted:
			for _, id := range dollarNames(n.Value) {
				names[id] = true
			}
		}
		return true
	})
	return names
}

// literalStateNames are the names literal text (eval_gettext's message,
// a quoted here-document, a single-quoted word) reaches in ways only the
// State serves, should it be run as shell text: its stateNames when it
// parses, else every $NAME it spells. Its plain $NAME are served to
// whatever expands it by the State's binding of the Go variables.
func literalStateNames(text string) []string {
	names := dollarNames(text)
	if len(names) == 0 {
		return nil
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(text), "")
	if err != nil {
		return names
	}
	return sortedKeys(stateNames(f))
}

// stateNames lists the variables a library reaches in ways a Go
// variable bound to the State (State.Vars) does not serve: the names it
// gives to local, unset, readonly, export, getopts and trap, those the
// known shape of eval's text reaches so (evalTextNames), and the names
// it expands in forms that tell an unset variable from an
// empty one (${x-d}, ${x+a}, ${x=d}, ${x?}) or by indirection. Its plain
// reads and assignments reach a script's bound variables through the
// State (Lookup, Set), and $NAME in its literal text (eval_gettext's)
// is expanded from the environment of a subshell, which gets the bound
// values. A script's variable of one of these names stays in the State.
func stateNames(file *syntax.File) map[string]bool {
	names := map[string]bool{}
	syntax.Walk(file, func(node syntax.Node) bool {
		switch n := node.(type) {
		case *syntax.ParamExp:
			if n.Param == nil {
				return true
			}
			if n.Excl || n.Exp != nil && (n.Exp.Op == syntax.DefaultUnset || n.Exp.Op == syntax.AlternateUnset ||
				n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.ErrorUnset) {
				names[n.Param.Value] = true
			}
		case *syntax.DeclClause:
			for id := range varNamesOf(n, false) {
				names[id] = true
			}
		case *syntax.CallExpr:
			if len(n.Args) > 0 && litValue(n.Args[0]) == "eval" {
				for _, id := range evalTextNames(n.Args[1:]) {
					names[id] = true // see evalTextNames
				}
				return true
			}
			if len(n.Args) > 0 && namesArgs[litValue(n.Args[0])] && litValue(n.Args[0]) != "read" {
				for _, w := range n.Args[1:] {
					for _, id := range identifiers(wordText(w)) {
						names[id] = true
					}
				}
			}
		}
		return true
	})
	return names
}

// namesArgs are the builtins whose arguments name variables (or, for
// eval, are shell text that may).
var namesArgs = setOf("read", "export", "readonly", "local", "unset", "getopts", "eval", "trap")

// wordText is a word's text as the script spells it.
func wordText(w *syntax.Word) string { return printNode(w) }

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// identifiers lists the identifier-like tokens of a text.
func identifiers(text string) []string { return identRE.FindAllString(text, -1) }

var dollarRE = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// dollarNames lists the names spelled $NAME or ${NAME in a text.
func dollarNames(text string) []string {
	var out []string
	for _, m := range dollarRE.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// stateOnly are variables the runtime itself reads or sets by name
// (field splitting, PATH lookup, cd, getopts, the locale): they always
// stay in the State.
var stateOnly = setOf("IFS", "PATH", "HOME", "CDPATH", "PWD", "OLDPWD", "OPTIND", "OPTARG", "PS1", "PS2", "PS4",
	"ENV", "LINENO", "PPID", "TEXTDOMAIN", "TEXTDOMAINDIR", "LANG", "LANGUAGE")

// varUse is what the analysis learns about one variable.
type varUse struct {
	assigned, read bool
	// keep is why it stays in the State ("" when it may be lowered).
	keep string
	// reasons are all the reasons found, with their lines (keptReasons).
	reasons []string
}

// analyzeVars decides which of the script's variables become Go
// variables, bound to the State (State.Vars, FuncVars, LocalVars) so
// that whatever reaches them by name at run time finds them. A variable
// is lowered when the script assigns and reads it and nothing reaches it
// in a way the binding does not serve: it is not exported (export, a
// VAR=value prefix, set -a), not named by unset/readonly/local (but a
// function's own local, lowered to a Go local of that function), not
// assigned in a subshell (whose code reads the parent's Go variable) or
// used by a background job, not reached so by a library (stateNames) or
// by literal text (literalStateNames), not in eval text (known text
// keeps the names it spells; text known only at run time keeps what the
// known shape of its words reaches so, evalTextNames, and the State
// guards the rest as it runs, shellrun/evalguard.go), not a variable the runtime reads (IFS, PATH...), not a
// GIT_ or LC_ variable, and only expanded in the forms the lowering
// writes as Go ($x, ${x}, ${#x}, ${x#p}, ${x%p}, and ${x:-d} in double
// quotes or an assignment). Libraries and bash scripts keep every
// variable in the State.
func (g *gen) analyzeVars() {
	g.lowered = map[string]string{}
	g.funcLowered = map[*syntax.FuncDecl]map[string]string{}
	g.funcGlobals = map[*syntax.FuncDecl]map[string]string{}
	uses := map[string]*varUse{}
	use := func(name string) *varUse {
		u, ok := uses[name]
		if !ok {
			u = &varUse{}
			uses[name] = u
		}
		return u
	}
	var at syntax.Pos // where the walk is, for the reasons' lines
	keep := func(name, why string) {
		u := use(name)
		if u.keep == "" {
			u.keep = why
		}
		u.reasons = addReason(u.reasons, why, at)
	}
	everything := ""
	switch {
	case g.opts.Library:
		everything = "a library's variables are the scripts' that source it"
	case g.opts.Bash:
		everything = "bash scripts keep their variables in the State"
	}
	// ${x:-d} is lowered where its value is one string: inside double
	// quotes or an assignment's value (elsewhere the State splits the
	// default word by its quoting, by name).
	oneString := map[*syntax.ParamExp]bool{}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		var parts []syntax.WordPart
		switch n := n.(type) {
		case *syntax.DblQuoted:
			parts = n.Parts
		case *syntax.Assign:
			if n.Value != nil {
				parts = n.Value.Parts
			}
		}
		for _, p := range parts {
			if pe, ok := p.(*syntax.ParamExp); ok {
				oneString[pe] = true
			}
		}
		return true
	})
	// A function's variable may be a Go local of the function when its
	// first mention is a `local` among the body's top-level statements
	// (so every use sees that local) and nothing else (no other
	// function, the top level or a library) mentions its name, so no
	// callee reaches it through dynamic scoping.
	localFirst := map[syntax.Node]map[string]bool{}
	mentionedBy := map[string]map[*syntax.FuncDecl]bool{}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		fd, ok := n.(*syntax.FuncDecl)
		if !ok || fd.Body == nil {
			return true
		}
		for name := range varNamesOf(fd.Body, true) {
			if mentionedBy[name] == nil {
				mentionedBy[name] = map[*syntax.FuncDecl]bool{}
			}
			mentionedBy[name][fd] = true
		}
		block, ok := fd.Body.Cmd.(*syntax.Block)
		if !ok {
			return true
		}
		mentioned := map[string]bool{}
		for _, st := range block.Stmts {
			if args, ok := localDecl(st); ok {
				for _, a := range args {
					if mentioned[a.name] || a.value != nil && varNamesOf(a.value, false)[a.name] {
						continue
					}
					if localFirst[st.Cmd] == nil {
						localFirst[st.Cmd] = map[string]bool{}
					}
					localFirst[st.Cmd][a.name] = true
				}
			}
			for name := range varNamesOf(st, false) {
				mentioned[name] = true
			}
		}
		return true
	})
	topNames := varNamesOf(g.file, true)
	programText := g.programText()
	discarded := discardedExps(g.file)
	// A script evaluating text known only at run time: the State marks
	// a bound variable unset text unsets; an assignment of its own
	// value (x=$x, x=${x%p}) keeps the mark (shellrun/evalguard.go).
	runtimeEval := false
	selfAssigned := map[string]bool{}
	declaredBy := map[string]map[*syntax.FuncDecl]bool{} // the functions a name is a lowered local of
	unsets := map[string][]syntax.Pos{}                  // the lines of the unsets of each name
	var walk func(node syntax.Node, forked bool, fd *syntax.FuncDecl)
	walk = func(node syntax.Node, forked bool, fd *syntax.FuncDecl) {
		syntax.Walk(node, func(n syntax.Node) bool {
			if n != nil {
				at = n.Pos()
			}
			switch n := n.(type) {
			case *syntax.FuncDecl:
				if n != node {
					if n.Body != nil {
						walk(n.Body, forked, n)
					}
					return false
				}
			case *syntax.Stmt:
				if n.Background && n != node {
					// The job's code works on copies of the Go
					// variables it mentions (forkCopies).
					walk(n, true, fd)
					return false
				}
			case *syntax.Subshell, *syntax.CmdSubst, *syntax.ProcSubst:
				if n != node {
					walk(n, true, fd)
					return false
				}
			case *syntax.BinaryCmd:
				if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
					walk(n.X, true, fd)
					walk(n.Y, true, fd)
					return false
				}
			case *syntax.Assign:
				if n.Name == nil {
					return true
				}
				use(n.Name.Value).assigned = true
				// In a subshell, the Go variable assigned is the
				// subshell's copy (forkCopies).
				if n.Append || n.Array != nil || n.Index != nil {
					keep(n.Name.Value, "array or += assignment")
				}
				if selfAssign(n) {
					selfAssigned[n.Name.Value] = true
				}
			case *syntax.ForClause:
				if it, ok := n.Loop.(*syntax.WordIter); ok {
					use(it.Name.Value).assigned = true
				}
			case *syntax.ParamExp:
				if n.Param == nil {
					return true
				}
				name := n.Param.Value
				use(name).read = true
				switch {
				case n.Excl || n.Repl != nil || n.Slice != nil || n.Index != nil || n.Width || n.Names != 0:
					keep(name, "bash parameter expansion")
					if n.Excl {
						everything = "${!x} reads any variable"
					}
				case n.Exp != nil:
					switch n.Exp.Op {
					case syntax.RemSmallPrefix, syntax.RemLargePrefix, syntax.RemSmallSuffix, syntax.RemLargeSuffix:
					case syntax.DefaultUnsetOrNull, syntax.AlternateUnsetOrNull, syntax.AssignUnsetOrNull:
						// Elsewhere than in one string, a word with
						// quoting is split by the State, by name.
						if !oneString[n] && !discarded[n] && n.Exp.Word != nil && wordQuotes(n.Exp.Word) && !simpleParts(n) {
							keep(name, "expanded as ${x"+n.Exp.Op.String()+"...} with quoting where the State splits it, by name")
						}
					default:
						keep(name, "expanded as ${x"+n.Exp.Op.String()+"...}, which the State serves by name")
					}
				}
			case *syntax.CallExpr:
				if len(n.Args) == 0 {
					return true
				}
				if len(n.Assigns) > 0 {
					for _, a := range n.Assigns {
						if a.Name != nil {
							keep(a.Name.Value, "exported to a command (VAR=value cmd)")
						}
					}
				}
				name := litValue(n.Args[0])
				switch name {
				case "eval":
					if g.evalSetsParams(n) {
						return true // git rev-parse's text: set -- WORDS, or exit
					}
					if g.evalSetsNounset(n) {
						everything = "set -a or set -u in eval's text"
					}
					if texts, ok := g.literalVarEval(n); ok {
						// eval "$v", v only ever given literal text:
						// the text is known, as a literal eval's is.
						for _, text := range texts {
							names, runs := knownTextNames(text)
							for _, id := range names {
								keep(id, "named in eval's text")
							}
							runtimeEval = runtimeEval || runs
						}
						return true
					}
					// Text known only at run time reaches the
					// script's variables by name through the State,
					// which serves reads and assignments of the bound
					// Go variables, and guards what it cannot serve
					// (unset, readonly, unset told from empty:
					// shellrun/evalguard.go). What the words spell
					// themselves is known: the names it reaches in
					// ways only the State serves stay there.
					for _, id := range evalTextNames(n.Args[1:]) {
						keep(id, "named in eval's text")
					}
					runtimeEval = true
				case ".", "source":
					if len(n.Args) > 1 && g.libraryOf(n.Args[1]) == nil {
						everything = "a file sourced without a translation"
					} else if len(n.Args) > 1 && g.libraryOf(n.Args[1]).SetsNounset {
						everything = "a sourced library turns on set -u or set -a"
					}
				case "set":
					// Options come before the first word that is not
					// one; `set -- WORDS` sets only the parameters.
					for _, w := range n.Args[1:] {
						v, ok := plainLiteral(w)
						if !ok {
							// Options known only at run time go to
							// State.SetOption: -a or -u there says on
							// standard error that the Go variables do
							// not follow it (git-subtree:1027's set
							// $words sets parameters, never options).
							break
						}
						if v == "--" || v == "-" || !strings.HasPrefix(v, "-") && !strings.HasPrefix(v, "+") && v != "allexport" && v != "nounset" {
							break
						}
						if strings.HasPrefix(v, "-") && strings.ContainsAny(v, "au") || v == "allexport" || v == "nounset" {
							everything = "set -a or set -u"
						}
					}
				case "trap":
					if names, ok := g.trapTextNames(n, fd, forked); ok {
						for _, id := range names {
							keep(id, "named in a trap's text in a way only the State serves")
						}
						break
					}
					for _, w := range n.Args[1:] {
						for _, id := range identifiers(wordText(w)) {
							keep(id, "named in a trap's text")
						}
					}
				}
				if name == "local" && fd != nil {
					for _, w := range n.Args[1:] {
						if a, ok := localArgOf(w); ok && localFirst[n][a.name] && !forked {
							declare(declaredBy, a.name, fd)
							use(a.name).assigned = true
							continue
						}
						for _, id := range identifiers(wordText(w)) {
							keep(id, "named by local")
						}
					}
					return true
				}
				if name == "read" || name == "getopts" {
					// They assign by name through the State, which
					// writes a bound Go variable (State.Set).
					for i, w := range n.Args[1:] {
						v, ok := plainLiteral(w)
						switch {
						case name == "getopts" && i == 0:
						case ok && localNameRE.MatchString(v) && (name == "read" || i == 1):
							use(v).assigned = true
						case name == "read" && ok && v == "-r":
						default:
							for _, id := range identifiers(wordText(w)) {
								keep(id, "named by "+name)
							}
						}
					}
					return true
				}
				if names, ok := unsetVarNames(n); ok {
					for _, v := range names {
						unsets[v] = append(unsets[v], at) // decided after the walk (unsetKept)
					}
					return true
				}
				if namesArgs[name] && name != "eval" && name != "trap" {
					for _, w := range n.Args[1:] {
						for _, id := range identifiers(wordText(w)) {
							keep(id, "named by "+name)
						}
					}
				}
			case *syntax.DeclClause:
				for _, a := range n.Args {
					var name string
					switch {
					case a.Name != nil:
						name = a.Name.Value
					case a.Naked && a.Value != nil:
						name = litValue(a.Value)
					}
					if name == "" {
						for id := range varNamesOf(a, false) {
							keep(id, "named by "+n.Variant.Value)
						}
						continue
					}
					if localFirst[n][name] && !forked {
						declare(declaredBy, name, fd)
						use(name).assigned = true
						continue
					}
					keep(name, "named by "+n.Variant.Value)
				}
			case *syntax.ArithmExp:
				// Arithmetic reads and assigns by name through the
				// State (s.Arith), which serves bound Go variables (in
				// a subshell, its copies: forkCopies).
				for _, id := range identifiers(arithText(n)) {
					use(id).read = true
				}
			case *syntax.Lit:
				if programText[n] {
					return true // only ever a program's argument
				}
				for _, id := range literalStateNames(n.Value) {
					keep(id, "spelled $"+id+" in literal text in a way only the State serves")
				}
			case *syntax.SglQuoted:
				if programText[n] {
					return true
				}
				for _, id := range literalStateNames(n.Value) {
					keep(id, "spelled $"+id+" in literal text in a way only the State serves")
				}
			case *syntax.Redirect:
				if n.Hdoc != nil {
					if !strings.Contains(printNode(n.Word), "'") && !strings.Contains(printNode(n.Word), "\\") && !strings.Contains(printNode(n.Word), `"`) {
						return true // expanded here: plain references
					}
					for _, id := range literalStateNames(printNode(n.Hdoc)) {
						keep(id, "spelled $"+id+" in a quoted here-document in a way only the State serves")
					}
				}
			}
			return true
		})
	}
	walk(g.file, false, nil)
	if len(unsets) > 0 {
		flows := g.markFlows()
		for _, name := range sortedKeys(unsets) {
			if why := g.unsetKept(name, flows); why != "" {
				for _, at = range unsets[name] {
					keep(name, why)
				}
			}
		}
	}
	at = syntax.Pos{}
	if runtimeEval {
		unguarded := g.unguardedSelfAssigns()
		for name := range selfAssigned {
			if !unguarded[name] {
				continue // each follows a fresh assignment (unguardedSelfAssigns)
			}
			keep(name, "assigned its own value, where eval'd text may have unset it (the State's unset mark cannot follow)")
		}
	}
	for name := range g.assignedVars() {
		use(name).assigned = true // in functions too
	}
	for _, lib := range g.libs {
		for name := range lib.Vars {
			keep(name, "the library "+lib.Name+" refers to it")
		}
	}
	taken := map[string]bool{}
	for _, goFn := range g.funcNames {
		taken[goFn] = true
	}
	for _, lib := range g.libs {
		taken[lib.Package] = true // the library packages the file may import
	}
	g.report.Lowering.Kept = map[string]string{}
	for _, name := range sortedKeys(uses) {
		u := uses[name]
		if !u.assigned {
			continue // the environment's, or a special parameter
		}
		why := u.keep
		switch {
		case everything != "":
			why = everything
		case stateOnly[name] || strings.HasPrefix(name, "GIT_") || strings.HasPrefix(name, "LC_"):
			why = "the runtime or git reads it from the environment"
		}
		if why != "" {
			g.report.Lowering.Kept[name] = why
			g.keptReasons(name, why, u)
			continue
		}
		goVar := varGoName(name)
		for taken[goVar] || goReserved[goVar] || varShape.MatchString(goVar) {
			goVar += "Var"
		}
		taken[goVar] = true
		g.lowered[name] = goVar
		g.report.Lowering.Lowered = append(g.report.Lowering.Lowered, name)
		if topNames[name] {
			g.topLowered = append(g.topLowered, name)
		}
		// Each function mentioning it has a Go variable of its own: a
		// local where its first mention is `local` (LocalVars), else
		// the global, bound while the function runs (FuncVars).
		for fd := range mentionedBy[name] {
			if declaredBy[name][fd] {
				if g.funcLowered[fd] == nil {
					g.funcLowered[fd] = map[string]string{}
				}
				g.funcLowered[fd][name] = goVar
				continue
			}
			if g.funcGlobals[fd] == nil {
				g.funcGlobals[fd] = map[string]string{}
			}
			g.funcGlobals[fd][name] = goVar
		}
	}
	sort.Strings(g.report.Lowering.Lowered)
	g.forkCopies()
	g.typeLocals() // lowertypes.go; after forkCopies, whose copies are Go strings
}

// selfAssign reports an assignment whose value is only an expansion of
// the variable itself ($x, "${x%p}"), which may give the Go variable
// back its own string.
func selfAssign(a *syntax.Assign) bool {
	if a.Value == nil || len(a.Value.Parts) != 1 {
		return false
	}
	part := a.Value.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok {
		if len(dq.Parts) != 1 {
			return false
		}
		part = dq.Parts[0]
	}
	pe, ok := part.(*syntax.ParamExp)
	return ok && pe.Param != nil && pe.Param.Value == a.Name.Value
}

// evalPlaceholder stands, in evalTextNames' shape of eval's text, for
// what an expansion of the words gives at run time.
const evalPlaceholder = "kilnvalue"

// evalTextNames lists the variables the known part of eval's text
// (words with expansions) may reach in ways the State's binding does
// not serve. The text is the words' values joined by spaces; each
// expansion ($v, $(cmd), $((n))) is taken as a placeholder word (what
// it gives is run-time text, which the State guards as it runs, see
// shellrun/evalguard.go). When that shape parses, its stateNames;
// else every name its literal parts spell. The expansions' own
// parameters are read by the script's code, before eval runs.
func evalTextNames(words []*syntax.Word) []string {
	var text, lits strings.Builder
	lit := func(v string) {
		text.WriteString(v)
		lits.WriteString(v + " ")
	}
	for i, w := range words {
		if i > 0 {
			text.WriteString(" ")
		}
		for _, part := range w.Parts {
			switch p := part.(type) {
			case *syntax.Lit:
				lit(unescapeUnquoted(p.Value))
			case *syntax.SglQuoted:
				lit(p.Value)
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					if l, ok := q.(*syntax.Lit); ok {
						lit(unescapeDouble(l.Value))
					} else {
						text.WriteString(evalPlaceholder)
					}
				}
			default:
				text.WriteString(evalPlaceholder)
			}
		}
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(text.String()), "")
	if err != nil {
		return identifiers(lits.String())
	}
	var out []string
	for _, name := range sortedKeys(stateNames(f)) {
		if name != evalPlaceholder {
			out = append(out, name)
		}
	}
	return out
}

// evalSetsParams reports an eval whose text is known to touch no
// variable: text git rev-parse writes for the shell, which sets the
// positional parameters or exits. Either its words are `set [--]`
// followed by "$(git rev-parse --sq ...)" (git-filter-branch:326,
// git-mergetool:543: the output is single-quoted words), or it is
// `eval "$v"` where every assignment of v is
// "$(echo "$SPEC" | git rev-parse --parseopt ... || echo exit $?)"
// (git-subtree:118: `set -- WORDS`, usage in a quoted here-document
// for cat and `exit 129`, or `exit N`).
func (g *gen) evalSetsParams(call *syntax.CallExpr) bool {
	args := call.Args[1:]
	text := ""
	var subst *syntax.CmdSubst
	for _, w := range args {
		if v, ok := plainLiteral(w); ok {
			if subst != nil {
				return false
			}
			text += v + " "
			continue
		}
		if len(w.Parts) != 1 {
			return false
		}
		dq, ok := w.Parts[0].(*syntax.DblQuoted)
		if !ok {
			return false
		}
		for _, p := range dq.Parts {
			switch p := p.(type) {
			case *syntax.Lit:
				if subst != nil {
					return false
				}
				text += p.Value
			case *syntax.CmdSubst:
				if subst != nil {
					return false
				}
				subst = p
			case *syntax.ParamExp:
				if len(args) == 1 && len(dq.Parts) == 1 && p.Exp == nil && !p.Length && !p.Excl && p.Param != nil {
					return g.parseoptVar(p.Param.Value)
				}
				return false
			default:
				return false
			}
		}
	}
	if subst == nil {
		return false
	}
	if f := strings.Fields(text); len(f) == 0 || f[0] != "set" || len(f) > 2 || len(f) == 2 && f[1] != "--" {
		return false
	}
	if len(subst.Stmts) != 1 {
		return false
	}
	gitCall, ok := subst.Stmts[0].Cmd.(*syntax.CallExpr)
	return ok && len(subst.Stmts[0].Redirs) == 0 && len(gitCall.Assigns) == 0 && len(gitCall.Args) > 2 &&
		litValue(gitCall.Args[0]) == "git" && litValue(gitCall.Args[1]) == "rev-parse" && litValue(gitCall.Args[2]) == "--sq"
}

// literalVarEval returns the texts of `eval "$v"` (one word) when v is
// only ever assigned literal text and nothing else (read, export,
// local...) names it.
func (g *gen) literalVarEval(call *syntax.CallExpr) ([]string, bool) {
	if len(call.Args) != 2 || len(call.Args[1].Parts) != 1 {
		return nil, false
	}
	dq, ok := call.Args[1].Parts[0].(*syntax.DblQuoted)
	if !ok || len(dq.Parts) != 1 {
		return nil, false
	}
	pe, ok := dq.Parts[0].(*syntax.ParamExp)
	if !ok || pe.Param == nil || pe.Exp != nil || pe.Length || pe.Excl || stateOnly[pe.Param.Value] {
		return nil, false
	}
	name := pe.Param.Value
	var texts []string
	all := true
	g.eachAssignment(name, func(value *syntax.Word) {
		v, ok := plainLiteral(value)
		if value == nil || !ok {
			all = false
		}
		texts = append(texts, v)
	}, func() { all = false })
	return texts, all && len(texts) > 0
}

// eachAssignment calls assign with the value of each assignment of a
// variable (a nil value for a for loop's), or other when something else
// (read, export, local, getopts...) names it.
func (g *gen) eachAssignment(name string, assign func(*syntax.Word), other func()) {
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			if n.Name != nil && n.Name.Value == name {
				if n.Append || n.Array != nil || n.Index != nil {
					other()
				}
				assign(n.Value)
			}
		case *syntax.ForClause:
			if it, ok := n.Loop.(*syntax.WordIter); ok && it.Name.Value == name {
				assign(nil)
			}
		case *syntax.CallExpr:
			if len(n.Args) > 0 && namesArgs[litValue(n.Args[0])] && litValue(n.Args[0]) != "eval" {
				for _, w := range n.Args[1:] {
					for _, id := range identifiers(wordText(w)) {
						if id == name {
							other()
						}
					}
				}
			}
		case *syntax.DeclClause:
			if varNamesOf(n, false)[name] {
				other()
			}
		case *syntax.ArithmExp:
			for _, id := range identifiers(arithText(n)) {
				if id == name {
					other()
				}
			}
		}
		return true
	})
}

// evalDefinesNoFunction reports an eval whose text is known (see
// evalSetsParams, literalVarEval) and defines no function, so that
// no command name can become a function through it.
func (g *gen) evalDefinesNoFunction(call *syntax.CallExpr) bool {
	if g.evalSetsParams(call) {
		return true
	}
	texts, ok := g.literalVarEval(call)
	if !ok {
		return false
	}
	for _, text := range texts {
		f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(text), "")
		if err != nil {
			return false
		}
		defines := false
		syntax.Walk(f, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.FuncDecl:
				defines = true
			case *syntax.CallExpr:
				if len(n.Args) > 0 {
					if name := litValue(n.Args[0]); name == "eval" || name == "." || name == "source" {
						defines = true
					}
				}
			}
			return !defines
		})
		if defines {
			return false
		}
	}
	return true
}

// parseoptVar reports a variable every assignment of which is
// "$(echo "$SPEC" | git rev-parse --parseopt ... || echo exit $?)".
func (g *gen) parseoptVar(name string) bool {
	found, all := false, true
	g.eachAssignment(name, func(value *syntax.Word) {
		found = true
		all = all && parseoptText(value)
	}, func() { all = false })
	return found && all
}

// parseoptText reports the word "$(echo "$SPEC" | git rev-parse
// --parseopt ... || echo exit $?)".
func parseoptText(w *syntax.Word) bool {
	if w == nil || len(w.Parts) != 1 {
		return false
	}
	dq, ok := w.Parts[0].(*syntax.DblQuoted)
	if !ok || len(dq.Parts) != 1 {
		return false
	}
	cs, ok := dq.Parts[0].(*syntax.CmdSubst)
	if !ok || len(cs.Stmts) != 1 {
		return false
	}
	or, ok := cs.Stmts[0].Cmd.(*syntax.BinaryCmd)
	if !ok || or.Op != syntax.OrStmt {
		return false
	}
	pipe, ok := or.X.Cmd.(*syntax.BinaryCmd)
	if !ok || pipe.Op != syntax.Pipe {
		return false
	}
	echo, ok1 := pipe.X.Cmd.(*syntax.CallExpr)
	git, ok2 := pipe.Y.Cmd.(*syntax.CallExpr)
	exit, ok3 := or.Y.Cmd.(*syntax.CallExpr)
	if !ok1 || !ok2 || !ok3 || len(echo.Args) == 0 || litValue(echo.Args[0]) != "echo" || len(git.Args) < 3 ||
		litValue(git.Args[0]) != "git" || litValue(git.Args[1]) != "rev-parse" || litValue(git.Args[2]) != "--parseopt" {
		return false
	}
	return len(exit.Args) == 3 && litValue(exit.Args[0]) == "echo" && litValue(exit.Args[1]) == "exit" &&
		wordText(exit.Args[2]) == "$?"
}

// declare records that a name is a lowered local of a function.
func declare(declaredBy map[string]map[*syntax.FuncDecl]bool, name string, fd *syntax.FuncDecl) {
	if declaredBy[name] == nil {
		declaredBy[name] = map[*syntax.FuncDecl]bool{}
	}
	declaredBy[name][fd] = true
}

// wordQuotes reports quoting in a word: quotes, or a backslash.
func wordQuotes(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.DblQuoted, *syntax.SglQuoted:
			return true
		case *syntax.Lit:
			if strings.Contains(p.Value, "\\") {
				return true
			}
		}
	}
	return false
}

// varGoName is the Go name of a lowered variable: lowerCamelCase of the
// shell name's words (sep_seen sepSeen, MRC mrc, SHA1_UP sha1Up).
func varGoName(name string) string {
	var b strings.Builder
	for _, word := range strings.Split(name, "_") {
		if word == "" {
			continue
		}
		if strings.ToUpper(word) == word {
			word = strings.ToLower(word)
		}
		if b.Len() > 0 {
			word = strings.ToUpper(word[:1]) + word[1:]
		}
		b.WriteString(word)
	}
	out := b.String()
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "v" + out
	}
	if goKeywords[out] || goPredeclared[out] {
		out += "Var"
	}
	return out
}

// goReserved are Go names the generated code uses itself.
var goReserved = setOf("s", "script", "Main", "Name", "Source", "word", "shellrun", "io", "slices", "strconv",
	"strings", "fmt", "cmp", "args", "stdin", "stdout", "stderr", "init")

// varShape matches the names the generator gives its own variables.
var varShape = regexp.MustCompile(`^(item|status|loop)[0-9]+$`)

// declareLowered writes the declarations of the lowered variables at
// the top of the script's function, bound to the State (s.Vars): each
// starts with the shell variable's value (the environment's), and a
// program the script runs sees the Go variable's value if the name came
// exported from the environment, as dash exports it.
func (g *gen) declareLowered() string {
	if len(g.topLowered) == 0 {
		return ""
	}
	var names, binds []string
	for _, name := range g.topLowered {
		if g.typed[name] != nil {
			continue // declareTyped
		}
		names = append(names, g.lowered[name])
		binds = append(binds, fmt.Sprintf("%q: &%s", name, g.lowered[name]))
	}
	if len(names) == 0 {
		return g.declareTyped()
	}
	return "var " + strings.Join(names, ", ") + " string\ns.Vars(map[string]*string{" + strings.Join(binds, ", ") + "})\n" + g.declareTyped()
}

// declareFuncGlobals writes the declarations of the Go variables
// standing for the global variables a function mentions, bound while it
// runs (s.FuncVars).
func declareFuncGlobals(globals map[string]string) string {
	if len(globals) == 0 {
		return ""
	}
	var names, binds []string
	for _, name := range sortedKeys(globals) {
		names = append(names, globals[name])
		binds = append(binds, fmt.Sprintf("%q: &%s", name, globals[name]))
	}
	return "var " + strings.Join(names, ", ") + " string\ndefer s.FuncVars(map[string]*string{" + strings.Join(binds, ", ") + "})()\n"
}

// bindLocals binds a function's Go locals just declared to the State
// until the function returns (s.LocalVars).
func bindLocals(c *ctx, names []string, goNames map[string]string) {
	if len(names) == 0 {
		return
	}
	var binds []string
	for _, name := range names {
		binds = append(binds, fmt.Sprintf("%q: &%s", name, goNames[name]))
	}
	c.printf("defer s.LocalVars(map[string]*string{%s})()\n", strings.Join(binds, ", "))
}

// statusOverwritten reports whether a statement sets $? before anything
// in it can read the status it starts with: then the status the
// statement before it leaves is dead, and no placeholder need set it. A
// command reading $?, a function call (the function may read $?), exit
// and return without a status (they use $?), eval, sourcing and
// anything else not listed are taken to read it.
func (g *gen) statusOverwritten(st *syntax.Stmt) bool {
	if st == nil || st.Background {
		return false
	}
	for _, r := range st.Redirs {
		if readsStatus(r) {
			return false
		}
	}
	switch cmd := st.Cmd.(type) {
	case *syntax.CallExpr:
		if readsStatus(cmd) {
			return false
		}
		if len(cmd.Args) == 0 {
			return true
		}
		name, ok := plainLiteral(cmd.Args[0])
		if !ok {
			return false
		}
		if _, isFunc := g.funcNames[name]; isFunc || g.libDefines[name] {
			return false
		}
		if g.dynamicFuncs && isProgram(name) && !noUnwind[name] {
			return false
		}
		switch name {
		case "exit", "return":
			return len(cmd.Args) > 1
		case "eval", ".", "source", "exec", "break", "continue":
			return false
		}
		return true
	case *syntax.IfClause:
		return len(cmd.Cond) > 0 && g.statusOverwritten(cmd.Cond[0])
	case *syntax.WhileClause:
		return len(cmd.Cond) > 0 && g.statusOverwritten(cmd.Cond[0])
	case *syntax.ForClause:
		// The loop sets the status before its body runs; its words
		// are expanded first.
		it, ok := cmd.Loop.(*syntax.WordIter)
		if !ok {
			return false
		}
		for _, w := range it.Items {
			if readsStatus(w) {
				return false
			}
		}
		return true
	case *syntax.BinaryCmd:
		if cmd.Op == syntax.AndStmt || cmd.Op == syntax.OrStmt {
			return g.statusOverwritten(cmd.X)
		}
		return !readsStatus(cmd)
	case *syntax.Block:
		return len(cmd.Stmts) > 0 && g.statusOverwritten(cmd.Stmts[0])
	case *syntax.Subshell:
		return len(cmd.Stmts) > 0 && g.statusOverwritten(cmd.Stmts[0])
	case *syntax.CaseClause:
		if readsStatus(cmd.Word) {
			return false
		}
		for _, item := range cmd.Items {
			for _, p := range item.Patterns {
				if readsStatus(p) {
					return false
				}
			}
			if len(item.Stmts) > 0 && !g.statusOverwritten(item.Stmts[0]) {
				return false
			}
		}
		return true
	}
	return false
}

// readsStatus reports a $? anywhere in a node.
func readsStatus(node syntax.Node) bool {
	found := false
	syntax.Walk(node, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil && pe.Param.Value == "?" {
			found = true
		}
		return !found
	})
	return found
}

// collectComments parses the script again, keeping its comments, and
// returns them by line (the #! line left out).
func collectComments(src []byte, bash bool) map[int]string {
	lang := syntax.LangPOSIX
	if bash {
		lang = syntax.LangBash
	}
	f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true)).Parse(bytes.NewReader(src), "")
	if err != nil {
		return nil
	}
	comments := map[int]string{}
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.Comment); ok {
			line := int(c.Pos().Line())
			if line == 1 && strings.HasPrefix(c.Text, "!") {
				return true
			}
			comments[line] = c.Text
		}
		return true
	})
	return comments
}

// scriptComments writes the script's comments on lines before line not
// written yet.
func (g *gen) scriptComments(c *ctx, line int) {
	if g.comments == nil || line <= g.commentsDone {
		return
	}
	for l := g.commentsDone + 1; l < line; l++ {
		if text, ok := g.comments[l]; ok {
			text = strings.TrimRight(text, " \t")
			if text == "" || strings.Trim(text, "#-= ") == "" {
				c.printf("//\n")
			} else {
				c.printf("//%s\n", text)
			}
		}
	}
	g.commentsDone = line - 1
}

var (
	noiseCondRE  = regexp.MustCompile(`s\.SetStatus\(s\.Status\)`)
	noiseLeaveRE = regexp.MustCompile(`(?m)^\s*s\.(Exit|Return)\(.*\)\n\s*if s\.Unwinding\(\) \{`)
	noiseTwiceRE = regexp.MustCompile(`(?m)^\s*s\.SetStatus\(0\)\n\s*s\.SetStatus\(0\)$`)
)

// measure fills the report's Lowering sizes and the textual noise
// patterns of the Go.
func (r *Report) measure(goSrc, script []byte) {
	r.Lowering.GoLines = bytes.Count(goSrc, []byte("\n"))
	r.Lowering.ScriptLines = bytes.Count(script, []byte("\n"))
	if len(script) > 0 && script[len(script)-1] != '\n' {
		r.Lowering.ScriptLines++
	}
	r.Lowering.Noise += len(noiseCondRE.FindAll(goSrc, -1)) + len(noiseLeaveRE.FindAll(goSrc, -1)) +
		len(noiseTwiceRE.FindAll(goSrc, -1))
	r.Lowering.GitFace = r.GitMapped - r.Lowering.GitTyped
	r.Lowering.GitFallback = r.GitMarked
}

// boolCond writes an if's condition as a Go boolean when it is one
// `test`/`[` of strings (STRING, -n, -z, !, =, !=) on words that expand
// to one field each: the test cannot fail otherwise than by being false,
// so its only effect is its status. When an arm's first command may read
// that status, the arm starts by setting it (0 taken, 1 else).
func (g *gen) boolCond(c *ctx, ic *syntax.IfClause) (string, bool) {
	if !g.idiom || g.errexit || len(ic.Cond) != 1 {
		return "", false
	}
	st := ic.Cond[0]
	expr, ok := g.testCond(c, st)
	if !ok {
		return "", false
	}
	g.report.Statements++
	g.provenance(c, st)
	if g.nounset && expandsParam(st) {
		c.printf("s.At(%d)\n", st.Pos().Line())
	}
	// The arms see the test's status when they may read it.
	if len(ic.Then) > 0 && !g.statusOverwritten(ic.Then[0]) {
		ic.Then = append([]*syntax.Stmt{statusStmt(0, ic.Then[0])}, ic.Then...)
	}
	if ic.Else != nil {
		var next *syntax.Stmt
		switch {
		case len(ic.Else.Cond) > 0:
			next = ic.Else.Cond[0]
		case len(ic.Else.Then) > 0:
			next = ic.Else.Then[0]
		}
		if next != nil && !g.statusOverwritten(next) {
			if len(ic.Else.Cond) > 0 {
				ic.Else.Cond = append([]*syntax.Stmt{statusStmt(1, next)}, ic.Else.Cond...)
			} else {
				ic.Else.Then = append([]*syntax.Stmt{statusStmt(1, next)}, ic.Else.Then...)
			}
		}
	}
	return expr, true
}

// statusStmt is a `true` (0) or `false` (1) at a statement's position,
// standing for a lowered test's status.
func statusStmt(status int, at *syntax.Stmt) *syntax.Stmt {
	name := "true"
	if status != 0 {
		name = "false"
	}
	pos := at.Pos()
	lit := &syntax.Lit{ValuePos: pos, ValueEnd: pos, Value: name}
	return &syntax.Stmt{Position: pos, Cmd: &syntax.CallExpr{Args: []*syntax.Word{{Parts: []syntax.WordPart{lit}}}}}
}

// assignedVars names the variables the script assigns (or loops over):
// its own, as opposed to the environment's.
func (g *gen) assignedVars() map[string]bool {
	if g.assigned != nil {
		return g.assigned
	}
	g.assigned = map[string]bool{}
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			if n.Name != nil {
				g.assigned[n.Name.Value] = true
			}
		case *syntax.ForClause:
			if it, ok := n.Loop.(*syntax.WordIter); ok {
				g.assigned[it.Name.Value] = true
			}
		}
		return true
	})
	return g.assigned
}

// ifsDigitFree reports whether a file never gives IFS a value with a
// digit: every assignment of IFS is literal text without one, and
// nothing reads into IFS or evaluates text (which might set it). Then
// an unquoted $# (decimal digits) is always one field.
func ifsDigitFree(file *syntax.File) bool {
	free := true
	syntax.Walk(file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			if n.Name != nil && n.Name.Value == "IFS" && n.Value != nil {
				if v, ok := plainLiteral(n.Value); !ok || strings.ContainsAny(v, "0123456789") {
					free = false
				}
			}
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				return true
			}
			switch litValue(n.Args[0]) {
			case "eval":
				free = false
			case "read", "getopts":
				for _, w := range n.Args[1:] {
					if litValue(w) == "IFS" {
						free = false
					}
				}
			}
		}
		return free
	})
	return free
}

// nargsOperand reports a test operand that is $# ("$#" or, when no code
// can put a digit in IFS, $#).
func (g *gen) nargsOperand(w *syntax.Word) bool {
	if len(w.Parts) != 1 {
		return false
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	} else if !g.ifsFree() {
		return false
	}
	pe, ok := part.(*syntax.ParamExp)
	return ok && pe.Param != nil && pe.Param.Value == "#" && pe.Exp == nil && !pe.Length && !pe.Excl &&
		pe.Repl == nil && pe.Slice == nil && pe.Index == nil
}

// ifsFree is ifsDigitFree of the script and every library it sources
// (the libraries' functions share the script's IFS).
func (g *gen) ifsFree() bool {
	if g.dynamicFuncs || !ifsDigitFree(g.file) {
		return false
	}
	for _, lib := range g.libs {
		if !lib.IFSDigitFree {
			return false
		}
	}
	return true
}

// nargsTest writes `test $# OP N` (N a literal number; OP -eq -ne -gt
// -ge -lt -le, or = and != with N in canonical decimal) as a comparison
// of the number of parameters.
func (g *gen) nargsTest(args []*syntax.Word) (string, bool) {
	if len(args) != 3 || !g.nargsOperand(args[0]) {
		return "", false
	}
	op, ok := plainLiteral(args[1])
	if !ok {
		return "", false
	}
	lit, ok := plainLiteral(args[2])
	if !ok {
		return "", false
	}
	n, err := strconv.Atoi(lit)
	if err != nil || n < 0 || strings.HasPrefix(lit, "+") {
		return "", false
	}
	cmp := map[string]string{"-eq": "==", "-ne": "!=", "-gt": ">", "-ge": ">=", "-lt": "<", "-le": "<="}[op]
	if op == "=" || op == "!=" {
		if strconv.Itoa(n) != lit {
			return "", false
		}
		cmp = map[string]string{"=": "==", "!=": "!="}[op]
	}
	if cmp == "" {
		return "", false
	}
	return fmt.Sprintf("len(s.Args()) %s %d", cmp, n), true
}

// testExpr writes a statement that is one `test`/`[` of strings
// (STRING, -n, -z, !, =, !=) on words that expand to one field each, or
// of $# against a number, as a Go boolean expression; the status it
// would set is the caller's to care for.
func (g *gen) testExpr(c *ctx, st *syntax.Stmt) (string, bool) {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Background || len(st.Redirs) > 0 || len(call.Assigns) > 0 || len(call.Args) == 0 || hasParamCheck(call) {
		return "", false
	}
	name, _ := plainLiteral(call.Args[0])
	args := call.Args[1:]
	switch name {
	case "test":
	case "[":
		if len(args) == 0 || litValue(args[len(args)-1]) != "]" {
			return "", false
		}
		args = args[:len(args)-1]
	default:
		return "", false
	}
	if _, isFunc := g.funcNames[name]; isFunc || g.libDefines[name] {
		return "", false
	}
	if expr, ok := g.nargsTest(args); ok {
		if st.Negated {
			expr = "!(" + expr + ")"
		}
		return expr, true
	}
	for _, a := range args {
		if needsFields(a) {
			return "", false
		}
	}
	if expr, ok := g.typedTest(args, st.Negated); ok { // lowertypes.go
		return expr, true
	}
	op := func(i int) string {
		v, ok := plainLiteral(args[i])
		if !ok {
			return "\x00"
		}
		return v
	}
	var x, y, cmp string
	if len(args) == 2 && fileOps[op(0)] {
		expr := fmt.Sprintf("s.FileTest(%q, %s)", op(0), g.stringWord(c, args[1]))
		if st.Negated {
			expr = "!" + expr
		}
		return expr, true
	}
	switch len(args) {
	case 1:
		x, cmp, y = g.stringWord(c, args[0]), "!=", `""`
	case 2:
		switch op(0) {
		case "-n":
			cmp = "!="
		case "-z", "!":
			cmp = "=="
		default:
			return "", false
		}
		x, y = g.stringWord(c, args[1]), `""`
	case 3:
		switch op(1) {
		case "=":
			cmp = "=="
		case "!=":
			cmp = "!="
		default:
			return "", false
		}
		x, y = g.stringWord(c, args[0]), g.stringWord(c, args[2])
	default:
		return "", false
	}
	if st.Negated {
		cmp = map[string]string{"==": "!=", "!=": "=="}[cmp]
	}
	if isQuotedLit(x) && !isQuotedLit(y) {
		x, y = y, x // `test '' = "$x"` reads x == ""
	}
	return x + " " + cmp + " " + y, true
}

// fileOps are test's unary file operators (State.FileTest).
var fileOps = setOf("-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-p", "-r", "-s", "-S", "-u", "-w", "-x")

// exitingFuncs names the functions of a file that always exit when
// called: defined once, at the top level, with a body that has no
// return and ends in exit or in a call of such a function (git-sh-setup's
// die, die_with_status and usage). A call of one is followed by a Go
// return in the idiomatic stage, and nothing after it is written.
func exitingFuncs(file *syntax.File) map[string]bool {
	defs := map[string]*syntax.FuncDecl{}
	count := map[string]int{}
	syntax.Walk(file, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok && fd.Name != nil {
			count[fd.Name.Value]++
		}
		return true
	})
	for _, st := range file.Stmts {
		if fd, ok := st.Cmd.(*syntax.FuncDecl); ok && fd.Name != nil && count[fd.Name.Value] == 1 {
			defs[fd.Name.Value] = fd
		}
	}
	exits := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for name, fd := range defs {
			if !exits[name] && alwaysExits(fd, exits) {
				exits[name] = true
				changed = true
			}
		}
	}
	return exits
}

// alwaysExits reports a function body without return whose last
// top-level statement is exit or a call of a function that exits.
func alwaysExits(fd *syntax.FuncDecl, exits map[string]bool) bool {
	block, ok := fd.Body.Cmd.(*syntax.Block)
	if !ok || len(block.Stmts) == 0 || len(fd.Body.Redirs) > 0 {
		return false
	}
	returns := false
	syntax.Walk(fd.Body, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok && len(call.Args) > 0 && litValue(call.Args[0]) == "return" {
			returns = true
		}
		return !returns
	})
	last := block.Stmts[len(block.Stmts)-1]
	call, ok := last.Cmd.(*syntax.CallExpr)
	if returns || !ok || last.Background || last.Negated || len(call.Args) == 0 {
		return false
	}
	name, ok := plainLiteral(call.Args[0])
	return ok && (name == "exit" || exits[name])
}

// exits reports a command name that is a function that always exits:
// the script's own (called directly), or a library's the script does
// not redefine, surely defined when the call on line `line` runs
// (libDefined: else the call would print "not found" and go on), and
// exiting in every library that defines it, when no function may come
// from elsewhere.
func (g *gen) exits(name string, line int) bool {
	if !g.idiom || g.dynamicFuncs || g.errexit {
		return false
	}
	if _, own := g.funcNames[name]; own {
		return g.static[name] && g.ownExits[name]
	}
	if !g.libDefined(name, line) {
		return false
	}
	found := false
	for _, lib := range g.libs {
		if lib.Defines[name] && !lib.Exits[name] {
			return false
		}
		found = found || lib.Exits[name]
	}
	return found
}

// neverExits reports a function of the script (defined once, at the
// top level) whose call can never make the shell exit: after it, no
// unwinding check is written. Its body (outside subshells, command
// substitutions and pipelines, which exit only themselves) has no exit,
// exec, eval or sourcing, no special builtin that may fail (shift, set,
// trap; export, local and unset only of literal names; return and
// break/continue only with a literal number), no special builtin with a
// redirection, no expansion that may fail (${x?}, arithmetic), no
// assignment that may hit a readonly variable, and calls only programs,
// regular builtins and functions that never exit.
func (g *gen) neverExits(name string) bool {
	if !g.idiom || g.dynamicFuncs || g.errexit || !g.static[name] {
		return false
	}
	if g.quiet == nil {
		g.quiet = g.quietFuncs()
	}
	return g.quiet[name]
}

// quietFuncs computes neverExits for every function, as a fixed point
// (a function calling itself never exits unless something else does).
func (g *gen) quietFuncs() map[string]bool {
	defs := map[string]*syntax.FuncDecl{}
	for _, st := range g.file.Stmts {
		if fd, ok := st.Cmd.(*syntax.FuncDecl); ok && fd.Name != nil && g.static[fd.Name.Value] {
			defs[fd.Name.Value] = fd
		}
	}
	readonly := false
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CallExpr:
			if len(n.Args) > 0 && litValue(n.Args[0]) == "readonly" {
				readonly = true
			}
		case *syntax.DeclClause:
			if n.Variant.Value == "readonly" {
				readonly = true
			}
		}
		return !readonly
	})
	quiet := map[string]bool{}
	if readonly {
		return quiet
	}
	for name := range defs {
		quiet[name] = true
	}
	for changed := true; changed; {
		changed = false
		for name, fd := range defs {
			if quiet[name] && !g.quietBody(fd.Body, quiet) {
				quiet[name] = false
				changed = true
			}
		}
	}
	return quiet
}

// quietBody is neverExits of a function body, given which functions
// never exit.
func (g *gen) quietBody(body *syntax.Stmt, quiet map[string]bool) bool {
	ok := true
	literalNames := func(args []*syntax.Word) bool {
		for _, w := range args {
			v, lit := plainLiteral(w)
			name, _, _ := strings.Cut(v, "=")
			if !lit || !localNameRE.MatchString(name) {
				return false
			}
		}
		return true
	}
	smallNumber := func(args []*syntax.Word, min int) bool {
		if len(args) == 0 {
			return true
		}
		n, err := strconv.Atoi(litValue(args[0]))
		return len(args) == 1 && err == nil && n >= min && !strings.HasPrefix(litValue(args[0]), "+")
	}
	syntax.Walk(body, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			if n != body.Cmd {
				return false // defined, not run
			}
		case *syntax.Subshell, *syntax.CmdSubst, *syntax.ProcSubst:
			return false
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				return false
			}
		case *syntax.Stmt:
			if n.Background {
				return false
			}
			if call, isCall := n.Cmd.(*syntax.CallExpr); isCall && len(n.Redirs) > 0 && len(call.Args) > 0 && special[litValue(call.Args[0])] {
				ok = false
			}
		case *syntax.ArithmExp:
			ok = false
		case *syntax.ParamExp:
			if n.Exp != nil && (n.Exp.Op == syntax.ErrorUnset || n.Exp.Op == syntax.ErrorUnsetOrNull) {
				ok = false
			}
		case *syntax.Assign:
			for _, lib := range g.libs {
				if n.Name != nil && lib.Vars[n.Name.Value] {
					ok = false
				}
			}
		case *syntax.DeclClause:
			ok = false
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				return true
			}
			name, lit := plainLiteral(n.Args[0])
			args := n.Args[1:]
			switch {
			case !lit:
				ok = false
			case name == "export" || name == "local" || name == "unset":
				ok = ok && literalNames(args)
			case name == "return":
				ok = ok && smallNumber(args, 0)
			case name == "break" || name == "continue":
				ok = ok && smallNumber(args, 1)
			case name == ":" || name == "true" || name == "false":
			case special[name] || name == "command" || name == "source":
				ok = false
			default:
				if _, own := g.funcNames[name]; own {
					ok = ok && g.static[name] && quiet[name]
				} else if g.libDefines[name] {
					ok = false
				}
			}
		}
		return ok
	})
	return ok
}

// special are dash's special builtins: an error in one (or in its
// redirections) makes the shell exit.
var special = setOf(".", ":", "break", "continue", "eval", "exec", "exit", "export", "local", "readonly",
	"return", "set", "shift", "times", "trap", "unset")

// staticFuncs names the functions a file defines once, at its top level.
func staticFuncs(file *syntax.File) map[string]bool {
	count := map[string]int{}
	syntax.Walk(file, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok && fd.Name != nil {
			count[fd.Name.Value]++
		}
		return true
	})
	out := map[string]bool{}
	for _, st := range file.Stmts {
		if fd, ok := st.Cmd.(*syntax.FuncDecl); ok && fd.Name != nil && count[fd.Name.Value] == 1 {
			out[fd.Name.Value] = true
		}
	}
	return out
}

// libDefined reports a library function that is surely defined when a
// call on line `line` runs (a call of it then prints no "not found"
// naming its line): a library the script sources at its top level,
// before that line, defines it once at its own top level, the script
// does not define it, and the call is top-level code after the
// sourcing or in a function defined after it.
func (g *gen) libDefined(name string, line int) bool {
	if !g.idiom || g.dynamicFuncs || g.sourceLine == 0 {
		return false
	}
	if _, own := g.funcNames[name]; own {
		return false
	}
	if g.defLine == 0 && line <= g.sourceLine || g.defLine != 0 && g.defLine <= g.sourceLine {
		return false
	}
	return g.sourcedStatic[name]
}

// firstSource finds the first top-level statement sourcing a translated
// library, and the functions it (and what it sources) surely defines.
func (g *gen) firstSource() {
	for _, st := range g.file.Stmts {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 || st.Negated || st.Background {
			continue
		}
		if name := litValue(call.Args[0]); name != "." && name != "source" {
			continue
		}
		lib := g.libraryOf(call.Args[1])
		if lib == nil {
			continue
		}
		g.sourceLine = int(st.End().Line())
		g.sourcedStatic = map[string]bool{}
		var add func(l *Library, seen map[string]bool)
		add = func(l *Library, seen map[string]bool) {
			if seen[l.Name] {
				return
			}
			seen[l.Name] = true
			for name := range l.Static {
				g.sourcedStatic[name] = true
			}
			for _, inner := range l.Sources {
				if il, ok := g.libs[inner]; ok {
					add(il, seen)
				}
			}
		}
		add(lib, map[string]bool{})
		return
	}
}

// localArg is one variable a `local` declares: its name, and its value
// when it is given one (nil otherwise).
type localArg struct {
	name  string
	value *syntax.Word
}

// localDecl returns the variables a statement `local ARGS` declares
// (the dash builtin, or bash's declaration), if it is one whose every
// argument is NAME or NAME=VALUE with a value that expands to one string.
func localDecl(st *syntax.Stmt) ([]localArg, bool) {
	if st.Background || len(st.Redirs) > 0 || st.Negated {
		return nil, false
	}
	var out []localArg
	switch cmd := st.Cmd.(type) {
	case *syntax.DeclClause:
		if cmd.Variant.Value != "local" {
			return nil, false
		}
		for _, a := range cmd.Args {
			if a.Name == nil || a.Append || a.Array != nil || a.Index != nil {
				return nil, false
			}
			out = append(out, localArg{name: a.Name.Value, value: a.Value})
		}
	case *syntax.CallExpr:
		if len(cmd.Assigns) > 0 || len(cmd.Args) < 2 || litValue(cmd.Args[0]) != "local" {
			return nil, false
		}
		for _, w := range cmd.Args[1:] {
			a, ok := localArgOf(w)
			if !ok {
				return nil, false
			}
			out = append(out, a)
		}
	default:
		return nil, false
	}
	return out, true
}

var localNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// localArgOf parses a word given to the dash builtin local: NAME, or
// NAME=VALUE where VALUE expands to one string (no field splitting or
// globbing, so the builtin sees it whole).
func localArgOf(w *syntax.Word) (localArg, bool) {
	if v, ok := plainLiteral(w); ok && localNameRE.MatchString(v) {
		return localArg{name: v}, true
	}
	if len(w.Parts) == 0 || needsFields(w) {
		return localArg{}, false
	}
	lit, ok := w.Parts[0].(*syntax.Lit)
	if !ok {
		return localArg{}, false
	}
	name, rest, found := strings.Cut(lit.Value, "=")
	if !found || !localNameRE.MatchString(name) || strings.Contains(rest, "\\") {
		return localArg{}, false
	}
	value := &syntax.Word{}
	if rest != "" {
		value.Parts = append(value.Parts, &syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValueEnd, Value: rest})
	}
	value.Parts = append(value.Parts, w.Parts[1:]...)
	return localArg{name: name, value: value}, true
}
