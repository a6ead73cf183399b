package shellparse

import (
	"fmt"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Options is how a script parses its command line: a parse-options spec
// handed to `git rev-parse --parseopt`, hand-written option loops, or both.
type Options struct {
	Spec  *OptionSpec   `json:"spec,omitempty"`
	Loops []*OptionLoop `json:"loops"`

	findings []*Finding
}

// OptionSpec is a parse-options spec (the OPTIONS_SPEC of git-sh-setup or
// any variable piped into `git rev-parse --parseopt`).
type OptionSpec struct {
	Var  string `json:"var"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	// Usage holds the lines before the "--" separator.
	Usage   []string     `json:"usage"`
	Options []SpecOption `json:"options"`
	// Groups are the group header lines.
	Groups []string `json:"groups,omitempty"`
}

// SpecOption is one option line of a spec.
type SpecOption struct {
	Short       string `json:"short,omitempty"`
	Long        string `json:"long,omitempty"`
	TakesArg    bool   `json:"takes_arg,omitempty"`
	OptionalArg bool   `json:"optional_arg,omitempty"`
	Hidden      bool   `json:"hidden,omitempty"`
	NoNegation  bool   `json:"no_negation,omitempty"`
	ArgHint     string `json:"arg_hint,omitempty"`
	Help        string `json:"help"`
}

// OptionLoop is a `while ...; do case "$1" in ...` loop over arguments.
type OptionLoop struct {
	Line    int          `json:"line"`
	Col     int          `json:"col"`
	Func    string       `json:"func,omitempty"`
	Options []LoopOption `json:"options"`
}

// LoopOption is one option pattern a loop handles.
type LoopOption struct {
	Pattern string `json:"pattern"`
	// Name is the option the pattern stands for ("--author" for
	// "--author=*"); TakesValue is set when the value is attached.
	Name       string `json:"name"`
	TakesValue bool   `json:"takes_value,omitempty"`
	Line       int    `json:"line"`
	Col        int    `json:"col"`
}

// ParseOptionSpec parses the text of a parse-options spec with gitapi's
// parser, the one `kiln git rev-parse --parseopt` and the builtins use:
// usage lines, a "--" line, then one option per line as
// <short>,<long><flags><arg-hint> and its help. Its error is the one
// rev-parse --parseopt would stop the script with.
func ParseOptionSpec(text string) (*OptionSpec, error) {
	gs, err := parseopt.ParseSpec(strings.NewReader(text))
	if err != nil {
		return nil, err
	}
	spec := &OptionSpec{Usage: []string{}, Options: []SpecOption{}}
	for _, u := range gs.Usage {
		if u != "" {
			spec.Usage = append(spec.Usage, u)
		}
	}
	for _, o := range gs.Options {
		if o.Group {
			spec.Groups = append(spec.Groups, o.Help)
			continue
		}
		opt := SpecOption{Long: o.Long, TakesArg: o.TakesArg, OptionalArg: o.OptionalArg,
			Hidden: o.Hidden, NoNegation: o.NoNegate, ArgHint: o.ArgHint, Help: o.Help}
		if o.Short != 0 {
			opt.Short = string(o.Short)
		}
		spec.Options = append(spec.Options, opt)
	}
	return spec, nil
}

// analyzeOptions finds a file's option spec and option loops and checks
// them against each other.
func analyzeOptions(f *fileInfo, w *walker) *Options {
	o := &Options{Loops: []*OptionLoop{}}
	o.Spec = findSpec(f.ast, specVars(f.ast), func(line, col int, err error) {
		o.findings = append(o.findings, &Finding{Rule: RuleOptionInconsistency, File: f.path, Line: line, Col: col,
			Message: "option spec does not parse: " + err.Error()})
	})
	o.Loops = findLoops(f.ast)
	if o.Spec == nil && len(o.Loops) == 0 {
		if len(o.findings) > 0 {
			return o
		}
		return nil
	}
	o.check(f.path)
	return o
}

// specVars names the variables that hold a parse-options spec:
// OPTIONS_SPEC (git-sh-setup's convention) and any variable echoed into
// `git rev-parse --parseopt`.
func specVars(f *syntax.File) map[string]bool {
	vars := map[string]bool{"OPTIONS_SPEC": true}
	syntax.Walk(f, func(n syntax.Node) bool {
		b, ok := n.(*syntax.BinaryCmd)
		if !ok || b.Op != syntax.Pipe {
			return true
		}
		echo, ok1 := b.X.Cmd.(*syntax.CallExpr)
		git, ok2 := b.Y.Cmd.(*syntax.CallExpr)
		if !ok1 || !ok2 || len(echo.Args) != 2 || len(git.Args) < 3 {
			return true
		}
		e, _ := literal(echo.Args[0])
		g, _ := literal(git.Args[0])
		sub, _ := literal(git.Args[1])
		opt, _ := literal(git.Args[2])
		if e != "echo" || g != "git" || sub != "rev-parse" || opt != "--parseopt" {
			return true
		}
		if name := paramName(echo.Args[1]); name != "" {
			vars[name] = true
		}
		return true
	})
	return vars
}

// paramName returns V for a word that is just $V or "$V".
func paramName(w *syntax.Word) string {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return ""
	}
	pe, ok := parts[0].(*syntax.ParamExp)
	if !ok || pe.Param == nil || pe.Exp != nil || pe.Repl != nil || pe.Slice != nil || pe.Index != nil || pe.Excl || pe.Length {
		return ""
	}
	return pe.Param.Value
}

// findSpec returns the last non-empty assignment of a spec variable that
// parses; bad reports those that do not.
func findSpec(f *syntax.File, vars map[string]bool, bad func(line, col int, err error)) *OptionSpec {
	var spec *OptionSpec
	syntax.Walk(f, func(n syntax.Node) bool {
		a, ok := n.(*syntax.Assign)
		if !ok || a.Name == nil || !vars[a.Name.Value] || a.Value == nil {
			return true
		}
		text := templateText(a.Value)
		if strings.TrimSpace(text) == "" {
			return true
		}
		parsed, err := ParseOptionSpec(text)
		if err != nil {
			bad(int(a.Pos().Line()), int(a.Pos().Col()), err)
			return true
		}
		spec = parsed
		spec.Var = a.Name.Value
		spec.Line, spec.Col = int(a.Pos().Line()), int(a.Pos().Col())
		return true
	})
	return spec
}

// findLoops finds case statements over $1 (or over a variable set from $1)
// inside while/until loops, with the option patterns they handle.
func findLoops(f *syntax.File) []*OptionLoop {
	var loops []*OptionLoop
	var fn string
	var visit func(n syntax.Node, inLoop bool, argVars map[string]bool)
	visit = func(n syntax.Node, inLoop bool, argVars map[string]bool) {
		syntax.Walk(n, func(n syntax.Node) bool {
			switch x := n.(type) {
			case *syntax.FuncDecl:
				saved := fn
				fn = strings.Join(funcDeclNames(x), ",")
				visit(x.Body, false, nil)
				fn = saved
				return false
			case *syntax.WhileClause:
				vars := assignedFromFirstArg(x)
				for _, s := range x.Cond {
					visit(s, true, vars)
				}
				for _, s := range x.Do {
					visit(s, true, vars)
				}
				return false
			case *syntax.CaseClause:
				if inLoop && isFirstArg(x.Word, argVars) {
					if loop := loopOptions(x, fn); len(loop.Options) > 0 {
						loops = append(loops, loop)
					}
				}
			}
			return true
		})
	}
	visit(f, false, nil)
	return loops
}

func assignedFromFirstArg(loop *syntax.WhileClause) map[string]bool {
	vars := map[string]bool{}
	for _, s := range loop.Do {
		call, ok := s.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) != 0 {
			continue
		}
		for _, a := range call.Assigns {
			if a.Name != nil && a.Value != nil && paramName(a.Value) == "1" {
				vars[a.Name.Value] = true
			}
		}
	}
	return vars
}

func isFirstArg(w *syntax.Word, argVars map[string]bool) bool {
	name := paramName(w)
	return name == "1" || (name != "" && argVars[name])
}

func loopOptions(c *syntax.CaseClause, fn string) *OptionLoop {
	loop := &OptionLoop{Line: int(c.Pos().Line()), Col: int(c.Pos().Col()), Func: fn}
	for _, item := range c.Items {
		for _, p := range item.Patterns {
			text, ok := literal(p)
			if !ok || !strings.HasPrefix(text, "-") || text == "--" || text == "-" || strings.HasPrefix(text, "-*") {
				continue
			}
			name, value := text, false
			if i := strings.Index(text, "="); i > 0 {
				name, value = text[:i], true
			}
			loop.Options = append(loop.Options, LoopOption{Pattern: text, Name: name, TakesValue: value,
				Line: int(p.Pos().Line()), Col: int(p.Pos().Col())})
		}
	}
	return loop
}

// check flags options declared but not handled, handled but not declared,
// and hand-written abbreviations that parse-options semantics would make
// unnecessary or ambiguous.
func (o *Options) check(path string) {
	handled := map[string]bool{}
	for _, l := range o.Loops {
		for _, opt := range l.Options {
			handled[strings.TrimSuffix(opt.Name, "*")] = true
		}
	}
	add := func(line, col int, format string, args ...any) {
		o.findings = append(o.findings, &Finding{Rule: RuleOptionInconsistency, File: path,
			Line: line, Col: col, Message: fmt.Sprintf(format, args...)})
	}
	if o.Spec != nil && len(o.Loops) > 0 {
		declared := map[string]bool{"-h": true}
		for _, opt := range o.Spec.Options {
			if opt.Short != "" {
				declared["-"+opt.Short] = true
			}
			if opt.Long != "" {
				declared["--"+opt.Long] = true
				if !opt.NoNegation {
					declared["--no-"+opt.Long] = true
				}
			}
			// parse-options answers -h and --help itself.
			if opt.Short == "h" || opt.Long == "help" {
				continue
			}
			if !handled["-"+opt.Short] && !handled["--"+opt.Long] {
				add(o.Spec.Line, o.Spec.Col, "option %s is declared in %s but no option loop handles it",
					specName(opt), o.Spec.Var)
			}
		}
		for _, l := range o.Loops {
			longs := l.longOptions()
			for _, opt := range l.Options {
				// An abbreviation is reported as one below.
				abbrev := !opt.TakesValue && longerOption(opt.Name, longs) != ""
				if !strings.Contains(opt.Name, "*") && !abbrev && !declared[opt.Name] {
					add(opt.Line, opt.Col, "option %s is handled but not declared in %s (line %d)",
						opt.Name, o.Spec.Var, o.Spec.Line)
				}
			}
		}
	}
	for _, l := range o.Loops {
		o.checkAbbreviations(l, add)
	}
}

func specName(opt SpecOption) string {
	if opt.Long != "" {
		return "--" + opt.Long
	}
	return "-" + opt.Short
}

// checkAbbreviations flags patterns that spell out prefixes of a long
// option (--st|--str|--strategy) and globs such as --tool* that accept any
// option starting with the same letters.
func (o *Options) checkAbbreviations(l *OptionLoop, add func(int, int, string, ...any)) {
	longs := l.longOptions()
	for _, opt := range l.Options {
		name := opt.Name
		if !strings.HasPrefix(name, "--") {
			continue
		}
		if stem, ok := strings.CutSuffix(name, "*"); ok && !strings.Contains(stem, "*") {
			if full := longerOption(stem, longs); full != "" {
				add(opt.Line, opt.Col, "hard-coded abbreviation %s of %s: parse-options would accept any unique prefix", opt.Pattern, full)
			} else {
				add(opt.Line, opt.Col, "glob %s accepts any option that starts with %s, not only %s and %s=<value>", opt.Pattern, stem, stem, stem)
			}
			continue
		}
		if full := longerOption(name, longs); full != "" && !opt.TakesValue {
			add(opt.Line, opt.Col, "hard-coded abbreviation %s of %s: parse-options would accept any unique prefix", name, full)
		}
	}
}

// longOptions returns the loop's long options spelled out in full, sorted.
func (l *OptionLoop) longOptions() []string {
	var longs []string
	for _, opt := range l.Options {
		if strings.HasPrefix(opt.Name, "--") && !strings.Contains(opt.Name, "*") {
			longs = append(longs, opt.Name)
		}
	}
	sort.Strings(longs)
	return longs
}

// longerOption returns an option of longs that strictly extends prefix
// (without a dash after it, which makes a different option), or "".
func longerOption(prefix string, longs []string) string {
	for _, l := range longs {
		if len(l) > len(prefix) && strings.HasPrefix(l, prefix) && l[len(prefix)] != '-' {
			return l
		}
	}
	return ""
}
