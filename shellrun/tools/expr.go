package tools

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"
)

// expr: coreutils' expr for its operators (| & comparisons + - * / % and
// the anchored match `:`); the keywords match, substr, index, length and
// a quoting +, which the corpus does not use, are refused, as are
// syntax errors and invalid patterns (the real expr reports those).
func init() { register("expr", parseExpr) }

// exprNode is one node of a parsed expression.
type exprNode struct {
	op          string // "" for a leaf
	leaf        string
	left, right *exprNode
	re          *posixRE // for ":", in the C locale
}

// exprVal is a value: a string, or an integer from arithmetic.
type exprVal struct {
	str   string
	num   *big.Int
	isNum bool
}

var exprKeywords = map[string]bool{"match": true, "substr": true, "index": true, "length": true, "+": true}

func parseExpr(args []string, utf8 bool) (runFunc, bool) {
	if len(args) == 0 || strings.HasPrefix(args[0], "--") {
		return nil, false
	}
	p := &exprParser{args: args, utf8: utf8}
	n, err := p.or()
	if err != nil || p.pos != len(args) {
		return nil, false
	}
	return func(c *call) int { return runExpr(c, n) }, true
}

type exprParser struct {
	args []string
	pos  int
	utf8 bool
}

// levels are the binary operators from loosest to tightest.
var exprLevels = [][]string{
	{"|"}, {"&"}, {"<", "<=", "=", "==", "!=", ">=", ">"}, {"+", "-"}, {"*", "/", "%"}, {":"},
}

func (p *exprParser) or() (*exprNode, error) { return p.level(0) }

func (p *exprParser) level(l int) (*exprNode, error) {
	if l == len(exprLevels) {
		return p.primary()
	}
	left, err := p.level(l + 1)
	if err != nil {
		return nil, err
	}
	for p.pos < len(p.args) && contains(exprLevels[l], p.args[p.pos]) {
		op := p.args[p.pos]
		p.pos++
		right, err := p.level(l + 1)
		if err != nil {
			return nil, err
		}
		left = &exprNode{op: op, left: left, right: right}
		if op == ":" {
			if right.op != "" {
				return nil, errNotHandled
			}
			if left.re, err = compileRE(right.leaf, reSyntax{groups: true, utf8: p.utf8}); err != nil {
				return nil, err
			}
		}
	}
	return left, nil
}

