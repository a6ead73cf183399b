package translate

import (
	"fmt"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/parseopt"
	"mvdan.cc/sh/v3/syntax"
)

// OptionLoops counts, in the idiomatic stage, the scripts' option loops
// (a `while` whose body is `case "$1" in ... esac; shift`, in a script
// that parses options with `git rev-parse --parseopt`): Lowered became
// an options struct filled by gitapi/parseopt, Kept stayed the shell's
// loop, marked `kiln:review option loop kept: <reason>`.
type OptionLoops struct {
	Lowered int `json:"lowered"`
	Kept    int `json:"kept"`
}

// optLoop is an option loop proven plain: each option's normalized
// spelling has an arm that only assigns (a literal, or the option's
// value after a shift), "--" shifts and breaks, and every other spelling
// goes to the default arm (or to none).
type optLoop struct {
	spec   *parseopt.Spec
	fields []*optField
	// dflt is the `*)` arm, nil when there is none; reached says some
	// spelling (a --no-<long> without an arm, say) goes to it.
	dflt    *syntax.CaseItem
	reached bool
	// shiftLine is the line of the loop's closing shift.
	shiftLine uint
}

// optField is one option the loop has an arm for: a field of the
// options struct.
type optField struct {
	opt     *parseopt.Option
	goName  string
	assigns []*syntax.Assign // the arm's assignments
}

// optNames are the Go names the lowering declares in the package.
var optNames = []string{"options", "optionsSpec", "parseOptions"}

// optionLoop writes an option loop of the idiomatic stage as its options
// struct when analysis proves it plain (true), or marks it as kept
// (false: the caller writes the loop).
func (g *gen) optionLoop(c *ctx, wc *syntax.WhileClause) bool {
	if !g.idiom || g.opts.Library || g.discarding > 0 || !isOptionLoop(wc) || !g.parsesOptions() {
		return false
	}
	if g.report.Lowering.OptionLoops == nil {
		g.report.Lowering.OptionLoops = &OptionLoops{}
	}
	ol, reason := g.analyzeOptionLoop(wc)
	if ol == nil {
		g.report.Lowering.OptionLoops.Kept++
		g.review(c, wc, "option loop kept: "+reason)
		return false
	}
	g.report.Lowering.OptionLoops.Lowered++
	g.writeOptionLoop(c, wc, ol)
	return true
}

// isOptionLoop reports a while loop whose body runs a case and shift,
// the shape of an option loop: the analysis then says whether it is the
// plain one, `case "$1" in ... esac; shift`.
func isOptionLoop(wc *syntax.WhileClause) bool {
	hasCase, hasShift := false, false
	for _, st := range wc.Do {
		_, isCase := st.Cmd.(*syntax.CaseClause)
		hasCase = hasCase || isCase
		hasShift = hasShift || isShift(st)
	}
	return !wc.Until && hasCase && hasShift
}

// plainLoopBody reports the body `case "$1" in ... esac; shift`.
func plainLoopBody(wc *syntax.WhileClause) bool {
	if len(wc.Do) != 2 {
		return false
	}
	cc, ok := wc.Do[0].Cmd.(*syntax.CaseClause)
	return ok && isDollar1(cc.Word) && isShift(wc.Do[1])
}

// isDollar1 reports the word "$1" (quoted or not).
func isDollar1(w *syntax.Word) bool { return isShortParam(w, "1") }

// isShortParam reports the word $NAME, NAME one character (quoted or
// not).
func isShortParam(w *syntax.Word, name string) bool {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return false
	}
	pe, ok := parts[0].(*syntax.ParamExp)
	return ok && pe.Short && pe.Param.Value == name
}

// isShift reports a plain `shift` (no count, no redirection).
func isShift(st *syntax.Stmt) bool {
	call, ok := st.Cmd.(*syntax.CallExpr)
	return ok && !st.Negated && !st.Background && len(st.Redirs) == 0 && len(call.Assigns) == 0 &&
		len(call.Args) == 1 && litValue(call.Args[0]) == "shift"
}

