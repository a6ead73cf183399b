package dash

import (
	"fmt"
	"strconv"
	"strings"
)

// arithToken is a token of an arithmetic expression. The binary
// operators and their assignment forms keep dash's order, so that an
// operator's assignment form is it plus assignOffset.
type arithToken int

const (
	tokEOF arithToken = iota
	tokAssign
	tokOr
	tokAnd
	tokBad
	tokNum
	tokVar
	tokNot
	tokLE // first binary operator
	tokGE
	tokLT
	tokGT
	tokEQ
	tokRem
	tokBitAnd
	tokShl
	tokShr
	tokMul
	tokAdd
	tokBitOr
	tokSub
	tokXor
	tokDiv
	tokNE
	tokRemAssign // first assignment operator, tokRem+assignOffset
	_
	_
	_
	_
	_
	_
	_
	_
	tokDivAssign
	tokLParen
	tokRParen
	tokBitNot
	tokQuestion
	tokColon
)

// assignOffset turns an operator into its assignment form (and = into ==).
const assignOffset = tokRemAssign - tokRem

func isBinaryOp(t arithToken) bool { return t >= tokLE && t <= tokNE }

func isAssignOp(t arithToken) bool { return t >= tokRemAssign && t <= tokDivAssign }

// precedence of the binary operators: lower binds tighter.
func precedence(t arithToken) int {
	switch t {
	case tokMul, tokDiv, tokRem:
		return 0
	case tokAdd, tokSub:
		return 1
	case tokShl, tokShr:
		return 2
	case tokLT, tokLE, tokGT, tokGE:
		return 3
	case tokEQ, tokNE:
		return 4
	case tokBitAnd:
		return 5
	case tokXor:
		return 6
	}
	return 7 // tokBitOr
}

// ArithError is an error of $(( )) as dash words it, without the
// "$0: LINENO: " prefix; dash exits a non-interactive shell with status 2
// on one.
type ArithError struct{ Msg string }

// Error returns the message as dash prints it after its prefix.
func (e *ArithError) Error() string { return e.Msg }

// Arith evaluates an arithmetic expansion's expression (after parameter
// expansion) as dash does: 64-bit integers, C's operators with ?: and
// the assignment operators, variables read with get (unset is "") and
// written with set as decimal text, && || and ?: evaluating only what
// they need. A variable's value must be a number itself (dash does not
// evaluate it as an expression). Errors read as dash prints them after
// its prefix, e.g. `arithmetic expression: division by zero: "1/0"` or
// "Illegal number: abc". The one difference: dash dies of SIGFPE on the
// minimum integer divided by -1 (status 136); Arith gives the minimum for
// / and 0 for %.
func Arith(expr string, get func(name string) string, set func(name, value string)) (int64, error) {
	a := &arith{src: expr, get: get, set: set}
	result := a.assignment(a.lex(), false)
	if a.err == nil && a.last != tokEOF {
		a.fail("expecting EOF")
	}
	if a.err != nil {
		return 0, a.err
	}
	return result, nil
}

// lexValue is the value of the token last read: a number or a name.
type lexValue struct {
	num  int64
	name string
}

// arith is the state of one evaluation, a port of dash's recursive
// evaluator: each function is handed the token it starts on and the
// token after it, and leaves the token after its expression in last.
type arith struct {
	src  string
	pos  int
	val  lexValue
	last arithToken
	get  func(string) string
	set  func(string, string)
	err  error
}

// fail records the first error as a syntax or evaluation error of the
// expression.
func (a *arith) fail(msg string) {
	a.abort(&ArithError{fmt.Sprintf("arithmetic expression: %s: \"%s\"", msg, a.src)})
}

// abort records the first error and makes the rest of the input look
// empty, so that every function returns at once, as dash's longjmp does.
func (a *arith) abort(err error) {
	if a.err == nil {
		a.err = err
	}
	a.last = tokEOF
}

