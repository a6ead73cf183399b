package translate

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
	"strconv"
	"strings"
	"unicode"

	"mvdan.cc/sh/v3/syntax"
)

const runtimeImport = "github.com/kiln-dev/kiln/shellrun"

// gen is the state of one translation.
type gen struct {
	opts       Options
	file       *syntax.File
	report     *Report
	funcNames  map[string]string // this file's functions: shell name -> Go name
	libDefines map[string]bool   // every function the sourced libraries may define
	libs       map[string]*Library
	imports    map[string]bool
	decls      []string // Go functions, in order
	errexit    bool     // the script turns on set -e somewhere
	nounset    bool     // set -u may be on: expansions name their lines
	// nounsetRunTime says set -u may come from text known only at run
	// time (eval's, set's options); the idiomatic stage names lines
	// for it only where the script's own text turns it on, and the
	// State says so if it happens (Config.UnforeseenNounset).
	nounsetRunTime bool
	static         map[string]bool // functions defined once, unconditionally: called directly
	lines          []string        // the script's lines, for Quote
	// dynamicFuncs says a command name that is no function kiln knows
	// of may still be one at run time: in a library, a function of the
	// script that sources it (tg-delete:38 calls tg's die, which
	// exits); in a script, one defined by eval or by a file sourced
	// without a translation. A call of such a name may then exit or
	// return, and is checked for it.
	dynamicFuncs bool
	shopt        bool // a bash script calling shopt: globs may mean what only the interpreter knows
	nocase       bool // a bash script setting shopt nocasematch: case patterns match with s.CaseMatch

	// The idiomatic stage (lower.go): idiom says it is on; lowered maps
	// the variables written as Go variables to their Go names; comments
	// are the script's, by line, written up to commentsDone.
	idiom         bool
	lowered       map[string]string
	topLowered    []string                               // the top level's lowered variables
	funcLowered   map[*syntax.FuncDecl]map[string]string // each function's lowered locals
	funcGlobals   map[*syntax.FuncDecl]map[string]string // the lowered globals each function mentions
	copies        map[syntax.Node][]string               // the lowered variables each subshell copies (forkCopies)
	defineFuncs   *bool                                  // mayDefineFuncs, once
	inLocalFunc   bool                                   // a function's body is being written (its locals may be lowered)
	typed         map[string]*typedVar                   // the lowered variables of another Go type than string (lowertypes.go)
	comments      map[int]string
	commentsDone  int
	assigned      map[string]bool // assignedVars, once
	discarding    int             // writing code that is thrown away (after exit)
	ownExits      map[string]bool // the file's functions that always exit (exitingFuncs)
	quiet         map[string]bool // the file's functions that never exit (neverExits), once
	defLine       int             // the line of the function definition being written (0: the top level)
	sourceLine    int             // the last line of the first top-level sourcing of a library (firstSource)
	sourcedStatic map[string]bool // the functions that sourcing surely defines
}

// ctx is where statements are being written: the Go function (or
// closure) and the native loops around them in it.
type ctx struct {
	w        *bytes.Buffer
	loops    []*loop
	inFunc   bool
	lastLine int
	nloops   *int // loops so far in the Go function, to name their labels
	last     bool // the statement being written is the last of its list
	// lineOffset is added to the lines of the nodes written to make
	// them script lines: nonzero in a trap handler, whose text is
	// parsed on its own.
	lineOffset int
	// In the idiomatic stage: dead says nothing reads the status the
	// statement being written leaves (the next one sets it first);
	// tailDead says so of the last statement of the list being
	// written; unreachable says the code written last always leaves
	// the Go function (exit, return), so the rest of its list is not
	// written.
	dead, tailDead, unreachable bool
	// prov is a provenance comment the idiomatic stage writes at the end
	// of the next line written.
	prov string
	// cond says set -e does not apply to the command being written
	// (it is an if's or a loop's condition, or the left side of && or
	// ||): no check follows it.
	cond bool
	// zero says the status is 0 when the assignments being written
	// start (they are the right side of &&): they need not set it.
	zero bool
}

// loop is a Go for loop a shell loop became.
type loop struct {
	label     string
	labelUsed bool
	status    string // the Go variable keeping the body's last status
	// In the idiomatic stage: nothing reads the status break leaves
	// (the loop's), or the one continue leaves (the next round's first
	// command, or the loop's, sets it first).
	breakDead, continueDead bool
}

func newGen(file *syntax.File, opts Options) *gen {
	g := &gen{
		opts: opts, file: file, funcNames: map[string]string{}, libDefines: map[string]bool{},
		libs: map[string]*Library{}, imports: map[string]bool{runtimeImport: true},
		report: &Report{Script: opts.Name},
	}
	if opts.Source != nil {
		g.lines = strings.Split(string(opts.Source), "\n")
	}
	for _, lib := range opts.Libraries {
		g.libs[lib.Name] = lib
	}
	g.dynamicFuncs = opts.Library
	// A library runs with the options of the shell that sources it:
	// set -e may be on (tg:340), so its commands are checked for it
	// (the check asks the state whether it is on).
	g.errexit = opts.Library
	g.collect()
	if opts.Idiomatic {
		g.idiom = true
		g.ownExits = exitingFuncs(file)
		g.firstSource()
		g.report.Idiomatic = true
		g.analyzeVars()
		if opts.Source != nil {
			g.comments = collectComments(opts.Source, opts.Bash)
		}
	}
	return g
}

