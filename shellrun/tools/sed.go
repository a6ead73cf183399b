package tools

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// sed: GNU sed 4.9 with -n, -e, -E/-r and the commands { } = d p q Q h H
// g G x n s (flags g p N I), with line, $ and /re/ addresses, ranges and
// !. Anything else is refused.
func init() { register("sed", parseSed) }

type sedOptions struct {
	quiet   bool
	ere     bool
	scripts []string
	files   []string
}

func parseSedArgs(args []string) (sedOptions, bool) {
	var o sedOptions
	operands := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case operands || !isOption(a):
			o.files = append(o.files, a)
		case a == "--":
			operands = true
		case a == "--quiet" || a == "--silent":
			o.quiet = true
		case a == "--regexp-extended":
			o.ere = true
		case strings.HasPrefix(a, "--expression="):
			o.scripts = append(o.scripts, strings.TrimPrefix(a, "--expression="))
		case strings.HasPrefix(a, "--"):
			return o, false
		default:
			next, ok := sedCluster(&o, a[1:], args[i+1:])
			if !ok {
				return o, false
			}
			i += next
		}
	}
	if len(o.scripts) == 0 {
		if len(o.files) == 0 {
			return o, false
		}
		o.scripts, o.files = o.files[:1], o.files[1:]
	}
	return o, true
}

// sedCluster reads one cluster of short options; it returns how many of
// the following arguments it used.
func sedCluster(o *sedOptions, cluster string, rest []string) (int, bool) {
	for j := 0; j < len(cluster); j++ {
		switch cluster[j] {
		case 'n':
			o.quiet = true
		case 'E', 'r':
			o.ere = true
		case 'e':
			if j+1 < len(cluster) {
				o.scripts = append(o.scripts, cluster[j+1:])
				return 0, true
			}
			if len(rest) == 0 {
				return 0, false
			}
			o.scripts = append(o.scripts, rest[0])
			return 1, true
		default:
			return 0, false
		}
	}
	return 0, true
}

func parseSed(args []string, utf8 bool) (runFunc, bool) {
	o, ok := parseSedArgs(args)
	if !ok || !noDeviceOperands(o.files) {
		return nil, false
	}
	script := strings.Join(o.scripts, "\n")
	cmds, err := compileSed(script, reSyntax{ere: o.ere, sedEscapes: true, utf8: utf8})
	if err != nil {
		return nil, false
	}
	return func(c *call) int { return runSed(c, o, cmds) }, true
}

// sedInput hands out lines across the input files as sed does: a file is
// opened when the line before it is used up (or when $ needs to know),
// so an early q never reports a later missing file, and input is read
// as it is used, so q stops reading an endless pipe.
type sedInput struct {
	c      *call
	files  []string
	cur    *bufio.Reader
	name   string
	close  func()
	status int
	fatal  bool
	// stdin is standard input read ahead (in a UTF-8 locale), or nil.
	stdin []byte
}

// fill makes the current reader hold unread input, opening files as
// needed; false at the end of all input or on a fatal read error.
func (in *sedInput) fill() bool {
	for !in.fatal {
		if in.cur != nil {
			_, err := in.cur.Peek(1)
			if err == nil {
				return true
			}
			if err != io.EOF {
				in.readError(err)
				return false
			}
			in.close()
			in.cur = nil
		}
		if len(in.files) == 0 {
			return false
		}
		in.open(in.files[0])
		in.files = in.files[1:]
	}
	return false
}

func (in *sedInput) readError(err error) {
	name := in.name
	if name == "-" {
		name = "stdin"
	}
	in.c.errorf("read error on %s: %s", name, strerror(err))
	in.fatal = true
}

func (in *sedInput) open(name string) {
	in.name, in.close = name, func() {}
	if name == "-" {
		var r io.Reader = in.c.stdin
		if in.stdin != nil {
			r = bytes.NewReader(in.stdin)
			in.stdin = []byte{}
		}
		in.cur = bufio.NewReader(r)
		return
	}
	f, err := os.Open(in.c.path(name))
	if err != nil {
		in.c.errorf("can't read %s: %s", name, strerror(err))
		in.status = 2
		return
	}
	in.cur, in.close = bufio.NewReader(f), func() { f.Close() }
}

