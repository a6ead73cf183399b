package gitapi

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// MkTreeEntry is one entry of a tree to write.
type MkTreeEntry struct {
	Mode uint32
	Name string // one path component
	ID   Hash
}

// MakeTree writes a tree object holding entries, sorted as git sorts a
// tree's entries (a directory as if its name ended in "/"); the entries
// are not checked.
func (r *Repo) MakeTree(entries []MkTreeEntry) (Hash, error) {
	sorted := append([]MkTreeEntry(nil), entries...)
	sort.SliceStable(sorted, func(i, j int) bool { return compareTreeNames(sorted[i], sorted[j]) < 0 })
	var buf bytes.Buffer
	for _, e := range sorted {
		fmt.Fprintf(&buf, "%o %s\x00", e.Mode, e.Name)
		buf.Write(e.ID[:])
	}
	return r.WriteObject(TypeTree, buf.Bytes())
}

// compareTreeNames orders tree entries as git's base_name_compare.
func compareTreeNames(a, b MkTreeEntry) int {
	n := min(len(a.Name), len(b.Name))
	if c := strings.Compare(a.Name[:n], b.Name[:n]); c != 0 {
		return c
	}
	next := func(e MkTreeEntry) byte {
		if len(e.Name) > n {
			return e.Name[n]
		}
		if e.Mode&ModeTypeMask == modeDir {
			return '/'
		}
		return 0
	}
	ca, cb := next(a), next(b)
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}
