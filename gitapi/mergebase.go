package gitapi

import (
	"container/heap"
)

// Paint marks of a merge-base walk, as git's commit-reach code uses
// them: reachable from the first side, from the other side, below a
// common ancestor already found, already a result.
const (
	paintOne uint8 = 1 << iota
	paintTwo
	paintStale
	paintResult
)

// commitNode is a commit as the merge-base walks see it.
type commitNode struct {
	id      Hash
	date    int64
	parents []*commitNode
	parsed  bool
}

// commitWalker reads commits once for the walks of one question; each
// walk paints its own marks.
type commitWalker struct {
	repo  *Repo
	nodes map[Hash]*commitNode
}

func newCommitWalker(r *Repo) *commitWalker {
	return &commitWalker{repo: r, nodes: map[Hash]*commitNode{}}
}

// node returns the commit with its date and parents read.
func (w *commitWalker) node(id Hash) (*commitNode, error) {
	n := w.nodes[id]
	if n == nil {
		n = &commitNode{id: id}
		w.nodes[id] = n
	}
	if n.parsed {
		return n, nil
	}
	typ, data, err := w.repo.ReadObject(id)
	if err != nil {
		return nil, err
	}
	if typ != TypeCommit {
		return nil, &peelError{id: id, typ: typ, want: TypeCommit}
	}
	c, err := parseCommit(data)
	if err != nil {
		return nil, err
	}
	n.date = commitTime(data)
	for _, p := range c.Parents {
		pn := w.nodes[p]
		if pn == nil {
			pn = &commitNode{id: p}
			w.nodes[p] = pn
		}
		n.parents = append(n.parents, pn)
	}
	n.parsed = true
	return n, nil
}

// dateQueue is git's commit priority queue: newest committer date
// first, and among equal dates the one queued first.
type dateQueue struct {
	items []queuedCommit
	count int
}

type queuedCommit struct {
	node *commitNode
	seq  int
}

func (q *dateQueue) Len() int { return len(q.items) }
func (q *dateQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.node.date != b.node.date {
		return a.node.date > b.node.date
	}
	return a.seq < b.seq
}
func (q *dateQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *dateQueue) Push(x any)    { q.items = append(q.items, x.(queuedCommit)) }
func (q *dateQueue) Pop() any {
	last := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return last
}

func (q *dateQueue) put(n *commitNode) {
	heap.Push(q, queuedCommit{node: n, seq: q.count})
	q.count++
}

func (q *dateQueue) get() *commitNode { return heap.Pop(q).(queuedCommit).node }

// insertByDate inserts n into a list kept newest first, after the
// commits of the same date already there, as git's
// commit_list_insert_by_date does.
func insertByDate(list []*commitNode, n *commitNode) []*commitNode {
	i := 0
	for i < len(list) && list[i].date >= n.date {
		i++
	}
	list = append(list, nil)
	copy(list[i+1:], list[i:])
	list[i] = n
	return list
}

// paintDownToCommon walks from one and twos, newest first, marking what
// each side reaches, until only commits below a common ancestor remain;
// it returns the common ancestors met (newest first) and the marks. The
// walk is git's, so that its answers, and their order, are git's even
// with skewed dates.
func (w *commitWalker) paintDownToCommon(one *commitNode, twos []*commitNode) ([]*commitNode, map[*commitNode]uint8, error) {
	marks := map[*commitNode]uint8{one: paintOne}
	if len(twos) == 0 {
		return []*commitNode{one}, marks, nil
	}
	q := &dateQueue{}
	q.put(one)
	for _, t := range twos {
		marks[t] |= paintTwo
		q.put(t)
	}
	var result []*commitNode
	for q.hasNonStale(marks) {
		c := q.get()
		flags := marks[c] & (paintOne | paintTwo | paintStale)
		if flags == paintOne|paintTwo {
			if marks[c]&paintResult == 0 {
				marks[c] |= paintResult
				result = insertByDate(result, c)
			}
			flags |= paintStale
		}
		for _, p := range c.parents {
			if marks[p]&flags == flags {
				continue
			}
			if _, err := w.node(p.id); err != nil {
				return nil, nil, err
			}
			marks[p] |= flags
			q.put(p)
		}
	}
	return result, marks, nil
}

func (q *dateQueue) hasNonStale(marks map[*commitNode]uint8) bool {
	for _, it := range q.items {
		if marks[it.node]&paintStale == 0 {
			return true
		}
	}
	return false
}

// mergeBasesMany is git's merge_bases_many: the common ancestors of one
// and any of twos that are not below another one found, newest first.
func (w *commitWalker) mergeBasesMany(one *commitNode, twos []*commitNode) ([]*commitNode, error) {
	for _, t := range twos {
		if t == one {
			return []*commitNode{one}, nil
		}
	}
	list, marks, err := w.paintDownToCommon(one, twos)
	if err != nil {
		return nil, err
	}
	var result []*commitNode
	for _, c := range list {
		if marks[c]&paintStale == 0 {
			result = insertByDate(result, c)
		}
	}
	return result, nil
}

