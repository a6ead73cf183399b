package gitapi

import (
	"regexp"
	"strings"
)

// wildmatch matches text against a glob with git's WM_PATHNAME rules: '*'
// and '?' do not match '/', "**/" matches any run of leading directories,
// "/**" at the end matches everything below, "/**/" one or more
// directories or none, and [...] classes ([!...] or [^...] negated).
func wildmatch(pattern, text string, fold bool) bool {
	re, ok := globRegexp(pattern, fold)
	return ok && re.MatchString(text)
}

// globRegexp translates a wildmatch pattern into an anchored regexp.
func globRegexp(pattern string, fold bool) (*regexp.Regexp, bool) {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case strings.HasPrefix(pattern[i:], "**"):
			n := writeDoubleStar(&b, pattern, i)
			i += n - 1
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			n, ok := writeClass(&b, pattern[i:])
			if !ok {
				return nil, false
			}
			i += n - 1
		case c == '\\' && i+1 < len(pattern):
			i++
			b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return re, err == nil
}

// writeDoubleStar translates a "**" at pattern[i:] and returns how many
// pattern bytes it used.
func writeDoubleStar(b *strings.Builder, pattern string, i int) int {
	atStart := i == 0 || pattern[i-1] == '/'
	rest := pattern[i+2:]
	switch {
	case atStart && strings.HasPrefix(rest, "/"):
		b.WriteString("(?:.*/)?")
		return 3
	case atStart && rest == "":
		b.WriteString(".*")
		return 2
	default:
		b.WriteString("[^/]*")
		return 2
	}
}

// writeClass translates a bracket expression and returns its length.
func writeClass(b *strings.Builder, s string) (int, bool) {
	i := 1
	var cls strings.Builder
	cls.WriteString("[")
	if i < len(s) && (s[i] == '!' || s[i] == '^') {
		cls.WriteString("^")
		i++
	}
	if i < len(s) && s[i] == ']' {
		cls.WriteString(`\]`)
		i++
	}
	for ; i < len(s); i++ {
		switch s[i] {
		case ']':
			cls.WriteString("]")
			b.WriteString(cls.String())
			return i + 1, true
		case '\\', '[':
			cls.WriteString(`\` + s[i:i+1])
		default:
			cls.WriteByte(s[i])
		}
	}
	return 0, false
}
