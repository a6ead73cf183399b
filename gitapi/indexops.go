package gitapi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/kiln-dev/kiln/gitapi/apply"
	"github.com/kiln-dev/kiln/gitapi/index"
)

// ReadTreeOptions are the forms of `git read-tree -m` that
// ReadTreeMerge (one tree), ReadTreeMerge2 and ReadTreeMerge3 implement.
type ReadTreeOptions struct {
	// Update is -u: the work tree follows the index (files of changed
	// entries written, files of entries gone removed).
	Update bool
	// IndexOnly is -i: the work tree is neither looked at nor touched.
	IndexOnly bool
	// Aggressive is --aggressive: the 3-way merge also resolves paths
	// removed on both sides or on one side and unchanged on the other.
	// The one- and two-tree merges ignore it, as git does.
	Aggressive bool
}

// ErrUnmergedIndex is read-tree's refusal of an index with conflicts:
// git dies with "You need to resolve your current index first".
//
//lint:ignore ST1005 git's message, byte for byte
var ErrUnmergedIndex = errors.New("You need to resolve your current index first")

// WorkTreeConflictError is a work tree state ReadTreeMerge will not
// resolve on its own: a changed file it would overwrite or remove, an
// untracked file or a directory in the way of a new entry. Nothing has
// been changed when it is returned; git's answer (its messages and
// partial work) is for the caller to get, from git.
type WorkTreeConflictError struct {
	Path   string
	Reason string // "not uptodate", "untracked", "directory in the way", "file in the way"
}

func (e *WorkTreeConflictError) Error() string {
	return fmt.Sprintf("read-tree: '%s': %s", e.Path, e.Reason)
}

