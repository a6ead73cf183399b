package gitapi

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/apply"
	"github.com/kiln-dev/kiln/gitapi/index"
	"github.com/kiln-dev/kiln/gitapi/libc"
)

// WithEnv returns a copy of r that also sees the given KEY=value
// variables, sharing r's cached state: for a builtin that exports
// GIT_AUTHOR_* or GIT_COMMITTER_* per commit as its script did. Variables
// that change which configuration applies must not be passed.
func (r *Repo) WithEnv(pairs ...string) *Repo {
	c := *r
	c.configSeen = &configSeen{}
	c.env = make(Env, len(r.env)+len(pairs))
	for k, v := range r.env {
		c.env[k] = v
	}
	for _, kv := range pairs {
		k, v, _ := strings.Cut(kv, "=")
		c.env[k] = v
	}
	return &c
}

// IndexOptions are the index settings from r's configuration.
func (r *Repo) IndexOptions() (index.Options, error) {
	opts := index.DefaultOptions(r.workTree)
	cfg, err := r.Config()
	if err != nil {
		return opts, err
	}
	if opts.TrustCtime, err = cfg.Bool("core.trustctime", true); err != nil {
		return opts, err
	}
	if v, ok := cfg.Get("core.checkstat"); ok {
		opts.CheckStat = v != "minimal"
	}
	if opts.FileMode, err = cfg.Bool("core.filemode", true); err != nil {
		return opts, err
	}
	if opts.Symlinks, err = cfg.Bool("core.symlinks", true); err != nil {
		return opts, err
	}
	// A new index's version as git picks it (GIT_INDEX_VERSION, then
	// index.version, then feature.manyFiles); git's warning for a bad
	// setting is not printed yet.
	var vs index.VersionSettings
	if v, ok := r.env.Lookup("GIT_INDEX_VERSION"); ok {
		vs.Env = &v
	}
	if n, err := cfg.Int("index.version", 0); err == nil {
		if _, set := cfg.Get("index.version"); set {
			version := int(n)
			vs.IndexVersion = &version
		}
	}
	if vs.ManyFiles, err = cfg.Bool("feature.manyfiles", false); err != nil {
		return opts, err
	}
	opts.DefaultVersion, _ = vs.DefaultVersion()
	return opts, nil
}

// IndexObjects adapts r to the object interfaces of the index package.
type IndexObjects struct{ Repo *Repo }

// WriteObject stores an object in the repository.
func (o IndexObjects) WriteObject(typ string, data []byte) (index.ID, error) {
	h, err := o.Repo.WriteObject(typ, data)
	return index.ID(h), err
}

// HasObject reports whether the repository has the object.
func (o IndexObjects) HasObject(id index.ID) bool { return o.Repo.HasObject(Hash(id)) }

// WriteTree is `git write-tree`: the tree of the index's stage 0 entries,
// written to the object store. Like git, it stores the filled-in cache
// tree back in the index when it can take the index lock, and quietly
// does not when it cannot.
func (r *Repo) WriteTree() (Hash, error) {
	return r.WriteTreeWith(index.WriteTreeOptions{})
}

// WriteTreeWith is WriteTree with git write-tree's options (--missing-ok,
// --prefix=<dir>/). A failure is an *index.WriteTreeError carrying git's
// messages.
func (r *Repo) WriteTreeWith(wopts index.WriteTreeOptions) (Hash, error) {
	opts, err := r.IndexOptions()
	if err != nil {
		return Hash{}, err
	}
	if h := r.heldFor(); h != nil {
		return r.writeTreeHeld(h, opts, wopts)
	}
	ix, err := index.OpenLocked(r.indexFile, opts)
	locked := err == nil
	if err != nil {
		if ix, err = index.Open(r.indexFile, opts); err != nil {
			return Hash{}, err
		}
	}
	id, changed, err := ix.WriteTree(IndexObjects{r}, IndexObjects{r}, wopts)
	if !locked {
		return Hash(id), err
	}
	if err != nil || !changed {
		ix.Rollback()
		return Hash(id), err
	}
	return Hash(id), ix.Commit()
}

