package gitapi

import (
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// A Session is what one run of a builtin keeps between the git calls it
// serves in-process (Options.Session): the repository opened once per
// working directory and environment, and the indexes it holds in memory
// (HoldIndex), written to their files only when something outside may
// read them.
//
// What a call cannot change stays: discovery (the configuration is
// checked against its files at each open, see Repo.Config). What
// only something outside the session can change (a spawned process, a
// file the shell opens) is dropped by Invalidate, which the session's
// owner calls before such a thing runs; Fallback calls it around the git
// it spawns. Refs and loose objects are read from disk every time, as
// without a session, but whether replace refs are in effect is kept
// until the session updates a ref or is invalidated. With PackObjects, the objects its repositories
// write are kept in memory and stored as one pack at those same points
// (and before a ref update).
type Session struct {
	mu       sync.Mutex
	repos    map[string]*Repo
	held     map[string]*heldIndex
	deferred []deferredFiles
	// packObjects: written objects go to buffers (PackObjects), by
	// objects directory.
	packObjects bool
	buffers     map[string]*objectBuffer
	// replaceActive are ReplaceRefsActive's answers by session key,
	// dropped when a ref changes or the session is invalidated.
	replaceActive map[string]bool
}

// deferredFiles are files the session's owner keeps in memory for
// readers outside it (DeferFiles).
type deferredFiles struct {
	observes func(path string) bool
	write    func() error
}

// DeferFiles registers files the session's owner writes only when
// something outside may read them (a builtin's scratch files, which its
// own steps read from memory): write puts them on disk, and is called
// by Flush and Invalidate, and by FlushFor a path observes says shows
// them (the file, or the directory holding it). write runs with the
// session locked and must not call back into it.
func (s *Session) DeferFiles(observes func(path string) bool, write func() error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deferred = append(s.deferred, deferredFiles{observes, write})
}

// heldIndex is an index file served from memory.
type heldIndex struct {
	ix     *index.Index    // nil until read
	lock   *index.FileLock // held while ix is ahead of the file
	locked bool            // a LockedIndex of the session has it
}

// NewSession starts a session.
func NewSession() *Session {
	return &Session{repos: map[string]*Repo{}, held: map[string]*heldIndex{}}
}

// sessionKey is the part of a call's setting that decides the
// repository Open finds: the directory and the environment, without the
// identity variables a run changes per commit (a Repo reads those when
// it writes, from its own Env).
func sessionKey(opts Options) string {
	pairs := make([]string, 0, len(opts.Env))
	for _, kv := range opts.Env {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GIT_AUTHOR_") || strings.HasPrefix(name, "GIT_COMMITTER_") || name == "GIT_COMMIT" {
			continue
		}
		pairs = append(pairs, kv)
	}
	sort.Strings(pairs)
	return opts.Dir + "\x00" + strings.Join(pairs, "\x00")
}

// open is Open through the session: the repository found for the same
// directory and environment before, with this call's environment.
func (s *Session) open(opts Options) (*Repo, error) {
	key := sessionKey(opts)
	s.mu.Lock()
	r, ok := s.repos[key]
	s.mu.Unlock()
	if !ok {
		var err error
		if r, err = openRepo(opts); err != nil {
			return nil, err
		}
		r.session, r.sessionKey = s, key
		s.mu.Lock()
		s.repos[key] = r
		s.mu.Unlock()
	}
	c := *r
	c.env = NewEnv(opts.Env)
	c.configSeen = &configSeen{}
	return &c, nil
}

// HoldIndex serves the index file path (absolute, as Repo.IndexFile
// names it) from memory for the session's repositories: read once, kept
// in memory by the commands that change it, written by Flush.
func (s *Session) HoldIndex(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.held[path]; !ok {
		s.held[path] = &heldIndex{}
	}
}

// Flush writes every held index that memory is ahead of to its file
// (through the lock it holds, as git writes an index), and keeps serving
// it from memory.
func (s *Session) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flushLocked()
}

func (s *Session) flushLocked() error {
	first := s.flushObjectsLocked()
	if err := s.flushFilesLocked(); err != nil && first == nil {
		first = err
	}
	return first
}

// flushFilesLocked writes the deferred files and the held indexes memory
// is ahead of; the session's lock is held.
func (s *Session) flushFilesLocked() error {
	var first error
	for _, d := range s.deferred {
		if err := d.write(); err != nil && first == nil {
			first = err
		}
	}
	for _, h := range s.held {
		if h.lock == nil {
			continue
		}
		err := h.lock.Write(h.ix)
		h.lock = nil
		if err != nil {
			h.ix = nil
			if first == nil {
				first = err
			}
		}
	}
	return first
}

// Invalidate is for the moment before something outside the session
// runs (a spawned process, a file the shell opens): held indexes are
// written and read again from their files when next used, repositories
// are discovered again and their configuration read again.
func (s *Session) Invalidate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.flushLocked()
	for _, h := range s.held {
		h.ix = nil
	}
	for _, r := range s.repos {
		r.ReloadConfig()
	}
	s.repos = map[string]*Repo{}
	s.replaceActive = nil
	return err
}

// heldFor is the held index of r's index file, or nil.
func (r *Repo) heldFor() *heldIndex {
	if r.session == nil {
		return nil
	}
	r.session.mu.Lock()
	defer r.session.mu.Unlock()
	return r.session.held[r.indexFile]
}

