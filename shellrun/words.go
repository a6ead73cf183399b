package shellrun

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/pattern"
	"mvdan.cc/sh/v3/syntax"
)

// Part is one piece of a word under expansion.
type Part struct {
	Text string
	// Quoted text is never split and its glob characters are literal.
	Quoted bool
	// Expanded text (an unquoted $x, $(...)) is split at IFS.
	Expanded bool
}

// Lit is literal text of a word: not split, glob characters active.
func Lit(text string) Part { return Part{Text: text} }

// Quoted is quoted text: not split, no globbing.
func Quoted(text string) Part { return Part{Text: text, Quoted: true} }

// Unquoted is the result of an unquoted expansion: split at IFS, then
// globbed.
func Unquoted(text string) Part { return Part{Text: text, Expanded: true} }

// field is a field under construction: its text, its text as a pattern
// (quoted parts escaped), whether it has active glob characters and
// whether it exists even when empty.
type field struct {
	text, pat strings.Builder
	glob      bool
	started   bool
}

// Fields expands a word made of parts as the shell does: unquoted
// expansions are split at IFS, an empty unquoted expansion vanishes, and
// each field with active glob characters is replaced by the matching
// paths (kept as is when nothing matches).
func (s *State) Fields(parts ...Part) []string {
	ifs, ok := s.Lookup("IFS")
	if !ok {
		ifs = " \t\n"
	}
	var out []*field
	cur := &field{}
	emit := func() {
		out = append(out, cur)
		cur = &field{}
	}
	for _, p := range parts {
		switch {
		case p.Quoted:
			cur.text.WriteString(p.Text)
			cur.pat.WriteString(pattern.QuoteMeta(p.Text, 0))
			cur.started = true
		case !p.Expanded:
			cur.addActive(p.Text)
		default:
			splitInto(p.Text, ifs, cur, &out, emit, func() *field { return cur })
		}
	}
	if cur.started {
		emit()
	}
	var fields []string
	for _, f := range out {
		if f.glob && !s.noglob {
			if matches := s.glob(f.pat.String()); len(matches) > 0 {
				fields = append(fields, matches...)
				continue
			}
		}
		fields = append(fields, f.text.String())
	}
	return fields
}

func (f *field) addActive(text string) {
	if text == "" {
		return
	}
	f.text.WriteString(text)
	f.pat.WriteString(text)
	if strings.ContainsAny(text, "*?[") {
		f.glob = true
	}
	f.started = true
}

// splitInto splits an unquoted expansion at IFS into the fields being
// built: IFS white space separates and is trimmed; every other IFS
// character ends a field, which may be empty.
func splitInto(text, ifs string, _ *field, _ *[]*field, emit func(), cur func() *field) {
	isWS := func(c byte) bool { return (c == ' ' || c == '\t' || c == '\n') && strings.IndexByte(ifs, c) >= 0 }
	isIFS := func(c byte) bool { return strings.IndexByte(ifs, c) >= 0 }
	i := 0
	for i < len(text) {
		c := text[i]
		if !isIFS(c) {
			j := i
			for j < len(text) && !isIFS(text[j]) {
				j++
			}
			cur().addActive(text[i:j])
			i = j
			continue
		}
		// A delimiter: white space, at most one other IFS character,
		// white space.
		for i < len(text) && isWS(text[i]) {
			i++
		}
		hard := false
		if i < len(text) && isIFS(text[i]) && !isWS(text[i]) {
			hard = true
			i++
			for i < len(text) && isWS(text[i]) {
				i++
			}
		}
		if cur().started || hard {
			emit()
		}
	}
}

