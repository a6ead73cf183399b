package gitcmd

import (
	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// updateRef implements `git update-ref` (without --stdin).
func (c *command) updateRef(args []string) int {
	o, rest, err := updateRefArgs.parse(args)
	if err != nil {
		return c.badArgs(updateRefSpec, err)
	}
	u, del, hasMsg := o.update, o.del, o.hasMsg
	if hasMsg && u.Message == "" {
		return c.fatal("Refusing to perform update with empty message.")
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	if del {
		if len(rest) < 1 || len(rest) > 2 {
			return c.usageOnly(updateRefSpec)
		}
		return c.deleteRefCmd(r, u, rest)
	}
	if len(rest) < 2 || len(rest) > 3 {
		return c.usageOnly(updateRefSpec)
	}
	u.Name = rest[0]
	newID, err := r.Resolve(rest[1])
	if err != nil {
		return c.fatal("%s: not a valid SHA1", rest[1])
	}
	u.New = newID
	if len(rest) == 3 {
		old, err := c.oldValue(r, rest[2])
		if err != nil {
			return c.fatal("%s: not a valid old SHA1", rest[2])
		}
		u.Old = &old
	}
	if err := r.Update(u); err != nil {
		return UpdateRefFailed(c.err, err, false)
	}
	return exitOK
}

// oldValue parses an <old-val>: empty means "must not exist".
func (c *command) oldValue(r *gitapi.Repo, s string) (gitapi.Hash, error) {
	if s == "" {
		return gitapi.ZeroHash, nil
	}
	return r.Resolve(s)
}

// deleteRefCmd handles update-ref -d.
func (c *command) deleteRefCmd(r *gitapi.Repo, u gitapi.RefUpdate, rest []string) int {
	u.Name, u.Delete = rest[0], true
	if len(rest) == 2 {
		old, err := c.oldValue(r, rest[1])
		if err != nil {
			return c.fatal("%s: not a valid old SHA1", rest[1])
		}
		if !old.IsZero() {
			// git treats an all-zero old value of a deletion as
			// "don't care".
			u.Old = &old
		}
	}
	if err := r.Update(u); err != nil {
		return UpdateRefFailed(c.err, err, true)
	}
	return exitOK
}

// updateRefSpec is `git update-ref`'s option table.
var updateRefSpec = &parseopt.Spec{
	Usage: []string{
		"git update-ref [<options>] -d <refname> [<old-val>]",
		"git update-ref [<options>]    <refname> <new-val> [<old-val>]",
		"git update-ref [<options>] --stdin [-z]",
	},
	Options: []parseopt.Option{
		{Short: 'm', TakesArg: true, ArgHint: "reason", Help: "reason of the update"},
		{Short: 'd', Help: "delete the reference"},
		{Long: "no-deref", Help: "update <refname> not the one it points to"},
		{Short: 'z', Help: "stdin has NUL-terminated arguments"},
		{Long: "stdin", Help: "read updates from stdin"},
		{Long: "create-reflog", Help: "create a reflog"},
	},
}

// updateRefOptions are update-ref's parsed options.
type updateRefOptions struct {
	update      gitapi.RefUpdate
	del, hasMsg bool
}

// updateRefArgs parses update-ref's options; --stdin and -z are left to
// git.
var updateRefArgs = &argParser[updateRefOptions]{
	spec: updateRefSpec,
	bools: map[string]func(o *updateRefOptions) *bool{
		"d":             func(o *updateRefOptions) *bool { return &o.del },
		"no-deref":      func(o *updateRefOptions) *bool { return &o.update.NoDeref },
		"create-reflog": func(o *updateRefOptions) *bool { return &o.update.CreateReflog },
	},
	set: func(o *updateRefOptions, f parseopt.Parsed) error {
		if f.Option.Short == 'm' {
			o.update.Message, o.hasMsg = f.Value, !f.Unset
			return nil
		}
		return unserved("update-ref", f) // --stdin, -z
	},
}
