package dash

import (
	"os"
	"sort"
	"strings"
)

// Glob does dash's pathname expansion of one field. The pattern's
// special characters are *, ? and [...]; a backslash makes the next byte
// literal (QuoteMeta escapes quoted text this way). Relative patterns are
// resolved against dir and the results spelled as the pattern spells
// them. A name starting with '.' is matched only by a component that
// itself starts with '.' (which then matches "." and ".." too); a
// trailing '/' keeps directories only. The matches come sorted by byte
// value, as dash sorts them. No match gives nil, and the caller keeps
// the word as it was.
func Glob(dir, pattern string) []string {
	g := globber{dir: dir}
	prefix, rest := "", pattern
	if strings.HasPrefix(pattern, "/") {
		prefix, rest = "/", pattern[1:]
	}
	g.expand(prefix, rest)
	sort.Strings(g.matches)
	return g.matches
}

// globber collects the matches of one pattern.
type globber struct {
	dir     string
	matches []string
}

// expand matches pattern (what is left of the whole pattern) under the
// directory named by prefix, which ends in '/' unless empty.
func (g *globber) expand(prefix, pattern string) {
	component, rest, more := cutComponent(pattern)
	if !hasGlobMeta(component) {
		name := prefix + unescapePattern(component)
		if more {
			g.expand(name+"/", rest)
			return
		}
		if _, err := os.Lstat(g.osPath(name)); err == nil {
			g.matches = append(g.matches, name)
		}
		return
	}
	for _, name := range g.readDir(prefix, matchesDot(component)) {
		if !Match(component, name) {
			continue
		}
		if more {
			g.expand(prefix+name+"/", rest)
		} else {
			g.matches = append(g.matches, prefix+name)
		}
	}
}

// cutComponent splits off the first '/'-separated component of pattern.
func cutComponent(pattern string) (component, rest string, more bool) {
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '\\':
			if i+1 < len(pattern) && pattern[i+1] != '/' {
				i++
			}
		case '/':
			return pattern[:i], pattern[i+1:], true
		}
	}
	return pattern, "", false
}

// hasGlobMeta reports whether a component has an unescaped * or ?, or a
// [ with a closing ] after it, as dash decides whether to read the
// directory at all.
func hasGlobMeta(component string) bool {
	for i := 0; i < len(component); i++ {
		switch component[i] {
		case '*', '?':
			return true
		case '\\':
			i++
		case '[':
			j := i + 1
			if j < len(component) && component[j] == '!' {
				j++
			}
			for ; j < len(component); j++ {
				if component[j] == '\\' {
					j++
					continue
				}
				if j+1 < len(component) && component[j+1] == ']' {
					return true
				}
			}
		}
	}
	return false
}

// matchesDot reports whether a component may match names starting with
// '.': it starts with a '.' of its own, escaped or not.
func matchesDot(component string) bool {
	return strings.HasPrefix(component, ".") || strings.HasPrefix(component, `\.`)
}

// unescapePattern removes a pattern's backslash escapes.
func unescapePattern(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// readDir lists the directory named by prefix, with "." and ".." when
// dot names are wanted, as readdir returns them; an unreadable directory
// lists nothing.
func (g *globber) readDir(prefix string, dots bool) []string {
	path := g.osPath(prefix)
	if prefix == "" {
		path = g.osPath(".")
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil
	}
	var names []string
	if dots {
		names = append(names, ".", "..")
	}
	for _, e := range entries {
		if dots || !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names
}

// osPath resolves a name from the pattern against dir.
func (g *globber) osPath(name string) string {
	return IO{Dir: g.dir}.path(name)
}
