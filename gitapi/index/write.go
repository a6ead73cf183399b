package index

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Encode returns the index file bytes git would write for ix, without
// racy-git smudging (that needs the work tree; see Write). It picks the
// version as git does: a new index gets Options.DefaultVersion, and
// versions 2 and 3 are chosen between by whether any entry carries an
// extended flag.
func (ix *Index) Encode() []byte {
	version := ix.writeVersion()
	buf := make([]byte, 0, headerSize+len(ix.Entries)*80+checksumSize)
	buf = append(buf, "DIRC"...)
	buf = binary.BigEndian.AppendUint32(buf, version)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(ix.Entries)))
	prev := ""
	for _, e := range ix.Entries {
		buf = appendEntry(buf, e, version, prev)
		prev = e.Path
	}
	buf = ix.appendExtensions(buf)
	sum := sha1.Sum(buf)
	return append(buf, sum[:]...)
}

func (ix *Index) writeVersion() uint32 {
	version := ix.Version
	if version == 0 {
		version = ix.Options.DefaultVersion
	}
	if version < 2 || version > 4 {
		version = formatDefault
	}
	if version == 2 || version == 3 {
		version = 2
		for _, e := range ix.Entries {
			if e.extendedFlags() != 0 {
				version = 3
				break
			}
		}
	}
	return version
}

func (e *Entry) extendedFlags() uint16 {
	var f uint16
	if e.SkipWorktree {
		f |= extSkipWorktree
	}
	if e.IntentToAdd {
		f |= extIntentToAdd
	}
	return f
}

func appendEntry(buf []byte, e *Entry, version uint32, prev string) []byte {
	start := len(buf)
	s := e.Stat
	for _, v := range [...]uint32{s.CtimeSec, s.CtimeNsec, s.MtimeSec, s.MtimeNsec,
		s.Dev, s.Ino, e.Mode, s.UID, s.GID, s.Size} {
		buf = binary.BigEndian.AppendUint32(buf, v)
	}
	buf = append(buf, e.ID[:]...)
	flags := uint16(min(len(e.Path), flagNameMask)) | uint16(e.Stage&3)<<flagStageShift
	if e.AssumeValid {
		flags |= flagAssumeValid
	}
	ext := e.extendedFlags()
	if ext != 0 {
		flags |= flagExtended
	}
	buf = binary.BigEndian.AppendUint16(buf, flags)
	if ext != 0 {
		buf = binary.BigEndian.AppendUint16(buf, ext)
	}
	if version == 4 {
		common := commonPrefix(prev, e.Path)
		buf = encodeVarint(buf, uint64(len(prev)-common))
		buf = append(buf, e.Path[common:]...)
		return append(buf, 0)
	}
	buf = append(buf, e.Path...)
	// Pad with one to eight NULs to a multiple of eight bytes.
	size := (len(buf) - start + 8) &^ 7
	for len(buf)-start < size {
		buf = append(buf, 0)
	}
	return buf
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// untrackedAfterPathChange is the untracked cache to write once paths
// were added or removed: git would invalidate the directories involved
// inside it; this package does not parse it, so it writes a new empty
// one when core.untrackedCache asks for one, and none otherwise.
func (ix *Index) untrackedAfterPathChange() []byte {
	if ix.Untracked != nil && ix.Options.UntrackedCache == UntrackedCacheWrite {
		return ix.Options.emptyUntrackedCache()
	}
	return nil
}

// appendExtensions writes the extensions git writes, in git's order.
func (ix *Index) appendExtensions(buf []byte) []byte {
	if ix.CacheTree != nil {
		buf = appendExtension(buf, "TREE", ix.CacheTree.encode(nil))
	}
	if ix.ResolveUndo != nil {
		buf = appendExtension(buf, "REUC", encodeResolveUndo(nil, ix.ResolveUndo))
	}
	untracked, fsmonitor := ix.Untracked, ix.FSMonitor
	if ix.pathsChanged {
		untracked, fsmonitor = ix.untrackedAfterPathChange(), nil
	}
	if untracked != nil {
		buf = appendExtension(buf, "UNTR", untracked)
	}
	if fsmonitor != nil {
		buf = appendExtension(buf, "FSMN", fsmonitor)
	}
	return buf
}

// LockedError is returned when the index lock file already exists. Its
// message is git's.
type LockedError struct {
	LockPath string
}

// Error is git's message for a held lock.
func (e *LockedError) Error() string {
	return fmt.Sprintf("Unable to create '%s': File exists.\n\n"+
		"Another git process seems to be running in this repository, e.g.\n"+
		"an editor opened by 'git commit'. Please make sure all processes\n"+
		"are terminated then try again. If it still fails, a git process\n"+
		"may have crashed in this repository earlier:\n"+
		"remove the file manually to continue.", e.LockPath)
}

// lockError is a failure to create the lock file, worded as git words
// it.
type lockError struct {
	lockPath string
	err      error
}

func (e *lockError) Error() string {
	return fmt.Sprintf("Unable to create '%s': %s", e.lockPath, errnoText(e.err))
}

func (e *lockError) Unwrap() error { return e.err }

// lock holds "<index>.lock", created exclusively as git does.
type lock struct {
	path string
	f    *os.File
}

func acquireLock(path string) (*lock, error) {
	lockPath := path + ".lock"
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		// git names the lock by its absolute path in these messages.
		shown := lockPath
		if abs, absErr := filepath.Abs(lockPath); absErr == nil {
			shown = abs
		}
		if errors.Is(err, fs.ErrExist) {
			return nil, &LockedError{LockPath: shown}
		}
		return nil, &lockError{lockPath: shown, err: unwrapPathError(err)}
	}
	return &lock{path: path, f: f}, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// commit writes data to the lock file and renames it over the index.
func (l *lock) commit(data []byte) error {
	if _, err := l.f.Write(data); err != nil {
		l.rollback()
		return err
	}
	if err := l.f.Close(); err != nil {
		l.rollback()
		return err
	}
	l.f = nil
	if err := os.Rename(l.path+".lock", l.path); err != nil {
		os.Remove(l.path + ".lock")
		return err
	}
	return nil
}

func (l *lock) rollback() {
	if l.f != nil {
		l.f.Close()
		l.f = nil
		os.Remove(l.path + ".lock")
	}
}
