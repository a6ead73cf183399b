package index

// ObjectWriter stores an object and returns its id; gitapi's Repo
// provides it. typ is "blob", "tree", "commit" or "tag".
type ObjectWriter interface {
	WriteObject(typ string, data []byte) (ID, error)
}

// ObjectChecker reports whether an object exists; write-tree uses it to
// refuse trees naming missing blobs unless MissingOK is set.
type ObjectChecker interface {
	HasObject(id ID) bool
}

// ObjectWriterFunc adapts a function to ObjectWriter, e.g. over
// gitapi.Repo, whose ids are gitapi.Hash:
//
//	w := index.ObjectWriterFunc(func(typ string, data []byte) (index.ID, error) {
//		h, err := repo.WriteObject(typ, data)
//		return index.ID(h), err
//	})
type ObjectWriterFunc func(typ string, data []byte) (ID, error)

// WriteObject calls f.
func (f ObjectWriterFunc) WriteObject(typ string, data []byte) (ID, error) { return f(typ, data) }

// ObjectCheckerFunc adapts a function to ObjectChecker:
//
//	c := index.ObjectCheckerFunc(func(id index.ID) bool { return repo.HasObject(gitapi.Hash(id)) })
type ObjectCheckerFunc func(id ID) bool

// HasObject calls f.
func (f ObjectCheckerFunc) HasObject(id ID) bool { return f(id) }

// Options are the repository settings the index operations depend on.
// DefaultOptions gives git's defaults; gitapi fills them from config.
type Options struct {
	// WorkTree is the work tree root. Without one, operations that look
	// at files (Add, Refresh, racy-git smudging on write) are skipped or
	// refused.
	WorkTree string
	// DefaultVersion is the version of a newly created index:
	// GIT_INDEX_VERSION, else index.version, else 4 under
	// feature.manyFiles, else 0 (git's default, written as 2 or 3).
	DefaultVersion uint32
	// TrustCtime is core.trustctime (default true).
	TrustCtime bool
	// CheckStat is false for core.checkStat=minimal (default true).
	CheckStat bool
	// FileMode is core.filemode: whether the executable bit of work tree
	// files is trusted (default true).
	FileMode bool
	// Symlinks is core.symlinks (default true).
	Symlinks bool
	// UntrackedCache is core.untrackedCache (default: keep).
	UntrackedCache UntrackedCacheSetting
	// ShowAllUntracked is status.showUntrackedFiles=all, recorded in the
	// flags of an untracked cache this package creates.
	ShowAllUntracked bool
	// FSMonitor is whether core.fsmonitor is on. Without it git drops the
	// fsmonitor extension of every index it reads, and so does Open.
	FSMonitor bool
}

// DefaultOptions returns git's defaults for a repository whose work tree
// is at workTree ("" for none).
func DefaultOptions(workTree string) Options {
	return Options{WorkTree: workTree, TrustCtime: true, CheckStat: true, FileMode: true, Symlinks: true}
}
