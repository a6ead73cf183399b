package dash

import (
	"math"
	"strings"
)

// cSpace is C's isspace in the C locale.
const cSpace = " \t\n\v\f\r"

// digitValue is the value of c as a digit in bases up to 36, or 99.
func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// scanInteger is the shared front half of C's strtoimax and strtoumax:
// it skips blanks, reads a sign and (for base 0) a base prefix, then
// digits. It returns the magnitude, whether it overflowed 64 bits, the
// sign, the rest of s after the number, and false when no digits were
// read (C then leaves the end pointer at the start of s).
func scanInteger(s string, base int) (mag uint64, overflow, negative bool, rest string, ok bool) {
	t := strings.TrimLeft(s, cSpace)
	if t != "" && (t[0] == '+' || t[0] == '-') {
		negative = t[0] == '-'
		t = t[1:]
	}
	if (base == 0 || base == 16) && len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && digitValue(t[2]) < 16 {
		t, base = t[2:], 16
	} else if base == 0 && t != "" && t[0] == '0' {
		base = 8
	} else if base == 0 {
		base = 10
	}
	i := 0
	for ; i < len(t) && digitValue(t[i]) < base; i++ {
		d := uint64(digitValue(t[i]))
		if mag > (math.MaxUint64-d)/uint64(base) {
			overflow = true
		}
		mag = mag*uint64(base) + d
	}
	if i == 0 {
		return 0, false, false, s, false
	}
	return mag, overflow, negative, t[i:], true
}

// strtoimax is C's strtoimax: the value, the unparsed rest, whether it
// was out of range (ERANGE, the value clamped) and whether any digits
// were read.
func strtoimax(s string, base int) (n int64, rest string, rangeErr, ok bool) {
	mag, overflow, negative, rest, ok := scanInteger(s, base)
	switch {
	case !ok:
		return 0, rest, false, false
	case negative && (overflow || mag > 1<<63):
		return math.MinInt64, rest, true, true
	case !negative && (overflow || mag > math.MaxInt64):
		return math.MaxInt64, rest, true, true
	case negative:
		return int64(-mag), rest, false, true
	}
	return int64(mag), rest, false, true
}

// strtoumax is C's strtoumax: a negative number wraps around, and
// overflow clamps to the maximum.
func strtoumax(s string, base int) (n uint64, rest string, rangeErr, ok bool) {
	mag, overflow, negative, rest, ok := scanInteger(s, base)
	switch {
	case !ok:
		return 0, rest, false, false
	case overflow:
		return math.MaxUint64, rest, true, true
	case negative:
		return -mag, rest, false, true
	}
	return mag, rest, false, true
}
