package tools

import (
	"strconv"
	"strings"
)

// sedAddr is one address: a line number, the last line, or a pattern.
type sedAddr struct {
	line int
	last bool
	re   *posixRE
}

// sedCmd is one command of a compiled script. A block's { holds the
// index just past its } so an unmatched address can skip it.
type sedCmd struct {
	a1, a2   *sedAddr
	negate   bool
	name     byte
	blockEnd int
	exit     int
	subst    *sedSubst
	// inRange is the state of a two-address command; closed is a range
	// over that starts at a line number, which cannot start again.
	inRange, closed bool
}

// sedSubst is an s command.
type sedSubst struct {
	re     *posixRE
	repl   []replPart
	global bool
	nth    int
	print  bool
}

// replPart is literal text, or a group's match (0 for the whole).
type replPart struct {
	text  []byte
	group int
}

// sedParser compiles a script in GNU sed's grammar, refusing
// (errNotHandled) anything outside the commands the tools implement and
// every error, which the real sed reports.
type sedParser struct {
	src    string
	pos    int
	syn    reSyntax
	cmds   []*sedCmd
	blocks []int
}

func compileSed(script string, syn reSyntax) ([]*sedCmd, error) {
	if strings.HasPrefix(script, "#n") {
		return nil, errNotHandled // #n on the first line means -n
	}
	p := &sedParser{src: script, syn: syn}
	for {
		p.skip(" \t\n;")
		if p.eof() {
			break
		}
		if err := p.command(); err != nil {
			return nil, err
		}
	}
	if len(p.blocks) != 0 {
		return nil, errNotHandled
	}
	return p.cmds, nil
}

func (p *sedParser) eof() bool { return p.pos >= len(p.src) }

