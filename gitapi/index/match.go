package index

import (
	"io/fs"
)

// Change bits, as git's ie_match_stat reports them.
const (
	changedMtime = 1 << iota
	changedCtime
	changedOwner
	changedInode
	changedMode
	changedData
	changedType
)

// isRacy reports whether an entry's mtime is not older than the index
// file's: git cannot tell from stat alone whether such a file changed
// after it was recorded. Seconds only, as git 2.39.5 is built without
// USE_NSEC.
func (ix *Index) isRacy(e *Entry) bool {
	return e.Mode != ModeGitlink && ix.Timestamp.Sec != 0 && ix.Timestamp.Sec <= e.Stat.MtimeSec
}

// matchStatBasic compares an entry's cached stat data with lstat data
// (git's ce_match_stat_basic; gitlinks are only checked for type).
func (o *Options) matchStatBasic(e *Entry, info fs.FileInfo) int {
	changed := 0
	m := info.Mode()
	switch e.Mode &^ 0o777 {
	case 0o100000:
		if !m.IsRegular() {
			changed |= changedType
		}
		if o.FileMode && (e.Mode&0o100 != 0) != (m.Perm()&0o100 != 0) {
			changed |= changedMode
		}
	case ModeSymlink:
		if m&fs.ModeSymlink == 0 && (o.Symlinks || !m.IsRegular()) {
			changed |= changedType
		}
	case ModeGitlink:
		if !m.IsDir() {
			changed |= changedType
		} else if o.gitlinkChanged(e) {
			changed |= changedData
		}
		return changed
	default:
		return changedType
	}
	changed |= o.matchStatData(e.Stat, statFromFileInfo(info))
	if e.Stat.Size == 0 && e.ID != emptyBlob {
		changed |= changedData
	}
	return changed
}

func (o *Options) matchStatData(sd, st Stat) int {
	changed := 0
	if sd.MtimeSec != st.MtimeSec {
		changed |= changedMtime
	}
	if o.TrustCtime && o.CheckStat && sd.CtimeSec != st.CtimeSec {
		changed |= changedCtime
	}
	if o.CheckStat {
		if sd.UID != st.UID || sd.GID != st.GID {
			changed |= changedOwner
		}
		if sd.Ino != st.Ino {
			changed |= changedInode
		}
	}
	if sd.Size != st.Size {
		changed |= changedData
	}
	return changed
}

// modifiedCheckFS compares content: the file (or link target) hashed as
// a blob against the entry id, or a submodule's HEAD against a gitlink
// (git's ce_modified_check_fs).
func (o *Options) modifiedCheckFS(e *Entry, info fs.FileInfo) int {
	m := info.Mode()
	switch {
	case m.IsRegular(), m&fs.ModeSymlink != 0:
		data, err := o.readWorkTreeBlob(e.Path, info)
		if err != nil || HashObject("blob", data) != e.ID {
			return changedData
		}
		return 0
	case m.IsDir() && e.Mode == ModeGitlink:
		if o.gitlinkChanged(e) {
			return changedData
		}
		return 0
	default:
		return changedType
	}
}

// matchFlags are git's CE_MATCH_IGNORE_* options to ie_match_stat.
type matchFlags uint8

const (
	// matchIgnoreValid checks assume-unchanged entries too.
	matchIgnoreValid matchFlags = 1 << iota
	// matchIgnoreSkipWorktree checks skip-worktree entries too.
	matchIgnoreSkipWorktree
)

// matchStat is git's ie_match_stat: entries the user promised not to
// touch match (unless flags say to check them); intent-to-add entries
// never match; racily clean entries are checked by content.
func (ix *Index) matchStat(e *Entry, info fs.FileInfo, flags matchFlags) int {
	if (flags&matchIgnoreSkipWorktree == 0 && e.SkipWorktree) || (flags&matchIgnoreValid == 0 && e.AssumeValid) {
		return 0
	}
	if e.IntentToAdd {
		return changedData | changedType | changedMode
	}
	changed := ix.Options.matchStatBasic(e, info)
	if changed == 0 && ix.isRacy(e) {
		changed |= ix.Options.modifiedCheckFS(e, info)
	}
	return changed
}

// contentModified is git's ie_modified: stat differences are confirmed by
// content unless the type or mode changed, or the size differs from a
// size that was really recorded.
func (ix *Index) contentModified(e *Entry, info fs.FileInfo, flags matchFlags) int {
	changed := ix.matchStat(e, info, flags)
	if changed == 0 {
		return 0
	}
	if changed&(changedMode|changedType) != 0 {
		return changed
	}
	if changed&changedData != 0 && (e.Mode == ModeGitlink || e.Stat.Size != 0) {
		return changed
	}
	if fsChanged := ix.Options.modifiedCheckFS(e, info); fsChanged != 0 {
		return changed | fsChanged
	}
	return 0
}

// smudgeRacyEntries zeroes the cached size of entries that look clean by
// stat but whose content differs, so that later readers re-check them
// (git's ce_smudge_racily_clean_entry, run on every write).
func (ix *Index) smudgeRacyEntries() {
	if ix.Options.WorkTree == "" {
		return
	}
	for _, e := range ix.Entries {
		if e.upToDate || !ix.isRacy(e) {
			continue
		}
		info, err := ix.Options.lstat(e.Path)
		if err != nil || ix.Options.matchStatBasic(e, info) != 0 {
			continue
		}
		if ix.Options.modifiedCheckFS(e, info) != 0 {
			e.Stat.Size = 0
		}
	}
}
