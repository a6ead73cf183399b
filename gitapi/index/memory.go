package index

import (
	"time"
)

// This file serves an index kept in memory across several commands of
// one run (gitapi.Session): a copy to hand each command, the lock held
// on the file while memory is ahead of it, and the one write that
// brings the file up to date.

// Clone returns a deep copy of ix without its lock: changes to either
// do not show in the other.
func (ix *Index) Clone() *Index {
	c := *ix
	c.lock = nil
	c.Entries = make([]*Entry, len(ix.Entries))
	for i, e := range ix.Entries {
		ec := *e
		c.Entries[i] = &ec
	}
	c.CacheTree = ix.CacheTree.clone()
	c.ResolveUndo = append([]ResolveUndo(nil), ix.ResolveUndo...)
	c.Untracked = append([]byte(nil), ix.Untracked...)
	c.FSMonitor = append([]byte(nil), ix.FSMonitor...)
	if ix.Untracked == nil {
		c.Untracked = nil
	}
	if ix.FSMonitor == nil {
		c.FSMonitor = nil
	}
	if ix.ResolveUndo == nil {
		c.ResolveUndo = nil
	}
	return &c
}

func (t *CacheTree) clone() *CacheTree {
	if t == nil {
		return nil
	}
	c := *t
	c.Subtrees = make([]*CacheTree, len(t.Subtrees))
	for i, s := range t.Subtrees {
		c.Subtrees[i] = s.clone()
	}
	if t.Subtrees == nil {
		c.Subtrees = nil
	}
	return &c
}

// Path is the file the index was read from.
func (ix *Index) Path() string { return ix.path }

// KeptInMemory does to ix what Commit does around writing the file, for
// an index kept in memory in its stead: racily clean entries are
// smudged against the timestamp it was read or last kept with, and the
// time of this "write" becomes its timestamp. The timestamp is taken a
// second early: a file written now could carry a time up to a clock
// tick behind, so every entry git would find racy against the file is
// racy against this one too (some more are, which costs a content
// check, never a wrong answer).
func (ix *Index) KeptInMemory(now time.Time) {
	ix.smudgeRacyEntries()
	ix.Timestamp = Timestamp{Sec: uint32(now.Unix() - 1)}
	if ix.pathsChanged {
		ix.Untracked, ix.FSMonitor = ix.untrackedAfterPathChange(), nil
	}
	ix.pathsChanged, ix.modified = false, false
}

// FileLock is "<path>.lock" taken for an index written later, as git
// holds it while the index it means to write is being changed.
type FileLock struct {
	l *lock
}

// LockFile takes "<path>.lock" (a *LockedError when another holds it).
func LockFile(path string) (*FileLock, error) {
	l, err := acquireLock(path)
	if err != nil {
		return nil, err
	}
	return &FileLock{l: l}, nil
}

// Write writes ix into the lock and renames it over the index file, as
// Commit does; the lock is released either way.
func (fl *FileLock) Write(ix *Index) error {
	ix.smudgeRacyEntries()
	if err := fl.l.commit(ix.Encode()); err != nil {
		return err
	}
	ix.path = fl.l.path
	ix.afterWrite(fl.l.path)
	return nil
}

// Release removes the lock without writing.
func (fl *FileLock) Release() { fl.l.rollback() }
