package gitapi

import "errors"

// merge-base is served except --fork-point, which reads reflogs, and
// revisions the revision parser does not handle (@{date}, :/text).
func init() {
	commands["merge-base"] = (*command).mergeBase
	servedForms["merge-base"] = func(args []string) bool {
		return !anyArg(args, func(a string) bool {
			return len(a) >= 3 && isPrefixOf(a, "--fork-point") || !revisionServed(a)
		})
	}
}

// revisionServed reports whether the revision parser handles a
// revision's form (see revParseServes).
func revisionServed(rev string) bool {
	m := unservedRevision.FindString(rev)
	return m == "" || upstreamMark(m)
}

// isPrefixOf reports whether a is a prefix of full (an abbreviated long
// option).
func isPrefixOf(a, full string) bool { return len(a) <= len(full) && full[:len(a)] == a }

var mergeBaseSpec = &OptionSpec{
	Usage: []string{
		"git merge-base [-a | --all] <commit> <commit>...",
		"git merge-base [-a | --all] --octopus <commit>...",
		"git merge-base --is-ancestor <commit> <commit>",
		"git merge-base --independent <commit>...",
		"git merge-base --fork-point <ref> [<commit>]",
	},
	Options: []Option{
		{Short: 'a', Long: "all", Help: "output all common ancestors"},
		{Long: "octopus", NoNegate: true, Help: "find ancestors for a single n-way merge"},
		{Long: "independent", NoNegate: true, Help: "list revs not reachable from others"},
		{Long: "is-ancestor", NoNegate: true, Help: "is the first one ancestor of the other?"},
		{Long: "fork-point", NoNegate: true, Help: "find where <commit> forked from reflog of <ref>"},
	},
}

// mergeBase implements `git merge-base` (all modes but --fork-point).
func (c *command) mergeBase(args []string) int {
	r, status := c.setupFirst(args)
	if status != exitOK {
		return status
	}
	found, rest, err := mergeBaseSpec.Parse(args, ParseOptFlags{})
	if err != nil {
		return c.usage(mergeBaseSpec, err)
	}
	mode, all, status := c.mergeBaseMode(found, len(rest))
	if status != exitOK {
		return status
	}
	commits := make([]Hash, len(rest))
	for i, name := range rest {
		if commits[i], status = c.commitReference(r, name); status != exitOK {
			return status
		}
	}
	if mode == "is-ancestor" {
		ok, err := r.IsAncestor(commits[0], commits[1])
		switch {
		case err != nil:
			return c.fatal("%v", err)
		case !ok:
			return 1
		}
		return exitOK
	}
	var bases []Hash
	switch mode {
	case "octopus":
		bases, err = r.OctopusMergeBases(commits)
	case "independent":
		bases, err = r.IndependentCommits(commits)
		all = true
	default:
		bases, err = r.MergeBasesMany(commits[0], commits[1:])
	}
	return c.printBases(bases, all, err)
}

// mergeBaseMode checks the options as git does: one mode at most, and
// the number of commits it needs.
func (c *command) mergeBaseMode(found []ParsedOption, commits int) (mode string, all bool, status int) {
	for _, f := range found {
		if f.Option.Short == 'a' {
			all = !f.Unset
			continue
		}
		if mode != "" && mode != f.Option.Long {
			c.errorf("option `%s' is incompatible with --%s", f.Option.Long, mode)
			return mode, all, exitUsage
		}
		mode = f.Option.Long
	}
	switch {
	case mode == "is-ancestor" && commits < 2, mode == "" && commits < 2,
		mode == "fork-point" && (commits < 1 || commits > 2):
		return mode, all, c.usageOnly(mergeBaseSpec)
	case mode == "is-ancestor" && all:
		return mode, all, c.fatal("options '--is-ancestor' and '--all' cannot be used together")
	case mode == "independent" && all:
		return mode, all, c.fatal("options '--independent' and '--all' cannot be used together")
	case mode == "fork-point":
		return mode, all, c.fatal("'merge-base --fork-point' is not implemented in-process by gitapi")
	case mode == "is-ancestor" && commits != 2:
		return mode, all, c.fatal("--is-ancestor takes exactly two commits")
	}
	return mode, all, exitOK
}

// printBases prints the first base, or all; status 1 when there is none.
func (c *command) printBases(bases []Hash, all bool, err error) int {
	switch {
	case err != nil:
		return c.fatal("%v", err)
	case len(bases) == 0:
		return 1
	case !all:
		bases = bases[:1]
	}
	for _, b := range bases {
		c.println(b.String())
	}
	return exitOK
}

// commitReference resolves a commit argument as merge-base does: a name
// that resolves (tags peeled) to a commit.
func (c *command) commitReference(r *Repo, name string) (Hash, int) {
	id, err := r.Resolve(name)
	if err != nil {
		return id, c.fatal("Not a valid object name %s", name)
	}
	commit, _, err := r.peel(id, TypeCommit)
	var pe *peelError
	switch {
	case errors.As(err, &pe):
		c.errorf("object %s is a %s, not a commit", pe.id, pe.typ)
		return id, c.fatal("Not a valid commit name %s", name)
	case err != nil:
		return id, c.fatal("Not a valid commit name %s", name)
	}
	return commit, exitOK
}
