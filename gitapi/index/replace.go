package index

// ReplaceEntries makes entries (sorted by path then stage, as Entries
// are kept) the index's entries, with tree as its cache tree (nil for
// none), as git's unpack_trees does when it swaps in the index it built:
// the resolve-undo data goes, and the untracked cache is kept only while
// the set of paths stays the same.
func (ix *Index) ReplaceEntries(entries []*Entry, tree *CacheTree) {
	same := len(entries) == len(ix.Entries)
	for i := 0; same && i < len(entries); i++ {
		same = entries[i].Path == ix.Entries[i].Path
	}
	ix.Entries = entries
	ix.CacheTree = tree
	ix.ResolveUndo = nil
	if !same {
		ix.pathsChanged = true
	}
	ix.modified = true
}

// Changed marks the index as changed, so that a caller that writes only
// a changed index writes it.
func (ix *Index) Changed() { ix.modified = true }