// loadHeld reads a held index from its file when memory has none; the
// session's lock is held.
func (r *Repo) loadHeld(h *heldIndex, opts index.Options) error {
	if h.ix != nil {
		return nil
	}
	ix, err := index.Open(r.indexFile, opts)
	if err != nil {
		return err
	}
	h.ix = ix
	return nil
}

// openHeld is OpenIndex on a held index: a copy of memory's.
func (r *Repo) openHeld(h *heldIndex, opts index.Options) (*index.Index, error) {
	s := r.session
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := r.loadHeld(h, opts); err != nil {
		return nil, err
	}
	ix := h.ix.Clone()
	ix.Options = opts
	return ix, nil
}

// lockHeld is LockIndex on a held index: the file's lock taken if memory
// is not ahead of it already (git's message when another has it), and a
// copy of memory's index to change.
func (r *Repo) lockHeld(h *heldIndex, opts index.Options) (*LockedIndex, error) {
	s := r.session
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.locked {
		// Another command of the session has it locked: what git
		// says when index.lock exists.
		return nil, &index.LockedError{LockPath: r.indexFile + ".lock"}
	}
	took := false
	if h.lock == nil {
		fl, err := index.LockFile(r.indexFile)
		if err != nil {
			return nil, err
		}
		h.lock, took = fl, true
	}
	if err := r.loadHeld(h, opts); err != nil {
		if took {
			h.lock.Release()
			h.lock = nil
		}
		return nil, err
	}
	h.locked = true
	ix := h.ix.Clone()
	ix.Options = opts
	return &LockedIndex{r: r, ix: ix, held: h, tookLock: took}, nil
}

// commitHeld keeps a locked copy as the held index.
func (l *LockedIndex) commitHeld() error {
	s := l.r.session
	s.mu.Lock()
	defer s.mu.Unlock()
	l.held.locked = false
	if l.held.lock == nil {
		// The session wrote the file meanwhile (it flushed for
		// something outside): memory is ahead of it again.
		fl, err := index.LockFile(l.r.indexFile)
		if err != nil {
			return err
		}
		l.held.lock = fl
	}
	l.ix.KeptInMemory(time.Now())
	l.held.ix = l.ix.Clone()
	return nil
}

// rollbackHeld gives up a locked copy: the file's lock goes when this
// lock took it.
func (l *LockedIndex) rollbackHeld() {
	s := l.r.session
	s.mu.Lock()
	defer s.mu.Unlock()
	if !l.held.locked {
		return
	}
	l.held.locked = false
	if l.tookLock && l.held.lock != nil {
		l.held.lock.Release()
		l.held.lock = nil
	}
}

// writeTreeHeld is WriteTreeWith on a held index: the filled-in cache
// tree is kept in memory when the lock can be had, as git writes it back
// when it can take the index lock.
func (r *Repo) writeTreeHeld(h *heldIndex, opts index.Options, wopts index.WriteTreeOptions) (Hash, error) {
	l, err := r.lockHeld(h, opts)
	if err != nil {
		ix, err := r.openHeld(h, opts)
		if err != nil {
			return Hash{}, err
		}
		id, _, err := ix.WriteTree(IndexObjects{r}, IndexObjects{r}, wopts)
		return Hash(id), err
	}
	id, changed, err := l.ix.WriteTree(IndexObjects{r}, IndexObjects{r}, wopts)
	if err != nil || !changed {
		l.Rollback()
		return Hash(id), err
	}
	return Hash(id), l.Commit()
}

// ReleaseIndexes writes the held indexes memory is ahead of and drops
// them from memory, for a command that reads and writes the index file
// itself: they are read again from their files when next used. Objects
// kept in memory stay there: the command is in-process and finds them.
func (s *Session) ReleaseIndexes() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.flushFilesLocked()
	for _, h := range s.held {
		h.ix = nil
	}
	return err
}

// FlushFor flushes when path is a held index file, its lock or their
// directory: what reading that path would show is the file, so it must
// be up to date.
func (s *Session) FlushFor(path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.held) == 0 && len(s.deferred) == 0 && len(s.buffers) == 0 {
		return nil
	}
	path = filepath.Clean(path)
	real := filepath.Join(RealPath(filepath.Dir(path)), filepath.Base(path))
	if s.observesObjects(path) || s.observesObjects(real) {
		return s.flushLocked()
	}
	for _, d := range s.deferred {
		if d.observes(path) || d.observes(real) {
			return s.flushLocked()
		}
	}
	for p := range s.held {
		for _, q := range []string{path, real} {
			if q == p || q == p+".lock" || q == filepath.Dir(p) {
				return s.flushLocked()
			}
		}
	}
	return nil
}

// Discard ends the session for an owner about to remove the files it
// holds and defers: index locks are released without writing, memory
// and deferred files are dropped unwritten. Objects kept in memory are
// stored (FlushObjects): what was written stays written.
func (s *Session) Discard() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushObjectsLocked()
	for _, h := range s.held {
		if h.lock != nil {
			h.lock.Release()
			h.lock = nil
		}
		h.ix = nil
	}
	s.held = map[string]*heldIndex{}
	s.deferred = nil
	s.repos = map[string]*Repo{}
	s.replaceActive = nil
}
