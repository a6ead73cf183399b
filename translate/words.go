package translate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/shellparse"
	"mvdan.cc/sh/v3/syntax"
)

// plainLiteral returns a word's value when it is literal text only
// (quoted or not), with quotes and escapes removed.
func plainLiteral(w *syntax.Word) (string, bool) { return shellparse.Literal(w) }

// litValue is a word's plain literal value, or "".
func litValue(w *syntax.Word) string {
	v, _ := plainLiteral(w)
	return v
}

// literalArgs returns the plain literal words of a list, stopping at the
// first that is not.
func literalArgs(words []*syntax.Word) []string {
	var out []string
	for _, w := range words {
		v, ok := plainLiteral(w)
		if !ok {
			break
		}
		out = append(out, v)
	}
	return out
}

// unescapeUnquoted removes the backslashes of unquoted text.
func unescapeUnquoted(s string) string { return shellparse.UnescapeBare(s) }

// unescapeDouble removes the backslashes double quotes give meaning to.
func unescapeDouble(s string) string { return shellparse.UnescapeDouble(s) }

// hasCmdSubst reports a command substitution in a word.
func hasCmdSubst(node syntax.Node) bool {
	found := false
	syntax.Walk(node, func(n syntax.Node) bool {
		if _, ok := n.(*syntax.CmdSubst); ok {
			found = true
		}
		return !found
	})
	return found
}

// args writes a command's arguments as a Go argument list: plain strings
// where every word is one field, else the fields joined with
// slices.Concat.
func (g *gen) args(c *ctx, words []*syntax.Word) string {
	exprs, multi := make([]string, len(words)), make([]bool, len(words))
	for i, w := range words {
		exprs[i], multi[i] = g.word(c, w)
	}
	return g.joinArgs(exprs, multi)
}

// joinArgs is args of the words' expressions (g.word's): multi says
// which are lists.
func (g *gen) joinArgs(exprs []string, multi []bool) string {
	var singles []string
	many := false
	var parts []string
	for i, expr := range exprs {
		if multi[i] {
			many = true
			if len(singles) > 0 {
				parts = append(parts, "[]string{"+strings.Join(singles, ", ")+"}")
				singles = nil
			}
			parts = append(parts, expr)
			continue
		}
		singles = append(singles, expr)
	}
	if !many {
		return strings.Join(singles, ", ")
	}
	if len(singles) > 0 {
		parts = append(parts, "[]string{"+strings.Join(singles, ", ")+"}")
	}
	if len(parts) == 1 {
		return parts[0] + "..."
	}
	g.imports["slices"] = true
	return "slices.Concat(" + strings.Join(parts, ", ") + ")..."
}

// wordList writes words as a Go []string expression.
func (g *gen) wordList(c *ctx, words []*syntax.Word) string {
	return listExpr(g.args(c, words))
}

// listOf is wordList of the words' expressions (g.word's).
func (g *gen) listOf(exprs []string, multi []bool) string {
	return listExpr(g.joinArgs(exprs, multi))
}

// listExpr makes args' text a []string expression.
func listExpr(list string) string {
	if strings.HasSuffix(list, "...") {
		return strings.TrimSuffix(list, "...")
	}
	return "[]string{" + list + "}"
}