// parsesOptions reports a script that assigns OPTIONS_SPEC or calls
// `git rev-parse --parseopt` itself.
func (g *gen) parsesOptions() bool {
	found := false
	syntax.Walk(g.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			found = found || n.Name != nil && n.Name.Value == "OPTIONS_SPEC"
		case *syntax.Lit:
			found = found || n.Value == "--parseopt"
		}
		return !found
	})
	return found
}

// analyzeOptionLoop proves an option loop plain, or says why it is not.
func (g *gen) analyzeOptionLoop(wc *syntax.WhileClause) (*optLoop, string) {
	if !plainLoopBody(wc) {
		return nil, "its body is not `case \"$1\" in ... esac; shift`"
	}
	specText, reason := g.optionsSpecText()
	if reason != "" {
		return nil, reason
	}
	if reason := g.loopAfterSetup(wc); reason != "" {
		return nil, reason
	}
	if !argsLeftCond(wc.Cond) {
		return nil, "its condition is not `test $# != 0` (or -ne 0, -gt 0)"
	}
	spec, err := parseopt.ParseSpec(strings.NewReader(specText))
	if err != nil {
		return nil, "OPTIONS_SPEC does not parse: " + err.Error()
	}
	ol := &optLoop{spec: spec, shiftLine: wc.Do[1].Pos().Line()}
	cc := wc.Do[0].Cmd.(*syntax.CaseClause)
	arms := map[string]*syntax.CaseItem{} // spelling -> first arm matching it
	for i, item := range cc.Items {
		if item.Op != syntax.Break {
			return nil, "a case arm falls through (;& or ;;&)"
		}
		for _, p := range item.Patterns {
			if lit, ok := onlyLit(p); ok && lit == "*" {
				if i != len(cc.Items)-1 || len(item.Patterns) != 1 {
					return nil, "a `*` pattern before the last arm"
				}
				ol.dflt = item
				continue
			}
			v, ok := plainLiteral(p)
			if !ok || (strings.ContainsAny(v, "*?[") && !quotedWord(p)) {
				return nil, "a pattern that is not a literal: " + printNode(p)
			}
			if _, seen := arms[v]; !seen {
				arms[v] = item
			}
		}
	}
	if dd := arms["--"]; dd == nil || !isShiftBreak(dd.Stmts) {
		return nil, "its `--` arm does not shift and break"
	}
	if ol.dflt != nil {
		if reason := defaultArmPlain(ol.dflt); reason != "" {
			return nil, reason
		}
	}
	byArm := map[*syntax.CaseItem]*parseopt.Option{}
	setBy := map[string]*syntax.CaseItem{}
	taken := map[string]bool{}
	for i := range spec.Options {
		o := &spec.Options[i]
		if o.Group {
			continue
		}
		if positive, ok := strings.CutPrefix(o.Long, "no-"); ok && hasLong(spec, positive) {
			return nil, "options --" + positive + " and --" + o.Long + " both (--" + positive + " may read as the negation)"
		}
		if o.OptionalArg {
			return nil, "option " + optSpelling(o) + " takes an optional argument (the loop reads it as a separate word)"
		}
		if o.Long != "" && !o.NoNegate {
			if arm := arms["--no-"+o.Long]; arm != nil {
				return nil, "an arm handles --no-" + o.Long
			}
			ol.reached = true // --no-<long> goes to the default arm
		}
		arm := arms[optSpelling(o)]
		if arm == nil {
			if o.TakesArg {
				return nil, "option " + optSpelling(o) + " takes a value and has no arm"
			}
			ol.reached = true
			continue
		}
		if prev := byArm[arm]; prev != nil {
			return nil, "one arm handles " + optSpelling(prev) + " and " + optSpelling(o)
		}
		byArm[arm] = o
		assigns, reason := armAssigns(arm.Stmts, o.TakesArg)
		if reason != "" {
			return nil, "the arm of " + optSpelling(o) + " " + reason
		}
		for _, a := range assigns {
			if other := setBy[a.Name.Value]; other != nil && other != arm {
				return nil, "more than one arm sets " + a.Name.Value
			}
			setBy[a.Name.Value] = arm
		}
		name := optFieldName(o)
		if taken[name] {
			return nil, "two options give the field name " + name
		}
		taken[name] = true
		ol.fields = append(ol.fields, &optField{opt: o, goName: name, assigns: assigns})
	}
	if ol.reached && ol.dflt == nil {
		// A spelling no arm matches is shifted and skipped: the
		// default arm is empty.
		ol.dflt = &syntax.CaseItem{}
	}
	for _, n := range optNames {
		if _, clash := g.funcNames[n]; clash {
			return nil, "the script has a function named " + n
		}
	}
	return ol, ""
}

