package parseopt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Option is one option of a parse-options specification, as a builtin's
// OPTIONS_SPEC (or git's own tables) declares it.
type Option struct {
	Short       byte   // 0 when the option has no short form
	Long        string // "" when the option has no long form
	TakesArg    bool   // "=": needs an argument
	OptionalArg bool   // "?": may take an argument (attached only)
	NoNegate    bool   // "!": --no-<long> is not accepted
	Hidden      bool   // "*": listed only by --help-all
	ArgHint     string // name of the argument in the usage text
	Help        string
	// Group marks a group heading (Help is its text) rather than an
	// option.
	Group bool
	// Takes, if not nil, says how many of the arguments after the
	// option it takes, as a low-level callback of git's reads them
	// (update-index --cacheinfo takes one or three); they are the
	// Parsed's Follow.
	Takes func(next []string) int
}

// Spec is a parse-options specification: usage lines and options.
type Spec struct {
	Usage   []string
	Options []Option
}

// Flags changes how arguments are parsed.
type Flags struct {
	KeepDashDash    bool // keep "--" in the remaining arguments
	StopAtNonOption bool // stop at the first non-option argument
	// Exact reads options the way a command that compares its
	// arguments by hand does (rev-parse): a long option by its whole
	// name only ("--name", or "--name=value" when its value is
	// optional), a short one alone ("-q"), none negated, no help
	// option; an argument that is none of these is an argument, even
	// when it starts with "-". A required value comes from the next
	// argument; with none left the option is found without one
	// (HasValue false) for the caller to report.
	Exact bool
}

// Parsed is one option found in the arguments.
type Parsed struct {
	Option *Option
	Value  string
	// HasValue is false for an option given without argument.
	HasValue bool
	// Unset is true for --no-<long>.
	Unset bool
	// Follow are the arguments the option took after it (Option.Takes).
	Follow []string
}

// Item is one element of a parse in order (Walk): an option found, or
// an argument that is not one.
type Item struct {
	// Option is the option found; nil for an argument.
	Option *Parsed
	// Arg is the argument, when Option is nil.
	Arg string
	// Words are the arguments the item was read from, as given: the
	// option's word (a whole cluster for a clustered short option) and
	// the values it took, or the argument.
	Words []string
	// Next is the index in the arguments after the item.
	Next int
}

// HelpRequest is returned by Parse for -h, --help and --help-all (and
// for an ambiguous abbreviation, which git answers with the usage on
// stdout): print Usage to stdout, exit 129. Message, if not empty, goes
// to stderr first as "error: Message".
type HelpRequest struct {
	Full    bool
	Message string
}

// Error says help was asked for.
func (h *HelpRequest) Error() string { return "help requested" }

// Error is an option error: print "error: Message" to stderr,
// then the usage to stderr when ShowUsage, and exit 129.
type Error struct {
	Message   string
	ShowUsage bool
	// Unknown is the option, when the error is that it is unknown:
	// "--name[=value]" for a long one, "-c" for a switch (of a
	// cluster too). Some commands word that error their own way.
	Unknown string
}

// Error is the message, as printed after "error: ".
func (e *Error) Error() string { return e.Message }

// optionFlagChars are the flag characters of a spec line.
const optionFlagChars = "*=?!"

// MustParseSpec is ParseSpec of a specification written in the program
// (a builtin's OPTIONS_SPEC); it panics if the text is not one, as
// regexp.MustCompile does.
func MustParseSpec(text string) *Spec {
	s, err := ParseSpec(strings.NewReader(text))
	if err != nil {
		panic("parseopt: bad option spec: " + err.Error())
	}
	return s
}

// ParseSpec reads the specification `git rev-parse --parseopt`
// takes on stdin: usage lines, a "--" line, then one option per line,
// `<short>|<short>,<long>|<long>` followed by flags "=?!*", an optional
// argument hint, spaces and the help text; a line starting with a space
// is a group heading.
func ParseSpec(r io.Reader) (*Spec, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	spec := &Spec{}
	for {
		if !sc.Scan() {
			return nil, errors.New("premature end of input")
		}
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "--" {
			if len(spec.Usage) == 0 {
				return nil, errors.New("no usage string given before the `--' separator")
			}
			break
		}
		spec.Usage = append(spec.Usage, line)
	}
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			continue
		}
		opt, err := parseSpecLine(line)
		if err != nil {
			return nil, err
		}
		spec.Options = append(spec.Options, opt)
	}
	return spec, sc.Err()
}

