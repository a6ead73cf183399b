package shellrun

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// The interpreter gets two bash expansions wrong: the anchored
// replacements ${x/#pat/rep} and ${x/%pat/rep} (it replaces anywhere)
// and the length of an associative array ${#m[@]} (it says 1).
// rewriteExpansions turns each into statements it runs right, run just
// before the statement that uses it:
//
//	${x/#p/r}  if [[ ${x} == p* ]]; then T=r${x##p}; else T=${x}; fi   ... ${T}
//	${x/%p/r}  if [[ ${x} == *p ]]; then T=${x%%p}r; else T=${x}; fi   ... ${T}
//	${#m[@]}   T=("${m[@]}")                                           ... ${#T[@]}
//
// where T is a variable named _kiln_xN. A statement that reads $? keeps
// the status it would have seen.
func rewriteExpansions(f *syntax.File) error {
	n := 0
	var err error
	var visit func(st *syntax.Stmt)
	visit = func(st *syntax.Stmt) {
		// Inner statements first: a command substitution's own
		// statements take what is theirs.
		syntax.Walk(st.Cmd, func(node syntax.Node) bool {
			if inner, ok := node.(*syntax.Stmt); ok && inner != st {
				visit(inner)
				return false
			}
			return true
		})
		var pre []string
		readsStatus := false
		rewriteParts(st, func(pe *syntax.ParamExp) *syntax.ParamExp {
			if err != nil {
				return nil
			}
			if pe.Param.Value == "?" {
				readsStatus = true
			}
			text, tmp, length, e := rewriteOne(pe, &n)
			if e != nil {
				err = e
			}
			if text == "" {
				return nil
			}
			pre = append(pre, text)
			out := &syntax.ParamExp{Param: &syntax.Lit{Value: tmp}}
			if length {
				out.Length = true
				out.Index = &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: "@"}}}
			}
			return out
		})
		if len(pre) == 0 {
			return
		}
		src := strings.Join(pre, "\n")
		if readsStatus {
			src = "_kiln_status=$?\n" + src + "\n(exit $_kiln_status)"
		}
		parsed, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
		if perr != nil {
			err = perr
			return
		}
		orig := *st
		st.Cmd = &syntax.Block{Lbrace: st.Pos(), Rbrace: st.End(), Stmts: append(parsed.Stmts, &orig)}
		st.Redirs, st.Negated, st.Background, st.Coprocess = nil, false, false, false
	}
	for _, st := range f.Stmts {
		visit(st)
	}
	return err
}

// rewriteParts replaces, in the words of a statement (not in its inner
// statements), each parameter expansion repl gives a replacement for.
func rewriteParts(st *syntax.Stmt, repl func(*syntax.ParamExp) *syntax.ParamExp) {
	var parts func(list []syntax.WordPart)
	parts = func(list []syntax.WordPart) {
		for i, p := range list {
			switch p := p.(type) {
			case *syntax.ParamExp:
				if r := repl(p); r != nil {
					list[i] = r
				}
			case *syntax.DblQuoted:
				parts(p.Parts)
			}
		}
	}
	syntax.Walk(st, func(node syntax.Node) bool {
		switch n := node.(type) {
		case *syntax.Stmt:
			return n == st
		case *syntax.Word:
			parts(n.Parts)
		case *syntax.CmdSubst, *syntax.ProcSubst:
			return false
		}
		return true
	})
}

