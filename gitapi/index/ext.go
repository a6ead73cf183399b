package index

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strconv"
	"strings"
)

// CacheTree is one directory of the TREE extension: the tree id git last
// wrote for the directory, valid only while EntryCount >= 0. EntryCount
// is the number of index entries under the directory; -1 means the
// directory changed since and its id must be recomputed.
type CacheTree struct {
	// Name is the directory's last path component ("" for the root).
	Name       string
	EntryCount int
	ID         ID
	// Subtrees are kept in git's cache-tree order: shorter names first,
	// then bytewise. That is the order git writes them in.
	Subtrees []*CacheTree
}

// Valid reports whether the tree id is up to date.
func (t *CacheTree) Valid() bool { return t.EntryCount >= 0 }

func subtreeLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// subtree returns the child named name, creating it when create is set.
func (t *CacheTree) subtree(name string, create bool) *CacheTree {
	i := sort.Search(len(t.Subtrees), func(i int) bool {
		return !subtreeLess(t.Subtrees[i].Name, name)
	})
	if i < len(t.Subtrees) && t.Subtrees[i].Name == name {
		return t.Subtrees[i]
	}
	if !create {
		return nil
	}
	child := &CacheTree{Name: name, EntryCount: -1}
	t.Subtrees = append(t.Subtrees, nil)
	copy(t.Subtrees[i+1:], t.Subtrees[i:])
	t.Subtrees[i] = child
	return child
}

func (t *CacheTree) removeSubtree(name string) {
	for i, s := range t.Subtrees {
		if s.Name == name {
			t.Subtrees = append(t.Subtrees[:i], t.Subtrees[i+1:]...)
			return
		}
	}
}

// Invalidate marks every directory on the way to path as changed, and
// drops the subtree named by path itself if there is one, as git does
// for each path it adds, removes or replaces.
func (t *CacheTree) Invalidate(path string) {
	for t != nil {
		t.EntryCount = -1
		name, rest, more := strings.Cut(path, "/")
		if !more {
			t.removeSubtree(name)
			return
		}
		t = t.subtree(name, false)
		path = rest
	}
}

// Lookup returns the cache tree node for a directory ("" for the root,
// "a/b" without a trailing slash), or nil.
func (t *CacheTree) Lookup(dir string) *CacheTree {
	for dir != "" && t != nil {
		name, rest, _ := strings.Cut(dir, "/")
		t = t.subtree(name, false)
		dir = rest
	}
	return t
}

// parseCacheTree reads a TREE extension. Like git, a malformed extension
// is not an error: the cache tree is discarded and rebuilt later.
func parseCacheTree(data []byte) (*CacheTree, error) {
	if len(data) == 0 || data[0] != 0 {
		return nil, nil
	}
	t, _, ok := parseCacheTreeNode(data)
	if !ok {
		return nil, nil
	}
	return t, nil
}

func parseCacheTreeNode(buf []byte) (*CacheTree, []byte, bool) {
	nul := bytes.IndexByte(buf, 0)
	if nul < 0 {
		return nil, nil, false
	}
	t := &CacheTree{Name: string(buf[:nul])}
	buf = buf[nul+1:]
	count, buf, ok := parseDecimal(buf, ' ')
	if !ok {
		return nil, nil, false
	}
	subtrees, buf, ok := parseDecimal(buf, '\n')
	if !ok || subtrees < 0 {
		return nil, nil, false
	}
	t.EntryCount = count
	if count >= 0 {
		if len(buf) < len(t.ID) {
			return nil, nil, false
		}
		copy(t.ID[:], buf)
		buf = buf[len(t.ID):]
	}
	for i := 0; i < subtrees; i++ {
		var child *CacheTree
		child, buf, ok = parseCacheTreeNode(buf)
		if !ok {
			return nil, nil, false
		}
		*t.subtree(child.Name, true) = *child
	}
	return t, buf, true
}

func parseDecimal(buf []byte, term byte) (int, []byte, bool) {
	end := bytes.IndexByte(buf, term)
	if end < 0 {
		return 0, nil, false
	}
	n, err := strconv.Atoi(string(buf[:end]))
	if err != nil || n < -1 {
		return 0, nil, false
	}
	return n, buf[end+1:], true
}

func (t *CacheTree) encode(dst []byte) []byte {
	dst = append(dst, t.Name...)
	dst = append(dst, 0)
	dst = strconv.AppendInt(dst, int64(t.EntryCount), 10)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(len(t.Subtrees)), 10)
	dst = append(dst, '\n')
	if t.EntryCount >= 0 {
		dst = append(dst, t.ID[:]...)
	}
	for _, s := range t.Subtrees {
		dst = s.encode(dst)
	}
	return dst
}

// parseResolveUndo reads a REUC extension. git reports a malformed one
// and carries on without it; so does this (the data is only a help for
// "checkout -m").
func parseResolveUndo(data []byte) ([]ResolveUndo, error) {
	var out []ResolveUndo
	for len(data) > 0 {
		var r ResolveUndo
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || nul+1 >= len(data) {
			return nil, nil
		}
		r.Path = string(data[:nul])
		data = data[nul+1:]
		for i := range r.Modes {
			nul := bytes.IndexByte(data, 0)
			if nul <= 0 || nul+1 >= len(data) {
				return nil, nil
			}
			m, err := strconv.ParseUint(string(data[:nul]), 8, 32)
			if err != nil {
				return nil, nil
			}
			r.Modes[i] = uint32(m)
			data = data[nul+1:]
		}
		for i, m := range r.Modes {
			if m == 0 {
				continue
			}
			if len(data) < len(r.IDs[i]) {
				return nil, nil
			}
			copy(r.IDs[i][:], data)
			data = data[len(r.IDs[i]):]
		}
		out = insertResolveUndo(out, r)
	}
	if out == nil {
		out = []ResolveUndo{}
	}
	return out, nil
}

// insertResolveUndo adds or replaces r keeping the list sorted by path.
func insertResolveUndo(list []ResolveUndo, r ResolveUndo) []ResolveUndo {
	i := sort.Search(len(list), func(i int) bool { return list[i].Path >= r.Path })
	if i < len(list) && list[i].Path == r.Path {
		list[i] = r
		return list
	}
	list = append(list, ResolveUndo{})
	copy(list[i+1:], list[i:])
	list[i] = r
	return list
}

func encodeResolveUndo(dst []byte, list []ResolveUndo) []byte {
	for _, r := range list {
		dst = append(dst, r.Path...)
		dst = append(dst, 0)
		for _, m := range r.Modes {
			dst = strconv.AppendUint(dst, uint64(m), 8)
			dst = append(dst, 0)
		}
		for i, m := range r.Modes {
			if m != 0 {
				dst = append(dst, r.IDs[i][:]...)
			}
		}
	}
	return dst
}

func appendExtension(dst []byte, sig string, data []byte) []byte {
	dst = append(dst, sig...)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	return append(dst, data...)
}