// parseSpecLine parses one option line of a specification.
func parseSpecLine(line string) (Option, error) {
	space := strings.IndexAny(line, " \t\n\v\f\r")
	if space <= 0 {
		return Option{Group: true, Help: strings.TrimLeft(line, " \t\n\v\f\r")}, nil
	}
	names, help := line[:space], strings.TrimLeft(line[space+1:], " \t\n\v\f\r")
	opt := Option{Help: help}
	end := strings.IndexAny(names, optionFlagChars)
	if end < 0 {
		end = len(names)
	}
	switch {
	case end == 0:
		return opt, errors.New("missing opt-spec before option flags")
	case end == 1:
		opt.Short = names[0]
	case names[1] != ',':
		opt.Long = names[:end]
	default:
		opt.Short, opt.Long = names[0], names[2:end]
	}
	i := end
	for ; i < len(names) && strings.IndexByte(optionFlagChars, names[i]) >= 0; i++ {
		switch names[i] {
		case '=':
			opt.TakesArg = true
		case '?':
			opt.TakesArg, opt.OptionalArg = true, true
		case '!':
			opt.NoNegate = true
		case '*':
			opt.Hidden = true
		}
	}
	opt.ArgHint = names[i:]
	return opt, nil
}

// optParser is the state of one Parse.
type optParser struct {
	spec  *Spec
	args  []string
	i     int
	items []Item
}

// Parse parses args (without the command name) with git's parse-options
// rules: clustered short options, unique-prefix abbreviation of long
// options, --no-<long> negation, "--" ends the options, non-options are
// collected unless StopAtNonOption, a lone -h (or --help) asks for help.
// It returns the options found and the other arguments.
func (s *Spec) Parse(args []string, flags Flags) ([]Parsed, []string, error) {
	items, err := s.Walk(args, flags)
	if err != nil {
		return nil, nil, err
	}
	var found []Parsed
	var rest []string
	for _, it := range items {
		if it.Option != nil {
			found = append(found, *it.Option)
		} else {
			rest = append(rest, it.Arg)
		}
	}
	return found, rest, nil
}

// Walk is Parse keeping the order of the arguments, for a command whose
// options act where they stand (git's parse_options_step loop): the
// options and the other arguments as they come. On an error it returns
// the items before it.
func (s *Spec) Walk(args []string, flags Flags) ([]Item, error) {
	p := &optParser{spec: s, args: args}
	for ; p.i < len(args); p.i++ {
		start, n := p.i, len(p.items)
		arg := args[p.i]
		var err error
		switch {
		case len(arg) < 2 || arg[0] != '-':
			if flags.StopAtNonOption {
				p.arguments(p.i)
				return p.items, nil
			}
			p.argument(arg)
		case arg == "--":
			if !flags.KeepDashDash {
				p.i++
			}
			p.arguments(p.i)
			return p.items, nil
		case flags.Exact:
			if !p.exact(arg) {
				p.argument(arg)
			}
		case arg[1] != '-':
			err = p.shortCluster(arg)
		default:
			err = p.long(arg[2:])
		}
		for k := n; k < len(p.items); k++ {
			p.items[k].Words, p.items[k].Next = args[start:p.i+1], p.i+1
		}
		if err != nil {
			return p.items, err
		}
	}
	return p.items, nil
}

// argument records a non-option argument.
func (p *optParser) argument(arg string) {
	p.items = append(p.items, Item{Arg: arg})
}

// arguments records args[from:] as arguments.
func (p *optParser) arguments(from int) {
	for i := from; i < len(p.args); i++ {
		p.items = append(p.items, Item{Arg: p.args[i], Words: p.args[i : i+1], Next: i + 1})
	}
}

// found records an option, with the arguments it takes after it.
func (p *optParser) found(f Parsed) {
	if f.Option.Takes != nil {
		n := min(max(f.Option.Takes(p.args[p.i+1:]), 0), len(p.args)-p.i-1)
		f.Follow = p.args[p.i+1 : p.i+1+n]
		p.i += n
	}
	p.items = append(p.items, Item{Option: &f})
}

// exact finds arg as Flags.Exact reads options; false when it is none.
func (p *optParser) exact(arg string) bool {
	var opt *Option
	value, hasValue := "", false
	if arg[1] != '-' {
		if len(arg) != 2 {
			return false
		}
		opt = p.spec.short(arg[1])
	} else {
		var name string
		name, value, hasValue = strings.Cut(arg[2:], "=")
		for i := range p.spec.Options {
			if o := &p.spec.Options[i]; !o.Group && o.Long == name {
				opt = o
				break
			}
		}
	}
	switch {
	case opt == nil, hasValue && !opt.OptionalArg:
		return false
	case opt.TakesArg && !opt.OptionalArg && p.i+1 < len(p.args):
		p.i++
		value, hasValue = p.args[p.i], true
	}
	p.found(Parsed{Option: opt, Value: value, HasValue: hasValue})
	return true
}