// word writes one word: a Go string expression when it always expands to
// exactly one field, else a []string expression (multi).
func (g *gen) word(c *ctx, w *syntax.Word) (expr string, multi bool) {
	if len(w.Parts) == 1 {
		if dq, ok := w.Parts[0].(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
			if pe, ok := dq.Parts[0].(*syntax.ParamExp); ok && pe.Param.Value == "@" && pe.Exp == nil && !pe.Length && pe.Repl == nil && pe.Slice == nil && !pe.Excl {
				return "s.Args()", true
			}
		}
	}
	if g.opts.Bash {
		if why, ok := g.bashNode(w); ok {
			g.review(c, w, why+": expanded by the shell interpreter's expander")
			return fmt.Sprintf("s.ExpandFields(%s)", strconv.Quote(printNode(w))), true
		}
	}
	if expr, multi, ok := g.typedFields(w); ok { // lowertypes.go
		return expr, multi
	}
	if len(w.Parts) == 1 {
		if pe, ok := w.Parts[0].(*syntax.ParamExp); ok && isAlternateArgs(pe) {
			return fmt.Sprintf("s.AlternateArgs(%q, %t)", pe.Param.Value, pe.Exp.Op == syntax.AlternateUnsetOrNull), true
		}
	}
	if !needsFields(w) {
		return g.stringWord(c, w), false
	}
	if quotedArgsInside(w) {
		g.review(c, w, `"$@" inside a longer word: expanded by the shell interpreter`)
		return fmt.Sprintf("s.ExpandFields(%s)", strconv.Quote(printNode(w))), true
	}
	var parts []string
	spread := false
	for i, p := range w.Parts {
		more := g.fieldParts(c, p, i == 0)
		for _, m := range more {
			spread = spread || strings.HasSuffix(m, "...")
		}
		parts = append(parts, more...)
	}
	if !spread {
		return "s.Fields(" + strings.Join(parts, ", ") + ")", true
	}
	// A part that is a list of parts (partLists): the word's parts
	// concatenated.
	var lists, singles []string
	for _, p := range parts {
		if list, ok := strings.CutSuffix(p, "..."); ok {
			if len(singles) > 0 {
				lists = append(lists, "[]shellrun.Part{"+strings.Join(singles, ", ")+"}")
				singles = nil
			}
			lists = append(lists, list)
			continue
		}
		singles = append(singles, p)
	}
	if len(singles) > 0 {
		lists = append(lists, "[]shellrun.Part{"+strings.Join(singles, ", ")+"}")
	}
	if len(lists) == 1 {
		return "s.Fields(" + lists[0] + "...)", true
	}
	g.imports["slices"] = true
	return "s.Fields(slices.Concat(" + strings.Join(lists, ", ") + ")...)", true
}

// partList writes an unquoted ${name:+word} or ${name:-word} (with or
// without the colon) whose word has quoted parts as a list of parts
// ending in "...": the word keeps its own quoting, so that
// ${x:+-C "$dir"} gives "-C" and the whole of $dir as the shell does,
// where a string would be split as a whole. ok is false for other
// expansions, and for words with command substitutions (evaluated only
// when taken).
func (g *gen) partList(c *ctx, pe *syntax.ParamExp) (string, bool) {
	goVar, lowered := g.lowered[pe.Param.Value]
	if lowered && !simpleParts(pe) {
		return "", false
	}
	if pe.Excl || pe.Repl != nil || pe.Slice != nil || pe.Index != nil || pe.Width || pe.Names != 0 || pe.Length ||
		pe.Exp == nil || pe.Exp.Word == nil || hasCmdSubst(pe.Exp.Word) {
		return "", false
	}
	var fn string
	switch pe.Exp.Op {
	case syntax.AlternateUnsetOrNull, syntax.AlternateUnset:
		fn = "AlternateParts"
	case syntax.DefaultUnsetOrNull, syntax.DefaultUnset:
		fn = "DefaultParts"
	default:
		return "", false
	}
	quoting := false
	for _, p := range pe.Exp.Word.Parts {
		switch p := p.(type) {
		case *syntax.DblQuoted, *syntax.SglQuoted:
			quoting = true
		case *syntax.Lit:
			quoting = quoting || strings.Contains(p.Value, "\\")
		}
	}
	if !quoting || quotedArgsInside(pe.Exp.Word) {
		return "", false
	}
	var parts []string
	for _, p := range pe.Exp.Word.Parts {
		var more []string
		if lit, ok := p.(*syntax.Lit); ok {
			// The word's unquoted text is split and globbed as the
			// expansion's result is.
			for _, m := range g.litParts(lit.Value, false) {
				if text, ok := strings.CutPrefix(m, "shellrun.Lit("); ok {
					m = "shellrun.Unquoted(" + text
				}
				more = append(more, m)
			}
		} else {
			more = g.fieldParts(c, p, false)
		}
		for _, m := range more {
			if strings.HasSuffix(m, "...") {
				return "", false
			}
		}
		parts = append(parts, more...)
	}
	colon := pe.Exp.Op == syntax.AlternateUnsetOrNull || pe.Exp.Op == syntax.DefaultUnsetOrNull
	if lowered {
		g.report.Lowering.VarRefsLowered++
		fn := map[string]string{"AlternateParts": "AltParts", "DefaultParts": "OrParts"}[fn]
		return fmt.Sprintf("shellrun.%s(%s, %s)...", fn, goVar, strings.Join(parts, ", ")), true
	}
	g.countKept(pe.Param.Value)
	return fmt.Sprintf("s.%s(%q, %t, %s)...", fn, pe.Param.Value, colon, strings.Join(parts, ", ")), true
}