// next returns the next line and whether it ended in a newline.
func (in *sedInput) next() ([]byte, bool, bool) {
	if !in.fill() {
		return nil, false, false
	}
	line, err := in.cur.ReadBytes('\n')
	if err != nil && err != io.EOF {
		in.readError(err)
		return nil, false, false
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		return line[:n-1], true, true
	}
	return line, false, true
}

// last reports whether no input follows the current line.
func (in *sedInput) last() bool { return !in.fill() }

// sedBuf is the pattern or hold space, with whether its line ended in a
// newline (GNU sed carries that along with copies).
type sedBuf struct {
	text    []byte
	newline bool
}

type sedRun struct {
	in      *sedInput
	out     *bufio.Writer
	cmds    []*sedCmd
	quiet   bool
	line    int
	ps, hs  sedBuf
	missing bool // the last output lacked its newline
}

func runSed(c *call, o sedOptions, cmds []*sedCmd) int {
	files := o.files
	if len(files) == 0 {
		files = []string{"-"}
	}
	in := &sedInput{c: c, files: files}
	if c.loc.utf8 {
		if consumed, ok := in.validUTF8(); !ok {
			return c.spawnReal(consumed)
		}
	}
	out := bufio.NewWriter(c.stdout)
	r := &sedRun{in: in, out: out, cmds: cmds, quiet: o.quiet, hs: sedBuf{newline: true}}
	status := r.run()
	out.Flush()
	if in.cur != nil {
		in.close()
	}
	if in.fatal {
		return 4
	}
	if in.status != 0 || status < 0 {
		return in.status // an unreadable file wins over q's code
	}
	return status
}

// validUTF8 reads standard input and the files ahead of time and checks
// that they are UTF-8, which Go's matching needs to agree with the C
// library's in a UTF-8 locale.
func (in *sedInput) validUTF8() ([]byte, bool) {
	for _, f := range in.files {
		var data []byte
		if f == "-" {
			if in.stdin == nil {
				d, err := io.ReadAll(in.c.stdin)
				if err != nil {
					return d, false
				}
				in.stdin = d
			}
			data = in.stdin
		} else if d, err := os.ReadFile(in.c.path(f)); err == nil {
			data = d
		}
		if !utf8.Valid(data) {
			return in.stdin, false
		}
	}
	return nil, true
}

// run runs the cycles; it returns a q command's exit code, or -1.
func (r *sedRun) run() int {
	for {
		line, nl, ok := r.in.next()
		if !ok {
			return -1
		}
		r.line++
		r.ps = sedBuf{text: append([]byte(nil), line...), newline: nl}
		cmd, code, autoprint := r.cycle()
		if autoprint && !r.quiet {
			r.emit(r.ps)
		}
		if cmd == 'q' && r.missing {
			r.write(nil) // q ends the output with a newline
		}
		if cmd != 0 {
			return code
		}
	}
}

// cycle runs the script on the pattern space. It returns the command that
// quits sed, if one did (q, Q, or n at the end of input), with its exit
// code, and whether the pattern space is printed.
func (r *sedRun) cycle() (quit byte, code int, autoprint bool) {
	for pc := 0; pc < len(r.cmds); pc++ {
		cmd := r.cmds[pc]
		if cmd.name == '}' {
			continue
		}
		if !r.selected(cmd) {
			if cmd.name == '{' {
				pc = cmd.blockEnd - 1
			}
			continue
		}
		switch cmd.name {
		case '=':
			r.write([]byte(strconv.Itoa(r.line) + "\n"))
		case 'd':
			return 0, 0, false
		case 'p':
			r.emit(r.ps)
		case 'h':
			r.hs = sedBuf{append([]byte(nil), r.ps.text...), r.ps.newline}
		case 'H':
			r.hs = sedBuf{append(append(r.hs.text, '\n'), r.ps.text...), r.ps.newline}
		case 'g':
			r.ps = sedBuf{append([]byte(nil), r.hs.text...), r.hs.newline}
		case 'G':
			r.ps = sedBuf{append(append(r.ps.text, '\n'), r.hs.text...), r.hs.newline}
		case 'x':
			r.ps, r.hs = r.hs, r.ps
		case 'n':
			if r.in.last() {
				return 'n', -1, !r.in.fatal
			}
			if !r.quiet {
				r.emit(r.ps)
			}
			line, nl, _ := r.in.next()
			r.line++
			r.ps = sedBuf{append([]byte(nil), line...), nl}
		case 'q', 'Q':
			return cmd.name, cmd.exit, cmd.name == 'q'

		case 's':
			if r.substitute(cmd.subst) && cmd.subst.print {
				r.emit(r.ps)
			}
		}
	}
	return 0, 0, true
}