// collect names the file's functions and finds what the script sources
// and whether it uses set -e, before any code is written.
func (g *gen) collect() {
	taken := map[string]bool{"script": true, "Main": true, "Name": true, "Source": true, "s": true}
	// A function defined once at the top level is always the one a call
	// reaches; one defined in an if or case arm (pwd only on Windows,
	// say) or defined twice is looked up when called, as the shell does.
	defs := map[string]int{}
	g.static = map[string]bool{}
	for _, st := range g.file.Stmts {
		if fd, ok := st.Cmd.(*syntax.FuncDecl); ok && fd.Name != nil {
			g.static[fd.Name.Value] = true
		}
	}
	syntax.Walk(g.file, func(node syntax.Node) bool {
		switch n := node.(type) {
		case *syntax.FuncDecl:
			if n.Name == nil {
				return true // a parse of "()x" with no name: left to the interpreter
			}
			defs[n.Name.Value]++
			if _, ok := g.funcNames[n.Name.Value]; !ok {
				name := goName(n.Name.Value, g.opts.Library)
				for taken[name] {
					name += "Fn"
				}
				taken[name] = true
				g.funcNames[n.Name.Value] = name
			}
		case *syntax.CallExpr:
			args := literalArgs(n.Args)
			if len(args) >= 2 && args[0] == "set" && setsErrexit(args[1:]) {
				g.errexit = true
			}
			if len(args) >= 3 && args[0] == "set" && args[1] == "-o" && args[2] == "errexit" {
				g.errexit = true
			}
			if len(args) >= 1 && args[0] == "shopt" {
				g.shopt = true
				for _, a := range args[1:] {
					if a == "nocasematch" {
						g.nocase = true
					}
				}
			}
			if len(args) >= 2 && (args[0] == "." || args[0] == "source") {
				if lib := g.libraryOf(n.Args[1]); lib != nil {
					g.useLibrary(lib, map[string]bool{})
				} else {
					g.dynamicFuncs = true
				}
			}
			if len(n.Args) >= 1 && litValue(n.Args[0]) == "eval" && (!g.opts.Idiomatic || !g.evalDefinesNoFunction(n)) {
				g.dynamicFuncs = true
			}
			if len(n.Args) > 1 && litValue(n.Args[0]) == "set" && setsNounset(n.Args[1:]) {
				if g.opts.Idiomatic && !g.opts.Library && !setsNounsetLiterally(n.Args[1:]) {
					g.nounsetRunTime = true
				} else {
					g.nounset = true
				}
			}
			if len(n.Args) > 1 && litValue(n.Args[0]) == "eval" && g.evalSetsNounset(n) {
				g.nounset = true
			}
		}
		return true
	})
	for name, n := range defs {
		if n > 1 {
			delete(g.static, name)
		}
	}
	// set -u may also come from the shell that sources a library, from
	// eval's text or from a file sourced without a translation.
	if g.opts.Idiomatic && !g.opts.Library {
		g.nounsetRunTime = (g.nounsetRunTime || g.dynamicFuncs) && !g.nounset
	} else {
		g.nounset = g.nounset || g.dynamicFuncs
	}
}

// setsNounsetLiterally is setsNounset of the options spelled in the
// script's text: u or a in a literal cluster, -o nounset, -o allexport.
func setsNounsetLiterally(words []*syntax.Word) bool {
	var known []*syntax.Word
	for _, w := range words {
		if _, ok := plainLiteral(w); !ok {
			break
		}
		known = append(known, w)
	}
	return len(known) > 0 && setsNounset(known)
}

// setsNounset reports whether set's arguments may turn on nounset (or
// allexport, which the idiomatic stage treats alike): u or a in a
// cluster of options, -o nounset or -o allexport, or an argument known
// only at run time.
func setsNounset(words []*syntax.Word) bool {
	for i, w := range words {
		a, ok := plainLiteral(w)
		switch {
		case !ok:
			return true
		case a == "--" || a == "-" || !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "+"):
			return false
		case a == "-o" || a == "+o":
			if i+1 < len(words) {
				if v := litValue(words[i+1]); v == "nounset" || v == "allexport" {
					return true
				}
			}
		case strings.HasPrefix(a, "-") && strings.ContainsAny(a, "ua"):
			return true
		}
	}
	return false
}

// setsNounsetIn reports a set in file that may turn on set -u or set -a
// (setsNounset).
func setsNounsetIn(file *syntax.File) bool {
	found := false
	syntax.Walk(file, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 {
			return !found
		}
		switch litValue(call.Args[0]) {
		case "set":
			found = setsNounset(call.Args[1:])
		case "eval":
			if text, ok := literalEvalText(call); ok {
				found = textSetsNounset(text)
			}
		}
		return !found
	})
	return found
}

// literalEvalText is the text of an eval whose words are all literal:
// they joined with spaces.
func literalEvalText(call *syntax.CallExpr) (string, bool) {
	var words []string
	for _, w := range call.Args[1:] {
		v, ok := plainLiteral(w)
		if !ok {
			return "", false
		}
		words = append(words, v)
	}
	return strings.Join(words, " "), true
}

// textSetsNounset reports shell text (eval's) with a set that may turn
// on set -u or set -a.
func textSetsNounset(text string) bool {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	return err == nil && setsNounsetIn(f)
}

// evalSetsNounset reports an eval whose text is known (literal, or
// eval "$v" with v only ever given literal text) and may turn on set -u
// or set -a: the idiomatic stage keeps the variables in the State, as
// for such a set in the script.
func (g *gen) evalSetsNounset(call *syntax.CallExpr) bool {
	if text, ok := literalEvalText(call); ok {
		return textSetsNounset(text)
	}
	texts, _ := g.literalVarEval(call)
	for _, text := range texts {
		if textSetsNounset(text) {
			return true
		}
	}
	return false
}

// atIfUnset writes s.At(line) before the expansions of words (a for's
// words, a case's word) when set -u may be on and they expand a
// parameter: its error names the line.
func (g *gen) atIfUnset(c *ctx, line uint, words ...*syntax.Word) {
	for _, w := range words {
		if g.nounset && expandsParam(w) {
			c.printf("s.At(%d)\n", line)
			return
		}
	}
}

// expandsParam reports a parameter expansion in node, outside command
// substitutions (which name their own lines).
func expandsParam(node syntax.Node) bool {
	found := false
	syntax.Walk(node, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.ParamExp:
			found = true
		case *syntax.CmdSubst:
			return false
		}
		return !found
	})
	return found
}

// setsErrexit reports whether set's arguments turn on errexit: -e in a
// cluster of options (-e, -eu, -euo pipefail) or -o errexit.
func setsErrexit(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--" || !strings.HasPrefix(a, "-"):
			return false
		case a == "-o":
			if i+1 < len(args) && args[i+1] == "errexit" {
				return true
			}
			i++ // the option's name
		case !strings.HasPrefix(a, "--") && strings.Contains(a, "e"):
			return true
		}
	}
	return false
}

// useLibrary makes a sourced library's functions, and those of the
// libraries it sources in turn, callable from the script.
func (g *gen) useLibrary(lib *Library, seen map[string]bool) {
	if seen[lib.Name] {
		return
	}
	seen[lib.Name] = true
	for _, name := range lib.Sources {
		if inner, ok := g.libs[name]; ok {
			g.useLibrary(inner, seen)
		}
	}
	for shell := range lib.Defines {
		g.libDefines[shell] = true
	}
	g.nounset = g.nounset || lib.SetsNounset
}

// libraryOf returns the translated library a `.` argument names: a
// literal file name, or any word ending in /NAME.
func (g *gen) libraryOf(w *syntax.Word) *Library {
	if len(w.Parts) == 0 {
		return nil
	}
	return g.libs[sourcedTail(w)]
}

