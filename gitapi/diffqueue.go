package gitapi

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// WorkTreeHas reports whether a command-line path names something in the
// work tree (git's verify_filename).
func (r *Repo) WorkTreeHas(arg string) bool {
	if r.workTree == "" {
		return false
	}
	p, ok := PrefixPath(r.workTree, r.prefix, arg)
	if !ok {
		return false
	}
	// Joined by hand: a trailing slash must stay, so that "file/" fails.
	_, err := os.Lstat(r.workTree + "/" + p)
	return err == nil
}

// SubmoduleSettingsMatter reports whether .gitmodules or the
// configuration has settings (submodule.<name>.ignore) that change how
// git diffs submodules, which the in-process face leaves to git. git
// reads .gitmodules from the work tree, else from the index;
// --ignore-submodules overrides them all.
func (r *Repo) SubmoduleSettingsMatter(ix *index.Index, ignoreSubmodules bool) bool {
	if ignoreSubmodules || r.workTree == "" {
		return false
	}
	if cfg, err := r.Config(); err != nil || slices.ContainsFunc(cfg.entries, func(e ConfigEntry) bool { return submoduleConfigKey(e.Key) }) {
		return true
	}
	data, err := os.ReadFile(filepath.Join(r.workTree, ".gitmodules"))
	if err != nil {
		e := ix.Entry(".gitmodules", 0)
		if e == nil {
			return false
		}
		if _, data, err = r.ReadObject(Hash(e.ID)); err != nil {
			return false
		}
	}
	return strings.Contains(strings.ToLower(string(data)), "ignore")
}
