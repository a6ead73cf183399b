package translate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/shellrun"
	"mvdan.cc/sh/v3/syntax"
)

// methods are the shell builtins State implements as methods of the
// same meaning.
var methods = map[string]string{
	"echo": "Echo", "printf": "Printf", "test": "Test", "[": "Bracket", "cd": "Cd", "pwd": "Pwd",
	"shift": "Shift", "export": "Export", "readonly": "Readonly", "unset": "Unset", "local": "Local",
	"read": "Read", "set": "SetOption", "umask": "Umask", "wait": "Wait", "type": "Type", "command": "CommandBuiltin",
	"kill":    "Kill",
	"getopts": "Getopts",
}

// noUnwind are commands that never make the script leave a function.
var noUnwind = setOf("echo", "printf", "test", "[", "cd", "pwd", "export", "unset", "local", "read", ":", "getopts",
	"true", "false", "umask", "wait", "type", "git", "kill")

// mayUnwind reports whether a command may end the current function:
// exit, return, a call of a shell function (the script's or a sourced
// library's), eval, sourcing, a ${x?} check.
func (g *gen) mayUnwind(cmd syntax.Command) bool {
	call, ok := cmd.(*syntax.CallExpr)
	if !ok {
		unwinds := false
		syntax.Walk(cmd, func(n syntax.Node) bool {
			if c, ok := n.(*syntax.CallExpr); ok && g.mayUnwind(c) {
				unwinds = true
			}
			if _, ok := n.(*syntax.CmdSubst); ok {
				return false
			}
			return !unwinds
		})
		return unwinds
	}
	if hasParamCheck(call) {
		return true
	}
	if len(call.Args) == 0 {
		return false
	}
	name, ok := plainLiteral(call.Args[0])
	if !ok {
		return true
	}
	if _, isFunc := g.funcNames[name]; isFunc && g.neverExits(name) {
		return false
	}
	if _, isFunc := g.funcNames[name]; isFunc || g.libDefines[name] {
		return true
	}
	// A program's name may be a function at run time when functions
	// come from elsewhere (see dynamicFuncs): s.Run calls it then.
	return !noUnwind[name] && (!isProgram(name) || g.dynamicFuncs)
}

func (g *gen) mayUnwindList(list []*syntax.Stmt) bool {
	for _, st := range list {
		if g.mayUnwind(st.Cmd) {
			return true
		}
	}
	return false
}

// hasParamCheck reports an expansion that ends the script when it fails:
// ${x?message} with x unset, or $((...)) that is not valid arithmetic.
func hasParamCheck(node syntax.Node) bool {
	found := false
	syntax.Walk(node, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ParamExp:
			if n.Exp != nil && (n.Exp.Op == syntax.ErrorUnset || n.Exp.Op == syntax.ErrorUnsetOrNull) {
				found = true
			}
		case *syntax.ArithmExp:
			found = true
		case *syntax.CmdSubst:
			return false // its failure ends only the subshell
		}
		return !found
	})
	return found
}

// isProgram reports a command name that is not a shell builtin, keyword
// or special name: a program looked up on PATH.
func isProgram(name string) bool {
	switch name {
	case "exit", "return", "break", "continue", "eval", ".", "source", "exec", "set", "shift", "trap", "readonly":
		return false
	}
	return !strings.HasPrefix(name, "-")
}

// call writes a simple command.
func (g *gen) call(c *ctx, call *syntax.CallExpr) {
	if len(call.Args) == 0 {
		if g.idiom && hasParamCheck(call) || g.nounset && expandsParam(call) {
			// Its failure names its line (the raw stage leaves the
			// line of the command before).
			c.printf("s.At(%d)\n", call.Pos().Line())
		}
		g.assigns(c, call.Assigns)
		g.afterCommand(c, hasParamCheck(call))
		return
	}
	if len(call.Assigns) > 0 {
		// VAR=value cmd: the variables are exported to the command only.
		var pairs []string
		for _, a := range call.Assigns {
			pairs = append(pairs, strconv.Quote(a.Name.Value), g.assignValue(c, a))
		}
		body := c.sub()
		g.plainCall(body, call)
		c.printf("s.WithEnv(%s, %s)\n", g.funcLit(body.w.String()), strings.Join(pairs, ", "))
		g.afterCommand(c, g.mayUnwind(call))
		return
	}
	g.plainCall(c, call)
}

