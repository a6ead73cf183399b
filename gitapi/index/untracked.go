package index

import (
	"encoding/binary"
	"path/filepath"
	"runtime"
	"strings"
)

// UntrackedCacheSetting is core.untrackedCache.
type UntrackedCacheSetting int

const (
	// UntrackedCacheKeep (unset, "keep"): an existing untracked cache is
	// kept, none is created.
	UntrackedCacheKeep UntrackedCacheSetting = iota
	// UntrackedCacheWrite (true): git adds an empty untracked cache to
	// every index it reads without one.
	UntrackedCacheWrite
	// UntrackedCacheRemove (false): git drops the untracked cache from
	// every index it reads.
	UntrackedCacheRemove
)

// Directory flags git records in a new untracked cache.
const (
	dirShowOtherDirectories = 1 << 1
	dirHideEmptyDirectories = 1 << 2
)

// applyConfigTweaks does what git does to every index it reads
// (post_read_index_from): add or drop the untracked cache as
// core.untrackedCache says, and drop fsmonitor data unless
// core.fsmonitor is on. Each such change makes the index modified, as
// in git, so update-index writes it back.
func (ix *Index) applyConfigTweaks() {
	if !ix.Options.FSMonitor && ix.FSMonitor != nil {
		ix.FSMonitor = nil
		ix.modified = true
	}
	switch ix.Options.UntrackedCache {
	case UntrackedCacheRemove:
		if ix.Untracked != nil {
			ix.Untracked = nil
			ix.modified = true
		}
	case UntrackedCacheWrite:
		if ix.Untracked == nil {
			ix.Untracked = ix.Options.emptyUntrackedCache()
			ix.modified = true
		}
	}
}

// emptyUntrackedCache encodes git's new, empty untracked cache: the
// location it is valid for, zero stat data and ids for the exclude
// files, the directory flags, ".gitignore", and no directories.
func (o *Options) emptyUntrackedCache() []byte {
	root := o.WorkTree
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	ident := "Location " + root + ", system " + systemName() + "\x00"
	buf := encodeVarint(nil, uint64(len(ident)))
	buf = append(buf, ident...)
	buf = append(buf, make([]byte, 2*36)...) // stat data of info/exclude and core.excludesFile
	flags := uint32(dirShowOtherDirectories | dirHideEmptyDirectories)
	if o.ShowAllUntracked {
		flags = 0
	}
	buf = binary.BigEndian.AppendUint32(buf, flags)
	buf = append(buf, make([]byte, 2*len(ID{}))...) // their ids
	buf = append(buf, ".gitignore\x00"...)
	return encodeVarint(buf, 0)
}

// systemName is uname's sysname for the systems Go names.
func systemName() string {
	switch runtime.GOOS {
	case "linux":
		return "Linux"
	case "darwin":
		return "Darwin"
	case "freebsd":
		return "FreeBSD"
	case "netbsd":
		return "NetBSD"
	case "openbsd":
		return "OpenBSD"
	}
	return strings.ToUpper(runtime.GOOS[:1]) + runtime.GOOS[1:]
}
