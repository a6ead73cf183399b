package gitapi

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// lockFile is git's `<file>.lock` protocol: the lock is created
// exclusively (so a concurrent writer fails instead of racing), written,
// and renamed over the file to commit, or removed to abandon.
type lockFile struct {
	path string // the file being replaced
	f    *os.File
	done bool
}

// createLock takes the lock for path, creating missing parent
// directories.
func createLock(path string) (*lockFile, error) {
	lockPath := path + ".lock"
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return nil, &LockError{Path: lockPath, Kind: LockNoDirectory, Cause: err}
	}
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		kind := LockFailed
		if errors.Is(err, fs.ErrExist) {
			kind = LockHeld
		}
		return nil, &LockError{Path: lockPath, Kind: kind, Cause: err}
	}
	return &lockFile{path: path, f: f}, nil
}

// commit writes content to the lock and renames it over the file.
func (l *lockFile) commit(content string) error {
	if _, err := l.f.WriteString(content); err != nil {
		l.abandon()
		return err
	}
	if err := l.f.Close(); err != nil {
		l.abandon()
		return err
	}
	if err := os.Rename(l.path+".lock", l.path); err != nil {
		l.abandon()
		return err
	}
	l.done = true
	return nil
}

// abandon removes the lock if it was not committed; it is safe to call
// more than once.
func (l *lockFile) abandon() {
	if l.done {
		return
	}
	l.done = true
	l.f.Close()
	os.Remove(l.path + ".lock")
}