// optionsSpecText is the literal OPTIONS_SPEC the script assigns once,
// at its top level, with OPTIONS_STUCKLONG left empty.
func (g *gen) optionsSpecText() (string, string) {
	var spec *syntax.Assign
	count := 0
	stuck := false
	syntax.Walk(g.file, func(n syntax.Node) bool {
		if a, ok := n.(*syntax.Assign); ok && a.Name != nil {
			switch a.Name.Value {
			case "OPTIONS_SPEC":
				spec = a
				count++
			case "OPTIONS_STUCKLONG":
				stuck = stuck || (a.Value != nil && litValue(a.Value) != "") || (a.Value != nil && !isLiteral(a.Value))
			}
		}
		return true
	})
	if count != 1 || spec.Value == nil {
		return "", "OPTIONS_SPEC is not assigned exactly once"
	}
	// From OPTIONS_STUCKLONG's assignment to the sourcing of
	// git-sh-setup, only assignments without command substitutions and
	// `set --` run (nothing unsets or changes them).
	top, stuckEmpty, sourced := false, false, false
	for _, st := range g.file.Stmts {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if ok && len(call.Args) == 2 && litValue(call.Args[0]) == "." && litValue(call.Args[1]) == "git-sh-setup" {
			sourced = true
			break
		}
		plain := ok && len(call.Args) == 0 && !st.Negated && !st.Background && len(st.Redirs) == 0 && !hasCmdSubst(st)
		if stuckEmpty && !plain && !isSetArgs(st) {
			return "", "commands run between OPTIONS_STUCKLONG= and git-sh-setup (line " + fmt.Sprint(st.Pos().Line()) + ")"
		}
		if !plain {
			continue
		}
		for _, a := range call.Assigns {
			top = top || (a == spec && stuckEmpty)
			stuckEmpty = stuckEmpty || (a.Name.Value == "OPTIONS_STUCKLONG" && (a.Value == nil || isLiteral(a.Value) && litValue(a.Value) == ""))
		}
	}
	if stuck || !stuckEmpty || !sourced {
		// From the environment, or the script, it makes --parseopt
		// print --name=value.
		return "", "OPTIONS_STUCKLONG is not set empty before OPTIONS_SPEC and git-sh-setup"
	}
	text, ok := plainLiteral(spec.Value)
	if !top || !ok {
		return "", "OPTIONS_SPEC is not a literal assigned at the top level"
	}
	return text, ""
}

// argsLeftCond reports the condition `test $# != 0` (-ne, -gt; or with
// [ ]): true while arguments are left, which the loop always has until
// its "--" arm breaks.
func argsLeftCond(cond []*syntax.Stmt) bool {
	if len(cond) != 1 || cond[0].Negated || len(cond[0].Redirs) != 0 || cond[0].Background {
		return false
	}
	call, ok := cond[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) != 0 {
		return false
	}
	args := call.Args
	switch {
	case len(args) == 4 && litValue(args[0]) == "test":
	case len(args) == 5 && litValue(args[0]) == "[" && litValue(args[4]) == "]":
	default:
		return false
	}
	op, ok := plainLiteral(args[2])
	zero, zok := plainLiteral(args[3])
	return isNArgs(args[1]) && ok && zok && zero == "0" && (op == "!=" || op == "-ne" || op == "-gt")
}

// isNArgs reports the word $# (quoted or not).
func isNArgs(w *syntax.Word) bool { return isShortParam(w, "#") }