// assigns writes NAME=value assignments. Their status is that of the
// last command substitution in them, or 0.
func (g *gen) assigns(c *ctx, assigns []*syntax.Assign) {
	subst := false
	for _, a := range assigns {
		if a.Append || a.Array != nil || a.Index != nil {
			g.review(c, a, "bash array or += assignment: runs through the shell interpreter")
			c.printf("s.Shell(%s)\n", strconv.Quote(printNode(&syntax.CallExpr{Assigns: []*syntax.Assign{a}})))
			continue
		}
		if a.Value != nil && hasCmdSubst(a.Value) {
			subst = true
		}
		if g.typedAssign(c, a) { // lowertypes.go
			continue
		}
		if v, ok := g.lowered[a.Name.Value]; ok {
			g.report.Lowering.VarRefsLowered++
			value := g.assignValue(c, a)
			if rest, ok := strings.CutPrefix(value, v+" + "); ok {
				c.printf("%s += %s\n", v, rest) // x="$x..." appends
				continue
			}
			if value == v {
				// x=$x leaves a Go string as it is (go vet
				// refuses the self-assignment); where eval'd
				// text could tell unset from empty, x stays in
				// the State (selfAssign).
				continue
			}
			c.printf("%s = %s\n", v, value)
			continue
		}
		g.keptRef(a.Name.Value)
		c.printf("s.Set(%q, %s)\n", a.Name.Value, g.assignValue(c, a))
	}
	if !subst {
		if (c.dead || c.zero) && g.idiom && !hasParamCheck(&syntax.CallExpr{Assigns: assigns}) {
			// Nothing reads the status before the next command sets
			// it, or it is 0 already (x && y=z).
			return
		}
		c.printf("s.SetStatus(0)\n")
		g.noise(c.dead)
	}
}

func (g *gen) assignValue(c *ctx, a *syntax.Assign) string {
	if a.Value == nil {
		return `""`
	}
	return g.stringWord(c, a.Value)
}

// plainCall writes a command without assignments, by its name.
func (g *gen) plainCall(c *ctx, call *syntax.CallExpr) {
	first := call.Args[0]
	name, static := plainLiteral(first)
	if static && (!g.idiom || g.namesLine(name, call)) {
		c.printf("s.At(%d)\n", first.Pos().Line())
	}
	if !static {
		g.review(c, first, "command name known only at run time")
		c.printf("s.Command(%s)\n", g.args(c, call.Args))
		g.afterCommand(c, true)
		return
	}
	args := call.Args[1:]
	if goFn, ok := g.funcNames[name]; ok && g.static[name] {
		if g.opts.Bash {
			// bash's FUNCNAME and BASH_LINENO give the call stack.
			c.printf("s.CallFunc(%q, %d, %s%s)\n", name, first.Pos().Line(), goFn, g.argsAfter(c, args))
		} else {
			c.printf("s.Call(%s%s)\n", goFn, g.argsAfter(c, args))
		}
		g.afterFuncCall(c, name, call)
		return
	}
	if _, ok := g.funcNames[name]; ok || g.libDefines[name] {
		// Defined conditionally or more than once: the shell's lookup
		// at run time decides (function, builtin or program).
		c.printf("s.Command(%s)\n", g.args(c, call.Args))
		g.afterFuncCall(c, name, call)
		return
	}
	switch name {
	case ":", "true":
		// The arguments are expanded for their effects (: ${x:=d}).
		c.printf("s.True(%s)\n", g.args(c, args))
		g.afterCommand(c, hasParamCheck(call))
	case "false":
		c.printf("s.False(%s)\n", g.args(c, args))
		g.afterCommand(c, false)
	case "exit":
		c.printf("s.Exit(%s)\n", g.args(c, args))
		g.leave(c)
	case "return":
		c.printf("s.Return(%s)\n", g.args(c, args))
		g.leave(c)
	case "break", "continue":
		g.breakContinue(c, call, name, args)
	case ".", "source":
		g.source(c, call, args)
	case "eval":
		g.report.Interpreted++
		switch {
		case g.idiom && g.evalSetsParams(call):
			g.review(c, call, "eval of git rev-parse's text (sets the positional parameters or exits): runs through the shell interpreter")
		case g.idiom && g.evalDefinesNoFunction(call):
			g.review(c, call, "eval of literal text: runs through the shell interpreter")
		default:
			g.review(c, call, "eval of text known only at run time: runs through the shell interpreter")
		}
		c.printf("s.Eval(%s)\n", g.args(c, args))
		g.afterCommand(c, true)
	case "trap":
		g.trap(c, call, args)
	case "exec":
		g.exec(c, call, args)
	case "git":
		g.git(c, call, args)
	case "shopt":
		if !g.opts.Bash {
			g.program(c, call, name, args)
			return
		}
		c.printf("s.Shopt(%s)\n", g.args(c, args))
		g.afterCommand(c, false)
	default:
		if name == "local" && g.inLocalFunc && g.lowerLocal(c, call) {
			return
		}
		if name == "set" {
			g.setReview(c, call, args)
		}
		if m, ok := methods[name]; ok {
			c.printf("s.%s(%s)\n", m, g.args(c, args))
			g.afterCommand(c, name == "shift" || name == "set")
			return
		}
		g.program(c, call, name, args)
	}
}

