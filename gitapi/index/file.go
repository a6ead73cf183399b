package index

import (
	"errors"
	"os"
)

// Open reads the index file at path (GIT_INDEX_FILE or .git/index) for
// reading only. A missing file gives an empty index.
//
//	ix, err := index.Open(".git/index", index.DefaultOptions("."))
//	for _, e := range ix.Entries { fmt.Printf("%06o %x %d\t%s\n", e.Mode, e.ID, e.Stage, e.Path) }
func Open(path string, opts Options) (*Index, error) {
	ix, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	ix.path = path
	ix.Options = opts
	ix.applyConfigTweaks()
	return ix, nil
}

// OpenLocked takes "<path>.lock" as git does before it reads an index it
// means to change, then reads the index. Finish with Commit or Rollback.
//
//	ix, err := index.OpenLocked(indexPath, opts)
//	if err != nil { return err }
//	defer ix.Rollback()
//	if err := ix.AddPath("hello.c", objects, index.AddOptions{Add: true}); err != nil { return err }
//	return ix.Commit()
func OpenLocked(path string, opts Options) (*Index, error) {
	l, err := acquireLock(path)
	if err != nil {
		return nil, err
	}
	ix, err := Open(path, opts)
	if err != nil {
		l.rollback()
		return nil, err
	}
	ix.lock = l
	return ix, nil
}

// Commit writes the index into the lock taken by OpenLocked and renames
// it over the index file, smudging racily clean entries first as git
// does.
func (ix *Index) Commit() error {
	if ix.lock == nil {
		return errors.New("index: Commit without OpenLocked")
	}
	l := ix.lock
	ix.lock = nil
	ix.smudgeRacyEntries()
	if err := l.commit(ix.Encode()); err != nil {
		return err
	}
	ix.afterWrite(ix.path)
	return nil
}

// Rollback releases the lock without writing. It is a no-op after Commit.
func (ix *Index) Rollback() {
	if ix.lock != nil {
		ix.lock.rollback()
		ix.lock = nil
	}
}

// WriteFile writes the index to path through "<path>.lock" and rename.
func (ix *Index) WriteFile(path string) error {
	l, err := acquireLock(path)
	if err != nil {
		return err
	}
	ix.smudgeRacyEntries()
	if err := l.commit(ix.Encode()); err != nil {
		return err
	}
	ix.path = path
	ix.afterWrite(path)
	return nil
}

// afterWrite records the new file's mtime, as git does, so later writes
// in this process judge raciness against it.
func (ix *Index) afterWrite(path string) {
	if info, err := os.Stat(path); err == nil {
		ix.Timestamp = fileTimestamp(info)
	}
	if ix.pathsChanged {
		ix.Untracked, ix.FSMonitor = ix.untrackedAfterPathChange(), nil
	}
	ix.pathsChanged, ix.modified = false, false
}