// file writes the whole Go file.
func (g *gen) goFile() []byte {
	top := &ctx{w: &bytes.Buffer{}}
	g.stmts(top, g.file.Stmts)
	var out bytes.Buffer
	g.header(&out)
	if g.opts.Library {
		fmt.Fprintf(&out, "// Source runs %s's top level, as `. %s` does: it defines the library's\n// functions in s.\nfunc Source(s *shellrun.State) {\n%s}\n\n", g.opts.Name, g.opts.Name, top.w.String())
		fmt.Fprintf(&out, "func init() { shellrun.RegisterLibrary(%q, Source) }\n\n", g.opts.Name)
	} else {
		fmt.Fprintf(&out, `// Main runs the translated %[1]s with args and returns its exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
%[3]s}

// script is %[1]s's top level.
func script(s *shellrun.State) {
%[2]s}

`, g.opts.Name, g.declareLowered()+g.trimTail(top.w.String()), g.mainBody())
	}
	for _, d := range g.decls {
		out.WriteString(d)
		out.WriteString("\n")
	}
	if g.idiom {
		return []byte(chainAt(out.String()))
	}
	return out.Bytes()
}

// mainBody is Main's body: the State the script runs with, made and
// run (in one statement in the idiomatic stage).
func (g *gen) mainBody() string {
	config := `shellrun.Config{
		Name: shellrun.ScriptName(Name), Args: args, ExecPath: shellrun.GitExecPath(),
		Stdin: stdin, Stdout: stdout, Stderr: stderr,` + bashConfig(g.opts.Bash) + g.nounsetConfig() + `
	}`
	if g.idiom {
		return "\treturn shellrun.NewState(" + config + ").Main(script)\n"
	}
	return "\ts := shellrun.NewState(" + config + ")\n\treturn s.Main(script)\n"
}

// nounsetConfig is the Config field of a State whose code names its
// lines for set -u only where the script's own text turns it on.
func (g *gen) nounsetConfig() string {
	if g.nounsetRunTime {
		return "\n\t\tUnforeseenNounset: true,"
	}
	return ""
}

// bashConfig is the Config field of a bash script's State.
func bashConfig(bash bool) string {
	if bash {
		return "\n\t\tBash: true,"
	}
	return ""
}

func (g *gen) header(out *bytes.Buffer) {
	kind := "script"
	if g.opts.Library {
		kind = "library"
	}
	if g.idiom {
		fmt.Fprintf(out, "// Package %s is the shell %s %s, translated to Go by kiln translate\n", g.opts.Package, kind, g.opts.Name)
		out.WriteString("// --idiomatic: this code is meant to be kept and edited.\n")
		fmt.Fprintf(out, "//\n// Each block names the script lines it comes from (%s:LINE). Variables\n", g.opts.Name)
		out.WriteString("// nothing reaches by name are Go variables; the others stay in the State\n// (s.Get, s.Set). What kiln could not translate runs through the embedded\n// shell interpreter and is marked kiln:review.\n")
	} else {
		fmt.Fprintf(out, "// Package %s is the shell %s %s translated to Go by kiln translate.\n", g.opts.Package, kind, g.opts.Name)
		fmt.Fprintf(out, "//\n// Each block names the script lines it comes from (%s:LINE). What kiln\n", g.opts.Name)
		out.WriteString("// could not translate runs through the embedded shell interpreter and is\n// marked kiln:review.\n")
	}
	fmt.Fprintf(out, "package %s\n\nimport (\n", g.opts.Package)
	if !g.opts.Library {
		g.imports["io"] = true
	}
	for _, imp := range sortedKeys(g.imports) {
		fmt.Fprintf(out, "\t%q\n", imp)
	}
	out.WriteString(")\n\n")
	if !g.opts.Library {
		fmt.Fprintf(out, "// Name is the script this package translates.\nconst Name = %q\n\n", g.opts.Name)
	}
}

// printf writes Go code to the context.
func (c *ctx) printf(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if c.prov != "" {
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			text = text[:i] + " " + c.prov + text[i:]
			c.prov = ""
		}
	}
	c.w.WriteString(text)
}

// provenance writes the comment naming the script lines a statement
// comes from.
func (g *gen) provenance(c *ctx, node syntax.Node) {
	from, to := int(node.Pos().Line())+c.lineOffset, int(node.End().Line())+c.lineOffset
	if g.idiom && c.lineOffset == 0 {
		g.scriptComments(c, from)
	}
	if from == c.lastLine {
		return
	}
	if g.idiom && !compound(node) {
		// The idiomatic stage names the lines of compound commands
		// only; the script's comments say the rest.
		return
	}
	c.lastLine = from
	if g.idiom && !g.opts.Quote {
		// At the end of the statement's first line.
		c.prov = fmt.Sprintf("// %s:%d-%d", g.opts.Name, from, to)
		if to == from {
			c.prov = fmt.Sprintf("// %s:%d", g.opts.Name, from)
		}
		return
	}
	if to > from {
		c.printf("// %s:%d-%d\n", g.opts.Name, from, to)
	} else {
		c.printf("// %s:%d\n", g.opts.Name, from)
	}
	if g.opts.Quote && from-1 < len(g.lines) {
		for l := from; l <= to && l-1 < len(g.lines) && l < from+3; l++ {
			c.printf("//\t%s\n", strings.ReplaceAll(g.lines[l-1], "*/", "* /"))
		}
	}
}

// compound reports a statement whose command is a function definition,
// an if, a loop or a case.
func compound(node syntax.Node) bool {
	st, ok := node.(*syntax.Stmt)
	if !ok {
		return false
	}
	switch st.Cmd.(type) {
	case *syntax.FuncDecl, *syntax.IfClause, *syntax.WhileClause, *syntax.ForClause, *syntax.CaseClause:
		return true
	}
	return false
}

// review marks a spot kiln did not translate natively.
func (g *gen) review(c *ctx, node syntax.Node, reason string) {
	pos := node.Pos()
	reason = strings.ReplaceAll(reason, "\n", `\n`)
	if len(reason) > 160 {
		reason = reason[:157] + "..."
	}
	g.report.Reviews = append(g.report.Reviews, Review{Line: int(pos.Line()) + c.lineOffset, Col: int(pos.Col()), Reason: reason})
	c.printf("// kiln:review %s\n", reason)
}

// stmts writes a statement list.
func (g *gen) stmts(c *ctx, list []*syntax.Stmt) {
	tail := c.tailDead
	for i, st := range list {
		c.last = i == len(list)-1
		switch {
		case g.errexit:
			// set -e's checks read the status of every command.
			c.dead = false
		case c.last:
			c.dead = tail
		default:
			c.dead = g.statusOverwritten(list[i+1])
		}
		g.stmt(c, st)
		if c.unreachable && !c.last {
			// What follows exit or return never runs: it is written
			// nowhere, but its functions are still declared.
			rest := c.sub()
			g.discarding++
			g.stmts(rest, list[i+1:])
			g.discarding--
			break
		}
	}
	c.tailDead = tail
}