// LockedIndex is the index held under index.lock for a run of changes:
// read once when locked, written once by Commit. A builtin that applies a
// patch and writes its tree, as its script did with two git commands,
// ends with the same index while writing it once.
type LockedIndex struct {
	r  *Repo
	ix *index.Index
	// held is the session's index in memory this is a copy of; tookLock
	// says whether taking it took the file's lock.
	held     *heldIndex
	tookLock bool
}

// LockIndex takes index.lock and reads the index.
func (r *Repo) LockIndex() (*LockedIndex, error) {
	opts, err := r.IndexOptions()
	if err != nil {
		return nil, err
	}
	if h := r.heldFor(); h != nil {
		return r.lockHeld(h, opts)
	}
	ix, err := index.OpenLocked(r.indexFile, opts)
	if err != nil {
		return nil, err
	}
	return &LockedIndex{r: r, ix: ix}, nil
}

// Commit writes the index and releases the lock (an index the session
// holds is kept in memory, its file's lock held until Session.Flush).
func (l *LockedIndex) Commit() error {
	if l.held != nil {
		return l.commitHeld()
	}
	return l.ix.Commit()
}

// Index is the locked index, to read and change before Commit.
func (l *LockedIndex) Index() *index.Index { return l.ix }

// Rollback releases the lock without writing.
func (l *LockedIndex) Rollback() {
	if l.held != nil {
		l.rollbackHeld()
		return
	}
	l.ix.Rollback()
}

// Apply is `git apply --index` on the locked index: the patch is checked
// against the index and the work tree (each path it touches must match
// its index entry), then written to the work tree and the index. The
// Result carries git apply's messages and exit status; on failure
// nothing is written.
func (l *LockedIndex) Apply(patch []byte, opts apply.Options) (*apply.Result, error) {
	src := &IndexSource{Repo: l.r, Index: l.ix, Work: apply.Dir{Root: l.r.workTree}}
	opts.Location = apply.IndexAndWorkTree
	res, err := apply.Apply(patch, src, opts)
	if err != nil || opts.Check {
		return res, err
	}
	return res, res.Write(src)
}

// WriteTree is `git write-tree` on the locked index; the filled cache
// tree is kept for Commit.
func (l *LockedIndex) WriteTree() (Hash, error) {
	id, _, err := l.ix.WriteTree(IndexObjects{l.r}, IndexObjects{l.r}, index.WriteTreeOptions{})
	return Hash(id), err
}

// ApplyIndex is `git apply --index` on its own: lock, apply, and write
// the index only when the patch applied.
func (r *Repo) ApplyIndex(patch []byte, opts apply.Options) (*apply.Result, error) {
	l, err := r.LockIndex()
	if err != nil {
		return nil, err
	}
	res, err := l.Apply(patch, opts)
	if err != nil || opts.Check {
		l.Rollback()
		return res, err
	}
	return res, l.Commit()
}

// IndexSource reads preimages from the index and checks the work tree
// against it; as a Sink it writes the work tree and updates the index.
type IndexSource struct {
	Repo  *Repo
	Index *index.Index
	Work  apply.Dir
}

// Stat implements apply.Source. Like git's index_name_pos, it finds
// entries only: a directory of the index is not there.
func (s *IndexSource) Stat(path string) (uint32, bool, error) {
	if e := s.Index.Entry(path, 0); e != nil {
		return e.Mode, true, nil
	}
	return 0, false, nil
}

// ReadFile implements apply.Source; a submodule reads as git's
// "Subproject commit <id>" line.
func (s *IndexSource) ReadFile(path string) ([]byte, error) {
	e := s.Index.Entry(path, 0)
	if e == nil {
		return nil, os.ErrNotExist
	}
	if e.Mode == apply.ModeGitlink {
		return []byte("Subproject commit " + Hash(e.ID).String() + "\n"), nil
	}
	_, data, err := s.Repo.ReadObject(Hash(e.ID))
	return data, err
}

// ReadBlob implements apply.BlobSource.
func (s *IndexSource) ReadBlob(id string) ([]byte, bool) {
	h, err := ParseHash(id)
	if err != nil {
		return nil, false
	}
	typ, data, err := s.Repo.ReadObject(h)
	return data, err == nil && typ == "blob"
}

// WorkTreeStat implements apply.WorkTreeSource.
func (s *IndexSource) WorkTreeStat(path string) (uint32, bool, error) {
	return s.Work.Stat(path)
}

