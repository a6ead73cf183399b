package gitapi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/kiln-dev/kiln/gitapi/apply"
	"github.com/kiln-dev/kiln/gitapi/index"
)

// MergeUnservedError is a 2- or 3-way read-tree merge ReadTreeMerge2 or
// ReadTreeMerge3 leaves to git: a state whose outcome (an error git
// reports its own way, or a case of unpack-trees not re-implemented:
// directory/file conflicts, submodules, sparse checkout, flagged
// entries) is git's to decide. Nothing has been changed when it is
// returned.
type MergeUnservedError struct {
	Path   string
	Reason string
}

func (e *MergeUnservedError) Error() string {
	return fmt.Sprintf("read-tree: '%s': %s", e.Path, e.Reason)
}

// ReadTreeMerge2 is `git read-tree -m [-u | -i] <old> <new>`,
// unpack-trees' twoway_merge, on ix (held locked by the caller, who
// commits it): the index moves from tree old to tree new, keeping what
// it changed itself where new agrees with old. Entries kept or merged
// to an unchanged entry keep their stat data; the cache tree is
// rebuilt from the objects that exist (git frees it and repairs it),
// the resolve-undo data dropped. With Update the work tree follows.
// o.Aggressive is ignored, as git ignores it here.
//
// A merge git refuses (an entry that would be overwritten, a changed
// file in the way, an untracked file) and the cases git decides its own
// way are a *MergeUnservedError or *WorkTreeConflictError before
// anything changes; an unmerged index is ErrUnmergedIndex.
func (r *Repo) ReadTreeMerge2(ix *index.Index, old, new Hash, o ReadTreeOptions) error {
	if len(ix.Entries) == 0 {
		// An index never written is git's initial checkout, which
		// twoway_merge treats apart.
		return &MergeUnservedError{Reason: "empty index"}
	}
	return r.mergeTrees(ix, []Hash{old, new}, o, twowayMerge)
}

// ReadTreeMerge3 is `git read-tree -m [--aggressive] [-u | -i] <base>
// <ours> <theirs>`, unpack-trees' threeway_merge with one merge base, on
// ix (held locked by the caller, who commits it): a path changed on
// one side only takes that side, a path changed alike on both is
// merged, and any other stays unmerged as stages 1 (base), 2 (ours) and
// 3 (theirs), its file untouched. With Aggressive the merge also
// resolves a path removed on both sides, or removed on one and
// unchanged on the other (as git-merge-resolve and git-merge-octopus
// ask). The index must match ours wherever the merge is not trivially
// theirs (#14 of git-read-tree's 3-way table). Cache tree, resolve-undo
// data, Update and the errors are as for ReadTreeMerge2.
func (r *Repo) ReadTreeMerge3(ix *index.Index, base, ours, theirs Hash, o ReadTreeOptions) error {
	return r.mergeTrees(ix, []Hash{base, ours, theirs}, o, threewayMerge)
}

// mergeFunc decides one path of a merge: src[0] is the index entry,
// src[1:] the trees' entries (nil where absent).
type mergeFunc func(m *treeMerge, src []*index.Entry) error

// treeMerge collects the outcome of a 2- or 3-way merge before anything
// changes: the new entries, the files to write and remove, and the work
// tree checks unpack-trees makes on the way.
type treeMerge struct {
	o        ReadTreeOptions
	result   []*index.Entry
	write    []*index.Entry // CE_UPDATE: checked out with Update
	remove   []*index.Entry // CE_REMOVE: unlinked with Update
	uptodate []*index.Entry // verify_uptodate
	absent   []string       // verify_absent
}

