package index

import (
	"errors"
	"syscall"
)

// WorkTreeState is how an entry's work tree file compares with the
// entry, as "git diff-files" and "git diff-index" (without --cached) see
// it.
type WorkTreeState struct {
	// Removed is git's check_removed: the file is gone, is beyond a
	// symbolic link, or is a directory that is not a repository where
	// the entry is not a gitlink.
	Removed bool
	// Changed is ie_match_stat's verdict (stat data, and content for a
	// racily clean entry); only meaningful when not Removed.
	Changed bool
	// Mode is the mode git records for the file as it is now
	// (ce_mode_from_stat); only meaningful when not Removed.
	Mode uint32
	// Populated is true for a gitlink whose directory holds a
	// repository: its work tree may be dirty, which git asks the
	// submodule about.
	Populated bool
}

// CompareWorkTree compares e with its work tree file. An error is an
// lstat failure other than a missing file, which git reports with
// perror and skips.
func (ix *Index) CompareWorkTree(e *Entry) (WorkTreeState, error) {
	info, err := ix.Options.lstat(e.Path)
	if err != nil {
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOTDIR) {
			return WorkTreeState{Removed: true}, nil
		}
		return WorkTreeState{}, err
	}
	if ix.Options.beyondSymlink(e.Path, nil) {
		return WorkTreeState{Removed: true}, nil
	}
	_, isRepo := ix.Options.gitlinkHead(e.Path)
	if info.IsDir() && e.Mode != ModeGitlink && !isRepo {
		return WorkTreeState{Removed: true}, nil
	}
	st := WorkTreeState{
		Changed:   ix.matchStat(e, info, 0) != 0,
		Mode:      ix.Options.modeFromStat(e, info),
		Populated: info.IsDir() && isRepo,
	}
	return st, nil
}

// ContentChanged is git's ie_modified for a stage 0 entry whose file
// exists: whether the file's type, mode or content differs from the
// entry, stat differences being confirmed by hashing the file.
func (ix *Index) ContentChanged(e *Entry) (bool, error) {
	info, err := ix.Options.lstat(e.Path)
	if err != nil {
		return false, err
	}
	return ix.contentModified(e, info, 0) != 0, nil
}
