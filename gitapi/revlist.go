package gitapi

import "errors"

// RevListOptions select and order the commits RevList returns, as the
// options of `git rev-list` do.
type RevListOptions struct {
	// Revs are the revisions to walk from, in the order given on git's
	// command line (the order breaks ties between equal dates).
	Revs []RevListRev
	// TopoOrder is --topo-order: no commit before all its children, the
	// lines of history kept together as git's graph order keeps them.
	// Without it the order is git's default (newest committer date first
	// as the walk meets them).
	TopoOrder bool
	// Reverse is --reverse: the commits chosen, last first (MaxCount
	// applies before reversing, as in git).
	Reverse bool
	// MaxCount is -n: at most this many commits; 0 or less for all.
	MaxCount int
	// Paths are pathspecs after "--", each a path from the top of the
	// work tree matched literally (the entry at that path, and what is
	// under it when it is a tree). With paths, SimplifyMerges must be
	// set: the walk shows the commits that change something under the
	// paths, with their parents rewritten to the nearest such ancestors,
	// as `git rev-list --simplify-merges --parents -- PATHS` does.
	Paths []string
	// SimplifyMerges is --simplify-merges (which implies TopoOrder).
	SimplifyMerges bool
}

// ErrRevListPathMerge is RevList's error for a path-limited walk that
// meets a merge among the commits it shows: git's simplification of
// merges by paths (parents rewritten, redundant ones dropped) is not
// implemented, and the caller hands the walk to git.
var ErrRevListPathMerge = errors.New("rev-list: simplifying merges by paths is not implemented")

// ErrRevListForm is RevList's error for options it does not take
// together (paths without SimplifyMerges).
var ErrRevListForm = errors.New("rev-list: paths are served with --simplify-merges only")

// RevListRev is one revision of a walk: a commit (tags already peeled)
// to start from, or with Exclude (^rev, the left side of a..b) one whose
// ancestry is left out.
type RevListRev struct {
	ID      Hash
	Exclude bool
}

// RevListCommit is one commit RevList returns, with its parents as
// `git rev-list --parents` prints them.
type RevListCommit struct {
	ID      Hash
	Parents []Hash
}

