package tools

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"
)

// grep: GNU grep 3.8 with -q -v -c -l -n -H -h -s -x -i -E -F -G and -e.
// Input holding NUL bytes (binary to grep), or invalid UTF-8 in a UTF-8
// locale, goes to the real grep.
func init() { register("grep", parseGrep) }

type grepOptions struct {
	quiet, invert, count, list, number, noMessages, line, icase bool
	withName, noName                                            bool
	syntax                                                      byte // 'G', 'E' or 'F'
	matchers                                                    map[byte]bool
	patterns                                                    []string
	havePattern                                                 bool
	files                                                       []string
}

var grepLong = map[string]func(*grepOptions){
	"--quiet":              func(o *grepOptions) { o.quiet = true },
	"--silent":             func(o *grepOptions) { o.quiet = true },
	"--invert-match":       func(o *grepOptions) { o.invert = true },
	"--count":              func(o *grepOptions) { o.count = true },
	"--files-with-matches": func(o *grepOptions) { o.list = true },
	"--line-number":        func(o *grepOptions) { o.number = true },
	"--no-messages":        func(o *grepOptions) { o.noMessages = true },
	"--line-regexp":        func(o *grepOptions) { o.line = true },
	"--ignore-case":        func(o *grepOptions) { o.icase = true },
	"--extended-regexp":    func(o *grepOptions) { o.syntax = 'E' },
	"--fixed-strings":      func(o *grepOptions) { o.syntax = 'F' },
	"--basic-regexp":       func(o *grepOptions) { o.syntax = 'G' },
	"--with-filename":      func(o *grepOptions) { o.withName, o.noName = true, false },
	"--no-filename":        func(o *grepOptions) { o.noName, o.withName = true, false },
}

func parseGrepArgs(args []string) (grepOptions, bool) {
	o := grepOptions{syntax: 'G'}
	var operands []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case !isOption(a):
			operands = append(operands, a)
		case strings.HasPrefix(a, "--regexp="):
			o.addPattern(strings.TrimPrefix(a, "--regexp="))
		case strings.HasPrefix(a, "--"):
			set, ok := grepLong[a]
			if !ok {
				return o, false
			}
			set(&o)
		default:
			n, ok := grepCluster(&o, a[1:], args[i+1:])
			if !ok {
				return o, false
			}
			i += n
		}
	}
	if !o.havePattern {
		if len(operands) == 0 {
			return o, false
		}
		o.addPattern(operands[0])
		operands = operands[1:]
	}
	o.files = operands
	// Two different matchers are an error grep reports; -v with only
	// empty patterns makes grep stop before reading anything.
	emptyInvert := o.invert && !o.line && strings.Join(o.patterns, "") == ""
	return o, len(o.matchers) <= 1 && !emptyInvert && !(o.list && (o.count || o.number))
}

func (o *grepOptions) setMatcher(m byte) {
	if o.matchers == nil {
		o.matchers = map[byte]bool{}
	}
	o.matchers[m] = true
	o.syntax = m
}

func (o *grepOptions) addPattern(p string) {
	o.patterns = append(o.patterns, strings.Split(p, "\n")...)
	o.havePattern = true
}

func grepCluster(o *grepOptions, cluster string, rest []string) (int, bool) {
	flags := map[byte]func(){
		'q': func() { o.quiet = true }, 'v': func() { o.invert = true },
		'c': func() { o.count = true }, 'l': func() { o.list = true },
		'n': func() { o.number = true }, 's': func() { o.noMessages = true },
		'x': func() { o.line = true }, 'i': func() { o.icase = true },
		'y': func() { o.icase = true },
		'E': func() { o.setMatcher('E') }, 'F': func() { o.setMatcher('F') }, 'G': func() { o.setMatcher('G') },
		'H': func() { o.withName, o.noName = true, false }, 'h': func() { o.noName, o.withName = true, false },
	}
	for j := 0; j < len(cluster); j++ {
		if cluster[j] == 'e' {
			if j+1 < len(cluster) {
				o.addPattern(cluster[j+1:])
				return 0, true
			}
			if len(rest) == 0 {
				return 0, false
			}
			o.addPattern(rest[0])
			return 1, true
		}
		set, ok := flags[cluster[j]]
		if !ok {
			return 0, false
		}
		set()
	}
	return 0, true
}

