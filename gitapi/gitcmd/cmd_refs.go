package gitcmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

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

// symbolicRef implements `git symbolic-ref`.
func (c *command) symbolicRef(args []string) int {
	found, rest, err := symbolicRefSpec.Parse(args, parseopt.Flags{})
	if err != nil {
		return c.usage(symbolicRefSpec, err)
	}
	quiet, del, short, recurse := false, false, false, true
	msg, hasMsg := "", false
	for _, f := range found {
		switch f.Option.Short {
		case 'q':
			quiet = !f.Unset
		case 'd':
			del = !f.Unset
		case 'm':
			msg, hasMsg = f.Value, !f.Unset
		}
		switch f.Option.Long {
		case "short":
			short = !f.Unset
		case "recurse":
			recurse = !f.Unset
		}
	}
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
		c.errorf("%s", err.Error())
		return 1
	}
	return exitOK
}

// showRefSpec is `git show-ref`'s option table.
var showRefSpec = &parseopt.Spec{
	Usage: []string{
		"git show-ref [-q | --quiet] [--verify] [--head] [-d | --dereference]\n" +
			"                    [-s | --hash[=<n>]] [--abbrev[=<n>]] [--tags]\n" +
			"                    [--heads] [--] [<pattern>...]",
		"git show-ref --exclude-existing[=<pattern>]",
	},
	Options: []parseopt.Option{
		{Long: "tags", Help: "only show tags (can be combined with heads)"},
		{Long: "heads", Help: "only show heads (can be combined with tags)"},
		{Long: "verify", Help: "stricter reference checking, requires exact ref path"},
		{Long: "head", Help: "show the HEAD reference, even if it would be filtered out", Hidden: false},
		{Short: 'd', Long: "dereference", Help: "dereference tags into object IDs"},
		{Short: 's', Long: "hash", TakesArg: true, OptionalArg: true, ArgHint: "n", Help: "only show SHA1 hash using <n> digits"},
		{Long: "abbrev", TakesArg: true, OptionalArg: true, ArgHint: "n", Help: "use <n> digits to display object names"},
		{Short: 'q', Long: "quiet", Help: "do not print results to stdout (useful with --verify)"},
		{Long: "exclude-existing", TakesArg: true, OptionalArg: true, ArgHint: "pattern", Help: "show refs from stdin that aren't in local repository"},
	},
}

// showRefOptions are the parsed flags of show-ref.
type showRefOptions struct {
	tags, heads, verify, head, deref, hashOnly, quiet bool
	abbrev                                            int
}

// showRef implements `git show-ref` (without --exclude-existing).
func (c *command) showRef(args []string) int {
	found, patterns, err := showRefSpec.Parse(args, parseopt.Flags{})
	if err != nil {
		return c.usage(showRefSpec, err)
	}
	var o showRefOptions
	for _, f := range found {
		if err := o.set(f); err != nil {
			return c.usage(showRefSpec, err)
		}
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	if o.abbrev < 0 {
		o.abbrev = r.DefaultAbbrev()
	}
	if o.verify {
		return c.showRefVerify(r, o, patterns)
	}
	matched := 0
	if o.head {
		if id, _, err := r.ResolveRef("HEAD"); err == nil {
			matched++
			if status := c.showOneRef(r, o, "HEAD", id); status != exitOK {
				return status
			}
		}
	}
	refs, err := r.Refs("refs/")
	if err != nil {
		return c.fatalErr(err)
	}
	for _, ref := range refs {
		if !o.wants(ref.Name, patterns) {
			continue
		}
		matched++
		if status := c.showOneRef(r, o, ref.Name, ref.ID); status != exitOK {
			return status
		}
	}
	if matched == 0 {
		return 1
	}
	return exitOK
}

// set applies one parsed show-ref option.
func (o *showRefOptions) set(f parseopt.Parsed) error {
	on := !f.Unset
	switch f.Option.Long {
	case "tags":
		o.tags = on
	case "heads":
		o.heads = on
	case "verify":
		o.verify = on
	case "head":
		o.head = on
	case "dereference":
		o.deref = on
	case "quiet":
		o.quiet = on
	case "hash", "abbrev":
		if f.Option.Long == "hash" {
			o.hashOnly = on
		}
		o.abbrev = 0
		if f.Option.Long == "abbrev" && on {
			o.abbrev = -1
		}
		if f.HasValue {
			n, err := strconv.Atoi(f.Value)
			if err != nil {
				return &parseopt.Error{Message: fmt.Sprintf("option `%s' expects a numerical value", f.Option.Long)}
			}
			o.abbrev = 0 // 0 means full ids
			if n != 0 {
				o.abbrev = min(max(n, gitapi.MinAbbrev), gitapi.HexSize)
			}
		}
	case "exclude-existing":
		return errors.New("show-ref --exclude-existing is not implemented in-process by gitapi")
	}
	return nil
}

// wants applies --heads/--tags and the tail-matching patterns.
func (o *showRefOptions) wants(name string, patterns []string) bool {
	if o.heads || o.tags {
		if !(o.heads && strings.HasPrefix(name, "refs/heads/")) && !(o.tags && strings.HasPrefix(name, "refs/tags/")) {
			return false
		}
	}
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		if name == p || strings.HasSuffix(name, "/"+p) {
			return true
		}
	}
	return false
}

