package gitapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ls-tree is served except --format and pathspec magic (":(glob)x",
// ":/x"), which go to git.
func init() {
	commands["ls-tree"] = (*command).lsTree
	servedForms["ls-tree"] = lsTreeServes
}

// lsTreeServes refuses --format and paths with pathspec magic.
func lsTreeServes(args []string) bool {
	positional := 0
	dashdash := false
	for _, a := range args {
		switch {
		case dashdash || a == "-" || !strings.HasPrefix(a, "-"):
			if positional > 0 && strings.HasPrefix(a, ":") {
				return false
			}
			positional++
		case a == "--":
			dashdash = true
		case strings.HasPrefix(a, "--fo") && strings.HasPrefix("--format", strings.SplitN(a, "=", 2)[0]):
			return false
		}
	}
	return true
}

var lsTreeSpec = &OptionSpec{
	Usage: []string{"git ls-tree [<options>] <tree-ish> [<path>...]"},
	Options: []Option{
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
	list               LsTreeOptions
	nul                bool
	mode               string // "", "long", "name-only", "name-status", "object-only"
	fullName, fullTree bool
	abbrev             int  // 0: full ids
	quoteFully         bool // core.quotePath
}

// parseLsTree applies ls-tree's options; a status other than exitOK ends the
// command.
func (c *command) parseLsTree(found []ParsedOption) (lsTreeFlags, int) {
	var o lsTreeFlags
	for _, f := range found {
		switch f.Option.Short {
		case 'd':
			o.list.TreesOnly = true
		case 'r':
			o.list.Recursive = true
		case 't':
			o.list.ShowTrees = true
		case 'z':
			o.nul = true
		}
		switch name := f.Option.Long; name {
		case "long", "name-only", "name-status", "object-only":
			if o.mode != "" && o.mode != name {
				c.errorf("option `%s' is incompatible with --%s", name, o.mode)
				return o, exitUsage
			}
			o.mode = name
		case "full-name":
			// --no-full-name sets the same flag as --full-name in git.
			o.fullName = true
		case "full-tree":
			o.fullTree = !f.Unset
		case "format":
			return o, c.fatal("'ls-tree --format' is not implemented in-process by gitapi")
		case "abbrev":
			n, status := c.abbrevValue(f)
			if status != exitOK {
				return o, status
			}
			o.abbrev = n
		}
	}
	if o.list.TreesOnly && o.list.Recursive {
		o.list.ShowTrees = true // -d -r implies -t
	}
	return o, exitOK
}

// abbrevValue is the length an --abbrev option asks for (0 for full
// ids), as git's OPT__ABBREV reads it.
func (c *command) abbrevValue(f ParsedOption) (int, int) {
	switch {
	case f.Unset:
		return 0, exitOK
	case !f.HasValue:
		r, err := c.openRepo()
		if err != nil {
			return 7, exitOK
		}
		return r.DefaultAbbrev(), exitOK
	}
	n, err := strconv.Atoi(f.Value)
	if err != nil {
		c.errorf("option `abbrev' expects a numerical value")
		return 0, exitUsage
	}
	switch {
	case n != 0 && n < minAbbrev:
		n = minAbbrev
	case n > hexSize:
		n = hexSize
	}
	return n, exitOK
}

// lsTree implements `git ls-tree`.
func (c *command) lsTree(args []string) int {
	if _, status := c.setupFirst(args); status != exitOK {
		return status
	}
	found, rest, err := lsTreeSpec.Parse(args, ParseOptFlags{})
	if err != nil {
		return c.usage(lsTreeSpec, err)
	}
	o, status := c.parseLsTree(found)
	if status != exitOK {
		return status
	}
	if len(rest) < 1 {
		return c.usageOnly(lsTreeSpec)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	id, err := r.Resolve(rest[0])
	if err != nil {
		return c.fatal("Not a valid object name %s", rest[0])
	}
	if o.quoteFully, err = r.quotePathFully(); err != nil {
		return c.fatal("%v", err)
	}
	prefix := r.Prefix()
	if o.fullTree {
		prefix = ""
	}
	if status := c.lsTreePaths(r, prefix, &o, rest[1:]); status != exitOK {
		return status
	}
	tree, _, err := r.peel(id, TypeTree)
	if err != nil {
		return c.fatal("not a tree object")
	}
	chomp := prefix
	if o.fullName {
		chomp = ""
	}
	err = r.ListTree(tree, o.list, func(e LsTreeEntry) error {
		c.printLsTreeEntry(r, o, chomp, e)
		return nil
	})
	if err != nil {
		c.out.Flush()
		return c.fatal("%v", err)
	}
	return exitOK
}

// lsTreePaths turns the path arguments into paths from the top: the
// working directory when none are given.
func (c *command) lsTreePaths(r *Repo, prefix string, o *lsTreeFlags, args []string) int {
	if len(args) == 0 && prefix != "" {
		o.list.Paths = []string{prefix}
	}
	for _, a := range args {
		if a == "" {
			return c.fatal("empty string is not a valid pathspec. please use . instead if you meant to match all paths")
		}
		p, err := r.pathFrom(prefix, a)
		if errors.Is(err, ErrOutsideRepository) {
			return c.fatal("%v", err)
		}
		o.list.Paths = append(o.list.Paths, p)
	}
	return exitOK
}

// printLsTreeEntry writes one entry in the chosen format; names are
// relative to chomp when it is not "".
func (c *command) printLsTreeEntry(r *Repo, o lsTreeFlags, chomp string, e LsTreeEntry) {
	id := e.ID.String()
	if o.abbrev > 0 {
		id = r.UniqueAbbrev(e.ID, o.abbrev)
	}
	switch o.mode {
	case "object-only":
		c.out.WriteString(id)
		c.lsTreeEnd(o)
		return
	case "long":
		size := "-"
		if e.Type == TypeBlob {
			size = "BAD"
			if _, data, err := r.ReadObject(e.ID); err == nil {
				size = strconv.Itoa(len(data))
			}
		}
		fmt.Fprintf(c.out, "%06o %s %s %7s\t", e.Mode, e.Type, id, size)
	case "":
		fmt.Fprintf(c.out, "%06o %s %s\t", e.Mode, e.Type, id)
	}
	name := e.Path
	if chomp != "" {
		name = relativePath(name, chomp)
	}
	if !o.nul {
		name = quotePathAs(name, o.quoteFully)
	}
	c.out.WriteString(name)
	c.lsTreeEnd(o)
}

func (c *command) lsTreeEnd(o lsTreeFlags) {
	if o.nul {
		c.out.WriteByte(0)
	} else {
		c.out.WriteByte('\n')
	}
}