// simpleParts reports an unquoted ${x:+word} or ${x:-word} (with the
// colon: emptiness, not set-ness, decides) whose word has quoting and is
// made of literal text and plain expansions of variables (no command
// substitution, "$@" or nested ${...} operator): partList writes it for
// a Go variable as shellrun.AltParts or OrParts.
func simpleParts(pe *syntax.ParamExp) bool {
	if pe.Param == nil || pe.Excl || pe.Repl != nil || pe.Slice != nil || pe.Index != nil || pe.Width || pe.Names != 0 ||
		pe.Length || pe.Exp == nil || pe.Exp.Word == nil ||
		pe.Exp.Op != syntax.AlternateUnsetOrNull && pe.Exp.Op != syntax.DefaultUnsetOrNull {
		return false
	}
	plain := func(p syntax.WordPart) bool {
		switch p := p.(type) {
		case *syntax.Lit, *syntax.SglQuoted:
			return true
		case *syntax.ParamExp:
			return p.Param != nil && p.Exp == nil && !p.Excl && !p.Length && p.Repl == nil && p.Slice == nil &&
				p.Index == nil && localNameRE.MatchString(p.Param.Value)
		}
		return false
	}
	for _, p := range pe.Exp.Word.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			for _, q := range dq.Parts {
				if !plain(q) {
					return false
				}
			}
			continue
		}
		if !plain(p) {
			return false
		}
	}
	return true
}

// isAlternateArgs reports ${name:+"$@"} or ${name+"$@"} (the portable
// spelling of "$@" for old shells, ${1+"$@"}).
func isAlternateArgs(pe *syntax.ParamExp) bool {
	if pe.Excl || pe.Repl != nil || pe.Slice != nil || pe.Index != nil || pe.Width || pe.Names != 0 || pe.Length ||
		pe.Exp == nil || pe.Exp.Word == nil || len(pe.Exp.Word.Parts) != 1 ||
		(pe.Exp.Op != syntax.AlternateUnsetOrNull && pe.Exp.Op != syntax.AlternateUnset) {
		return false
	}
	dq, ok := pe.Exp.Word.Parts[0].(*syntax.DblQuoted)
	if !ok || len(dq.Parts) != 1 {
		return false
	}
	args, ok := dq.Parts[0].(*syntax.ParamExp)
	return ok && args.Param.Value == "@" && args.Exp == nil && !args.Length && !args.Excl &&
		args.Repl == nil && args.Slice == nil && args.Index == nil
}

// needsFields reports whether a word may expand to other than one field:
// an unquoted expansion (split at IFS), unquoted glob characters, or
// "$@" among other text.
func needsFields(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(stripEscaped(p.Value), "*?[") {
				return true
			}
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp, *syntax.ProcSubst, *syntax.ExtGlob:
			return true
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if pe, ok := q.(*syntax.ParamExp); ok && pe.Param.Value == "@" && !pe.Length {
					return true
				}
			}
		}
	}
	return false
}

// quotedArgsInside reports "$@" in a double-quoted part of a word.
func quotedArgsInside(w *syntax.Word) bool {
	for _, p := range w.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			for _, q := range dq.Parts {
				if pe, ok := q.(*syntax.ParamExp); ok && pe.Param.Value == "@" && !pe.Length {
					return true
				}
			}
		}
	}
	return false
}