// glob expands a pattern to the sorted paths that match it, relative as
// the pattern is; no match gives nil.
func (s *State) glob(pat string) []string {
	abs := filepath.IsAbs(pat)
	segments := strings.Split(pat, "/")
	bases := []string{""}
	if abs {
		bases = []string{"/"}
		segments = segments[1:]
	}
	for i, seg := range segments {
		last := i == len(segments)-1
		var next []string
		if !pattern.HasMeta(seg, 0) {
			lit := unescapePattern(seg)
			for _, b := range bases {
				p := b + lit
				if !last && seg != "" {
					p += "/"
				}
				if seg == "" || s.exists(p) {
					next = append(next, p)
				}
			}
			bases = next
			continue
		}
		re, err := patternRegexp(seg)
		if err != nil {
			return nil
		}
		for _, b := range bases {
			dir := b
			if dir == "" {
				dir = "."
			}
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(s.dir, dir)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				continue
			}
			var names []string
			for _, e := range entries {
				name := e.Name()
				if strings.HasPrefix(name, ".") && !strings.HasPrefix(seg, ".") {
					continue
				}
				if re.MatchString(name) {
					names = append(names, name)
				}
			}
			sort.Strings(names)
			for _, name := range names {
				p := b + name
				if !last {
					p += "/"
				}
				next = append(next, p)
			}
		}
		bases = next
	}
	for i, b := range bases {
		if len(b) > 1 && strings.HasSuffix(b, "/") && !strings.HasSuffix(pat, "/") {
			bases[i] = strings.TrimSuffix(b, "/")
		}
	}
	return bases
}

func (s *State) exists(p string) bool {
	if !filepath.IsAbs(p) {
		p = filepath.Join(s.dir, p)
	}
	_, err := os.Lstat(p)
	return err == nil
}

// unescapePattern removes a pattern's backslash escapes.
func unescapePattern(p string) string {
	var sb strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		sb.WriteByte(p[i])
	}
	return sb.String()
}

var patterns sync.Map // pattern -> *regexp.Regexp

// patternRegexp compiles a shell pattern to an anchored regexp.
func patternRegexp(pat string) (*regexp.Regexp, error) {
	if re, ok := patterns.Load(pat); ok {
		return re.(*regexp.Regexp), nil
	}
	expr, err := pattern.Regexp(pat, pattern.EntireString|pattern.Filenames)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	patterns.Store(pat, re)
	return re, nil
}

// QuoteMeta makes text match literally in a shell pattern: for the quoted
// parts of a case pattern or of ${x#pattern}.
func QuoteMeta(text string) string { return pattern.QuoteMeta(text, 0) }

// Match reports whether s matches the shell pattern, as `case` does.
func Match(pat, s string) bool {
	expr, err := pattern.Regexp(pat, pattern.EntireString)
	if err != nil {
		return pat == s
	}
	re, err := regexp.Compile("(?s)" + expr)
	if err != nil {
		return pat == s
	}
	return re.MatchString(s)
}

// TrimPrefix removes the shortest (or longest) prefix of s matching the
// pattern: ${x#pattern} and ${x##pattern}.
func TrimPrefix(s, pat string, longest bool) string {
	if longest {
		for i := len(s); i >= 0; i-- {
			if Match(pat, s[:i]) {
				return s[i:]
			}
		}
		return s
	}
	for i := 0; i <= len(s); i++ {
		if Match(pat, s[:i]) {
			return s[i:]
		}
	}
	return s
}

// TrimSuffix removes the shortest (or longest) suffix of s matching the
// pattern: ${x%pattern} and ${x%%pattern}.
func TrimSuffix(s, pat string, longest bool) string {
	if longest {
		for i := 0; i <= len(s); i++ {
			if Match(pat, s[i:]) {
				return s[:i]
			}
		}
		return s
	}
	for i := len(s); i >= 0; i-- {
		if Match(pat, s[i:]) {
			return s[:i]
		}
	}
	return s
}

// Length is ${#x}: the number of characters.
func Length(s string) string { return strconv.Itoa(utf8.RuneCountInString(s)) }

// isSet reports whether a parameter counts as set for ${x-...}, or as set
// and not empty for ${x:-...} (colon).
func (s *State) isSet(name string, colon bool) (string, bool) {
	v, ok := s.Lookup(name)
	return v, ok && (!colon || v != "")
}

// Default is ${name:-word} (colon) or ${name-word}.
func (s *State) Default(name, word string, colon bool) string {
	if v, ok := s.isSet(name, colon); ok {
		return v
	}
	return word
}

// AssignDefault is ${name:=word} (colon) or ${name=word}.
func (s *State) AssignDefault(name, word string, colon bool) string {
	if v, ok := s.isSet(name, colon); ok {
		return v
	}
	s.Set(name, word)
	return word
}

