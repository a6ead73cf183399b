package gitcmd

import (
	"errors"
	"slices"
	"strconv"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

var forEachRefSpec = &parseopt.Spec{
	Usage: []string{
		"git for-each-ref [<options>] [<pattern>]",
		"git for-each-ref [--points-at <object>]",
		"git for-each-ref [--merged [<commit>]] [--no-merged [<commit>]]",
		"git for-each-ref [--contains [<commit>]] [--no-contains [<commit>]]",
	},
	Options: []parseopt.Option{
		{Short: 's', Long: "shell", Help: "quote placeholders suitably for shells"},
		{Short: 'p', Long: "perl", Help: "quote placeholders suitably for perl"},
		{Long: "python", Help: "quote placeholders suitably for python"},
		{Long: "tcl", Help: "quote placeholders suitably for Tcl"},
		{Group: true},
		{Long: "count", TakesArg: true, ArgHint: "n", Help: "show only <n> matched refs"},
		{Long: "format", TakesArg: true, ArgHint: "format", Help: "format to use for the output"},
		{Long: "color", TakesArg: true, OptionalArg: true, ArgHint: "when", Help: "respect format colors"},
		{Long: "sort", TakesArg: true, ArgHint: "key", Help: "field name to sort on"},
		{Long: "points-at", TakesArg: true, ArgHint: "object", Help: "print only refs which points at the given object"},
		{Long: "merged", TakesArg: true, NoNegate: true, ArgHint: "commit", Help: "print only refs that are merged"},
		{Long: "no-merged", TakesArg: true, NoNegate: true, ArgHint: "commit", Help: "print only refs that are not merged"},
		{Long: "contains", TakesArg: true, NoNegate: true, ArgHint: "commit", Help: "print only refs which contain the commit"},
		{Long: "no-contains", TakesArg: true, NoNegate: true, ArgHint: "commit", Help: "print only refs which don't contain the commit"},
		{Long: "ignore-case", Help: "sorting and filtering are case insensitive"},
	},
}

// defaultRefFormat is for-each-ref's format without --format.
const defaultRefFormat = "%(objectname) %(objecttype)\t%(refname)"

// forEachRefOptions are for-each-ref's parsed options.
type forEachRefOptions struct {
	quotes   []string
	count    int
	format   string
	sortKeys []string
	pointsAt []string
	// contains and noContains are the --contains and --no-contains
	// commits.
	contains, noContains []string
	unserved             string // the first option gitapi does not implement
}

// set applies one option.
func (o *forEachRefOptions) set(f parseopt.Parsed) error {
	switch name := f.Option.Long; name {
	case "shell", "perl", "python", "tcl":
		o.quotes = slices.DeleteFunc(o.quotes, func(q string) bool { return q == name })
		if !f.Unset {
			o.quotes = append(o.quotes, name)
		}
		if name == "tcl" && !f.Unset && o.unserved == "" {
			o.unserved = name
		}
	case "count":
		n, err := strconv.Atoi(f.Value)
		if err != nil && !f.Unset {
			return &parseopt.Error{Message: "option `count' expects a numerical value"}
		}
		o.count = n
	case "format":
		o.format = f.Value
		if f.Unset && o.unserved == "" {
			o.unserved = "no-format" // git crashes on it
		}
	case "sort":
		if f.Unset {
			o.sortKeys = nil
		} else {
			o.sortKeys = append(o.sortKeys, f.Value)
		}
	case "contains":
		o.contains = append(o.contains, f.Value)
	case "no-contains":
		o.noContains = append(o.noContains, f.Value)
	case "points-at":
		if f.Unset {
			o.pointsAt = nil
		} else {
			o.pointsAt = append(o.pointsAt, f.Value)
		}
	default:
		if o.unserved == "" {
			o.unserved = name
		}
	}
	return nil
}

// forEachRefArgs parses for-each-ref's options: --contains, --merged and
// their --no- forms given last without a value mean HEAD, as in git.
// Options, atoms and sort keys gitapi does not implement are left to git.
var forEachRefArgs = &argParser[forEachRefOptions]{
	spec: forEachRefSpec,
	init: forEachRefOptions{format: defaultRefFormat},
	set:  (*forEachRefOptions).set,
	retry: func(args []string, err error) ([]string, bool) {
		var pe *parseopt.Error
		if errors.As(err, &pe) {
			for _, name := range []string{"contains", "no-contains", "merged", "no-merged"} {
				if pe.Message == "option `"+name+"' requires a value" {
					return append(append([]string(nil), args...), "HEAD"), true
				}
			}
		}
		return nil, false
	},
	check: func(o *forEachRefOptions, _ []string) error {
		if o.unserved != "" {
			return &UnservedError{Command: "for-each-ref", Form: "--" + o.unserved}
		}
		if _, err := gitapi.ParseRefFormat(o.format); errors.Is(err, gitapi.ErrUnservedAtom) {
			return &UnservedError{Command: "for-each-ref", Form: "--format=" + o.format}
		}
		if _, err := gitapi.ParseRefSort(o.sortKeys); err != nil {
			return &UnservedError{Command: "for-each-ref", Form: "--sort"}
		}
		return nil
	},
}

// forEachRef implements `git for-each-ref`.
func (c *command) forEachRef(args []string) int {
	r, status := c.setupFirst(args)
	if status != exitOK {
		return status
	}
	o, patterns, err := forEachRefArgs.parse(args)
	if err != nil {
		return c.usage(forEachRefSpec, err)
	}
	pointsAt, status := c.pointsAtObjects(r, o.pointsAt)
	if status != exitOK {
		return status
	}
	format, keys, status := c.checkForEachRef(o)
	if status != exitOK {
		return status
	}
	refs, err := r.RefsMatching(patterns)
	if err != nil {
		return c.fatalErr(err)
	}
	if refs, status = c.filterPointsAt(r, refs, pointsAt); status != exitOK {
		return status
	}
	if refs, status = c.filterContains(r, refs, o); status != exitOK {
		return status
	}
	quote := ""
	if len(o.quotes) == 1 {
		quote = o.quotes[0]
	}
	lines, err := r.FormatRefs(refs, format, keys, quote)
	if err != nil {
		return c.fatal("%v", err)
	}
	if o.count > 0 && o.count < len(lines) {
		lines = lines[:o.count]
	}
	for _, line := range lines {
		c.println(line)
	}
	return exitOK
}

// pointsAtObjects resolves the --points-at arguments, as git does while
// it parses its options.
func (c *command) pointsAtObjects(r *gitapi.Repo, names []string) (map[gitapi.Hash]bool, int) {
	if names == nil {
		return nil, exitOK
	}
	objects := map[gitapi.Hash]bool{}
	status := c.lookupRevs(r, names, "malformed object name '%s'", func(_ string, id gitapi.Hash) int {
		objects[id] = true
		return exitOK
	})
	return objects, status
}

// lookupRevs resolves option values naming objects in turn, handing
// each to use; one that names none is git's error (notFound, with the
// name) and status 129.
func (c *command) lookupRevs(r *gitapi.Repo, names []string, notFound string, use func(name string, id gitapi.Hash) int) int {
	for _, name := range names {
		id, found, status := c.lookupRev(r, name)
		switch {
		case status != exitOK:
			return status
		case !found:
			c.errorf(notFound, name)
			return exitUsage
		}
		if status := use(name, id); status != exitOK {
			return status
		}
	}
	return exitOK
}

// filterPointsAt keeps the refs that point at one of the objects, or
// are annotated tags of one (one level down); all with no --points-at.
func (c *command) filterPointsAt(r *gitapi.Repo, refs []gitapi.Ref, objects map[gitapi.Hash]bool) ([]gitapi.Ref, int) {
	if objects == nil {
		return refs, exitOK
	}
	var kept []gitapi.Ref
	for _, ref := range refs {
		if objects[ref.ID] {
			kept = append(kept, ref)
			continue
		}
		typ, data, err := r.ReadObject(ref.ID)
		if err != nil {
			return nil, c.fatal("malformed object at '%s'", ref.Name)
		}
		if typ != gitapi.TypeTag {
			continue
		}
		if tagged, _, err := gitapi.TagTarget(data); err == nil && objects[tagged] {
			kept = append(kept, ref)
		}
	}
	return kept, exitOK
}

// filterContains applies --contains and --no-contains: refs to commits
// (tags peeled) that reach one of the --contains commits and none of
// the --no-contains ones; other refs are dropped when either is given.
func (c *command) filterContains(r *gitapi.Repo, refs []gitapi.Ref, o forEachRefOptions) ([]gitapi.Ref, int) {
	if o.contains == nil && o.noContains == nil {
		return refs, exitOK
	}
	with, status := c.containsCommits(r, o.contains)
	if status != exitOK {
		return nil, status
	}
	without, status := c.containsCommits(r, o.noContains)
	if status != exitOK {
		return nil, status
	}
	var kept []gitapi.Ref
	for _, ref := range refs {
		commit, _, err := r.Peel(ref.ID, gitapi.TypeCommit)
		if err != nil {
			continue
		}
		in, err := r.ReachesAny(commit, with)
		if err != nil {
			return nil, c.fatal("%v", err)
		}
		out, err := r.ReachesAny(commit, without)
		if err != nil {
			return nil, c.fatal("%v", err)
		}
		if (o.contains == nil || in) && !out {
			kept = append(kept, ref)
		}
	}
	return kept, exitOK
}

// containsCommits resolves --contains values, with git's errors.
func (c *command) containsCommits(r *gitapi.Repo, names []string) ([]gitapi.Hash, int) {
	var commits []gitapi.Hash
	status := c.lookupRevs(r, names, "malformed object name %s", func(name string, id gitapi.Hash) int {
		commit, _, err := r.Peel(id, gitapi.TypeCommit)
		var pe *gitapi.PeelError
		if errors.As(err, &pe) {
			c.errorf("object %s is a %s, not a commit", pe.ID, pe.Type)
		}
		if err != nil {
			c.errorf("no such commit %s", name)
			return exitUsage
		}
		commits = append(commits, commit)
		return exitOK
	})
	return commits, status
}

// checkForEachRef validates the options in git's order and parses the
// format and the sort keys.
func (c *command) checkForEachRef(o forEachRefOptions) (*gitapi.RefFormat, *gitapi.RefSort, int) {
	switch {
	case o.unserved != "":
		return nil, nil, c.fatal("'for-each-ref --%s' is not implemented in-process by gitapi", o.unserved)
	case o.count < 0:
		c.errorf("invalid --count argument: `%d'", o.count)
		return nil, nil, c.usageOnly(forEachRefSpec)
	case len(o.quotes) > 1:
		c.errorf("more than one quoting style?")
		return nil, nil, c.usageOnly(forEachRefSpec)
	}
	format, err := gitapi.ParseRefFormat(o.format)
	var malformed *gitapi.MalformedFormatError
	switch {
	case errors.As(err, &malformed):
		c.errorf("%s", malformed.Error())
		return nil, nil, c.usageOnly(forEachRefSpec)
	case err != nil:
		return nil, nil, c.fatal("%v", err)
	}
	keys, err := gitapi.ParseRefSort(o.sortKeys)
	if err != nil {
		return nil, nil, c.fatal("%v", err)
	}
	return format, keys, exitOK
}

// setupFirst opens the repository before anything else, as git does for
// commands that need one (except for a lone -h, answered before setup).
func (c *command) setupFirst(args []string) (*gitapi.Repo, int) {
	if len(args) == 1 && args[0] == "-h" {
		return c.repo, exitOK
	}
	r, err := c.openRepo()
	if err != nil {
		return nil, c.fatalErr(err)
	}
	return r, exitOK
}