func parseGrep(args []string, utf8 bool) (runFunc, bool) {
	o, ok := parseGrepArgs(args)
	if !ok || !noDeviceOperands(o.files) {
		return nil, false
	}
	var res []*posixRE
	for _, p := range o.patterns {
		re, err := grepPattern(p, o, utf8)
		if err != nil {
			return nil, false
		}
		res = append(res, re)
	}
	return func(c *call) int { return runGrep(c, o, res) }, true
}

// grepPattern compiles one pattern; -F patterns become quoted literals.
func grepPattern(p string, o grepOptions, utf8 bool) (*posixRE, error) {
	syn := reSyntax{ere: o.syntax == 'E', icase: o.icase, utf8: utf8}
	if o.syntax == 'F' {
		return literalRE(p, syn, o.line)
	}
	re, err := compileRE(p, syn)
	if err != nil || !o.line {
		return re, err
	}
	return wrapRE(re, "^(?:", ")$", syn.icase)
}

// literalRE matches p as a fixed string.
func literalRE(p string, syn reSyntax, whole bool) (*posixRE, error) {
	if syn.utf8 && (!utf8.ValidString(p) || syn.icase) {
		return nil, errUnsupportedRE
	}
	runes := []rune(p)
	if !syn.utf8 {
		runes = bytesToRunes([]byte(p))
	}
	if syn.icase && hasHighRune(runes) {
		return nil, errUnsupportedRE
	}
	expr := regexp.QuoteMeta(string(runes))
	if whole {
		expr = "^(?:" + expr + ")$"
	}
	if syn.icase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, errUnsupportedRE
	}
	return &posixRE{re: re, utf8: syn.utf8}, nil
}

// wrapRE recompiles re's expression between prefix and suffix.
func wrapRE(re *posixRE, prefix, suffix string, icase bool) (*posixRE, error) {
	expr := strings.TrimPrefix(re.re.String(), "(?i)")
	if icase {
		prefix = "(?i)" + prefix
	}
	compiled, err := regexp.Compile(prefix + expr + suffix)
	if err != nil {
		return nil, errUnsupportedRE
	}
	compiled.Longest()
	return &posixRE{re: compiled, groups: re.groups, utf8: re.utf8}, nil
}

type grepRun struct {
	c       *call
	o       grepOptions
	res     []*posixRE
	out     *bufio.Writer
	names   bool
	stdin   []byte
	status  int
	matched bool
}

func runGrep(c *call, o grepOptions, res []*posixRE) int {
	if _, set := getenv(c.env.Environ, "GREP_OPTIONS"); set {
		return c.spawnReal(nil)
	}
	files := o.files
	if len(files) == 0 {
		files = []string{"-"}
	}
	g := &grepRun{c: c, o: o, res: res, out: bufio.NewWriter(c.stdout)}
	g.names = len(files) > 1 && !o.noName || o.withName
	if consumed, ok := g.textOnly(files); !ok {
		return c.spawnReal(consumed)
	}
	defer g.out.Flush()
	for _, f := range files {
		if f == "-" && o.quiet {
			matched, consumed, text := g.quietStdin()
			if !text {
				return c.spawnReal(consumed)
			}
			if matched {
				return 0
			}
			continue
		}
		if g.file(f) && o.quiet {
			return 0
		}
	}
	if g.status != 0 && !(o.quiet && g.matched) {
		return g.status
	}
	if g.matched {
		return 0
	}
	return 1
}

