package apply

import "strings"

// The helpers below measure the time stamp a diff program may append to a
// "---"/"+++" name, from the end of the line, as git's diff_timestamp_len
// does: "2010-07-05 19:41:17" or "2010-07-05 19:41:17.620000023 -0500",
// separated from the name by a tab or, in whitespace-damaged patches, by
// spaces. Each returns the length it matched at the end of s, or 0.

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// matchShape checks s against a pattern where 'd' is a digit and any other
// byte must match itself.
func matchShape(s, shape string) bool {
	if len(s) != len(shape) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if shape[i] == 'd' {
			if !isDigit(s[i]) {
				return false
			}
		} else if s[i] != shape[i] {
			return false
		}
	}
	return true
}

func zoneLen(s string) int {
	if n := len(s); n >= 6 && s[n-6] == ' ' && (s[n-5] == '+' || s[n-5] == '-') && matchShape(s[n-4:], "dddd") {
		return 6
	}
	if n := len(s); n >= 7 && matchShape(s[n-7:n-6], " ") && (s[n-6] == '+' || s[n-6] == '-') && matchShape(s[n-5:], "dd:dd") {
		return 7
	}
	return 0
}

func shortTimeLen(s string) int {
	if n := len(s); n >= 9 && matchShape(s[n-9:], " dd:dd:dd") {
		return 9
	}
	return 0
}

func timeLen(s string) int {
	if n := shortTimeLen(s); n > 0 {
		return n
	}
	if s == "" || !isDigit(s[len(s)-1]) {
		return 0
	}
	p := len(s) - 1
	for p > 0 && isDigit(s[p]) {
		p--
	}
	if s[p] != '.' {
		return 0
	}
	n := shortTimeLen(s[:p])
	if n == 0 {
		return 0
	}
	return len(s) - p + n
}

func dateLen(s string) int {
	n := len(s)
	if n < 8 || !matchShape(s[n-8:], "dd-dd-dd") {
		return 0
	}
	if n >= 10 && isDigit(s[n-9]) && isDigit(s[n-10]) {
		return 10
	}
	return 8
}

// timestampLen is git's diff_timestamp_len for a name line without its
// newline.
func timestampLen(line string) int {
	if line == "" || !isDigit(line[len(line)-1]) {
		return 0
	}
	end := len(line)
	end -= zoneLen(line[:end])
	end -= timeLen(line[:end])
	n := dateLen(line[:end])
	if n == 0 {
		return 0
	}
	end -= n
	switch {
	case end == 0:
		return 0
	case line[end-1] == '\t':
		return len(line) - (end - 1)
	case line[end-1] != ' ':
		return 0
	}
	trimmed := strings.TrimRight(line[:end], " ")
	return len(line) - len(trimmed)
}

// findNameTraditional is git's find_name_traditional: a quoted name, or
// the text before a recognised time stamp, or the text up to a tab.
func findNameTraditional(root, line, def string, p int) string {
	line = strings.TrimSuffix(line, "\n")
	if strings.HasPrefix(line, "\"") {
		if name, _, ok := unquoteC(line); ok {
			if name, ok = stripForFind(p, name); ok {
				return squashSlashes(root + name)
			}
		}
	}
	n := timestampLen(line)
	if n == 0 {
		return findName(root, line, def, p, true)
	}
	return findNameCommon(root, line[:len(line)-n], def, p)
}
