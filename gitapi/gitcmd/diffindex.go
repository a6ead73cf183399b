package gitcmd

import (
	"io"
	"sort"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/index"
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
	ps, badPath, ok := gitapi.ParsePathspec(r.WorkTree(), r.Prefix(), paths)
	if !ok {
		return c.fatal("%s: '%s' is outside repository at '%s'", badPath, badPath, r.WorkTree())
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
	run := &diffIndexRun{r: r, ix: ix, tree: tree, ps: ps, opts: d.opts, cached: d.cached}
	if r.SubmoduleSettingsMatter(ix, d.opts.ignoreSubmodules) {
		return c.fallback("diff-index", args)
	}
	pairs, needGit := run.pairs()
	if needGit {
		return c.fallback("diff-index", args)
	}
	return c.flushPairs(pairs, d.opts)
}

// diffUsage prints a diff plumbing command's usage to stderr: 129.
func (c *command) diffUsage(line string) int {
	io.WriteString(c.err, line+commonDiffUsage+"\n")
	return exitUsage
}

// diffIndexRun compares a tree with the index (and, without --cached,
// with the work tree through the index's stat data).
type diffIndexRun struct {
	r      *gitapi.Repo
	ix     *index.Index
	tree   map[string]gitapi.TreeFile
	ps     gitapi.Pathspec
	opts   diffOptions
	cached bool
}

// pairs is git's oneway diff, path by path in name order; needGit is set
// when a populated submodule would have to be asked about its state.
func (d *diffIndexRun) pairs() ([]filePair, bool) {
	entries := map[string]*index.Entry{}
	unmerged := map[string]bool{}
	var names []string
	for _, e := range d.ix.Entries {
		if _, seen := entries[e.Path]; seen {
			continue
		}
		entries[e.Path] = e
		unmerged[e.Path] = e.Stage > 0
		names = append(names, e.Path)
	}
	for name := range d.tree {
		if _, ok := entries[name]; !ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []filePair
	for _, name := range names {
		if d.ps.Match(name) < 0 {
			continue
		}
		p, show, needGit := d.onePath(name, entries[name], unmerged[name])
		if needGit {
			return nil, true
		}
		if show && !d.ignored(p) {
			out = append(out, p)
		}
	}
	return out, false
}

// ignored reports whether --ignore-submodules drops the pair: a change
// between gitlinks, or a gitlink added or removed.
func (d *diffIndexRun) ignored(p filePair) bool {
	if !d.opts.ignoreSubmodules || p.unmerged {
		return false
	}
	oldLink, newLink := p.oldMode == index.ModeGitlink, p.newMode == index.ModeGitlink
	return (oldLink && newLink) || (oldLink && p.newMode == 0) || (newLink && p.oldMode == 0)
}

// onePath is do_oneway_diff for one path.
func (d *diffIndexRun) onePath(name string, idx *index.Entry, unmerged bool) (filePair, bool, bool) {
	tree, inTree := d.tree[name]
	if d.cached && idx != nil && unmerged {
		p := filePair{path: name, unmerged: true}
		if inTree {
			p.oldMode, p.oldID = tree.Mode, tree.ID
		}
		return p, true, false
	}
	if idx == nil {
		return filePair{path: name, oldMode: tree.Mode, oldID: tree.ID}, true, false
	}
	w := d.statData(idx)
	switch {
	case w.needGit:
		return filePair{}, false, true
	case !inTree && !w.present:
		return filePair{}, false, false
	case !inTree:
		return filePair{path: name, newMode: w.mode, newID: w.id}, true, false
	case !w.present:
		return filePair{path: name, oldMode: tree.Mode, oldID: tree.ID}, true, false
	case w.mode == tree.Mode && w.id == tree.ID && !w.dirty:
		return filePair{}, false, false
	}
	return filePair{path: name, oldMode: tree.Mode, oldID: tree.ID, newMode: w.mode, newID: w.id}, true, false
}

// workSide is the new side of a diff-index pair.
type workSide struct {
	mode    uint32
	id      gitapi.Hash // zero for a work tree file whose stat data changed
	present bool        // false for a removed file
	dirty   bool        // a submodule with changes of its own: shown even when ids agree
	needGit bool        // only git can tell (see dirtyCheck)
}

// statData is git's get_stat_data: the index entry's mode and id, or,
// without --cached, the work tree file's mode and a zero id when its
// stat data changed.
func (d *diffIndexRun) statData(e *index.Entry) workSide {
	indexSide := workSide{mode: e.Mode, id: gitapi.Hash(e.ID), present: true}
	// A skip-worktree entry stands for its file, which is not looked at.
	if d.cached || e.SkipWorktree {
		return indexSide
	}
	st, err := d.ix.CompareWorkTree(e)
	if err != nil || st.Removed {
		return workSide{}
	}
	switch d.r.SubmoduleCheck(e, st, d.opts.ignoreSubmodules) {
	case gitapi.SubmoduleUnknown:
		return workSide{needGit: true}
	case gitapi.SubmoduleDirty:
		indexSide.dirty = true
	}
	switch {
	case e.Mode == index.ModeGitlink && d.opts.ignoreSubmodules:
		return indexSide
	case st.Changed:
		return workSide{mode: st.Mode, present: true}
	}
	return indexSide
}

// diffIndexParses reports whether the face parses args: diff-index takes the diff options diffParses knows, and --cached.
func diffIndexParses(args []string) bool { return diffParses(args, true) }
