package mailinfo

import "bytes"

// isSpace is git's isspace: only space, tab, LF and CR (not \v or \f).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// cstr cuts b at its first NUL byte: git hands many buffers to C string
// functions, which see only that much.
func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// at returns b[i], or NUL past the end, like reading a C string's
// terminator.
func at(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

func rtrim(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func trim(b []byte) []byte {
	b = rtrim(b)
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// cleanupSpace turns every run of whitespace into a single space.
func cleanupSpace(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if !isSpace(b[i]) {
			out = append(out, b[i])
			continue
		}
		out = append(out, ' ')
		for i+1 < len(b) && isSpace(b[i+1]) {
			i++
		}
	}
	return out
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with prefix, ASCII case folded.
func hasPrefixFold(s []byte, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != lowerASCII(prefix[i]) {
			return false
		}
	}
	return true
}

// indexFold is strcasestr: the index of the first ASCII case-folded match
// of sub in s, or -1.
func indexFold(s []byte, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}

// equalFold is strcasecmp(a, b) == 0 for ASCII.
func equalFold(a, b string) bool {
	return len(a) == len(b) && hasPrefixFold([]byte(a), b)
}

func hexValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// decodeQ decodes quoted-printable text up to its first NUL; rfc2047
// selects the encoded-word flavour, where '_' stands for a space. A '='
// at the end of the text (a soft line break) ends the output.
func decodeQ(in []byte, rfc2047 bool) []byte {
	in = cstr(in)
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c == '=' {
			d := at(in, i+1)
			if d == '\n' || d == 0 {
				break
			}
			hi, lo := hexValue(d), hexValue(at(in, i+2))
			if hi >= 0 && lo >= 0 {
				out = append(out, byte(hi<<4|lo))
				i += 2
				continue
			}
		}
		if rfc2047 && c == '_' {
			c = ' '
		}
		out = append(out, c)
	}
	return out
}

// decodeB decodes base64 text up to its first NUL, skipping every byte
// that is not in the alphabet (padding included) and dropping leftover bits.
func decodeB(in []byte) []byte {
	in = cstr(in)
	out := make([]byte, 0, len(in)*3/4)
	pos, acc := 0, 0
	for _, ch := range in {
		c := base64Value(ch)
		if c < 0 {
			continue
		}
		switch pos {
		case 0:
			acc = c << 2
		case 1:
			out = append(out, byte(acc|c>>4))
			acc = (c & 15) << 4
		case 2:
			out = append(out, byte(acc|c>>2))
			acc = (c & 3) << 6
		case 3:
			out = append(out, byte(acc|c))
		}
		pos = (pos + 1) % 4
	}
	return out
}

func base64Value(c byte) int {
	switch {
	case c == '+':
		return 62
	case c == '/':
		return 63
	case 'A' <= c && c <= 'Z':
		return int(c - 'A')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 26
	case '0' <= c && c <= '9':
		return int(c-'0') + 52
	}
	return -1
}
