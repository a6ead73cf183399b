package gitapi

import (
	"os"
	"path/filepath"
	"strings"
)

// This file holds git's exclude rules (.gitignore, info/exclude,
// core.excludesFile) as ls-files --exclude-standard applies them.

// excludePattern is one line of an exclude file.
type excludePattern struct {
	pattern  string
	base     string // directory of the .gitignore ("" at the top, else "dir/")
	negative bool   // "!pattern"
	mustDir  bool   // "pattern/"
	noDir    bool   // no "/" in the pattern: matched against the basename
}

// parseExcludes reads an exclude file's patterns, relative to base.
func parseExcludes(data, base string) []excludePattern {
	var out []excludePattern
	for _, line := range strings.Split(data, "\n") {
		line = trimExcludeLine(line)
		if line == "" || line[0] == '#' {
			continue
		}
		p := excludePattern{base: base}
		if line[0] == '!' {
			p.negative = true
			line = line[1:]
		} else if line[0] == '\\' && len(line) > 1 && (line[1] == '!' || line[1] == '#') {
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") {
			p.mustDir = true
			line = strings.TrimSuffix(line, "/")
		}
		p.noDir = !strings.Contains(line, "/")
		p.pattern = strings.TrimPrefix(line, "/")
		if p.pattern == "" {
			continue
		}
		out = append(out, p)
	}
	return out
}

// trimExcludeLine drops a trailing CR and unescaped trailing spaces.
func trimExcludeLine(line string) string {
	line = strings.TrimSuffix(line, "\r")
	end := len(line)
	for end > 0 && line[end-1] == ' ' {
		if end >= 2 && line[end-2] == '\\' {
			break
		}
		end--
	}
	return line[:end]
}

// matches reports whether the pattern matches path (from the top; a
// directory has no trailing slash here).
func (p excludePattern) matches(path string, isDir, fold bool) bool {
	if p.mustDir && !isDir {
		return false
	}
	if p.noDir {
		base := path[strings.LastIndexByte(path, '/')+1:]
		return wildmatch(p.pattern, base, fold)
	}
	rest, ok := strings.CutPrefix(path, p.base)
	if fold && !ok && strings.HasPrefix(strings.ToLower(path), strings.ToLower(p.base)) {
		rest, ok = path[len(p.base):], true
	}
	return ok && wildmatch(p.pattern, rest, fold)
}

// Excludes answers whether a path is excluded: per-directory .gitignore
// files (deepest first), then info/exclude, then core.excludesFile; in
// each, the last matching pattern decides.
type Excludes struct {
	workTree string
	fold     bool                        // core.ignoreCase: patterns match regardless of case
	dirs     map[string][]excludePattern // .gitignore patterns by directory ("" or "dir/")
	global   [][]excludePattern          // info/exclude, then core.excludesFile
}

// StandardExcludes sets up --exclude-standard's rules.
func (r *Repo) StandardExcludes() (*Excludes, error) {
	ex := &Excludes{workTree: r.workTree, dirs: map[string][]excludePattern{}}
	if data, err := os.ReadFile(filepath.Join(r.commonDir, "info", "exclude")); err == nil {
		ex.global = append(ex.global, parseExcludes(string(data), ""))
	}
	file, err := r.excludesFile()
	if err != nil {
		return nil, err
	}
	cfg, err := r.Config()
	if err != nil {
		return nil, err
	}
	if ex.fold, err = cfg.Bool("core.ignorecase", false); err != nil {
		return nil, err
	}
	if data, err := os.ReadFile(file); err == nil {
		ex.global = append(ex.global, parseExcludes(string(data), ""))
	}
	return ex, nil
}

// excludesFile is core.excludesFile, else $XDG_CONFIG_HOME/git/ignore or
// ~/.config/git/ignore.
func (r *Repo) excludesFile() (string, error) {
	cfg, err := r.Config()
	if err != nil {
		return "", err
	}
	if p, ok, err := cfg.Path("core.excludesfile"); err != nil || ok {
		return p, err
	}
	if x, ok := r.env.nonEmpty("XDG_CONFIG_HOME"); ok {
		return filepath.Join(x, "git", "ignore"), nil
	}
	if home := r.env.Get("HOME"); home != "" {
		return filepath.Join(home, ".config", "git", "ignore"), nil
	}
	return "", nil
}

// enterDir loads dir's .gitignore ("" is the top, else "dir/").
func (ex *Excludes) enterDir(dir string) {
	if _, ok := ex.dirs[dir]; ok {
		return
	}
	data, err := os.ReadFile(filepath.Join(ex.workTree, filepath.FromSlash(dir), ".gitignore"))
	if err != nil {
		ex.dirs[dir] = nil
		return
	}
	ex.dirs[dir] = parseExcludes(string(data), dir)
}

// excluded reports whether path (whose parent directories are not
// excluded) is excluded.
func (ex *Excludes) excluded(path string, isDir bool) bool {
	if ex == nil {
		return false
	}
	for dir := parentDir(path); ; dir = parentDir(strings.TrimSuffix(dir, "/")) {
		if hit, negative := lastMatch(ex.dirs[dir], path, isDir, ex.fold); hit {
			return !negative
		}
		if dir == "" {
			break
		}
	}
	for _, list := range ex.global {
		if hit, negative := lastMatch(list, path, isDir, ex.fold); hit {
			return !negative
		}
	}
	return false
}

// parentDir is "dir/" for "dir/name", "" for a top-level name.
func parentDir(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return ""
}

func lastMatch(list []excludePattern, path string, isDir, fold bool) (hit, negative bool) {
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].matches(path, isDir, fold) {
			return true, list[i].negative
		}
	}
	return false, false
}
