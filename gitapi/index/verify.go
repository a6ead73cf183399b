package index

import (
	"errors"
	"io/fs"
)

// MatchesWorkTree reports whether the work tree file of a stage 0 entry is
// what the entry records, the check "git apply --index" makes before it
// touches a path (git's ie_match_stat ignoring the assume-unchanged and
// skip-worktree bits):
// by stat data, and by content when the entry is racily clean. A missing
// file does not match.
func (ix *Index) MatchesWorkTree(e *Entry) (bool, error) {
	info, err := ix.Options.lstat(e.Path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, err
	}
	return ix.matchStat(e, info, matchIgnoreValid|matchIgnoreSkipWorktree) == 0, nil
}
