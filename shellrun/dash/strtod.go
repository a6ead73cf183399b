package dash

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// strtod is C's strtod in the C locale: the longest prefix of s (after
// blanks) that is a decimal or hexadecimal float, inf, infinity or nan.
// It returns the value, the rest of s, whether the value overflowed or
// underflowed (ERANGE), and whether anything was read.
func strtod(s string) (f float64, rest string, rangeErr, ok bool) {
	t := strings.TrimLeft(s, cSpace)
	sign := ""
	if t != "" && (t[0] == '+' || t[0] == '-') {
		sign, t = t[:1], t[1:]
	}
	if n := specialFloatLen(t); n > 0 {
		v, _ := strconv.ParseFloat(sign+t[:min(n, 8)], 64)
		if strings.HasPrefix(strings.ToLower(t), "nan") {
			v = math.NaN()
			if sign == "-" {
				v = math.Copysign(v, -1)
			}
		}
		return v, t[n:], false, true
	}
	text, n, hex := floatPrefix(t)
	if n == 0 {
		return 0, s, false, false
	}
	if hex && !strings.ContainsAny(text, "pP") {
		text += "p0"
	}
	v, err := strconv.ParseFloat(sign+text, 64)
	rangeErr = err != nil || v == 0 && hasNonzeroDigit(text) || isSubnormal(v) && !exactly(text, v)
	return v, t[n:], rangeErr, true
}

func isSubnormal(v float64) bool { return v != 0 && math.Abs(v) < 0x1p-1022 }

// exactly reports whether the number written as text is exactly v; glibc
// reports a subnormal result as out of range only when it is inexact.
func exactly(text string, v float64) bool {
	if len(text) > 1000 {
		return false // too long to be worth an exact comparison
	}
	written, ok := new(big.Rat).SetString(text)
	if !ok {
		return false
	}
	value, _ := new(big.Float).SetFloat64(math.Abs(v)).Rat(nil)
	return written.Cmp(value) == 0
}

// specialFloatLen is the length of an inf, infinity or nan(...) prefix.
func specialFloatLen(t string) int {
	lower := strings.ToLower(t)
	switch {
	case strings.HasPrefix(lower, "infinity"):
		return 8
	case strings.HasPrefix(lower, "inf"):
		return 3
	case strings.HasPrefix(lower, "nan"):
		if rest := t[3:]; strings.HasPrefix(rest, "(") {
			if end := strings.IndexByte(rest, ')'); end > 0 && strings.Trim(rest[1:end], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == "" {
				return 3 + end + 1
			}
		}
		return 3
	}
	return 0
}

// floatPrefix finds the longest prefix of t that is a number for strtod
// and returns it (stripped of what Go's parser would read differently),
// its length, and whether it is hexadecimal.
func floatPrefix(t string) (text string, n int, hex bool) {
	digits := isDecimalDigit
	i := 0
	if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && (isHexDigit(t[2]) || len(t) > 3 && t[2] == '.' && isHexDigit(t[3])) {
		digits, hex, i = isHexDigit, true, 2
	}
	start := i
	for i < len(t) && digits(t[i]) {
		i++
	}
	mantissaDigits := i - start
	if i < len(t) && t[i] == '.' {
		j := i + 1
		for j < len(t) && digits(t[j]) {
			j++
		}
		mantissaDigits += j - i - 1
		i = j
	}
	if mantissaDigits == 0 {
		return "", 0, false
	}
	expChar := "eE"
	if hex {
		expChar = "pP"
	}
	if i < len(t) && strings.IndexByte(expChar, t[i]) >= 0 {
		j := i + 1
		if j < len(t) && (t[j] == '+' || t[j] == '-') {
			j++
		}
		if j < len(t) && isDecimalDigit(t[j]) {
			for j < len(t) && isDecimalDigit(t[j]) {
				j++
			}
			i = j
		}
	}
	return t[:i], i, hex
}

func isDecimalDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool { return digitValue(c) < 16 }

// hasNonzeroDigit reports whether a number's mantissa has a nonzero
// digit, so that a zero result means underflow.
func hasNonzeroDigit(text string) bool {
	mantissa := text
	if strings.HasPrefix(mantissa, "0x") || strings.HasPrefix(mantissa, "0X") {
		mantissa = mantissa[2:]
		if i := strings.IndexAny(mantissa, "pP"); i >= 0 {
			mantissa = mantissa[:i]
		}
	} else if i := strings.IndexAny(mantissa, "eE"); i >= 0 {
		mantissa = mantissa[:i]
	}
	return strings.Trim(mantissa, "0.") != ""
}