// stripEscaped drops backslash-escaped characters, leaving the active
// ones.
func stripEscaped(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// fieldParts writes one word part as shellrun.Part values.
func (g *gen) fieldParts(c *ctx, p syntax.WordPart, first bool) []string {
	switch p := p.(type) {
	case *syntax.Lit:
		return g.litParts(p.Value, first)
	case *syntax.SglQuoted:
		return []string{fmt.Sprintf("shellrun.Quoted(%s)", strconv.Quote(sglValue(p)))}
	case *syntax.DblQuoted:
		var out []string
		for _, q := range p.Parts {
			out = append(out, fmt.Sprintf("shellrun.Quoted(%s)", g.partString(c, q, true)))
		}
		if len(out) == 0 {
			out = append(out, `shellrun.Quoted("")`)
		}
		return out
	case *syntax.ParamExp:
		if list, ok := g.partList(c, p); ok {
			return []string{list}
		}
	}
	return []string{fmt.Sprintf("shellrun.Unquoted(%s)", g.partString(c, p, false))}
}

// litParts splits unquoted literal text into active text and the
// characters its backslashes quote; a leading ~ is the home directory.
func (g *gen) litParts(value string, first bool) []string {
	var out []string
	if first && strings.HasPrefix(value, "~") && (len(value) == 1 || value[1] == '/') {
		out = append(out, `shellrun.Quoted(s.Value("HOME"))`)
		value = value[1:]
	}
	var active strings.Builder
	flush := func() {
		if active.Len() > 0 {
			out = append(out, fmt.Sprintf("shellrun.Lit(%s)", strconv.Quote(active.String())))
			active.Reset()
		}
	}
	for i := 0; i < len(value); i++ {
		if value[i] == '\\' && i+1 < len(value) {
			i++
			if value[i] == '\n' {
				continue
			}
			flush()
			out = append(out, fmt.Sprintf("shellrun.Quoted(%s)", strconv.Quote(string(value[i]))))
			continue
		}
		active.WriteByte(value[i])
	}
	flush()
	if len(out) == 0 {
		out = append(out, `shellrun.Lit("")`)
	}
	return out
}

func sglValue(p *syntax.SglQuoted) string {
	if p.Dollar {
		return ansiC(p.Value)
	}
	return p.Value
}

// ansiC decodes the backslash escapes of bash's $'...' quoting. A NUL
// ends the string, as in bash.
func ansiC(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'e', 'E':
			b.WriteByte(0x1b)
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\', '\'', '"', '?':
			b.WriteByte(e)
		case 'c':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i] & 0x1f)
			} else {
				b.WriteString("\\c")
			}
		case 'x', 'u', 'U':
			max := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			j := i + 1
			for j < len(s) && j-i-1 < max && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
				j++
			}
			if j == i+1 {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			n, _ := strconv.ParseUint(s[i+1:j], 16, 32)
			if e == 'x' {
				b.WriteByte(byte(n))
			} else {
				b.WriteRune(rune(n))
			}
			i = j - 1
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(s) && j-i < 3 && s[j] >= '0' && s[j] <= '7' {
					j++
				}
				n, _ := strconv.ParseUint(s[i:j], 8, 16)
				b.WriteByte(byte(n))
				i = j - 1
				continue
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	out, _, _ := strings.Cut(b.String(), "\x00")
	return out
}

// stringWord writes a word expanded to one string, without field
// splitting or globbing: assignment values, case words, redirection
// targets, here-documents.
func (g *gen) stringWord(c *ctx, w *syntax.Word) string {
	var parts []string
	for i, p := range w.Parts {
		if lit, ok := p.(*syntax.Lit); ok && i == 0 && strings.HasPrefix(lit.Value, "~") && (len(lit.Value) == 1 || lit.Value[1] == '/' || lit.Value[1] == ':') {
			parts = append(parts, `s.Value("HOME")`)
			if rest := unescapeUnquoted(lit.Value[1:]); rest != "" {
				parts = append(parts, strconv.Quote(rest))
			}
			continue
		}
		parts = append(parts, g.partString(c, p, false))
	}
	return joinStrings(parts)
}

