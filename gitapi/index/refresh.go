package index

import (
	"errors"
	"io/fs"
	"runtime"
	"sync"
	"syscall"
)

// RefreshOptions are the flags of "git update-index --refresh".
type RefreshOptions struct {
	// Really is --really-refresh: assume-unchanged entries are checked
	// too, and lose the bit when they turn out changed.
	Really bool
	// Quiet is -q: changed entries are not reported and not an error.
	Quiet bool
	// Unmerged is --unmerged: conflicted paths are not an error.
	Unmerged bool
	// IgnoreMissing is --ignore-missing: missing files are ignored.
	IgnoreMissing bool
	// IgnoreSubmodules is --ignore-submodules: gitlinks are skipped.
	IgnoreSubmodules bool
}

// RefreshResult is the outcome of Refresh.
type RefreshResult struct {
	// Output is what git prints to stdout, one "<path>: needs update"
	// or "<path>: needs merge" line per entry.
	Output string
	// NeedsUpdate is true when git would exit 1.
	NeedsUpdate bool
	// Changed is true when some entry's stat data or flags changed, that
	// is when git would write the index.
	Changed bool
}

// Refresh is "git update-index --refresh": for every stage 0 entry whose
// file still has the recorded content, the cached stat data is brought
// up to date. Content is compared as a blob hash of the raw file (no
// CRLF conversion or clean filters: not yet supported).
//
//	res := ix.Refresh(index.RefreshOptions{Quiet: true})
//	if res.Changed { err = ix.Commit() }
func (ix *Index) Refresh(opts RefreshOptions) RefreshResult {
	var res RefreshResult
	var out []byte
	show := func(format, path string) {
		out = append(out, path...)
		out = append(out, format...)
		res.NeedsUpdate = true
	}
	seen := map[string]bool{}
	stats := ix.preloadStats(opts)
	for i := 0; i < len(ix.Entries); i++ {
		e := ix.Entries[i]
		if opts.IgnoreSubmodules && e.Mode == ModeGitlink {
			continue
		}
		if e.Stage > 0 {
			for i+1 < len(ix.Entries) && ix.Entries[i+1].Path == e.Path {
				i++
			}
			if !opts.Unmerged {
				show(": needs merge\n", e.Path)
			}
			continue
		}
		updated, errno := ix.refreshEntry(e, opts, seen, stats[i])
		if updated == e {
			continue
		}
		if updated == nil {
			if opts.Really && errno == syscall.EINVAL {
				e.AssumeValid = false
				res.Changed = true
			}
			if opts.Quiet {
				continue
			}
			show(": needs update\n", e.Path)
			continue
		}
		ix.Entries[i] = updated
		res.Changed = true
	}
	res.Output = string(out)
	ix.modified = ix.modified || res.Changed
	return res
}

// refreshEntry is git's refresh_cache_ent: it returns e itself when
// nothing changes, a new entry with fresh stat data when only stat data
// changed, or nil with the reason (ENOENT, or EINVAL for changed
// content) and the change bits.
func (ix *Index) refreshEntry(e *Entry, opts RefreshOptions, seen map[string]bool, st lstatResult) (*Entry, syscall.Errno) {
	if e.upToDate {
		return e, 0
	}
	if e.SkipWorktree || (!opts.Really && e.AssumeValid) {
		e.upToDate = true
		return e, 0
	}
	if ix.Options.beyondSymlink(e.Path, seen) {
		if opts.IgnoreMissing {
			return e, 0
		}
		return nil, syscall.ENOENT
	}
	info, err := st.info, st.err
	if !st.done {
		info, err = ix.Options.lstat(e.Path)
	}
	if err != nil {
		var errno syscall.Errno
		if !errors.As(err, &errno) {
			errno = syscall.EIO
		}
		if opts.IgnoreMissing && errno == syscall.ENOENT {
			return e, 0
		}
		return nil, errno
	}
	flags := matchFlags(0)
	if opts.Really {
		flags = matchIgnoreValid
	}
	changed := ix.matchStat(e, info, flags)
	if changed == 0 {
		if e.Mode != ModeGitlink {
			e.upToDate = true
		}
		return e, 0
	}
	if ix.contentModified(e, info, flags) != 0 {
		return nil, syscall.EINVAL
	}
	updated := *e
	updated.Stat = statFromFileInfo(info)
	updated.upToDate = info.Mode().IsRegular()
	return &updated, 0
}

type lstatResult struct {
	info fs.FileInfo
	err  error
	done bool
}

// preloadStats lstats the entries Refresh will look at on several
// goroutines, as git's core.preloadIndex does with threads: on a large
// index the time is the file system's, not the CPU's.
func (ix *Index) preloadStats(opts RefreshOptions) []lstatResult {
	const perWorker = 500
	stats := make([]lstatResult, len(ix.Entries))
	workers := min(runtime.GOMAXPROCS(0)*4, (len(ix.Entries)+perWorker-1)/perWorker)
	if workers < 2 {
		return stats
	}
	chunk := (len(ix.Entries) + workers - 1) / workers
	var wg sync.WaitGroup
	for start := 0; start < len(ix.Entries); start += chunk {
		end := min(start+chunk, len(ix.Entries))
		wg.Go(func() {
			for i := start; i < end; i++ {
				e := ix.Entries[i]
				if e.Stage > 0 || e.upToDate || e.SkipWorktree || (!opts.Really && e.AssumeValid) {
					continue
				}
				info, err := ix.Options.lstat(e.Path)
				stats[i] = lstatResult{info: info, err: err, done: true}
			}
		})
	}
	wg.Wait()
	return stats
}