// isSetArgs reports `set -- WORDS` without command substitutions: it
// sets the arguments, not OPTIONS_STUCKLONG or OPTIONS_SPEC.
func isSetArgs(st *syntax.Stmt) bool {
	call, ok := st.Cmd.(*syntax.CallExpr)
	return ok && len(call.Assigns) == 0 && len(call.Args) >= 2 && litValue(call.Args[0]) == "set" &&
		litValue(call.Args[1]) == "--" && !hasCmdSubst(st) && len(st.Redirs) == 0
}

// hasLong reports an option of the spec with that long name.
func hasLong(spec *parseopt.Spec, long string) bool {
	for _, o := range spec.Options {
		if !o.Group && o.Long == long {
			return true
		}
	}
	return false
}

// isLiteral reports a word without expansions.
func isLiteral(w *syntax.Word) bool {
	_, ok := plainLiteral(w)
	return ok
}

// quotedWord reports a word that is one quoted part.
func quotedWord(w *syntax.Word) bool {
	if len(w.Parts) != 1 {
		return false
	}
	switch w.Parts[0].(type) {
	case *syntax.SglQuoted, *syntax.DblQuoted:
		return true
	}
	return false
}

// loopAfterSetup checks that the loop reads the arguments git-sh-setup's
// eval of `git rev-parse --parseopt` normalized (git-sh-setup:71-75):
// it is at the top level, after the first sourcing of git-sh-setup,
// and nothing between them may set the positional parameters.
func (g *gen) loopAfterSetup(wc *syntax.WhileClause) string {
	sourced := false
	for _, st := range g.file.Stmts {
		if st.Cmd == wc {
			if !sourced {
				return "it does not follow the sourcing of git-sh-setup"
			}
			return ""
		}
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !sourced {
			if ok && len(call.Args) == 2 && (litValue(call.Args[0]) == "." || litValue(call.Args[0]) == "source") &&
				litValue(call.Args[1]) == "git-sh-setup" {
				if g.libs["git-sh-setup"] == nil {
					return "git-sh-setup is not translated"
				}
				sourced = true
			}
			continue
		}
		if reason := keepsArgs(st); reason != "" {
			return reason
		}
	}
	return "it is not at the top level"
}

// keepsArgs says why a top-level statement may change the positional
// parameters ("" when it cannot): it runs set, shift, eval, sourcing,
// exec or a command whose name is not a literal. Function bodies do not
// run where they are defined, and a function's own set -- changes its
// parameters only.
func keepsArgs(st *syntax.Stmt) string {
	reason := ""
	syntax.Walk(st, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			return false
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				return true
			}
			name, ok := plainLiteral(n.Args[0])
			switch {
			case !ok:
				reason = "a command whose name is not a literal runs before the loop (line " + fmt.Sprint(n.Pos().Line()) + ")"
			case setOf("set", "shift", "eval", ".", "source", "exec", "command", "builtin")[name]:
				reason = name + " runs between git-sh-setup and the loop (line " + fmt.Sprint(n.Pos().Line()) + ")"
			}
		}
		return reason == ""
	})
	return reason
}

// isShiftBreak reports `shift; break`.
func isShiftBreak(list []*syntax.Stmt) bool {
	if len(list) != 2 || !isShift(list[0]) {
		return false
	}
	call, ok := list[1].Cmd.(*syntax.CallExpr)
	return ok && len(call.Args) == 1 && len(call.Assigns) == 0 && len(list[1].Redirs) == 0 && litValue(call.Args[0]) == "break"
}

// defaultArmPlain checks that the default arm does not leave or restart
// the loop (break, continue) and does not shift: it runs with the
// spelling it got in $1, and the loop's shift follows it.
func defaultArmPlain(item *syntax.CaseItem) string {
	reason := ""
	for _, st := range item.Stmts {
		syntax.Walk(st, func(n syntax.Node) bool {
			if call, ok := n.(*syntax.CallExpr); ok && len(call.Args) > 0 {
				switch litValue(call.Args[0]) {
				case "break", "continue", "shift", "set", "eval", ".", "source":
					reason = "its default arm runs " + litValue(call.Args[0])
				}
			}
			return reason == ""
		})
	}
	return reason
}

