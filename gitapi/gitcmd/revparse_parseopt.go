package gitcmd

import (
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// parseoptSpec is `git rev-parse --parseopt`'s own option table.
var parseoptSpec = &parseopt.Spec{
	Usage: []string{"git rev-parse --parseopt [<options>] -- [<args>...]"},
	Options: []parseopt.Option{
		{Long: "keep-dashdash", Help: "keep the `--` passed as an arg"},
		{Long: "stop-at-non-option", Help: "stop parsing after the first non-option argument"},
		{Long: "stuck-long", Help: "output in stuck long form"},
	},
}

// parseoptOptions are `rev-parse --parseopt`'s own options: how to parse
// the script's arguments, and how to print them.
type parseoptOptions struct {
	flags     parseopt.Flags
	stuckLong bool
}

// parseoptArgs parses `rev-parse --parseopt`'s own options, up to the
// "--" before the script's arguments.
var parseoptArgs = &argParser[parseoptOptions]{
	spec:  parseoptSpec,
	flags: parseopt.Flags{KeepDashDash: true},
	bools: map[string]func(o *parseoptOptions) *bool{
		"keep-dashdash":      func(o *parseoptOptions) *bool { return &o.flags.KeepDashDash },
		"stop-at-non-option": func(o *parseoptOptions) *bool { return &o.flags.StopAtNonOption },
		"stuck-long":         func(o *parseoptOptions) *bool { return &o.stuckLong },
	},
}

// parseopt implements `git rev-parse --parseopt`: it reads an option
// specification on stdin, parses the arguments after "--" with it and
// prints a `set -- ...` line for the shell to eval (or the usage, wrapped
// in a here-document, and status 129).
func (c *command) parseopt(args []string) int {
	o, rest, err := parseoptArgs.parse(args)
	if err != nil {
		return c.usage(parseoptSpec, err)
	}
	if len(rest) < 1 || rest[0] != "--" {
		return c.usageOnly(parseoptSpec)
	}
	spec, err := parseopt.ParseSpec(c.in)
	if err != nil {
		return c.fatalErr(err)
	}
	opts, remaining, err := spec.Parse(rest[1:], o.flags)
	if err != nil {
		return c.parseoptFailure(spec, err)
	}
	var b strings.Builder
	b.WriteString("set --")
	for _, opt := range opts {
		b.WriteString(shellOption(opt, o.stuckLong))
	}
	b.WriteString(" --")
	for _, a := range remaining {
		b.WriteString(" " + gitapi.ShellQuote(a))
	}
	c.println(b.String())
	return exitOK
}

// parseoptFailure reports a parse error of the script's options: help
// goes to stdout inside `cat <<\EOF ... EOF` for the shell to eval.
func (c *command) parseoptFailure(spec *parseopt.Spec, err error) int {
	return c.parseFailed(spec, err, func(usage string) string { return "cat <<\\EOF\n" + usage + "EOF\n" })
}

// shellOption prints one parsed option as rev-parse --parseopt does: the
// short name when there is one (unless stuck-long), the argument
// shell-quoted.
func shellOption(o parseopt.Parsed, stuckLong bool) string {
	var s string
	switch {
	case o.Unset:
		s = " --no-" + o.Option.Long
	case o.Option.Short != 0 && (o.Option.Long == "" || !stuckLong):
		s = " -" + string(o.Option.Short)
	default:
		s = " --" + o.Option.Long
	}
	if !o.HasValue {
		return s
	}
	switch {
	case !stuckLong:
		s += " "
	case o.Option.Long != "":
		s += "="
	}
	return s + gitapi.ShellQuote(o.Value)
}
