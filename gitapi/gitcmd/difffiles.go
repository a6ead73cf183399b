package gitcmd

import (
	"errors"

	"github.com/kiln-dev/kiln/gitapi"
)

const diffFilesUsage = "usage: git diff-files [-q] [-0 | -1 | -2 | -3 | -c | --cc] [<common-diff-options>] [<path>...]\n"

// diffFiles implements `git diff-files [<path>...]`: the index against
// the work tree, by stat data, with raw, --name-only and --name-status
// output.
func (c *command) diffFiles(args []string) int {
	if len(args) == 1 && args[0] == "-h" {
		return c.diffUsage(diffFilesUsage)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	if r.WorkTree() == "" {
		return c.fatal("this operation must be run in a work tree")
	}
	d, unknown := parseDiffArgs(args, false)
	if unknown != "" {
		return c.diffUsage(diffFilesUsage)
	}
	revs, paths, status := c.diffRevArgs(r, d.words, d.dashdash, d.after)
	if status != 0 {
		return status
	}
	if len(revs) != 0 {
		return c.diffUsage(diffFilesUsage)
	}
	ps, err := gitapi.ParsePathspec(r.WorkTree(), r.Prefix(), paths)
	if err != nil {
		return c.fatal("%v", err)
	}
	ix, err := r.OpenIndex()
	if err != nil {
		return c.indexFatal(err)
	}
	if r.SubmoduleSettingsMatter(ix, d.opts.ignoreSubmodules) {
		return c.fallback("diff-files", args)
	}
	pairs, err := r.DiffFiles(ix, gitapi.DiffOptions{Pathspec: ps, IgnoreSubmodules: d.opts.ignoreSubmodules, Warn: c.warnFile})
	if errors.Is(err, gitapi.ErrSubmoduleUnknown) {
		return c.fallback("diff-files", args)
	}
	return c.flushPairs(pairs, d.opts)
}

// diffFilesParses reports whether the face parses args: diff-files takes the diff options diffParses knows.
func diffFilesParses(args []string) bool { return diffParses(args, false) }