// nested writes a statement list that is the body of a Go block (an if
// arm, a case arm): tailDead says whether the status its last statement
// leaves is dead.
func (g *gen) nested(c *ctx, list []*syntax.Stmt, tailDead bool) {
	saved := c.tailDead
	c.tailDead = tailDead
	g.stmts(c, list)
	c.tailDead = saved
	c.unreachable = false
}

// leave writes the return after exit, return or exec: a plain return at
// the end of a list, else a check (Go rejects code after a return, and
// the shell's exit can fail on a bad number).
func (g *gen) leave(c *ctx) {
	if g.idiom {
		// exit and return always leave: a failed one exits.
		c.printf("return\n")
		c.unreachable = true
		return
	}
	if c.last {
		c.printf("return\n")
		return
	}
	g.unwind(c)
}

// sub is a context for a closure body: no native loop is around it.
func (c *ctx) sub() *ctx {
	return &ctx{w: &bytes.Buffer{}, inFunc: c.inFunc, nloops: c.nloops, lineOffset: c.lineOffset}
}

// closure writes a `func(s *shellrun.State) { ... }` literal running
// the statements.
func (g *gen) closure(c *ctx, list []*syntax.Stmt) string {
	inner := c.sub()
	g.stmts(inner, list)
	return g.funcLit(inner.w.String())
}

// funcLit is a `func(s *shellrun.State) { ... }` literal of Go code. The
// idiomatic stage writes it on one line when the code is one or two
// short simple statements (s.Git("write-tree"), s.At(5); s.Echo(x)).
func (g *gen) funcLit(code string) string {
	code = g.trimTail(code)
	if g.idiom {
		code = chainAt(code)
		lines := strings.Split(strings.TrimSuffix(code, "\n"), "\n")
		var stmts []string
		for _, line := range lines {
			stmt, comment, ok := simpleLine(line)
			if !ok || comment != "" {
				stmts = nil
				break
			}
			stmts = append(stmts, stmt)
		}
		if one := strings.Join(stmts, "; "); len(stmts) > 0 && len(stmts) <= 2 && len(one) <= 100 {
			return "func(s *shellrun.State) { " + one + " }"
		}
	}
	return "func(s *shellrun.State) {\n" + code + "}"
}

// unwind writes the check that leaves the Go function when the script
// exits or returns. The idiomatic stage puts the command before it in
// the if's init statement when it is one simple statement on one line.
func (g *gen) unwind(c *ctx) { g.leaveIf(c, "s.Unwinding()") }

// leaveIf writes `if CHECK { return }` after a command: in the idiomatic
// stage with the command as the if's init statement when it is one
// simple statement on one line.
func (g *gen) leaveIf(c *ctx, check string) {
	if g.idiom {
		code := c.w.String()
		start := strings.LastIndexByte(strings.TrimSuffix(code, "\n"), '\n') + 1
		if stmt, comment, ok := simpleLine(code[start:]); ok {
			c.w.Truncate(start)
			c.printf("if %s; %s {%s\nreturn\n}\n", stmt, check, comment)
			return
		}
	}
	c.printf("if %s {\nreturn\n}\n", check)
}

// simpleLine splits a line of Go into a simple statement that may be an
// if's init statement (an expression or an assignment with =, brackets
// balanced, no keyword) and its trailing comment.
func simpleLine(line string) (stmt, comment string, ok bool) {
	line = strings.TrimRight(line, "\n")
	if line == "" || strings.TrimSpace(line) != line && strings.HasPrefix(strings.TrimSpace(line), "}") {
		return "", "", false
	}
	var sc scanner.Scanner
	fset := token.NewFileSet()
	src := []byte(line)
	sc.Init(fset.AddFile("", -1, len(src)), src, nil, scanner.ScanComments)
	depth, first, end := 0, true, len(line)
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue
		}
		if first && (tok.IsKeyword() || tok == token.COMMENT || tok == token.RBRACE) {
			return "", "", false
		}
		first = false
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
			if depth < 0 {
				return "", "", false
			}
		case token.DEFINE, token.SEMICOLON, token.COLON:
			if depth == 0 {
				return "", "", false
			}
		case token.COMMENT:
			end = int(pos) - 1
			comment = " " + lit
		}
	}
	if depth != 0 || first {
		return "", "", false
	}
	return strings.TrimSpace(line[:end]), comment, true
}

// afterCommand writes what follows a command outside a condition: set
// -e's check when the script uses it.
func (g *gen) afterCommand(c *ctx, mayUnwind bool) {
	switch {
	case g.errexit && !c.cond:
		g.leaveIf(c, "s.CheckErrExit()")
	case mayUnwind:
		g.unwind(c)
	}
}

// stmt writes one statement.
func (g *gen) stmt(c *ctx, st *syntax.Stmt) {
	g.report.Statements++
	g.provenance(c, st)
	if st.Background {
		c.printf("s.Background(%s)\n", g.forkClosure(c, st, []*syntax.Stmt{{Cmd: st.Cmd, Redirs: st.Redirs, Negated: st.Negated, Position: st.Position}}))
		return
	}
	if st.Cmd == nil {
		// Redirections without a command (`>"$file"` truncates it, as
		// git-mergetool:checkout_staged_file does): they apply to
		// nothing and end with it, unlike exec's.
		c.printf("s.At(%d)\n", st.Pos().Line())
		c.printf("s.Redirect(func(s *shellrun.State) { s.SetStatus(0) }, %s)\n", g.redirs(c, st.Redirs))
		return
	}
	if g.opts.Bash {
		if why, ok := g.bashStmt(st); ok {
			if dc, isDecl := st.Cmd.(*syntax.DeclClause); isDecl && c.inFunc {
				g.bashDecl(c, st, dc, why)
				return
			}
			g.interpretedStmt(c, st, why)
			return
		}
	}
	if call, ok := st.Cmd.(*syntax.CallExpr); ok && len(st.Redirs) > 0 && isExecOnly(call) {
		c.printf("s.ExecRedirect(%s)\n", g.redirs(c, st.Redirs))
		g.afterCommand(c, false)
		return
	}
	if len(st.Redirs) > 0 {
		body := c.sub()
		// The command's status is the statement's: dead when the
		// statement's is (the idiomatic stage tracks no loop status
		// nothing reads).
		body.dead, body.tailDead = c.dead && g.idiom, c.dead && g.idiom
		// Opening a redirection may fail with a message naming the
		// line of its command: set before the redirections open (the
		// command inside sets it again only where it names it itself).
		g.command(body, st.Cmd, st.Negated)
		c.printf("s.At(%d)\n", st.Pos().Line())
		c.printf("s.Redirect(%s, %s)\n", g.funcLit(body.w.String()), g.redirs(c, st.Redirs))
		g.afterCommand(c, g.mayUnwind(st.Cmd))
		return
	}
	g.command(c, st.Cmd, st.Negated)
}

