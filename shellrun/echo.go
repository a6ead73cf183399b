package shellrun

import (
	"bytes"
	"io"
)

// DashEcho writes its arguments as dash's echo does: -n only as the first
// argument, backslash escapes always interpreted, and \c ending all
// output.
func DashEcho(w io.Writer, args []string) {
	newline := true
	if len(args) > 0 && args[0] == "-n" {
		newline, args = false, args[1:]
	}
	var buf bytes.Buffer
	for i, a := range args {
		if i > 0 {
			buf.WriteByte(' ')
		}
		if !dashUnescape(&buf, a) {
			w.Write(buf.Bytes())
			return
		}
	}
	if newline {
		buf.WriteByte('\n')
	}
	w.Write(buf.Bytes())
}

// dashUnescape appends s with dash's echo escapes interpreted; it returns
// false at \c, after which nothing more is printed.
func dashUnescape(buf *bytes.Buffer, s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			buf.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 'a':
			buf.WriteByte('\a')
		case 'b':
			buf.WriteByte('\b')
		case 'c':
			return false
		case 'f':
			buf.WriteByte('\f')
		case 'n':
			buf.WriteByte('\n')
		case 'r':
			buf.WriteByte('\r')
		case 't':
			buf.WriteByte('\t')
		case 'v':
			buf.WriteByte('\v')
		case '\\':
			buf.WriteByte('\\')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			// \0NNN, or \NNN: up to three octal digits after a
			// leading 0, or three in all.
			start := i
			if c == '0' {
				start++
			}
			n, j := 0, start
			for ; j < len(s) && j < start+3 && s[j] >= '0' && s[j] <= '7'; j++ {
				n = n*8 + int(s[j]-'0')
			}
			buf.WriteByte(byte(n))
			i = j - 1
		default:
			buf.WriteByte('\\')
			buf.WriteByte(c)
		}
	}
	return true
}