// bases is git's get_merge_bases_many: the merge bases with redundant
// ones (ancestors of others) removed, newest first.
func (w *commitWalker) bases(one *commitNode, twos []*commitNode) ([]*commitNode, error) {
	result, err := w.mergeBasesMany(one, twos)
	if err != nil {
		return nil, err
	}
	for _, t := range twos {
		if t == one {
			return result, nil
		}
	}
	if len(result) <= 1 {
		return result, nil
	}
	independent, err := w.removeRedundant(result)
	if err != nil {
		return nil, err
	}
	var sorted []*commitNode
	for _, c := range independent {
		sorted = insertByDate(sorted, c)
	}
	return sorted, nil
}

// removeRedundant drops the commits that are ancestors of another in
// the list, keeping the order of the rest.
func (w *commitWalker) removeRedundant(list []*commitNode) ([]*commitNode, error) {
	redundant := make([]bool, len(list))
	for i, c := range list {
		if redundant[i] {
			continue
		}
		var others []*commitNode
		var index []int
		for j, o := range list {
			if i != j && !redundant[j] {
				others = append(others, o)
				index = append(index, j)
			}
		}
		_, marks, err := w.paintDownToCommon(c, others)
		if err != nil {
			return nil, err
		}
		if marks[c]&paintTwo != 0 {
			redundant[i] = true
		}
		for k, o := range others {
			if marks[o]&paintOne != 0 {
				redundant[index[k]] = true
			}
		}
	}
	var out []*commitNode
	for i, c := range list {
		if !redundant[i] {
			out = append(out, c)
		}
	}
	return out, nil
}

// nodes reads the commits of ids.
func (w *commitWalker) nodesOf(ids []Hash) ([]*commitNode, error) {
	out := make([]*commitNode, len(ids))
	for i, id := range ids {
		n, err := w.node(id)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func idsOf(list []*commitNode) []Hash {
	out := make([]Hash, len(list))
	for i, n := range list {
		out[i] = n.id
	}
	return out
}

// MergeBases returns the best common ancestors of two commits (those
// not ancestors of another common ancestor) in git's order: newest
// first, `git merge-base --all a b`.
func (r *Repo) MergeBases(a, b Hash) ([]Hash, error) {
	return r.MergeBasesMany(a, []Hash{b})
}

// MergeBasesMany returns the best common ancestors of one and a merge of
// all of others, as `git merge-base --all one others...` lists them.
func (r *Repo) MergeBasesMany(one Hash, others []Hash) ([]Hash, error) {
	w := newCommitWalker(r)
	nodes, err := w.nodesOf(append([]Hash{one}, others...))
	if err != nil {
		return nil, err
	}
	bases, err := w.bases(nodes[0], nodes[1:])
	if err != nil {
		return nil, err
	}
	return idsOf(bases), nil
}

// IsAncestor reports whether commit a is reachable from commit b (a
// commit is its own ancestor), as `git merge-base --is-ancestor a b`.
func (r *Repo) IsAncestor(a, b Hash) (bool, error) {
	w := newCommitWalker(r)
	nodes, err := w.nodesOf([]Hash{a, b})
	if err != nil {
		return false, err
	}
	_, marks, err := w.paintDownToCommon(nodes[0], nodes[1:])
	if err != nil {
		return false, err
	}
	return marks[nodes[0]]&paintTwo != 0, nil
}

// OctopusMergeBases returns the merge bases for one merge of all the
// commits, independent ones only, as `git merge-base --all --octopus`.
func (r *Repo) OctopusMergeBases(commits []Hash) ([]Hash, error) {
	w := newCommitWalker(r)
	nodes, err := w.nodesOf(commits)
	if err != nil || len(nodes) == 0 {
		return nil, err
	}
	acc := []*commitNode{nodes[0]}
	for _, next := range nodes[1:] {
		var merged []*commitNode
		for _, b := range acc {
			bases, err := w.bases(next, []*commitNode{b})
			if err != nil {
				return nil, err
			}
			merged = append(merged, bases...)
		}
		acc = merged
	}
	reduced, err := w.reduceHeads(acc)
	if err != nil {
		return nil, err
	}
	return idsOf(reduced), nil
}

// IndependentCommits returns the commits not reachable from another of
// them, in the order given, duplicates dropped (`git merge-base
// --independent`, git's reduce_heads).
func (r *Repo) IndependentCommits(commits []Hash) ([]Hash, error) {
	w := newCommitWalker(r)
	nodes, err := w.nodesOf(commits)
	if err != nil {
		return nil, err
	}
	reduced, err := w.reduceHeads(nodes)
	if err != nil {
		return nil, err
	}
	return idsOf(reduced), nil
}

// reduceHeads drops duplicates (keeping the first) and redundant
// commits.
func (w *commitWalker) reduceHeads(list []*commitNode) ([]*commitNode, error) {
	seen := map[*commitNode]bool{}
	var unique []*commitNode
	for _, n := range list {
		if !seen[n] {
			seen[n] = true
			unique = append(unique, n)
		}
	}
	if len(unique) == 0 {
		return nil, nil
	}
	return w.removeRedundant(unique)
}