// shortCluster parses "-abc" (or "-bvalue").
func (p *optParser) shortCluster(arg string) error {
	if arg == "-h" && len(p.args) == 1 {
		return &HelpRequest{}
	}
	rest := arg[1:]
	first := true
	for rest != "" {
		opt := p.spec.short(rest[0])
		if opt == nil {
			if rest[0] == 'h' {
				return &HelpRequest{}
			}
			if first && len(rest) > 1 {
				if err := p.spec.checkTypos(rest); err != nil {
					return err
				}
			}
			return &Error{Message: fmt.Sprintf("unknown switch `%c'", rest[0]), ShowUsage: true, Unknown: "-" + rest[:1]}
		}
		if first && len(rest) > 1 && !opt.TakesArg {
			if err := p.spec.checkTypos(rest); err != nil {
				return err
			}
		}
		first = false
		attached := rest[1:]
		rest = attached
		if !opt.TakesArg {
			p.found(Parsed{Option: opt})
			continue
		}
		if attached != "" || opt.OptionalArg {
			p.found(Parsed{Option: opt, Value: attached, HasValue: attached != ""})
			return nil
		}
		if p.i+1 >= len(p.args) {
			return &Error{Message: fmt.Sprintf("switch `%c' requires a value", opt.Short)}
		}
		p.i++
		p.found(Parsed{Option: opt, Value: p.args[p.i], HasValue: true})
		return nil
	}
	return nil
}

// checkTypos rejects "-foo" when "foo" starts a long option (or is a
// negation): the user meant "--foo".
func (s *Spec) checkTypos(arg string) error {
	if len(arg) < 3 {
		return nil
	}
	typo := &Error{Message: fmt.Sprintf("did you mean `--%s` (with two dashes)?", arg)}
	if strings.HasPrefix(arg, "no-") {
		return typo
	}
	for _, o := range s.Options {
		if !o.Group && o.Long != "" && strings.HasPrefix(o.Long, arg) {
			return typo
		}
	}
	return nil
}

// short finds the option with short name c.
func (s *Spec) short(c byte) *Option {
	for i := range s.Options {
		if o := &s.Options[i]; !o.Group && o.Short == c {
			return o
		}
	}
	return nil
}

// longMatch is a candidate for an abbreviated long option.
type longMatch struct {
	opt   *Option
	unset bool
}

// long parses "--name[=value]" (arg without the dashes).
func (p *optParser) long(arg string) error {
	if arg == "help-all" {
		return &HelpRequest{Full: true}
	}
	if arg == "help" {
		return &HelpRequest{}
	}
	name, value, hasValue := strings.Cut(arg, "=")
	var abbrev, ambiguous *longMatch
	for i := range p.spec.Options {
		o := &p.spec.Options[i]
		if o.Group || o.Long == "" {
			continue
		}
		if name == o.Long {
			return p.takeLong(o, false, value, hasValue)
		}
		if positive, ok := strings.CutPrefix(o.Long, "no-"); ok && !o.NoNegate && !strings.HasPrefix(name, "no-") && !strings.HasPrefix(o.Long, name) {
			// "--verify" is the negation of an option named
			// "no-verify".
			if name == positive {
				return p.takeLong(o, true, value, hasValue)
			}
			if strings.HasPrefix(positive, name) {
				if abbrev != nil {
					ambiguous = abbrev
				}
				abbrev = &longMatch{o, true}
			}
			continue
		}
		unset, prefixOK := false, false
		switch negated, isNeg := strings.CutPrefix(name, "no-"); {
		case strings.HasPrefix(o.Long, name):
			prefixOK = true
		case o.NoNegate:
		case strings.HasPrefix("no-", name):
			unset, prefixOK = true, true
		case isNeg && negated == o.Long:
			return p.takeLong(o, true, value, hasValue)
		case isNeg && strings.HasPrefix(o.Long, negated):
			unset, prefixOK = true, true
		}
		if prefixOK {
			if abbrev != nil {
				ambiguous = abbrev
			}
			abbrev = &longMatch{o, unset}
		}
	}
	if ambiguous != nil {
		neg := func(m *longMatch) string {
			if m.unset {
				return "no-"
			}
			return ""
		}
		return &HelpRequest{Message: fmt.Sprintf("ambiguous option: %s (could be --%s%s or --%s%s)",
			name, neg(ambiguous), ambiguous.opt.Long, neg(abbrev), abbrev.opt.Long)}
	}
	if abbrev != nil {
		return p.takeLong(abbrev.opt, abbrev.unset, value, hasValue)
	}
	return &Error{Message: fmt.Sprintf("unknown option `%s'", arg), ShowUsage: true, Unknown: "--" + arg}
}