// setReview marks a set asking what the Go stage does not reproduce
// (set -x, say; see shellrun.UnreproducedOptions): the translation
// reports it on standard error when it runs, and the report counts it.
// Options known only at run time (set $opts) are reported when they run.
func (g *gen) setReview(c *ctx, call *syntax.CallExpr, args []*syntax.Word) {
	if list := shellrun.UnreproducedOptions(literalArgs(args), g.opts.Bash); len(list) > 0 {
		g.review(c, call, "set "+strings.Join(list, ", ")+": not reproduced by the Go stage; the translation says so on standard error when it runs")
	}
}

// localStart is the value a function's variable declared by local
// without a value starts with, as a Go local: dash keeps the value of
// the variable it hides, bash's starts empty (unset).
func (g *gen) localStart(name string) string {
	if g.opts.Bash {
		return `""`
	}
	return fmt.Sprintf("s.Value(%q)", name)
}

// afterFuncCall writes what follows a function call: a return after a
// function that always exits (g.exits), else the unwinding check.
func (g *gen) afterFuncCall(c *ctx, name string, call *syntax.CallExpr) {
	if g.exits(name, int(call.Pos().Line())) {
		g.leave(c)
		return
	}
	g.afterCommand(c, !g.neverExits(name))
}

// namesLine reports whether a command may print a message naming its
// line (the idiomatic stage leaves out s.At where it cannot): all but
// echo, git, true, false, : and exit or return of a valid status, when
// they are the builtins and expand nothing that may fail.
func (g *gen) namesLine(name string, call *syntax.CallExpr) bool {
	if hasParamCheck(call) || g.nounset && expandsParam(call) {
		return true
	}
	if _, isFunc := g.funcNames[name]; isFunc && g.static[name] {
		// A call of the script's function prints nothing naming the
		// caller's line; the function's commands set their own.
		return false
	}
	if g.libDefined(name, int(call.Pos().Line())) {
		return false
	}
	if _, isFunc := g.funcNames[name]; isFunc || g.libDefines[name] {
		return true
	}
	switch name {
	case "echo", "git", "true", "false", ":":
		return false
	case "test", "[":
		return !quietTest(call.Args)
	case ".", "source":
		// A translated library's code sets its own lines.
		return len(call.Args) < 2 || g.libraryOf(call.Args[1]) == nil
	case "break", "continue":
		// With a literal count of at least 1, or none: no message.
		if len(call.Args) == 1 {
			return false
		}
		n, err := strconv.Atoi(litValue(call.Args[1]))
		return len(call.Args) > 2 || err != nil || n < 1 || strings.HasPrefix(litValue(call.Args[1]), "+")
	case "exit", "return":
		if len(call.Args) == 1 {
			return false
		}
		n, err := strconv.Atoi(litValue(call.Args[1]))
		return len(call.Args) > 2 || err != nil || n < 0 || strings.HasPrefix(litValue(call.Args[1]), "+")
	}
	return true
}

// quietTest reports a `test`/`[` that prints no message: of words that
// each expand to one field, STRING, a unary string or file operator
// and its operand, or a string comparison (= !=), `[` closed by `]`.
func quietTest(argv []*syntax.Word) bool {
	args := argv[1:]
	if litValue(argv[0]) == "[" {
		if len(args) == 0 || litValue(args[len(args)-1]) != "]" {
			return false
		}
		args = args[:len(args)-1]
	}
	for _, a := range args {
		if needsFields(a) {
			return false
		}
	}
	op := func(i int) string {
		v, _ := plainLiteral(args[i])
		return v
	}
	switch len(args) {
	case 1:
		return true
	case 2:
		return op(0) == "-n" || op(0) == "-z" || op(0) == "!" || fileOps[op(0)]
	case 3:
		return op(1) == "=" || op(1) == "!="
	}
	return false
}

// argsAfter is ", args..." for a call with leading arguments.
func (g *gen) argsAfter(c *ctx, args []*syntax.Word) string {
	if len(args) == 0 {
		return ""
	}
	return ", " + g.args(c, args)
}

