package gitapi

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// This file holds what the index commands (ls-files, update-index,
// diff-index, diff-files) share: reading the index as git does, turning
// command-line paths into index paths, and literal pathspecs.

// openIndex reads the repository's index (GIT_INDEX_FILE or .git/index)
// with the work tree settings from the configuration.
func (r *Repo) openIndex() (*index.Index, error) {
	opts, err := r.indexOptions()
	if err != nil {
		return nil, err
	}
	return index.Open(r.indexFile, opts)
}

// indexFatal reports a failure to read or lock the index as git does: a
// file too short to be an index names the file; a bad header or an
// extension git does not know is "error: <why>" then "fatal: index file
// corrupt"; other damage is git's own fatal message.
func (c *command) indexFatal(err error) int {
	var ce *index.CorruptError
	if !errors.As(err, &ce) {
		return c.fatalErr(err)
	}
	switch {
	case ce.Msg == "index file smaller than expected":
		return c.fatal("%s: %s", c.repo.indexFileShown(), ce.Msg)
	case strings.HasPrefix(ce.Msg, "bad ") || strings.HasPrefix(ce.Msg, "index uses "):
		c.errorf("%s", ce.Msg)
		return c.fatal("index file corrupt")
	}
	return c.fatal("%s", ce.Msg)
}

// indexFileShown is the index file as git names it in messages:
// $GIT_INDEX_FILE as given, else the index in the git directory as git
// holds it.
func (r *Repo) indexFileShown() string {
	if f, ok := r.env.nonEmpty("GIT_INDEX_FILE"); ok {
		return f
	}
	return r.gitDirInternal + "/index"
}

// prefixPath is git's prefix_path: a path given on the command line
// (relative to the directory the command runs in, or absolute) as a
// path from the top of the work tree, with "." and ".." resolved and
// repeated slashes collapsed; ok is false when it leads outside.
func prefixPath(workTree, prefix, arg string) (string, bool) {
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

// pathspec is a list of command-line paths as git's pathspec matching
// sees them: literal paths (a path matches itself and everything below
// it), ":/" for the top of the work tree, and globs (*, ?, [...]) whose
// "*" also matches "/".
type pathspec struct {
	items []pathspecItem
}

type pathspecItem struct {
	original string // as given, for messages
	path     string // from the top of the work tree
	glob     *regexp.Regexp
	prefix   string // the part before the first glob character
}

// hasGlob reports whether s has a glob character git's pathspecs honour.
func hasGlob(s string) bool { return strings.ContainsAny(s, "*?[\\") }

// parsePathspec reads paths given from the directory prefix; bad holds
// the argument that leads outside the work tree.
func parsePathspec(workTree, prefix string, args []string) (ps pathspec, bad string, ok bool) {
	for _, arg := range args {
		item := pathspecItem{original: arg}
		p, found := strings.CutPrefix(arg, ":/")
		if !found {
			if p, found = prefixPath(workTree, prefix, arg); !found {
				return ps, arg, false
			}
		}
		item.path = p
		if hasGlob(p) {
			i := strings.IndexAny(p, "*?[\\")
			item.prefix = p[:i]
			item.glob = pathspecGlob(p)
		}
		ps.items = append(ps.items, item)
	}
	return ps, "", true
}

// commonDir is the leading directory ("dir/", or "") common to every
// item, up to its first glob character (git's common_prefix_len).
func (ps pathspec) commonDir() string {
	common := ""
	for i, it := range ps.items {
		p := it.path
		if it.glob != nil {
			p = it.prefix
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

// empty reports whether no paths were given (everything matches).
func (ps pathspec) empty() bool { return len(ps.items) == 0 }

// match reports which item, if any, matches path (-1 for none; with no
// items everything matches, reported as 0).
func (ps pathspec) match(path string) int {
	if ps.empty() {
		return 0
	}
	for i, it := range ps.items {
		if it.matches(path) {
			return i
		}
	}
	return -1
}

func (it pathspecItem) matches(path string) bool {
	if it.glob != nil {
		return strings.HasPrefix(path, it.prefix) && it.glob.MatchString(strings.TrimSuffix(path, "/"))
	}
	spec := it.path
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

// pathQuoter returns how the command prints paths: C-quoted as git does,
// with bytes above 0x7f left as they are under core.quotePath=false.
func (r *Repo) pathQuoter() func(string) string {
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
