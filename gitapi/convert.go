package gitapi

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// systemAttributes is the installed git's system-wide attributes file
// (Debian builds git with prefix /usr and sysconfdir /etc).
const systemAttributes = "/etc/gitattributes"

// MayConvert reports whether git could change the content of the file at
// path (from the top of the work tree) on its way into the repository:
// core.autocrlf is on, or a gitattributes file that could apply to it
// exists (the system's, core.attributesFile, info/attributes, or a
// .gitattributes in the work tree or the index in a directory on the
// way to path). gitapi does not apply attributes yet (text, eol, ident,
// filter, working-tree-encoding), so a true answer means the content is
// git's to convert: callers hand such a call to Fallback. The answer
// errs on the side of true: an attributes file that sets nothing for
// path counts.
func (r *Repo) MayConvert(p string) (bool, error) {
	return r.mayConvert(attributeDirs(p), nil, nil)
}

// MayConvertAny is MayConvert for every path of the work tree: true also
// when any .gitattributes is in the index, or at the top of the work
// tree. Commands that write or read many work tree files (git apply)
// ask it before they run in-process.
func (r *Repo) MayConvertAny() (bool, error) {
	return r.mayConvert([]string{""}, nil, func(name string) bool {
		return name == ".gitattributes" || strings.HasSuffix(name, "/.gitattributes")
	})
}

// mayConvert is MayConvert with the work tree directories whose
// .gitattributes count, and, when inIndex is set, the index entries that
// count as attributes files (else those in dirs). The index is read
// from its file unless ix is given.
func (r *Repo) mayConvert(dirs []string, ix *index.Index, inIndex func(string) bool) (bool, error) {
	cfg, err := r.Config()
	if err != nil {
		return false, err
	}
	if v, ok := cfg.Get("core.autocrlf"); ok {
		if on, err := cfg.Bool("core.autocrlf", false); err != nil || on || strings.EqualFold(v, "input") {
			return true, nil
		}
	}
	var files []string
	if !r.env.boolean("GIT_ATTR_NOSYSTEM", false) {
		files = append(files, systemAttributes)
	}
	global, ok, err := cfg.Path("core.attributesfile")
	switch {
	case err != nil:
		return false, err
	case ok:
		files = append(files, global)
	default:
		if x, ok := r.env.nonEmpty("XDG_CONFIG_HOME"); ok {
			files = append(files, filepath.Join(x, "git", "attributes"))
		} else if home := r.env.Get("HOME"); home != "" {
			files = append(files, filepath.Join(home, ".config", "git", "attributes"))
		}
	}
	files = append(files, filepath.Join(r.commonDir, "info", "attributes"))
	if r.workTree != "" {
		for _, d := range dirs {
			files = append(files, filepath.Join(r.workTree, filepath.FromSlash(d), ".gitattributes"))
		}
	}
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			return true, nil
		}
	}
	if ix == nil {
		if ix, err = r.OpenIndex(); err != nil {
			if os.IsNotExist(err) {
				return false, nil
			}
			return false, err
		}
	}
	if inIndex != nil {
		for _, e := range ix.Entries {
			if inIndex(e.Path) {
				return true, nil
			}
		}
		return false, nil
	}
	for _, d := range dirs {
		if name := path.Join(d, ".gitattributes"); ix.Entry(name, 0) != nil || ix.Unmerged(name) {
			return true, nil
		}
	}
	return false, nil
}

// attributeDirs are the directories whose .gitattributes apply to p:
// "" (the top), then each parent directory of p down to its own.
func attributeDirs(p string) []string {
	dirs := []string{""}
	p = strings.Trim(p, "/")
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			dirs = append(dirs, p[:i])
		}
	}
	return dirs
}