// isExecOnly reports whether a call is a bare `exec` (redirections only).
func isExecOnly(call *syntax.CallExpr) bool {
	return len(call.Assigns) == 0 && len(call.Args) == 1 && litValue(call.Args[0]) == "exec"
}

// command writes one command, negated for `!`.
func (g *gen) command(c *ctx, cmd syntax.Command, negated bool) {
	if negated {
		c.dead = false // ! reads the status
	}
	defer func() {
		if negated {
			c.printf("s.Not()\n")
		}
	}()
	switch cmd := cmd.(type) {
	case *syntax.CallExpr:
		g.call(c, cmd)
	case *syntax.Block:
		// The block's last status is the block's.
		saved := c.tailDead
		c.tailDead = c.dead
		g.stmts(c, cmd.Stmts)
		c.tailDead = saved
	case *syntax.Subshell:
		c.printf("s.Subshell(%s)\n", g.forkClosure(c, cmd, cmd.Stmts))
		g.afterCommand(c, false)
	case *syntax.IfClause:
		g.ifClause(c, cmd)
	case *syntax.WhileClause:
		if g.optionLoop(c, cmd) {
			return // loweropts.go
		}
		g.whileClause(c, cmd)
	case *syntax.ForClause:
		if _, ok := cmd.Loop.(*syntax.WordIter); ok {
			g.forClause(c, cmd)
			return
		}
		g.interpreted(c, cmd, "C-style for loop (bash)")
	case *syntax.CaseClause:
		g.caseClause(c, cmd)
	case *syntax.BinaryCmd:
		g.binary(c, cmd)
	case *syntax.FuncDecl:
		if cmd.Name == nil {
			g.interpreted(c, cmd, "function without a name")
			return
		}
		g.funcDecl(c, cmd)
	case *syntax.DeclClause:
		g.declClause(c, cmd)
	default:
		g.interpreted(c, cmd, fmt.Sprintf("%s is not translated", nodeKind(cmd)))
	}
}

// interpreted runs a command through the embedded interpreter, marked
// for review.
func (g *gen) interpreted(c *ctx, node syntax.Node, reason string) {
	g.report.Interpreted++
	g.countInterpretedGit(node)
	g.review(c, node, reason+": runs through the shell interpreter")
	text := printNode(node)
	if c.inFunc {
		if names, global := localsAsGlobals(node); len(names) > 0 {
			// The interpreter runs the text outside any function, where
			// local fails: the names are made local in Go, and the
			// interpreter assigns them as declare -g.
			c.printf("s.Local(%s)\n", strings.Join(names, ", "))
			text = global
		}
	}
	if g.nounset && expandsParam(node) {
		// The interpreter's set -u error names the state's line.
		c.printf("s.At(%d)\n", node.Pos().Line())
	}
	c.printf("s.Shell(%s)\n", strconv.Quote(text))
	g.afterCommand(c, true)
}

// localsAsGlobals finds the local declarations of a node the
// interpreter runs for a function (outside nested function
// definitions): the quoted names it declares, and the node's text with
// each local written as declare -g.
func localsAsGlobals(node syntax.Node) (names []string, text string) {
	var decls []*syntax.DeclClause
	syntax.Walk(node, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			return false
		case *syntax.DeclClause:
			if n.Variant.Value == "local" {
				decls = append(decls, n)
				for _, a := range n.Args {
					if a.Name != nil {
						names = append(names, strconv.Quote(a.Name.Value))
					}
				}
			}
		}
		return true
	})
	if len(decls) == 0 {
		return nil, ""
	}
	type saved struct {
		variant string
		args    []*syntax.Assign
	}
	restore := make([]saved, len(decls))
	for i, dc := range decls {
		restore[i] = saved{dc.Variant.Value, dc.Args}
		dc.Variant.Value = "declare"
		dc.Args = append([]*syntax.Assign{{Naked: true, Value: &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: "-g"}}}}}, dc.Args...)
	}
	text = printNode(node)
	for i, dc := range decls {
		dc.Variant.Value, dc.Args = restore[i].variant, restore[i].args
	}
	return names, text
}

// printNode prints a node as shell text.
func printNode(node syntax.Node) string {
	var buf bytes.Buffer
	syntax.NewPrinter().Print(&buf, node)
	return strings.TrimRight(buf.String(), "\n")
}

func nodeKind(node syntax.Node) string {
	switch node.(type) {
	case *syntax.ArithmCmd:
		return "arithmetic command (( ))"
	case *syntax.TestClause:
		return "test clause [[ ]]"
	case *syntax.LetClause:
		return "let"
	case *syntax.CoprocClause:
		return "coproc"
	case *syntax.TimeClause:
		return "time"
	}
	return fmt.Sprintf("%T", node)
}

// ifClause writes if/elif/else. A condition that is one plain command
// goes in the Go if's init statement; others are written before it. In
// the idiomatic stage a test the branches do not read the status of is
// a Go condition, and an if whose status is dead has no else setting it.
func (g *gen) ifClause(c *ctx, ic *syntax.IfClause) {
	dead := c.dead
	saved := c.tailDead
	c.tailDead = false
	if cond, ok := g.boolCond(c, ic); ok {
		c.printf("if %s {\n", cond)
	} else if init, ok := g.simpleCond(c, ic.Cond); ok {
		if init == "" {
			g.ifOn(c, "s.OK()", "")
		} else {
			c.printf("%s\n", condHead(init, "s.OK()"))
		}
	} else {
		g.condStmts(c, ic.Cond)
		g.ifOn(c, "s.OK()", "")
	}
	c.tailDead = saved
	g.nested(c, ic.Then, dead)
	c.lastLine = 0
	switch {
	case ic.Else == nil && dead && g.idiom:
		// Nothing reads the status an if with no arm taken leaves.
		c.printf("}\n")
	case ic.Else == nil:
		// An if with no arm taken has status 0.
		c.printf("} else {\ns.SetStatus(0)\n}\n")
		g.noise(dead)
	case len(ic.Else.Cond) == 0:
		g.elseArm(c, func(c *ctx) { g.nested(c, ic.Else.Then, dead) })
	default:
		g.elseArm(c, func(c *ctx) {
			c.dead = dead
			g.ifClause(c, ic.Else)
			c.unreachable = false
		})
	}
	c.lastLine = 0
}

// noise counts a status placeholder written although dead says nothing
// reads it (the raw stage writes them all).
func (g *gen) noise(dead bool) {
	if dead && !g.idiom {
		g.report.Lowering.Noise++
	}
}

