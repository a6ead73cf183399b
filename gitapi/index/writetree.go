package index

import (
	"fmt"
	"strconv"
	"strings"
)

// WriteTreeOptions are the flags of "git write-tree".
type WriteTreeOptions struct {
	// MissingOK is --missing-ok: entries may name objects that do not
	// exist.
	MissingOK bool
	// Prefix is --prefix=<dir>/: the id of that subdirectory's tree is
	// returned instead of the root's.
	Prefix string
}

// WriteTreeError is a failed write-tree. Messages are the lines git
// prints to stderr first ("<path>: unmerged (<id>)", "error: invalid
// object ..."); Fatal is git's "fatal: <Fatal>" line (exit 128).
type WriteTreeError struct {
	Messages []string
	Fatal    string
}

// Error is what git prints to stderr, lines joined by newlines.
func (e *WriteTreeError) Error() string {
	return strings.Join(append(append([]string{}, e.Messages...), "fatal: "+e.Fatal), "\n")
}

// WriteTree is "git write-tree": it writes the tree objects for the
// stage 0 entries through objects and returns the root tree id (or the
// Prefix directory's). As in git, directories whose cache-tree entry is
// still valid are reused without rewriting, and the cache tree is filled
// in; the caller then commits the index when the second result is true
// (git writes it back after a successful write-tree that had to build
// trees). checker may be nil to skip existence checks.
//
//	ix, _ := index.OpenLocked(indexPath, opts)
//	defer ix.Rollback()
//	id, changed, err := ix.WriteTree(repo, repo, index.WriteTreeOptions{})
//	if err == nil && changed { err = ix.Commit() }
func (ix *Index) WriteTree(objects ObjectWriter, checker ObjectChecker, opts WriteTreeOptions) (ID, bool, error) {
	changed := false
	if ix.CacheTree == nil || !ix.CacheTree.fullyValid() {
		if err := ix.verifyMerged(); err != nil {
			return ID{}, false, err
		}
		if ix.CacheTree == nil {
			ix.CacheTree = &CacheTree{EntryCount: -1}
		}
		b := &treeBuilder{objects: objects, checker: checker, missingOK: opts.MissingOK}
		if _, err := b.update(ix.CacheTree, ix.Entries, ""); err != nil {
			return ID{}, false, &WriteTreeError{Messages: b.messages, Fatal: "git-write-tree: error building trees"}
		}
		changed = true
	}
	t := ix.CacheTree
	if opts.Prefix != "" {
		t = ix.CacheTree.find(opts.Prefix)
		if t == nil {
			// git writes the index back only when write-tree succeeds.
			return ID{}, false, &WriteTreeError{Fatal: fmt.Sprintf("git-write-tree: prefix %s not found", opts.Prefix)}
		}
	}
	return t.ID, changed, nil
}

func (t *CacheTree) fullyValid() bool {
	if t.EntryCount < 0 {
		return false
	}
	for _, s := range t.Subtrees {
		if !s.fullyValid() {
			return false
		}
	}
	return true
}

// find looks a directory up the way git's cache_tree_find does, runs of
// slashes separating components.
func (t *CacheTree) find(path string) *CacheTree {
	for path != "" && t != nil {
		name, rest, _ := strings.Cut(path, "/")
		t = t.subtree(name, false)
		path = strings.TrimLeft(rest, "/")
	}
	return t
}

// verifyMerged refuses conflicted indexes and a path recorded both as a
// file and as a directory, with git's messages (at most ten, then "...").
func (ix *Index) verifyMerged() error {
	var msgs []string
	add := func(s string) bool {
		if len(msgs) == 10 {
			msgs = append(msgs, "...")
			return false
		}
		msgs = append(msgs, s)
		return true
	}
	for _, e := range ix.Entries {
		if e.Stage > 0 && !add(fmt.Sprintf("%s: unmerged (%x)", e.Path, e.ID)) {
			break
		}
	}
	if msgs == nil {
		for i := 0; i+1 < len(ix.Entries); i++ {
			a, b := ix.Entries[i].Path, ix.Entries[i+1].Path
			if len(a) < len(b) && b[len(a)] == '/' && strings.HasPrefix(b, a) &&
				!add(fmt.Sprintf("You have both %s and %s", a, b)) {
				break
			}
		}
	}
	if msgs != nil {
		return &WriteTreeError{Messages: msgs, Fatal: "git-write-tree: error building trees"}
	}
	return nil
}

