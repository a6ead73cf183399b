package gitapi

import (
	"errors"
	"fmt"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
	"strings"
)

// merge-base is served except for revisions the revision parser does
// not handle (@{date}, :/text), and --fork-point with a ref named
// through "@" (@{u}, @{-1}).
func init() {
	commands["merge-base"] = (*command).mergeBase
	servedForms["merge-base"] = func(args []string) bool {
		forkPoint := anyArg(args, func(a string) bool { return len(a) >= 3 && isPrefixOf(a, "--fork-point") })
		return !anyArg(args, func(a string) bool {
			return !revisionServed(a) || forkPoint && strings.Contains(a, "@")
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
	found, rest, err := mergeBaseSpec.Parse(args, parseopt.Flags{})
	if err != nil {
		return c.usage(mergeBaseSpec, err)
	}
	mode, all, status := c.mergeBaseMode(found, len(rest))
	if status != exitOK {
		return status
	}
	if mode == "fork-point" {
		return c.forkPoint(r, rest)
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
func (c *command) mergeBaseMode(found []parseopt.Parsed, commits int) (mode string, all bool, status int) {
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
	id, found, status := c.lookupRev(r, name)
	switch {
	case status != exitOK:
		return id, status
	case !found:
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

// lookupRev resolves a revision as git's get_oid does for a command:
// the warnings it gives (an ambiguous name) are printed, and a lookup
// git dies on (a missing upstream, a short reflog) ends the command.
func (c *command) lookupRev(r *Repo, name string) (id Hash, found bool, status int) {
	p := &revParser{repo: r, diag: c.warn, loudDiag: c.warn}
	id, err := p.resolve(name)
	switch {
	case err != nil && p.dieErr != nil:
		return id, false, c.fatalErr(p.dieErr)
	case err != nil:
		return id, false, exitOK
	}
	return id, true, exitOK
}

// forkPoint implements `git merge-base --fork-point <ref> [<commit>]`.
func (c *command) forkPoint(r *Repo, args []string) int {
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
	derived, _, err := r.peel(id, TypeCommit)
	var pe *peelError
	if errors.As(err, &pe) {
		// git goes on without a commit, and finds no fork point.
		c.errorf("object %s is a %s, not a commit", pe.id, pe.typ)
	} else if err != nil {
		return c.fatal("%v", err)
	}
	ref, n := r.dwimRefCount(args[0])
	switch {
	case n == 0:
		return c.fatal("No such ref: '%s'", args[0])
	case n > 1:
		return c.fatal("Ambiguous refname: '%s'", args[0])
	}
	fork, ok, err := r.forkPoint(ref, derived, pe == nil, c.warn)
	switch {
	case err != nil:
		return c.fatal("%v", err)
	case !ok:
		return 1
	}
	c.println(fork.String())
	return exitOK
}

// dwimRefCount resolves a short ref name with git's rules as
// dwim_ref does: the full name the first rule finds (symbolic refs
// followed), and how many rules find one.
func (r *Repo) dwimRefCount(name string) (string, int) {
	full, found := "", 0
	for _, rule := range refRules {
		candidate := fmt.Sprintf(rule, name)
		if CheckRefName(candidate, true) != nil || (rule == "%s" && !refNameIsSafe(candidate)) {
			continue
		}
		if _, final, err := r.ResolveRef(candidate); err == nil {
			if found == 0 {
				full = final
			}
			found++
		}
	}
	return full, found
}

// ForkPoint is `git merge-base --fork-point`: the point where commit
// forked from ref (a full ref name), found among the values the ref's
// reflog records (its current value without a reflog): the one merge
// base of commit and those values, if it is one of them.
func (r *Repo) ForkPoint(ref string, commit Hash) (Hash, bool, error) {
	return r.forkPoint(ref, commit, true, func(string) {})
}

// forkPoint is ForkPoint, reporting the reflog values that are not
// commits as git does; without a commit (hasCommit false) it still
// reads them, and finds nothing.
func (r *Repo) forkPoint(ref string, commit Hash, hasCommit bool, diag func(string)) (Hash, bool, error) {
	values, err := r.reflogValues(ref)
	if err != nil {
		return ZeroHash, false, err
	}
	w := newCommitWalker(r)
	seen := map[Hash]bool{}
	var revs []*commitNode
	for _, id := range values {
		if id.IsZero() || seen[id] {
			continue
		}
		n, err := w.node(id)
		var pe *peelError
		switch {
		case errors.As(err, &pe):
			diag(fmt.Sprintf("error: Object %s not a commit", id))
			continue
		case err != nil:
			diag(fmt.Sprintf("error: Could not read %s", id))
			continue
		}
		seen[id] = true
		revs = append(revs, n)
	}
	if !hasCommit {
		return ZeroHash, false, nil
	}
	one, err := w.node(commit)
	if err != nil {
		return ZeroHash, false, err
	}
	bases, err := w.bases(one, revs)
	if err != nil || len(bases) != 1 || !seen[bases[0].id] {
		return ZeroHash, false, err
	}
	return bases[0].id, true, nil
}

// reflogValues are the values a ref's reflog records, oldest first (the
// first entry's old value too), or its current value without a reflog.
func (r *Repo) reflogValues(ref string) ([]Hash, error) {
	entries, err := r.Reflog(ref)
	if err != nil {
		return nil, err
	}
	var values []Hash
	for i, e := range entries {
		if i == 0 {
			values = append(values, e.Old)
		}
		values = append(values, e.New)
	}
	if len(entries) == 0 {
		id, _, err := r.ResolveRef(ref)
		if err != nil {
			return nil, err
		}
		values = append(values, id)
	}
	return values, nil
}
