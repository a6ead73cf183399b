package shellrun

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// expandErrorRE is the interpreter's message for an expansion's error
// that ends the shell: set -u's "x: unbound variable", ${x?message}'s
// "x: message" (empty when the script gives none).
var expandErrorRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[!#?$*@-])(\[[^]\n]*\])?: (.*)\n$`)

// scriptMessages is the standard error of a script run by Run: the
// interpreter's message for an expansion's error becomes the shell's,
// with $0 and the line (bash's "$0: line N: x: unbound variable", dash's
// "$0: N: x: parameter not set"), and the default message of ${x?}.
//
// The interpreter gives neither the line nor the parameter with its
// message, only text: the line is that of the parameter's expansion in
// the script when it is expanded on one line only; else the first such
// line after the last command the script ran, or else the last before it.
type scriptMessages struct {
	w      io.Writer
	script string
	bash   bool
	lines  map[string][]int   // each parameter's expansions' lines, sorted
	colon  map[paramLine]bool // ${x:?} (true) or ${x?} on a line
	last   atomic.Int64       // the line of the last command run
	seen   atomic.Bool        // a message was rewritten
}

// paramLine is a parameter expanded on a line.
type paramLine struct {
	name string
	line int
}

// wrapScriptMessages returns the script's standard error for Run, and
// the messages if it may need rewriting: when the script turns on set -u
// or expands ${x?}. Else the writer stays what it is (a terminal or a
// file, as test -t 2 and the programs the script runs see it).
func wrapScriptMessages(w io.Writer, file *syntax.File, bash bool) (io.Writer, *scriptMessages) {
	m := &scriptMessages{w: w, script: file.Name, bash: bash, lines: map[string][]int{}, colon: map[paramLine]bool{}}
	need := false
	syntax.Walk(file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ParamExp:
			if n.Param == nil {
				break
			}
			name := n.Param.Value
			line := int(n.Pos().Line())
			if l := m.lines[name]; len(l) == 0 || l[len(l)-1] != line {
				m.lines[name] = append(l, line)
			}
			if n.Exp != nil && (n.Exp.Op == syntax.ErrorUnset || n.Exp.Op == syntax.ErrorUnsetOrNull) {
				m.colon[paramLine{name, line}] = n.Exp.Op == syntax.ErrorUnsetOrNull
				need = true
			}
		case *syntax.CallExpr:
			if len(n.Args) > 1 && n.Args[0].Lit() == "set" {
				for _, a := range n.Args[1:] {
					lit := a.Lit()
					if lit == "" || lit == "nounset" || (lit[0] == '-' || lit[0] == '+') && strings.ContainsRune(lit, 'u') {
						need = true
					}
				}
			}
		}
		return true
	})
	if !need {
		return w, nil
	}
	for name, l := range m.lines {
		slices.Sort(l)
		m.lines[name] = slices.Compact(l)
	}
	return m, m
}

// calls records the line of each command the script runs.
func (m *scriptMessages) calls(next interp.CallHandlerFunc) interp.CallHandlerFunc {
	return func(ctx context.Context, args []string) ([]string, error) {
		m.last.Store(int64(interp.HandlerCtx(ctx).Pos.Line()))
		return next(ctx, args)
	}
}

// line is the line to name for an expansion's error on the parameter.
func (m *scriptMessages) line(name string) int {
	lines := m.lines[name]
	if len(lines) == 0 {
		return int(m.last.Load())
	}
	last := int(m.last.Load())
	i, _ := slices.BinarySearch(lines, last+1)
	if i < len(lines) {
		return lines[i]
	}
	return lines[len(lines)-1]
}

func (m *scriptMessages) Write(p []byte) (int, error) {
	sub := expandErrorRE.FindSubmatch(p)
	if sub == nil || !expanderMessage() {
		return m.w.Write(p)
	}
	m.seen.Store(true)
	name, index, message := string(sub[1]), string(sub[2]), string(sub[3])
	line := m.line(name)
	colon := m.colon[paramLine{name, line}]
	switch {
	case message != "":
	case !colon:
		message = "parameter not set"
	case m.bash:
		message = "parameter null or not set"
	default:
		message = "parameter not set or null"
	}
	var msg string
	if m.bash {
		if message == "unbound variable" && index == "" && !validName(name) {
			name = "$" + name
		}
		msg = fmt.Sprintf("%s: line %d: %s%s: %s\n", m.script, line, name, index, message)
	} else {
		if message == "unbound variable" {
			message = "parameter not set"
		}
		msg = fmt.Sprintf("%s: %d: %s%s: %s\n", m.script, line, name, index, message)
	}
	if _, err := io.WriteString(m.w, msg); err != nil {
		return 0, err
	}
	return len(p), nil
}
