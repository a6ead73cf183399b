package gitapi

import "errors"

// merge-base is served except --fork-point, which reads reflogs.
func init() {
	commands["merge-base"] = (*command).mergeBase
	servedForms["merge-base"] = func(args []string) bool {
		return !anyArg(args, func(a string) bool { return len(a) >= 3 && isPrefixOf(a, "--fork-point") })
	}
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
	if _, status := c.setupFirst(args); status != exitOK {
		return status
	}
	found, rest, err := mergeBaseSpec.Parse(args, ParseOptFlags{})
	if err != nil {
		return c.usage(mergeBaseSpec, err)
	}
	all, mode := false, ""
	for _, f := range found {
		if f.Option.Short == 'a' {
			all = !f.Unset
			continue
		}
		if mode != "" && mode != f.Option.Long {
			c.errorf("option `%s' is incompatible with --%s", f.Option.Long, mode)
			return exitUsage
		}
		mode = f.Option.Long
	}
	switch {
	case mode == "is-ancestor" && len(rest) < 2, mode == "" && len(rest) < 2,
		mode == "fork-point" && (len(rest) < 1 || len(rest) > 2):
		return c.usageOnly(mergeBaseSpec)
	case mode == "is-ancestor" && all:
		return c.fatal("options '--is-ancestor' and '--all' cannot be used together")
	case mode == "independent" && all:
		return c.fatal("options '--independent' and '--all' cannot be used together")
	case mode == "fork-point":
		return c.fatal("'merge-base --fork-point' is not implemented in-process by gitapi")
	case mode == "is-ancestor" && len(rest) != 2:
		return c.fatal("--is-ancestor takes exactly two commits")
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	commits := make([]Hash, len(rest))
	for i, name := range rest {
		id, status := c.commitReference(r, name)
		if status != exitOK {
			return status
		}
		commits[i] = id
	}
	var bases []Hash
	switch mode {
	case "is-ancestor":
		ok, err := r.IsAncestor(commits[0], commits[1])
		if err != nil {
			return c.fatal("%v", err)
		}
		if !ok {
			return 1
		}
		return exitOK
	case "octopus":
		bases, err = r.OctopusMergeBases(commits)
	case "independent":
		bases, err = r.IndependentCommits(commits)
		all = true
	default:
		bases, err = r.MergeBasesMany(commits[0], commits[1:])
	}
	if err != nil {
		return c.fatal("%v", err)
	}
	if len(bases) == 0 {
		return 1
	}
	if !all {
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
