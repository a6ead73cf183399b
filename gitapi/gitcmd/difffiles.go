package gitcmd

import (
	"fmt"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/index"
	"github.com/kiln-dev/kiln/gitapi/libc"
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
	ps, badPath, ok := gitapi.ParsePathspec(r.WorkTree(), r.Prefix(), paths)
	if !ok {
		return c.fatal("%s: '%s' is outside repository at '%s'", badPath, badPath, r.WorkTree())
	}
	ix, err := r.OpenIndex()
	if err != nil {
		return c.indexFatal(err)
	}
	if r.SubmoduleSettingsMatter(ix, d.opts.ignoreSubmodules) {
		return c.fallback("diff-files", args)
	}
	pairs, needGit := c.filesPairs(ix, ps, d.opts)
	if needGit {
		return c.fallback("diff-files", args)
	}
	return c.flushPairs(pairs, d.opts)
}

// filesPairs is git's run_diff_files: each index entry against its work
// tree file; an unmerged path shows as "U", then its stage 2 ("ours")
// entry is compared like a merged one.
func (c *command) filesPairs(ix *index.Index, ps gitapi.Pathspec, o diffOptions) ([]filePair, bool) {
	var out []filePair
	for i := 0; i < len(ix.Entries); i++ {
		e := ix.Entries[i]
		if ps.Match(e.Path) < 0 {
			continue
		}
		if e.Stage > 0 {
			var ours *index.Entry
			first := e
			for ; i < len(ix.Entries) && ix.Entries[i].Path == first.Path; i++ {
				if ix.Entries[i].Stage == 2 {
					ours = ix.Entries[i]
				}
			}
			i--
			st, err := ix.CompareWorkTree(first)
			if err != nil {
				fmt.Fprintf(c.err, "%s: %s\n", first.Path, libc.Strerror(err))
				continue
			}
			p := filePair{path: first.Path, unmerged: true}
			if !st.Removed {
				p.newMode = st.Mode
			}
			out = append(out, p)
			if ours == nil {
				continue
			}
			e = ours
		}
		p, show, needGit := c.fileChange(ix, e, o)
		if needGit {
			return nil, true
		}
		if show {
			out = append(out, p)
		}
	}
	return out, false
}

// fileChange compares one merged (or stage 2) entry with its file.
func (c *command) fileChange(ix *index.Index, e *index.Entry, o diffOptions) (filePair, bool, bool) {
	if e.SkipWorktree {
		return filePair{}, false, false
	}
	st, err := ix.CompareWorkTree(e)
	switch {
	case err != nil:
		fmt.Fprintf(c.err, "%s: %s\n", e.Path, libc.Strerror(err))
		return filePair{}, false, false
	case st.Removed:
		if e.Mode == index.ModeGitlink && o.ignoreSubmodules {
			return filePair{}, false, false
		}
		return filePair{path: e.Path, oldMode: e.Mode, oldID: gitapi.Hash(e.ID)}, true, false
	case e.IntentToAdd:
		return filePair{path: e.Path, newMode: st.Mode}, true, false
	case e.Mode == index.ModeGitlink && o.ignoreSubmodules:
		return filePair{}, false, false
	}
	p := filePair{path: e.Path, oldMode: e.Mode, newMode: st.Mode, oldID: gitapi.Hash(e.ID)}
	switch c.repo.SubmoduleCheck(e, st, o.ignoreSubmodules) {
	case gitapi.SubmoduleUnknown:
		return filePair{}, false, true
	case gitapi.SubmoduleDirty:
		// Unchanged but dirty: both sides name the recorded commit.
		p.newID = p.oldID
		return p, true, false
	}
	return p, st.Changed, false
}

// diffFilesParses reports whether the face parses args: diff-files takes the diff options diffParses knows.
func diffFilesParses(args []string) bool { return diffParses(args, false) }