// Alternate is ${name:+word} (colon) or ${name+word}.
func (s *State) Alternate(name, word string, colon bool) string {
	if _, ok := s.isSet(name, colon); ok {
		return word
	}
	return ""
}

// Required is ${name:?message} (colon) or ${name?message}: an unset (or
// empty) parameter is an error that ends the script.
func (s *State) Required(name, message string, colon bool) string {
	if v, ok := s.isSet(name, colon); ok {
		return v
	}
	if message == "" {
		message = "parameter not set"
		if colon {
			message = "parameter null or not set"
		}
	}
	s.errorf("%s: %s", name, message)
	s.Status = 2
	s.exiting = true
	return ""
}

// Int reads a variable as an arithmetic value (0 when empty or unset).
func (s *State) Int(name string) int64 {
	v := s.Get(name)
	if v == "" {
		return 0
	}
	n, err := Atoi(v)
	if err != nil {
		s.errorf("Illegal number: %s", v)
		s.Status = 2
		s.exiting = true
	}
	return n
}

// Arith evaluates arithmetic expansion text ($((text))) with the
// script's variables, assignments included.
func (s *State) Arith(text string) string {
	expr, err := syntax.NewParser().Arithmetic(strings.NewReader(text))
	if err != nil {
		s.errorf("arithmetic expression: %v", err)
		s.Status = 2
		s.exiting = true
		return ""
	}
	cfg := &expand.Config{Env: writableEnviron{stateEnviron{s}}}
	n, err := expand.Arithm(cfg, expr)
	if err != nil {
		s.errorf("arithmetic expression: %v", err)
		s.Status = 2
		s.exiting = true
		return ""
	}
	return strconv.Itoa(n)
}

// writableEnviron lets the expander assign the state's variables.
type writableEnviron struct{ stateEnviron }

func (e writableEnviron) Set(name string, vr expand.Variable) error {
	if !vr.IsSet() {
		delete(e.s.vars, name)
		return nil
	}
	e.s.Set(name, vr.String())
	return nil
}

// Printf is the printf builtin.
func (s *State) Printf(args ...string) {
	if len(args) == 0 {
		s.errorf("printf: usage: printf format [arg ...]")
		s.Status = 2
		return
	}
	out, _, err := expand.Format(&expand.Config{}, args[0], args[1:])
	fmt.Fprint(s.Stdout(), out)
	s.Status = 0
	if err != nil {
		s.errorf("printf: %v", err)
		s.Status = 1
	}
}

// Test is the test builtin.
func (s *State) Test(args ...string) {
	s.Shell("test " + quoteWords(args))
}

// Bracket is the [ builtin: test with a closing ].
func (s *State) Bracket(args ...string) {
	s.Shell("[ " + quoteWords(args))
}

// Read is dash's read builtin: `read [-r] NAME...`.
func (s *State) Read(args ...string) {
	raw := false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		if args[0] == "-r" {
			raw = true
		}
		args = args[1:]
	}
	if len(args) == 0 {
		s.errorf("read: arg count")
		s.Status = 2
		return
	}
	line, complete := readLineFrom(s.stdinBuffered(), raw)
	ifs, ok := s.Lookup("IFS")
	if !ok {
		ifs = " \t\n"
	}
	cfg := &expand.Config{Env: expand.ListEnviron("IFS=" + ifs)}
	fields := expand.ReadFields(cfg, line, len(args), raw)
	for i, name := range args {
		v := ""
		if i < len(fields) {
			v = fields[i]
		}
		s.Set(name, v)
	}
	s.Status = 0
	if !complete {
		s.Status = 1
	}
}

// stdinBuffered gives descriptor 0 one buffered reader for all the reads
// of the script, so that no read loses what the previous one buffered.
func (s *State) stdinBuffered() *bufio.Reader {
	st, ok := s.fds[0]
	if !ok || st.r == nil {
		return bufio.NewReader(strings.NewReader(""))
	}
	if br, ok := st.r.(*bufio.Reader); ok {
		return br
	}
	br := bufio.NewReader(st.r)
	st.r = br
	return br
}

func readLineFrom(r *bufio.Reader, raw bool) (string, bool) { return readLine(r, raw) }