// selected reports whether cmd's address selects the current line.
func (r *sedRun) selected(cmd *sedCmd) bool {
	return r.addressed(cmd) != cmd.negate
}

func (r *sedRun) addressed(cmd *sedCmd) bool {
	if cmd.a1 == nil {
		return true
	}
	if cmd.a2 == nil {
		return r.matches(cmd.a1)
	}
	if cmd.inRange {
		if a2 := cmd.a2; a2.re == nil && !a2.last {
			if r.line >= a2.line {
				r.endRange(cmd)
				if r.line > a2.line {
					return r.openRange(cmd)
				}
			}
			return true
		}
		if r.matches(cmd.a2) {
			r.endRange(cmd)
		}
		return true
	}
	return r.openRange(cmd)
}

func (r *sedRun) endRange(cmd *sedCmd) {
	cmd.inRange = false
	cmd.closed = cmd.a1.re == nil && !cmd.a1.last
}

// openRange tries the first address of a range. A line number as the
// first address also starts it on a later line when the command was not
// run on that one; a numeric second address at or before this line makes
// a one-line range.
func (r *sedRun) openRange(cmd *sedCmd) bool {
	a1, a2 := cmd.a1, cmd.a2
	switch {
	case cmd.closed:
		return false
	case a1.re == nil && !a1.last:
		if r.line < a1.line {
			return false
		}
	case !r.matches(a1):
		return false
	}
	switch {
	case a2.last:
		cmd.inRange = !r.in.last()
	case a2.re == nil:
		cmd.inRange = a2.line > r.line
	default:
		cmd.inRange = true
	}
	if !cmd.inRange {
		r.endRange(cmd)
	}
	return true
}

func (r *sedRun) matches(a *sedAddr) bool {
	switch {
	case a.last:
		return r.in.last()
	case a.re != nil:
		return a.re.re.MatchString(a.re.text(r.ps.text))
	}
	return a.line == r.line
}

// substitute runs an s command and reports whether it replaced anything.
func (r *sedRun) substitute(s *sedSubst) bool {
	text := s.re.text(r.ps.text)
	matches := s.re.re.FindAllStringSubmatchIndex(text, -1)
	nth := max(s.nth, 1)
	if len(matches) < nth {
		return false
	}
	var out strings.Builder
	prev := 0
	for i, m := range matches {
		n := i + 1
		if n < nth || n > nth && !s.global {
			continue
		}
		out.WriteString(text[prev:m[0]])
		for _, part := range s.repl {
			if part.group < 0 {
				out.WriteString(s.re.text(part.text))
			} else if g := part.group; m[2*g] >= 0 {
				out.WriteString(text[m[2*g]:m[2*g+1]])
			}
		}
		prev = m[1]
	}
	out.WriteString(text[prev:])
	r.ps.text = s.re.bytesOf(out.String())
	return true
}

// emit writes a buffer as a line: without its newline when its input
// line had none, which the next output then supplies.
func (r *sedRun) emit(b sedBuf) {
	r.write(b.text)
	if b.newline {
		r.out.WriteByte('\n')
	} else {
		r.missing = true
	}
}

func (r *sedRun) write(p []byte) {
	if r.missing {
		r.out.WriteByte('\n')
		r.missing = false
	}
	r.out.Write(p)
}