// mergeTrees runs fn over every path of the index and the trees, as
// unpack_trees does for read-tree -m with several trees, then checks
// the work tree and, all checks passed, applies the result.
func (r *Repo) mergeTrees(ix *index.Index, trees []Hash, o ReadTreeOptions, fn mergeFunc) error {
	for _, e := range ix.Entries {
		if e.Stage != 0 {
			return ErrUnmergedIndex
		}
	}
	if err := r.mergeServed(ix); err != nil {
		return err
	}
	sources := make([]map[string]*index.Entry, len(trees)+1)
	sources[0] = map[string]*index.Entry{}
	for _, e := range ix.Entries {
		sources[0][e.Path] = e
	}
	paths := map[string]bool{}
	for _, e := range ix.Entries {
		paths[e.Path] = true
	}
	for i, t := range trees {
		id, _, err := r.Peel(t, TypeTree)
		if err != nil {
			return err
		}
		var entries []*index.Entry
		if _, err := r.primeCacheTree(id, "", "", &entries); err != nil {
			return err
		}
		stage := 2
		switch {
		case len(trees) == 2:
			stage = 0
		case i == 0:
			stage = 1
		case i == len(trees)-1:
			stage = 3
		}
		if err := verifyTreePaths(entries); err != nil {
			return err
		}
		sources[i+1] = make(map[string]*index.Entry, len(entries))
		for _, e := range entries {
			if e.Mode == index.ModeGitlink {
				return &MergeUnservedError{Path: e.Path, Reason: "submodule"}
			}
			e.Stage = stage
			sources[i+1][e.Path] = e
			paths[e.Path] = true
		}
	}
	// A path that is a file on one side and a directory on another is
	// a directory/file conflict: unpack-trees' own handling, git's.
	dirs := map[string]bool{}
	for p := range paths {
		for d := filepath.Dir(p); d != "."; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	sorted := make([]string, 0, len(paths))
	attrs := false
	for p := range paths {
		if dirs[p] {
			return &MergeUnservedError{Path: p, Reason: "directory/file conflict"}
		}
		attrs = attrs || p == ".gitattributes" || strings.HasSuffix(p, "/.gitattributes")
		sorted = append(sorted, p)
	}
	if !o.IndexOnly && ix.Options.WorkTree != "" {
		// Files are compared and written as they are: where git could
		// convert them (attributes, core.autocrlf) the merge is git's.
		convert := attrs
		if !convert {
			list := []string{""}
			for d := range dirs {
				list = append(list, d)
			}
			var err error
			convert, err = r.mayConvert(list, ix, func(string) bool { return false })
			if err != nil {
				return err
			}
		}
		if convert {
			return &MergeUnservedError{Path: ".gitattributes", Reason: "content conversion"}
		}
	}
	sort.Strings(sorted)
	m := &treeMerge{o: o}
	src := make([]*index.Entry, len(sources))
	for _, p := range sorted {
		for i, s := range sources {
			src[i] = s[p]
		}
		if err := fn(m, src); err != nil {
			return err
		}
	}
	if !o.IndexOnly && ix.Options.WorkTree != "" {
		for _, e := range m.uptodate {
			if err := verifyUpToDate(ix, e); err != nil {
				return err
			}
		}
		if o.Update {
			for _, p := range m.absent {
				if err := verifyAbsent(ix.Options.WorkTree, p); err != nil {
					return err
				}
			}
		}
	}
	if o.Update && !o.IndexOnly {
		work := apply.Dir{Root: ix.Options.WorkTree}
		for _, e := range m.remove {
			if err := work.Remove(e.Path); err != nil {
				return err
			}
		}
		for _, e := range m.write {
			if err := r.checkoutEntry(ix, e); err != nil {
				return err
			}
		}
	}
	ix.ReplaceEntries(m.result, nil)
	for _, e := range m.result {
		if e.Stage != 0 {
			// git's cache_tree_update gives up on an unmerged index
			// before it makes a tree.
			return nil
		}
	}
	ix.RepairCacheTree(IndexObjects{r})
	return nil
}

// mergeServed refuses, before the merge, what the merges leave to git:
// entries marked assume-unchanged, skip-worktree or intent-to-add,
// submodules, sparse checkout, case-insensitive work trees, a file
// system monitor (whose answers git trusts over lstat), and path checks
// other than git's default ones.
func (r *Repo) mergeServed(ix *index.Index) error {
	for _, e := range ix.Entries {
		switch {
		case e.AssumeValid, e.SkipWorktree, e.IntentToAdd:
			return &MergeUnservedError{Path: e.Path, Reason: "flagged entry"}
		case e.Mode == index.ModeGitlink:
			return &MergeUnservedError{Path: e.Path, Reason: "submodule"}
		}
	}
	cfg, err := r.Config()
	if err != nil {
		return err
	}
	for _, key := range []string{"core.sparsecheckout", "core.ignorecase", "core.fsmonitor"} {
		if on, err := cfg.Bool(key, false); err != nil || on {
			return &MergeUnservedError{Reason: key}
		}
	}
	// Paths are checked as git checks them by default (index.VerifyPath).
	for _, key := range []string{"core.protectntfs", "core.protecthfs"} {
		if _, set := cfg.Get(key); set {
			return &MergeUnservedError{Reason: key}
		}
	}
	return nil
}

// same is unpack-trees' same(): both absent, or both present with the
// same mode and object.
func same(a, b *index.Entry) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Mode == b.Mode && a.ID == b.ID
}

