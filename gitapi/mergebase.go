package gitapi

import (
	"container/heap"
	"sort"
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
	gen     uint64 // generation number, generationInfinity outside the commit-graph
	parents []*commitNode
	parsed  bool
}

// commitWalker reads commits once for the walks of one question; each
// walk paints its own marks.
type commitWalker struct {
	repo  *Repo
	nodes map[Hash]*commitNode
	graph *commitGraph // nil without a commit-graph
	// uninteresting marks the commits a rev-list walk leaves out.
	uninteresting map[*commitNode]bool
}

func newCommitWalker(r *Repo) *commitWalker {
	return &commitWalker{repo: r, nodes: map[Hash]*commitNode{}, graph: r.loadCommitGraph()}
}

// generationsEnabled is git's generation_numbers_enabled.
func (w *commitWalker) generationsEnabled() bool { return w.graph != nil && w.graph.enabled }

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
		return nil, &PeelError{ID: id, Type: typ, Want: TypeCommit}
	}
	c, err := parseCommit(data)
	if err != nil {
		return nil, err
	}
	n.date = commitTime(data)
	n.gen = w.graph.generation(id)
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
// first (highest generation first, then newest, when byGeneration),
// and among equals the one queued first.
type dateQueue struct {
	items        []queuedCommit
	count        int
	byGeneration bool
}

type queuedCommit struct {
	node *commitNode
	seq  int
}

