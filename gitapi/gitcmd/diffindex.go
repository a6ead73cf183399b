package gitcmd

import (
	"errors"
	"io"

	"github.com/kiln-dev/kiln/gitapi"
)

const diffIndexUsage = "usage: git diff-index [-m] [--cached] [--merge-base] [<common-diff-options>] <tree-ish> [<path>...]\n"

// diffIndex implements `git diff-index [--cached] <tree-ish> [<path>...]`
// with raw, --name-only and --name-status output.
func (c *command) diffIndex(args []string) int {
	if len(args) == 1 && args[0] == "-h" {
		return c.diffUsage(diffIndexUsage)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	d, unknown := parseDiffArgs(args, true)
	if unknown != "" {
		return c.diffUsage(diffIndexUsage)
	}
	revs, paths, status := c.diffRevArgs(r, d.words, d.dashdash, d.after)
	if status != 0 {
		return status
	}
	if len(revs) != 1 {
		return c.diffUsage(diffIndexUsage)
	}
	if !d.cached && r.WorkTree() == "" {
		return c.fatal("this operation must be run in a work tree")
	}
	ps, err := gitapi.ParsePathspec(r.WorkTree(), r.Prefix(), paths)
	if err != nil {
		return c.fatal("%v", err)
	}
	tree, err := r.TreeFiles(revs[0])
	if err != nil {
		c.errorf("bad tree object %s", revs[0])
		return exitFatal
	}
	ix, err := r.OpenIndex()
	if err != nil {
		return c.indexFatal(err)
	}
	if r.SubmoduleSettingsMatter(ix, d.opts.ignoreSubmodules) {
		return c.fallback("diff-index", args)
	}
	pairs, err := r.DiffIndex(tree, ix, gitapi.DiffOptions{Pathspec: ps, IgnoreSubmodules: d.opts.ignoreSubmodules, Cached: d.cached})
	if errors.Is(err, gitapi.ErrSubmoduleUnknown) {
		return c.fallback("diff-index", args)
	}
	return c.flushPairs(pairs, d.opts)
}

// diffUsage prints a diff plumbing command's usage to stderr: 129.
func (c *command) diffUsage(line string) int {
	io.WriteString(c.err, line+commonDiffUsage+"\n")
	return exitUsage
}

// diffIndexParses reports whether the face parses args: diff-index takes the diff options diffParses knows, and --cached.
func diffIndexParses(args []string) bool { return diffParses(args, true) }