// takeLong records a long option, taking its argument from "=value" or
// the next argument.
func (p *optParser) takeLong(o *Option, unset bool, value string, hasValue bool) error {
	switch {
	case unset && hasValue:
		return &Error{Message: fmt.Sprintf("option `no-%s' takes no value", o.Long)}
	case unset && o.NoNegate:
		return &Error{Message: fmt.Sprintf("option `no-%s' isn't available", o.Long)}
	case unset:
		p.found(Parsed{Option: o, Unset: true})
	case !o.TakesArg && hasValue:
		return &Error{Message: fmt.Sprintf("option `%s' takes no value", o.Long)}
	case !o.TakesArg || hasValue || o.OptionalArg:
		p.found(Parsed{Option: o, Value: value, HasValue: hasValue})
	case p.i+1 < len(p.args):
		p.i++
		p.found(Parsed{Option: o, Value: p.args[p.i], HasValue: true})
	default:
		return &Error{Message: fmt.Sprintf("option `%s' requires a value", o.Long)}
	}
	return nil
}

// usageOptsWidth and usageGap lay out the option column of the usage.
const (
	usageOptsWidth = 24
	usageGap       = 2
)

// UsageText formats the usage the way parse-options prints it; full
// includes hidden options (--help-all).
func (s *Spec) UsageText(full bool) string {
	var b strings.Builder
	usage := s.Usage
	fmt.Fprintf(&b, "usage: %s\n", usage[0])
	usage = usage[1:]
	for len(usage) > 0 && usage[0] != "" {
		fmt.Fprintf(&b, "   or: %s\n", usage[0])
		usage = usage[1:]
	}
	for _, line := range usage {
		if line == "" {
			b.WriteString("\n")
		} else {
			fmt.Fprintf(&b, "    %s\n", line)
		}
	}
	needNewline := true
	for _, o := range s.Options {
		if o.Group {
			b.WriteString("\n")
			needNewline = false
			if o.Help != "" {
				b.WriteString(o.Help + "\n")
			}
			continue
		}
		if o.Hidden && !full {
			continue
		}
		if needNewline {
			b.WriteString("\n")
			needNewline = false
		}
		b.WriteString(o.usageLine())
	}
	b.WriteString("\n")
	return b.String()
}

// usageLine formats one option's line of the usage.
func (o Option) usageLine() string {
	col := "    "
	if o.Short != 0 {
		col += "-" + string(o.Short)
	}
	if o.Short != 0 && o.Long != "" {
		col += ", "
	}
	if o.Long != "" {
		col += "--" + o.Long
	}
	if o.TakesArg || o.Takes != nil {
		col += o.argHelp()
	}
	pad := 0
	switch {
	case len(col) <= usageOptsWidth:
		pad = usageOptsWidth - len(col)
	default:
		col += "\n"
		pad = usageOptsWidth
	}
	return col + strings.Repeat(" ", pad+usageGap) + o.Help + "\n"
}

// argHelp formats the argument of an option in the usage: " <hint>",
// "[=<hint>]" for an optional one; a hint with <>[]()| is literal.
func (o Option) argHelp() string {
	hint := o.ArgHint
	literal := hint == "" || strings.ContainsAny(hint, "()<>[]|")
	if hint == "" {
		hint = "..."
	}
	if !literal {
		hint = "<" + hint + ">"
	}
	switch {
	case o.OptionalArg && o.Long != "":
		return "[=" + hint + "]"
	case o.OptionalArg:
		return "[" + hint + "]"
	}
	return " " + hint
}

// Report prints what parse-options prints for err, an error of Parse: a
// help request's usage on stdout (after its "error: " line on stderr,
// if any), an option error's "error: " line on stderr followed by the
// usage when the error shows it; both give git's status 129. Any other
// error is printed as "fatal: " and gives 128.
func (s *Spec) Report(err error, stdout, stderr io.Writer) int {
	var help *HelpRequest
	var pe *Error
	switch {
	case errors.As(err, &help):
		if help.Message != "" {
			io.WriteString(stderr, "error: "+help.Message+"\n")
		}
		io.WriteString(stdout, s.UsageText(help.Full))
		return 129
	case errors.As(err, &pe):
		io.WriteString(stderr, "error: "+pe.Message+"\n")
		if pe.ShowUsage {
			io.WriteString(stderr, s.UsageText(false))
		}
		return 129
	}
	io.WriteString(stderr, "fatal: "+err.Error()+"\n")
	return 128
}
