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

// parseopt implements `git rev-parse --parseopt`: it reads an option
// specification on stdin, parses the arguments after "--" with it and
// prints a `set -- ...` line for the shell to eval (or the usage, wrapped
// in a here-document, and status 129).
func (c *command) parseopt(args []string) int {
	found, rest, err := parseoptSpec.Parse(args, parseopt.Flags{KeepDashDash: true})
	if err != nil {
		return c.usage(parseoptSpec, err)
	}
	if len(rest) < 1 || rest[0] != "--" {
		return c.usageOnly(parseoptSpec)
	}
	var flags parseopt.Flags
	stuckLong := false
	for _, f := range found {
		switch f.Option.Long {
		case "keep-dashdash":
			flags.KeepDashDash = !f.Unset
		case "stop-at-non-option":
			flags.StopAtNonOption = !f.Unset
		case "stuck-long":
			stuckLong = !f.Unset
		}
	}
	spec, err := parseopt.ParseSpec(c.in)
	if err != nil {
		return c.fatalErr(err)
	}
	opts, remaining, err := spec.Parse(rest[1:], flags)
	if err != nil {
		return c.parseoptFailure(spec, err)
	}
	var b strings.Builder
	b.WriteString("set --")
	for _, o := range opts {
		b.WriteString(shellOption(o, stuckLong))
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