// breakContinue writes break and continue as Go's, on the loop label.
func (g *gen) breakContinue(c *ctx, call *syntax.CallExpr, name string, args []*syntax.Word) {
	n := 1
	if len(args) > 0 {
		lit, ok := plainLiteral(args[0])
		v, err := strconv.Atoi(lit)
		if !ok || err != nil || v < 1 {
			g.review(c, call, name+" with a count known only at run time is not translated")
			c.printf("s.SetStatus(0)\n")
			return
		}
		n = v
	}
	if n > len(c.loops) {
		n = len(c.loops)
	}
	if n == 0 {
		g.review(c, call, name+" outside a loop of the same Go function (in a subshell, pipeline or called function) is not translated")
		c.printf("s.SetStatus(0)\n")
		return
	}
	l := c.loops[len(c.loops)-n]
	l.labelUsed = true
	if g.idiom && !g.errexit && (name == "break" && l.breakDead || name == "continue" && l.continueDead) {
		c.printf("%s %s\n", name, l.label)
		return
	}
	c.printf("s.SetStatus(0)\n%s %s\n", name, l.label)
}

// source writes `. FILE`: a translated library by its Source function.
func (g *gen) source(c *ctx, call *syntax.CallExpr, args []*syntax.Word) {
	if len(args) > 0 {
		if lib := g.libraryOf(args[0]); lib != nil {
			g.imports[lib.Import] = true
			c.printf("%s.Source(s)\n", lib.Package)
			g.afterCommand(c, true)
			return
		}
	}
	g.report.Interpreted++
	g.review(c, call, "sourced file without a translation: runs through the shell interpreter")
	c.printf("s.Source(%s)\n", g.args(c, args))
	g.afterCommand(c, true)
}

// trap writes trap: a handler given as literal text is translated.
func (g *gen) trap(c *ctx, call *syntax.CallExpr, args []*syntax.Word) {
	if len(args) >= 2 {
		if text, ok := plainLiteral(args[0]); ok && text != "-" {
			if f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), ""); err == nil {
				inner := c.sub()
				inner.inFunc = false
				// The text's lines count from 1 (as dash counts them
				// in its messages, s.At); it starts on the line of its
				// word, which provenance and reviews name.
				inner.lineOffset = c.lineOffset + int(args[0].Pos().Line()) - 1
				g.stmts(inner, f.Stmts)
				handler := "func(s *shellrun.State) {\n" + inner.w.String() + "}"
				c.printf("s.Trap(%s, %s)\n", handler, g.args(c, args[1:]))
				return
			}
		}
	}
	c.printf("s.TrapText(%s)\n", g.args(c, args))
}

// exec writes `exec CMD`: the command replaces the shell.
func (g *gen) exec(c *ctx, call *syntax.CallExpr, args []*syntax.Word) {
	if len(args) == 0 {
		c.printf("s.ExecRedirect()\n")
		return
	}
	if name, ok := plainLiteral(args[0]); !ok || name != "git" {
		g.report.Spawns++
	}
	c.printf("s.ExecReplace(%s)\n", g.args(c, args))
	g.leave(c)
}

// git writes a git call: in-process through gitapi's argv face when the
// registry maps it, otherwise marked (it goes through gitapi's counted
// fallback at run time).
func (g *gen) git(c *ctx, call *syntax.CallExpr, args []*syntax.Word) {
	g.report.GitCalls++
	sub, flags, known := gitForm(args)
	switch {
	case !known:
		g.report.GitMarked++
		g.review(c, call, "git subcommand known only at run time: gitapi serves it if it can, else its fallback runs git")
	case externalByDesign[sub]:
		g.report.GitMarked++
		g.review(c, call, "git "+sub+" runs the user's tool: external by design")
	default:
		if m, ok := Lookup(sub, flags); ok {
			g.report.GitMapped++
			if !g.idiom {
				c.printf("// git %s: in-process (%s)\n", sub, m.API)
			} else if g.typedGit(c, args) {
				g.afterCommand(c, false)
				return
			}
		} else {
			g.report.GitMarked++
			g.review(c, call, "git "+sub+" "+strings.Join(flags, " ")+": not in gitapi yet, runs through gitapi.Fallback")
		}
	}
	c.printf("s.Git(%s)\n", g.args(c, args))
	g.afterCommand(c, false)
}

// gitForm finds a git call's subcommand and literal flags, skipping
// git's own options.
func gitForm(args []*syntax.Word) (sub string, flags []string, known bool) {
	i := 0
	for i < len(args) {
		lit, ok := plainLiteral(args[i])
		if !ok {
			return "", nil, false
		}
		if lit == "-C" || lit == "-c" {
			i += 2
			continue
		}
		if strings.HasPrefix(lit, "-") {
			i++
			continue
		}
		sub = lit
		break
	}
	if sub == "" {
		return "", nil, false
	}
	for _, w := range args[i+1:] {
		if lit, ok := plainLiteral(w); ok && strings.HasPrefix(lit, "-") && lit != "-" && lit != "--" {
			flags = append(flags, lit)
		}
	}
	return sub, flags, true
}