// lex reads the next token, leaving its value in a.val. After an error
// every token is the end, so that the evaluation unwinds.
func (a *arith) lex() arithToken {
	if a.err != nil {
		return tokEOF
	}
	for a.pos < len(a.src) && strings.IndexByte(" \t\n", a.src[a.pos]) >= 0 {
		a.pos++
	}
	if a.pos == len(a.src) {
		return tokEOF
	}
	s := a.src[a.pos:]
	c := s[0]
	switch {
	case isDecimalDigit(c):
		n, rest, _, _ := strtoimax(s, 0)
		a.val.num = n
		a.pos += len(s) - len(rest)
		return tokNum
	case isAlpha(c) || c == '_':
		n := 1
		for n < len(s) && (isAlpha(s[n]) || isDecimalDigit(s[n]) || s[n] == '_') {
			n++
		}
		a.val.name = s[:n]
		a.pos += n
		return tokVar
	}
	tok, n := operatorToken(s)
	a.pos += n
	return tok
}

// simpleOps are the operators that may be followed by = to make an
// assignment operator.
var simpleOps = map[byte]arithToken{
	'*': tokMul, '/': tokDiv, '%': tokRem, '+': tokAdd, '-': tokSub, '^': tokXor,
	'=': tokAssign, '|': tokBitOr, '&': tokBitAnd,
}

// operatorToken reads the operator at the start of s and its length.
func operatorToken(s string) (arithToken, int) {
	next := byte(0)
	if len(s) > 1 {
		next = s[1]
	}
	withAssign := func(t arithToken, n int) (arithToken, int) {
		if n < len(s) && s[n] == '=' {
			return t + assignOffset, n + 1
		}
		return t, n
	}
	switch c := s[0]; {
	case c == '|' && next == '|':
		return tokOr, 2
	case c == '&' && next == '&':
		return tokAnd, 2
	case c == '<' && next == '<':
		return withAssign(tokShl, 2)
	case c == '>' && next == '>':
		return withAssign(tokShr, 2)
	case c == '<' && next == '=':
		return tokLE, 2
	case c == '>' && next == '=':
		return tokGE, 2
	case c == '<':
		return tokLT, 1
	case c == '>':
		return tokGT, 1
	case c == '!' && next == '=':
		return tokNE, 2
	case c == '!':
		return tokNot, 1
	case simpleOps[c] != 0:
		return withAssign(simpleOps[c], 1)
	}
	single := map[byte]arithToken{'(': tokLParen, ')': tokRParen, '~': tokBitNot, '?': tokQuestion, ':': tokColon}
	if t, ok := single[s[0]]; ok {
		return t, 1
	}
	return tokBad, 0
}

// lookup reads a variable as a number, as dash's lookupvarint does.
func (a *arith) lookup(name string) int64 {
	s := ""
	if a.get != nil {
		s = a.get(name)
	}
	n, rest, rangeErr, _ := strtoimax(s, 0)
	if rangeErr || strings.TrimLeft(rest, cSpace) != "" {
		a.abort(&ArithError{"Illegal number: " + s})
		return 0
	}
	return n
}

