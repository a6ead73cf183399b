package index

import (
	"io/fs"
	"os"
	"path/filepath"
)

func statFromPortable(info fs.FileInfo) Stat {
	mt := info.ModTime()
	return Stat{
		MtimeSec: uint32(mt.Unix()), MtimeNsec: uint32(mt.Nanosecond()),
		Size: uint32(info.Size()),
	}
}

func fileTimestamp(info fs.FileInfo) Timestamp {
	mt := info.ModTime()
	return Timestamp{Sec: uint32(mt.Unix()), Nsec: uint32(mt.Nanosecond())}
}

// ModeFromFileInfo normalises a work tree file's mode as git records it:
// symlink, gitlink for a directory, else a regular file 100755 when the
// owner may execute it and 100644 otherwise.
func ModeFromFileInfo(info fs.FileInfo) uint32 {
	switch m := info.Mode(); {
	case m&fs.ModeSymlink != 0:
		return ModeSymlink
	case m.IsDir():
		return ModeGitlink
	case m.Perm()&0o100 != 0:
		return ModeExecutable
	default:
		return ModeRegular
	}
}

// modeFromStat is git's ce_mode_from_stat: without core.filemode the
// executable bit is taken from the existing entry, and without
// core.symlinks a regular file keeps an existing symlink entry's mode.
func (o *Options) modeFromStat(old *Entry, info fs.FileInfo) uint32 {
	mode := ModeFromFileInfo(info)
	if old != nil && !o.Symlinks && mode != ModeSymlink && mode != ModeGitlink && old.Mode == ModeSymlink {
		return ModeSymlink
	}
	if old != nil && !o.FileMode && (mode == ModeRegular || mode == ModeExecutable) {
		if old.Mode == ModeRegular || old.Mode == ModeExecutable {
			return old.Mode
		}
	}
	if !o.FileMode && (mode == ModeExecutable) {
		return ModeRegular
	}
	return mode
}

func (o *Options) workPath(path string) string {
	return filepath.Join(o.WorkTree, filepath.FromSlash(path))
}

func (o *Options) lstat(path string) (fs.FileInfo, error) {
	return os.Lstat(o.workPath(path))
}
