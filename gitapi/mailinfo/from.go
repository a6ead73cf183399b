package mailinfo

import "bytes"

// saneName returns name unless it is empty, longer than 60 bytes or
// looks like an address, in which case the address stands in for it.
func saneName(name, email []byte) []byte {
	if len(name) == 0 || len(name) > 60 || bytes.ContainsAny(name, "@<>") {
		return email
	}
	return name
}

// handleFrom splits a From value into author name and e-mail address.
func (p *parser) handleFrom(from []byte) {
	f := unquoteQuotedPair(cstr(from))
	atSign := bytes.IndexByte(f, '@')
	if atSign < 0 {
		p.parseBogusFrom(cstr(from))
		return
	}
	if len(p.email) > 0 && bytes.IndexByte(f[atSign+1:], '@') >= 0 {
		return
	}
	// The address is the run of non-blanks around '@', possibly opened
	// by '<' (which becomes a blank so the name keeps no bracket).
	start := atSign
	for start > 0 {
		c := f[start-1]
		if isSpace(c) {
			break
		}
		if c == '<' {
			f[start-1] = ' '
			break
		}
		start--
	}
	length := len(f[start:])
	if i := bytes.IndexAny(f[start:], " \n\t\r\v\f>"); i >= 0 {
		length = i
	}
	p.email = append([]byte(nil), f[start:start+length]...)
	cut := start + length
	if cut < len(f) {
		cut++
	}
	rest := append(append([]byte(nil), f[:start]...), f[cut:]...)
	rest = trim(cleanupSpace(rest))
	if len(rest) > 1 && rest[0] == '(' && rest[len(rest)-1] == ')' {
		rest = rest[1 : len(rest)-1]
	}
	p.name = append([]byte(nil), saneName(rest, p.email)...)
}

// parseBogusFrom handles a From without '@': "John Doe <johndoe>".
func (p *parser) parseBogusFrom(line []byte) {
	if len(p.email) > 0 {
		return
	}
	bra := bytes.IndexByte(line, '<')
	if bra < 0 {
		return
	}
	ket := bytes.IndexByte(line[bra:], '>')
	if ket < 0 {
		return
	}
	p.email = append([]byte(nil), line[bra+1:bra+ket]...)
	name := trim(append([]byte(nil), line[:bra]...))
	p.name = append([]byte(nil), saneName(name, p.email)...)
}

// unquoteQuotedPair removes the quotes of quoted strings and the
// backslash escapes inside them and inside comments, keeping the
// comments' parentheses.
func unquoteQuotedPair(in []byte) []byte {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		switch in[i] {
		case '"':
			out, i = unquoteString(out, in, i+1)
			i--
		case '(':
			out, i = unquoteComment(out, in, i+1)
			i--
		default:
			out = append(out, in[i])
		}
	}
	return out
}

// unquoteString copies a quoted string's content starting at i and
// returns the index after the closing quote.
func unquoteString(out, in []byte, i int) ([]byte, int) {
	for i < len(in) {
		c := in[i]
		i++
		switch c {
		case '\\':
			if i < len(in) {
				out = append(out, in[i])
				i++
			}
		case '"':
			return out, i
		default:
			out = append(out, c)
		}
	}
	return out, i
}

// unquoteComment copies a (possibly nested) comment starting after its
// '(' at i and returns the index after the closing ')'.
func unquoteComment(out, in []byte, i int) ([]byte, int) {
	out = append(out, '(')
	for i < len(in) {
		c := in[i]
		i++
		switch c {
		case '\\':
			if i < len(in) {
				out = append(out, in[i])
				i++
			}
		case '(':
			out, i = unquoteComment(out, in, i)
		case ')':
			return append(out, ')'), i
		default:
			out = append(out, c)
		}
	}
	return out, i
}

// cleanupSubject strips leading "Re:", ':' and white space and the
// bracketed "[PATCH ...]" tags (all bracketed tags unless -b).
func (p *parser) cleanupSubject(s []byte) []byte {
	s = append([]byte(nil), s...)
	pos := 0
	for pos < len(s) {
		switch s[pos] {
		case 'r', 'R':
			if len(s) > pos+3 && (s[pos+1] == 'e' || s[pos+1] == 'E') && s[pos+2] == ':' {
				s = append(s[:pos], s[pos+3:]...)
				continue
			}
		case ' ', '\t', ':':
			s = append(s[:pos], s[pos+1:]...)
			continue
		case '[':
			ket := bytes.IndexByte(cstr(s[pos:]), ']')
			if ket < 0 {
				break
			}
			n := ket + 1
			if !p.opts.KeepNonPatchBrackets || (n >= 7 && bytes.Contains(s[pos:pos+n], []byte("PATCH"))) {
				s = append(s[:pos], s[pos+n:]...)
			} else {
				pos += n
				if isSpace(at(s, pos)) {
					pos++
				}
			}
			continue
		}
		break
	}
	return trim(s)
}
