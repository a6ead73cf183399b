package shellrun

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// shopt -s nocasematch. The interpreter has no such option, so kiln keeps
// it in a variable of the state (nocasematchVar, "on" while set) and
// rewrites what it changes to read that variable at run time:
//
//	shopt -s nocasematch      _kiln_nocasematch=on
//	shopt -u nocasematch      _kiln_nocasematch=
//	shopt -q nocasematch      [[ ${_kiln_nocasematch-} == on ]]
//	[[ X == P ]]              [[ ( ${_kiln_nocasematch-} != on && X == P ) ||
//	                             ( ${_kiln_nocasematch-} == on && lower(X) == lower(P) ) ]]
//	case W in P) ...          _kiln_cw=W, lowered and marked with \001 under
//	                          the option; case "$_kiln_cw" in P|$'\001'lower(P)) ...
//
// where lower(X) is X with its literal text lowered and each expansion's
// value lowered (${x,,}, or kiln:lower for a command substitution or an
// expansion with an operator). CheckBash refuses a script with both the
// option and =~: lowering a regular expression changes it (\S).
// Translated code matches case patterns with State.CaseMatch, which
// reads the same variable.

// nocasematchVar holds "on" while shopt nocasematch is set.
const nocasematchVar = "_kiln_nocasematch"

// lowerCmd prints its argument lowered: the value of an expansion in a
// test under nocasematch.
const lowerCmd = "kiln:lower"

