package shellparse

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// walkCtx is where a command runs: which function, and inside which
// constructs that repeat it or fork for it.
type walkCtx struct {
	fn                                  string
	loop, pipeline, subst, subshell, bg bool
	via                                 []string
	// fork carries the forks of enclosing constructs that no program
	// absorbs; the next invocation recorded takes them on.
	fork *int
	// at, when set, replaces positions: commands parsed out of eval or
	// trap text are reported where that text is.
	at *posMap
}

// posMap maps positions in a parsed string onto the word holding it.
type posMap struct{ line, col int }

func (m *posMap) pos(p syntax.Pos) (int, int) {
	if m == nil {
		return int(p.Line()), int(p.Col())
	}
	if p.Line() == 1 {
		return m.line, m.col + int(p.Col()) - 1
	}
	return m.line + int(p.Line()) - 1, int(p.Col())
}

// forked returns the context inside a construct that runs in a child
// process. When the construct's last command is a program, the shell execs
// it in that child and the fork costs nothing extra.
func (c walkCtx) forked(absorbed bool) walkCtx {
	pending := 0
	if c.fork != nil {
		pending, *c.fork = *c.fork, 0
	}
	if !absorbed {
		pending++
	}
	c.fork = &pending
	return c
}

func (c walkCtx) through(wrapper string) walkCtx {
	c.via = append(append([]string(nil), c.via...), wrapper)
	return c
}

// walker collects the invocations of one file.
type walker struct {
	file    *fileInfo
	scanner *Scanner
	scope   *scope
	invs    []*Invocation
	srcs    []*Source
	// findings are those of dynamic commands and eval or trap text.
	findings []*Finding
}

func (w *walker) stmts(list []*syntax.Stmt, c walkCtx) {
	for _, s := range list {
		w.stmt(s, c)
	}
}

func (w *walker) stmt(s *syntax.Stmt, c walkCtx) {
	if s == nil {
		return
	}
	if s.Background {
		c.bg = true
		c = c.forked(!s.Negated && w.execsCmd(s.Cmd))
	}
	for _, r := range s.Redirs {
		w.word(r.Word, c)
		w.word(r.Hdoc, c)
	}
	w.command(s.Cmd, c)
}

func (w *walker) command(cmd syntax.Command, c walkCtx) {
	switch x := cmd.(type) {
	case nil:
	case *syntax.CallExpr:
		for _, a := range x.Assigns {
			w.assign(a, c)
		}
		w.call(x.Args, c)
	case *syntax.IfClause:
		for ; x != nil; x = x.Else {
			w.stmts(x.Cond, c)
			w.stmts(x.Then, c)
		}
	case *syntax.WhileClause:
		c.loop = true
		w.stmts(x.Cond, c)
		w.stmts(x.Do, c)
	case *syntax.ForClause:
		w.node(x.Loop, c)
		c.loop = true
		w.stmts(x.Do, c)
	case *syntax.CaseClause:
		w.word(x.Word, c)
		for _, item := range x.Items {
			for _, p := range item.Patterns {
				w.word(p, c)
			}
			w.stmts(item.Stmts, c)
		}
	case *syntax.Block:
		w.stmts(x.Stmts, c)
	case *syntax.Subshell:
		c.subshell = true
		w.forkedStmts(x.Stmts, c)
	case *syntax.BinaryCmd:
		if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
			w.pipelineElem(x.X, c)
			w.pipelineElem(x.Y, c)
			return
		}
		w.stmt(x.X, c)
		w.stmt(x.Y, c)
	case *syntax.FuncDecl:
		// The body runs where the function is called, not here.
		w.stmt(x.Body, walkCtx{fn: strings.Join(funcDeclNames(x), ","), at: c.at})
	case *syntax.DeclClause:
		w.record(x.Variant.Value, x.Variant.Pos(), c, KindBuiltin)
		for _, a := range x.Args {
			w.assign(a, c)
		}
	case *syntax.LetClause:
		w.record("let", x.Let, c, KindBuiltin)
		w.node(x, c)
	case *syntax.TimeClause:
		w.stmt(x.Stmt, c)
	case *syntax.CoprocClause:
		c.bg = true
		w.stmt(x.Stmt, c.forked(w.execs(x.Stmt)))
	default:
		// [[ ]], (( )) and anything newer: only words inside.
		w.node(cmd, c)
	}
}

