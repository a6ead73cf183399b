// Package libc holds the C library behaviours git's messages and option
// values depend on, written once for gitapi, its faces, the builtins and
// the text tools: strerror's text of an error and atoi's reading of a
// number. It imports nothing of kiln's.
package libc

import (
	"errors"
	"math"
	"os"
	"strings"
	"syscall"
)

// Strerror is the C library's text for the error under err, as git and
// the tools print it: the errno's text capitalised as glibc writes it
// ("No such file or directory"), or a path error's own text; any other
// error's text as it is.
func Strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return capitalize(errno.Error())
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return capitalize(pe.Err.Error())
	}
	return err.Error()
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Atoi is C's atoi as glibc has it, (int)strtol(s, NULL, 10): leading
// blanks, a sign, then digits, anything else ending the number ("5x" is
// 5, "x" is 0); a value beyond a long saturates, then is kept in a
// 32-bit int as C's conversion does.
func Atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n uint64 // magnitude, saturated just past math.MaxInt64
	for i := 0; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		if n <= math.MaxInt64 {
			n = n*10 + uint64(s[i]-'0')
		}
	}
	var long int64
	switch {
	case neg && n > math.MaxInt64:
		long = math.MinInt64
	case neg:
		long = -int64(n)
	case n > math.MaxInt64:
		long = math.MaxInt64
	default:
		long = int64(n)
	}
	return int(int32(long))
}