type treeBuilder struct {
	objects   ObjectWriter
	checker   ObjectChecker
	missingOK bool
	messages  []string
	// repair is git's WRITE_TREE_REPAIR: no tree is written; a node
	// becomes valid only when its tree already exists.
	repair bool
}

func (b *treeBuilder) has(id ID) bool {
	return b.checker == nil || b.checker.HasObject(id)
}

var emptyTree = HashObject("tree", nil)

// update is git's update_one: it brings the cache tree node t for the
// directory base up to date from entries (which start with base's
// entries) and returns how many entries belong to base.
func (b *treeBuilder) update(t *CacheTree, entries []*Entry, base string) (int, error) {
	if t.EntryCount >= 0 && b.has(t.ID) {
		return t.EntryCount, nil
	}
	counts, err := b.updateSubtrees(t, entries, base)
	if err != nil {
		return 0, err
	}
	var buf []byte
	invalid := false
	i := 0
	for i < len(entries) {
		e := entries[i]
		if len(e.Path) <= len(base) || !strings.HasPrefix(e.Path, base) {
			break
		}
		name, _, isDir := strings.Cut(e.Path[len(base):], "/")
		var id ID
		var mode uint32
		containsITA := false
		if isDir {
			sub := t.subtree(name, false)
			i += counts[sub]
			id, mode = sub.ID, ModeTree
			containsITA = sub.EntryCount < 0
			invalid = invalid || containsITA
		} else {
			id, mode = e.ID, e.Mode
			i++
		}
		missingOK := mode == ModeGitlink || b.missingOK
		if id == (ID{}) || (!missingOK && !b.has(id)) {
			if !containsITA {
				b.messages = append(b.messages, fmt.Sprintf("error: invalid object %06o %x for '%s'", mode, id, base+name))
			}
			return 0, fmt.Errorf("invalid object")
		}
		if !isDir && e.IntentToAdd {
			invalid = true
			continue
		}
		if containsITA && id == emptyTree {
			continue
		}
		buf = strconv.AppendUint(buf, uint64(mode), 8)
		buf = append(buf, ' ')
		buf = append(buf, name...)
		buf = append(buf, 0)
		buf = append(buf, id[:]...)
	}
	if b.repair {
		id := HashObject("tree", buf)
		if !b.has(id) {
			t.EntryCount = -1
			return i, nil
		}
		t.ID = id
	} else if t.ID, err = b.objects.WriteObject("tree", buf); err != nil {
		b.messages = append(b.messages, "error: "+err.Error())
		return 0, err
	}
	t.EntryCount = i
	if invalid {
		t.EntryCount = -1
	}
	return i, nil
}

// updateSubtrees updates the node of every directory directly under
// base, drops nodes for directories that no longer exist, and returns
// each node's entry count.
func (b *treeBuilder) updateSubtrees(t *CacheTree, entries []*Entry, base string) (map[*CacheTree]int, error) {
	counts := map[*CacheTree]int{}
	i := 0
	for i < len(entries) {
		p := entries[i].Path
		if len(p) <= len(base) || !strings.HasPrefix(p, base) {
			break
		}
		name, _, isDir := strings.Cut(p[len(base):], "/")
		if !isDir {
			i++
			continue
		}
		sub := t.subtree(name, true)
		n, err := b.update(sub, entries[i:], base+name+"/")
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("index cache-tree records empty sub-tree")
		}
		i += n
		counts[sub] = n
	}
	kept := t.Subtrees[:0]
	for _, s := range t.Subtrees {
		if _, used := counts[s]; used {
			kept = append(kept, s)
		}
	}
	t.Subtrees = kept
	return counts, nil
}

// RepairCacheTree is git's cache_tree_update with WRITE_TREE_REPAIR and
// WRITE_TREE_SILENT, which unpack-trees runs on the index it built: the
// trees of the directories are computed, not written, and a directory's
// node becomes valid where its tree already exists (checker says so);
// one that does not exist leaves it, and the directories above it,
// invalid. Nothing is reported.
func (ix *Index) RepairCacheTree(checker ObjectChecker) {
	if ix.CacheTree == nil {
		ix.CacheTree = &CacheTree{EntryCount: -1}
	}
	if ix.CacheTree.fullyValid() || ix.verifyMerged() != nil {
		return
	}
	b := &treeBuilder{checker: checker, repair: true}
	// A failure leaves the nodes above the failing one invalid, as in git.
	_, _ = b.update(ix.CacheTree, ix.Entries, "")
	ix.modified = true
}
