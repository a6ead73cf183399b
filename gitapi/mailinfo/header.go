package mailinfo

import (
	"bytes"
	"fmt"
)

// The headers mailinfo reports, in the order it prints them.
const (
	hdrFrom = iota
	hdrSubject
	hdrDate
	hdrCount
)

var headerNames = [hdrCount]string{"From", "Subject", "Date"}

// skipHeader reports whether line is the header hdr (name matched
// ignoring case, then ':') and returns its value with leading spaces
// skipped.
func skipHeader(line []byte, hdr string) ([]byte, bool) {
	line = cstr(line)
	if !hasPrefixFold(line, hdr) || at(line, len(hdr)) != ':' {
		return nil, false
	}
	val := line[len(hdr)+1:]
	for len(val) > 0 && isSpace(val[0]) {
		val = val[1:]
	}
	return val, true
}

// parseHeader returns the decoded value of line if it is the header hdr.
func (p *parser) parseHeader(line []byte, hdr string) ([]byte, bool) {
	val, ok := skipHeader(line, hdr)
	if !ok {
		return nil, false
	}
	return p.decodeHeader(append([]byte(nil), val...)), true
}

// checkHeader records line if it is one of the headers mailinfo cares
// about and reports whether it was. overwrite says whether a later
// From/Subject/Date replaces an earlier one.
func (p *parser) checkHeader(line []byte, data *[hdrCount][]byte, overwrite bool) bool {
	for i, name := range headerNames {
		if data[i] != nil && !overwrite {
			continue
		}
		if val, ok := p.parseHeader(line, name); ok {
			data[i] = val
			return true
		}
	}
	if val, ok := p.parseHeader(line, "Content-Type"); ok {
		p.handleContentType(val)
		return true
	}
	if val, ok := p.parseHeader(line, "Content-Transfer-Encoding"); ok {
		p.handleTransferEncoding(val)
		return true
	}
	if val, ok := p.parseHeader(line, "Message-Id"); ok {
		if p.opts.AddMessageID {
			p.messageID = val
		}
		return true
	}
	return false
}

// decodeHeader unwraps RFC 2047 encoded words (charset?Q|B?text) and
// re-codes them to the metadata charset. On a malformed word it keeps the
// value as it was and marks the input bad, as git does.
func (p *parser) decodeHeader(it []byte) []byte {
	if it == nil {
		it = []byte{}
	}
	limit := len(cstr(it))
	var out []byte
	in := 0
	for {
		rel := bytes.Index(it[in:limit], []byte("=?"))
		if rel < 0 {
			break
		}
		ep := in + rel
		if in != ep && (!allSpace(it[in:ep]) || in == 0) {
			// Keep text before a word, unless it is only the white
			// space separating two encoded words.
			out = append(out, it[in:ep]...)
		}
		word, end, ok := p.decodeWord(it, limit, ep+2)
		if !ok {
			p.inputError = true
			return it
		}
		out = append(out, word...)
		in = end
	}
	out = append(out, it[in:limit]...)
	if out == nil {
		out = []byte{}
	}
	return out
}

// decodeWord decodes the encoded word whose charset starts at start and
// returns it with the index just past its closing "?=".
func (p *parser) decodeWord(it []byte, limit, start int) ([]byte, int, bool) {
	if start >= len(it) {
		return nil, 0, false
	}
	q := bytes.IndexByte(it[start:limit], '?')
	if q < 0 || start+q+3 > len(it) {
		return nil, 0, false
	}
	cp := start + q
	charsetName := string(it[start:cp])
	encoding := at(it[:limit], cp+1)
	if encoding == 0 || at(it[:limit], cp+2) != '?' {
		return nil, 0, false
	}
	rel := bytes.Index(it[cp+3:limit], []byte("?="))
	if rel < 0 {
		return nil, 0, false
	}
	ep := cp + 3 + rel
	var dec []byte
	switch lowerASCII(encoding) {
	case 'b':
		dec = decodeB(it[cp+3 : ep])
	case 'q':
		dec = decodeQ(it[cp+3:ep], true)
	default:
		return nil, 0, false
	}
	dec, ok := p.convertToUTF8(dec, charsetName)
	if !ok {
		return nil, 0, false
	}
	return dec, ep + 2, true
}

func allSpace(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

// convertToUTF8 re-codes text from charsetName to the metadata charset
// (named so after git's function, though the target is configurable).
func (p *parser) convertToUTF8(text []byte, charsetName string) ([]byte, bool) {
	charsetName = string(cstr([]byte(charsetName)))
	target := p.opts.MetaEncoding
	if target == "" || charsetName == "" || sameEncoding(target, charsetName) {
		return text, true
	}
	out, ok := reencode(text, target, charsetName)
	if !ok {
		p.inputError = true
		p.errorf("cannot convert from %s to %s", charsetName, target)
		return text, false
	}
	return out, true
}

// errorf records an error line as git's error() prints it, control
// characters other than tab and newline shown as '?'.
func (p *parser) errorf(format string, args ...any) {
	msg := []byte(fmt.Sprintf(format, args...))
	for i, c := range msg {
		if (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n' {
			msg[i] = '?'
		}
	}
	p.diagnostics = append(p.diagnostics, "error: "+string(msg))
}

// slurpAttr finds name (e.g. "charset=") anywhere in line, ignoring case,
// and returns the value after it: up to the closing quote if quoted, else
// up to ';', space or tab.
func slurpAttr(line []byte, name string) ([]byte, bool) {
	line = cstr(line)
	i := indexFold(line, name)
	if i < 0 {
		return nil, false
	}
	val := line[i+len(name):]
	stops := "; \t"
	if at(val, 0) == '"' {
		val = val[1:]
		stops = "\""
	}
	if end := bytes.IndexAny(val, stops); end >= 0 {
		val = val[:end]
	}
	return val, true
}

func hasAttrValue(line []byte, name, value string) bool {
	val, ok := slurpAttr(line, name)
	return ok && equalFold(string(val), value)
}

// maxBoundaries bounds the multipart nesting git follows; slot 0 of the
// stack is always empty, so four boundaries fit.
const maxBoundaries = 5

func (p *parser) handleContentType(line []byte) {
	p.formatFlowed = hasAttrValue(line, "format=", "flowed")
	p.delsp = hasAttrValue(line, "delsp=", "yes")
	if b, ok := slurpAttr(line, "boundary="); ok {
		p.depth++
		if p.depth >= maxBoundaries {
			p.errorf("Too many boundaries to handle")
			p.inputError = true
			p.depth = maxBoundaries - 1
			return
		}
		p.boundaries[p.depth] = append([]byte("--"), b...)
	}
	cs, _ := slurpAttr(line, "charset=")
	p.charset = string(cs)
}

func (p *parser) handleTransferEncoding(line []byte) {
	line = cstr(line)
	switch {
	case indexFold(line, "base64") >= 0:
		p.transferEncoding = teBase64
	case indexFold(line, "quoted-printable") >= 0:
		p.transferEncoding = teQP
	default:
		p.transferEncoding = teNone
	}
}