// joinStrings concatenates Go string expressions, merging literals.
func joinStrings(parts []string) string {
	var out []string
	for _, p := range parts {
		if p == `""` {
			continue
		}
		if n := len(out); n > 0 && isQuotedLit(out[n-1]) && isQuotedLit(p) {
			a, _ := strconv.Unquote(out[n-1])
			b, _ := strconv.Unquote(p)
			out[n-1] = strconv.Quote(a + b)
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return `""`
	}
	return strings.Join(out, " + ")
}

func isQuotedLit(expr string) bool {
	if !strings.HasPrefix(expr, `"`) {
		return false
	}
	_, err := strconv.Unquote(expr)
	return err == nil
}

// partString writes one word part as a Go string expression; quoted says
// the part is inside double quotes.
func (g *gen) partString(c *ctx, p syntax.WordPart, quoted bool) string {
	switch p := p.(type) {
	case *syntax.Lit:
		if quoted {
			return strconv.Quote(unescapeDouble(p.Value))
		}
		return strconv.Quote(unescapeUnquoted(p.Value))
	case *syntax.SglQuoted:
		return strconv.Quote(sglValue(p))
	case *syntax.DblQuoted:
		var parts []string
		for _, q := range p.Parts {
			parts = append(parts, g.partString(c, q, true))
		}
		return joinStrings(parts)
	case *syntax.ParamExp:
		return g.param(c, p)
	case *syntax.CmdSubst:
		body, copies := g.forkBody(c, p, p.Stmts)
		if !copies {
			if call, ok := gitRunOnly(g, body); ok {
				return "s.GitText(" + call + ")" // $(git ...) of a typed call
			}
			if stages, ok := pipeOnly(g, body); ok {
				return "s.PipeText(" + stages + ")" // $(a | b)
			}
		}
		return fmt.Sprintf("s.Capture(%s)", g.funcLit(body))
	case *syntax.ArithmExp:
		return fmt.Sprintf("s.Arith(%s)", g.arithExpr(c, p))
	}
	g.review(c, p, fmt.Sprintf("%T word part: expanded by the shell interpreter", p))
	return fmt.Sprintf("s.Expand(%s)", strconv.Quote(printNode(&syntax.Word{Parts: []syntax.WordPart{p}})))
}

// param writes a parameter expansion.
func (g *gen) param(c *ctx, pe *syntax.ParamExp) string {
	if pe.Excl || pe.Repl != nil || pe.Slice != nil || pe.Index != nil || pe.Width || pe.Names != 0 {
		g.review(c, pe, "bash parameter expansion: expanded by the shell interpreter")
		return fmt.Sprintf("s.Expand(%s)", strconv.Quote(printNode(&syntax.Word{Parts: []syntax.WordPart{pe}})))
	}
	name := pe.Param.Value
	if pe.Length {
		if name == "@" || name == "*" || name == "#" {
			return "s.NArgs()"
		}
		return fmt.Sprintf("shellrun.Length(%s)", g.paramValue(name))
	}
	if pe.Exp == nil {
		return g.paramValue(name)
	}
	if _, ok := g.lowered[name]; ok && pe.Exp.Op == syntax.AlternateUnsetOrNull {
		value := g.paramValue(name)
		word := `""`
		if pe.Exp.Word != nil {
			word = g.stringWord(c, pe.Exp.Word)
		}
		if pe.Exp.Word != nil && hasCmdSubst(pe.Exp.Word) {
			return fmt.Sprintf("shellrun.AltFunc(%s, func() string { return %s })", value, word)
		}
		return fmt.Sprintf("shellrun.Alt(%s, %s)", value, word)
	}
	if _, ok := g.lowered[name]; ok && pe.Exp.Op == syntax.AssignUnsetOrNull {
		// ${x:=word}: the Go variable takes the word's value when it is
		// empty or unset.
		word := `""`
		if pe.Exp.Word != nil {
			word = g.stringWord(c, pe.Exp.Word)
		}
		target := "&" + g.lowered[name]
		g.paramValue(name) // counts the reference as lowered
		if pe.Exp.Word != nil && hasCmdSubst(pe.Exp.Word) {
			return fmt.Sprintf("shellrun.OrSetFunc(%s, func() string { return %s })", target, word)
		}
		return fmt.Sprintf("shellrun.OrSet(%s, %s)", target, word)
	}
	if _, ok := g.lowered[name]; ok && pe.Exp.Op == syntax.DefaultUnsetOrNull {
		value := g.paramValue(name)
		word := `""`
		if pe.Exp.Word != nil {
			word = g.stringWord(c, pe.Exp.Word)
		}
		if pe.Exp.Word != nil && hasCmdSubst(pe.Exp.Word) {
			return fmt.Sprintf("shellrun.OrElse(%s, func() string { return %s })", value, word)
		}
		g.imports["cmp"] = true
		return fmt.Sprintf("cmp.Or(%s, %s)", value, word)
	}
	if pe.Exp.Op != syntax.RemSmallPrefix && pe.Exp.Op != syntax.RemLargePrefix && pe.Exp.Op != syntax.RemSmallSuffix && pe.Exp.Op != syntax.RemLargeSuffix {
		g.countKept(name) // served by the State, by name
	}
	word := `""`
	if pe.Exp.Word != nil {
		word = g.stringWord(c, pe.Exp.Word)
	}
	switch pe.Exp.Op {
	case syntax.DefaultUnsetOrNull, syntax.DefaultUnset:
		colon := pe.Exp.Op == syntax.DefaultUnsetOrNull
		if pe.Exp.Word != nil && hasCmdSubst(pe.Exp.Word) {
			return fmt.Sprintf("s.DefaultFunc(%q, func() string { return %s }, %t)", name, word, colon)
		}
		return fmt.Sprintf("s.Default(%q, %s, %t)", name, word, colon)
	case syntax.AssignUnsetOrNull, syntax.AssignUnset:
		return fmt.Sprintf("s.AssignDefault(%q, %s, %t)", name, word, pe.Exp.Op == syntax.AssignUnsetOrNull)
	case syntax.AlternateUnsetOrNull, syntax.AlternateUnset:
		return fmt.Sprintf("s.Alternate(%q, %s, %t)", name, word, pe.Exp.Op == syntax.AlternateUnsetOrNull)
	case syntax.ErrorUnsetOrNull, syntax.ErrorUnset:
		return fmt.Sprintf("s.Required(%q, %s, %t)", name, word, pe.Exp.Op == syntax.ErrorUnsetOrNull)
	case syntax.RemSmallPrefix, syntax.RemLargePrefix:
		pat := `""`
		if pe.Exp.Word != nil {
			pat = g.patternWord(c, pe.Exp.Word)
		}
		return fmt.Sprintf("shellrun.TrimPrefix(%s, %s, %t)", g.paramValue(name), pat, pe.Exp.Op == syntax.RemLargePrefix)
	case syntax.RemSmallSuffix, syntax.RemLargeSuffix:
		pat := `""`
		if pe.Exp.Word != nil {
			pat = g.patternWord(c, pe.Exp.Word)
		}
		return fmt.Sprintf("shellrun.TrimSuffix(%s, %s, %t)", g.paramValue(name), pat, pe.Exp.Op == syntax.RemLargeSuffix)
	}
	g.review(c, pe, "parameter expansion "+pe.Exp.Op.String()+": expanded by the shell interpreter")
	return fmt.Sprintf("s.Expand(%s)", strconv.Quote(printNode(&syntax.Word{Parts: []syntax.WordPart{pe}})))
}

// paramValue is the Go expression for a parameter's value.
func (g *gen) paramValue(name string) string {
	switch name {
	case "#":
		return "s.NArgs()"
	case "?", "$", "!", "-", "0":
		return fmt.Sprintf("s.Get(%q)", name)
	case "@", "*":
		return "s.ArgsString()"
	}
	if n, err := strconv.Atoi(name); err == nil {
		return fmt.Sprintf("s.Arg(%d)", n)
	}
	if v, ok := g.lowered[name]; ok {
		if g.discarding == 0 {
			g.report.Lowering.VarRefsLowered++
		}
		if typed, ok := g.typedValue(name); ok { // lowertypes.go
			return typed
		}
		return v
	}
	g.countKept(name)
	return fmt.Sprintf("s.Get(%q)", name)
}

// countKept counts a reference of a variable written as a State access
// by name; the environment's variables (assigned nowhere in the script)
// and special parameters are not the script's and are not counted.
func (g *gen) countKept(name string) {
	if _, ok := g.report.Lowering.Kept[name]; ok || !g.idiom && g.assignedVars()[name] {
		g.keptRef(name)
	}
}

// patternWord writes a word used as a pattern (case, ${x#...}): quoted
// parts match literally.
func (g *gen) patternWord(c *ctx, w *syntax.Word) string {
	var parts []string
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			parts = append(parts, strconv.Quote(p.Value))
		case *syntax.SglQuoted:
			parts = append(parts, strconv.Quote(shellQuoteMeta(sglValue(p))))
		case *syntax.DblQuoted:
			parts = append(parts, fmt.Sprintf("shellrun.QuoteMeta(%s)", g.partString(c, p, true)))
		default:
			parts = append(parts, g.partString(c, p, false))
		}
	}
	return joinStrings(parts)
}