// rewriteOne returns the statement computing a replaced expansion, the
// temporary variable's name and whether the expansion is its length; ""
// when pe is not one the interpreter gets wrong.
func rewriteOne(pe *syntax.ParamExp, n *int) (text, tmp string, length bool, err error) {
	base := printExpansion(&syntax.ParamExp{Param: pe.Param, Index: pe.Index})
	if isPromptExp(pe) {
		// ${x@P}: kiln:prompt prints the expansion and a dot, kept
		// off by the $(...) that would strip trailing newlines.
		*n++
		tmp = fmt.Sprintf("_kiln_x%d", *n)
		return fmt.Sprintf(`%s=$(%s "%s"); %s=${%s%%.}`, tmp, promptCmd, base, tmp, tmp), tmp, false, nil
	}
	if pe.Length && isAllIndex(pe.Index) {
		*n++
		tmp = fmt.Sprintf("_kiln_x%d", *n)
		return fmt.Sprintf(`%s=("${%s[@]}")`, tmp, pe.Param.Value), tmp, true, nil
	}
	if pe.Repl == nil || pe.Repl.Orig == nil || len(pe.Repl.Orig.Parts) == 0 || isAllIndex(pe.Index) || pe.Excl {
		return "", "", false, nil
	}
	first, ok := pe.Repl.Orig.Parts[0].(*syntax.Lit)
	if !ok || first.Value == "" || (first.Value[0] != '#' && first.Value[0] != '%') {
		return "", "", false, nil
	}
	anchor := first.Value[0]
	pat := &syntax.Word{Parts: append([]syntax.WordPart{}, pe.Repl.Orig.Parts...)}
	if rest := first.Value[1:]; rest == "" {
		pat.Parts = pat.Parts[1:]
	} else {
		pat.Parts[0] = &syntax.Lit{Value: rest}
	}
	patText := patternText(pat)
	if strings.HasPrefix(patText, "~") {
		patText = `\` + patText // a pattern is not tilde-expanded
	}
	with := ""
	if pe.Repl.With != nil {
		with = printExpansion(pe.Repl.With)
	}
	*n++
	tmp = fmt.Sprintf("_kiln_x%d", *n)
	inner := strings.TrimSuffix(strings.TrimPrefix(base, "${"), "}")
	if anchor == '#' {
		text = fmt.Sprintf(`if [[ %s == %s* ]]; then %s=%s${%s##%s}; else %s=%s; fi`, base, patText, tmp, with, inner, patText, tmp, base)
	} else {
		text = fmt.Sprintf(`if [[ %s == *%s ]]; then %s=${%s%%%%%s}%s; else %s=%s; fi`, base, patText, tmp, inner, patText, with, tmp, base)
	}
	return text, tmp, false, nil
}

func isAllIndex(index syntax.ArithmExpr) bool {
	w, ok := index.(*syntax.Word)
	if !ok {
		return false
	}
	lit, _ := literal(w)
	return lit == "@" || lit == "*"
}

// printExpansion prints a word or expansion as shell text.
func printExpansion(node syntax.Node) string {
	if w, ok := node.(*syntax.Word); ok && len(w.Parts) == 0 {
		return ""
	}
	var b strings.Builder
	syntax.NewPrinter().Print(&b, node)
	return b.String()
}

// rewriteBash adapts a bash file for the interpreter: printf -v, and
// the expansions it gets wrong; shopt nocasematch where the file sets
// it, or where nocase says the script did.
func rewriteBash(f *syntax.File, nocase bool) error {
	if nocase || mentionsNocasematch(f) {
		if err := rewriteNocasematch(f); err != nil {
			return err
		}
	}
	// In this order: each rewrite sees the text the ones before left.
	for _, rewrite := range []func(*syntax.File) error{
		rewritePrintfV, rewriteReadElements, rewritePipeJobs, rewriteGetopts,
		rewriteJobs, rewriteCStyleLoops, rewriteSubstErrexit, rewriteExpansions,
	} {
		if err := rewrite(f); err != nil {
			return err
		}
	}
	return nil
}

// NeedsRewrite reports an expansion the interpreter gets wrong that
// rewriteExpansions rewrites: ${x/#p/r}, ${x/%p/r}, ${#a[@]}. The
// statement using one must run through the interpreter, rewritten.
func NeedsRewrite(node syntax.Node) bool {
	found := false
	syntax.Walk(node, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok {
			n := 0
			if text, _, _, _ := rewriteOne(pe, &n); text != "" {
				found = true
			}
		}
		return !found
	})
	return found
}