// ReadTreeMerge is git read-tree's single-tree merge (`read-tree -m
// <tree>`, unpack-trees' oneway_merge) on ix, which the caller holds
// locked and commits: the entries become tree's; an entry whose mode and
// id are unchanged is kept as it was (its stat data too); the cache tree
// is primed from tree (git's prime_cache_tree), the resolve-undo data
// dropped. With Update the work tree follows; without IndexOnly a
// changed entry's file must match the index (else a
// *WorkTreeConflictError, before anything changes). A tree path git
// refuses is a *MergeUnservedError.
func (r *Repo) ReadTreeMerge(ix *index.Index, tree Hash, o ReadTreeOptions) error {
	for _, e := range ix.Entries {
		if e.Stage != 0 {
			return ErrUnmergedIndex
		}
	}
	treeID, _, err := r.Peel(tree, TypeTree)
	if err != nil {
		return err
	}
	var entries []*index.Entry
	cache, err := r.primeCacheTree(treeID, "", "", &entries)
	if err != nil {
		return err
	}
	if err := verifyTreePaths(entries); err != nil {
		return err
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	old := map[string]*index.Entry{}
	for _, e := range ix.Entries {
		old[e.Path] = e
	}
	var write []*index.Entry
	for i, e := range entries {
		prev := old[e.Path]
		if prev != nil && prev.Mode == e.Mode && prev.ID == e.ID && !prev.IntentToAdd {
			entries[i] = prev
			continue
		}
		if o.IndexOnly {
			continue
		}
		if prev != nil {
			if err := checkUpToDate(ix, prev); err != nil {
				return err
			}
		} else if o.Update {
			if err := checkAbsent(ix, e.Path, old, newPaths(entries)); err != nil {
				return err
			}
		}
		write = append(write, e)
	}
	var remove []*index.Entry
	if !o.IndexOnly {
		now := map[string]bool{}
		for _, e := range entries {
			now[e.Path] = true
		}
		for _, e := range ix.Entries {
			if now[e.Path] {
				continue
			}
			if err := checkUpToDate(ix, e); err != nil {
				return err
			}
			remove = append(remove, e)
		}
	}
	if o.Update && !o.IndexOnly {
		for _, e := range append(append([]*index.Entry{}, write...), remove...) {
			if e.Mode == index.ModeGitlink {
				// A submodule's checkout is git's to do.
				return &WorkTreeConflictError{Path: e.Path, Reason: "submodule"}
			}
		}
		work := apply.Dir{Root: ix.Options.WorkTree}
		for _, e := range remove {
			if err := work.Remove(e.Path); err != nil {
				return err
			}
		}
		for _, e := range write {
			if err := r.checkoutEntry(ix, e); err != nil {
				return err
			}
		}
	}
	ix.ReplaceEntries(entries, cache)
	return nil
}

// verifyTreePaths is the verify_path check unpack-trees makes of each
// entry it reads from a tree (with git's default core.protectNTFS): git
// dies "invalid path" on a path it refuses, its own way, so such a path
// is a *MergeUnservedError before anything changes.
func verifyTreePaths(entries []*index.Entry) error {
	for _, e := range entries {
		if !index.VerifyPath(e.Path, e.Mode) {
			return &MergeUnservedError{Path: e.Path, Reason: "invalid path"}
		}
	}
	return nil
}

// checkUpToDate is unpack-trees' verify_uptodate: the work tree file of
// an entry about to change must match it (a missing file is fine).
func checkUpToDate(ix *index.Index, e *index.Entry) error {
	if ix.Options.WorkTree == "" {
		return nil
	}
	st, err := ix.CompareWorkTree(e)
	if err != nil {
		return err
	}
	if st.Removed || !st.Changed {
		return nil
	}
	if e.Mode == index.ModeGitlink {
		return &WorkTreeConflictError{Path: e.Path, Reason: "submodule"}
	}
	return &WorkTreeConflictError{Path: e.Path, Reason: "not uptodate"}
}

// newPaths is the set of paths of entries.
func newPaths(entries []*index.Entry) map[string]bool {
	m := make(map[string]bool, len(entries))
	for _, e := range entries {
		m[e.Path] = true
	}
	return m
}

// checkAbsent is verify_absent for a new entry's path: nothing may be in
// the way but tracked files the merge removes (checked up to date where
// they are removed): not an untracked file, nor a directory holding
// anything else. git examines the other cases further; they are left
// to it.
func checkAbsent(ix *index.Index, path string, old map[string]*index.Entry, now map[string]bool) error {
	root := ix.Options.WorkTree
	goes := func(p string) bool { return old[p] != nil && !now[p] }
	full := filepath.Join(root, filepath.FromSlash(path))
	if info, err := os.Lstat(full); err == nil {
		if !info.IsDir() {
			return &WorkTreeConflictError{Path: path, Reason: "untracked"}
		}
		// A directory of tracked files that all go is fine.
		err := filepath.WalkDir(full, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			if !goes(filepath.ToSlash(rel)) {
				return &WorkTreeConflictError{Path: path, Reason: "directory in the way"}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for dir := filepath.Dir(path); dir != "."; dir = filepath.Dir(dir) {
		info, err := os.Lstat(filepath.Join(root, dir))
		if err == nil && !info.IsDir() && !goes(filepath.ToSlash(dir)) {
			return &WorkTreeConflictError{Path: dir, Reason: "file in the way"}
		}
	}
	return nil
}

// primeCacheTree lists tree's files as index entries (zero stat data)
// under prefix, and returns the fully valid cache tree of it, as git's
// prime_cache_tree builds it.
func (r *Repo) primeCacheTree(tree Hash, name, prefix string, entries *[]*index.Entry) (*index.CacheTree, error) {
	list, err := r.ReadTree(tree)
	if err != nil {
		return nil, err
	}
	node := &index.CacheTree{Name: name, ID: index.ID(tree)}
	count := 0
	for _, te := range list {
		mode, err := strconv.ParseUint(te.Mode, 8, 32)
		if err != nil {
			return nil, fmt.Errorf("bad mode in tree %s", tree)
		}
		if uint32(mode) == index.ModeTree {
			sub, err := r.primeCacheTree(te.ID, te.Name, prefix+te.Name+"/", entries)
			if err != nil {
				return nil, err
			}
			node.Subtrees = append(node.Subtrees, sub)
			count += sub.EntryCount
			continue
		}
		*entries = append(*entries, &index.Entry{Path: prefix + te.Name, Mode: index.NormalizeMode(uint32(mode)), ID: index.ID(te.ID)})
		count++
	}
	node.EntryCount = count
	sort.SliceStable(node.Subtrees, func(i, j int) bool {
		a, b := node.Subtrees[i].Name, node.Subtrees[j].Name
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	return node, nil
}

// checkoutEntry writes e's blob (or a symbolic link, or a submodule's
// empty directory) to the work tree and records the file's stat data in
// e, as git's checkout_entry does for a path nothing is in the way of.
func (r *Repo) checkoutEntry(ix *index.Index, e *index.Entry) error {
	work := apply.Dir{Root: ix.Options.WorkTree}
	if e.Mode == index.ModeGitlink {
		p := filepath.Join(work.Root, filepath.FromSlash(e.Path))
		if err := os.MkdirAll(p, 0o777); err != nil {
			return err
		}
		return ix.FillStat(e)
	}
	typ, data, err := r.ReadObject(Hash(e.ID))
	if err != nil {
		return err
	}
	if typ != TypeBlob {
		return &PeelError{ID: Hash(e.ID), Type: typ, Want: TypeBlob}
	}
	mode := e.Mode
	if mode == index.ModeSymlink && !ix.Options.Symlinks {
		mode = index.ModeRegular
	}
	if err := work.WriteFile(e.Path, data, mode); err != nil {
		return err
	}
	return ix.FillStat(e)
}

// CheckoutIndexOptions are the forms of `git checkout-index -a` that
// CheckoutIndexAll implements.
type CheckoutIndexOptions struct {
	// Force is -f: an existing file that does not match its entry is
	// overwritten.
	Force bool
}

// CheckoutIndexAll is `git checkout-index -a -u` on ix (held locked by
// the caller, who commits it): every stage 0 entry not marked
// skip-worktree is written to the work tree unless its file already
// matches the entry, and the stat data of written files is recorded. A
// file that differs without Force, a directory or file in the way, or
// an unmerged entry is a *WorkTreeConflictError, found before anything
// is written.
func (r *Repo) CheckoutIndexAll(ix *index.Index, o CheckoutIndexOptions) error {
	if ix.Options.WorkTree == "" {
		return errors.New("checkout-index: no work tree")
	}
	var write []*index.Entry
	for _, e := range ix.Entries {
		if e.Stage != 0 {
			return &WorkTreeConflictError{Path: e.Path, Reason: "unmerged"}
		}
		if e.SkipWorktree {
			continue
		}
		p := filepath.Join(ix.Options.WorkTree, filepath.FromSlash(e.Path))
		for dir := filepath.Dir(e.Path); dir != "."; dir = filepath.Dir(dir) {
			info, err := os.Lstat(filepath.Join(ix.Options.WorkTree, dir))
			if err == nil && !info.IsDir() && !o.Force {
				return &WorkTreeConflictError{Path: dir, Reason: "file in the way"}
			}
		}
		info, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			write = append(write, e)
			continue
		case err != nil:
			// git reports it (a name too long, say) its own way.
			return &WorkTreeConflictError{Path: e.Path, Reason: err.Error()}
		case info.IsDir() && e.Mode == index.ModeGitlink:
			continue
		case info.IsDir() && !o.Force:
			return &WorkTreeConflictError{Path: e.Path, Reason: "directory in the way"}
		case info.IsDir():
			write = append(write, e)
			continue
		}
		st, err := ix.CompareWorkTree(e)
		if err != nil {
			return err
		}
		if !st.Changed {
			continue
		}
		if !o.Force {
			return &WorkTreeConflictError{Path: e.Path, Reason: "already exists"}
		}
		write = append(write, e)
	}
	root := ix.Options.WorkTree
	for _, e := range write {
		if e.Mode == index.ModeGitlink {
			// A submodule's checkout is git's to do.
			return &WorkTreeConflictError{Path: e.Path, Reason: "submodule"}
		}
	}
	for _, e := range write {
		// With Force, what is in the way goes: a file where a leading
		// directory goes, a directory where the file goes.
		for dir := filepath.Dir(e.Path); dir != "."; dir = filepath.Dir(dir) {
			if info, err := os.Lstat(filepath.Join(root, dir)); err == nil && !info.IsDir() {
				os.Remove(filepath.Join(root, dir))
			}
		}
		p := filepath.Join(root, filepath.FromSlash(e.Path))
		if info, err := os.Lstat(p); err == nil && info.IsDir() && e.Mode != index.ModeGitlink {
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		}
		if err := r.checkoutEntry(ix, e); err != nil {
			return err
		}
	}
	ix.Changed()
	return nil
}

// RemoveCachedOptions are `git rm --cached`'s options RemoveCached
// implements.
type RemoveCachedOptions struct {
	// Recursive is -r: a path may name a directory.
	Recursive bool
	// IgnoreUnmatch is --ignore-unmatch: a path matching nothing is not
	// an error.
	IgnoreUnmatch bool
	// Force is -f: no check of staged content against the file and HEAD.
	Force bool
}

// RmError is a refusal of `git rm`: Fatal is git's "fatal: " message
// (exit 128); Staged are the paths whose staged content differs from
// both the file and HEAD (git's "error: " report, exit 1).
type RmError struct {
	Fatal  string
	Staged []string
}

func (e *RmError) Error() string {
	if e.Fatal != "" {
		return e.Fatal
	}
	return "staged content different from both the file and the HEAD: " + strings.Join(e.Staged, ", ")
}

// RemoveCached is `git rm --cached` on ix (held locked by the caller,
// who commits it when paths were removed): the stage 0 and conflict
// entries matching the literal paths go, the work tree stays. A
// submodule among them is a *WorkTreeConflictError, before anything
// changes. It returns
// the paths removed, in index order (git prints "rm '<path>'" for each).
// Paths are from the top of the work tree; "" names everything.
func (r *Repo) RemoveCached(ix *index.Index, paths []string, o RemoveCachedOptions) ([]string, error) {
	// git's seen[]: 2 for an exact match, 1 for a match below a directory.
	seen := make([]int, len(paths))
	var matched []*index.Entry
	for _, e := range ix.Entries {
		hit := false
		for i, p := range paths {
			switch {
			case p == e.Path:
				seen[i] = 2
				hit = true
			case p == "" || strings.HasPrefix(e.Path, strings.TrimSuffix(p, "/")+"/"):
				seen[i] = max(seen[i], 1)
				hit = true
			}
		}
		if hit && (len(matched) == 0 || matched[len(matched)-1].Path != e.Path) {
			matched = append(matched, e)
		}
	}
	any := false
	for i, p := range paths {
		switch {
		case seen[i] > 0:
			any = true
		case o.IgnoreUnmatch:
			continue
		default:
			return nil, &RmError{Fatal: fmt.Sprintf("pathspec '%s' did not match any files", p)}
		}
		if !o.Recursive && seen[i] == 1 {
			name := p
			if name == "" {
				name = "."
			}
			return nil, &RmError{Fatal: fmt.Sprintf("not removing '%s' recursively without -r", name)}
		}
	}
	if !any {
		return nil, nil
	}
	for _, e := range matched {
		if e.Mode == index.ModeGitlink {
			// git asks a submodule about its state: git's to do.
			return nil, &WorkTreeConflictError{Path: e.Path, Reason: "submodule"}
		}
	}
	if !o.Force {
		if err := r.checkStagedContent(ix, matched); err != nil {
			return nil, err
		}
	}
	removed := make([]string, 0, len(matched))
	for _, e := range matched {
		removed = append(removed, e.Path)
		ix.RemovePath(e.Path)
	}
	return removed, nil
}

// checkStagedContent is git rm's check_local_mod with --cached: a path
// whose file exists and differs from the entry while the entry differs
// from HEAD may not be removed.
func (r *Repo) checkStagedContent(ix *index.Index, matched []*index.Entry) error {
	if ix.Options.WorkTree == "" {
		return nil
	}
	// HEAD's tree, read the first time a file is there to compare.
	var headTree Hash
	var headErr error
	headRead := false
	readHead := func() {
		headRead = true
		head, err := r.Resolve("HEAD")
		if err == nil {
			headTree, _, err = r.Peel(head, TypeTree)
		}
		headErr = err
	}
	var staged []string
	for _, e := range matched {
		if e.Stage != 0 {
			// git compares the stage 0 entry only; a conflicted path
			// goes without the check.
			continue
		}
		st, err := ix.CompareWorkTree(e)
		if err != nil {
			return err
		}
		if st.Removed || e.IntentToAdd {
			continue
		}
		local := st.Changed
		if !local {
			continue
		}
		if !headRead {
			readHead()
		}
		stagedChange := true
		if headErr == nil {
			if te, err := r.LookupPath(headTree, e.Path); err == nil {
				m, _ := strconv.ParseUint(te.Mode, 8, 32)
				stagedChange = index.NormalizeMode(uint32(m)) != e.Mode || index.ID(te.ID) != e.ID
			}
		}
		if local && stagedChange {
			staged = append(staged, e.Path)
		}
	}
	if len(staged) > 0 {
		return &RmError{Staged: staged}
	}
	return nil
}

// ReadTreePrefix is `git read-tree --prefix=<dir>/ <tree-ish>` on ix
// (held locked by the caller, who commits it): tree's files are added
// under prefix with empty stat data, as git's bind merge adds them, and
// the cache tree is repaired as unpack-trees repairs it (a directory
// valid where its tree exists). A path already in the index at or under
// prefix, or a file where a directory of prefix goes, is a
// *WorkTreeConflictError, before anything changes: git reports it its
// own way.
func (r *Repo) ReadTreePrefix(ix *index.Index, tree Hash, prefix string) error {
	for _, e := range ix.Entries {
		if e.Stage != 0 {
			return ErrUnmergedIndex
		}
	}
	dir := strings.TrimSuffix(prefix, "/")
	for _, e := range ix.Entries {
		if e.Path == dir || strings.HasPrefix(e.Path, dir+"/") || strings.HasPrefix(dir, e.Path+"/") {
			return &WorkTreeConflictError{Path: e.Path, Reason: "overlaps the prefix"}
		}
	}
	treeID, _, err := r.Peel(tree, TypeTree)
	if err != nil {
		return err
	}
	var entries []*index.Entry
	if _, err := r.primeCacheTree(treeID, "", dir+"/", &entries); err != nil {
		return err
	}
	if err := verifyTreePaths(entries); err != nil {
		return err
	}
	for _, e := range entries {
		if err := ix.Put(e, true, false); err != nil {
			return err
		}
	}
	// unpack-trees repairs a cache tree of its own, built afresh.
	ix.CacheTree = nil
	ix.RepairCacheTree(IndexObjects{r})
	return nil
}