func (p *exprParser) primary() (*exprNode, error) {
	if p.pos == len(p.args) {
		return nil, errNotHandled
	}
	tok := p.args[p.pos]
	p.pos++
	switch {
	case exprKeywords[tok]:
		return nil, errNotHandled
	case tok == "(":
		n, err := p.or()
		if err != nil || p.pos == len(p.args) || p.args[p.pos] != ")" {
			return nil, errNotHandled
		}
		p.pos++
		return n, nil
	case tok == ")":
		return nil, errNotHandled
	}
	return &exprNode{leaf: tok}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// exprError is a run-time error: expr prints it and exits 2.
type exprError string

func runExpr(c *call, n *exprNode) int {
	v, err := c.evalExpr(n, true)
	if err != nil {
		if msg, ok := err.(exprError); ok {
			c.errorf("%s", string(msg))
			return 2
		}
		return c.spawnReal(nil)
	}
	fmt.Fprintln(c.stdout, v.String())
	if v.null() {
		return 1
	}
	return 0
}

func (e exprError) Error() string { return string(e) }

func (v exprVal) String() string {
	if v.isNum {
		return v.num.String()
	}
	return v.str
}

// null is expr's notion of false: empty, or an integer zero (also as a
// string like "00" or "-0").
func (v exprVal) null() bool {
	if v.isNum {
		return v.num.Sign() == 0
	}
	s := strings.TrimPrefix(v.str, "-")
	return v.str == "" || s != "" && strings.Trim(s, "0") == ""
}

// integer reads v as an integer: an optional minus and digits.
func (v exprVal) integer() (*big.Int, bool) {
	if v.isNum {
		return v.num, true
	}
	s := strings.TrimPrefix(v.str, "-")
	if !allDigits(s) {
		return nil, false
	}
	n, ok := new(big.Int).SetString(v.str, 10)
	return n, ok
}

func numVal(n *big.Int) exprVal { return exprVal{num: n, isNum: true} }

func boolVal(b bool) exprVal {
	if b {
		return numVal(big.NewInt(1))
	}
	return numVal(big.NewInt(0))
}

// evalExpr evaluates n; with evaluate false (the unused side of | and &)
// nothing fails, as in expr.
func (c *call) evalExpr(n *exprNode, evaluate bool) (exprVal, error) {
	if n.op == "" {
		return exprVal{str: n.leaf}, nil
	}
	leftEval, rightEval := evaluate, evaluate
	left, err := c.evalExpr(n.left, leftEval)
	if err != nil {
		return exprVal{}, err
	}
	switch n.op {
	case "|":
		rightEval = evaluate && left.null()
	case "&":
		rightEval = evaluate && !left.null()
	}
	right, err := c.evalExpr(n.right, rightEval)
	if err != nil {
		return exprVal{}, err
	}
	switch n.op {
	case "|":
		if !left.null() {
			return left, nil
		}
		if !right.null() {
			return right, nil
		}
		return numVal(big.NewInt(0)), nil
	case "&":
		if left.null() || right.null() {
			return numVal(big.NewInt(0)), nil
		}
		return left, nil
	case ":":
		return c.exprMatch(n, left)
	case "+", "-", "*", "/", "%":
		return exprArith(n.op, left, right, evaluate)
	}
	return c.exprCompare(n.op, left, right)
}

func (c *call) exprMatch(n *exprNode, left exprVal) (exprVal, error) {
	re := n.re
	if re.utf8 && !utf8.ValidString(left.String()) {
		return exprVal{}, errNotHandled
	}
	text := re.text([]byte(left.String()))
	loc := re.re.FindStringSubmatchIndex(text)
	if loc == nil || loc[0] != 0 {
		if re.groups > 0 {
			return exprVal{}, nil
		}
		return numVal(big.NewInt(0)), nil
	}
	if re.groups > 0 {
		if loc[2] < 0 {
			return exprVal{}, nil
		}
		return exprVal{str: string(re.bytesOf(text[loc[2]:loc[3]]))}, nil
	}
	return numVal(big.NewInt(int64(utf8.RuneCountInString(text[:loc[1]])))), nil
}

func exprArith(op string, left, right exprVal, evaluate bool) (exprVal, error) {
	if !evaluate {
		return numVal(big.NewInt(0)), nil
	}
	a, ok1 := left.integer()
	b, ok2 := right.integer()
	if !ok1 || !ok2 {
		return exprVal{}, exprError("non-integer argument")
	}
	r := new(big.Int)
	switch op {
	case "+":
		r.Add(a, b)
	case "-":
		r.Sub(a, b)
	case "*":
		r.Mul(a, b)
	default:
		if b.Sign() == 0 {
			return exprVal{}, exprError("division by zero")
		}
		if op == "/" {
			r.Quo(a, b)
		} else {
			r.Rem(a, b)
		}
	}
	return numVal(r), nil
}

// exprCompare compares as integers when both sides are, else as strings
// in the locale's collation (byte order in C and C.UTF-8).
func (c *call) exprCompare(op string, left, right exprVal) (exprVal, error) {
	var cmp int
	a, ok1 := left.integer()
	b, ok2 := right.integer()
	if ok1 && ok2 {
		cmp = a.Cmp(b)
	} else {
		ls, rs := left.String(), right.String()
		if c.loc.utf8 && !(utf8.ValidString(ls) && utf8.ValidString(rs)) {
			return exprVal{}, errNotHandled
		}
		cmp = bytes.Compare([]byte(ls), []byte(rs))
	}
	switch op {
	case "<":
		return boolVal(cmp < 0), nil
	case "<=":
		return boolVal(cmp <= 0), nil
	case "=", "==":
		return boolVal(cmp == 0), nil
	case "!=":
		return boolVal(cmp != 0), nil
	case ">=":
		return boolVal(cmp >= 0), nil
	}
	return boolVal(cmp > 0), nil
}