// mentionsNocasematch reports a file that sets the option.
func mentionsNocasematch(f *syntax.File) bool {
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok && len(call.Args) > 1 {
			if name, _ := literal(call.Args[0]); name == "shopt" {
				for _, a := range call.Args[1:] {
					if o, _ := literal(a); o == "nocasematch" {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// rewriteNocasematch rewrites a file's shopt calls naming nocasematch,
// its [[ ]] pattern tests and its case statements to follow the option
// at run time.
func rewriteNocasematch(f *syntax.File) error {
	var err error
	done := map[*syntax.CaseClause]bool{}
	parse := func(text string) *syntax.File {
		p, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
		if perr != nil && err == nil {
			err = perr
		}
		return p
	}
	syntax.Walk(f, func(node syntax.Node) bool {
		if err != nil {
			return false
		}
		switch n := node.(type) {
		case *syntax.Stmt:
			if cc, ok := n.Cmd.(*syntax.CaseClause); ok && !done[cc] {
				done[cc] = true
				err = nocaseCase(n, cc, parse)
				return true
			}
			call, ok := n.Cmd.(*syntax.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			if name, _ := literal(call.Args[0]); name != "shopt" {
				return true
			}
			text, e := shoptNocase(call.Args[1:])
			if e != nil {
				err = e
				return false
			}
			if text == "" {
				return true
			}
			if p := parse(text); p != nil {
				n.Cmd = p.Stmts[0].Cmd
			}
			return false
		case *syntax.TestClause:
			n.X, err = nocaseTest(n.X, parse)
			return false
		}
		return true
	})
	return err
}

// shoptNocase is the text replacing a shopt call that names
// nocasematch; "" when it does not.
func shoptNocase(args []*syntax.Word) (string, error) {
	var flags, names []string
	named := false
	for _, a := range args {
		o, ok := literal(a)
		if !ok {
			return "", nil
		}
		switch {
		case o == "nocasematch":
			named = true
		case strings.HasPrefix(o, "-"):
			flags = append(flags, o)
		default:
			names = append(names, o)
		}
	}
	if !named {
		return "", nil
	}
	rest := ""
	if len(names) > 0 {
		rest = "; shopt " + strings.Join(flags, " ") + " " + strings.Join(names, " ")
	}
	switch strings.Join(flags, " ") {
	case "-s":
		return "{ " + nocasematchVar + "=on" + rest + "; }", nil
	case "-u":
		return "{ " + nocasematchVar + "=" + rest + "; }", nil
	case "-q":
		if len(names) == 0 {
			return "[[ ${" + nocasematchVar + "-} == on ]]", nil
		}
	}
	return "", fmt.Errorf("shopt %s with nocasematch is not supported by kiln's bash", strings.Join(flags, " "))
}

// nocaseTest rewrites the pattern tests of a [[ ]] expression.
func nocaseTest(x syntax.TestExpr, parse func(string) *syntax.File) (syntax.TestExpr, error) {
	switch t := x.(type) {
	case *syntax.ParenTest:
		inner, err := nocaseTest(t.X, parse)
		t.X = inner
		return t, err
	case *syntax.UnaryTest:
		inner, err := nocaseTest(t.X, parse)
		t.X = inner
		return t, err
	case *syntax.BinaryTest:
		switch t.Op {
		case syntax.AndTest, syntax.OrTest:
			var err error
			if t.X, err = nocaseTest(t.X, parse); err != nil {
				return t, err
			}
			t.Y, err = nocaseTest(t.Y, parse)
			return t, err
		case syntax.TsMatch, syntax.TsMatchShort, syntax.TsNoMatch:
		default:
			// =~ with nocasematch is refused by CheckBash.
			return t, nil
		}
		lx, err := lowerWord(t.X.(*syntax.Word))
		if err != nil {
			return t, err
		}
		ly, err := lowerWord(t.Y.(*syntax.Word))
		if err != nil {
			return t, err
		}
		off := "${" + nocasematchVar + "-} != on"
		on := "${" + nocasematchVar + "-} == on"
		orig := printExpansion(t.X) + " " + t.Op.String() + " " + printExpansion(t.Y)
		lowered := printExpansion(lx) + " " + t.Op.String() + " " + printExpansion(ly)
		p := parse(fmt.Sprintf("[[ ( %s && %s ) || ( %s && %s ) ]]", off, orig, on, lowered))
		if p == nil {
			return t, nil
		}
		return p.Stmts[0].Cmd.(*syntax.TestClause).X, nil
	}
	return x, nil
}

// nocaseCase makes a case statement follow nocasematch: its word is
// computed first into a variable, lowered and marked under the option,
// and each pattern gets a lowered, marked twin.
func nocaseCase(st *syntax.Stmt, cc *syntax.CaseClause, parse func(string) *syntax.File) error {
	for _, item := range cc.Items {
		var twins []*syntax.Word
		for _, p := range item.Patterns {
			lp, err := lowerWord(p)
			if err != nil {
				return err
			}
			lp.Parts = append([]syntax.WordPart{&syntax.SglQuoted{Dollar: true, Value: `\001`}}, lp.Parts...)
			twins = append(twins, lp)
		}
		item.Patterns = append(item.Patterns, twins...)
	}
	pre := parse(fmt.Sprintf("_kiln_cw=%s\nif [ \"${%s-}\" = on ]; then _kiln_cw=$'\\001'${_kiln_cw,,}; fi", printExpansion(cc.Word), nocasematchVar))
	p := parse(`case "$_kiln_cw" in esac`)
	if pre == nil || p == nil {
		return nil
	}
	cc.Word = p.Stmts[0].Cmd.(*syntax.CaseClause).Word
	orig := *st
	st.Cmd = &syntax.Block{Lbrace: st.Pos(), Rbrace: st.End(), Stmts: append(pre.Stmts, &orig)}
	st.Redirs, st.Negated, st.Background, st.Coprocess = nil, false, false, false
	return nil
}

// lowerWord returns w with its literal text lowered and each
// expansion's value lowered.
func lowerWord(w *syntax.Word) (*syntax.Word, error) {
	out := &syntax.Word{}
	for _, p := range w.Parts {
		lp, err := lowerPart(p, false)
		if err != nil {
			return nil, err
		}
		out.Parts = append(out.Parts, lp)
	}
	return out, nil
}

func lowerPart(p syntax.WordPart, quoted bool) (syntax.WordPart, error) {
	switch p := p.(type) {
	case *syntax.Lit:
		return &syntax.Lit{Value: strings.ToLower(p.Value)}, nil
	case *syntax.SglQuoted:
		return &syntax.SglQuoted{Dollar: p.Dollar, Value: strings.ToLower(p.Value)}, nil
	case *syntax.DblQuoted:
		out := &syntax.DblQuoted{Dollar: p.Dollar}
		for _, inner := range p.Parts {
			lp, err := lowerPart(inner, true)
			if err != nil {
				return nil, err
			}
			out.Parts = append(out.Parts, lp)
		}
		return out, nil
	case *syntax.ParamExp:
		special := strings.Contains("#?$!-", p.Param.Value)
		if p.Exp == nil && p.Repl == nil && p.Slice == nil && !p.Length && !p.Width && !p.Excl && p.Names == 0 && !special {
			c := *p
			c.Short = false
			c.Exp = &syntax.Expansion{Op: syntax.LowerAll}
			return &c, nil
		}
	case *syntax.ExtGlob:
		return &syntax.ExtGlob{Op: p.Op, Pattern: &syntax.Lit{Value: strings.ToLower(p.Pattern.Value)}}, nil
	}
	// A command substitution, arithmetic, an expansion with an
	// operator: its value, lowered by kiln:lower. Unquoted, a value's
	// pattern characters stay active as they were.
	text := printExpansion(&syntax.Word{Parts: []syntax.WordPart{p}})
	sub := fmt.Sprintf(`"$(%s "%s")"`, lowerCmd, text)
	if !quoted {
		sub = fmt.Sprintf(`$(%s "%s")`, lowerCmd, text)
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader("x "+sub), "")
	if err != nil {
		return nil, err
	}
	w := f.Stmts[0].Cmd.(*syntax.CallExpr).Args[1]
	if quoted {
		return w.Parts[0].(*syntax.DblQuoted).Parts[0], nil
	}
	return w.Parts[0], nil
}

// serveLower serves kiln:lower: `kiln:lower TEXT` prints TEXT lowered
// (the value of an expansion with an operator, or of a command
// substitution, in a [[ ]] test under nocasematch).
func serveLower(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return strings.ToLower(args[0])
}

// CaseMatch reports whether word matches a case pattern, following shopt
// nocasematch: translated case statements of a script that sets the
// option match with it.
func (s *State) CaseMatch(pattern, word string) bool {
	if s.Value(nocasematchVar) == "on" {
		return Match(strings.ToLower(pattern), strings.ToLower(word))
	}
	return Match(pattern, word)
}
