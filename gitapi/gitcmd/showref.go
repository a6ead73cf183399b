package gitcmd

import (
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// showRef implements `git show-ref` (without --exclude-existing).
func (c *command) showRef(args []string) int {
	o, patterns, err := showRefArgs.parse(args)
	if err != nil {
		return c.badArgs(showRefSpec, err)
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

// set applies show-ref's --hash and --abbrev, and refuses
// --exclude-existing.
func (o *showRefOptions) set(f parseopt.Parsed) error {
	on := !f.Unset
	switch f.Option.Long {
	case "hash", "abbrev":
		if f.Option.Long == "hash" {
			o.hashOnly = on
		}
		o.abbrev = 0
		if f.Option.Long == "abbrev" || f.HasValue {
			n, err := abbrevLength(f)
			if err != nil {
				return err
			}
			o.abbrev = n
		}
	case "exclude-existing":
		return unserved("show-ref", f)
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

// showRefArgs parses show-ref's options; --exclude-existing is left to
// git.
var showRefArgs = &argParser[showRefOptions]{
	spec: showRefSpec,
	bools: map[string]func(o *showRefOptions) *bool{
		"tags":        func(o *showRefOptions) *bool { return &o.tags },
		"heads":       func(o *showRefOptions) *bool { return &o.heads },
		"verify":      func(o *showRefOptions) *bool { return &o.verify },
		"head":        func(o *showRefOptions) *bool { return &o.head },
		"dereference": func(o *showRefOptions) *bool { return &o.deref },
		"quiet":       func(o *showRefOptions) *bool { return &o.quiet },
	},
	set: (*showRefOptions).set,
}