func (q *dateQueue) Len() int { return len(q.items) }
func (q *dateQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if q.byGeneration && a.node.gen != b.node.gen {
		return a.node.gen > b.node.gen
	}
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
//
// A non-zero minGen stops the walk at the first commit of a lower
// generation; the queue orders by generation then, or whenever the
// commit-graph has corrected commit dates.
func (w *commitWalker) paintDownToCommon(one *commitNode, twos []*commitNode, minGen uint64) ([]*commitNode, map[*commitNode]uint8, error) {
	marks := map[*commitNode]uint8{one: paintOne}
	if len(twos) == 0 {
		return []*commitNode{one}, marks, nil
	}
	q := &dateQueue{byGeneration: minGen != 0 || (w.graph != nil && w.graph.corrected)}
	q.put(one)
	for _, t := range twos {
		marks[t] |= paintTwo
		q.put(t)
	}
	var result []*commitNode
	for q.hasNonStale(marks) {
		c := q.get()
		if c.gen < minGen {
			break
		}
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
	list, marks, err := w.paintDownToCommon(one, twos, 0)
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
// the list, keeping the order of the rest, with the walk git would use.
func (w *commitWalker) removeRedundant(list []*commitNode) ([]*commitNode, error) {
	if w.generationsEnabled() {
		for _, c := range list {
			if c.gen < generationInfinity {
				return w.removeRedundantWithGen(list)
			}
		}
	}
	return w.removeRedundantNoGen(list)
}

// removeRedundantNoGen paints down from each commit in turn.
func (w *commitWalker) removeRedundantNoGen(list []*commitNode) ([]*commitNode, error) {
	redundant := make([]bool, len(list))
	for i, c := range list {
		if redundant[i] {
			continue
		}
		var others []*commitNode
		var index []int
		minGen := c.gen
		for j, o := range list {
			if i != j && !redundant[j] {
				others = append(others, o)
				index = append(index, j)
				minGen = min(minGen, o.gen)
			}
		}
		_, marks, err := w.paintDownToCommon(c, others, minGen)
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

// nodesOf reads the commits of ids.
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
// commit is its own ancestor), as `git merge-base --is-ancestor a b`
// answers: with generation numbers, by walking down from b to a's
// generation; without, by git's date-ordered paint (which clock skew
// can mislead, as it misleads git).
func (r *Repo) IsAncestor(a, b Hash) (bool, error) {
	w := newCommitWalker(r)
	nodes, err := w.nodesOf([]Hash{a, b})
	if err != nil {
		return false, err
	}
	if w.generationsEnabled() {
		return w.reaches(nodes[1], nodes[0])
	}
	minGen := nodes[0].gen
	if minGen > nodes[1].gen {
		return false, nil
	}
	_, marks, err := w.paintDownToCommon(nodes[0], nodes[1:], minGen)
	if err != nil {
		return false, err
	}
	return marks[nodes[0]]&paintTwo != 0, nil
}

// reaches reports whether target is reachable from start, not walking
// below target's generation.
func (w *commitWalker) reaches(start, target *commitNode) (bool, error) {
	if start.gen < target.gen {
		return false, nil
	}
	seen := map[*commitNode]bool{start: true}
	stack := []*commitNode{start}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c == target {
			return true, nil
		}
		for _, p := range c.parents {
			if seen[p] {
				continue
			}
			seen[p] = true
			if _, err := w.node(p.id); err != nil {
				return false, err
			}
			if p.gen >= target.gen {
				stack = append(stack, p)
			}
		}
	}
	return false, nil
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

// removeRedundantWithGen is git's generation-number walk: from the
// parents of the commits, depth first along first parents, marking what
// is reached, until one commit is left or the generations run out.
func (w *commitWalker) removeRedundantWithGen(list []*commitNode) ([]*commitNode, error) {
	g := &genWalk{w: w, stale: map[*commitNode]bool{}, result: map[*commitNode]bool{}, independent: len(list)}
	g.sorted = append([]*commitNode(nil), list...)
	sort.SliceStable(g.sorted, func(i, j int) bool { return byGeneration(g.sorted[i], g.sorted[j]) })
	g.minGen = g.sorted[0].gen
	var starts []*commitNode
	for _, c := range list {
		g.result[c] = true
		for _, p := range c.parents {
			if _, err := w.node(p.id); err != nil {
				return nil, err
			}
			if !g.stale[p] {
				g.stale[p] = true
				starts = append(starts, p)
			}
		}
	}
	sort.SliceStable(starts, func(i, j int) bool { return byGeneration(starts[i], starts[j]) })
	for _, s := range starts {
		delete(g.stale, s)
	}
	for i := len(starts) - 1; i >= 0 && g.independent > 1; i-- {
		if err := g.walkFrom(starts[i]); err != nil {
			return nil, err
		}
	}
	var out []*commitNode
	for _, c := range list {
		if !g.stale[c] {
			out = append(out, c)
		}
	}
	return out, nil
}

// byGeneration orders commits by generation, then date, lowest first.
func byGeneration(a, b *commitNode) bool {
	if a.gen != b.gen {
		return a.gen < b.gen
	}
	return a.date < b.date
}

// genWalk is the state of removeRedundantWithGen.
type genWalk struct {
	w             *commitWalker
	sorted        []*commitNode // the commits, lowest generation first
	stale, result map[*commitNode]bool
	independent   int // commits not yet found below another
	minPos        int
	minGen        uint64
}

// walkFrom marks what start reaches, depth first, not below minGen.
func (g *genWalk) walkFrom(start *commitNode) error {
	stack := []*commitNode{start}
	g.stale[start] = true
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		if g.result[c] {
			delete(g.result, c)
			if g.independent--; g.independent <= 1 {
				return nil
			}
			if c == g.sorted[g.minPos] {
				for g.minPos < len(g.sorted)-1 && g.stale[g.sorted[g.minPos]] {
					g.minPos++
				}
				g.minGen = g.sorted[g.minPos].gen
			}
		}
		if c.gen < g.minGen {
			stack = stack[:len(stack)-1]
			continue
		}
		next, err := g.firstUnvisitedParent(c)
		if err != nil {
			return err
		}
		if next == nil {
			stack = stack[:len(stack)-1]
			continue
		}
		g.stale[next] = true
		stack = append(stack, next)
	}
	return nil
}

func (g *genWalk) firstUnvisitedParent(c *commitNode) (*commitNode, error) {
	for _, p := range c.parents {
		if _, err := g.w.node(p.id); err != nil {
			return nil, err
		}
		if !g.stale[p] {
			return p, nil
		}
	}
	return nil, nil
}