// MatchesIndex implements apply.WorkTreeSource.
func (s *IndexSource) MatchesIndex(path string) (bool, error) {
	e := s.Index.Entry(path, 0)
	if e == nil {
		return false, nil
	}
	return s.Index.MatchesWorkTree(e)
}

// Remove implements apply.Sink for both trees.
func (s *IndexSource) Remove(path string) error {
	if err := s.Work.Remove(path); err != nil {
		return err
	}
	s.Index.RemovePath(path)
	return nil
}

// WriteFile implements apply.Sink as git apply's create_file does: the
// file is written, its content stored as a blob and entered in the index
// with the patch's mode and the new file's stat data. Failures are
// *ApplyWriteError with git's messages.
func (s *IndexSource) WriteFile(path string, content []byte, mode uint32) error {
	if err := WriteWorkTree(s.Work, path, content, mode); err != nil {
		return err
	}
	if mode == apply.ModeGitlink {
		return AddGitlink(s.Index, path, content)
	}
	id, err := s.Repo.WriteObject("blob", content)
	if err != nil {
		return err
	}
	e := &index.Entry{Path: filepath.ToSlash(path), Mode: mode, ID: index.ID(id)}
	if err := s.Index.FillStat(e); err != nil {
		return &ApplyWriteError{Lines: []string{fmt.Sprintf("unable to stat newly created file '%s': %s", path, libc.Strerror(err))}}
	}
	return AddCacheEntry(s.Index, e)
}

// ApplyWriteError is a failure to write an applied patch: the lines git
// apply prints as "error: <line>" before it exits with 128 (the index is
// then not written).
type ApplyWriteError struct {
	Lines []string
}

// Error joins the lines git prints.
func (e *ApplyWriteError) Error() string { return strings.Join(e.Lines, "; ") }

// WriteWorkTree writes a patched file to the work tree as git's
// create_one_file does: a submodule is an (empty) directory.
func WriteWorkTree(work apply.Dir, path string, content []byte, mode uint32) error {
	if mode == apply.ModeGitlink {
		p := filepath.Join(work.Root, filepath.FromSlash(path))
		if info, err := os.Lstat(p); err == nil && info.IsDir() {
			return nil
		}
		if err := os.Mkdir(p, 0o777); err != nil {
			return writeFailed(path, mode, err)
		}
		return nil
	}
	if err := work.WriteFile(path, content, mode); err != nil {
		return writeFailed(path, mode, err)
	}
	return nil
}

// AddGitlink enters a submodule at path from its patched content, the
// "Subproject commit <id>" line, as git's add_index_file does.
func AddGitlink(ix *index.Index, path string, content []byte) error {
	hex, ok := strings.CutPrefix(string(content), "Subproject commit ")
	var id Hash
	var err error
	if ok && len(hex) >= 40 {
		id, err = ParseHash(hex[:40])
	}
	if !ok || len(hex) < 40 || err != nil {
		return &ApplyWriteError{Lines: []string{"corrupt patch for submodule " + path}}
	}
	return AddCacheEntry(ix, &index.Entry{Path: path, Mode: apply.ModeGitlink, ID: index.ID(id)})
}

// writeFailed is git's message for a work tree file it cannot write.
func writeFailed(path string, mode uint32, err error) error {
	return &ApplyWriteError{Lines: []string{fmt.Sprintf("unable to write file '%s' mode %o: %s", path, mode, libc.Strerror(err))}}
}

// AddCacheEntry puts e in the index as git apply's add_index_file does
// (a new path may be added, a clash with a file or directory refused),
// with git's messages on failure.
func AddCacheEntry(ix *index.Index, e *index.Entry) error {
	err := ix.Put(e, true, false)
	if err == nil {
		return nil
	}
	var lines []string
	if text := err.Error(); text != "" {
		// The index package joins the lines git prints with "; ".
		lines = strings.Split(text, "; ")
	}
	return &ApplyWriteError{Lines: append(lines, "unable to add cache entry for "+e.Path)}
}

// MayConvertAny is Repo.MayConvertAny with the locked index in memory
// as the index whose .gitattributes entries count.
func (l *LockedIndex) MayConvertAny() (bool, error) {
	return l.r.mayConvert([]string{""}, l.ix, func(name string) bool {
		return name == ".gitattributes" || strings.HasSuffix(name, "/.gitattributes")
	})
}
