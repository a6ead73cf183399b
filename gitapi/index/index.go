package index

import (
	"sort"
	"strings"
)

// ID is a SHA-1 object id, the same bytes as gitapi.Hash.
type ID = [20]byte

// File modes as git records them in the index and in trees.
const (
	ModeRegular    uint32 = 0o100644
	ModeExecutable uint32 = 0o100755
	ModeSymlink    uint32 = 0o120000
	ModeGitlink    uint32 = 0o160000
	ModeTree       uint32 = 0o040000
)

// Stat is the lstat data git caches per entry, each field truncated to
// 32 bits as git stores it.
type Stat struct {
	CtimeSec, CtimeNsec uint32
	MtimeSec, MtimeNsec uint32
	Dev, Ino            uint32
	UID, GID            uint32
	Size                uint32
}

// Entry is one index entry: a path at a merge stage.
type Entry struct {
	Stat Stat
	Mode uint32
	ID   ID
	Path string
	// Stage is 0 for a merged entry, 1..3 for the base, ours and theirs
	// sides of a conflict.
	Stage int
	// AssumeValid is "git update-index --assume-unchanged".
	AssumeValid bool
	// SkipWorktree and IntentToAdd are the extended flags (index v3+).
	SkipWorktree bool
	IntentToAdd  bool

	// upToDate marks an entry whose stat data was filled or checked by
	// this process: git never smudges such an entry when writing.
	upToDate bool
}

// Timestamp is a file time as git keeps it for the index file itself.
type Timestamp struct {
	Sec, Nsec uint32
}

// Index is an in-memory index file. Entries are kept sorted by path and
// then stage, as git keeps them.
type Index struct {
	// Version is the on-disk format (2, 3 or 4). 0 means a new index:
	// WriteFile then picks the default (see Options.DefaultVersion).
	// Versions 2 and 3 are chosen between on write as git does: 3 only
	// when some entry has an extended flag.
	Version uint32
	Entries []*Entry
	// CacheTree is the TREE extension; nil when the index has none.
	CacheTree *CacheTree
	// ResolveUndo is the REUC extension, sorted by path; nil when the
	// index has none.
	ResolveUndo []ResolveUndo
	// Untracked (UNTR) and FSMonitor (FSMN) are kept as raw bytes. They
	// are written back unchanged while the set of paths is unchanged and
	// dropped once a path is added or removed (see doc.go).
	Untracked []byte
	FSMonitor []byte

	// Timestamp is the index file's mtime when it was read; zero for a
	// new index. Entries not older than it are "racily clean".
	Timestamp Timestamp
	// Options are the repository settings used by the operations that
	// look at the work tree.
	Options Options

	path         string // the file this index was read from
	lock         *lock  // held between OpenLocked and Commit/Rollback
	pathsChanged bool
	modified     bool
}

// Modified reports whether entries changed since the index was read or
// last written: git writes the index back only then.
func (ix *Index) Modified() bool { return ix.modified }

// ResolveUndo records the conflicted stages (1..3) of a path that was
// resolved, so "git checkout -m" can recreate the conflict. A zero mode
// means the stage was absent.
type ResolveUndo struct {
	Path  string
	Modes [3]uint32
	IDs   [3]ID
}

// comparePath orders entries as git's cache does: bytewise by path, then
// by stage.
func compareEntry(path string, stage int, e *Entry) int {
	if c := strings.Compare(path, e.Path); c != 0 {
		return c
	}
	return stage - e.Stage
}

// Find returns the position of path at stage and whether it is present;
// when absent the position is where it would be inserted.
func (ix *Index) Find(path string, stage int) (int, bool) {
	i := sort.Search(len(ix.Entries), func(i int) bool {
		return compareEntry(path, stage, ix.Entries[i]) <= 0
	})
	return i, i < len(ix.Entries) && compareEntry(path, stage, ix.Entries[i]) == 0
}

// Entry returns the entry for path at stage, or nil.
func (ix *Index) Entry(path string, stage int) *Entry {
	if i, ok := ix.Find(path, stage); ok {
		return ix.Entries[i]
	}
	return nil
}

// Unmerged reports whether path has entries at a stage above 0.
func (ix *Index) Unmerged(path string) bool {
	i, _ := ix.Find(path, 0)
	for ; i < len(ix.Entries) && ix.Entries[i].Path == path; i++ {
		if ix.Entries[i].Stage > 0 {
			return true
		}
	}
	return false
}
