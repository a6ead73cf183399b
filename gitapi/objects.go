package gitapi

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// Object types as git names them.
const (
	TypeCommit = "commit"
	TypeTree   = "tree"
	TypeBlob   = "blob"
	TypeTag    = "tag"
)

// ErrObjectNotFound is returned when an object is in no loose file and no
// pack.
var ErrObjectNotFound = errors.New("object not found")

// objectStore reads objects from one objects directory and its
// alternates. Loose objects are ours; packs are decoded by go-git. Pack
// indexes are opened once and kept.
type objectStore struct {
	dirs []string // the objects directory, then its alternates

	mu     sync.Mutex
	packs  map[string]*pack // by .pack path
	loaded bool

	// present remembers objects known to exist, as git's loose object
	// cache does: write-tree asks for every entry of each tree it
	// rebuilds. Objects are never deleted while kiln runs, so a
	// remembered answer stays true.
	presentMu sync.Mutex
	present   map[Hash]bool
}

// pack is an opened packfile with its index.
type pack struct {
	idx *idxfile.MemoryIndex
	// mu serializes reads: go-git's Packfile seeks one shared file.
	mu   sync.Mutex
	file *packfile.Packfile
	// loose marks a pack a session wrote for objects git writes loose
	// (Session.PackObjects): autoAbbrev does not count it.
	loose bool
}

// newObjectStore prepares a store for dir; nothing is read until needed.
func newObjectStore(dir string) *objectStore {
	return &objectStore{dirs: append([]string{dir}, alternates(dir, 0)...), packs: map[string]*pack{}}
}

// alternates lists the directories named by dir/info/alternates,
// recursively (git allows five levels).
func alternates(dir string, depth int) []string {
	data, err := os.ReadFile(filepath.Join(dir, "info", "alternates"))
	if err != nil || depth > 5 {
		return nil
	}
	var dirs []string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		alt := AbsFrom(dir, line)
		dirs = append(dirs, alt)
		dirs = append(dirs, alternates(alt, depth+1)...)
	}
	return dirs
}

// inOpenPacks returns the pack, among those already open, that holds h.
func (s *objectStore) inOpenPacks(h Hash) *pack {
	packs, err := s.openPacks(false)
	if err != nil {
		return nil
	}
	for _, p := range packs {
		if ok, _ := p.idx.Contains(plumbing.Hash(h)); ok {
			return p
		}
	}
	return nil
}

// read returns an object's type and content. Like git, it looks in the
// packs first, then for a loose object, then in packs written since.
func (s *objectStore) read(h Hash) (string, []byte, error) {
	if o, ok := lookupBuffered(s.dirs, h); ok {
		return o.typ, append([]byte(nil), o.data...), nil
	}
	if p := s.inOpenPacks(h); p != nil {
		return p.object(h)
	}
	for _, dir := range s.dirs {
		typ, data, err := readLoose(looseObjectPath(dir, h))
		if err == nil {
			return typ, data, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", nil, err
		}
	}
	for attempt := 0; attempt < 2; attempt++ {
		// A miss rescans the pack directories once: the object may be
		// in a pack written since they were first listed.
		packs, err := s.openPacks(attempt > 0)
		if err != nil {
			return "", nil, err
		}
		for _, p := range packs {
			if ok, _ := p.idx.Contains(plumbing.Hash(h)); ok {
				return p.object(h)
			}
		}
	}
	return "", nil, &ObjectNotFoundError{ID: h}
}

// hasForWrite is what git looks at before writing an object
// (freshen_packed_object, freshen_loose_object): the packs already
// listed and the loose file, without listing the pack directories
// again; an object only in a pack written meanwhile is written loose
// once more, as git does.
func (s *objectStore) hasForWrite(h Hash) bool {
	if s.known(h) {
		return true
	}
	if _, ok := lookupBuffered(s.dirs, h); ok {
		return true
	}
	if s.inOpenPacks(h) != nil {
		s.remember(h)
		return true
	}
	for _, dir := range s.dirs {
		if _, err := os.Stat(looseObjectPath(dir, h)); err == nil {
			s.remember(h)
			return true
		}
	}
	return false
}

// has reports whether the object exists. Like git's has_object_file it
// inflates nothing: a loose file is looked for, then the pack indexes.
func (s *objectStore) has(h Hash) bool {
	if s.hasForWrite(h) {
		return true
	}
	// Then the pack directories, listed again (a pack written since).
	for attempt := 0; attempt < 2; attempt++ {
		packs, err := s.openPacks(attempt > 0)
		if err != nil {
			return false
		}
		for _, p := range packs {
			if ok, _ := p.idx.Contains(plumbing.Hash(h)); ok {
				s.remember(h)
				return true
			}
		}
	}
	return false
}

// known reports whether h is remembered as present.
func (s *objectStore) known(h Hash) bool {
	s.presentMu.Lock()
	defer s.presentMu.Unlock()
	return s.present[h]
}

// remember records that h exists (found, or just written).
func (s *objectStore) remember(h Hash) {
	s.presentMu.Lock()
	defer s.presentMu.Unlock()
	if s.present == nil {
		s.present = map[Hash]bool{}
	}
	s.present[h] = true
}

