package gitapi

import (
	"strings"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// KeptIndex is the index of one builtin run kept in memory between the
// run's steps: each step locks the index as git does (Lock), changes it
// and writes it once (Commit); the file is read again only when it is no
// longer the one the last step wrote (another process changed it, or a
// step was rolled back or ran in git). A builtin whose script ran git
// apply --index and git write-tree per patch reads the index once per
// run instead of twice per patch, and the entries it wrote are not
// checked again as racily clean, as in git's own in-memory index.
type KeptIndex struct {
	r    *Repo
	ix   *index.Index // nil until read, and after a failed step
	file index.FileID // the index file as ix last wrote it
}

// KeepIndex starts keeping r's index in memory; nothing is read yet.
func (r *Repo) KeepIndex() *KeptIndex { return &KeptIndex{r: r} }

// Lock takes index.lock for a step and returns the index to change,
// read from the file unless it is still the one the last step wrote.
// End the step with k.Commit or k.Rollback.
func (k *KeptIndex) Lock() (*LockedIndex, error) {
	if k.ix != nil {
		if err := k.ix.Relock(); err != nil {
			return nil, err
		}
		if id, ok := index.StatFileID(k.r.indexFile); ok && id == k.file {
			return &LockedIndex{r: k.r, ix: k.ix}, nil
		}
		// Changed under us: read it again, under the lock taken.
		k.ix.Rollback()
		k.ix = nil
	}
	l, err := k.r.LockIndex()
	if err != nil {
		return nil, err
	}
	k.ix = l.ix
	return l, nil
}

// Commit writes the step's index and releases the lock; the index in
// memory is kept for the next step.
func (k *KeptIndex) Commit(l *LockedIndex) error {
	if err := l.Commit(); err != nil {
		k.ix = nil
		return err
	}
	if id, ok := index.StatFileID(k.r.indexFile); ok {
		k.ix, k.file = l.ix, id
	} else {
		k.ix = nil
	}
	return nil
}

// Rollback releases the lock without writing; the next step reads the
// index again (the step may have changed the index in memory).
func (k *KeptIndex) Rollback(l *LockedIndex) {
	l.Rollback()
	k.ix = nil
}

// Forget drops the index kept in memory: for a step done outside it (by
// git through Fallback).
func (k *KeptIndex) Forget() { k.ix = nil }

// MayConvertAny is Repo.MayConvertAny with the locked index in memory
// as the index whose .gitattributes entries count.
func (l *LockedIndex) MayConvertAny() (bool, error) {
	return l.r.mayConvert([]string{""}, l.ix, func(name string) bool {
		return name == ".gitattributes" || strings.HasSuffix(name, "/.gitattributes")
	})
}