// merged is merged_entry: ce (from a tree) becomes the stage 0 entry;
// an index entry old that is the same is kept as it is (stat data and
// all), a different one must be up to date, and a new path must be
// free in the work tree.
func (m *treeMerge) merged(ce, old *index.Entry) {
	switch {
	case old == nil:
		m.absent = append(m.absent, ce.Path)
	case same(old, ce):
		m.result = append(m.result, old)
		return
	default:
		m.uptodate = append(m.uptodate, old)
	}
	e := &index.Entry{Path: ce.Path, Mode: ce.Mode, ID: ce.ID}
	m.result = append(m.result, e)
	m.write = append(m.write, e)
}

// deleted is deleted_entry: the path goes; a file not in the index
// must not be there to lose, and one in the index must be up to date.
func (m *treeMerge) deleted(ce, old *index.Entry) {
	if old == nil {
		m.absent = append(m.absent, ce.Path)
		return
	}
	m.uptodate = append(m.uptodate, old)
	m.remove = append(m.remove, old)
}

// keep is keep_entry: ce stays as it is (an index entry) or as a
// conflict stage (a tree's).
func (m *treeMerge) keep(ce *index.Entry) {
	m.result = append(m.result, ce)
}

// reject is reject_merge: git fails the merge ("Entry '%s' would be
// overwritten by merge. Cannot merge.") in its own words.
func reject(ce *index.Entry) error {
	return &MergeUnservedError{Path: ce.Path, Reason: "would be overwritten by merge"}
}

// twowayMerge is unpack-trees' twoway_merge (git-read-tree's "Two Tree
// Merge" table) for an index without conflicts and not unborn.
func twowayMerge(m *treeMerge, src []*index.Entry) error {
	current, oldtree, newtree := src[0], src[1], src[2]
	switch {
	case current != nil:
		switch {
		case oldtree == nil && newtree == nil, // 4, 5
			oldtree == nil && same(current, newtree),                   // 6, 7
			oldtree != nil && newtree != nil && same(oldtree, newtree), // 14, 15
			oldtree != nil && newtree != nil && same(current, newtree): // 18, 19
			m.keep(current)
		case oldtree != nil && newtree == nil && same(current, oldtree): // 10, 11
			m.deleted(oldtree, current)
		case oldtree != nil && newtree != nil && same(current, oldtree): // 20, 21
			m.merged(newtree, current)
		default:
			return reject(current)
		}
	case newtree != nil:
		if oldtree != nil {
			// The removal was staged: it stays, unless new changed
			// the path.
			if same(oldtree, newtree) {
				return nil
			}
			return reject(oldtree)
		}
		m.merged(newtree, nil)
	default:
		m.deleted(oldtree, nil)
	}
	return nil
}