// condHead is the head of a Go if on a condition command: the command
// in the if's init statement, when there is one.
func condHead(init, test string) string {
	if init == "" {
		return "if " + test + " {"
	}
	return "if " + init + "; " + test + " {"
}

// condStmts writes a condition list; set -e is off inside it.
func (g *gen) condStmts(c *ctx, list []*syntax.Stmt) {
	if g.errexit {
		c.printf("s.Cond(%s)\n", g.closure(c, list))
		g.unwind(c)
		return
	}
	g.stmts(c, list)
	if g.mayUnwindList(list) && !g.idiom {
		// (The idiomatic stage's commands each check for themselves.)
		g.unwind(c)
	}
}

// ifOn writes `if TEST {` and then rest, after the condition's code:
// the idiomatic stage takes the condition's last line as the if's init
// statement when it is one simple statement (if s.Test(...); s.OK() {).
func (g *gen) ifOn(c *ctx, test, rest string) {
	if g.idiom {
		code := c.w.String()
		start := strings.LastIndexByte(strings.TrimSuffix(code, "\n"), '\n') + 1
		if stmt, comment, ok := simpleLine(code[start:]); ok && strings.HasSuffix(code, "\n") {
			c.w.Truncate(start)
			c.printf("if %s; %s {%s\n%s", stmt, test, comment, rest)
			return
		}
	}
	c.printf("if %s {\n%s", test, rest)
}

// trimTail drops what does nothing at the end of a Go function body: a
// return, or an unwinding check (its init statement stays).
func (g *gen) trimTail(code string) string {
	if !g.idiom {
		return code
	}
	for {
		switch {
		case strings.HasSuffix(code, "\nreturn\n") || code == "return\n":
			code = strings.TrimSuffix(code, "return\n")
			continue
		case strings.HasSuffix(code, "; s.CheckErrExit() {\nreturn\n}\n"):
			// The check stays (it makes the script exit); the return
			// at the end does nothing.
			start := strings.LastIndex(code[:len(code)-len("; s.CheckErrExit() {\nreturn\n}\n")], "\n") + 1
			if head, ok := strings.CutPrefix(code[start:], "if "); ok {
				if stmt, _, ok := strings.Cut(head, "; s.CheckErrExit() {"); ok {
					return code[:start] + stmt + "\ns.CheckErrExit()\n"
				}
			}
			return code
		case strings.HasSuffix(code, "s.Unwinding() {\nreturn\n}\n"):
			start := strings.LastIndex(code[:len(code)-len("s.Unwinding() {\nreturn\n}\n")], "\n") + 1
			line := code[start:]
			if strings.HasPrefix(line, "if s.Unwinding() {") {
				code = code[:start]
				continue
			}
			if head, ok := strings.CutPrefix(line, "if "); ok {
				if stmt, _, ok := strings.Cut(head, "; s.Unwinding() {"); ok {
					code = code[:start] + stmt + "\n"
					continue
				}
			}
		}
		return code
	}
}

// simpleCond returns the Go statement for a condition that is a single
// plain command which cannot exit, if it is one.
func (g *gen) simpleCond(c *ctx, list []*syntax.Stmt) (string, bool) {
	if len(list) != 1 || g.errexit && !g.condUnchecked(list[0]) {
		return "", false
	}
	st := list[0]
	if _, bash := g.bashStmt(st); bash && g.opts.Bash {
		return "", false
	}
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || len(st.Redirs) > 0 || len(call.Assigns) > 0 || g.mayUnwind(call) {
		return "", false
	}
	sub := c.sub()
	sub.lastLine = c.lastLine
	sub.cond = true
	g.report.Statements++
	g.call(sub, call)
	code := strings.TrimSpace(sub.w.String())
	if strings.Contains(code, "\n") {
		// The command needed more than one Go statement (a review
		// marker, say): write it before the if instead.
		c.printf("%s", sub.w.String())
		if g.idiom {
			return "", true
		}
		return "s.SetStatus(s.Status)", true
	}
	return code, true
}

// whileClause writes while and until loops. The loop's status is the
// last body command's, or 0 when the body never ran; in the idiomatic
// stage it is kept only when something reads it.
func (g *gen) whileClause(c *ctx, wc *syntax.WhileClause) {
	g.noise(c.dead)
	dead := c.dead && g.idiom
	if dead && !g.errexit && len(wc.Cond) == 1 && len(wc.Do) > 0 && g.statusOverwritten(wc.Do[0]) &&
		!(g.nounset && expandsParam(wc.Cond[0])) {
		// A test nothing reads the status of is the Go loop's
		// condition (unless set -u may make it fail: its message
		// names its line).
		l := g.pushLoop(c)
		body := &ctx{w: &bytes.Buffer{}, inFunc: c.inFunc, loops: c.loops, nloops: c.nloops, lineOffset: c.lineOffset}
		if expr, ok := g.testCond(body, wc.Cond[0]); ok && !strings.Contains(body.w.String(), "\n") {
			g.report.Statements++
			if wc.Until {
				expr = "!(" + expr + ")"
			}
			body.tailDead = g.statusOverwritten(wc.Cond[0])
			l.breakDead, l.continueDead = true, body.tailDead
			g.stmts(body, wc.Do)
			c.loops = c.loops[:len(c.loops)-1]
			g.writeLoop(c, l, "for "+expr+" {\n"+body.w.String()+"}\n")
			return
		}
		c.loops = c.loops[:len(c.loops)-1]
		*c.nloops--
	}
	l := g.pushLoop(c)
	body := &ctx{w: &bytes.Buffer{}, inFunc: c.inFunc, loops: c.loops, nloops: c.nloops, lineOffset: c.lineOffset}
	init, ok := g.simpleCond(body, wc.Cond)
	stop := "!s.OK()"
	if wc.Until {
		stop = "s.OK()"
	}
	setStatus := fmt.Sprintf("s.SetStatus(%s)\n", l.status)
	if dead {
		setStatus = ""
	}
	if ok {
		if init == "" {
			g.ifOn(body, stop, setStatus+"break\n}\n")
		} else {
			body.printf("%s\n%sbreak\n}\n", condHead(init, stop), setStatus)
		}
	} else {
		g.condStmts(body, wc.Cond)
		g.ifOn(body, stop, setStatus+"break\n}\n")
	}
	// The body's last status is read by the loop's status (when it is
	// not dead) or by the condition's first command.
	body.tailDead = dead && len(wc.Cond) > 0 && g.statusOverwritten(wc.Cond[0])
	l.breakDead, l.continueDead = dead, g.idiom && len(wc.Cond) > 0 && g.statusOverwritten(wc.Cond[0])
	g.stmts(body, wc.Do)
	if !endsInJump(body.w.String()) && !dead && !body.unreachable {
		body.printf("%s = s.Status\n", l.status)
	}
	c.loops = c.loops[:len(c.loops)-1]
	if !dead {
		c.printf("%s := 0\n", l.status)
	}
	g.writeLoop(c, l, "for {\n"+body.w.String()+"}\n")
}

