package gitapi

import (
	"errors"
	"fmt"
)

// DWIMRef resolves a short ref name with git's rules as
// dwim_ref does: the full name the first rule finds (symbolic refs
// followed), and how many rules find one.
func (r *Repo) DWIMRef(name string) (string, int) {
	full, found := "", 0
	for _, rule := range refRules {
		candidate := fmt.Sprintf(rule, name)
		if CheckRefName(candidate, true) != nil || (rule == "%s" && !refNameIsSafe(candidate)) {
			continue
		}
		if _, final, err := r.ResolveRef(candidate); err == nil {
			if found == 0 {
				full = final
			}
			found++
		}
	}
	return full, found
}

// ForkPoint is `git merge-base --fork-point`: the point where commit
// forked from ref (a full ref name), found among the values the ref's
// reflog records (its current value without a reflog): the one merge
// base of commit and those values, if it is one of them.
func (r *Repo) ForkPoint(ref string, commit Hash) (Hash, bool, error) {
	return r.ForkPointWarn(ref, commit, true, func(string) {})
}

// ForkPointWarn is ForkPoint, reporting the reflog values that are not
// commits as git does; without a commit (hasCommit false) it still
// reads them, and finds nothing.
func (r *Repo) ForkPointWarn(ref string, commit Hash, hasCommit bool, diag func(string)) (Hash, bool, error) {
	values, err := r.reflogValues(ref)
	if err != nil {
		return ZeroHash, false, err
	}
	w := newCommitWalker(r)
	seen := map[Hash]bool{}
	var revs []*commitNode
	for _, id := range values {
		if id.IsZero() || seen[id] {
			continue
		}
		n, err := w.node(id)
		var pe *PeelError
		switch {
		case errors.As(err, &pe):
			diag(fmt.Sprintf("error: Object %s not a commit", id))
			continue
		case err != nil:
			diag(fmt.Sprintf("error: Could not read %s", id))
			continue
		}
		seen[id] = true
		revs = append(revs, n)
	}
	if !hasCommit {
		return ZeroHash, false, nil
	}
	one, err := w.node(commit)
	if err != nil {
		return ZeroHash, false, err
	}
	bases, err := w.bases(one, revs)
	if err != nil || len(bases) != 1 || !seen[bases[0].id] {
		return ZeroHash, false, err
	}
	return bases[0].id, true, nil
}

// reflogValues are the values a ref's reflog records, oldest first (the
// first entry's old value too), or its current value without a reflog.
func (r *Repo) reflogValues(ref string) ([]Hash, error) {
	entries, err := r.Reflog(ref)
	if err != nil {
		return nil, err
	}
	var values []Hash
	for i, e := range entries {
		if i == 0 {
			values = append(values, e.Old)
		}
		values = append(values, e.New)
	}
	if len(entries) == 0 {
		id, _, err := r.ResolveRef(ref)
		if err != nil {
			return nil, err
		}
		values = append(values, id)
	}
	return values, nil
}
