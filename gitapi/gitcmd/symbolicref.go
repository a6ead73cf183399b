package gitcmd

import (
	"errors"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitmsg"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// symbolicRef implements `git symbolic-ref`.
func (c *command) symbolicRef(args []string) int {
	o, rest, err := symbolicRefArgs.parse(args)
	if err != nil {
		return c.badArgs(symbolicRefSpec, err)
	}
	quiet, del, short, recurse, msg, hasMsg := o.quiet, o.del, o.short, !o.noRecurse, o.msg, o.hasMsg
	if hasMsg && msg == "" {
		return c.fatal("Refusing to perform update with empty message")
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	switch {
	case del && len(rest) == 1:
		return c.deleteSymref(r, rest[0])
	case del:
		return c.usageOnly(symbolicRefSpec)
	case len(rest) == 1:
		return c.showSymref(r, rest[0], quiet, short, recurse)
	case len(rest) == 2:
		if rest[0] == "HEAD" && !strings.HasPrefix(rest[1], "refs/") {
			return c.fatal("Refusing to point HEAD outside of refs/")
		}
		if gitapi.CheckRefName(rest[1], true) != nil {
			return c.fatal("Refusing to set '%s' to invalid ref '%s'", rest[0], rest[1])
		}
		if err := r.SetSymbolicRef(rest[0], rest[1], msg); err != nil {
			// A held lock is an error (status 1) saying only what
			// the lock says.
			var ue *gitapi.RefUpdateError
			if errors.As(err, &ue) && ue.Kind == gitapi.RefLocked {
				c.errorf("%s", gitmsg.Text(ue.Cause))
				return 1
			}
			return c.fatalErr(err)
		}
		return exitOK
	}
	return c.usageOnly(symbolicRefSpec)
}

// showSymref prints what a symbolic ref points at.
func (c *command) showSymref(r *gitapi.Repo, name string, quiet, short, recurse bool) int {
	target, isSym, err := r.SymbolicRef(name)
	if err != nil {
		return c.fatalErr(err)
	}
	if !isSym {
		if gitapi.CheckRefName(name, true) != nil {
			return c.fatal("No such ref: %s", name)
		}
		if quiet {
			return 1
		}
		return c.fatal("ref %s is not a symbolic ref", name)
	}
	for depth := 0; recurse && depth < gitapi.MaxSymrefDepth; depth++ {
		next, ok, err := r.SymbolicRef(target)
		if err != nil || !ok {
			break
		}
		target = next
	}
	if short {
		target = r.ShortenRef(target, false)
	}
	c.println(target)
	return exitOK
}

// deleteSymref removes a symbolic ref (never HEAD).
func (c *command) deleteSymref(r *gitapi.Repo, name string) int {
	if _, isSym, _ := r.SymbolicRef(name); !isSym {
		return c.fatal("Cannot delete %s, not a symbolic ref", name)
	}
	if name == "HEAD" {
		return c.fatal("deleting '%s' is not allowed", name)
	}
	if err := r.Update(gitapi.RefUpdate{Name: name, NoDeref: true, Delete: true}); err != nil {
		c.errorf("%s", gitmsg.Text(err))
		return 1
	}
	return exitOK
}

// symbolicRefSpec is `git symbolic-ref`'s option table.
var symbolicRefSpec = &parseopt.Spec{
	Usage: []string{
		"git symbolic-ref [-m <reason>] <name> <ref>",
		"git symbolic-ref [-q] [--short] [--no-recurse] <name>",
		"git symbolic-ref --delete [-q] <name>",
	},
	Options: []parseopt.Option{
		{Short: 'q', Long: "quiet", Help: "suppress error message for non-symbolic (detached) refs"},
		{Short: 'd', Long: "delete", Help: "delete symbolic ref"},
		{Long: "short", Help: "shorten ref output"},
		{Long: "recurse", Help: "recursively dereference (default)"},
		{Short: 'm', TakesArg: true, ArgHint: "reason", Help: "reason of the update"},
	},
}

// symbolicRefOptions are symbolic-ref's parsed options.
type symbolicRefOptions struct {
	quiet, del, short, noRecurse, hasMsg bool
	msg                                  string
}

// symbolicRefArgs parses symbolic-ref's options.
var symbolicRefArgs = &argParser[symbolicRefOptions]{
	spec: symbolicRefSpec,
	bools: map[string]func(o *symbolicRefOptions) *bool{
		"q":     func(o *symbolicRefOptions) *bool { return &o.quiet },
		"d":     func(o *symbolicRefOptions) *bool { return &o.del },
		"short": func(o *symbolicRefOptions) *bool { return &o.short },
	},
	set: func(o *symbolicRefOptions, f parseopt.Parsed) error {
		if f.Option.Short == 'm' {
			o.msg, o.hasMsg = f.Value, !f.Unset
		} else { // --recurse
			o.noRecurse = f.Unset
		}
		return nil
	},
}
