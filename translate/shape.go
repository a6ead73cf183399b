package translate

import (
	"regexp"
	"strings"
)

// The idiomatic stage's shape: rewrites of the Go it wrote that change
// how the code reads, never what it does.

// atLineRE is a line that only records the script line of the command
// after it (s.At(61)), with a provenance comment perhaps.
var atLineRE = regexp.MustCompile(`^(\s*)s\.At\((\d+)\)( // [^\n]*)?$`)

// chainableRE is the start of a statement that can take the s.At before
// it as the receiver of its first call: `s.Method(`, `if s.Method(`,
// `x = s.Method(`, `if x = s.Method(` (group 1 ends right after "s.").
var chainableRE = regexp.MustCompile(`^(\s*(?:if )?(?:[A-Za-z_]\w*(?:, [A-Za-z_]\w*)* (?:=|:=|\+=) )?s\.)([A-Z]\w*)\(`)

// inlineAtRE is s.At(N) followed by another statement on one line (a
// one-line closure's body).
var inlineAtRE = regexp.MustCompile(`\bs\.At\((\d+)\); s\.([A-Z]\w*)\(`)

// statusOnly are the State's methods that run no command: an s.At
// before them is not folded into them.
var statusOnly = setOf("Unwinding", "OK", "Not", "SetStatus", "At", "CheckErrExit")

// chainAt folds each `s.At(N)` line into the statement after it, as the
// receiver of its first call (s.At returns the State): `s.At(61)` then
// `if s.Command(...); s.Unwinding() {` reads `if s.At(61).Command(...);
// s.Unwinding() {`. The line is still recorded before anything of the
// statement runs (Go evaluates calls left to right, the receiver
// first). Comment lines between the two move above them; the At line's
// provenance comment ends the statement's first line.
func chainAt(code string) string {
	code = inlineAtRE.ReplaceAllStringFunc(code, func(m string) string {
		sub := inlineAtRE.FindStringSubmatch(m)
		if statusOnly[sub[2]] {
			return m
		}
		return "s.At(" + sub[1] + ")." + sub[2] + "("
	})
	lines := strings.Split(code, "\n")
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		at := atLineRE.FindStringSubmatch(lines[i])
		if at == nil {
			out = append(out, lines[i])
			continue
		}
		j := i + 1
		for j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "//") {
			j++
		}
		if j == len(lines) {
			out = append(out, lines[i])
			continue
		}
		next := lines[j]
		m := chainableRE.FindStringSubmatchIndex(next)
		comment := at[3]
		if m == nil || statusOnly[next[m[4]:m[5]]] || comment != "" && strings.Contains(next, "//") {
			out = append(out, lines[i])
			continue
		}
		out = append(out, lines[i+1:j]...)
		out = append(out, next[:m[3]]+"At("+at[2]+")."+next[m[3]:]+comment)
		i = j
	}
	return strings.Join(out, "\n")
}

// gitRunOnly reports a command substitution's code that is one typed
// git call alone (s.GitRun(...), nothing after it: no redirection, no
// set -e check), and returns the call's arguments: the substitution is
// then s.GitText of them.
func gitRunOnly(g *gen, code string) (string, bool) {
	if !g.idiom {
		return "", false
	}
	line, ok := strings.CutSuffix(g.trimTail(code), "\n")
	if !ok || strings.Contains(line, "\n") {
		return "", false
	}
	if stmt, comment, ok := simpleLine(line); !ok || comment != "" || stmt != line {
		return "", false
	}
	args, ok := strings.CutPrefix(line, "s.GitRun(")
	if !ok {
		return "", false
	}
	return strings.TrimSuffix(args, ")"), strings.HasSuffix(args, ")")
}
