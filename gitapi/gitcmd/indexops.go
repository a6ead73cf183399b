package gitcmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// readTreeArgs are the read-tree forms the face serves: -m with one,
// two or three tree-ishes, -i or -u, and --aggressive with two or
// three.
type readTreeArgs struct {
	merge, indexOnly, update, aggressive bool
	prefix                               string
	prefixSet                            bool
}

var readTreeSpec = &parseopt.Spec{
	Usage: []string{"git read-tree [(-m [--trivial] [--aggressive] | --reset | --prefix=<prefix>)\n" +
		"                     [-u | -i]] [--index-output=<file>] [--no-sparse-checkout]\n" +
		"                     (--empty | <tree-ish1> [<tree-ish2> [<tree-ish3>]])"},
	Options: []parseopt.Option{
		{Long: "index-output", TakesArg: true, ArgHint: "file", Help: "write resulting index to <file>"},
		{Long: "empty", Help: "only empty the index"},
		{Short: 'v', Help: "be verbose"},
		{Short: 'm', Help: "perform a merge in addition to a read"},
		{Long: "trivial", Help: "3-way merge if no file level merging required"},
		{Long: "aggressive", Help: "3-way merge in presence of adds and removes"},
		{Long: "reset", Help: "same as -m, but discard unmerged entries"},
		{Long: "prefix", TakesArg: true, ArgHint: "<subdirectory>/", Help: "read the tree into the index under <subdirectory>/"},
		{Short: 'u', Help: "update working tree with merge result"},
		{Long: "exclude-per-directory", TakesArg: true, ArgHint: "gitignore", Help: "allow explicitly ignored files to be overwritten"},
		{Short: 'i', Help: "don't check the working tree after merging"},
		{Short: 'n', Long: "dry-run", Help: "don't update the index or the work tree"},
		{Long: "no-sparse-checkout", Help: "skip applying sparse checkout filter"},
		{Long: "debug-unpack", Help: "debug unpack-trees"},
		{Long: "recurse-submodules", Help: "control recursive updating of submodules"},
		{Short: 'q', Long: "quiet", Help: "suppress feedback messages"},
	},
}

// readTreeParser parses read-tree's options; all but -m, -i, -u,
// --aggressive and --prefix are left to git, as are more than three
// trees.
var readTreeParser = &argParser[readTreeArgs]{
	spec: readTreeSpec,
	bools: map[string]func(o *readTreeArgs) *bool{
		"m":          func(o *readTreeArgs) *bool { return &o.merge },
		"i":          func(o *readTreeArgs) *bool { return &o.indexOnly },
		"u":          func(o *readTreeArgs) *bool { return &o.update },
		"aggressive": func(o *readTreeArgs) *bool { return &o.aggressive },
	},
	set: func(o *readTreeArgs, f parseopt.Parsed) error {
		if f.Option.Long == "prefix" && !f.Unset {
			o.prefix, o.prefixSet = f.Value, true
			return nil
		}
		return unserved("read-tree", f)
	},
	check: func(o *readTreeArgs, rest []string) error {
		switch {
		case o.prefixSet && (o.merge || o.update || o.indexOnly || o.aggressive || !prefixServed(o.prefix) || len(rest) != 1),
			!o.merge && !o.prefixSet, o.indexOnly && o.update, len(rest) < 1, len(rest) > 3,
			o.aggressive && len(rest) == 1:
			return &UnservedError{Command: "read-tree", Form: strings.Join(rest, " ")}
		}
		for _, rev := range rest {
			if !revisionServed(rev) {
				return &UnservedError{Command: "read-tree", Form: rev}
			}
		}
		return nil
	},
}

// prefixServed reports whether a --prefix value is a plain relative
// directory (git's other forms are its own).
func prefixServed(p string) bool {
	d := strings.TrimSuffix(p, "/")
	if d == "" || strings.HasPrefix(d, "/") || strings.Contains(d, "//") {
		return false
	}
	for _, c := range strings.Split(d, "/") {
		if c == "." || c == ".." || c == ".git" {
			return false
		}
	}
	return true
}

