package gitapi

import (
	"errors"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
	"sort"
	"strconv"
	"strings"
)

// for-each-ref is served for the atoms foreachref.go implements, sorted
// on them, with --points-at, --contains and --no-contains; --merged and
// --no-merged, colors, Tcl quoting and case folding go to git.
func init() {
	commands["for-each-ref"] = (*command).forEachRef
	servedForms["for-each-ref"] = forEachRefServes
}

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

// parseForEachRef reads the options; err is a ParseOptError for bad
// option values.
func parseForEachRef(found []parseopt.Parsed) (forEachRefOptions, error) {
	o := forEachRefOptions{format: defaultRefFormat}
	for _, f := range found {
		switch name := f.Option.Long; name {
		case "shell", "perl", "python", "tcl":
			o.quotes = removeString(o.quotes, name)
			if !f.Unset {
				o.quotes = append(o.quotes, name)
			}
			if name == "tcl" && !f.Unset && o.unserved == "" {
				o.unserved = name
			}
		case "count":
			n, err := strconv.Atoi(f.Value)
			if err != nil && !f.Unset {
				return o, &parseopt.Error{Message: "option `count' expects a numerical value"}
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
	}
	return o, nil
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// parseForEachRefArgs parses the arguments; --contains, --merged and
// their --no- forms given last without a value mean HEAD, as in git.
func parseForEachRefArgs(args []string) ([]parseopt.Parsed, []string, error) {
	found, rest, err := forEachRefSpec.Parse(args, parseopt.Flags{})
	var pe *parseopt.Error
	if errors.As(err, &pe) {
		for _, name := range []string{"contains", "no-contains", "merged", "no-merged"} {
			if pe.Message == "option `"+name+"' requires a value" {
				return forEachRefSpec.Parse(append(append([]string(nil), args...), "HEAD"), parseopt.Flags{})
			}
		}
	}
	return found, rest, err
}

// forEachRefServes reports whether the options, format and sort keys
// are all implemented.
func forEachRefServes(args []string) bool {
	found, _, err := parseForEachRefArgs(args)
	if err != nil {
		return true // the usage error is ours to print
	}
	o, err := parseForEachRef(found)
	if err != nil {
		return true
	}
	if o.unserved != "" {
		return false
	}
	if _, err := parseRefFormat(o.format); errors.Is(err, errUnservedAtom) {
		return false
	}
	_, err = parseSortKeys(o.sortKeys)
	return err == nil
}

// refSortKey is one --sort key.
type refSortKey struct {
	atom    *refAtom
	reverse bool
}

// parseSortKeys turns --sort values into keys, primary first (git makes
// the last --sort the primary key); refname by default.
func parseSortKeys(values []string) ([]refSortKey, error) {
	if len(values) == 0 {
		values = []string{"refname"}
	}
	var keys []refSortKey
	for i := len(values) - 1; i >= 0; i-- {
		v, reverse := strings.CutPrefix(values[i], "-")
		atom, err := parseRefAtom(v)
		if err != nil {
			return nil, err
		}
		keys = append(keys, refSortKey{atom: atom, reverse: reverse})
	}
	return keys, nil
}

// forEachRef implements `git for-each-ref`.
func (c *command) forEachRef(args []string) int {
	r, status := c.setupFirst(args)
	if status != exitOK {
		return status
	}
	found, patterns, err := parseForEachRefArgs(args)
	if err != nil {
		return c.usage(forEachRefSpec, err)
	}
	o, err := parseForEachRef(found)
	if err != nil {
		return c.usage(forEachRefSpec, err)
	}
	pointsAt, status := c.pointsAtObjects(r, o.pointsAt)
	if status != exitOK {
		return status
	}
	parts, keys, status := c.checkForEachRef(o)
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
	// git computes every atom of every ref before it sorts or prints
	// any: a ref whose object is missing fails the whole listing.
	values := c.refValuesOf(r, refs)
	for _, v := range values {
		if v.line, err = formatRef(v, parts, quote); err != nil {
			return c.fatal("%v", err)
		}
		for _, k := range keys {
			if _, err := v.value(k.atom); err != nil {
				return c.fatal("%v", err)
			}
		}
	}
	sortRefValues(values, keys)
	if o.count > 0 && o.count < len(values) {
		values = values[:o.count]
	}
	for _, v := range values {
		c.println(v.line)
	}
	return exitOK
}

// pointsAtObjects resolves the --points-at arguments, as git does while
// it parses its options.
func (c *command) pointsAtObjects(r *Repo, names []string) (map[Hash]bool, int) {
	if names == nil {
		return nil, exitOK
	}
	objects := map[Hash]bool{}
	for _, name := range names {
		id, found, status := c.lookupRev(r, name)
		switch {
		case status != exitOK:
			return nil, status
		case !found:
			c.errorf("malformed object name '%s'", name)
			return nil, exitUsage
		}
		objects[id] = true
	}
	return objects, exitOK
}

// filterPointsAt keeps the refs that point at one of the objects, or
// are annotated tags of one (one level down); all with no --points-at.
func (c *command) filterPointsAt(r *Repo, refs []Ref, objects map[Hash]bool) ([]Ref, int) {
	if objects == nil {
		return refs, exitOK
	}
	var kept []Ref
	for _, ref := range refs {
		if objects[ref.ID] {
			kept = append(kept, ref)
			continue
		}
		typ, data, err := r.ReadObject(ref.ID)
		if err != nil {
			return nil, c.fatal("malformed object at '%s'", ref.Name)
		}
		if typ != TypeTag {
			continue
		}
		if tagged, _, err := parseTagTarget(data); err == nil && objects[tagged] {
			kept = append(kept, ref)
		}
	}
	return kept, exitOK
}

// filterContains applies --contains and --no-contains: refs to commits
// (tags peeled) that reach one of the --contains commits and none of
// the --no-contains ones; other refs are dropped when either is given.
func (c *command) filterContains(r *Repo, refs []Ref, o forEachRefOptions) ([]Ref, int) {
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
	var kept []Ref
	for _, ref := range refs {
		commit, _, err := r.peel(ref.ID, TypeCommit)
		if err != nil {
			continue
		}
		in, err := reachesAny(r, commit, with)
		if err != nil {
			return nil, c.fatal("%v", err)
		}
		out, err := reachesAny(r, commit, without)
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
func (c *command) containsCommits(r *Repo, names []string) ([]Hash, int) {
	var commits []Hash
	for _, name := range names {
		id, found, status := c.lookupRev(r, name)
		switch {
		case status != exitOK:
			return nil, status
		case !found:
			c.errorf("malformed object name %s", name)
			return nil, exitUsage
		}
		commit, _, err := r.peel(id, TypeCommit)
		var pe *peelError
		if errors.As(err, &pe) {
			c.errorf("object %s is a %s, not a commit", pe.id, pe.typ)
		}
		if err != nil {
			c.errorf("no such commit %s", name)
			return nil, exitUsage
		}
		commits = append(commits, commit)
	}
	return commits, exitOK
}

// reachesAny reports whether one of the commits is an ancestor of tip.
func reachesAny(r *Repo, tip Hash, commits []Hash) (bool, error) {
	for _, c := range commits {
		ok, err := r.IsAncestor(c, tip)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// checkForEachRef validates the options in git's order and parses the
// format and the sort keys.
func (c *command) checkForEachRef(o forEachRefOptions) ([]refFormatPart, []refSortKey, int) {
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
	parts, err := parseRefFormat(o.format)
	var malformed *malformedFormatError
	switch {
	case errors.As(err, &malformed):
		c.errorf("%s", malformed.Error())
		return nil, nil, c.usageOnly(forEachRefSpec)
	case err != nil:
		return nil, nil, c.fatal("%v", err)
	}
	keys, err := parseSortKeys(o.sortKeys)
	if err != nil {
		return nil, nil, c.fatal("%v", err)
	}
	return parts, keys, exitOK
}

// setupFirst opens the repository before anything else, as git does for
// commands that need one (except for a lone -h, answered before setup).
func (c *command) setupFirst(args []string) (*Repo, int) {
	if len(args) == 1 && args[0] == "-h" {
		return c.repo, exitOK
	}
	r, err := c.openRepo()
	if err != nil {
		return nil, c.fatalErr(err)
	}
	return r, exitOK
}

// refValuesOf prepares the atoms of each ref.
func (c *command) refValuesOf(r *Repo, refs []Ref) []*refValues {
	head := ""
	if _, name, err := r.ResolveRef("HEAD"); err == nil {
		head = name
	}
	out := make([]*refValues, len(refs))
	for i, ref := range refs {
		out[i] = &refValues{repo: r, ref: ref, head: head}
	}
	return out
}

// sortRefValues orders refs by the keys, then by name; their values
// have been computed.
func sortRefValues(values []*refValues, keys []refSortKey) {
	sort.SliceStable(values, func(i, j int) bool {
		for _, k := range keys {
			if cmp := compareRefKey(values[i], values[j], k.atom); cmp != 0 {
				return (cmp < 0) != k.reverse
			}
		}
		return values[i].ref.Name < values[j].ref.Name
	})
}

// compareRefKey compares two refs on one atom: numerically for sizes
// and dates, as strings otherwise.
func compareRefKey(a, b *refValues, atom *refAtom) int {
	if dateAtoms[atom.name] {
		return cmpUint(a.sortTime(atom), b.sortTime(atom))
	}
	va, _ := a.value(atom)
	vb, _ := b.value(atom)
	if atom.name == "objectsize" {
		na, _ := strconv.ParseUint(va, 10, 64)
		nb, _ := strconv.ParseUint(vb, 10, 64)
		return cmpUint(na, nb)
	}
	return strings.Compare(va, vb)
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// formatRef expands the format for one ref.
func formatRef(v *refValues, parts []refFormatPart, quote string) (string, error) {
	var b strings.Builder
	for _, p := range parts {
		if p.atom == nil {
			b.WriteString(p.literal)
			continue
		}
		s, err := v.value(p.atom)
		if err != nil {
			return "", err
		}
		b.WriteString(formatQuote(quote, s))
	}
	return b.String(), nil
}
