package dash

import (
	"os"
	"strings"
	"syscall"
	"unsafe"
)

// opKind is the role a test operator plays in the grammar.
type opKind int

const (
	unaryOp  opKind = iota + 1 // -f FILE
	binaryOp                   // A = B
	notOp                      // !
	andOrOp                    // -a, -o
	parenOp                    // ( and )
)

// testOps maps each word test knows as an operator to its role.
var testOps = map[string]opKind{
	"-r": unaryOp, "-w": unaryOp, "-x": unaryOp, "-e": unaryOp, "-f": unaryOp,
	"-d": unaryOp, "-c": unaryOp, "-b": unaryOp, "-p": unaryOp, "-u": unaryOp,
	"-g": unaryOp, "-k": unaryOp, "-s": unaryOp, "-t": unaryOp, "-z": unaryOp,
	"-n": unaryOp, "-h": unaryOp, "-O": unaryOp, "-G": unaryOp, "-L": unaryOp,
	"-S": unaryOp,
	"=":  binaryOp, "!=": binaryOp, "<": binaryOp, ">": binaryOp, "-eq": binaryOp,
	"-ne": binaryOp, "-ge": binaryOp, "-gt": binaryOp, "-le": binaryOp,
	"-lt": binaryOp, "-nt": binaryOp, "-ot": binaryOp, "-ef": binaryOp,
	"!": notOp, "-a": andOrOp, "-o": andOrOp, "(": parenOp, ")": parenOp,
}

// testError is a test syntax or number error; dash prints it and the
// builtin returns 2.
type testError struct{ msg string }

func (e *testError) Error() string { return e.msg }

// Test runs dash's test builtin (name "test") or [ (name "["; its last
// argument must then be "]") on args, the words after the name. It
// returns 0 for true, 1 for false and 2 after printing an error. File
// operands are resolved against stdio.Dir. Where dash reads past the end
// of its argument list (a trailing -a or -o, as in `test x -a`) and so
// depends on leftover memory, Test reads the end of the list, which is
// what a fresh dash does.
func Test(args []string, name string, stdio IO, prefix string) int {
	if strings.HasPrefix(name, "[") {
		// dash looks at the first byte of the last word only.
		if len(args) == 0 || !strings.HasPrefix(args[len(args)-1], "]") {
			stdio.errorf(prefix, name, "missing ]")
			return 2
		}
		args = args[:len(args)-1]
	}
	status, err := evalTest(args, stdio)
	if err != nil {
		stdio.errorf(prefix, name, "%s", err.Error())
		return 2
	}
	return status
}

// evalTest applies POSIX's rules for three and four arguments before the
// general grammar, as dash does, and returns the exit status.
func evalTest(args []string, stdio IO) (int, error) {
	status := 1
	for {
		if len(args) == 0 {
			return status, nil
		}
		if len(args) == 3 && testOps[args[1]] == binaryOp {
			p := &testParser{words: args, stdio: stdio}
			return p.finish(status, p.oexpr(operandToken))
		}
		if len(args) == 3 || len(args) == 4 {
			if args[0] == "(" && args[len(args)-1] == ")" {
				args = args[1 : len(args)-1]
			} else if args[0] == "!" {
				status = 0
				args = args[1:]
				continue
			}
		}
		p := &testParser{words: args, stdio: stdio}
		return p.finish(status, p.oexpr(p.lex(0)))
	}
}

// token is what the lexer made of one word: an operator or an operand.
type token struct {
	word string
	kind opKind // 0 for an operand or the end
	end  bool
}

var operandToken = token{}

// testParser walks the words of one test expression. pos is the word the
// parser stands on; op is the operator the last lex found, if any.
type testParser struct {
	words []string
	pos   int
	op    token
	stdio IO
	err   error
}

// finish turns the expression's value into an exit status, complaining
// about words left over.
func (p *testParser) finish(status int, value bool) (int, error) {
	if p.err != nil {
		return 2, p.err
	}
	if value {
		status ^= 1
	}
	if p.pos < len(p.words) && p.pos+1 < len(p.words) {
		return 2, syntaxError(p.words[p.pos], "unexpected operator")
	}
	return status, nil
}

