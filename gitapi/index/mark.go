package index

import "fmt"

// SetAssumeUnchanged is "git update-index --[no-]assume-unchanged path":
// it sets or clears the assume-valid bit of path's stage 0 entry.
func (ix *Index) SetAssumeUnchanged(path string, on bool) error {
	return ix.markEntry(path, func(e *Entry) { e.AssumeValid = on })
}

// SetSkipWorktree is "git update-index --[no-]skip-worktree path".
func (ix *Index) SetSkipWorktree(path string, on bool) error {
	return ix.markEntry(path, func(e *Entry) { e.SkipWorktree = on })
}

// markEntry changes a flag as git's mark_ce_flags does, which also
// invalidates the cache tree along the path.
func (ix *Index) markEntry(path string, set func(*Entry)) error {
	i, ok := ix.Find(path, 0)
	if !ok {
		return &Error{Fatal: "Unable to mark file " + path}
	}
	ix.Entries[i] = ix.changedCopy(i)
	set(ix.Entries[i])
	ix.invalidate(path)
	return nil
}

// Chmod is "git update-index --chmod=(+|-)x path": it flips the
// executable bit of a regular file's stage 0 entry.
func (ix *Index) Chmod(path string, executable bool) error {
	flip := '-'
	if executable {
		flip = '+'
	}
	i, ok := ix.Find(path, 0)
	if !ok || ix.Entries[i].Mode&0o170000 != 0o100000 {
		return &Error{Fatal: fmt.Sprintf("git update-index: cannot chmod %cx '%s'", flip, path)}
	}
	e := ix.changedCopy(i)
	e.Mode = ModeRegular
	if executable {
		e.Mode = ModeExecutable
	}
	ix.Entries[i] = e
	ix.invalidate(path)
	return nil
}

// changedCopy returns a copy of entry i for changing, so that Entry
// values handed out earlier keep what they said; the index is marked
// modified.
func (ix *Index) changedCopy(i int) *Entry {
	e := *ix.Entries[i]
	ix.modified = true
	return &e
}
