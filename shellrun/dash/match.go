package dash

import "strings"

// Match reports whether s matches the shell pattern, as dash matches a
// case pattern or a ${x#pattern} pattern: * and ? match any bytes ('/'
// and a leading '.' included), [...] is a bracket expression with ! for
// negation, ranges and [:class:]es, and a backslash makes the next byte
// literal. A [ with no closing ] is an ordinary character. To build a
// pattern from a word, pass unquoted expansions as they are (in dash a
// backslash in them escapes, as in `case $x in $pat)`) and put quoted
// parts through QuoteMeta.
func Match(pattern, s string) bool {
	// Every element but * matches exactly one byte, so on a mismatch it
	// is enough to let the last * take one more byte and go on.
	pi, si := 0, 0
	starP, starS := -1, 0
	for {
		if pi < len(pattern) && pattern[pi] == '*' {
			for pi < len(pattern) && pattern[pi] == '*' {
				pi++
			}
			starP, starS = pi, si
			continue
		}
		if pi == len(pattern) && si == len(s) {
			return true
		}
		if pi < len(pattern) && si < len(s) {
			if ok, next := matchElement(pattern, pi, s[si]); ok {
				pi, si = next, si+1
				continue
			}
		}
		if starP < 0 || starS >= len(s) {
			return false
		}
		starS++
		pi, si = starP, starS
	}
}

// matchElement matches the byte c against the pattern element (not *)
// at pattern[i] and returns where the next element starts.
func matchElement(pattern string, i int, c byte) (bool, int) {
	p := pattern[i]
	i++
	switch p {
	case '?':
		return true, i
	case '\\':
		if i < len(pattern) {
			p = pattern[i]
			i++
		}
	case '[':
		if found, n, ok := matchBracket(pattern[i:], c); ok {
			return found, i + n
		}
	}
	return c == p, i
}

// matchBracket matches the byte c against the bracket expression whose
// body starts at p (just after the [). It returns whether c is in the
// set, how much of p the expression took, and false if the expression
// has no closing ].
func matchBracket(p string, c byte) (found bool, length int, ok bool) {
	i := 0
	invert := false
	if i < len(p) && p[i] == '!' {
		invert = true
		i++
	}
	first := true
	for {
		if i >= len(p) {
			return false, 0, false
		}
		lo := p[i]
		i++
		if lo == ']' && !first {
			return found != invert, i, true
		}
		first = false
		if lo == '[' {
			if in, n, isClass := matchClass(p[i:], c); isClass {
				found = found || in
				i += n
				continue
			}
		} else if lo == '\\' {
			if i >= len(p) {
				return false, 0, false
			}
			lo = p[i]
			i++
		}
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			i++
			if p[i] == '\\' {
				i++
			}
			if i >= len(p) {
				return false, 0, false
			}
			if c >= lo && c <= p[i] {
				found = true
			}
			i++
			continue
		}
		if c == lo {
			found = true
		}
	}
}

// charClasses are the [:name:] classes of the C locale.
var charClasses = map[string]func(c byte) bool{
	"alnum":  func(c byte) bool { return isAlpha(c) || isDecimalDigit(c) },
	"alpha":  isAlpha,
	"blank":  func(c byte) bool { return c == ' ' || c == '\t' },
	"cntrl":  func(c byte) bool { return c < 32 || c == 127 },
	"digit":  isDecimalDigit,
	"graph":  func(c byte) bool { return c > 32 && c < 127 },
	"lower":  func(c byte) bool { return c >= 'a' && c <= 'z' },
	"print":  func(c byte) bool { return c >= 32 && c < 127 },
	"punct":  func(c byte) bool { return c > 32 && c < 127 && !isAlpha(c) && !isDecimalDigit(c) },
	"space":  func(c byte) bool { return strings.IndexByte(cSpace, c) >= 0 },
	"upper":  func(c byte) bool { return c >= 'A' && c <= 'Z' },
	"xdigit": isHexDigit,
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// matchClass reads a ":name:]" class at the start of p (after a [ inside
// a bracket expression) and reports whether c is in it and its length.
func matchClass(p string, c byte) (in bool, length int, ok bool) {
	if !strings.HasPrefix(p, ":") {
		return false, 0, false
	}
	end := strings.Index(p[1:], ":]")
	if end < 0 {
		return false, 0, false
	}
	class, known := charClasses[p[1:1+end]]
	if !known {
		return false, 0, false
	}
	return class(c), end + 3, true
}

// QuoteMeta returns s with every byte that is special in a pattern
// escaped, so that Match, Glob and the Trim functions take it literally
// (the quoted parts of a pattern, as in ${x#"$prefix"}).
func QuoteMeta(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`\*?[]!-^`, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TrimPrefix removes the shortest (or with longest, the longest) prefix
// of s that matches pattern, as ${s#pattern} and ${s##pattern} do.
func TrimPrefix(s, pattern string, longest bool) string {
	for n := range len(s) + 1 {
		if longest {
			n = len(s) - n
		}
		if Match(pattern, s[:n]) {
			return s[n:]
		}
	}
	return s
}

// TrimSuffix removes the shortest (or with longest, the longest) suffix
// of s that matches pattern, as ${s%pattern} and ${s%%pattern} do.
func TrimSuffix(s, pattern string, longest bool) string {
	for n := range len(s) + 1 {
		if !longest {
			n = len(s) - n
		}
		if Match(pattern, s[n:]) {
			return s[:n]
		}
	}
	return s
}
