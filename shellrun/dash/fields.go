package dash

import "strings"

// Part is one piece of a shell word after parameter, command and
// arithmetic expansion. Text is the piece with the shell's own quoting
// already removed. Quoted marks text that was inside quotes (or
// backslash-escaped), so it is never split and its glob characters are
// inert. Expanded marks the result of an expansion: unquoted, it is split
// on IFS, and in pathname expansion a backslash in it escapes the next
// byte, as in dash 0.5.12. A part with neither flag is literal text of
// the word: never split, glob characters active, backslashes ordinary.
type Part struct {
	Text     string
	Quoted   bool
	Expanded bool
}

// SplitFields splits the result of one unquoted expansion on ifs as dash
// does. Callers pass " \t\n" when IFS is unset.
func SplitFields(s, ifs string) []string {
	return Fields([]Part{{Text: s, Expanded: true}}, ifs, nil)
}

// fieldBuilder is a field under construction: its text, the pattern
// pathname expansion would use for it, and whether it has any content.
type fieldBuilder struct {
	text    strings.Builder
	pattern strings.Builder
	content bool // has text or a quoted part, even an empty one
}

// add appends a byte of a quoted part, of literal text or (expanded) of
// an unquoted expansion. In the pattern, quoted bytes and literal
// backslashes are escaped; an unquoted expansion's backslash escapes the
// byte after it, as in dash.
func (f *fieldBuilder) add(c byte, quoted, expanded bool) {
	f.text.WriteByte(c)
	f.content = true
	if quoted || c == '\\' && !expanded {
		f.pattern.WriteString(QuoteMeta(string(c)))
		return
	}
	f.pattern.WriteByte(c)
}

// hasMeta reports whether the field's pattern has an active glob
// character; without one dash leaves the field alone.
func (f *fieldBuilder) hasMeta() bool {
	rest := f.pattern.String()
	for {
		component, after, more := cutComponent(rest)
		if hasGlobMeta(component) {
			return true
		}
		if !more {
			return false
		}
		rest = after
	}
}

// Fields does POSIX word expansion's last two steps, as dash does, on a
// word made of parts: field splitting of its unquoted expansions on ifs,
// then pathname expansion with glob of each field that has an active
// glob character (glob takes a pattern escaped as QuoteMeta escapes;
// nil disables it, as set -f does). A field whose pattern matches
// nothing is kept as it was. Unquoted expansions that come to nothing
// vanish; a quoted part, even empty, makes a field.
func Fields(parts []Part, ifs string, glob func(pattern string) []string) []string {
	sp := splitter{cur: &fieldBuilder{}}
	for _, part := range parts {
		if part.Quoted {
			sp.cur.content = true
		}
		if part.Quoted || !part.Expanded {
			for i := 0; i < len(part.Text); i++ {
				sp.cur.add(part.Text[i], part.Quoted, false)
			}
			continue
		}
		sp.splitExpansion(part.Text, ifs)
	}
	if sp.cur.content {
		sp.emit()
	}
	var out []string
	for _, f := range sp.fields {
		if glob != nil && f.hasMeta() {
			if matches := glob(f.pattern.String()); len(matches) > 0 {
				out = append(out, matches...)
				continue
			}
		}
		out = append(out, f.text.String())
	}
	return out
}

// splitter holds the fields of a word being split.
type splitter struct {
	fields []*fieldBuilder
	cur    *fieldBuilder
}

func (sp *splitter) emit() {
	sp.fields = append(sp.fields, sp.cur)
	sp.cur = &fieldBuilder{}
}

// isIFSWhite reports whether an IFS character is IFS white space.
func isIFSWhite(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// splitExpansion splits one unquoted expansion into the fields being
// built: IFS white space at the start of a field is skipped, and a
// delimiter ends the field (even an empty one).
func (sp *splitter) splitExpansion(s, ifs string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(ifs, c) < 0 {
			sp.cur.add(c, false, true)
			continue
		}
		white := isIFSWhite(c)
		if white && !sp.cur.content {
			continue
		}
		sp.emit()
		i = delimiterEnd(s, i, ifs, white)
	}
}

// delimiterEnd returns the index of the last byte of the delimiter that
// starts with s[i]: the IFS white space after it belongs to it, and so
// does one non-white IFS character when the delimiter began with white
// space. Dash does not carry a delimiter over into the next expansion.
func delimiterEnd(s string, i int, ifs string, white bool) int {
	for i+1 < len(s) && strings.IndexByte(ifs, s[i+1]) >= 0 {
		if !isIFSWhite(s[i+1]) {
			if !white {
				break
			}
			white = false
		}
		i++
	}
	return i
}