// showRefVerify handles --verify: each argument must be a full ref name.
func (c *command) showRefVerify(r *gitapi.Repo, o showRefOptions, names []string) int {
	if len(names) == 0 {
		return c.fatal("--verify requires a reference")
	}
	for _, name := range names {
		id, _, err := r.ResolveRef(name)
		if (strings.HasPrefix(name, "refs/") || name == "HEAD") && err == nil {
			if status := c.showOneRef(r, o, name, id); status != exitOK {
				return status
			}
			continue
		}
		if o.quiet {
			return 1
		}
		return c.fatal("'%s' - not a valid ref", name)
	}
	return exitOK
}

// showOneRef prints "<id> <name>" (and the peeled tag with -d).
func (c *command) showOneRef(r *gitapi.Repo, o showRefOptions, name string, id gitapi.Hash) int {
	if !r.HasObject(id) {
		return c.fatal("git show-ref: bad ref %s (%s)", name, id)
	}
	if o.quiet {
		return exitOK
	}
	hex := r.AbbrevOrFull(id, o.abbrev)
	if o.hashOnly {
		c.println(hex)
	} else {
		c.println(hex + " " + name)
	}
	if !o.deref {
		return exitOK
	}
	if typ, _, err := r.ReadObject(id); err == nil && typ == gitapi.TypeTag {
		if peeled, _, err := r.Peel(id, ""); err == nil {
			c.println(r.AbbrevOrFull(peeled, o.abbrev) + " " + name + "^{}")
		}
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

// updateRef implements `git update-ref` (without --stdin).
func (c *command) updateRef(args []string) int {
	found, rest, err := updateRefSpec.Parse(args, parseopt.Flags{})
	if err != nil {
		return c.usage(updateRefSpec, err)
	}
	u := gitapi.RefUpdate{}
	del, hasMsg := false, false
	for _, f := range found {
		switch {
		case f.Option.Short == 'm':
			u.Message, hasMsg = f.Value, !f.Unset
		case f.Option.Short == 'd':
			del = !f.Unset
		case f.Option.Long == "no-deref":
			u.NoDeref = !f.Unset
		case f.Option.Long == "create-reflog":
			u.CreateReflog = !f.Unset
		case f.Option.Long == "stdin", f.Option.Short == 'z':
			return c.fatal("update-ref --stdin is not implemented in-process by gitapi")
		}
	}
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
		return c.fatalErr(err)
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
		var ue *gitapi.RefUpdateError
		if errors.As(err, &ue) {
			c.errorf("%s", strings.TrimPrefix(ue.Msg, fmt.Sprintf("update_ref failed for ref '%s': ", u.Name)))
			return 1
		}
		return c.fatalErr(err)
	}
	return exitOK
}
