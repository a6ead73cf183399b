package mailinfo

import (
	"strings"
	"unicode/utf8"
)

// charset is a single-byte or UTF-8 character set that mailinfo can
// convert between. git uses iconv and so knows every charset the C
// library knows; kiln knows the ones patches are mailed in (see doc.go).
type charset struct {
	// decode maps a byte to its rune, or reports false for a byte the
	// charset does not define. Nil for UTF-8.
	decode func(b byte) (rune, bool)
}

var (
	charsetUTF8   = &charset{}
	charsetASCII  = &charset{decode: decodeASCII}
	charsetLatin1 = &charset{decode: decodeLatin1}
	charsetLatin9 = &charset{decode: decodeLatin9}
	charset1252   = &charset{decode: decode1252}
)

// charsetAliases lists, per charset, the lower-cased names (iconv
// aliases) that mail uses for it.
var charsetAliases = map[*charset][]string{
	charsetUTF8: {"utf-8", "utf8"},
	charsetASCII: {"us-ascii", "ascii", "ansi_x3.4-1968", "ansi_x3.4-1986", "iso646-us",
		"us", "csascii", "cp367", "ibm367"},
	charsetLatin1: {"iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "latin1", "latin-1",
		"l1", "cp819", "ibm819", "iso_8859-1:1987", "csisolatin1", "iso-ir-100"},
	charsetLatin9: {"iso-8859-15", "iso8859-15", "iso_8859-15", "iso885915", "latin-9",
		"latin9", "iso_8859-15:1998"},
	charset1252: {"windows-1252", "cp1252", "ms-ansi"},
}

// charsetNames is charsetAliases turned around.
var charsetNames = func() map[string]*charset {
	names := map[string]*charset{}
	for cs, aliases := range charsetAliases {
		for _, name := range aliases {
			names[name] = cs
		}
	}
	return names
}()

// lookupCharset finds a charset the way glibc's iconv_open does: it
// drops every character but letters, digits and "_-.,:/" from the name
// and ignores case; a name left empty means the locale's charset, which
// under git's tests (LC_ALL=C) is US-ASCII.
func lookupCharset(name string) *charset {
	var kept strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_-.,:/", c) >= 0 {
			kept.WriteByte(c)
		}
	}
	if kept.Len() == 0 {
		return charsetASCII
	}
	return charsetNames[strings.ToLower(kept.String())]
}

// isUTF8Name is git's is_encoding_utf8.
func isUTF8Name(name string) bool {
	return equalFold(name, "utf-8") || equalFold(name, "utf8")
}

// sameEncoding is git's same_encoding: both UTF-8 spellings, or the same
// name ignoring ASCII case.
func sameEncoding(a, b string) bool {
	if isUTF8Name(a) && isUTF8Name(b) {
		return true
	}
	return equalFold(a, b)
}

// reencode converts in from charset from to charset to. It fails, like
// iconv, on an unknown charset, on bytes the source charset does not
// define (or invalid or truncated UTF-8) and on characters the target
// cannot represent.
func reencode(in []byte, to, from string) ([]byte, bool) {
	src, dst := lookupCharset(from), lookupCharset(to)
	if src == nil || dst == nil {
		return nil, false
	}
	runes, ok := src.runes(in)
	if !ok {
		return nil, false
	}
	return dst.encode(runes)
}

func (cs *charset) runes(in []byte) ([]rune, bool) {
	out := make([]rune, 0, len(in))
	if cs.decode == nil {
		for len(in) > 0 {
			r, size := utf8.DecodeRune(in)
			if r == utf8.RuneError && size <= 1 {
				return nil, false
			}
			out = append(out, r)
			in = in[size:]
		}
		return out, true
	}
	for _, b := range in {
		r, ok := cs.decode(b)
		if !ok {
			return nil, false
		}
		out = append(out, r)
	}
	return out, true
}

func (cs *charset) encode(runes []rune) ([]byte, bool) {
	out := make([]byte, 0, len(runes))
	if cs.decode == nil {
		for _, r := range runes {
			out = utf8.AppendRune(out, r)
		}
		return out, true
	}
	for _, r := range runes {
		b, ok := cs.encodeRune(r)
		if !ok {
			return nil, false
		}
		out = append(out, b)
	}
	return out, true
}

// encodeRune finds the byte that decodes to r; the tables are small
// enough that a scan is fine.
func (cs *charset) encodeRune(r rune) (byte, bool) {
	if r < 0x80 {
		d, ok := cs.decode(byte(r))
		return byte(r), ok && d == r
	}
	for b := 0x80; b <= 0xff; b++ {
		if d, ok := cs.decode(byte(b)); ok && d == r {
			return byte(b), true
		}
	}
	return 0, false
}

func decodeASCII(b byte) (rune, bool) { return rune(b), b < 0x80 }

func decodeLatin1(b byte) (rune, bool) { return rune(b), true }

// latin9Changes lists the eight code points where ISO-8859-15 differs
// from ISO-8859-1.
var latin9Changes = map[byte]rune{
	0xa4: 0x20ac, 0xa6: 0x0160, 0xa8: 0x0161, 0xb4: 0x017d,
	0xb8: 0x017e, 0xbc: 0x0152, 0xbd: 0x0153, 0xbe: 0x0178,
}

func decodeLatin9(b byte) (rune, bool) {
	if r, ok := latin9Changes[b]; ok {
		return r, true
	}
	return rune(b), true
}

// cp1252High is windows-1252's 0x80..0x9f; zero marks the five bytes the
// charset leaves undefined.
var cp1252High = [32]rune{
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
}

func decode1252(b byte) (rune, bool) {
	if b >= 0x80 && b < 0xa0 {
		r := cp1252High[b-0x80]
		return r, r != 0
	}
	return rune(b), true
}
