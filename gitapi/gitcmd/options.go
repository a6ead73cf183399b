package gitcmd

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// UnservedError is an argument form a face leaves to git: Serves is
// false for the argv, and Run, called with it anyway, reports it and
// exits 128.
type UnservedError struct {
	Command string // the subcommand
	Form    string // the option or form, as given
}

// Error is the message Run prints for the form.
func (e *UnservedError) Error() string {
	return "'" + e.Command + " " + e.Form + "' is not implemented in-process by gitapi"
}

// unserved returns the UnservedError of an option of cmd.
func unserved(cmd string, f parseopt.Parsed) error {
	name := "--" + f.Option.Long
	if f.Option.Long == "" {
		name = "-" + string(f.Option.Short)
	}
	return &UnservedError{Command: cmd, Form: name}
}

// argParser parses a face's argv once into its options struct O: the
// face's option table, and how each option found sets O (returning an
// *UnservedError for what the face leaves to git, a *parseopt.Error for
// a bad value).
type argParser[O any] struct {
	spec  *parseopt.Spec
	flags parseopt.Flags
	// init is O before any option (its defaults).
	init O
	// bools and strs bind options, by long name or by short letter, to
	// fields of O: a flag sets true (false when negated), a value is
	// stored.
	bools map[string]func(o *O) *bool
	strs  map[string]func(o *O) *string
	// set, if not nil, takes the other options.
	set func(o *O, f parseopt.Parsed) error
	// retry, if set, may answer a parse error with other arguments to
	// parse instead (a value git supplies for a trailing option).
	retry func(args []string, err error) ([]string, bool)
	// check, if set, tells Serves of forms the face runs but leaves to
	// git when it can (positional forms, combinations): an
	// *UnservedError for those.
	check func(o *O, rest []string) error
}

// parse parses args: the options, and the arguments left.
func (p *argParser[O]) parse(args []string) (O, []string, error) {
	return p.parseOnto(p.init, args)
}

// parseOnto is parse with the options starting from o (defaults a face
// read from configuration) rather than init.
func (p *argParser[O]) parseOnto(o O, args []string) (O, []string, error) {
	items, err := p.walk(args)
	if err != nil {
		return o, nil, err
	}
	var rest []string
	for _, it := range items {
		if it.Option == nil {
			rest = append(rest, it.Arg)
		} else if err := p.apply(&o, *it.Option); err != nil {
			return o, rest, err
		}
	}
	return o, rest, nil
}

// walk parses args once, keeping their order: the options and the other
// arguments as they come (on an error, those before it). parse is walk
// with every option applied; a face whose options act where they stand,
// as git processes them in order (update-index, rev-parse), applies them
// itself as it goes.
func (p *argParser[O]) walk(args []string) ([]parseopt.Item, error) {
	items, err := p.spec.Walk(args, p.flags)
	if err != nil && p.retry != nil {
		if again, ok := p.retry(args, err); ok {
			items, err = p.spec.Walk(again, p.flags)
		}
	}
	return items, err
}

// apply sets o from one option found: a bound flag or value, else set.
func (p *argParser[O]) apply(o *O, f parseopt.Parsed) error {
	long, short := f.Option.Long, string(f.Option.Short)
	if b := p.bools[long]; b != nil || p.bools[short] != nil {
		if b == nil {
			b = p.bools[short]
		}
		*b(o) = !f.Unset
	} else if v := p.strs[long]; v != nil || p.strs[short] != nil {
		if v == nil {
			v = p.strs[short]
		}
		*v(o) = f.Value
	} else if p.set != nil {
		return p.set(o, f)
	}
	return nil
}

// parses reports whether the face parses args: everything but a form it
// leaves to git (a usage error is the face's to print).
func (p *argParser[O]) parses(args []string) bool {
	o, rest, err := p.parse(args)
	if err == nil && p.check != nil {
		err = p.check(&o, rest)
	}
	var ue *UnservedError
	return !errors.As(err, &ue)
}

// badArgs reports a parse failure of spec's face: git's usage for an
// option error, the fatal message for an unserved form.
func (c *command) badArgs(spec *parseopt.Spec, err error) int {
	var ue *UnservedError
	if errors.As(err, &ue) {
		return c.fatal("%s", ue.Error())
	}
	return c.usage(spec, err)
}

// abbrevLength reads an --abbrev[=<n>] value as git's OPT__ABBREV does:
// 0 for full ids (also when negated), -1 for the repository's default
// length, else n within [MinAbbrev, HexSize].
func abbrevLength(f parseopt.Parsed) (int, error) {
	switch {
	case f.Unset:
		return 0, nil
	case !f.HasValue:
		return -1, nil
	}
	n, err := strconv.Atoi(f.Value)
	switch {
	case err != nil:
		return 0, &parseopt.Error{Message: fmt.Sprintf("option `%s' expects a numerical value", f.Option.Long)}
	case n == 0:
		return 0, nil
	}
	return min(max(n, gitapi.MinAbbrev), gitapi.HexSize), nil
}