// syntaxError words a syntax error as dash does, naming the word at fault
// when there is one.
func syntaxError(word, msg string) error {
	if word != "" {
		return &testError{word + ": " + msg}
	}
	return &testError{msg}
}

// lex classifies the word at i. A unary operator followed by a binary
// operator and one more word is an operand (as in "-f = x"), and "(" as
// the last word is an operand.
func (p *testParser) lex(i int) token {
	if i >= len(p.words) {
		p.op = token{end: true}
		return p.op
	}
	w := p.words[i]
	kind, ok := testOps[w]
	if ok && !(kind == unaryOp && p.isOperand(i)) && !(w == "(" && i+1 >= len(p.words)) {
		p.op = token{word: w, kind: kind}
		return p.op
	}
	p.op = token{word: w}
	return p.op
}

// isOperand reports whether the unary operator at i must be read as an
// operand: it is the last word, or it is followed by a binary operator
// and a further word.
func (p *testParser) isOperand(i int) bool {
	if i+1 >= len(p.words) {
		return true
	}
	if i+2 >= len(p.words) {
		return false
	}
	return testOps[p.words[i+1]] == binaryOp
}

func (p *testParser) oexpr(t token) bool {
	res := false
	for {
		if p.aexpr(t) {
			res = true
		}
		if p.err != nil {
			return false
		}
		if next := p.lex(p.pos + 1); next.word != "-o" || next.kind != andOrOp {
			return res
		}
		p.pos += 2
		t = p.lex(p.pos)
	}
}

func (p *testParser) aexpr(t token) bool {
	res := true
	for {
		if !p.nexpr(t) {
			res = false
		}
		if p.err != nil {
			return false
		}
		if next := p.lex(p.pos + 1); next.word != "-a" || next.kind != andOrOp {
			return res
		}
		p.pos += 2
		t = p.lex(p.pos)
	}
}

func (p *testParser) nexpr(t token) bool {
	if t.kind != notOp {
		return p.primary(t)
	}
	next := p.lex(p.pos + 1)
	if !next.end {
		p.pos++
	}
	return !p.nexpr(next)
}

func (p *testParser) primary(t token) bool {
	if t.end {
		return false // missing expression
	}
	if t.kind == parenOp && t.word == "(" {
		p.pos++
		inner := p.lex(p.pos)
		if inner.kind == parenOp && inner.word == ")" {
			return false
		}
		res := p.oexpr(inner)
		if p.err != nil {
			return false
		}
		p.pos++
		if closing := p.lex(p.pos); closing.kind != parenOp || closing.word != ")" {
			p.err = syntaxError("", "closing paren expected")
			return false
		}
		return res
	}
	if t.kind == unaryOp {
		p.pos++
		if p.pos >= len(p.words) {
			p.err = syntaxError(t.word, "argument expected")
			return false
		}
		return p.unary(t.word, p.words[p.pos])
	}
	if p.lex(p.pos + 1); p.op.kind == binaryOp {
		return p.binary()
	}
	return p.words[p.pos] != ""
}

// unary evaluates a unary operator on its operand.
func (p *testParser) unary(op, arg string) bool {
	switch op {
	case "-z":
		return arg == ""
	case "-n":
		return arg != ""
	case "-t":
		n, err := parseTestNumber(arg)
		if err != nil {
			p.err = err
			return false
		}
		return isTerminal(p.stdio, n)
	}
	path := p.stdio.path(arg)
	if p.stdio.Embedded != nil && path != "" && !exists(path) && p.stdio.Embedded(path) {
		return embeddedTest(op)
	}
	switch op {
	case "-r":
		return access(path, 4)
	case "-w":
		return access(path, 2)
	case "-x":
		return access(path, 1)
	}
	return fileTest(op, path)
}

// exists reports whether path names something, a dangling symbolic link
// included.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// embeddedTest answers a file operator for a file the program carries
// inside itself (IO.Embedded): a regular file, not empty, that can be
// read; it cannot be written or run, since no such file is on disk.
func embeddedTest(op string) bool {
	switch op {
	case "-e", "-f", "-r", "-s":
		return true
	}
	return false
}