// textOnly reads the inputs ahead and reports whether all are text to
// grep: no NUL byte, and valid UTF-8 in a UTF-8 locale. It returns what
// it read of standard input.
func (g *grepRun) textOnly(files []string) ([]byte, bool) {
	for _, f := range files {
		var data []byte
		if f == "-" && g.o.quiet {
			continue // read as it is used, by quietStdin
		}
		if f == "-" {
			if g.stdin == nil {
				d, err := io.ReadAll(g.c.stdin)
				g.stdin = d
				if err != nil {
					return d, false
				}
			}
			data = g.stdin
		} else if d, err := os.ReadFile(g.c.path(f)); err == nil {
			data = d
		}
		if bytes.IndexByte(data, 0) >= 0 || g.c.loc.utf8 && !utf8.Valid(data) {
			return g.stdin, false
		}
	}
	return nil, true
}

// quietStdin searches standard input for grep -q line by line, so a
// match stops reading an endless pipe. It returns whether a line was
// selected, what it read, and false when a line is not text to grep (the
// real grep must then see the input, beginning with what was read).
func (g *grepRun) quietStdin() (matched bool, consumed []byte, text bool) {
	if g.stdin != nil {
		return false, nil, true // read once already: at its end
	}
	g.stdin = []byte{}
	r := bufio.NewReader(g.c.stdin)
	for {
		line, err := r.ReadBytes('\n')
		consumed = append(consumed, line...)
		if len(line) > 0 {
			body := bytes.TrimSuffix(line, []byte("\n"))
			if bytes.IndexByte(body, 0) >= 0 || g.c.loc.utf8 && !utf8.Valid(body) {
				return false, append(consumed, bufferedRest(r)...), false
			}
			if g.selects(body) != g.o.invert {
				g.matched = true
				return true, nil, true
			}
		}
		if err != nil {
			return false, nil, true
		}
	}
}

// bufferedRest is what r has read ahead and not handed out.
func bufferedRest(r *bufio.Reader) []byte {
	rest, _ := r.Peek(r.Buffered())
	return rest
}

// file searches one input and reports whether it selected a line.
func (g *grepRun) file(name string) bool {
	label := name
	var data []byte
	if name == "-" {
		label, data = "(standard input)", g.stdin
		g.stdin = []byte{}
	} else {
		d, err := os.ReadFile(g.c.path(name))
		if err != nil {
			if !g.o.noMessages {
				g.out.Flush()
				g.c.errorf("%s: %s", name, strerror(err))
			}
			g.status = 2
			return false
		}
		data = d
	}
	count := 0
	for n, line := range splitLines(data) {
		if g.selects(line) == g.o.invert {
			continue
		}
		count++
		if g.o.quiet || g.o.list {
			break
		}
		if !g.o.count {
			g.printLine(label, n+1, line)
		}
	}
	if count > 0 {
		g.matched = true
	}
	switch {
	case g.o.quiet:
	case g.o.list && count > 0:
		fmt.Fprintln(g.out, label)
	case g.o.count:
		if g.names {
			fmt.Fprintf(g.out, "%s:", label)
		}
		fmt.Fprintln(g.out, count)
	}
	return count > 0
}

func (g *grepRun) selects(line []byte) bool {
	for _, re := range g.res {
		if re.re.MatchString(re.text(line)) {
			return true
		}
	}
	return false
}

func (g *grepRun) printLine(label string, n int, line []byte) {
	if g.names {
		fmt.Fprintf(g.out, "%s:", label)
	}
	if g.o.number {
		fmt.Fprintf(g.out, "%d:", n)
	}
	g.out.Write(line)
	g.out.WriteByte('\n')
}

// splitLines splits data into lines without their newlines; a last line
// without one still counts.
func splitLines(data []byte) [][]byte {
	if len(data) == 0 {
		return nil
	}
	lines := bytes.Split(data, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	return lines
}