func (p *sedParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

func (p *sedParser) skip(set string) {
	for !p.eof() && strings.IndexByte(set, p.src[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *sedParser) command() error {
	if p.peek() == '#' {
		p.skipLine()
		return nil
	}
	cmd := &sedCmd{}
	if err := p.addresses(cmd); err != nil {
		return err
	}
	if p.eof() {
		return errNotHandled
	}
	cmd.name = p.src[p.pos]
	p.pos++
	switch cmd.name {
	case '{':
		p.blocks = append(p.blocks, len(p.cmds))
		p.cmds = append(p.cmds, cmd)
		return nil
	case '}':
		if cmd.a1 != nil || cmd.negate || len(p.blocks) == 0 {
			return errNotHandled
		}
		open := p.blocks[len(p.blocks)-1]
		p.blocks = p.blocks[:len(p.blocks)-1]
		p.cmds = append(p.cmds, cmd)
		p.cmds[open].blockEnd = len(p.cmds)
	case '=', 'd', 'p', 'h', 'H', 'g', 'G', 'x', 'n':
		p.cmds = append(p.cmds, cmd)
	case 'q', 'Q':
		if cmd.a2 != nil {
			return errNotHandled
		}
		p.skip(" \t")
		if d := p.digits(); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil {
				return errNotHandled
			}
			cmd.exit = n & 0xff
		}
		p.cmds = append(p.cmds, cmd)
	case 's':
		s, err := p.substitute()
		if err != nil {
			return err
		}
		cmd.subst = s
		p.cmds = append(p.cmds, cmd)
		return nil // substitute read the end of the command
	default:
		return errNotHandled
	}
	return p.endOfCommand()
}

func (p *sedParser) skipLine() {
	for !p.eof() && p.src[p.pos] != '\n' {
		p.pos++
	}
}

// endOfCommand accepts blanks and then the end, a newline, ;, } or #.
func (p *sedParser) endOfCommand() error {
	p.skip(" \t")
	switch p.peek() {
	case 0:
		if p.eof() {
			return nil
		}
	case '\n', ';':
		p.pos++
		return nil
	case '}', '#':
		return nil
	}
	return errNotHandled
}

func (p *sedParser) digits() string {
	start := p.pos
	for !p.eof() && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	return p.src[start:p.pos]
}

func (p *sedParser) addresses(cmd *sedCmd) error {
	a1, err := p.address()
	if err != nil || a1 == nil {
		return err
	}
	if a1.line == 0 && !a1.last && a1.re == nil {
		return errNotHandled // line 0 (and 0,/re/)
	}
	cmd.a1 = a1
	p.skip(" \t")
	if p.peek() == ',' {
		p.pos++
		p.skip(" \t")
		a2, err := p.address()
		if err != nil || a2 == nil || a2.line == 0 && !a2.last && a2.re == nil {
			return errNotHandled
		}
		cmd.a2 = a2
	}
	p.skip(" \t")
	if p.peek() == '!' {
		cmd.negate = true
		p.pos++
		p.skip(" \t")
		if p.peek() == '!' {
			return errNotHandled
		}
	}
	return nil
}

// address reads a line number, $ or /re/; nil when there is none.
func (p *sedParser) address() (*sedAddr, error) {
	switch c := p.peek(); {
	case c >= '0' && c <= '9':
		n, err := strconv.Atoi(p.digits())
		if err != nil {
			return nil, errNotHandled
		}
		if p.peek() == '~' {
			return nil, errNotHandled
		}
		return &sedAddr{line: n}, nil
	case c == '$':
		p.pos++
		return &sedAddr{last: true}, nil
	case c == '/' || c == '\\':
		p.pos++
		delim := byte('/')
		if c == '\\' {
			if p.eof() || p.peek() == '\n' || p.peek() == '\\' {
				return nil, errNotHandled
			}
			delim = p.peek()
			p.pos++
		}
		pat, err := p.delimited(delim, true)
		if err != nil || pat == "" {
			return nil, errNotHandled
		}
		if c := p.peek(); c == 'I' || c == 'M' {
			return nil, errNotHandled
		}
		re, err := compileRE(pat, p.syn)
		if err != nil {
			return nil, err
		}
		return &sedAddr{re: re}, nil
	case c == '+' || c == '~':
		return nil, errNotHandled
	}
	return nil, nil
}

// delimited reads up to an unescaped delim, as GNU sed's match_slash:
// an escaped delimiter loses its backslash, and in a pattern \n becomes
// a newline; a bare newline ends a pattern too early.
func (p *sedParser) delimited(delim byte, regex bool) (string, error) {
	var b strings.Builder
	for !p.eof() {
		c := p.src[p.pos]
		p.pos++
		switch {
		case c == delim:
			return b.String(), nil
		case c == '\n' && regex:
			return "", errNotHandled
		case c == '\\':
			if p.eof() {
				return "", errNotHandled
			}
			n := p.src[p.pos]
			p.pos++
			switch {
			case n == 'n' && regex:
				b.WriteByte('\n')
			case n == delim && !(n == '&' && !regex) && n != '\n':
				b.WriteByte(n)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", errNotHandled
}

func (p *sedParser) substitute() (*sedSubst, error) {
	if p.eof() || p.peek() == '\n' || p.peek() == '\\' {
		return nil, errNotHandled
	}
	delim := p.src[p.pos]
	p.pos++
	if isAlnum(delim) {
		return nil, errNotHandled
	}
	pat, err := p.delimited(delim, true)
	if err != nil || pat == "" {
		return nil, errNotHandled
	}
	rhs, err := p.delimited(delim, false)
	if err != nil {
		return nil, err
	}
	s := &sedSubst{}
	syn := p.syn
	if err := p.substFlags(s, &syn); err != nil {
		return nil, err
	}
	syn.groups = strings.Contains(rhs, `\`)
	if s.re, err = compileRE(pat, syn); err != nil {
		return nil, err
	}
	if s.repl, err = parseReplacement(rhs, s.re.groups); err != nil {
		return nil, err
	}
	return s, nil
}

func (p *sedParser) substFlags(s *sedSubst, syn *reSyntax) error {
	for {
		c := p.peek()
		if p.eof() {
			return nil
		}
		p.pos++
		switch {
		case c == 'g' && !s.global:
			s.global = true
		case c == 'p' && !s.print:
			s.print = true
		case (c == 'i' || c == 'I') && !syn.icase:
			syn.icase = true
		case c >= '1' && c <= '9' && s.nth == 0:
			p.pos--
			n, err := strconv.Atoi(p.digits())
			if err != nil || n > 512 {
				return errNotHandled
			}
			s.nth = n
		case c == '\n' || c == ';':
			return nil
		case c == '}' || c == '#':
			p.pos--
			return nil
		case c == ' ' || c == '\t':
			p.pos--
			return p.endOfCommand()
		default:
			return errNotHandled
		}
	}
}

// parseReplacement reads an s command's replacement: & and \1..\9 for
// what matched, \n and \t, \& and \\ for themselves, a backslash before
// a newline for the newline. GNU's case conversions and numeric escapes
// are refused.
func parseReplacement(rhs string, groups int) ([]replPart, error) {
	var parts []replPart
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			parts = append(parts, replPart{text: lit, group: -1})
			lit = nil
		}
	}
	for i := 0; i < len(rhs); i++ {
		c := rhs[i]
		if c == '&' {
			flush()
			parts = append(parts, replPart{group: 0})
			continue
		}
		if c != '\\' {
			lit = append(lit, c)
			continue
		}
		i++
		if i == len(rhs) {
			return nil, errNotHandled
		}
		n := rhs[i]
		switch {
		case n >= '0' && n <= '9':
			if int(n-'0') > groups {
				return nil, errNotHandled
			}
			flush()
			parts = append(parts, replPart{group: int(n - '0')})
		case n == 'n':
			lit = append(lit, '\n')
		case n == 't':
			lit = append(lit, '\t')
		case n < 0x80 && isAlnum(n):
			return nil, errNotHandled
		default:
			lit = append(lit, n)
		}
	}
	flush()
	return parts, nil
}
