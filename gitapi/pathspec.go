package gitapi

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// This file holds what the index commands (ls-files, update-index,
// diff-index, diff-files) share: reading the index as git does, turning
// command-line paths into index paths, and literal pathspecs.

// OpenIndex reads the repository's index (GIT_INDEX_FILE or .git/index)
// with the work tree settings from the configuration.
func (r *Repo) OpenIndex() (*index.Index, error) {
	opts, err := r.IndexOptions()
	if err != nil {
		return nil, err
	}
	if h := r.heldFor(); h != nil {
		return r.openHeld(h, opts)
	}
	return index.Open(r.indexFile, opts)
}

// IndexFileShown is the index file as git names it in messages:
// $GIT_INDEX_FILE as given, else the index in the git directory as git
// holds it.
func (r *Repo) IndexFileShown() string {
	if f, ok := r.env.nonEmpty("GIT_INDEX_FILE"); ok {
		return f
	}
	return r.gitDirInternal + "/index"
}

// PrefixPath is git's prefix_path: a path given on the command line
// (relative to the directory the command runs in, or absolute) as a
// Path from the top of the work tree, with "." and ".." resolved and
// repeated slashes collapsed; ok is false when it leads outside.
func PrefixPath(workTree, prefix, arg string) (string, bool) {
	p := prefix + arg
	if filepath.IsAbs(arg) {
		switch {
		case arg == workTree || arg == workTree+"/":
			return "", true
		case strings.HasPrefix(arg, workTree+"/"):
			p = arg[len(workTree)+1:]
		default:
			return "", false
		}
	}
	return normalizePath(p)
}

// normalizePath resolves "." and ".." components and collapses slashes,
// keeping a trailing slash, as git's normalize_path_copy does; ok is
// false when ".." climbs above the top.
func normalizePath(p string) (string, bool) {
	var out []string
	comps := strings.Split(p, "/")
	trailing := false
	for i, comp := range comps {
		last := i == len(comps)-1
		switch comp {
		case "", ".":
			trailing = trailing || (last && len(out) > 0)
		case "..":
			if len(out) == 0 {
				return "", false
			}
			out = out[:len(out)-1]
			trailing = last && len(out) > 0
		default:
			out = append(out, comp)
			trailing = false
		}
	}
	s := strings.Join(out, "/")
	if trailing {
		s += "/"
	}
	return s, true
}

// Pathspec is a list of command-line paths as git's pathspec matching
// sees them: literal paths (a path matches itself and everything below
// it), ":/" for the top of the work tree, and globs (*, ?, [...]) whose
// "*" also matches "/".
type Pathspec struct {
	Items []PathspecItem
}

// PathspecItem is one path of a Pathspec.
type PathspecItem struct {
	Original string // as given, for messages
	Path     string // from the top of the work tree
	Glob     *regexp.Regexp
	Prefix   string // the part before the first glob character
}

// HasGlob reports whether s has a glob character git's pathspecs honour.
func HasGlob(s string) bool { return strings.ContainsAny(s, "*?[\\") }

// ParsePathspec reads paths given from the directory prefix; one that
// leads outside the work tree is an *OutsideError.
func ParsePathspec(workTree, prefix string, paths []string) (Pathspec, error) {
	var ps Pathspec
	for _, arg := range paths {
		item := PathspecItem{Original: arg}
		p, found := strings.CutPrefix(arg, ":/")
		if !found {
			if p, found = PrefixPath(workTree, prefix, arg); !found {
				return ps, &OutsideError{Path: arg, WorkTree: workTree}
			}
		}
		item.Path = p
		if HasGlob(p) {
			i := strings.IndexAny(p, "*?[\\")
			item.Prefix = p[:i]
			item.Glob = pathspecGlob(p)
		}
		ps.Items = append(ps.Items, item)
	}
	return ps, nil
}

// CommonDir is the leading directory ("dir/", or "") common to every
// item, up to its first glob character (git's common_prefix_len).
func (ps Pathspec) CommonDir() string {
	common := ""
	for i, it := range ps.Items {
		p := it.Path
		if it.Glob != nil {
			p = it.Prefix
		}
		if i == 0 {
			common = p
			continue
		}
		n := 0
		for n < len(common) && n < len(p) && common[n] == p[n] {
			n++
		}
		common = common[:n]
	}
	return common[:strings.LastIndexByte(common, '/')+1]
}

// Empty reports whether no paths were given (everything matches).
func (ps Pathspec) Empty() bool { return len(ps.Items) == 0 }

// Match reports which item, if any, matches path (-1 for none; with no
// Items everything matches, reported as 0).
func (ps Pathspec) Match(path string) int {
	if ps.Empty() {
		return 0
	}
	for i, it := range ps.Items {
		if it.Matches(path) {
			return i
		}
	}
	return -1
}

// Matches reports whether path (from the top of the work tree, "dir/"
// for a directory) is the item's path, below it, or matches its glob.
func (it PathspecItem) Matches(path string) bool {
	if it.Glob != nil {
		return strings.HasPrefix(path, it.Prefix) && it.Glob.MatchString(strings.TrimSuffix(path, "/"))
	}
	spec := it.Path
	switch {
	case spec == "":
		return true
	case strings.HasSuffix(spec, "/"):
		// "dir/" names a directory: its entries, or ls-files' "dir/".
		return strings.HasPrefix(path, spec)
	default:
		return path == spec || strings.HasPrefix(path, spec+"/")
	}
}

// pathspecGlob translates a pathspec glob into an anchored regexp:
// unlike wildmatch's, its "*" and "?" match "/" too (git's fnmatch
// without FNM_PATHNAME). An invalid class matches literally.
func pathspecGlob(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '*':
			b.WriteString(".*")
		case c == '?':
			b.WriteString(".")
		case c == '[':
			n, ok := writeClass(&b, p[i:])
			if !ok {
				b.WriteString(`\[`)
				continue
			}
			i += n - 1
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile("^" + regexp.QuoteMeta(p) + "$")
	}
	return re
}

// PathQuoter returns how the command prints paths: C-quoted as git does,
// with bytes above 0x7f left as they are under core.quotePath=false.
func (r *Repo) PathQuoter() func(string) string {
	cfg, err := r.Config()
	if err != nil {
		return QuotePath
	}
	if fully, err := cfg.Bool("core.quotepath", true); err != nil || fully {
		return QuotePath
	}
	return quotePathKeepHigh
}

// quotePathKeepHigh is QuotePath without escaping bytes above 0x7f.
func quotePathKeepHigh(name string) string {
	needs := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
			needs = true
			break
		}
	}
	if !needs {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= 0x80 {
			continue
		}
		// Quote each run of plain-ASCII bytes with the full rules.
		q := QuotePath(name[i : i+1])
		if len(q) > 1 && q[0] == '"' {
			b.WriteString(name[start:i])
			b.WriteString(q[1 : len(q)-1])
			start = i + 1
		}
	}
	b.WriteString(name[start:])
	b.WriteByte('"')
	return b.String()
}