// armAssigns checks an option's arm: assignments of literals (a flag),
// or `shift` and assignments of "$1" or literals (an option with a
// value); it returns the assignments.
func armAssigns(list []*syntax.Stmt, takesArg bool) ([]*syntax.Assign, string) {
	if takesArg {
		if len(list) == 0 || !isShift(list[0]) {
			return nil, "does not shift to its value"
		}
		list = list[1:]
	}
	var out []*syntax.Assign
	for _, st := range list {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) != 0 || len(st.Redirs) != 0 || st.Negated || st.Background {
			return nil, "runs more than assignments"
		}
		for _, a := range call.Assigns {
			if a.Append || a.Array != nil || a.Index != nil || a.Naked {
				return nil, "has a bash assignment"
			}
			switch {
			case a.Value == nil || isLiteral(a.Value):
			case takesArg && isDollar1(a.Value):
			default:
				return nil, "assigns " + printNode(a.Value)
			}
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, "assigns nothing"
	}
	return out, ""
}

// optSpelling is the word git rev-parse --parseopt prints for an option:
// its short form when it has one, else --long.
func optSpelling(o *parseopt.Option) string {
	if o.Short != 0 {
		return "-" + string(o.Short)
	}
	return "--" + o.Long
}

// optFieldName is an option's field in the options struct: its long
// name in camel case (dry-run: dryRun), else its letter.
func optFieldName(o *parseopt.Option) string {
	if o.Long == "" {
		return "opt" + strings.ToUpper(string(o.Short))
	}
	name := varGoName(strings.ReplaceAll(o.Long, "-", "_"))
	if goKeywords[name] {
		name += "Opt"
	}
	return name
}

// writeOptionLoop writes the options struct, its parser and the code
// replacing the loop.
func (g *gen) writeOptionLoop(c *ctx, wc *syntax.WhileClause, ol *optLoop) {
	g.imports["github.com/kiln-dev/kiln/gitapi/parseopt"] = true
	if g.discarding == 0 {
		g.decls = append(g.decls, g.optionDecls(wc, ol))
	}
	if ol.reached {
		c.printf("for {\n")
	}
	if ol.reached {
		c.printf("opts, rest, unknown := parseOptions(s.Args())\n")
	} else {
		c.printf("opts, rest, _ := parseOptions(s.Args())\n")
	}
	for _, f := range ol.fields {
		cond := "opts." + f.goName
		value := ""
		if f.opt.TakesArg {
			cond += " != nil"
			value = "*opts." + f.goName
		}
		if len(f.assigns) == 1 && f.opt.TakesArg && (f.assigns[0].Value == nil || isDollar1(f.assigns[0].Value)) {
			// The option's value given to a Go variable: one call.
			a := f.assigns[0]
			if gv, ok := g.lowered[a.Name.Value]; ok && a.Value != nil {
				g.report.Lowering.VarRefsLowered++
				c.printf("shellrun.SetGiven(&%s, opts.%s)\n", gv, f.goName)
				continue
			}
		}
		c.printf("if %s {\n", cond)
		for _, a := range f.assigns {
			v := value
			if a.Value == nil {
				v = `""`
			} else if !isDollar1(a.Value) {
				v = g.stringWord(c, a.Value)
			}
			if gv, ok := g.lowered[a.Name.Value]; ok {
				g.report.Lowering.VarRefsLowered++
				c.printf("%s = %s\n", gv, v)
			} else {
				g.keptRef(a.Name.Value)
				c.printf("s.Set(%q, %s)\n", a.Name.Value, v)
			}
		}
		c.printf("}\n")
	}
	c.printf("s.SetArgs(rest...)\n")
	if ol.reached {
		c.printf("if !unknown {\nbreak\n}\n")
		saved := c.dead
		c.dead = false
		g.nested(c, ol.dflt.Stmts, false)
		c.dead = saved
		c.printf("s.At(%d)\ns.Shift()\n}\n", ol.shiftLine)
	}
	if !c.dead {
		c.printf("s.SetStatus(0)\n")
	}
}

