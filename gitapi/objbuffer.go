package gitapi

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// packMinObjects is the fewest objects a flush stores as a pack; fewer
// are written loose, as git keeps fewer than transfer.unpackLimit's
// default of 100 objects it receives: a run that flushes often (a
// filter that starts a program per commit) leaves loose objects, as the
// script does, rather than a pack per commit.
const packMinObjects = 100

// maxBuffered is how many bytes of object content a session keeps in
// memory for one objects directory before it stores them as a pack
// without waiting for a flush.
const maxBuffered = 64 << 20

// objectBuffer holds the objects a session wrote to one objects
// directory (Session.PackObjects) until they are stored as one pack.
// Every reader of the process sees them (objectStore.read, has, the
// prefix lookups), so within the process they are stored objects.
type objectBuffer struct {
	dir   string // the objects directory, cleaned
	level int    // zlib level (core.looseCompression, as loose objects)

	mu   sync.Mutex
	ids  map[Hash]int // position in list
	list []packObject
	size int
}

var (
	// buffersMu guards buffers, the object buffers of the process by
	// objects directory; buffered counts them, so readers skip the
	// lookup when no session buffers anything.
	buffersMu sync.RWMutex
	buffers   = map[string]*objectBuffer{}
	buffered  atomic.Int32

	// loosePacks are the packs sessions wrote for objects git writes
	// loose (by .pack path): git's approximate object count, which
	// decides the automatic abbreviation length, counts packed objects
	// only, so within the process these are not counted.
	loosePacks sync.Map
)

// lookupBuffered finds h in the buffer of one of dirs.
func lookupBuffered(dirs []string, h Hash) (packObject, bool) {
	var o packObject
	found := false
	eachBuffer(dirs, func(b *objectBuffer) bool {
		var i int
		if i, found = b.ids[h]; found {
			o = b.list[i]
		}
		return !found
	})
	return o, found
}

// bufferedWithPrefix adds the buffered ids of dirs starting with the
// hex prefix to found.
func bufferedWithPrefix(dirs []string, prefix string, found map[Hash]bool) {
	eachBuffer(dirs, func(b *objectBuffer) bool {
		for h := range b.ids {
			if strings.HasPrefix(h.String(), prefix) {
				found[h] = true
			}
		}
		return true
	})
}

// eachBuffer calls visit with each buffer of dirs, locked, in the order
// of dirs, until visit returns false.
func eachBuffer(dirs []string, visit func(*objectBuffer) bool) {
	if buffered.Load() == 0 {
		return
	}
	buffersMu.RLock()
	defer buffersMu.RUnlock()
	for _, dir := range dirs {
		b := buffers[filepath.Clean(dir)]
		if b == nil {
			continue
		}
		b.mu.Lock()
		more := visit(b)
		b.mu.Unlock()
		if !more {
			return
		}
	}
}

// PackObjects makes the session keep the objects its repositories write
// in memory, instead of writing each as a loose file, and store them as
// one pack per objects directory when it flushes (loose, when fewer than
// 100 wait): before a ref is
// updated, before anything outside the process may read the repository
// (Flush, Invalidate, ReleaseIndexes, FlushFor a path in the objects
// directory), when Discard ends it, and when a directory's buffer grows
// past 64 MiB. Object ids, and what the repository holds once flushed,
// are the same; only the storage differs (a pack, as `git fast-import`
// writes one, instead of loose files).
func (s *Session) PackObjects() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.packObjects = true
}

// bufferObject keeps an object r writes in the session's buffer for r's
// objects directory, when the session packs objects; it reports whether
// it did.
func (s *Session) bufferObject(r *Repo, id Hash, typ string, data []byte, level int) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.packObjects {
		return false, nil
	}
	dir := filepath.Clean(r.objectDir())
	b := s.buffers[dir]
	if b == nil {
		buffersMu.Lock()
		if buffers[dir] != nil {
			// Another session of the process buffers this directory:
			// this one writes loose objects.
			buffersMu.Unlock()
			return false, nil
		}
		b = &objectBuffer{dir: dir, level: level, ids: map[Hash]int{}}
		buffers[dir] = b
		buffered.Add(1)
		buffersMu.Unlock()
		if s.buffers == nil {
			s.buffers = map[string]*objectBuffer{}
		}
		s.buffers[dir] = b
	}
	b.mu.Lock()
	if _, ok := b.ids[id]; !ok {
		b.ids[id] = len(b.list)
		b.list = append(b.list, packObject{id: id, typ: typ, data: append([]byte(nil), data...)})
		b.size += len(data)
	}
	full := b.size >= maxBuffered
	b.mu.Unlock()
	if full {
		return true, s.flushBufferLocked(dir, b)
	}
	return true, nil
}

// FlushObjects stores the objects the session keeps in memory as packs.
func (s *Session) FlushObjects() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flushObjectsLocked()
}

// flushObjectsLocked stores every buffer; the session's lock is held.
func (s *Session) flushObjectsLocked() error {
	var first error
	for dir, b := range s.buffers {
		if err := s.flushBufferLocked(dir, b); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// flushBufferLocked stores one buffer as a pack, makes the pack known to
// every object store of the process reading that directory, and only
// then drops the buffer, so an object is always found somewhere.
func (s *Session) flushBufferLocked(dir string, b *objectBuffer) error {
	b.mu.Lock()
	list := b.list
	b.mu.Unlock()
	if len(list) > 0 && len(list) < packMinObjects {
		for _, o := range list {
			if err := writeLoose(dir, o.id, o.typ, o.data, b.level); err != nil {
				return err
			}
		}
	} else if len(list) > 0 {
		packPath, idxData, err := writePack(dir, list, b.level)
		if err != nil {
			return err
		}
		loosePacks.Store(packPath, true)
		if err := registerPack(dir, packPath, idxData); err != nil {
			return err
		}
	}
	buffersMu.Lock()
	if buffers[dir] == b {
		delete(buffers, dir)
		buffered.Add(-1)
	}
	buffersMu.Unlock()
	delete(s.buffers, dir)
	return nil
}

// registerPack opens a pack just written to dir and adds it to the open
// packs of every object store of the process that reads dir.
func registerPack(dir, packPath string, idxData []byte) error {
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(bytes.NewReader(idxData)).Decode(idx); err != nil {
		return err
	}
	f, err := osfs.New(filepath.Dir(packPath)).Open(filepath.Base(packPath))
	if err != nil {
		return err
	}
	p := &pack{idx: idx, file: packfile.NewPackfile(idx, nil, f, 0), loose: true}
	cacheMu.Lock()
	defer cacheMu.Unlock()
	for _, st := range cache {
		for _, d := range st.objects.dirs {
			if filepath.Clean(d) == dir {
				st.objects.addPack(packPath, p)
				break
			}
		}
	}
	return nil
}

// addPack adds an opened pack to the store's open packs.
func (s *objectStore) addPack(path string, p *pack) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.packs[path]; !ok {
		s.packs[path] = p
	}
}

// observesObjects reports whether reading path shows the objects
// directory of a buffer (the directory or something under it).
func (s *Session) observesObjects(path string) bool {
	for dir := range s.buffers {
		if path == dir || strings.HasPrefix(path, dir+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