// endsInJump reports Go code ending in a break or continue, after which
// nothing is reachable.
func endsInJump(code string) bool {
	lines := strings.Split(strings.TrimRight(code, "\n"), "\n")
	last := lines[len(lines)-1]
	return strings.HasPrefix(last, "break ") || strings.HasPrefix(last, "continue ")
}

// forClause writes `for NAME in WORDS` (or in "$@").
func (g *gen) forClause(c *ctx, fc *syntax.ForClause) {
	iter := fc.Loop.(*syntax.WordIter)
	words := "s.Args()"
	if iter.InPos.IsValid() {
		words = g.wordList(c, iter.Items)
		g.atIfUnset(c, fc.Pos().Line(), iter.Items...)
	}
	g.noise(c.dead && !readsStatus(fc))
	dead := c.dead && !readsStatus(fc) && g.idiom
	l := g.pushLoop(c)
	item := strings.Replace(l.status, "status", "item", 1)
	body := &ctx{w: &bytes.Buffer{}, inFunc: c.inFunc, loops: c.loops, nloops: c.nloops, lineOffset: c.lineOffset}
	head := ""
	if v, ok := g.lowered[iter.Name.Value]; ok {
		// The loop assigns the script's variable, which keeps the
		// last word after the loop.
		g.report.Lowering.VarRefsLowered++
		head = fmt.Sprintf("for _, %s = range %s {\n", v, words)
	} else {
		g.keptRef(iter.Name.Value)
		body.printf("s.Set(%q, %s)\n", iter.Name.Value, item)
		head = fmt.Sprintf("for _, %s := range %s {\n", item, words)
	}
	// The body's last status is read by the loop's status (when it is
	// not dead) or by the body's first command, on the next round.
	body.tailDead = dead && len(fc.Do) > 0 && g.statusOverwritten(fc.Do[0])
	l.breakDead, l.continueDead = dead, body.tailDead
	g.stmts(body, fc.Do)
	c.loops = c.loops[:len(c.loops)-1]
	if !dead {
		c.printf("s.SetStatus(0)\n")
	}
	g.writeLoop(c, l, head+body.w.String()+"}\n")
}

// pushLoop starts a native loop, its label and status variable named by
// depth.
func (g *gen) pushLoop(c *ctx) *loop {
	if c.nloops == nil {
		c.nloops = new(int)
	}
	*c.nloops++
	n := *c.nloops
	l := &loop{label: fmt.Sprintf("loop%d", n), status: fmt.Sprintf("status%d", n)}
	c.loops = append(c.loops, l)
	return l
}

// writeLoop writes the loop, labelled when a break or continue uses the
// label.
func (g *gen) writeLoop(c *ctx, l *loop, code string) {
	if l.labelUsed {
		c.printf("%s:\n", l.label)
	}
	c.printf("%s", code)
	c.lastLine = 0
}

// caseClause writes case as a Go switch on the word.
func (g *gen) caseClause(c *ctx, cc *syntax.CaseClause) {
	if g.typedCase(c, cc) { // lowertypes.go
		return
	}
	caseDead := c.dead
	dead := caseDead && g.idiom
	g.atIfUnset(c, cc.Word.Pos().Line(), cc.Word)
	word := g.stringWord(c, cc.Word)
	if g.idiom && len(cc.Items) == 1 && cc.Items[0].Op != syntax.Fallthrough && g.caseIf(c, word, cc.Items[0], caseDead) {
		return
	}
	c.printf("switch word := %s; {\n", word)
	hasDefault := false
	for _, item := range cc.Items {
		var conds []string
		for _, p := range item.Patterns {
			if g.nocase {
				if l, isLit := onlyLit(p); isLit && l == "*" {
					conds = append(conds, "true")
				} else {
					conds = append(conds, fmt.Sprintf("s.CaseMatch(%s, word)", g.patternWord(c, p)))
				}
				continue
			}
			if lit, ok := plainLiteral(p); ok {
				if l, isLit := onlyLit(p); isLit && l == "*" {
					conds = append(conds, "true")
					continue
				}
				if !strings.ContainsAny(lit, "*?[\\") {
					conds = append(conds, fmt.Sprintf("word == %q", lit))
					continue
				}
			}
			conds = append(conds, fmt.Sprintf("shellrun.Match(%s, word)", g.patternWord(c, p)))
		}
		if len(conds) == 1 && conds[0] == "true" {
			hasDefault = true
			c.printf("default:\n")
		} else {
			c.printf("case %s:\n", strings.Join(conds, ", "))
		}
		c.lastLine = 0
		if len(item.Stmts) == 0 && !dead {
			c.printf("s.SetStatus(0)\n")
			g.noise(caseDead)
		}
		g.nested(c, item.Stmts, caseDead)
		if item.Op == syntax.Fallthrough {
			c.printf("fallthrough\n")
		}
	}
	if !hasDefault && !dead {
		c.printf("default:\ns.SetStatus(0)\n")
		g.noise(caseDead)
	}
	c.printf("}\n")
	c.lastLine = 0
}

// onlyLit returns the text of a word that is one unquoted literal.
func onlyLit(w *syntax.Word) (string, bool) {
	if len(w.Parts) != 1 {
		return "", false
	}
	lit, ok := w.Parts[0].(*syntax.Lit)
	if !ok {
		return "", false
	}
	return lit.Value, true
}

// binary writes && and || lists and pipelines.
func (g *gen) binary(c *ctx, bc *syntax.BinaryCmd) {
	switch bc.Op {
	case syntax.AndStmt, syntax.OrStmt:
		if g.testRun(c, bc) {
			return
		}
		// && and || read the left side's status; the right side's is
		// the list's.
		dead := c.dead
		c.dead = false
		g.condOperand(c, bc.X)
		c.dead = dead
		test := "s.OK()"
		if bc.Op == syntax.OrStmt {
			test = "!s.OK()"
		}
		g.ifOn(c, test, "")
		if call, ok := bc.Y.Cmd.(*syntax.CallExpr); ok && g.idiom && bc.Op == syntax.AndStmt && len(call.Args) == 0 && len(bc.Y.Redirs) == 0 && !bc.Y.Negated {
			c.zero = true
		}
		g.stmt(c, bc.Y)
		c.zero = false
		c.unreachable = false
		c.printf("}\n")
		c.lastLine = 0
	case syntax.Pipe, syntax.PipeAll:
		var stages []string
		for _, st := range pipeStages(bc) {
			stages = append(stages, g.forkClosure(c, st, []*syntax.Stmt{st}))
		}
		c.printf("s.Pipe(\n%s,\n)\n", strings.Join(stages, ",\n"))
		g.afterCommand(c, false)
	}
}

