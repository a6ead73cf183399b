package gitcmd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

var lsTreeSpec = &parseopt.Spec{
	Usage: []string{"git ls-tree [<options>] <tree-ish> [<path>...]"},
	Options: []parseopt.Option{
		{Short: 'd', Help: "only show trees"},
		{Short: 'r', Help: "recurse into subtrees"},
		{Short: 't', Help: "show trees when recursing"},
		{Short: 'z', Help: "terminate entries with NUL byte"},
		{Short: 'l', Long: "long", NoNegate: true, Help: "include object size"},
		{Long: "name-only", NoNegate: true, Help: "list only filenames"},
		{Long: "name-status", NoNegate: true, Help: "list only filenames"},
		{Long: "object-only", NoNegate: true, Help: "list only objects"},
		{Long: "full-name", Help: "use full path names"},
		{Long: "full-tree", Help: "list entire tree; not just current directory (implies --full-name)"},
		{Long: "format", TakesArg: true, ArgHint: "format", Help: "format to use for the output"},
		{Long: "abbrev", TakesArg: true, OptionalArg: true, ArgHint: "n", Help: "use <n> digits to display object names"},
	},
}

// lsTreeFlags are ls-tree's parsed options.
type lsTreeFlags struct {
	list               gitapi.LsTreeOptions
	nul                bool
	mode               string // "", "long", "name-only", "name-status", "object-only"
	fullName, fullTree bool
	abbrev             int  // 0: full ids
	quoteFully         bool // core.quotePath
	format             *string
}

// lsTreeArgs parses ls-tree's options. Paths with pathspec magic and
// tree-ish forms the revision parser does not serve are left to git.
var lsTreeArgs = &argParser[lsTreeFlags]{
	spec: lsTreeSpec,
	bools: map[string]func(o *lsTreeFlags) *bool{
		"d":         func(o *lsTreeFlags) *bool { return &o.list.TreesOnly },
		"r":         func(o *lsTreeFlags) *bool { return &o.list.Recursive },
		"t":         func(o *lsTreeFlags) *bool { return &o.list.ShowTrees },
		"z":         func(o *lsTreeFlags) *bool { return &o.nul },
		"full-tree": func(o *lsTreeFlags) *bool { return &o.fullTree },
	},
	set: func(o *lsTreeFlags, f parseopt.Parsed) error {
		switch name := f.Option.Long; name {
		case "long", "name-only", "name-status", "object-only":
			if o.mode != "" && o.mode != name {
				return &parseopt.Error{Message: fmt.Sprintf("option `%s' is incompatible with --%s", name, o.mode)}
			}
			o.mode = name
		case "full-name":
			// --no-full-name sets the same flag as --full-name in git.
			o.fullName = true
		case "format":
			o.format = &f.Value
		case "abbrev":
			n, err := abbrevLength(f)
			if err != nil {
				return err
			}
			o.abbrev = n
		}
		return nil
	},
	check: func(_ *lsTreeFlags, rest []string) error {
		for i, a := range rest {
			if i > 0 && strings.HasPrefix(a, ":") || i == 0 && !revisionServed(a) {
				return &UnservedError{Command: "ls-tree", Form: a}
			}
		}
		return nil
	},
}

// settle applies what the options imply once all are read; a status
// other than exitOK ends the command.
func (o *lsTreeFlags) settle(c *command, r *gitapi.Repo) int {
	if o.abbrev < 0 {
		o.abbrev = r.DefaultAbbrev()
	}
	if o.list.TreesOnly && o.list.Recursive {
		o.list.ShowTrees = true // -d -r implies -t
	}
	if o.format != nil && o.mode != "" {
		c.fatal("--format can't be combined with other format-altering options\n")
		return c.usageOnly(lsTreeSpec)
	}
	// A --format that is one of the modes' formats is that mode.
	if o.format != nil {
		if mode, ok := lsTreeModeFormats[*o.format]; ok {
			o.mode, o.format = mode, nil
		}
	}
	return exitOK
}

// lsTree implements `git ls-tree`.
func (c *command) lsTree(args []string) int {
	r, status := c.setupFirst(args)
	if status != exitOK {
		return status
	}
	o, rest, err := lsTreeArgs.parse(args)
	if err != nil {
		return c.badArgs(lsTreeSpec, err)
	}
	if status := o.settle(c, r); status != exitOK {
		return status
	}
	if len(rest) < 1 {
		return c.usageOnly(lsTreeSpec)
	}
	id, found, status := c.lookupRev(r, rest[0])
	switch {
	case status != exitOK:
		return status
	case !found:
		return c.fatal("Not a valid object name %s", rest[0])
	}
	if o.quoteFully, err = r.QuotePathFully(); err != nil {
		return c.fatal("%v", err)
	}
	prefix := r.Prefix()
	if o.fullTree {
		prefix = ""
	}
	if status := c.lsTreePaths(r, prefix, &o, rest[1:]); status != exitOK {
		return status
	}
	tree, _, err := r.Peel(id, gitapi.TypeTree)
	if err != nil {
		return c.fatal("not a tree object")
	}
	chomp := prefix
	if o.fullName {
		chomp = ""
	}
	err = r.ListTree(tree, o.list, func(e gitapi.LsTreeEntry) error {
		return c.printLsTreeEntry(r, o, chomp, e)
	})
	var unreadable *gitapi.UnreadableTreeError
	switch {
	case errors.As(err, &unreadable):
		// git reports it and stops the listing with status 1.
		c.errorf("%s", unreadable.Error())
		return 1
	case err != nil:
		return c.fatal("%v", err)
	}
	return exitOK
}

