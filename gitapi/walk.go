package gitapi

import (
	"sort"
	"strconv"
	"strings"
)

// walkNewestFirst visits the commits reachable from starts, newest
// committer date first, until match returns true; it returns the matching
// commit or the zero hash.
func (r *Repo) walkNewestFirst(starts []Hash, match func(Hash, Commit) bool) (Hash, error) {
	type queued struct {
		id   Hash
		when int64
	}
	seen := map[Hash]bool{}
	var queue []queued
	push := func(h Hash) error {
		if seen[h] {
			return nil
		}
		seen[h] = true
		_, data, err := r.ReadObject(h)
		if err != nil {
			return err
		}
		queue = append(queue, queued{h, commitTime(data)})
		return nil
	}
	for _, h := range starts {
		if err := push(h); err != nil {
			return ZeroHash, err
		}
	}
	for len(queue) > 0 {
		sort.SliceStable(queue, func(i, j int) bool { return queue[i].when > queue[j].when })
		next := queue[0]
		queue = queue[1:]
		c, err := r.ReadCommit(next.id)
		if err != nil {
			return ZeroHash, err
		}
		if match(next.id, c) {
			return next.id, nil
		}
		for _, parent := range c.Parents {
			if err := push(parent); err != nil {
				return ZeroHash, err
			}
		}
	}
	return ZeroHash, nil
}

// commitTime reads the committer timestamp of a raw commit (0 if absent).
func commitTime(data []byte) int64 {
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" {
			break
		}
		if rest, ok := strings.CutPrefix(line, "committer "); ok {
			fields := strings.Fields(rest)
			if len(fields) >= 2 {
				n, _ := strconv.ParseInt(fields[len(fields)-2], 10, 64)
				return n
			}
		}
	}
	return 0
}

// ancestors returns every commit reachable from start, start included.
func (r *Repo) ancestors(start Hash) (map[Hash]bool, error) {
	seen := map[Hash]bool{start: true}
	stack := []Hash{start}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c, err := r.ReadCommit(h)
		if err != nil {
			return nil, err
		}
		for _, p := range c.Parents {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	return seen, nil
}

// MergeBases returns the best common ancestors of two commits: common
// ancestors that are not ancestors of another common ancestor, newest
// first.
func (r *Repo) MergeBases(a, b Hash) ([]Hash, error) {
	fromA, err := r.ancestors(a)
	if err != nil {
		return nil, err
	}
	fromB, err := r.ancestors(b)
	if err != nil {
		return nil, err
	}
	var common []Hash
	for h := range fromB {
		if fromA[h] {
			common = append(common, h)
		}
	}
	var best []Hash
	for _, c := range common {
		if !r.belowAnother(c, common) {
			best = append(best, c)
		}
	}
	times := map[Hash]int64{}
	for _, h := range best {
		_, data, _ := r.ReadObject(h)
		times[h] = commitTime(data)
	}
	sort.Slice(best, func(i, j int) bool {
		if times[best[i]] != times[best[j]] {
			return times[best[i]] > times[best[j]]
		}
		return best[i].String() < best[j].String()
	})
	return best, nil
}

// belowAnother reports whether c is a proper ancestor of another of the
// candidates.
func (r *Repo) belowAnother(c Hash, candidates []Hash) bool {
	for _, other := range candidates {
		if other == c {
			continue
		}
		if anc, err := r.ancestors(other); err == nil && anc[c] {
			return true
		}
	}
	return false
}