// optionDecls declares the options struct, the spec and the parser.
func (g *gen) optionDecls(wc *syntax.WhileClause, ol *optLoop) string {
	var b strings.Builder
	from, to := wc.Pos().Line(), wc.End().Line()
	name := g.opts.Name
	fmt.Fprintf(&b, "// options are %s's options, as its OPTIONS_SPEC declares them and its\n// loop (%s:%d-%d) reads them.\ntype options struct {\n", name, name, from, to)
	for _, f := range ol.fields {
		typ := "bool"
		if f.opt.TakesArg {
			typ = "*string"
		}
		help := strings.TrimSpace(f.opt.Help)
		fmt.Fprintf(&b, "\t%s %s // %s: %s\n", f.goName, typ, optSpelling(f.opt), help)
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(&b, "// optionsSpec is %s's OPTIONS_SPEC, which git-sh-setup gives `git rev-parse\n// --parseopt` (its usage and errors are printed there).\nvar optionsSpec = %s\n\n", name, specLiteral(ol.spec))
	fmt.Fprintf(&b, `// parseOptions reads the arguments as git-sh-setup's eval of `+"`git rev-parse\n// --parseopt`"+` left them (each option in one spelling, its value the next
// word, then "--" and the other arguments), the way %[1]s's loop does:
// the options up to "--", and the arguments after it. At an option the
// loop has no arm for it stops: unknown is set, rest starts there.
func parseOptions(args []string) (opts options, rest []string, unknown bool) {
	items, err := optionsSpec.Walk(args, parseopt.Flags{})
	next := 0
	for _, it := range items {
		next = it.Next
		p := it.Option
		switch {
		case p == nil:
			rest = append(rest, it.Arg)
`, name)
	for _, f := range ol.fields {
		match := fmt.Sprintf("p.Option.Long == %q", f.opt.Long)
		if f.opt.Long == "" {
			match = fmt.Sprintf("p.Option.Short == %q", f.opt.Short)
		}
		set := "true"
		if f.opt.TakesArg {
			set = "&p.Value"
		}
		fmt.Fprintf(&b, "\t\tcase %s && !p.Unset:\n\t\t\topts.%s = %s\n", match, f.goName, set)
	}
	b.WriteString(`		default:
			return opts, args[it.Next-len(it.Words):], true
		}
	}
	if err != nil {
		// Not from words --parseopt printed: left to the loop's
		// default arm, at the word it stopped at.
		return opts, args[next:], true
	}
	return opts, rest, false
}
`)
	return b.String()
}

// specLiteral writes a spec as a Go composite literal.
func specLiteral(spec *parseopt.Spec) string {
	var b strings.Builder
	b.WriteString("&parseopt.Spec{\n\tUsage: []string{")
	for i, u := range spec.Usage {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", u)
	}
	b.WriteString("},\n\tOptions: []parseopt.Option{\n")
	for _, o := range spec.Options {
		var f []string
		if o.Short != 0 {
			f = append(f, fmt.Sprintf("Short: %q", o.Short))
		}
		if o.Long != "" {
			f = append(f, fmt.Sprintf("Long: %q", o.Long))
		}
		for _, flag := range []struct {
			on   bool
			name string
		}{{o.TakesArg, "TakesArg"}, {o.OptionalArg, "OptionalArg"}, {o.NoNegate, "NoNegate"}, {o.Hidden, "Hidden"}, {o.Group, "Group"}} {
			if flag.on {
				f = append(f, flag.name+": true")
			}
		}
		if o.ArgHint != "" {
			f = append(f, fmt.Sprintf("ArgHint: %q", o.ArgHint))
		}
		if o.Help != "" {
			f = append(f, fmt.Sprintf("Help: %q", o.Help))
		}
		fmt.Fprintf(&b, "\t\t{%s},\n", strings.Join(f, ", "))
	}
	b.WriteString("\t},\n}")
	return b.String()
}