// patternText prints a pattern word, its quoted literal parts as
// backslash-escaped text: the interpreter reads quoted glob characters
// inside ${x##"*"} as glob characters.
func patternText(w *syntax.Word) string {
	var b strings.Builder
	escape := func(lit string) {
		for _, c := range lit {
			if strings.ContainsRune(`*?[]\\'"$`+"`"+` ~!(){}|&;<>#`, c) {
				b.WriteByte('\\')
			}
			b.WriteRune(c)
		}
	}
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.SglQuoted:
			if !p.Dollar {
				escape(p.Value)
				continue
			}
		case *syntax.DblQuoted:
			if lit, ok := literal(&syntax.Word{Parts: p.Parts}); ok {
				escape(lit)
				continue
			}
		}
		b.WriteString(printExpansion(&syntax.Word{Parts: []syntax.WordPart{p}}))
	}
	return b.String()
}

// rewriteReadElements turns `read ... 'a[$k]' ...`, which the
// interpreter refuses (it reads only into names), into a read into
// temporary names followed by the element assignments, keeping read's
// status.
func rewriteReadElements(f *syntax.File) error {
	n := 0
	return walkStmts(f, func(st *syntax.Stmt) (bool, error) {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true, nil
		}
		if name, _ := literal(call.Args[0]); name != "read" {
			return true, nil
		}
		var assigns []string
		for i, a := range call.Args[1:] {
			text, ok := literal(a)
			if !ok || !strings.Contains(text, "[") || strings.HasPrefix(text, "-") {
				continue
			}
			if prev, _ := literal(call.Args[i]); len(prev) == 2 && strings.Contains("-a-d-n-N-p-t-u-i", prev) {
				continue // an option's value
			}
			n++
			tmp := fmt.Sprintf("_kiln_read%d", n)
			assigns = append(assigns, fmt.Sprintf(`%s="$%s"`, text, tmp))
			call.Args[i+1] = &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: tmp}}}
		}
		if len(assigns) == 0 {
			return true, nil
		}
		src := "_kiln_status=$?\n" + strings.Join(assigns, "\n") + "\n(exit $_kiln_status)"
		parsed, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
		if perr != nil {
			return false, fmt.Errorf("%s: read into %s: %v", call.Pos(), strings.Join(assigns, " "), perr)
		}
		orig := *st
		st.Cmd = &syntax.Block{Lbrace: st.Pos(), Rbrace: st.End(), Stmts: append([]*syntax.Stmt{&orig}, parsed.Stmts...)}
		st.Redirs, st.Negated, st.Background, st.Coprocess = nil, false, false, false
		if orig.Negated {
			st.Negated = true
			orig.Negated = false
		}
		return false, nil
	})
}

// rewritePipeJobs makes a pipeline stage that starts background jobs
// wait for them before it ends: in bash the jobs keep the pipe open, so
// the next stage reads what they write; the interpreter closes it when
// the stage's own commands end. The stage keeps its status.
func rewritePipeJobs(f *syntax.File) error {
	var err error
	syntax.Walk(f, func(node syntax.Node) bool {
		if cs, ok := node.(*syntax.CmdSubst); ok && err == nil && startsJobsIn(&syntax.File{Stmts: cs.Stmts}) {
			// $(...) reads until its jobs are done too.
			parsed, perr := syntax.NewParser().Parse(strings.NewReader("_kiln_status=$?\nwait\n(exit $_kiln_status)"), "")
			if perr != nil {
				err = perr
				return false
			}
			cs.Stmts = append(cs.Stmts, parsed.Stmts...)
			return true
		}
		bc, ok := node.(*syntax.BinaryCmd)
		if !ok || (bc.Op != syntax.Pipe && bc.Op != syntax.PipeAll) || err != nil {
			return err == nil
		}
		for _, st := range []*syntax.Stmt{bc.X, bc.Y} {
			if _, pipe := st.Cmd.(*syntax.BinaryCmd); pipe || !startsJobs(st) {
				continue
			}
			parsed, perr := syntax.NewParser().Parse(strings.NewReader("_kiln_status=$?\nwait\n(exit $_kiln_status)"), "")
			if perr != nil {
				err = perr
				return false
			}
			orig := *st
			st.Cmd = &syntax.Block{Lbrace: st.Pos(), Rbrace: st.End(), Stmts: append([]*syntax.Stmt{&orig}, parsed.Stmts...)}
			st.Redirs, st.Negated, st.Background, st.Coprocess = nil, false, false, false
			if orig.Negated {
				st.Negated, orig.Negated = true, false
			}
		}
		return true
	})
	return err
}