// lsTreePaths turns the path arguments into paths from the top: the
// working directory when none are given.
func (c *command) lsTreePaths(r *gitapi.Repo, prefix string, o *lsTreeFlags, args []string) int {
	if len(args) == 0 && prefix != "" {
		o.list.Paths = []string{prefix}
	}
	for _, a := range args {
		if a == "" {
			return c.fatal("empty string is not a valid pathspec. please use . instead if you meant to match all paths")
		}
		p, err := r.PathFrom(prefix, a)
		if errors.Is(err, gitapi.ErrOutsideRepository) {
			return c.fatal("%v", err)
		}
		o.list.Paths = append(o.list.Paths, p)
	}
	return exitOK
}

// printLsTreeEntry writes one entry in the chosen format; names are
// relative to chomp when it is not "".
func (c *command) printLsTreeEntry(r *gitapi.Repo, o lsTreeFlags, chomp string, e gitapi.LsTreeEntry) error {
	id := e.ID.String()
	if o.abbrev > 0 {
		id = r.UniqueAbbrev(e.ID, o.abbrev)
	}
	if o.format != nil {
		line, err := expandLsTreeFormat(*o.format, r, e, id, chomp, o.quoteFully)
		if err != nil {
			return err
		}
		c.out.WriteString(line)
		c.lsTreeEnd(o)
		return nil
	}
	switch o.mode {
	case "object-only":
		c.out.WriteString(id)
		c.lsTreeEnd(o)
		return nil
	case "long":
		fmt.Fprintf(c.out, "%06o %s %s %7s\t", e.Mode, e.Type, id, lsTreeSize(r, e))
	case "":
		fmt.Fprintf(c.out, "%06o %s %s\t", e.Mode, e.Type, id)
	}
	name := e.Path
	if chomp != "" {
		name = gitapi.RelativePath(name, chomp)
	}
	if !o.nul {
		name = gitapi.QuotePathAs(name, o.quoteFully)
	}
	c.out.WriteString(name)
	c.lsTreeEnd(o)
	return nil
}

// lsTreeSize is the size column of -l: a blob's size, "-" for others.
func lsTreeSize(r *gitapi.Repo, e gitapi.LsTreeEntry) string {
	if e.Type != gitapi.TypeBlob {
		return "-"
	}
	if _, data, err := r.ReadObject(e.ID); err == nil {
		return strconv.Itoa(len(data))
	}
	return "BAD"
}

// lsTreeModeFormats are the --format strings git treats as its modes.
var lsTreeModeFormats = map[string]string{
	"%(objectmode) %(objecttype) %(objectname)%x09%(path)":                      "",
	"%(objectmode) %(objecttype) %(objectname) %(objectsize:padded)%x09%(path)": "long",
	"%(path)":       "name-only",
	"%(objectname)": "object-only",
}

// lsTreeFormatError is a --format git dies on, at the first entry.
type lsTreeFormatError struct{ msg string }

func (e *lsTreeFormatError) Error() string { return "bad ls-tree format: " + e.msg }

// expandLsTreeFormat expands a --format for one entry: %%, %n, %xNN and
// the atoms objectmode, objecttype, objectname, objectsize[:padded] and
// path (always C-quoted, even with -z, as git does).
func expandLsTreeFormat(format string, r *gitapi.Repo, e gitapi.LsTreeEntry, id, chomp string, quoteFully bool) (string, error) {
	var b strings.Builder
	for {
		pct := strings.IndexByte(format, '%')
		if pct < 0 {
			b.WriteString(format)
			return b.String(), nil
		}
		b.WriteString(format[:pct])
		rest := format[pct+1:]
		switch {
		case strings.HasPrefix(rest, "%"):
			b.WriteByte('%')
			format = rest[1:]
			continue
		case strings.HasPrefix(rest, "n"):
			b.WriteByte('\n')
			format = rest[1:]
			continue
		case len(rest) >= 3 && rest[0] == 'x' && isHex(rest[1]) && isHex(rest[2]):
			v, _ := strconv.ParseUint(rest[1:3], 16, 8)
			b.WriteByte(byte(v))
			format = rest[3:]
			continue
		case !strings.HasPrefix(rest, "("):
			return "", &lsTreeFormatError{fmt.Sprintf("element '%s' does not start with '('", rest)}
		}
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return "", &lsTreeFormatError{fmt.Sprintf("element '%s' does not end in ')'", rest)}
		}
		switch atom := rest[1:end]; atom {
		case "objectmode":
			fmt.Fprintf(&b, "%06o", e.Mode)
		case "objecttype":
			b.WriteString(e.Type)
		case "objectname":
			b.WriteString(id)
		case "objectsize":
			b.WriteString(lsTreeSize(r, e))
		case "objectsize:padded":
			fmt.Fprintf(&b, "%7s", lsTreeSize(r, e))
		case "path":
			name := e.Path
			if chomp != "" {
				name = gitapi.RelativePath(name, chomp)
			}
			b.WriteString(gitapi.QuotePathAs(name, quoteFully))
		default:
			return "", &lsTreeFormatError{"%" + rest[:end+1]}
		}
		format = rest[end+1:]
	}
}

func (c *command) lsTreeEnd(o lsTreeFlags) {
	if o.nul {
		c.out.WriteByte(0)
	} else {
		c.out.WriteByte('\n')
	}
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool { return strings.IndexByte("0123456789abcdefABCDEF", c) >= 0 }
