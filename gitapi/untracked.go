package gitapi

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// UntrackedOptions choose what Untracked lists, as ls-files --others's
// options do.
type UntrackedOptions struct {
	// Excludes, when not nil, keeps out what the exclude rules ignore
	// (ls-files --exclude-standard: see Repo.StandardExcludes).
	Excludes *Excludes
	// Directory lists a wholly untracked directory as "dir/" instead of
	// its files (--directory).
	Directory bool
	// NoEmptyDirectory leaves out untracked directories with nothing
	// to list (--no-empty-directory).
	NoEmptyDirectory bool
}

// Untracked lists, sorted, the work tree's files (or directories, with
// Directory) that ix does not track, as `git ls-files --others` does: a
// nested repository is listed as a directory and not entered. A bare
// repository has none.
func (r *Repo) Untracked(ix *index.Index, opts UntrackedOptions) []string {
	if r.workTree == "" {
		return nil
	}
	w := newUntrackedWalk(r, ix, opts)
	w.walk("")
	sort.Strings(w.found)
	return w.found
}

// newUntrackedWalk prepares a walk of r's work tree against ix.
func newUntrackedWalk(r *Repo, ix *index.Index, opts UntrackedOptions) *untrackedWalk {
	w := &untrackedWalk{r: r, opts: opts, tracked: map[string]bool{}, trackedDirs: map[string]bool{}, fold: r.ignoreCase()}
	for _, e := range ix.Entries {
		w.tracked[w.key(e.Path)] = true
		for dir := parentDir(e.Path); dir != ""; dir = parentDir(strings.TrimSuffix(dir, "/")) {
			w.trackedDirs[w.key(dir)] = true
		}
	}
	return w
}

// untrackedWalk is git's fill_directory for --others.
type untrackedWalk struct {
	r           *Repo
	opts        UntrackedOptions
	tracked     map[string]bool // index paths
	trackedDirs map[string]bool // their leading directories, as "dir/"
	fold        bool            // core.ignoreCase: names match the index regardless of case
	found       []string
}

// ignoreCase is core.ignoreCase.
func (r *Repo) ignoreCase() bool {
	cfg, err := r.Config()
	if err != nil {
		return false
	}
	fold, _ := cfg.Bool("core.ignorecase", false)
	return fold
}

// isNestedRepo reports whether dir holds a repository of its own, which
// git shows as a directory and does not enter.
func isNestedRepo(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

// key is how a name is looked up among the index's paths.
func (w *untrackedWalk) key(name string) string {
	if w.fold {
		return strings.ToLower(name)
	}
	return name
}

// walk lists dir ("" or "dir/") and records what it finds.
func (w *untrackedWalk) walk(dir string) {
	w.found = append(w.found, w.scan(dir, false)...)
}

// scan returns the untracked names under dir; with probe it stops at
// the first (to tell an empty directory from one with content).
func (w *untrackedWalk) scan(dir string, probe bool) []string {
	ex := w.opts.Excludes
	if ex != nil {
		ex.enterDir(dir)
	}
	entries, err := os.ReadDir(filepath.Join(w.r.workTree, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, de := range entries {
		name := de.Name()
		path := dir + name
		if name == ".git" || w.tracked[w.key(path)] {
			continue
		}
		isDir := de.IsDir()
		if ex.excluded(path, isDir) {
			continue
		}
		if !isDir {
			out = append(out, path)
		} else {
			out = append(out, w.directory(path+"/", probe)...)
		}
		if probe && len(out) > 0 {
			return out
		}
	}
	return out
}

// directory handles an untracked or partly tracked directory.
func (w *untrackedWalk) directory(dir string, probe bool) []string {
	if w.trackedDirs[w.key(dir)] {
		return w.scan(dir, probe)
	}
	if isNestedRepo(filepath.Join(w.r.workTree, filepath.FromSlash(dir))) {
		return []string{dir}
	}
	if !w.opts.Directory {
		return w.scan(dir, probe)
	}
	if w.opts.NoEmptyDirectory && len(w.scan(dir, true)) == 0 {
		return nil
	}
	return []string{dir}
}