// object reads h out of the pack.
func (p *pack) object(h Hash) (string, []byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	obj, err := p.file.Get(plumbing.Hash(h))
	if err != nil {
		return "", nil, err
	}
	rd, err := obj.Reader()
	if err != nil {
		return "", nil, err
	}
	defer rd.Close()
	data, err := io.ReadAll(rd)
	return obj.Type().String(), data, err
}

// looseObjectPath is where dir keeps h as a loose object.
func looseObjectPath(dir string, h Hash) string {
	hex := h.String()
	return filepath.Join(dir, hex[:2], hex[2:])
}

// readLoose inflates a loose object and splits off its "type size\0"
// header.
func readLoose(path string) (string, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(f)
	if err != nil {
		return "", nil, fmt.Errorf("corrupt loose object %s: %v", path, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return "", nil, fmt.Errorf("corrupt loose object %s: %v", path, err)
	}
	header, data, ok := bytes.Cut(raw, []byte{0})
	typ, size, ok2 := strings.Cut(string(header), " ")
	n, err := strconv.Atoi(size)
	if !ok || !ok2 || err != nil || n != len(data) {
		return "", nil, fmt.Errorf("corrupt loose object %s", path)
	}
	return typ, data, nil
}

// openPacks opens every pack not yet open (all of them are listed again
// when rescan is set) and returns them in a stable order.
func (s *objectStore) openPacks(rescan bool) ([]*pack, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded || rescan {
		for _, dir := range s.dirs {
			if err := s.openPackDir(filepath.Join(dir, "pack")); err != nil {
				return nil, err
			}
		}
		s.loaded = true
	}
	names := make([]string, 0, len(s.packs))
	for name := range s.packs {
		names = append(names, name)
	}
	sort.Strings(names)
	packs := make([]*pack, len(names))
	for i, name := range names {
		packs[i] = s.packs[name]
	}
	return packs, nil
}

// openPackDir opens the packs of one pack directory that are not open.
func (s *objectStore) openPackDir(dir string) error {
	idxs, _ := filepath.Glob(filepath.Join(dir, "pack-*.idx"))
	for _, idxPath := range idxs {
		packPath := strings.TrimSuffix(idxPath, ".idx") + ".pack"
		if _, ok := s.packs[packPath]; ok {
			continue
		}
		p, err := openPack(idxPath, packPath)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		s.packs[packPath] = p
	}
	return nil
}

// openPack decodes a pack index and opens its pack with go-git.
func openPack(idxPath, packPath string) (*pack, error) {
	data, err := os.ReadFile(idxPath)
	if err != nil {
		return nil, err
	}
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
		return nil, fmt.Errorf("%s: %v", idxPath, err)
	}
	fs := osfs.New(filepath.Dir(packPath))
	f, err := fs.Open(filepath.Base(packPath))
	if err != nil {
		return nil, err
	}
	_, loose := loosePacks.Load(packPath)
	return &pack{idx: idx, file: packfile.NewPackfile(idx, nil, f, 0), loose: loose}, nil
}

// withPrefix returns the ids of every object whose hex id starts with
// prefix (lower-case hex), sorted.
func (s *objectStore) withPrefix(prefix string) ([]Hash, error) {
	found := map[Hash]bool{}
	for _, dir := range s.dirs {
		names, _ := os.ReadDir(filepath.Join(dir, prefix[:2]))
		for _, n := range names {
			full := prefix[:2] + n.Name()
			if h, err := ParseHash(full); err == nil && strings.HasPrefix(full, prefix) {
				found[h] = true
			}
		}
	}
	bufferedWithPrefix(s.dirs, prefix, found)
	packs, err := s.openPacks(false)
	if err != nil {
		return nil, err
	}
	for _, p := range packs {
		if err := p.collectPrefix(prefix, found); err != nil {
			return nil, err
		}
	}
	ids := make([]Hash, 0, len(found))
	for h := range found {
		ids = append(ids, h)
	}
	sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	return ids, nil
}

// collectPrefix adds the pack's ids starting with prefix to found.
func (p *pack) collectPrefix(prefix string, found map[Hash]bool) error {
	iter, err := p.idx.Entries()
	if err != nil {
		return err
	}
	defer iter.Close()
	for {
		e, err := iter.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Hash.String(), prefix) {
			found[Hash(e.Hash)] = true
		}
	}
}

// ReadObject returns an object's type ("commit", "tree", "blob", "tag")
// and content.
func (r *Repo) ReadObject(h Hash) (typ string, data []byte, err error) {
	return r.shared.objects.read(h)
}

// HasObject reports whether the object exists in the repository.
func (r *Repo) HasObject(h Hash) bool { return r.shared.objects.has(h) }

// PeelTo follows commits to their tree and tags to what they tag until an
// object of type want is reached, as `git cat-file <type>` does.
func (r *Repo) PeelTo(id Hash, typ string, data []byte, want string) ([]byte, error) {
	for typ != want {
		var next Hash
		switch typ {
		case "commit":
			c, err := parseCommit(data)
			if err != nil {
				return nil, err
			}
			next = c.Tree
		case "tag":
			line, _, _ := bytes.Cut(data, []byte("\n"))
			h, err := ParseHash(strings.TrimPrefix(string(line), "object "))
			if err != nil {
				return nil, err
			}
			next = h
		default:
			return nil, fmt.Errorf("%s is not a %s", id, want)
		}
		var err error
		id = next
		if typ, data, err = r.ReadObject(id); err != nil {
			return nil, err
		}
	}
	return data, nil
}