// readTree implements `git read-tree -m [-i | -u] <tree-ish>`, the
// single-tree merge, its 2- and 3-way merges (`-m [--aggressive] [-i |
// -u] <tree-ish>...`) and `git read-tree --prefix=<dir>/ <tree-ish>`. A
// state git resolves or reports its own way (a changed file in the way,
// an untracked file, an entry the merge would overwrite, a
// directory/file conflict) is passed to git before anything changes.
func (c *command) readTree(args []string) int {
	o, rest, err := readTreeParser.parse(args)
	if err == nil {
		err = readTreeParser.check(&o, rest)
	}
	if err != nil {
		return c.badArgs(readTreeSpec, err)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	if (o.update || o.merge && !o.indexOnly) && r.WorkTree() == "" {
		// git needs a work tree to check: "this operation must be run
		// in a work tree".
		return c.fallback("read-tree", args)
	}
	// git locks the index and refuses an unmerged one before it looks
	// at the tree.
	l, err := r.LockIndex()
	if err != nil {
		return c.fatalErr(err)
	}
	for _, e := range l.Index().Entries {
		if e.Stage != 0 {
			l.Rollback()
			return c.fatal("%v", gitapi.ErrUnmergedIndex)
		}
	}
	ids := make([]gitapi.Hash, len(rest))
	for i, rev := range rest {
		id, found, status := c.lookupRev(r, rev)
		switch {
		case status != exitOK:
			l.Rollback()
			return status
		case !found:
			l.Rollback()
			return c.fatal("Not a valid object name %s", rev)
		}
		if _, _, err := r.Peel(id, gitapi.TypeTree); err != nil {
			l.Rollback()
			return c.fallback("read-tree", args)
		}
		ids[i] = id
	}
	ro := gitapi.ReadTreeOptions{Update: o.update, IndexOnly: o.indexOnly, Aggressive: o.aggressive}
	switch {
	case o.prefixSet:
		err = r.ReadTreePrefix(l.Index(), ids[0], o.prefix)
	case len(ids) == 1:
		err = r.ReadTreeMerge(l.Index(), ids[0], ro)
	case len(ids) == 2:
		err = r.ReadTreeMerge2(l.Index(), ids[0], ids[1], ro)
	default:
		err = r.ReadTreeMerge3(l.Index(), ids[0], ids[1], ids[2], ro)
	}
	var conflict *gitapi.WorkTreeConflictError
	var unserved *gitapi.MergeUnservedError
	switch {
	case errors.As(err, &conflict), errors.As(err, &unserved):
		l.Rollback()
		return c.fallback("read-tree", args)
	case errors.Is(err, gitapi.ErrUnmergedIndex):
		l.Rollback()
		return c.fatal("%v", err)
	case err != nil:
		l.Rollback()
		return c.fatalErr(err)
	}
	if err := l.Commit(); err != nil {
		return c.fatal("unable to write new index file")
	}
	return exitOK
}

// checkoutIndexArgs are the checkout-index forms served: -a with -f
// and -u.
type checkoutIndexArgs struct {
	all, force, update, quiet bool
}

var checkoutIndexSpec = &parseopt.Spec{
	Usage: []string{"git checkout-index [<options>] [--] [<file>...]"},
	Options: []parseopt.Option{
		{Short: 'a', Long: "all", Help: "check out all files in the index"},
		{Long: "ignore-skip-worktree-bits", Help: "do not skip files with skip-worktree set"},
		{Short: 'f', Long: "force", Help: "force overwrite of existing files"},
		{Short: 'q', Long: "quiet", Help: "no warning for existing files and files not in index"},
		{Short: 'n', Long: "no-create", Help: "don't checkout new files"},
		{Short: 'u', Long: "index", Help: "update stat information in the index file"},
		{Short: 'z', Help: "paths are separated with NUL character"},
		{Long: "stdin", Help: "read list of paths from the standard input"},
		{Long: "temp", Help: "write the content to temporary files"},
		{Long: "prefix", TakesArg: true, ArgHint: "string", Help: "when creating files, prepend <string>"},
		{Long: "stage", TakesArg: true, ArgHint: "(1|2|3|all)", Help: "copy out the files from named stage"},
	},
}

// checkoutIndexParser leaves all but -a, -f, -u and -q to git, and
// -a without -u too.
var checkoutIndexParser = &argParser[checkoutIndexArgs]{
	spec: checkoutIndexSpec,
	bools: map[string]func(o *checkoutIndexArgs) *bool{
		"all":   func(o *checkoutIndexArgs) *bool { return &o.all },
		"force": func(o *checkoutIndexArgs) *bool { return &o.force },
		"index": func(o *checkoutIndexArgs) *bool { return &o.update },
		"quiet": func(o *checkoutIndexArgs) *bool { return &o.quiet },
	},
	set: func(o *checkoutIndexArgs, f parseopt.Parsed) error { return unserved("checkout-index", f) },
	check: func(o *checkoutIndexArgs, rest []string) error {
		if !o.all || !o.update || len(rest) != 0 {
			return &UnservedError{Command: "checkout-index", Form: strings.Join(rest, " ")}
		}
		return nil
	},
}

// checkoutIndex implements `git checkout-index -a -u [-f] [-q]`.
func (c *command) checkoutIndex(args []string) int {
	o, rest, err := checkoutIndexParser.parse(args)
	if err == nil {
		err = checkoutIndexParser.check(&o, rest)
	}
	if err != nil {
		return c.badArgs(checkoutIndexSpec, err)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	if r.WorkTree() == "" {
		return c.fallback("checkout-index", args)
	}
	l, err := r.LockIndex()
	if err != nil {
		return c.fatalErr(err)
	}
	err = r.CheckoutIndexAll(l.Index(), gitapi.CheckoutIndexOptions{Force: o.force})
	var conflict *gitapi.WorkTreeConflictError
	switch {
	case errors.As(err, &conflict):
		l.Rollback()
		return c.fallback("checkout-index", args)
	case err != nil:
		l.Rollback()
		return c.fatalErr(err)
	}
	if err := l.Commit(); err != nil {
		return c.fatal("Unable to write new index file")
	}
	return exitOK
}

// rmArgs are the rm forms served: --cached with literal paths.
type rmArgs struct {
	cached, quiet, ignoreUnmatch, recursive, force bool
}

var rmSpec = &parseopt.Spec{
	Usage: []string{"git rm [-f | --force] [-n] [-r] [--cached] [--ignore-unmatch]\n" +
		"              [--quiet] [--pathspec-from-file=<file> [--pathspec-file-nul]]\n" +
		"              [--] [<pathspec>...]"},
	Options: []parseopt.Option{
		{Short: 'n', Long: "dry-run", Help: "dry run"},
		{Short: 'q', Long: "quiet", Help: "do not list removed files"},
		{Long: "cached", Help: "only remove from the index"},
		{Short: 'f', Long: "force", Help: "override the up-to-date check"},
		{Short: 'r', Help: "allow recursive removal"},
		{Long: "ignore-unmatch", Help: "exit with a zero status even if nothing matched"},
		{Long: "sparse", Help: "allow updating entries outside of the sparse-checkout cone"},
		{Long: "pathspec-from-file", TakesArg: true, ArgHint: "file", Help: "read pathspec from file"},
		{Long: "pathspec-file-nul", Help: "with --pathspec-from-file, pathspec elements are separated with NUL character"},
	},
}

// rmParser leaves all but --cached, -q, -r, -f and --ignore-unmatch to
// git, and paths with glob characters or magic, and rm without
// --cached.
var rmParser = &argParser[rmArgs]{
	spec: rmSpec,
	bools: map[string]func(o *rmArgs) *bool{
		"cached":         func(o *rmArgs) *bool { return &o.cached },
		"quiet":          func(o *rmArgs) *bool { return &o.quiet },
		"ignore-unmatch": func(o *rmArgs) *bool { return &o.ignoreUnmatch },
		"r":              func(o *rmArgs) *bool { return &o.recursive },
		"force":          func(o *rmArgs) *bool { return &o.force },
	},
	set: func(o *rmArgs, f parseopt.Parsed) error { return unserved("rm", f) },
	check: func(o *rmArgs, rest []string) error {
		if !o.cached || len(rest) == 0 {
			return &UnservedError{Command: "rm", Form: "without --cached or paths"}
		}
		for _, p := range rest {
			if gitapi.HasGlob(p) || strings.HasPrefix(p, ":") || p == "" {
				return &UnservedError{Command: "rm", Form: p}
			}
		}
		return nil
	},
}

// rm implements `git rm --cached [-q] [-r] [-f] [--ignore-unmatch]
// <path>...` for literal paths.
func (c *command) rm(args []string) int {
	o, rest, err := rmParser.parse(args)
	if err == nil {
		err = rmParser.check(&o, rest)
	}
	if err != nil {
		return c.badArgs(rmSpec, err)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	if r.WorkTree() == "" {
		return c.fallback("rm", args)
	}
	paths := make([]string, len(rest))
	for i, p := range rest {
		full, ok := gitapi.PrefixPath(r.WorkTree(), r.Prefix(), p)
		if !ok {
			return c.fallback("rm", args)
		}
		paths[i] = strings.TrimSuffix(full, "/")
		if full != paths[i] {
			// "dir/" matches only a directory: git's own matching.
			return c.fallback("rm", args)
		}
	}
	l, err := r.LockIndex()
	if err != nil {
		return c.fatalErr(err)
	}
	removed, err := r.RemoveCached(l.Index(), paths, gitapi.RemoveCachedOptions{
		Recursive: o.recursive, IgnoreUnmatch: o.ignoreUnmatch, Force: o.force,
	})
	var re *gitapi.RmError
	var conflict *gitapi.WorkTreeConflictError
	switch {
	case errors.As(err, &conflict):
		l.Rollback()
		return c.fallback("rm", args)
	case errors.As(err, &re) && re.Fatal != "":
		l.Rollback()
		// git names the path as given.
		return c.fatal("%s", rmFatalAsGiven(re.Fatal, paths, rest))
	case errors.As(err, &re):
		l.Rollback()
		c.rmStagedError(r, re.Staged)
		return 1
	case err != nil:
		l.Rollback()
		return c.fatalErr(err)
	case len(removed) == 0:
		l.Rollback()
		return exitOK
	}
	if !o.quiet {
		for _, p := range removed {
			c.println(fmt.Sprintf("rm '%s'", p))
		}
	}
	if err := l.Commit(); err != nil {
		return c.fatal("Unable to write new index file")
	}
	return exitOK
}

// rmFatalAsGiven puts the path as given back in a message about its
// path from the top.
func rmFatalAsGiven(msg string, paths, given []string) string {
	for i, p := range paths {
		if strings.Contains(msg, "'"+p+"'") {
			return strings.Replace(msg, "'"+p+"'", "'"+given[i]+"'", 1)
		}
	}
	return msg
}

// rmStagedError prints git rm's report of paths whose staged content
// differs from both the file and HEAD.
func (c *command) rmStagedError(r *gitapi.Repo, staged []string) {
	msg := "the following file has staged content different from both the\nfile and the HEAD:"
	if len(staged) > 1 {
		msg = "the following files have staged content different from both the\nfile and the HEAD:"
	}
	for _, p := range staged {
		msg += "\n    " + p
	}
	hints := true
	if cfg, err := r.Config(); err == nil {
		hints, _ = cfg.Bool("advice.rmhints", true)
	}
	if hints {
		msg += "\n(use -f to force removal)"
	}
	c.out.Flush()
	io.WriteString(c.err, "error: "+msg+"\n")
}