// condOperand writes the left side of && or ||: set -e does not apply
// to it.
func (g *gen) condOperand(c *ctx, st *syntax.Stmt) {
	if g.errexit && g.condUnchecked(st) {
		c.cond = true
		g.stmt(c, st)
		c.cond = false
		return
	}
	if g.errexit {
		c.printf("s.Cond(%s)\n", g.closure(c, []*syntax.Stmt{st}))
		g.unwind(c)
		return
	}
	g.stmt(c, st)
}

// pipeStages flattens a pipeline.
func pipeStages(bc *syntax.BinaryCmd) []*syntax.Stmt {
	var stages []*syntax.Stmt
	if x, ok := bc.X.Cmd.(*syntax.BinaryCmd); ok && (x.Op == syntax.Pipe || x.Op == syntax.PipeAll) && !bc.X.Negated && len(bc.X.Redirs) == 0 {
		stages = append(stages, pipeStages(x)...)
	} else {
		stages = append(stages, bc.X)
	}
	return append(stages, bc.Y)
}

// funcDecl writes a shell function as a Go function, and its definition
// (at the point the script defines it) as s.Define.
func (g *gen) funcDecl(c *ctx, fd *syntax.FuncDecl) {
	name := g.funcNames[fd.Name.Value]
	body := &ctx{w: &bytes.Buffer{}, inFunc: true, lineOffset: c.lineOffset}
	if g.idiom {
		// The function's own Go variables replace the top level's
		// while its body is written.
		savedDef := g.defLine
		g.defLine = int(fd.Pos().Line())
		defer func() { g.defLine = savedDef }()
		savedLowered, savedLocal := g.lowered, g.inLocalFunc
		g.lowered, g.inLocalFunc = map[string]string{}, true
		for name, v := range g.funcLowered[fd] {
			g.lowered[name] = v
		}
		for name, v := range g.funcGlobals[fd] {
			g.lowered[name] = v
		}
		body.printf("%s", declareFuncGlobals(g.funcGlobals[fd]))
		g.stmt(body, fd.Body)
		g.lowered, g.inLocalFunc = savedLowered, savedLocal
	} else {
		g.stmt(body, fd.Body)
	}
	from, to := int(fd.Pos().Line())+c.lineOffset, int(fd.End().Line())+c.lineOffset
	doc := fmt.Sprintf("// %s is the shell function %s (%s:%d-%d).\n", name, fd.Name.Value, g.opts.Name, from, to)
	decl := fmt.Sprintf("%sfunc %s(s *shellrun.State) {\n%s}\n", doc, name, g.trimTail(body.w.String()))
	// A function defined twice (in two arms of an if, say) gets two Go
	// functions; the second takes a numbered name.
	if g.declared(name) {
		name = fmt.Sprintf("%s%d", name, from)
		decl = strings.Replace(decl, "func "+g.funcNames[fd.Name.Value]+"(", "func "+name+"(", 1)
		decl = strings.Replace(decl, "// "+g.funcNames[fd.Name.Value]+" is", "// "+name+" is", 1)
	}
	g.decls = append(g.decls, decl)
	c.printf("s.Define(%q, %s)\n", fd.Name.Value, name)
	if g.opts.Bash {
		// Statements the interpreter runs call the function as shell,
		// so that its assignments reach them.
		c.printf("s.FuncSource(%q, %s)\n", fd.Name.Value, strconv.Quote(printNode(fd)))
	}
}

func (g *gen) declared(name string) bool {
	for _, d := range g.decls {
		if strings.Contains(d, "\nfunc "+name+"(") {
			return true
		}
	}
	return false
}

// declClause writes local, export, readonly and declare.
func (g *gen) declClause(c *ctx, dc *syntax.DeclClause) {
	method := map[string]string{"local": "Local", "export": "Export", "readonly": "Readonly"}[dc.Variant.Value]
	if method == "" {
		g.interpreted(c, dc, dc.Variant.Value+" is bash")
		return
	}
	var args, lowered []string
	for _, a := range dc.Args {
		if v, ok := g.lowered[nameOf(a)]; ok && method == "Local" && g.inLocalFunc {
			// The function's own variable, as a Go local: it starts
			// with the value of the variable it hides, as in dash.
			value := g.localStart(a.Name.Value)
			if a.Value != nil {
				value = g.stringWord(c, a.Value)
			}
			g.report.Lowering.VarRefsLowered++
			c.printf("%s := %s\n", v, value)
			lowered = append(lowered, a.Name.Value)
			continue
		}
		switch {
		case a.Naked && a.Name != nil:
			args = append(args, strconv.Quote(a.Name.Value))
		case a.Naked && a.Value != nil:
			args = append(args, g.stringWord(c, a.Value))
		case a.Name != nil && a.Value != nil:
			args = append(args, fmt.Sprintf("%q + %s", a.Name.Value+"=", g.stringWord(c, a.Value)))
		case a.Name != nil:
			args = append(args, strconv.Quote(a.Name.Value+"="))
		}
	}
	bindLocals(c, lowered, g.lowered)
	if len(lowered) > 0 && len(args) == 0 {
		if !c.dead {
			c.printf("s.SetStatus(0)\n") // local's status
		}
		return
	}
	c.printf("s.%s(%s)\n", method, strings.Join(args, ", "))
	g.afterCommand(c, false)
}

// nameOf is the variable a declaration argument names, or "".
func nameOf(a *syntax.Assign) string {
	if a.Name != nil {
		return a.Name.Value
	}
	return ""
}

// goName turns a shell function name into a Go identifier.
func goName(shell string, exported bool) string {
	var sb strings.Builder
	upper := exported
	for _, r := range shell {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = sb.Len() > 0 || exported
			continue
		}
		if sb.Len() == 0 && unicode.IsDigit(r) {
			sb.WriteString("fn")
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		sb.WriteRune(r)
	}
	name := sb.String()
	if name == "" {
		name = "fn"
	}
	if goKeywords[name] || goPredeclared[name] {
		name += "Fn"
	}
	return name
}

var goKeywords = setOf("break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
	"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select",
	"struct", "switch", "type", "var")

var goPredeclared = setOf("append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
	"max", "min", "new", "panic", "print", "println", "real", "recover", "bool", "byte", "error", "int", "string",
	"true", "false", "nil", "iota", "any", "shellrun", "io", "slices", "strconv", "word")

func setOf(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}