// startsJobs reports a background job in a statement, outside command
// substitutions and subshells of its own.
func startsJobs(st *syntax.Stmt) bool {
	found := false
	syntax.Walk(st.Cmd, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			if n.Background {
				found = true
			}
		case *syntax.CmdSubst, *syntax.ProcSubst, *syntax.Subshell:
			return false
		}
		return !found
	})
	return found
}

// startsJobsIn reports a background job in a file's statements.
func startsJobsIn(f *syntax.File) bool {
	for _, st := range f.Stmts {
		if st.Background || startsJobs(st) {
			return true
		}
	}
	return false
}

// getoptsCmd is the internal command serving getopts for the
// interpreter, whose own getopts loses its place after a cluster of
// options (-bq --): `eval "$(kiln:getopts POS IND OPTSTRING NAME ARGS...)"`
// prints the assignments getopts makes and ends with its status.
const getoptsCmd = "kiln:getopts"

// rewriteGetopts turns each getopts call into the eval of what
// getoptsCmd prints, its place kept in _kiln_optpos and _kiln_optind.
func rewriteGetopts(f *syntax.File) error {
	var err error
	syntax.Walk(f, func(node syntax.Node) bool {
		call, ok := node.(*syntax.CallExpr)
		if !ok || len(call.Args) < 3 || err != nil {
			return err == nil
		}
		if name, _ := literal(call.Args[0]); name != "getopts" {
			return true
		}
		var rest strings.Builder
		printer := syntax.NewPrinter()
		for _, w := range call.Args[1:] {
			rest.WriteByte(' ')
			printer.Print(&rest, w)
		}
		if len(call.Args) == 3 {
			rest.WriteString(` "$@"`)
		}
		text := fmt.Sprintf(`eval "$(%s "${_kiln_optpos-}" "${_kiln_optind-}" "${OPTIND-}"%s)"`, getoptsCmd, rest.String())
		parsed, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
		if perr != nil {
			err = perr
			return false
		}
		repl := parsed.Stmts[0].Cmd.(*syntax.CallExpr)
		call.Args = repl.Args
		return false
	})
	return err
}

// serveGetopts runs getopts for the interpreter and prints, as shell,
// the assignments it made and its status.
func serveGetopts(out, errOut io.Writer, script string, bash bool, args []string) int {
	if len(args) < 5 {
		fmt.Fprintf(errOut, "%s: getopts: usage: getopts optstring name [arg ...]\n", script)
		return 2
	}
	s := &State{Name: script, vars: map[string]*variable{}, bash: bash,
		fds: map[int]*stream{0: {r: strings.NewReader("")}, 1: {w: io.Discard}, 2: {w: errOut}}}
	s.optpos, _ = strconv.Atoi(args[0])
	s.optind, _ = strconv.Atoi(args[1])
	if args[2] != "" {
		s.vars["OPTIND"] = &variable{value: args[2]}
	}
	optstring, name := args[3], args[4]
	s.args = args[5:]
	s.Getopts(optstring, name)
	var b strings.Builder
	for _, v := range []string{name, "OPTIND"} {
		fmt.Fprintf(&b, "%s=%s\n", v, singleQuote(s.Value(v)))
	}
	if v, ok := s.Lookup("OPTARG"); ok {
		fmt.Fprintf(&b, "OPTARG=%s\n", singleQuote(v))
	} else {
		b.WriteString("unset OPTARG\n")
	}
	fmt.Fprintf(&b, "_kiln_optpos=%d _kiln_optind=%d\n(exit %d)\n", s.optpos, s.optind, s.Status)
	io.WriteString(out, b.String())
	return 0
}