// RevList walks the history as `git rev-list` does (git's limited walk:
// revision.c limit_list, then sort_in_topological_order for TopoOrder),
// and returns the commits in git's output order: the same commits, in
// the same order, with the same date tie-breaks and the same answer
// under clock skew. The walk reads each commit once; Exclude commits
// and their ancestors are left out.
//
// With a commit-graph git may take its incremental topological walk for
// a walk without exclusions, which git means to give the same order
// (RevList always takes the limited walk).
//
// Its signature is stable: new rev-list forms come as new fields of
// RevListOptions.
func (r *Repo) RevList(o RevListOptions) ([]RevListCommit, error) {
	if len(o.Paths) > 0 && !o.SimplifyMerges {
		return nil, ErrRevListForm
	}
	w := newCommitWalker(r)
	list, err := w.limitList(o.Revs)
	if err != nil {
		return nil, err
	}
	var simp *pathSimplification
	if len(o.Paths) > 0 {
		if simp, err = w.simplifyByPaths(list, o.Paths); err != nil {
			return nil, err
		}
	}
	if o.TopoOrder || o.SimplifyMerges {
		list = sortTopo(list)
	}
	var out []RevListCommit
	for _, n := range list {
		if w.uninteresting[n] || (simp != nil && simp.treesame[n]) {
			continue
		}
		if o.MaxCount > 0 && len(out) == o.MaxCount {
			break
		}
		parents := make([]Hash, 0, len(n.parents))
		for _, p := range n.parents {
			if simp != nil {
				if p = simp.parentOf(p); p == nil {
					continue
				}
			}
			parents = append(parents, p.id)
		}
		out = append(out, RevListCommit{ID: n.id, Parents: parents})
	}
	if o.Reverse {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// RevListCount is `git rev-list --count`: how many commits RevList
// returns for o.
func (r *Repo) RevListCount(o RevListOptions) (int, error) {
	o.TopoOrder, o.Reverse = false, false
	list, err := r.RevList(o)
	return len(list), err
}

// revListSlop is git's SLOP: how many more commits the limited walk
// takes once every commit queued is older than the last one kept.
const revListSlop = 5

// limitList is git's limit_list without pathspecs: the commits reachable
// from include and not from exclude, in the order the walk pops them
// (newest committer date first, in queue order among equals). Commits it
// marks uninteresting after keeping them (the slop) stay in the list,
// marked in w.uninteresting, as git drops them only when showing.
func (w *commitWalker) limitList(revs []RevListRev) ([]*commitNode, error) {
	if w.uninteresting == nil {
		w.uninteresting = map[*commitNode]bool{}
	}
	seen := map[*commitNode]bool{}
	var queue []*commitNode
	add := func(id Hash) error {
		n, err := w.node(id)
		if err != nil {
			return err
		}
		if !seen[n] {
			seen[n] = true
			queue = append(queue, n)
		}
		return nil
	}
	// git flags every revision when it parses the arguments, then
	// queues them in the order given.
	for _, rev := range revs {
		if rev.Exclude {
			n, err := w.node(rev.ID)
			if err != nil {
				return nil, err
			}
			w.markUninteresting(n)
		}
	}
	for _, rev := range revs {
		if err := add(rev.ID); err != nil {
			return nil, err
		}
	}
	// commit_list_sort_by_date: stable, newest first.
	sortStableByDate(queue)
	slop := revListSlop
	date := int64(1<<63 - 1)
	var kept []*commitNode
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		bad := w.uninteresting[n]
		for _, p := range n.parents {
			if _, err := w.node(p.id); err != nil {
				return nil, err
			}
			if bad {
				w.markUninteresting(p)
			}
			if !seen[p] {
				seen[p] = true
				queue = insertByDate(queue, p)
			}
		}
		if bad {
			slop = w.stillInteresting(queue, date, slop)
			if slop > 0 {
				continue
			}
			break
		}
		date = n.date
		kept = append(kept, n)
	}
	return kept, nil
}

// markUninteresting marks n and every ancestor already read as
// uninteresting (git's mark_parents_uninteresting: ancestors not read
// yet are marked when the walk reaches them).
func (w *commitWalker) markUninteresting(n *commitNode) {
	stack := []*commitNode{n}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if w.uninteresting[c] && c != n {
			continue
		}
		w.uninteresting[c] = true
		if c.parsed {
			for _, p := range c.parents {
				if !w.uninteresting[p] {
					stack = append(stack, p)
				}
			}
		}
	}
}

// stillInteresting is git's still_interesting: the slop left once an
// uninteresting commit is popped, 0 to stop the walk.
func (w *commitWalker) stillInteresting(queue []*commitNode, date int64, slop int) int {
	if len(queue) == 0 {
		return 0
	}
	if date <= queue[0].date {
		return revListSlop
	}
	for _, n := range queue {
		if !w.uninteresting[n] {
			return revListSlop
		}
	}
	return slop - 1
}

// sortStableByDate sorts newest committer date first, keeping the order
// of equal dates.
func sortStableByDate(list []*commitNode) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j-1].date < list[j].date; j-- {
			list[j-1], list[j] = list[j], list[j-1]
		}
	}
}

// sortTopo is git's sort_in_topological_order in graph order: every
// commit after its children (among those listed), the tips in list
// order, and from a commit the parent made ready last taken first (a
// stack), so each line of history is shown unbroken.
func sortTopo(list []*commitNode) []*commitNode {
	indegree := make(map[*commitNode]int, len(list))
	for _, n := range list {
		indegree[n] = 1
	}
	for _, n := range list {
		for _, p := range n.parents {
			if indegree[p] > 0 {
				indegree[p]++
			}
		}
	}
	var stack []*commitNode
	for _, n := range list {
		if indegree[n] == 1 {
			stack = append(stack, n)
		}
	}
	// The tips come out in list order: the stack pops from its end.
	for i, j := 0, len(stack)-1; i < j; i, j = i+1, j-1 {
		stack[i], stack[j] = stack[j], stack[i]
	}
	out := make([]*commitNode, 0, len(list))
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range n.parents {
			if indegree[p] == 0 {
				continue
			}
			indegree[p]--
			if indegree[p] == 1 {
				stack = append(stack, p)
			}
		}
		indegree[n] = 0
		out = append(out, n)
	}
	return out
}