// binop applies a binary operator; division by zero is an error. Shift
// counts are taken modulo 64, as the x86 instructions dash compiles to do.
func (a *arith) binop(op arithToken, x, y int64) int64 {
	switch op {
	case tokRem, tokDiv:
		if y == 0 {
			a.fail("division by zero")
			return 0
		}
		if op == tokRem {
			return x % y
		}
		return x / y
	case tokMul:
		return x * y
	case tokAdd:
		return x + y
	case tokSub:
		return x - y
	case tokShl:
		return x << (uint64(y) & 63)
	case tokShr:
		return x >> (uint64(y) & 63)
	case tokLT:
		return boolInt(x < y)
	case tokLE:
		return boolInt(x <= y)
	case tokGT:
		return boolInt(x > y)
	case tokGE:
		return boolInt(x >= y)
	case tokEQ:
		return boolInt(x == y)
	case tokNE:
		return boolInt(x != y)
	case tokBitAnd:
		return x & y
	case tokXor:
		return x ^ y
	}
	return x | y
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (a *arith) primary(tok arithToken, val lexValue, op arithToken, noeval bool) int64 {
	if a.err != nil {
		return 0
	}
	for {
		switch tok {
		case tokLParen:
			result := a.assignment(op, noeval)
			if a.last != tokRParen {
				a.fail("expecting ')'")
				return 0
			}
			a.last = a.lex()
			return result
		case tokNum:
			a.last = op
			return val.num
		case tokVar:
			a.last = op
			if noeval {
				return 0
			}
			return a.lookup(val.name)
		case tokAdd:
			tok, val = op, a.val
			op = a.lex()
			continue
		case tokSub, tokNot, tokBitNot:
			v := a.val
			n := a.primary(op, v, a.lex(), noeval)
			switch tok {
			case tokSub:
				return -n
			case tokNot:
				return boolInt(n == 0)
			}
			return ^n
		}
		a.fail("expecting primary")
		return 0
	}
}

// binary2 continues a binary expression whose left operand x and
// operator op have been read.
func (a *arith) binary2(x int64, op arithToken, noeval bool) int64 {
	for {
		tok := a.lex()
		val := a.val
		y := a.primary(tok, val, a.lex(), noeval)
		op2 := a.last
		if !isBinaryOp(op2) {
			return a.apply(op, x, y, noeval)
		}
		if precedence(op2) < precedence(op) {
			y = a.binary2(y, op2, noeval)
			return a.apply(op, x, y, noeval)
		}
		x = a.apply(op, x, y, noeval)
		op = op2
	}
}

// apply is binop unless the operands are not being evaluated.
func (a *arith) apply(op arithToken, x, y int64, noeval bool) int64 {
	if noeval {
		return y
	}
	return a.binop(op, x, y)
}

func (a *arith) binary(tok arithToken, val lexValue, op arithToken, noeval bool) int64 {
	x := a.primary(tok, val, op, noeval)
	if !isBinaryOp(a.last) {
		return x
	}
	return a.binary2(x, a.last, noeval)
}

func (a *arith) and(tok arithToken, val lexValue, op arithToken, noeval bool) int64 {
	x := a.binary(tok, val, op, noeval)
	if a.last != tokAnd {
		return x
	}
	tok = a.lex()
	val = a.val
	y := a.and(tok, val, a.lex(), noeval || x == 0)
	return boolInt(x != 0 && y != 0)
}

func (a *arith) or(tok arithToken, val lexValue, op arithToken, noeval bool) int64 {
	x := a.and(tok, val, op, noeval)
	if a.last != tokOr {
		return x
	}
	tok = a.lex()
	val = a.val
	y := a.or(tok, val, a.lex(), noeval || x != 0)
	return boolInt(x != 0 || y != 0)
}

func (a *arith) cond(tok arithToken, val lexValue, op arithToken, noeval bool) int64 {
	x := a.or(tok, val, op, noeval)
	if a.last != tokQuestion {
		return x
	}
	y := a.assignment(a.lex(), noeval || x == 0)
	if a.last != tokColon {
		a.fail("expecting ':'")
		return 0
	}
	tok = a.lex()
	val = a.val
	z := a.cond(tok, val, a.lex(), noeval || x != 0)
	if x != 0 {
		return y
	}
	return z
}

// assignment evaluates an assignment expression starting at tok, whose
// value is in a.val.
func (a *arith) assignment(tok arithToken, noeval bool) int64 {
	val := a.val
	op := a.lex()
	if tok != tokVar || op != tokAssign && !isAssignOp(op) {
		return a.cond(tok, val, op, noeval)
	}
	result := a.assignment(a.lex(), noeval)
	if noeval || a.err != nil {
		return result
	}
	if op != tokAssign {
		result = a.binop(op-assignOffset, a.lookup(val.name), result)
		if a.err != nil {
			return 0
		}
	}
	if a.set != nil {
		a.set(val.name, strconv.FormatInt(result, 10))
	}
	return result
}
