package parity

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// IndexEntry is what the parity runner compares of one index entry: no
// stat data, which differs between any two runs.
type IndexEntry struct {
	Path         string
	Mode         string // octal, as git ls-files -s prints it
	OID          string
	Stage        int
	AssumeValid  bool `json:",omitempty"` // git update-index --assume-unchanged
	SkipWorktree bool `json:",omitempty"`
	IntentToAdd  bool `json:",omitempty"` // git add -N
}

// ResolveUndoEntry is one path of the index's resolve-undo extension (the
// stages a resolved conflict had, so git checkout -m can recreate it).
type ResolveUndoEntry struct {
	Path  string
	Modes [3]string
	OIDs  [3]string
}

// index is a parsed index file.
type index struct {
	entries     []IndexEntry
	resolveUndo []ResolveUndoEntry
	split       bool // a split index: entries live in a shared index too
}

var errShortIndex = errors.New("index truncated")

// Index entry flag bits (see git's Documentation/gitformat-index.txt).
const (
	flagAssumeValid  = 0x8000
	flagExtended     = 0x4000
	flagStageMask    = 0x3000
	extSkipWorktree  = 0x4000
	extIntentToAdd   = 0x2000
	entryFixedLength = 40 // ctime, mtime, dev, ino, mode, uid, gid, size
)

// parseIndex decodes an index file of version 2, 3 or 4 whose object ids
// are hashLen bytes long.
func parseIndex(data []byte, hashLen int) (*index, error) {
	if len(data) < 12+hashLen || string(data[:4]) != "DIRC" {
		return nil, errors.New("not an index file")
	}
	version := binary.BigEndian.Uint32(data[4:8])
	if version < 2 || version > 4 {
		return nil, fmt.Errorf("index version %d not supported", version)
	}
	count := binary.BigEndian.Uint32(data[8:12])
	body := data[:len(data)-hashLen]
	r := &indexReader{data: body, pos: 12, version: version, hashLen: hashLen}
	idx := &index{}
	for i := uint32(0); i < count; i++ {
		e, err := r.entry()
		if err != nil {
			return nil, err
		}
		idx.entries = append(idx.entries, e)
	}
	if err := r.extensions(idx); err != nil {
		return nil, err
	}
	return idx, nil
}

type indexReader struct {
	data     []byte
	pos      int
	version  uint32
	hashLen  int
	lastName string
}

func (r *indexReader) take(n int) ([]byte, error) {
	if n < 0 || r.pos+n > len(r.data) {
		return nil, errShortIndex
	}
	b := r.data[r.pos : r.pos+n]
	r.pos += n
	return b, nil
}

func (r *indexReader) entry() (IndexEntry, error) {
	start := r.pos
	fixed, err := r.take(entryFixedLength + r.hashLen + 2)
	if err != nil {
		return IndexEntry{}, err
	}
	mode := binary.BigEndian.Uint32(fixed[24:28])
	flags := binary.BigEndian.Uint16(fixed[entryFixedLength+r.hashLen:])
	e := IndexEntry{
		Mode:        fmt.Sprintf("%06o", mode),
		OID:         hex.EncodeToString(fixed[entryFixedLength : entryFixedLength+r.hashLen]),
		Stage:       int(flags&flagStageMask) >> 12,
		AssumeValid: flags&flagAssumeValid != 0,
	}
	if flags&flagExtended != 0 {
		ext, err := r.take(2)
		if err != nil {
			return IndexEntry{}, err
		}
		extFlags := binary.BigEndian.Uint16(ext)
		e.SkipWorktree = extFlags&extSkipWorktree != 0
		e.IntentToAdd = extFlags&extIntentToAdd != 0
	}
	// The name length in the flags saturates at 0xfff: the NUL that ends
	// the name is what counts.
	if e.Path, err = r.name(); err != nil {
		return IndexEntry{}, err
	}
	if r.version < 4 {
		// Entries are NUL-padded to a multiple of 8 bytes.
		r.pos = start + ((r.pos - start + 8) &^ 7)
		if r.pos > len(r.data) {
			return IndexEntry{}, errShortIndex
		}
	}
	return e, nil
}

// name reads an entry's path: NUL-terminated, and in version 4 stored as
// "strip N bytes of the previous path, then append this".
func (r *indexReader) name() (string, error) {
	prefix := ""
	if r.version == 4 {
		strip, err := r.varint()
		if err != nil {
			return "", err
		}
		if strip > len(r.lastName) {
			return "", errors.New("index: bad path compression")
		}
		prefix = r.lastName[:len(r.lastName)-strip]
	}
	end := bytes.IndexByte(r.data[r.pos:], 0)
	if end < 0 {
		return "", errShortIndex
	}
	name := prefix + string(r.data[r.pos:r.pos+end])
	r.pos += end
	if r.version == 4 {
		r.pos++ // the NUL; version 4 has no padding
	}
	r.lastName = name
	return name, nil
}

// varint decodes git's offset varint (each continuation adds one, so that
// every number has exactly one encoding).
func (r *indexReader) varint() (int, error) {
	b, err := r.take(1)
	if err != nil {
		return 0, err
	}
	val := int(b[0] & 0x7f)
	for b[0]&0x80 != 0 {
		if b, err = r.take(1); err != nil {
			return 0, err
		}
		val = ((val + 1) << 7) | int(b[0]&0x7f)
	}
	return val, nil
}

// extensions reads the extensions that matter for parity: resolve-undo,
// and the split-index link (whose presence changes what entries mean).
// Cache-tree, untracked-cache and offset tables are caches: two correct
// implementations may leave them differently.
func (r *indexReader) extensions(idx *index) error {
	for r.pos+8 <= len(r.data) {
		sig := string(r.data[r.pos : r.pos+4])
		size := int(binary.BigEndian.Uint32(r.data[r.pos+4 : r.pos+8]))
		r.pos += 8
		payload, err := r.take(size)
		if err != nil {
			return err
		}
		switch sig {
		case "REUC":
			entries, err := parseResolveUndo(payload, r.hashLen)
			if err != nil {
				return err
			}
			idx.resolveUndo = entries
		case "link":
			idx.split = true
		}
	}
	return nil
}

func parseResolveUndo(data []byte, hashLen int) ([]ResolveUndoEntry, error) {
	var out []ResolveUndoEntry
	fields := func() (string, error) {
		end := bytes.IndexByte(data, 0)
		if end < 0 {
			return "", errors.New("index: truncated resolve-undo extension")
		}
		s := string(data[:end])
		data = data[end+1:]
		return s, nil
	}
	for len(data) > 0 {
		var e ResolveUndoEntry
		var err error
		if e.Path, err = fields(); err != nil {
			return nil, err
		}
		for i := range e.Modes {
			if e.Modes[i], err = fields(); err != nil {
				return nil, err
			}
		}
		for i, m := range e.Modes {
			if strings.Trim(m, "0") == "" {
				continue
			}
			if len(data) < hashLen {
				return nil, errors.New("index: truncated resolve-undo extension")
			}
			e.OIDs[i] = hex.EncodeToString(data[:hashLen])
			data = data[hashLen:]
		}
		out = append(out, e)
	}
	return out, nil
}

// flags renders the entry's flags for diffs, after the path.
func (e IndexEntry) flags() string {
	var fs []string
	if e.AssumeValid {
		fs = append(fs, "assume-unchanged")
	}
	if e.SkipWorktree {
		fs = append(fs, "skip-worktree")
	}
	if e.IntentToAdd {
		fs = append(fs, "intent-to-add")
	}
	if len(fs) == 0 {
		return ""
	}
	return " (" + strings.Join(fs, ", ") + ")"
}