// pipelineElem walks one element of a pipeline: each runs in its own
// process, which a program element execs into.
func (w *walker) pipelineElem(s *syntax.Stmt, c walkCtx) {
	if b, ok := s.Cmd.(*syntax.BinaryCmd); ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll) && len(s.Redirs) == 0 {
		w.pipelineElem(b.X, c)
		w.pipelineElem(b.Y, c)
		return
	}
	c.pipeline = true
	if sub, ok := s.Cmd.(*syntax.Subshell); ok && !s.Negated && !s.Background {
		for _, r := range s.Redirs {
			w.word(r.Word, c)
			w.word(r.Hdoc, c)
		}
		w.forkedStmts(sub.Stmts, c)
		return
	}
	w.stmt(s, c.forked(w.execs(s)))
}

// forkedStmts walks the body of a construct that runs in a child process.
// A subshell that is the whole body does not fork again (the shell runs it
// in the child it already has), and a program that ends the body is
// exec'd in that child.
func (w *walker) forkedStmts(list []*syntax.Stmt, c walkCtx) {
	for len(list) == 1 && len(list[0].Redirs) == 0 && !list[0].Negated && !list[0].Background {
		sub, ok := list[0].Cmd.(*syntax.Subshell)
		if !ok {
			break
		}
		c.subshell = true
		list = sub.Stmts
	}
	w.stmts(list, c.forked(w.lastExecs(list)))
}

func (w *walker) assign(a *syntax.Assign, c walkCtx) {
	if a.Value != nil {
		w.word(a.Value, c)
	}
	if a.Array != nil {
		w.node(a.Array, c)
	}
	if a.Index != nil {
		w.node(a.Index, c)
	}
}

func (w *walker) word(word *syntax.Word, c walkCtx) {
	if word != nil {
		w.node(word, c)
	}
}

// node walks the words under n, descending into command and process
// substitutions as forked constructs.
func (w *walker) node(n syntax.Node, c walkCtx) {
	if n == nil {
		return
	}
	syntax.Walk(n, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CmdSubst:
			sc := c
			sc.subst = true
			w.forkedStmts(x.Stmts, sc)
			return false
		case *syntax.ProcSubst:
			sc := c
			sc.subst = true
			w.forkedStmts(x.Stmts, sc)
			return false
		}
		return true
	})
}

// lastExecs reports whether a forked list ends in a program the shell
// execs in the forked process itself.
func (w *walker) lastExecs(list []*syntax.Stmt) bool {
	return len(list) > 0 && w.execs(list[len(list)-1])
}

// execs reports whether s is a simple command, or an && / || chain ending
// in one, that runs a program (git, external or dynamic).
func (w *walker) execs(s *syntax.Stmt) bool {
	return s != nil && !s.Negated && !s.Background && w.execsCmd(s.Cmd)
}

func (w *walker) execsCmd(cmd syntax.Command) bool {
	switch x := cmd.(type) {
	case *syntax.CallExpr:
		if len(x.Args) == 0 {
			return false
		}
		name, ok := literal(x.Args[0])
		if !ok {
			return true
		}
		if name == "exec" || name == "command" || name == "env" {
			return len(x.Args) > 1
		}
		k := w.scope.kind(name)
		return k == KindGit || k == KindExternal
	case *syntax.BinaryCmd:
		if x.Op == syntax.AndStmt || x.Op == syntax.OrStmt {
			return w.execs(x.Y)
		}
	}
	return false
}

// call handles a simple command: it unwraps wrappers (command, builtin,
// exec, env), audits static eval and trap text, and records what runs.
func (w *walker) call(args []*syntax.Word, c walkCtx) {
	for _, a := range args {
		w.word(a, c)
	}
	for len(args) > 0 {
		name, ok := literal(args[0])
		if !ok {
			w.recordDynamic(args[0], c)
			return
		}
		switch name {
		case "command", "builtin":
			rest := skipOptions(args[1:], nil)
			if name == "command" && len(rest) < len(args)-1 && lookupOnly(args[1:len(args)-len(rest)]) {
				w.record(name, args[0].Pos(), c, KindBuiltin)
				return
			}
			if len(rest) == 0 {
				w.record(name, args[0].Pos(), c, KindBuiltin)
				return
			}
			args, c = rest, c.through(name)
			continue
		case "exec":
			rest := skipOptions(args[1:], map[string]bool{"-a": true})
			if len(rest) == 0 {
				w.record(name, args[0].Pos(), c, KindBuiltin)
				return
			}
			args, c = rest, c.through(name)
			continue
		case "env":
			rest := skipEnvArgs(args[1:])
			if len(rest) == 0 {
				w.record(name, args[0].Pos(), c, w.scope.kind(name))
				return
			}
			args, c = rest, c.through(name)
			continue
		case "eval":
			if !allStatic(args[1:]) {
				w.recordDynamic(args[0], c)
				return
			}
			w.record(name, args[0].Pos(), c, KindBuiltin)
			w.evalText(args[1:], c.through("eval"))
			return
		case "trap":
			w.record(name, args[0].Pos(), c, KindBuiltin)
			if len(args) > 2 && allStatic(args[1:2]) {
				w.evalText(args[1:2], c.through("trap"))
			}
			return
		case ".", "source":
			w.record(name, args[0].Pos(), c, KindBuiltin)
			if len(args) > 1 {
				w.source(args[1], c)
			}
			return
		}
		inv := w.record(name, args[0].Pos(), c, w.scope.kind(name))
		if inv.Kind == KindGit {
			parseGitArgs(inv, args[1:])
		}
		return
	}
}

