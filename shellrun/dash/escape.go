package dash

// isOctal reports whether c is an octal digit.
func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// formatEscape interprets the backslash escape that starts at s[0] (the
// character after a backslash) as dash's printf does in a format string.
// It returns the bytes to output and how many bytes of s it consumed. An
// unknown escape outputs the backslash alone and consumes nothing, so
// the character after it is read again as ordinary text.
func formatEscape(s string) (out byte, used int) {
	if s == "" {
		return '\\', 0
	}
	switch c := s[0]; c {
	case '\\':
		return '\\', 1
	case 'a':
		return '\a', 1
	case 'b':
		return '\b', 1
	case 'e':
		return 033, 1
	case 'f':
		return '\f', 1
	case 'n':
		return '\n', 1
	case 'r':
		return '\r', 1
	case 't':
		return '\t', 1
	case 'v':
		return '\v', 1
	default:
		if !isOctal(c) {
			return '\\', 0
		}
		n, i := 0, 0
		for ; i < len(s) && i < 3 && isOctal(s[i]); i++ {
			n = n*8 + int(s[i]-'0')
		}
		return byte(n), i
	}
}

// expandEscapes interprets backslash escapes as dash's echo and printf's
// %b do: the format escapes, plus \0NNN for octal and \c, which ends all
// output. It returns the expanded bytes and whether \c was seen.
func expandEscapes(s string) (out []byte, stop bool) {
	out = make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		rest := s[i+1:]
		if rest != "" && rest[0] == 'c' {
			return out, true
		}
		// In %b and echo an octal escape may carry a leading 0 that
		// does not count towards its three digits.
		if len(rest) > 1 && rest[0] == '0' && isOctal(rest[1]) {
			rest = rest[1:]
			i++
		}
		c, used := formatEscape(rest)
		out = append(out, c)
		i += used
	}
	return out, false
}