// rewriteCStyleLoops turns each `for ((INIT; COND; POST)); do BODY; done`
// into a while loop: the interpreter ends a C-style loop after a pass
// whose last command failed (`[[ $x == y ]] && break` as the last line
// of the body), where bash goes on.
//
//	: $((INIT)); _kiln_cN=
//	while { [ -z "$_kiln_cN" ] || : $((POST)); } && _kiln_cN=1 && ((COND)); do BODY; done
//
// continue still runs POST; INIT and POST never trip set -e.
func rewriteCStyleLoops(f *syntax.File) error {
	n := 0
	return walkStmts(f, func(st *syntax.Stmt) (bool, error) {
		fc, ok := st.Cmd.(*syntax.ForClause)
		if !ok {
			return true, nil
		}
		loop, ok := fc.Loop.(*syntax.CStyleLoop)
		if !ok {
			return true, nil
		}
		n++
		flag := fmt.Sprintf("_kiln_c%d", n)
		arith := func(x syntax.ArithmExpr) string {
			if x == nil {
				return ""
			}
			text := printExpansion(&syntax.Word{Parts: []syntax.WordPart{&syntax.ArithmExp{X: x}}})
			return strings.TrimSuffix(strings.TrimPrefix(text, "$(("), "))")
		}
		var pre strings.Builder
		if init := arith(loop.Init); init != "" {
			fmt.Fprintf(&pre, ": $((%s)); ", init)
		}
		fmt.Fprintf(&pre, "%s=\n", flag)
		post := ""
		if p := arith(loop.Post); p != "" {
			post = fmt.Sprintf(" || : $((%s))", p)
		}
		cond := ""
		if c := arith(loop.Cond); c != "" {
			cond = fmt.Sprintf(" && ((%s))", c)
		}
		fmt.Fprintf(&pre, `while { [ -z "$%s" ]%s; } && %s=1%s; do :; done`, flag, post, flag, cond)
		parsed, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(pre.String()), "")
		if perr != nil {
			return false, perr
		}
		wc := parsed.Stmts[len(parsed.Stmts)-1].Cmd.(*syntax.WhileClause)
		wc.Do = fc.Do
		wc.DoPos, wc.DonePos = fc.DoPos, fc.DonePos
		orig := &syntax.Stmt{Position: st.Position, Cmd: wc}
		stmts := append(parsed.Stmts[:len(parsed.Stmts)-1], orig)
		st.Cmd = &syntax.Block{Lbrace: st.Pos(), Rbrace: st.End(), Stmts: stmts}
		// Redirections and & stay on st, around the block.
		return true, nil
	})
}

// rewriteSubstErrexit starts each command substitution with `set +e`:
// bash (without shopt inherit_errexit) runs them with set -e off, the
// interpreter with the shell's.
func rewriteSubstErrexit(f *syntax.File) error {
	off, err := syntax.NewParser().Parse(strings.NewReader("set +e"), "")
	if err != nil {
		return err
	}
	syntax.Walk(f, func(node syntax.Node) bool {
		if cs, ok := node.(*syntax.CmdSubst); ok && len(cs.Stmts) > 0 {
			cs.Stmts = append([]*syntax.Stmt{off.Stmts[0]}, cs.Stmts...)
		}
		return true
	})
	return nil
}

// walkStmts walks f's statements, outermost first, until visit returns
// an error, which it returns; visit's bool says whether to go into the
// statement.
func walkStmts(f *syntax.File, visit func(*syntax.Stmt) (bool, error)) error {
	var err error
	syntax.Walk(f, func(node syntax.Node) bool {
		if err != nil {
			return false
		}
		st, ok := node.(*syntax.Stmt)
		if !ok {
			return true
		}
		var descend bool
		descend, err = visit(st)
		return descend && err == nil
	})
	return err
}
