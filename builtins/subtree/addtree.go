package subtree

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/index"
)

// readTreeCheckout is `git read-tree --prefix=DIR REV` followed by `git
// checkout -- DIR` (git-subtree:886-888) on gitapi: rev's files enter
// the index under the prefix and are written to the work tree. It
// reports false, having changed nothing, where git has more to say than
// this covers (an index entry at or under the prefix, a submodule in
// rev, a file in the way, an index it cannot lock): git then runs both.
func (s *subtree) readTreeCheckout(rev string) bool {
	files, err := s.repo.TreeFiles(rev)
	if err != nil {
		return false
	}
	paths := make([]string, 0, len(files))
	for p, f := range files {
		if f.Mode == index.ModeGitlink {
			return false
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	locked, err := s.repo.LockIndex()
	if err != nil {
		return false
	}
	ix := locked.Index()
	for _, e := range ix.Entries {
		if e.Path == s.dir || strings.HasPrefix(e.Path, s.dir+"/") || strings.HasPrefix(s.dir, e.Path+"/") {
			locked.Rollback()
			return false
		}
	}
	for _, p := range paths {
		f := files[p]
		if err := ix.Put(&index.Entry{Path: s.dir + "/" + p, Mode: f.Mode, ID: index.ID(f.ID)}, true, false); err != nil {
			locked.Rollback()
			return false
		}
	}
	if err := s.repo.CheckoutIndexAll(ix, gitapi.CheckoutIndexOptions{}); err != nil {
		locked.Rollback()
		return false
	}
	if err := locked.Commit(); err != nil {
		return false
	}
	return true
}

// resetTo is `git reset COMMIT` (git-subtree:909) where the index already
// holds COMMIT's tree, as it does after the add's write-tree: HEAD (and
// its branch) move with git's reflog message, ORIG_HEAD keeps the old
// HEAD. It reports false, having changed nothing, where git is needed.
func (s *subtree) resetTo(commit, headrev string) bool {
	newID, err1 := gitapi.ParseHash(commit)
	oldID, err2 := gitapi.ParseHash(headrev)
	if err1 != nil || err2 != nil {
		return false
	}
	// reset also clears a merge's, a squash's or a cherry-pick's state
	// (remove_branch_state): where there is some, git resets.
	for _, name := range []string{"MERGE_HEAD", "MERGE_RR", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE",
		"MERGE_AUTOSTASH", "SQUASH_MSG", "CHERRY_PICK_HEAD", "REVERT_HEAD", "sequencer"} {
		if _, err := os.Lstat(filepath.Join(s.repo.GitDir(), name)); err == nil {
			return false
		}
	}
	if err := s.repo.UpdateRef("HEAD", newID, nil, "reset: moving to "+commit); err != nil {
		return false
	}
	return s.repo.UpdateRef("ORIG_HEAD", oldID, nil, "updating ORIG_HEAD") == nil
}

// checkoutPrefix is `git checkout -- DIR` (git-subtree:888) alone, for a
// rejoin, whose files are in the index already: the work tree follows
// the index. It reports false, having changed nothing, where a file
// differs from its entry or is in the way: git then runs it.
func (s *subtree) checkoutPrefix() bool {
	locked, err := s.repo.LockIndex()
	if err != nil {
		return false
	}
	if err := s.repo.CheckoutIndexAll(locked.Index(), gitapi.CheckoutIndexOptions{}); err != nil {
		locked.Rollback()
		return false
	}
	return locked.Commit() == nil
}