// threewayMerge is unpack-trees' threeway_merge with one merge base
// (git-read-tree's "3-Way Merge" table, with --aggressive's extra
// resolutions).
func threewayMerge(m *treeMerge, src []*index.Entry) error {
	index, base, head, remote := src[0], src[1], src[2], src[3]
	// #16: where ours and theirs differ, which of them the base is.
	headMatch, remoteMatch := false, false
	if !same(remote, head) {
		headMatch = same(base, head)
		remoteMatch = same(base, remote)
	}
	// #14, #14ALT, #2ALT: theirs changed it alone; the index may
	// already match theirs.
	if remote != nil && headMatch && !remoteMatch {
		if index != nil && !same(index, remote) && !same(index, head) {
			return reject(index)
		}
		m.merged(remote, index)
		return nil
	}
	if index != nil && !same(index, head) {
		return reject(index)
	}
	if head != nil {
		if same(head, remote) { // #5ALT, #15
			m.merged(head, index)
			return nil
		}
		if remoteMatch && !headMatch { // #13, #3ALT
			m.merged(head, index)
			return nil
		}
	}
	if head == nil && remote == nil && base == nil { // #1
		return nil
	}
	if m.o.Aggressive {
		headDeleted, remoteDeleted := head == nil, remote == nil
		if (headDeleted && remoteDeleted) || (headDeleted && remote != nil && remoteMatch) ||
			(remoteDeleted && head != nil && headMatch) {
			if index != nil {
				m.deleted(index, index)
				return nil
			}
			if !headDeleted {
				m.absent = append(m.absent, head.Path)
			}
			return nil
		}
		// "Added in both, identically" is #5ALT above.
	}
	// The rest stay unmerged: the index entry must be up to date, as
	// the conflict's files are git-merge-one-file's to write.
	if index != nil {
		m.uptodate = append(m.uptodate, index)
	}
	if base != nil && (!headMatch || !remoteMatch) {
		m.keep(base)
	}
	if head != nil {
		m.keep(head)
	}
	if remote != nil {
		m.keep(remote)
	}
	return nil
}

// verifyUpToDate is verify_uptodate for an entry the merge changes or
// leaves unmerged: its file must be missing or match the entry's stat
// data. Anything git looks at further (a directory, a path beyond a
// symbolic link or a file, a changed file) is a *WorkTreeConflictError.
func verifyUpToDate(ix *index.Index, e *index.Entry) error {
	full := filepath.Join(ix.Options.WorkTree, filepath.FromSlash(e.Path))
	info, err := os.Lstat(full)
	switch {
	case errors.Is(err, syscall.ENOENT):
		return nil
	case err != nil:
		return &WorkTreeConflictError{Path: e.Path, Reason: err.Error()}
	case info.IsDir():
		return &WorkTreeConflictError{Path: e.Path, Reason: "directory in the way"}
	}
	if err := leadingDirs(ix.Options.WorkTree, e.Path); err != nil {
		return err
	}
	st, err := ix.CompareWorkTree(e)
	if err != nil {
		return err
	}
	if st.Removed || st.Changed {
		return &WorkTreeConflictError{Path: e.Path, Reason: "not uptodate"}
	}
	return nil
}

// verifyAbsent is verify_absent for a path not in the index that the
// merge creates or passes over: nothing may be there. An untracked
// file or directory, or anything but a directory on the way to it, is
// a *WorkTreeConflictError (git's to report or resolve).
func verifyAbsent(root, path string) error {
	full := filepath.Join(root, filepath.FromSlash(path))
	if _, err := os.Lstat(full); err == nil {
		return &WorkTreeConflictError{Path: path, Reason: "untracked"}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return &WorkTreeConflictError{Path: path, Reason: err.Error()}
	}
	return leadingDirs(root, path)
}

// leadingDirs checks that each leading directory of path is a real
// directory or missing.
func leadingDirs(root, path string) error {
	for dir := filepath.Dir(path); dir != "."; dir = filepath.Dir(dir) {
		info, err := os.Lstat(filepath.Join(root, dir))
		if err == nil && !info.IsDir() {
			return &WorkTreeConflictError{Path: dir, Reason: "file in the way"}
		}
	}
	return nil
}
