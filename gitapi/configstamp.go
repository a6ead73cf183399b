package gitapi

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// A file changed within a racy window of being read is "racy", as git
// calls an index entry whose mtime is not older than the index: file
// times come from a coarse clock, so a rewrite of the same size within
// the same tick of it leaves the stat as it was, and the content is
// compared too, until a read finds the change older than the window.
// The window is ample for Linux's clock tick (at most 10ms) when the
// file system keeps nanoseconds; whole-second times (times with no
// fraction, ext3, FAT's two seconds) get seconds.
const (
	configRacyWindow       = 100 * time.Millisecond
	configRacyWindowCoarse = 3 * time.Second
)

// fileStamp is what stat tells of a file: enough to see that it was
// replaced, rewritten or touched.
type fileStamp struct {
	exists            bool
	ino, dev          uint64
	size              int64
	mtimeSec, mtimeNs int64
	ctimeSec, ctimeNs int64
}

// stampOf is the stamp of a file's stat.
func stampOf(fi fs.FileInfo) fileStamp {
	s := fileStamp{exists: true, size: fi.Size(), mtimeSec: fi.ModTime().Unix(), mtimeNs: int64(fi.ModTime().Nanosecond())}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.ino, s.dev = st.Ino, st.Dev
		s.ctimeSec, s.ctimeNs = st.Ctim.Sec, st.Ctim.Nsec
	}
	return s
}

// racyAt reports whether a file with this stamp, read at readAt, is
// racy: changed within the window before (or after) it.
func (s fileStamp) racyAt(readAt time.Time) bool {
	window := configRacyWindow
	if s.mtimeNs == 0 && s.ctimeNs == 0 {
		window = configRacyWindowCoarse
	}
	return !s.changed().Before(readAt.Add(-window))
}

// changed is the later of its modification and change times.
func (s fileStamp) changed() time.Time {
	m, c := time.Unix(s.mtimeSec, s.mtimeNs), time.Unix(s.ctimeSec, s.ctimeNs)
	if c.After(m) {
		return c
	}
	return m
}

// configSource is one file a configuration was read from, or looked
// for and not found: its stamp then, and its content when the stamp
// cannot vouch for it (racy).
type configSource struct {
	path  string // absolute
	stamp fileStamp
	racy  bool
	data  []byte // the content read, while racy
}

// missingConfigSource records a file looked for and not found.
func missingConfigSource(path string) configSource { return configSource{path: path} }

// newConfigSource records a file read at readAt with this stat and
// content.
func newConfigSource(path string, stamp fileStamp, data []byte, readAt time.Time) configSource {
	src := configSource{path: path, stamp: stamp}
	if stamp.exists && stamp.racyAt(readAt) {
		src.racy, src.data = true, data
	}
	return src
}

// readConfigSource reads the file at path (absolute) and records it; a
// file that does not exist is recorded as missing with no error.
func readConfigSource(path string) ([]byte, configSource, error) {
	readAt := time.Now()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, missingConfigSource(path), nil
	}
	if err != nil {
		return nil, configSource{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, configSource{}, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, configSource{}, err
	}
	return data, newConfigSource(path, stampOf(fi), data, readAt), nil
}

// current reports whether the file is still as recorded: the same stat
// and, for a racy one, the same content. A racy source whose content
// is unchanged and whose change is now old enough stops being racy.
func (src *configSource) current() bool {
	readAt := time.Now()
	fi, err := os.Stat(src.path)
	if err != nil || !src.stamp.exists {
		// Missing then (or unreadable, which the reader took for
		// missing): current while still so.
		return err != nil && !src.stamp.exists
	}
	if stampOf(fi) != src.stamp {
		return false
	}
	if !src.racy {
		return true
	}
	data, err := os.ReadFile(src.path)
	if err != nil || !bytes.Equal(data, src.data) {
		return false
	}
	if !src.stamp.racyAt(readAt) {
		src.racy, src.data = false, nil
	}
	return true
}

// configCurrent reports whether every source is as recorded.
func configCurrent(sources []configSource) bool {
	for i := range sources {
		if !sources[i].current() {
			return false
		}
	}
	return true
}
