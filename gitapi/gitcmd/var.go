package gitcmd

import (
	"io"

	"github.com/kiln-dev/kiln/gitapi"
)

// The editor and pager git falls back to; these are the values of the
// reference git (Debian's build uses the "editor" and "pager"
// alternatives).
const (
	defaultEditor = "editor"
	defaultPager  = "pager"
)

// varUsage is `git var`'s usage line.
const varUsage = "usage: git var (-l | <variable>)\n"

// varCmd implements `git var`.
func (c *command) varCmd(args []string) int {
	if len(args) != 1 {
		io.WriteString(c.err, varUsage)
		return exitUsage
	}
	r, err := c.openRepo()
	var cfg *gitapi.Config
	if err == nil {
		cfg, err = r.Config()
	} else {
		r, err = gitapi.OutsideRepo(c.opts)
		if err == nil {
			cfg, err = r.Config()
		}
	}
	if err != nil {
		return c.fatalErr(err)
	}
	if args[0] == "-l" {
		// The listing guesses identities leniently, like reflogs.
		vars := c.gitVars(r, cfg, false)
		for _, e := range cfg.Entries() {
			c.out.WriteString((&configCmd{}).format(e, "=", true))
		}
		for _, v := range vars {
			if value, ok, err := v.read(); err == nil && ok {
				c.println(v.name + "=" + value)
			}
		}
		return exitOK
	}
	for _, v := range c.gitVars(r, cfg, true) {
		if v.name != args[0] {
			continue
		}
		value, ok, err := v.read()
		if err != nil {
			return c.fatalErr(err)
		}
		if !ok && v.name == "GIT_EDITOR" {
			return c.fatal("Terminal is dumb, but EDITOR unset")
		}
		if !ok {
			break
		}
		c.println(value)
		return exitOK
	}
	io.WriteString(c.err, varUsage)
	return exitUsage
}

// gitVar is one variable `git var` knows.
type gitVar struct {
	name string
	read func() (string, bool, error)
}

// gitVars lists the variables in git's order; strict applies git's
// identity checks (a single variable is read strictly, -l is not).
func (c *command) gitVars(r *gitapi.Repo, cfg *gitapi.Config, strict bool) []gitVar {
	ident := func(role string) func() (string, bool, error) {
		return func() (string, bool, error) {
			read := r.Ident
			if strict {
				read = r.StrictIdent
			}
			id, err := read(role)
			return id.String(), err == nil, err
		}
	}
	return []gitVar{
		{"GIT_COMMITTER_IDENT", ident("COMMITTER")},
		{"GIT_AUTHOR_IDENT", ident("AUTHOR")},
		{"GIT_EDITOR", func() (string, bool, error) { e, ok := c.editor(cfg); return e, ok, nil }},
		{"GIT_PAGER", func() (string, bool, error) { return c.pager(cfg), true, nil }},
		{"GIT_DEFAULT_BRANCH", func() (string, bool, error) {
			if b, ok := cfg.Get("init.defaultbranch"); ok {
				return b, true, nil
			}
			return "master", true, nil
		}},
	}
}

// editor is git's editor choice: $GIT_EDITOR, core.editor, $VISUAL
// (unless the terminal is dumb), $EDITOR, else the default unless the
// terminal is dumb.
func (c *command) editor(cfg *gitapi.Config) (string, bool) {
	term, hasTerm := c.env.Lookup("TERM")
	dumb := !hasTerm || term == "dumb"
	if e, ok := c.env.Lookup("GIT_EDITOR"); ok {
		return e, true
	}
	if e, ok := cfg.Get("core.editor"); ok {
		return e, true
	}
	if e, ok := c.env.Lookup("VISUAL"); ok && !dumb {
		return e, true
	}
	if e, ok := c.env.Lookup("EDITOR"); ok {
		return e, true
	}
	if dumb {
		return "", false
	}
	return defaultEditor, true
}

// pager is git's pager choice for `git var`: $GIT_PAGER, core.pager,
// $PAGER, the default; "" or "cat" mean "cat".
func (c *command) pager(cfg *gitapi.Config) string {
	p, ok := c.env.Lookup("GIT_PAGER")
	if !ok {
		p, ok = cfg.Get("core.pager")
	}
	if !ok {
		p, ok = c.env.Lookup("PAGER")
	}
	if !ok {
		p = defaultPager
	}
	if p == "" {
		return "cat"
	}
	return p
}
