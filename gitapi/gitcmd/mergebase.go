package gitcmd

import (
	"errors"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// revisionServed reports whether the revision parser handles a
// revision's form (see revParseParses).
func revisionServed(rev string) bool {
	m := unservedRevision.FindString(rev)
	return m == "" || upstreamMark(m)
}

var mergeBaseSpec = &parseopt.Spec{
	Usage: []string{
		"git merge-base [-a | --all] <commit> <commit>...",
		"git merge-base [-a | --all] --octopus <commit>...",
		"git merge-base --is-ancestor <commit> <commit>",
		"git merge-base --independent <commit>...",
		"git merge-base --fork-point <ref> [<commit>]",
	},
	Options: []parseopt.Option{
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
	o, rest, err := mergeBaseArgs.parse(args)
	if err != nil {
		return c.badArgs(mergeBaseSpec, err)
	}
	mode, all, status := c.mergeBaseMode(o, len(rest))
	if status != exitOK {
		return status
	}
	if mode == "fork-point" {
		return c.forkPoint(r, rest)
	}
	commits := make([]gitapi.Hash, len(rest))
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
	var bases []gitapi.Hash
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
func (c *command) mergeBaseMode(o mergeBaseOptions, commits int) (mode string, all bool, status int) {
	mode, all = o.mode, o.all
	if o.conflict != "" {
		c.errorf("option `%s' is incompatible with --%s", o.conflict, mode)
		return mode, all, exitUsage
	}
	switch {
	case mode == "is-ancestor" && commits < 2, mode == "" && commits < 2,
		mode == "fork-point" && (commits < 1 || commits > 2):
		return mode, all, c.usageOnly(mergeBaseSpec)
	case mode == "is-ancestor" && all:
		return mode, all, c.fatal("options '--is-ancestor' and '--all' cannot be used together")
	case mode == "independent" && all:
		return mode, all, c.fatal("options '--independent' and '--all' cannot be used together")
	case mode == "is-ancestor" && commits != 2:
		return mode, all, c.fatal("--is-ancestor takes exactly two commits")
	}
	return mode, all, exitOK
}

// printBases prints the first base, or all; status 1 when there is none.
func (c *command) printBases(bases []gitapi.Hash, all bool, err error) int {
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
func (c *command) commitReference(r *gitapi.Repo, name string) (gitapi.Hash, int) {
	id, found, status := c.lookupRev(r, name)
	switch {
	case status != exitOK:
		return id, status
	case !found:
		return id, c.fatal("Not a valid object name %s", name)
	}
	commit, _, err := r.Peel(id, gitapi.TypeCommit)
	var pe *gitapi.PeelError
	switch {
	case errors.As(err, &pe):
		c.errorf("object %s is a %s, not a commit", pe.ID, pe.Type)
		return id, c.fatal("Not a valid commit name %s", name)
	case err != nil:
		return id, c.fatal("Not a valid commit name %s", name)
	}
	return commit, exitOK
}

// lookupRev resolves a revision as git's get_oid does for a command:
// the warnings it gives (an ambiguous name) are printed, and a lookup
// git dies on (a missing upstream, a short reflog) ends the command.
func (c *command) lookupRev(r *gitapi.Repo, name string) (id gitapi.Hash, found bool, status int) {
	p := &gitapi.RevParser{Repo: r, Diag: c.warn, LoudDiag: c.warn}
	id, err := p.Resolve(name)
	switch {
	case err != nil && p.DieErr != nil:
		return id, false, c.fatalErr(p.DieErr)
	case err != nil:
		return id, false, exitOK
	}
	return id, true, exitOK
}

// forkPoint implements `git merge-base --fork-point <ref> [<commit>]`.
func (c *command) forkPoint(r *gitapi.Repo, args []string) int {
	name := "HEAD"
	if len(args) == 2 {
		name = args[1]
	}
	id, found, status := c.lookupRev(r, name)
	switch {
	case status != exitOK:
		return status
	case !found:
		return c.fatal("Not a valid object name: '%s'", name)
	}
	derived, _, err := r.Peel(id, gitapi.TypeCommit)
	var pe *gitapi.PeelError
	if errors.As(err, &pe) {
		// git goes on without a commit, and finds no fork point.
		c.errorf("object %s is a %s, not a commit", pe.ID, pe.Type)
	} else if err != nil {
		return c.fatal("%v", err)
	}
	ref, n := r.DWIMRef(args[0])
	switch {
	case n == 0:
		return c.fatal("No such ref: '%s'", args[0])
	case n > 1:
		return c.fatal("Ambiguous refname: '%s'", args[0])
	}
	fork, ok, err := r.ForkPointWarn(ref, derived, pe == nil, c.warn)
	switch {
	case err != nil:
		return c.fatal("%v", err)
	case !ok:
		return 1
	}
	c.println(fork.String())
	return exitOK
}

// mergeBaseOptions are merge-base's parsed options.
type mergeBaseOptions struct {
	all      bool
	mode     string // "", "octopus", "independent", "is-ancestor", "fork-point"
	conflict string // a second mode, which git refuses
}

// mergeBaseArgs parses merge-base's options. Revisions the parser does
// not serve, and reflog forms with --fork-point, are left to git.
var mergeBaseArgs = &argParser[mergeBaseOptions]{
	spec:  mergeBaseSpec,
	bools: map[string]func(o *mergeBaseOptions) *bool{"all": func(o *mergeBaseOptions) *bool { return &o.all }},
	set: func(o *mergeBaseOptions, f parseopt.Parsed) error {
		switch {
		case o.conflict != "":
		case o.mode != "" && o.mode != f.Option.Long:
			o.conflict = f.Option.Long
		default:
			o.mode = f.Option.Long
		}
		return nil
	},
	check: func(o *mergeBaseOptions, revs []string) error {
		for _, rev := range revs {
			if !revisionServed(rev) || o.mode == "fork-point" && strings.Contains(rev, "@") {
				return &UnservedError{Command: "merge-base", Form: rev}
			}
		}
		return nil
	},
}
