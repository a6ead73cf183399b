package gitapi

import (
	"bytes"
	"fmt"
	"os"
	"strings"
)

// configScope says where a configuration entry came from.
type configScope int

// The scopes in the order git reads them; later ones win.
const (
	scopeSystem configScope = iota
	scopeGlobal
	scopeLocal
	scopeWorktree
	scopeCommand
)

// ConfigEntry is one `key = value` of a configuration source.
type ConfigEntry struct {
	Key      string // canonical: section and name lower-cased
	Value    string
	HasValue bool // false for a bare `key` line (git's NULL value)
	scope    configScope
	Origin   string // file path, or "" for the command line
	Line     int    // line of the key in origin
}

// BadLine is git's fatal error naming the entry's line.
func (e ConfigEntry) BadLine() error {
	if e.Origin == "" {
		return Messagef("unable to parse command-line config")
	}
	return Messagef("bad config line %d in file %s", e.Line, e.Origin)
}

// configParser reads git's configuration file syntax.
type configParser struct {
	data    []byte
	pos     int
	line    int
	eof     bool
	path    string
	scope   configScope
	section string
}

// parseConfigFile reads one configuration file (without following
// includes). A missing file is an error the caller may ignore.
func parseConfigFile(path string, scope configScope) ([]ConfigEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseConfig(data, path, scope)
}

// parseConfig parses configuration text; path names it in errors. On a
// syntax error it returns the entries before it with the error.
//
// Lines are counted as git's config reader counts them, which its error
// messages show: every newline read, and every read at the end of the
// input (a construct cut short by the end of the file is reported a line
// further down), less one where git takes a line back (a header or a
// quoted value cut short by a newline or the end).
func parseConfig(data []byte, path string, scope configScope) ([]ConfigEntry, error) {
	p := &configParser{data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), line: 1, path: path, scope: scope}
	var entries []ConfigEntry
	comment := false
	for {
		c := p.next()
		switch {
		case c == '\n' && p.eof:
			return entries, nil
		case c == '\n':
			comment = false
		case comment || isSpace(c):
		case c == '#' || c == ';':
			comment = true
		case c == '[':
			if !p.sectionHeader() {
				return entries, p.errorf()
			}
		case isAlpha(c):
			e, ok := p.keyValue(c)
			if !ok {
				return entries, p.errorf()
			}
			entries = append(entries, e)
		default:
			return entries, p.errorf()
		}
	}
}

// errorf is git's message for a syntax error at the current line.
func (p *configParser) errorf() error {
	return fmt.Errorf("bad config line %d in file %s", p.line, p.path)
}

// next returns the next byte, folding CRLF to LF; at the end of input it
// returns '\n' with eof set, counting a line each time, as git does.
func (p *configParser) next() byte {
	if p.pos >= len(p.data) {
		p.eof = true
		p.line++
		return '\n'
	}
	c := p.data[p.pos]
	p.pos++
	if c == '\r' && p.pos < len(p.data) && p.data[p.pos] == '\n' {
		c = '\n'
		p.pos++
	}
	if c == '\n' {
		p.line++
	}
	return c
}

// sectionHeader reads `section]` or `section "subsection"]` after '['.
func (p *configParser) sectionHeader() bool {
	var name strings.Builder
	for {
		c := p.next()
		switch {
		case p.eof:
			return false
		case c == ']':
			p.section = name.String()
			return name.Len() > 0
		case isSpace(c):
			sub, ok := p.subsection(c)
			p.section = name.String() + "." + sub
			return ok && name.Len() > 0
		case isKeyChar(c) || c == '.':
			name.WriteByte(lower(c))
		default:
			return false
		}
	}
}

// subsection reads ` "subsection"]` after the space c; the subsection
// keeps its case and a backslash quotes the next character. A newline
// (or the end) before the closing quote takes the line back.
func (p *configParser) subsection(c byte) (string, bool) {
	for {
		if c == '\n' {
			p.line--
			return "", false
		}
		if c = p.next(); !isSpace(c) {
			break
		}
	}
	if c != '"' {
		return "", false
	}
	var sub strings.Builder
	for {
		c = p.next()
		if c == '\n' {
			p.line--
			return "", false
		}
		if c == '"' {
			break
		}
		if c == '\\' {
			if c = p.next(); c == '\n' {
				p.line--
				return "", false
			}
		}
		sub.WriteByte(c)
	}
	return sub.String(), p.next() == ']'
}

// keyValue reads `name [= value]` starting with first. A key before
// any section header has no section, as in git. The entry's line is the
// last one its value spans, where git's reader stands when it hands the
// value on.
func (p *configParser) keyValue(first byte) (ConfigEntry, bool) {
	name := []byte{lower(first)}
	c := p.next()
	for !p.eof && isKeyChar(c) {
		name = append(name, lower(c))
		c = p.next()
	}
	for c == ' ' || c == '\t' {
		c = p.next()
	}
	key := string(name)
	if p.section != "" {
		key = p.section + "." + key
	}
	e := ConfigEntry{Key: key, scope: p.scope, Origin: p.path}
	if c != '\n' {
		if c != '=' {
			return e, false
		}
		v, ok := p.value()
		if !ok {
			return e, false
		}
		e.Value, e.HasValue = v, true
	}
	// The newline (or end) that ended the entry is counted already.
	e.Line = p.line - 1
	return e, true
}

// value reads a value up to the end of the line: whitespace outside quotes
// is trimmed at the ends and each whitespace byte inside becomes a space,
// '#' and ';' start a comment, backslash escapes \n \t \b \\ \" and a
// line break.
func (p *configParser) value() (string, bool) {
	var v strings.Builder
	quoted, comment, spaces := false, false, 0
	for {
		c := p.next()
		if c == '\n' {
			if quoted {
				// git takes the line back: the quote is open on it.
				p.line--
				return "", false
			}
			return v.String(), true
		}
		if comment {
			continue
		}
		if isSpace(c) && !quoted {
			if v.Len() > 0 {
				spaces++
			}
			continue
		}
		if !quoted && (c == ';' || c == '#') {
			comment = true
			continue
		}
		v.WriteString(strings.Repeat(" ", spaces))
		spaces = 0
		switch c {
		case '\\':
			e, ok := p.escape()
			if !ok {
				return "", false
			}
			if e != 0 {
				v.WriteByte(e)
			}
		case '"':
			quoted = !quoted
		default:
			v.WriteByte(c)
		}
	}
}

// escape reads the character after a backslash; 0 means a continued line
// (a backslash at the very end continues onto the end, as in git).
func (p *configParser) escape() (byte, bool) {
	switch c := p.next(); {
	case c == '\n':
		return 0, true
	case c == 't':
		return '\t', true
	case c == 'b':
		return '\b', true
	case c == 'n':
		return '\n', true
	case c == '\\' || c == '"':
		return c, true
	default:
		return 0, false
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isKeyChar is git's test for a section or variable name character.
func isKeyChar(c byte) bool { return isAlpha(c) || isDigit(c) || c == '-' }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
