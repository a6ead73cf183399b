package tools

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// reSyntax says how to read a POSIX pattern.
type reSyntax struct {
	// ere selects extended syntax (sed -E, grep -E); otherwise basic,
	// with GNU's \+, \? and \| extensions.
	ere bool
	// icase matches letters without regard to case.
	icase bool
	// sedEscapes accepts sed's \n and \t for newline and tab.
	sedEscapes bool
	// groups says the caller reads what groups matched, so forms where
	// Go would pick other submatches than POSIX are refused.
	groups bool
	// utf8 reads the pattern as UTF-8 (a C.UTF-8 locale) rather than
	// one character per byte.
	utf8 bool
}

// posixRE is a compiled POSIX pattern. Text is matched in the locale's
// encoding: in C one character per byte, carried as the runes U+0000 to
// U+00FF, so Go's rune-based matching sees bytes.
type posixRE struct {
	re     *regexp.Regexp
	groups int
	utf8   bool
}

var errUnsupportedRE = errors.New("unsupported regular expression")

// compileRE translates a POSIX pattern to Go's syntax and compiles it
// with leftmost-longest matching. An error means the pattern is invalid
// or uses something without an exact counterpart; either way the caller
// refuses the form.
func compileRE(pattern string, syn reSyntax) (*posixRE, error) {
	var runes []rune
	if syn.utf8 {
		// Case folding beyond ASCII differs between Go and the C
		// library; in a UTF-8 locale it is refused outright.
		if !utf8.ValidString(pattern) || syn.icase {
			return nil, errUnsupportedRE
		}
		runes = []rune(pattern)
	} else {
		runes = bytesToRunes([]byte(pattern))
		if syn.icase && hasHighRune(runes) {
			return nil, errUnsupportedRE
		}
	}
	tr := &reTranslator{src: runes, syn: syn}
	expr, err := tr.translate()
	if err != nil {
		return nil, err
	}
	if syn.icase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, errUnsupportedRE
	}
	re.Longest()
	return &posixRE{re: re, groups: tr.groups, utf8: syn.utf8}, nil
}

// text turns input bytes into the string the compiled pattern matches.
func (p *posixRE) text(b []byte) string {
	if p.utf8 || isASCII(b) {
		return string(b)
	}
	return string(bytesToRunes(b))
}

// bytesOf turns a matched string back into the input's bytes.
func (p *posixRE) bytesOf(s string) []byte {
	if p.utf8 || isASCIIString(s) {
		return []byte(s)
	}
	return runesToBytes(s)
}

func bytesToRunes(b []byte) []rune {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return r
}

func runesToBytes(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, byte(r))
	}
	return out
}