// program writes the run of an external program.
func (g *gen) program(c *ctx, call *syntax.CallExpr, name string, args []*syntax.Word) {
	if tool := toolPrograms[name]; tool {
		g.review(c, call, name+" is the user's tool: external by design")
	} else if !Handles(name, sampleArgs(args)) {
		g.report.Spawns++
		g.review(c, call, "external program "+name+": spawned")
	}
	c.printf("s.Run(%s)\n", g.args(c, call.Args))
	g.afterCommand(c, g.mayUnwind(call))
}

// redirs writes a statement's redirections as shellrun.Redir values.
func (g *gen) redirs(c *ctx, redirs []*syntax.Redirect) string {
	var out []string
	for _, r := range redirs {
		fd := 1
		switch r.Op {
		case syntax.RdrIn, syntax.RdrInOut, syntax.DplIn, syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
			fd = 0
		}
		if r.N != nil {
			n, err := strconv.Atoi(r.N.Value)
			if err == nil {
				fd = n
			}
		}
		switch r.Op {
		case syntax.RdrOut:
			out = append(out, fmt.Sprintf("shellrun.To(%d, %s)", fd, g.stringWord(c, r.Word)))
		case syntax.RdrClob:
			// >| overwrites a file even under set -C.
			out = append(out, fmt.Sprintf("shellrun.Redir{Fd: %d, Op: \">|\", Target: %s}", fd, g.stringWord(c, r.Word)))
		case syntax.AppOut:
			out = append(out, fmt.Sprintf("shellrun.Append(%d, %s)", fd, g.stringWord(c, r.Word)))
		case syntax.RdrIn:
			out = append(out, fmt.Sprintf("shellrun.From(%d, %s)", fd, g.stringWord(c, r.Word)))
		case syntax.RdrInOut:
			out = append(out, fmt.Sprintf("shellrun.Redir{Fd: %d, Op: \"<>\", Target: %s}", fd, g.stringWord(c, r.Word)))
		case syntax.DplOut, syntax.DplIn:
			out = append(out, fmt.Sprintf("shellrun.Dup(%d, %s)", fd, g.stringWord(c, r.Word)))
		case syntax.Hdoc, syntax.DashHdoc:
			out = append(out, fmt.Sprintf("shellrun.HereDoc(%d, %s)", fd, g.hereDoc(c, r)))
		case syntax.WordHdoc:
			out = append(out, fmt.Sprintf("shellrun.HereDoc(%d, %s+\"\\n\")", fd, g.stringWord(c, r.Word)))
		default:
			g.review(c, r, "redirection "+r.Op.String()+" is not translated; it is dropped")
		}
	}
	return strings.Join(out, ", ")
}

// sampleArgs stands in for a call's arguments when classifying it before
// it runs: literal words as they are, each other word as a plain sample
// value. shellrun/tools decides again on the real arguments.
func sampleArgs(words []*syntax.Word) []string {
	args := make([]string, len(words))
	for i, w := range words {
		if v, ok := plainLiteral(w); ok {
			args[i] = v
		} else {
			args[i] = "kiln"
		}
	}
	return args
}

// lowerLocal writes the dash builtin `local` declaring variables lowered
// to Go locals of the function being written, if it declares any: each
// one a Go declaration (starting with the value of the variable it
// hides, as in dash), the others still declared in the State.
func (g *gen) lowerLocal(c *ctx, call *syntax.CallExpr) bool {
	var rest []*syntax.Word
	var lowered []string
	for _, w := range call.Args[1:] {
		a, ok := localArgOf(w)
		v, isLowered := g.lowered[a.name]
		if !ok || !isLowered {
			rest = append(rest, w)
			continue
		}
		value := g.localStart(a.name)
		if a.value != nil {
			value = g.stringWord(c, a.value)
		}
		g.report.Lowering.VarRefsLowered++
		c.printf("%s := %s\n", v, value)
		lowered = append(lowered, a.name)
	}
	if len(lowered) == 0 {
		return false
	}
	bindLocals(c, lowered, g.lowered)
	if len(rest) > 0 {
		c.printf("s.Local(%s)\n", g.args(c, rest))
		g.afterCommand(c, false)
	} else if !c.dead {
		c.printf("s.SetStatus(0)\n") // local's status
	}
	return true
}