// shellQuoteMeta escapes pattern characters of literal text.
func shellQuoteMeta(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// hereDoc writes a here-document's text: literal when its delimiter is
// quoted, else expanded as in double quotes.
func (g *gen) hereDoc(c *ctx, r *syntax.Redirect) string {
	if r.Hdoc == nil {
		return `""`
	}
	quotedDelim := false
	for _, p := range r.Word.Parts {
		switch p := p.(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			quotedDelim = true
		case *syntax.Lit:
			if strings.Contains(p.Value, "\\") {
				quotedDelim = true
			}
		}
	}
	var parts []string
	for _, p := range r.Hdoc.Parts {
		lit, isLit := p.(*syntax.Lit)
		switch {
		case isLit && quotedDelim:
			parts = append(parts, strconv.Quote(lit.Value))
		case isLit:
			parts = append(parts, strconv.Quote(unescapeHereDoc(lit.Value)))
		default:
			parts = append(parts, g.partString(c, p, true))
		}
	}
	text := joinStrings(parts)
	if r.Op == syntax.DashHdoc {
		return "shellrun.StripTabs(" + text + ")"
	}
	return text
}

// unescapeHereDoc removes the backslashes an unquoted here-document gives
// meaning to: before $ ` \ and newline.
func unescapeHereDoc(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\\\n", s[i+1]) >= 0 {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// arithExpr writes the text $((...)) evaluates: its parameter expansions
// and command substitutions are expanded first, as dash does, then the
// arithmetic runs on the result.
func (g *gen) arithExpr(c *ctx, p *syntax.ArithmExp) string {
	text := arithText(p)
	doc, err := syntax.NewParser().Document(strings.NewReader(text))
	if err != nil {
		return strconv.Quote(text)
	}
	var parts []string
	for _, part := range doc.Parts {
		if lit, ok := part.(*syntax.Lit); ok {
			parts = append(parts, strconv.Quote(lit.Value))
			continue
		}
		parts = append(parts, g.partString(c, part, true))
	}
	return joinStrings(parts)
}

// arithText is the expression of $((...)) as shell text.
func arithText(p *syntax.ArithmExp) string {
	text := printNode(&syntax.Word{Parts: []syntax.WordPart{p}})
	text = strings.TrimPrefix(strings.TrimPrefix(text, "$(("), "$[")
	return strings.TrimSuffix(strings.TrimSuffix(text, "))"), "]")
}