// lookupOnly reports whether `command` options ask for a lookup (-v, -V)
// instead of running the command.
func lookupOnly(opts []*syntax.Word) bool {
	for _, o := range opts {
		if s, _ := literal(o); strings.ContainsAny(s, "vV") {
			return true
		}
	}
	return false
}

// skipOptions drops leading literal options (and the arguments of those
// in withArg) up to and including "--".
func skipOptions(args []*syntax.Word, withArg map[string]bool) []*syntax.Word {
	for len(args) > 0 {
		s, ok := literal(args[0])
		if !ok || !strings.HasPrefix(s, "-") || s == "-" {
			break
		}
		args = args[1:]
		if s == "--" {
			break
		}
		if withArg[s] && len(args) > 0 {
			args = args[1:]
		}
	}
	return args
}

// skipEnvArgs drops env's options and NAME=VALUE words.
func skipEnvArgs(args []*syntax.Word) []*syntax.Word {
	for len(args) > 0 {
		s, ok := literal(args[0])
		if !ok {
			// A NAME=$value word is still an assignment.
			if lit, ok := args[0].Parts[0].(*syntax.Lit); ok && strings.Contains(lit.Value, "=") {
				args = args[1:]
				continue
			}
			break
		}
		switch {
		case s == "-u" || s == "--unset" || s == "-C" || s == "--chdir":
			args = args[1:]
			if len(args) > 0 {
				args = args[1:]
			}
			continue
		case strings.HasPrefix(s, "-") || strings.Contains(s, "="):
			args = args[1:]
			continue
		}
		break
	}
	return args
}

// allStatic reports whether every word is static text.
func allStatic(words []*syntax.Word) bool {
	for _, w := range words {
		if _, ok := literal(w); !ok {
			return false
		}
	}
	return true
}

// evalText audits the static text that eval or trap runs, parsed as shell
// and reported at the place the text is written.
func (w *walker) evalText(args []*syntax.Word, c walkCtx) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i], _ = literal(a)
	}
	text := strings.Join(parts, " ")
	if len(args) == 0 || strings.TrimSpace(text) == "" || text == "-" {
		return
	}
	line, col := c.at.pos(args[0].Pos())
	f, err := Parse(w.file.path, []byte(text), w.file.lang)
	if err != nil {
		w.findings = append(w.findings, &Finding{Rule: RuleDynamicCommand, File: w.file.path, Line: line, Col: col,
			Message: "static " + c.via[len(c.via)-1] + " text does not parse: " + err.Error()})
		return
	}
	// Quoted text starts one column after its opening quote.
	if _, bare := args[0].Parts[0].(*syntax.Lit); !bare {
		col++
	}
	c.at = &posMap{line: line, col: col}
	w.stmts(f.Stmts, c)
}

func (w *walker) record(name string, pos syntax.Pos, c walkCtx, kind Kind) *Invocation {
	line, col := c.at.pos(pos)
	inv := &Invocation{
		Line: line, Col: col, Func: c.fn, Kind: kind, Name: name,
		Via:    c.via,
		InLoop: c.loop, InPipeline: c.pipeline, InSubst: c.subst,
		InSubshell: c.subshell, InBackground: c.bg,
	}
	// A dynamic name usually runs a program; a dynamic eval may run
	// anything, so its cost is left unknown (0).
	if kind == KindGit || kind == KindExternal || (kind == KindDynamic && name != "eval") {
		inv.Spawns = 1
	}
	if c.fork != nil {
		inv.Spawns += *c.fork
		*c.fork = 0
	}
	w.invs = append(w.invs, inv)
	return inv
}

func (w *walker) recordDynamic(word *syntax.Word, c walkCtx) {
	inv := w.record(printWord(word), word.Pos(), c, KindDynamic)
	what := "command name is not a literal: " + inv.Name
	if inv.Name == "eval" {
		what = "eval of text that is not a literal"
	}
	w.findings = append(w.findings, &Finding{Rule: RuleDynamicCommand, File: w.file.path,
		Line: inv.Line, Col: inv.Col, Message: what})
}
