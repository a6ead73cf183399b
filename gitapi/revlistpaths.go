package gitapi

import "strings"

// pathSimplification is the history of a path-limited walk as
// `--simplify-merges` leaves it, for walks whose shown commits have at
// most one parent: which commits change nothing under the paths
// (TREESAME), and what each commit simplifies to.
type pathSimplification struct {
	w          *commitWalker
	treesame   map[*commitNode]bool
	simplified map[*commitNode]*commitNode
}

// simplifyByPaths marks the TREESAME commits among those the walk kept
// and will show: a commit whose tree has the same entries at the paths
// as its parent's, or a root commit with no entry at any of them. A
// merge among them is ErrRevListPathMerge.
func (w *commitWalker) simplifyByPaths(list []*commitNode, paths []string) (*pathSimplification, error) {
	s := &pathSimplification{w: w, treesame: map[*commitNode]bool{}, simplified: map[*commitNode]*commitNode{}}
	trees := map[*commitNode]Hash{}
	treeOf := func(n *commitNode) (Hash, error) {
		if t, ok := trees[n]; ok {
			return t, nil
		}
		c, err := w.repo.ReadCommit(n.id)
		if err != nil {
			return Hash{}, err
		}
		trees[n] = c.Tree
		return c.Tree, nil
	}
	for _, n := range list {
		if w.uninteresting[n] {
			continue
		}
		if len(n.parents) > 1 {
			return nil, ErrRevListPathMerge
		}
		tree, err := treeOf(n)
		if err != nil {
			return nil, err
		}
		var parentTree Hash
		if len(n.parents) == 1 {
			if parentTree, err = treeOf(n.parents[0]); err != nil {
				return nil, err
			}
		}
		same := true
		for _, p := range paths {
			a, okA, err := w.repo.entryAt(tree, p)
			if err != nil {
				return nil, err
			}
			var b TreeEntry
			okB := false
			if len(n.parents) == 1 {
				if b, okB, err = w.repo.entryAt(parentTree, p); err != nil {
					return nil, err
				}
			}
			if okA != okB || (okA && (a.Mode != b.Mode || a.ID != b.ID)) {
				same = false
				break
			}
		}
		s.treesame[n] = same
	}
	return s, nil
}

// simplify is what a commit simplifies to: itself when it is left out
// of the walk (uninteresting), a root, or changes the paths; else what
// its parent simplifies to.
func (s *pathSimplification) simplify(n *commitNode) *commitNode {
	var chain []*commitNode
	for {
		if to, ok := s.simplified[n]; ok {
			n = to
			break
		}
		if s.w.uninteresting[n] || len(n.parents) == 0 || !s.treesame[n] {
			s.simplified[n] = n
			break
		}
		chain = append(chain, n)
		n = n.parents[0]
	}
	for _, c := range chain {
		s.simplified[c] = n
	}
	return n
}

// parentOf is the parent a shown commit lists in place of p: what p
// simplifies to, or nil when that is a root commit the walk does not
// show (one that has nothing at the paths).
func (s *pathSimplification) parentOf(p *commitNode) *commitNode {
	q := s.simplify(p)
	if !s.w.uninteresting[q] && s.treesame[q] {
		return nil
	}
	return q
}

// emptyTree is the id of the tree with no entries.
var emptyTree = HashObject(TypeTree, nil)

// entryAt is the entry at path in tree, and whether there is one.
func (r *Repo) entryAt(tree Hash, path string) (TreeEntry, bool, error) {
	entry := TreeEntry{Mode: "40000", ID: tree}
	for _, part := range strings.Split(path, "/") {
		if entry.Mode != "40000" || entry.ID == emptyTree {
			// git knows the empty tree without storing it.
			return TreeEntry{}, false, nil
		}
		entries, err := r.ReadTree(entry.ID)
		if err != nil {
			return TreeEntry{}, false, err
		}
		found := false
		for _, e := range entries {
			if e.Name == part {
				entry, found = e, true
				break
			}
		}
		if !found {
			return TreeEntry{}, false, nil
		}
	}
	return entry, true, nil
}
