package dash

import "io"

// Echo writes its arguments as dash's echo does and returns its exit
// status (always 0): -n only as the first argument and exactly so, other
// options printed as text, backslash escapes always interpreted, and \c
// ending all output, the trailing newline included.
func Echo(args []string, w io.Writer) int {
	newline := true
	if len(args) > 0 && args[0] == "-n" {
		newline, args = false, args[1:]
	}
	var buf []byte
	for i, a := range args {
		if i > 0 {
			buf = append(buf, ' ')
		}
		text, stop := expandEscapes(a)
		buf = append(buf, text...)
		if stop {
			w.Write(buf)
			return 0
		}
	}
	if newline {
		buf = append(buf, '\n')
	}
	w.Write(buf)
	return 0
}

// EchoEscapes interprets the backslash escapes of text as echo and %b
// do; stop reports a \c, after which output ends.
func EchoEscapes(text string) (out []byte, stop bool) {
	return expandEscapes(text)
}