// binary evaluates the binary expression at pos and leaves pos on its
// right operand.
func (p *testParser) binary() bool {
	left := p.words[p.pos]
	p.pos++
	op := p.words[p.pos]
	p.pos++
	if p.pos >= len(p.words) {
		p.err = syntaxError(op, "argument expected")
		return false
	}
	right := p.words[p.pos]
	switch op {
	case "=":
		return left == right
	case "!=":
		return left != right
	case "<":
		return left < right
	case ">":
		return left > right
	case "-nt", "-ot", "-ef":
		return compareFiles(op, p.stdio.path(left), p.stdio.path(right))
	}
	a, err := parseTestNumber(left)
	if err == nil {
		var b int64
		if b, err = parseTestNumber(right); err == nil {
			return compareInts(op, a, b)
		}
	}
	p.err = err
	return false
}

func compareInts(op string, a, b int64) bool {
	switch op {
	case "-eq":
		return a == b
	case "-ne":
		return a != b
	case "-ge":
		return a >= b
	case "-gt":
		return a > b
	case "-le":
		return a <= b
	}
	return a < b
}

// parseTestNumber reads an integer operand as dash does: decimal,
// optional sign, blanks allowed around it but not a blank string.
func parseTestNumber(s string) (int64, error) {
	n, rest, rangeErr, ok := strtoimax(s, 10)
	if rangeErr || !ok || strings.TrimLeft(rest, " \t\n\v\f\r") != "" {
		return 0, &testError{"Illegal number: " + s}
	}
	return n, nil
}

// fileTest evaluates a unary file operator; a file that cannot be
// stat'ed makes every one of them false.
func fileTest(op, path string) bool {
	if path == "" {
		return false
	}
	stat := os.Stat
	if op == "-h" || op == "-L" {
		stat = os.Lstat
	}
	fi, err := stat(path)
	if err != nil {
		return false
	}
	mode := fi.Mode()
	st, _ := fi.Sys().(*syscall.Stat_t)
	switch op {
	case "-f":
		return mode.IsRegular()
	case "-d":
		return mode.IsDir()
	case "-c":
		return mode&os.ModeCharDevice != 0
	case "-b":
		return mode&os.ModeDevice != 0 && mode&os.ModeCharDevice == 0
	case "-p":
		return mode&os.ModeNamedPipe != 0
	case "-S":
		return mode&os.ModeSocket != 0
	case "-h", "-L":
		return mode&os.ModeSymlink != 0
	case "-u":
		return mode&os.ModeSetuid != 0
	case "-g":
		return mode&os.ModeSetgid != 0
	case "-k":
		return mode&os.ModeSticky != 0
	case "-s":
		return fi.Size() != 0
	case "-O":
		return st != nil && int(st.Uid) == os.Geteuid()
	case "-G":
		return st != nil && int(st.Gid) == os.Getegid()
	}
	return true // -e
}

// access checks permission with the effective ids, as dash's faccessat
// with AT_EACCESS does.
func access(path string, mode uint32) bool {
	const atEaccess = 0x200
	if path == "" {
		return false
	}
	return syscall.Faccessat(atFdcwd, path, mode, atEaccess) == nil
}

const atFdcwd = -100

// compareFiles evaluates -nt, -ot and -ef; both files must exist.
func compareFiles(op, a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA != nil || errB != nil {
		return false
	}
	switch op {
	case "-nt":
		return fa.ModTime().After(fb.ModTime())
	case "-ot":
		return fa.ModTime().Before(fb.ModTime())
	}
	return os.SameFile(fa, fb)
}

// isTerminal reports whether descriptor n of the builtin is a terminal:
// descriptors 0 to 2 are the IO's streams when they are files.
func isTerminal(stdio IO, n int64) bool {
	var f any
	switch n {
	case 0:
		f = stdio.Stdin
	case 1:
		f = stdio.Stdout
	case 2:
		f = stdio.Stderr
	default:
		return false
	}
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	var termios [64]byte
	const tcgets = 0x5401
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, file.Fd(), tcgets, uintptr(unsafe.Pointer(&termios[0])))
	return errno == 0
}