func hasHighRune(rs []rune) bool {
	for _, r := range rs {
		if r >= 0x80 {
			return true
		}
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func isASCIIString(s string) bool { return isASCII([]byte(s)) }

// reTranslator walks a POSIX pattern and writes Go syntax.
type reTranslator struct {
	src    []rune
	pos    int
	syn    reSyntax
	out    strings.Builder
	groups int
	depth  int
	// alternation and repeatedGroup record what makes submatches
	// differ between Go and POSIX.
	alternation, repeatedGroup bool
	// lastAtom is what a quantifier would apply to: none, a plain
	// atom, a group, or a quantifier already.
	lastAtom atomKind
}

type atomKind int

const (
	atomNone atomKind = iota
	atomPlain
	atomGroup
	atomQuantified
)

func (t *reTranslator) translate() (string, error) {
	for t.pos < len(t.src) {
		if err := t.step(); err != nil {
			return "", err
		}
	}
	if t.depth != 0 {
		return "", errUnsupportedRE
	}
	if t.syn.groups && t.groups > 0 && (t.alternation || t.repeatedGroup) {
		return "", errUnsupportedRE
	}
	return t.out.String(), nil
}

func (t *reTranslator) peek(off int) (rune, bool) {
	if t.pos+off < len(t.src) {
		return t.src[t.pos+off], true
	}
	return 0, false
}

// atStart reports whether the translator is where a new
// (sub)expression begins: the start, after an open group or an
// alternation.
func (t *reTranslator) atStart() bool { return t.lastAtom == atomNone }

func (t *reTranslator) step() error {
	r := t.src[t.pos]
	t.pos++
	if r == '\\' {
		return t.escape()
	}
	switch {
	case r == '[':
		return t.bracket()
	case r == '.':
		t.atom("(?s:.)")
	case r == '*':
		if t.atStart() {
			if t.syn.ere {
				return errUnsupportedRE
			}
			t.literal('*')
			return nil
		}
		return t.quantifier("*")
	case r == '^':
		if t.syn.ere || t.atStart() && t.anchorPosition() {
			t.out.WriteString("^")
			t.lastAtom = atomNone
			return nil
		}
		t.literal('^')
	case r == '$':
		if t.syn.ere || t.atEndOfExpr() {
			t.out.WriteString("$")
			t.lastAtom = atomPlain
			return nil
		}
		t.literal('$')
	case t.syn.ere:
		return t.ereSpecial(r)
	default:
		t.literal(r)
	}
	return nil
}

// anchorPosition: in a basic pattern ^ anchors only first in the pattern,
// after \( or after \|.
func (t *reTranslator) anchorPosition() bool {
	if t.pos == 1 {
		return true
	}
	prev := t.src[:t.pos-1]
	n := len(prev)
	return n >= 2 && prev[n-2] == '\\' && (prev[n-1] == '(' || prev[n-1] == '|')
}

// atEndOfExpr: in a basic pattern $ anchors only last, before \) or
// before \|.
func (t *reTranslator) atEndOfExpr() bool {
	if t.pos == len(t.src) {
		return true
	}
	a, _ := t.peek(0)
	b, ok := t.peek(1)
	return a == '\\' && ok && (b == ')' || b == '|')
}

func (t *reTranslator) ereSpecial(r rune) error {
	switch r {
	case '+', '?':
		if t.atStart() {
			return errUnsupportedRE
		}
		return t.quantifier(string(r))
	case '{':
		return t.interval('{', "}")
	case '(':
		t.openGroup()
	case ')':
		return t.closeGroup()
	case '|':
		t.alternate()
	default:
		t.literal(r)
	}
	return nil
}

func (t *reTranslator) escape() error {
	r, ok := t.peek(0)
	if !ok {
		return errUnsupportedRE // a trailing backslash is an error
	}
	t.pos++
	if !t.syn.ere {
		switch r {
		case '(':
			t.openGroup()
			return nil
		case ')':
			return t.closeGroup()
		case '|':
			t.alternate()
			return nil
		case '{':
			return t.interval('\\', "\\}")
		case '+', '?':
			if t.atStart() {
				return errUnsupportedRE
			}
			return t.quantifier(string(r))
		}
	}
	switch {
	case r == 'n' && t.syn.sedEscapes:
		t.literal('\n')
	case r == 't' && t.syn.sedEscapes:
		t.literal('\t')
	case r == 'w' || r == 'W' || r == 's' || r == 'S':
		if t.syn.utf8 {
			return errUnsupportedRE
		}
		t.atom(map[rune]string{'w': `[0-9A-Za-z_]`, 'W': `[^0-9A-Za-z_]`,
			's': `[\t\n\v\f\r ]`, 'S': `[^\t\n\v\f\r ]`}[r])
	case r == 'b' || r == 'B':
		if t.syn.utf8 {
			return errUnsupportedRE
		}
		t.out.WriteString(`\` + string(r))
	case r == '`':
		t.out.WriteString(`\A`)
		t.lastAtom = atomNone
	case r == '\'':
		t.out.WriteString(`\z`)
		t.lastAtom = atomPlain
	case r < 0x80 && (isAlnum(byte(r)) || r == '<' || r == '>'):
		// Back-references, \<, \> and the other GNU escapes.
		return errUnsupportedRE
	default:
		t.literal(r)
	}
	return nil
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func (t *reTranslator) literal(r rune) { t.atom(regexp.QuoteMeta(string(r))) }

func (t *reTranslator) atom(s string) {
	t.out.WriteString(s)
	t.lastAtom = atomPlain
}

func (t *reTranslator) openGroup() {
	t.groups++
	t.depth++
	t.out.WriteString("(")
	t.lastAtom = atomNone
}

func (t *reTranslator) closeGroup() error {
	if t.depth == 0 {
		return errUnsupportedRE
	}
	t.depth--
	t.out.WriteString(")")
	t.lastAtom = atomGroup
	return nil
}

func (t *reTranslator) alternate() {
	t.alternation = true
	t.out.WriteString("|")
	t.lastAtom = atomNone
}

func (t *reTranslator) quantifier(q string) error {
	switch t.lastAtom {
	case atomNone, atomQuantified:
		return errUnsupportedRE
	case atomGroup:
		t.repeatedGroup = true
	}
	t.out.WriteString(q)
	t.lastAtom = atomQuantified
	return nil
}

// interval reads {m}, {m,} or {m,n} (in a basic pattern \{ \}), the
// opening already consumed.
func (t *reTranslator) interval(_ rune, closer string) error {
	rest := string(t.src[t.pos:])
	end := strings.Index(rest, closer)
	if end < 0 {
		return errUnsupportedRE
	}
	body := rest[:end]
	lo, hi, hasComma := strings.Cut(body, ",")
	m, err := strconv.Atoi(lo)
	if err != nil || m > 255 || !allDigits(lo) {
		return errUnsupportedRE
	}
	q := fmt.Sprintf("{%d}", m)
	if hasComma {
		q = fmt.Sprintf("{%d,}", m)
		if hi != "" {
			n, err := strconv.Atoi(hi)
			if err != nil || n < m || n > 255 || !allDigits(hi) {
				return errUnsupportedRE
			}
			q = fmt.Sprintf("{%d,%d}", m, n)
		}
	}
	t.pos += len([]rune(body)) + len(closer)
	return t.quantifier(q)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// posixClasses are the character classes whose Go meaning equals the C
// locale's.
var posixClasses = map[string]bool{
	"alpha": true, "digit": true, "alnum": true, "upper": true, "lower": true,
	"space": true, "blank": true, "punct": true, "print": true, "graph": true,
	"cntrl": true, "xdigit": true,
}

// bracket translates a bracket expression, the [ already consumed.
// A backslash in one is refused: POSIX reads it literally, GNU sed does
// not.
func (t *reTranslator) bracket() error {
	var b strings.Builder
	b.WriteString("[")
	if r, ok := t.peek(0); ok && r == '^' {
		b.WriteString("^")
		t.pos++
	}
	first := true
	for {
		r, ok := t.peek(0)
		if !ok || r == '\\' {
			return errUnsupportedRE
		}
		if r == ']' && !first {
			t.pos++
			break
		}
		first = false
		if r == '[' {
			if err := t.bracketClass(&b); err != nil {
				return err
			}
			continue
		}
		t.pos++
		b.WriteString(classLiteral(r))
		if next, ok := t.peek(0); ok && next == '-' {
			if end, ok := t.peek(1); ok && end != ']' {
				if end == '[' || end == '\\' || end < r {
					return errUnsupportedRE
				}
				t.pos += 2
				b.WriteString("-" + classLiteral(end))
			}
		}
	}
	b.WriteString("]")
	t.atom(b.String())
	return nil
}

// bracketClass reads [:name:] inside a bracket expression; [= and [.
// are refused, and a lone [ is a literal.
func (t *reTranslator) bracketClass(b *strings.Builder) error {
	next, _ := t.peek(1)
	switch next {
	case '=', '.':
		return errUnsupportedRE
	case ':':
		rest := string(t.src[t.pos+2:])
		end := strings.Index(rest, ":]")
		if end < 0 || !posixClasses[rest[:end]] || t.syn.utf8 {
			return errUnsupportedRE
		}
		b.WriteString("[:" + rest[:end] + ":]")
		t.pos += 2 + end + 2
		return nil
	}
	t.pos++
	b.WriteString(classLiteral('['))
	return nil
}

// classLiteral writes a character for use inside a Go class.
func classLiteral(r rune) string {
	if r < 0x80 && isAlnum(byte(r)) {
		return string(r)
	}
	return fmt.Sprintf(`\x{%x}`, r)
}
