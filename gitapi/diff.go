package gitapi

import (
	"errors"
	"sort"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// DiffPair is one changed path, as git's raw diff output shows it: the
// old side (tree or index) and the new one (index or work tree). A zero
// mode is a missing side; a zero id on a present side is "not hashed"
// (a work tree file whose stat data changed).
type DiffPair struct {
	Path             string
	OldMode, NewMode uint32
	OldID, NewID     Hash
	Unmerged         bool
}

// Status is the pair's letter in raw output.
func (p DiffPair) Status() byte {
	switch {
	case p.Unmerged:
		return 'U'
	case p.OldMode == 0:
		return 'A'
	case p.NewMode == 0:
		return 'D'
	case p.OldMode&0o170000 != p.NewMode&0o170000:
		return 'T'
	}
	return 'M'
}

// diffIndexRun compares a tree with the index (and, without --cached,
// with the work tree through the index's stat data).
type diffIndexRun struct {
	r                *Repo
	ix               *index.Index
	tree             map[string]TreeFile
	ps               Pathspec
	ignoreSubmodules bool
	cached           bool
}

// pairs is git's oneway diff, path by path in name order; needGit is set
// when a populated submodule would have to be asked about its state.
func (d *diffIndexRun) pairs() ([]DiffPair, bool) {
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
	var out []DiffPair
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
func (d *diffIndexRun) ignored(p DiffPair) bool {
	if !d.ignoreSubmodules || p.Unmerged {
		return false
	}
	oldLink, newLink := p.OldMode == index.ModeGitlink, p.NewMode == index.ModeGitlink
	return (oldLink && newLink) || (oldLink && p.NewMode == 0) || (newLink && p.OldMode == 0)
}

// onePath is do_oneway_diff for one path.
func (d *diffIndexRun) onePath(name string, idx *index.Entry, unmerged bool) (DiffPair, bool, bool) {
	tree, inTree := d.tree[name]
	if d.cached && idx != nil && unmerged {
		p := DiffPair{Path: name, Unmerged: true}
		if inTree {
			p.OldMode, p.OldID = tree.Mode, tree.ID
		}
		return p, true, false
	}
	if idx == nil {
		return DiffPair{Path: name, OldMode: tree.Mode, OldID: tree.ID}, true, false
	}
	w := d.statData(idx)
	switch {
	case w.needGit:
		return DiffPair{}, false, true
	case !inTree && !w.present:
		return DiffPair{}, false, false
	case !inTree:
		return DiffPair{Path: name, NewMode: w.mode, NewID: w.id}, true, false
	case !w.present:
		return DiffPair{Path: name, OldMode: tree.Mode, OldID: tree.ID}, true, false
	case w.mode == tree.Mode && w.id == tree.ID && !w.dirty:
		return DiffPair{}, false, false
	}
	return DiffPair{Path: name, OldMode: tree.Mode, OldID: tree.ID, NewMode: w.mode, NewID: w.id}, true, false
}

// workSide is the new side of a diff-index pair.
type workSide struct {
	mode    uint32
	id      Hash // zero for a work tree file whose stat data changed
	present bool // false for a removed file
	dirty   bool // a submodule with changes of its own: shown even when ids agree
	needGit bool // only git can tell (see dirtyCheck)
}

// statData is git's get_stat_data: the index entry's mode and id, or,
// without --cached, the work tree file's mode and a zero id when its
// stat data changed.
func (d *diffIndexRun) statData(e *index.Entry) workSide {
	indexSide := workSide{mode: e.Mode, id: Hash(e.ID), present: true}
	// A skip-worktree entry stands for its file, which is not looked at.
	if d.cached || e.SkipWorktree {
		return indexSide
	}
	st, err := d.ix.CompareWorkTree(e)
	if err != nil || st.Removed {
		return workSide{}
	}
	switch d.r.SubmoduleCheck(e, st, d.ignoreSubmodules) {
	case SubmoduleUnknown:
		return workSide{needGit: true}
	case SubmoduleDirty:
		indexSide.dirty = true
	}
	switch {
	case e.Mode == index.ModeGitlink && d.ignoreSubmodules:
		return indexSide
	case st.Changed:
		return workSide{mode: st.Mode, present: true}
	}
	return indexSide
}

// filesPairs is git's run_diff_files: each index entry against its work
// tree file; an unmerged path shows as "U", then its stage 2 ("ours")
// entry is compared like a merged one.
func (r *Repo) filesPairs(ix *index.Index, o DiffOptions) ([]DiffPair, bool) {
	var out []DiffPair
	for i := 0; i < len(ix.Entries); i++ {
		e := ix.Entries[i]
		if o.Pathspec.Match(e.Path) < 0 {
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
				o.warn(first.Path, err)
				continue
			}
			p := DiffPair{Path: first.Path, Unmerged: true}
			if !st.Removed {
				p.NewMode = st.Mode
			}
			out = append(out, p)
			if ours == nil {
				continue
			}
			e = ours
		}
		p, show, needGit := r.fileChange(ix, e, o)
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
func (r *Repo) fileChange(ix *index.Index, e *index.Entry, o DiffOptions) (DiffPair, bool, bool) {
	if e.SkipWorktree {
		return DiffPair{}, false, false
	}
	st, err := ix.CompareWorkTree(e)
	switch {
	case err != nil:
		o.warn(e.Path, err)
		return DiffPair{}, false, false
	case st.Removed:
		if e.Mode == index.ModeGitlink && o.IgnoreSubmodules {
			return DiffPair{}, false, false
		}
		return DiffPair{Path: e.Path, OldMode: e.Mode, OldID: Hash(e.ID)}, true, false
	case e.IntentToAdd:
		return DiffPair{Path: e.Path, NewMode: st.Mode}, true, false
	case e.Mode == index.ModeGitlink && o.IgnoreSubmodules:
		return DiffPair{}, false, false
	}
	p := DiffPair{Path: e.Path, OldMode: e.Mode, NewMode: st.Mode, OldID: Hash(e.ID)}
	switch r.SubmoduleCheck(e, st, o.IgnoreSubmodules) {
	case SubmoduleUnknown:
		return DiffPair{}, false, true
	case SubmoduleDirty:
		// Unchanged but dirty: both sides name the recorded commit.
		p.NewID = p.OldID
		return p, true, false
	}
	return p, st.Changed, false
}

// ErrSubmoduleUnknown is a diff that needs the state of a populated
// submodule only git can tell (git asks the submodule); the caller
// hands the diff to git.
var ErrSubmoduleUnknown = errors.New("submodule state known only to git")

// DiffOptions are what DiffIndex and DiffFiles compare.
type DiffOptions struct {
	// Pathspec limits the paths; an empty one takes them all.
	Pathspec Pathspec
	// IgnoreSubmodules leaves gitlinks out (--ignore-submodules).
	IgnoreSubmodules bool
	// Cached compares the tree with the index alone, not the work tree
	// (diff-index --cached).
	Cached bool
	// Warn, if set, receives a work tree file that cannot be read, and
	// why; diff-files goes on without it.
	Warn func(path string, err error)
}

// warn reports an unreadable file to Warn.
func (o DiffOptions) warn(path string, err error) {
	if o.Warn != nil {
		o.Warn(path, err)
	}
}

// DiffIndex is `git diff-index`'s comparison of a tree (see TreeFiles)
// with the index, and with the work tree through the index's stat data
// unless Cached: the changed paths in name order. Submodule settings that
// change how git diffs (SubmoduleSettingsMatter) are the caller's to
// check; a submodule only git can judge is ErrSubmoduleUnknown.
func (r *Repo) DiffIndex(tree map[string]TreeFile, ix *index.Index, o DiffOptions) ([]DiffPair, error) {
	d := &diffIndexRun{r: r, ix: ix, tree: tree, ps: o.Pathspec, ignoreSubmodules: o.IgnoreSubmodules, cached: o.Cached}
	pairs, needGit := d.pairs()
	if needGit {
		return nil, ErrSubmoduleUnknown
	}
	return pairs, nil
}

// DiffFiles is `git diff-files`'s comparison of the index with the work
// tree, by stat data: an unmerged path shows as "U", then its stage 2
// entry is compared like a merged one. A submodule only git can judge
// is ErrSubmoduleUnknown.
func (r *Repo) DiffFiles(ix *index.Index, o DiffOptions) ([]DiffPair, error) {
	pairs, needGit := r.filesPairs(ix, o)
	if needGit {
		return nil, ErrSubmoduleUnknown
	}
	return pairs, nil
}
