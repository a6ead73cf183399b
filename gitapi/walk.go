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
