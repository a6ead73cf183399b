package shellrun

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiln-dev/kiln/shellrun/dash"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Bash semantics. A script whose shebang says bash runs with bash's
// builtins where they differ from dash's: echo does not interpret
// backslashes unless given -e, printf has %q and -v, `set -o pipefail`
// makes a pipeline fail with its last failing stage, BASH_VERSION and
// BASH_VERSINFO describe the installed bash (the shell the script would
// get), and arrays live on in the state between the statements the
// embedded interpreter runs.

// Internal command names of the bash dialect.
const (
	bashEchoCmd   = "kiln:bash-echo"
	bashPrintfCmd = "kiln:bash-printf"
	bashTestCmd   = "kiln:bash-test" // argv[1] is the name it was called by
)

// BashEcho writes its arguments as bash's echo does: leading -n, -e and
// -E options (and combinations such as -ne), backslash escapes only
// with -e, \c ending all output.
func BashEcho(w io.Writer, args []string) {
	newline, escapes := true, false
	for len(args) > 0 {
		a := args[0]
		if len(a) < 2 || a[0] != '-' || strings.Trim(a[1:], "neE") != "" {
			break
		}
		for _, c := range a[1:] {
			switch c {
			case 'n':
				newline = false
			case 'e':
				escapes = true
			case 'E':
				escapes = false
			}
		}
		args = args[1:]
	}
	text := strings.Join(args, " ")
	if escapes {
		out, stop := dash.EchoEscapes(text)
		if stop {
			w.Write(out)
			return
		}
		text = string(out)
	}
	if newline {
		text += "\n"
	}
	io.WriteString(w, text)
}

// BashQuote quotes s as bash's printf %q does: ” for the empty
// string, $'...' when it holds control characters, else a backslash
// before each character the shell would treat specially.
func BashQuote(s string) string {
	if s == "" {
		return "''"
	}
	for _, c := range []byte(s) {
		if c < 0x20 || c == 0x7f {
			return ansiQuote(s)
		}
	}
	var b strings.Builder
	for i, c := range s {
		special := strings.ContainsRune(" \t\n'\"\\|&;()<>!{}*[?]^$`,", c)
		if (c == '~' || c == '#') && i == 0 {
			special = true
		}
		if special {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ansiQuote writes s as a $'...' string.
func ansiQuote(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for _, c := range []byte(s) {
		switch c {
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case 0x1b:
			b.WriteString(`\E`)
		case '\'', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteString("'")
	return b.String()
}

// bashPrintf runs bash's printf (without -v) on args.
func bashPrintf(args []string, stdio dash.IO, prefix string) int {
	return dash.PrintfQuoting(args, stdio, prefix, BashQuote, bashStrftime)
}

var (
	bashVersionOnce sync.Once
	bashVersion     string
	bashVersinfo    []string
)

// InstalledBash returns BASH_VERSION and BASH_VERSINFO of the installed
// bash, what a bash script run by it would see; empty when there is no
// bash.
func InstalledBash() (version string, versinfo []string) {
	bashVersionOnce.Do(func() {
		out, err := exec.Command("bash", "-c", `printf '%s\n' "$BASH_VERSION" "${BASH_VERSINFO[@]}"`).Output()
		if err != nil {
			return
		}
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(lines) < 2 {
			return
		}
		bashVersion, bashVersinfo = lines[0], lines[1:]
	})
	return bashVersion, append([]string(nil), bashVersinfo...)
}

// bashVars are the variables bash sets for itself: BASH_VERSION and
// the BASH_VERSINFO array, read-only.
func bashVars() map[string]expand.Variable {
	version, info := InstalledBash()
	if version == "" {
		return nil
	}
	return map[string]expand.Variable{
		"BASH_VERSION":  {Set: true, Kind: expand.String, Str: version},
		"BASH_VERSINFO": {Set: true, ReadOnly: true, Kind: expand.Indexed, List: info},
	}
}

// bashCalls adapts a call for a bash script: echo and printf are bash's
// (served in Go), trap keeps what can fire in-process.
func bashCalls(_ context.Context, args []string) ([]string, error) {
	switch args[0] {
	case "echo":
		return append([]string{bashEchoCmd}, args[1:]...), nil
	case "printf":
		return append([]string{bashPrintfCmd}, args[1:]...), nil
	case "test", "[":
		// The interpreter's test misreads some POSIX forms ([ -x != y ]);
		// shellrun's own serves what bash's and dash's test share.
		for _, a := range args[1:] {
			switch a {
			case "-v", "<", ">", "-R", "-N", "-o", "-a", "(", ")":
				return args, nil
			}
		}
		return append([]string{bashTestCmd}, args...), nil
	case "read":
		return dropReadline(args), nil
	case "shopt":
		return dropInteractiveShopts(args), nil
	case "trap":
		return dashTrap(args), nil
	}
	return args, nil
}

// overlayEnviron adds variables (bash's own) to an environment.
type overlayEnviron struct {
	base  expand.Environ
	extra map[string]expand.Variable
}

func (e overlayEnviron) Get(name string) expand.Variable {
	if v, ok := e.extra[name]; ok {
		return v
	}
	return e.base.Get(name)
}

func (e overlayEnviron) Each(f func(name string, vr expand.Variable) bool) {
	for name, v := range e.extra {
		if !f(name, v) {
			return
		}
	}
	e.base.Each(func(name string, vr expand.Variable) bool {
		if _, ok := e.extra[name]; ok {
			return true
		}
		return f(name, vr)
	})
}

// rewritePrintfV turns each `printf -v NAME ARGS...` into an assignment
// of what `printf ARGS...` prints, for the interpreter, whose printf has
// no -v: NAME="$(printf ARGS...; echo .)" && NAME="${NAME%.}" keeps
// trailing newlines and printf's status.
func rewritePrintfV(f *syntax.File) error {
	return walkStmts(f, func(st *syntax.Stmt) (bool, error) {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) < 3 || len(call.Assigns) > 0 {
			return true, nil
		}
		if name, _ := literal(call.Args[0]); name != "printf" {
			return true, nil
		}
		if opt, _ := literal(call.Args[1]); opt != "-v" {
			return true, nil
		}
		target, ok := literal(call.Args[2])
		if !ok || !validName(target) {
			return false, fmt.Errorf("%s: printf -v with a variable name known only at run time is not supported", call.Pos())
		}
		var rest strings.Builder
		printer := syntax.NewPrinter()
		for _, w := range call.Args[3:] {
			rest.WriteByte(' ')
			printer.Print(&rest, w)
		}
		text := fmt.Sprintf(`{ %[1]s="$(%[2]s%[3]s && echo .)" && %[1]s="${%[1]s%%.}"; }`, target, bashPrintfCmd, rest.String())
		repl, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
		if perr != nil {
			return false, perr
		}
		st.Cmd = repl.Stmts[0].Cmd
		return false, nil
	})
}

// literal returns the text of a word made only of literal parts.
func literal(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// Shopt is bash's shopt builtin. The options it sets stay with the
// state: every later statement the interpreter runs sees them.
func (s *State) Shopt(args ...string) {
	args = dropInteractiveShopts(append([]string{"shopt"}, args...))[1:]
	if len(args) == 0 {
		s.Status = 0
		return
	}
	s.Shell("shopt " + quoteWords(args))
	if s.Status == 0 && len(args) > 0 && (args[0] == "-s" || args[0] == "-u") {
		s.shopts = append(s.shopts, quoteWords(args))
	}
}

// shoptFile is the shopt calls run so far, as a script.
func (s *State) shoptFile() *syntax.File {
	var b strings.Builder
	for _, a := range s.shopts {
		b.WriteString("shopt " + a + "\n")
	}
	f, _ := parseText(b.String(), s.bash)
	if f == nil {
		f = &syntax.File{}
	}
	return f
}

// UnsupportedError is a bash construct kiln cannot run with bash's
// meaning; Pos is where the script uses it.
type UnsupportedError struct {
	File      string
	Pos       syntax.Pos
	Construct string
}

// Error is "file:line:col: CONSTRUCT is not supported by kiln's bash".
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s is not supported by kiln's bash", e.File, e.Pos.Line(), e.Pos.Col(), e.Construct)
}

// CheckBash finds the first construct of a bash script that kiln would
// not run as bash does: attributes the interpreter lacks (declare -i,
// -l, -u, ...), coprocesses, select, [[ -v a[k] ]], an associative
// array's index that parses as arithmetic. A script that has one is
// refused rather than run differently.
func CheckBash(file *syntax.File) error {
	assoc := map[string]bool{}
	syntax.Walk(file, func(node syntax.Node) bool {
		if dc, ok := node.(*syntax.DeclClause); ok {
			isAssoc := false
			for _, a := range dc.Args {
				if flag, ok := literal(wordOrEmpty(a.Value)); ok && a.Naked && strings.HasPrefix(flag, "-") && strings.Contains(flag, "A") {
					isAssoc = true
				} else if isAssoc && a.Name != nil {
					assoc[a.Name.Value] = true
				}
			}
		}
		return true
	})
	var err error
	nocase := mentionsNocasematch(file)
	syntax.Walk(file, func(node syntax.Node) bool {
		if err != nil {
			return false
		}
		switch n := node.(type) {
		case *syntax.BinaryTest:
			if nocase && n.Op == syntax.TsReMatch {
				err = &UnsupportedError{File: file.Name, Pos: n.OpPos, Construct: "=~ in a script that sets shopt nocasematch"}
			}
		case *syntax.ParamExp:
			if nocase && n.Repl != nil {
				err = &UnsupportedError{File: file.Name, Pos: n.Pos(), Construct: "${x/pattern/string} in a script that sets shopt nocasematch"}
				return false
			}
			if n.Exp != nil && n.Exp.Op == syntax.OtherParamOps {
				if op, _ := literal(wordOrEmpty(n.Exp.Word)); !strings.Contains("QEaAP", op) || len(op) != 1 {
					err = &UnsupportedError{File: file.Name, Pos: n.Pos(), Construct: "${" + n.Param.Value + "@" + op + "}"}
				}
			}
			if _, word := n.Index.(*syntax.Word); n.Index != nil && !word && assoc[n.Param.Value] {
				err = &UnsupportedError{File: file.Name, Pos: n.Pos(), Construct: "an index of associative array " + n.Param.Value + " that reads as arithmetic (quote it or use a variable)"}
			}
		case *syntax.UnaryTest:
			if n.Op == syntax.TsVarSet {
				if w, ok := n.X.(*syntax.Word); ok {
					if text, _ := literal(w); strings.Contains(text, "[") {
						err = &UnsupportedError{File: file.Name, Pos: n.Pos(), Construct: "-v on an array element"}
					}
				}
			}
		case *syntax.DeclClause:
			for _, a := range n.Args {
				if !a.Naked || a.Value == nil {
					continue
				}
				flag, ok := literal(a.Value)
				if !ok || !strings.HasPrefix(flag, "-") && !strings.HasPrefix(flag, "+") {
					continue
				}
				if bad := strings.Trim(flag[1:], "aAgrxfpn"); bad != "" {
					err = &UnsupportedError{File: file.Name, Pos: a.Pos(), Construct: n.Variant.Value + " " + flag}
					return false
				}
			}
		case *syntax.CallExpr:
			if len(n.Args) >= 3 {
				name, _ := literal(n.Args[0])
				opt, _ := literal(n.Args[1])
				if name == "shopt" && opt == "-s" {
					for _, w := range n.Args[2:] {
						if o, _ := literal(w); !shoptSupported[o] && !shoptInteractive[o] && o != "nocasematch" {
							err = &UnsupportedError{File: file.Name, Pos: w.Pos(), Construct: "shopt -s " + o}
						}
					}
				}
			}
			if len(n.Args) >= 2 {
				name, _ := literal(n.Args[0])
				opt, _ := literal(n.Args[1])
				if name == "wait" && strings.HasPrefix(opt, "-") && opt != "--" && (opt != "-n" || len(n.Args) > 2) {
					err = &UnsupportedError{File: file.Name, Pos: n.Pos(), Construct: "wait " + opt}
				}
			}
		case *syntax.CoprocClause:
			err = &UnsupportedError{File: file.Name, Pos: n.Pos(), Construct: "coproc"}
		case *syntax.ForClause:
			if n.Select {
				err = &UnsupportedError{File: file.Name, Pos: n.Pos(), Construct: "select"}
			}
		}
		return err == nil
	})
	return err
}

// shoptSupported are the shopt options the interpreter implements.
var shoptSupported = map[string]bool{"dotglob": true, "expand_aliases": true, "extglob": true,
	"globstar": true, "nocaseglob": true, "nullglob": true}

// shoptInteractive are shopt options that change nothing in a script
// (they concern interactive shells): shopt drops them.
var shoptInteractive = map[string]bool{"checkwinsize": true, "cmdhist": true, "histappend": true,
	"histreedit": true, "histverify": true, "hostcomplete": true, "lithist": true, "progcomp": true,
	"progcomp_alias": true, "promptvars": true, "interactive_comments": true, "checkjobs": true,
	"huponexit": true, "no_empty_cmd_completion": true, "complete_fullquote": true, "direxpand": true,
	"dirspell": true, "force_fignore": true, "mailwarn": true}

// dropInteractiveShopts removes from a shopt call the options that
// matter only to an interactive shell; a call left with none is `:`.
func dropInteractiveShopts(args []string) []string {
	out := []string{}
	names := 0
	for _, a := range args[1:] {
		if shoptInteractive[a] {
			continue
		}
		if !strings.HasPrefix(a, "-") {
			names++
		}
		out = append(out, a)
	}
	if names == 0 && len(out) < len(args)-1 {
		return []string{":"}
	}
	return append([]string{args[0]}, out...)
}

func wordOrEmpty(w *syntax.Word) *syntax.Word {
	if w == nil {
		return &syntax.Word{}
	}
	return w
}

// waitFile waits for the process substitutions a statement started.
var waitFile, _ = syntax.NewParser().Parse(strings.NewReader("wait"), "")

// hasProcSubst reports a process substitution in a file.
func hasProcSubst(f *syntax.File) bool {
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if _, ok := n.(*syntax.ProcSubst); ok {
			found = true
		}
		return !found
	})
	return found
}

// FuncSource gives the shell text of a function translated to Go
// (`name() { ... }`): statements run by the interpreter call it as
// interpreted shell, so that what it assigns is seen by them, as in
// bash. Translated code calls it after Define.
func (s *State) FuncSource(name, text string) {
	// A function may run after the script set shopt nocasematch: its
	// text follows the option at run time.
	f, err := parseTextFor(text, s.bash, s.bash)
	if err != nil || len(f.Stmts) != 1 {
		return
	}
	fd, ok := f.Stmts[0].Cmd.(*syntax.FuncDecl)
	if !ok {
		return
	}
	if s.shell == nil {
		s.shell = &fallbackShell{funcs: map[string]*syntax.Stmt{}}
	}
	texts := make(map[string]*syntax.Stmt, len(s.shell.texts)+1)
	for n, b := range s.shell.texts {
		texts[n] = b
	}
	texts[name] = fd.Body
	s.shell.texts = texts
}

// started is when the shell started, for printf's %(...)T with -2.
var started = time.Now()

// bashStrftime formats printf's %(FORMAT)T argument: seconds since the
// epoch, or -1 (or nothing) for now, -2 for when the shell started.
func bashStrftime(format, arg string) (string, bool) {
	t := time.Now()
	ok := true
	switch arg = strings.TrimSpace(arg); arg {
	case "", "-1":
	case "-2":
		t = started
	default:
		n, err := strconv.ParseInt(arg, 0, 64)
		if err != nil {
			ok = false
		}
		t = time.Unix(n, 0)
	}
	if format == "" {
		format = "%X"
	}
	return Strftime(format, t), ok
}

// Strftime formats t as C's strftime does in the C locale, for the
// conversions scripts use.
func Strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'Y':
			fmt.Fprintf(&b, "%d", t.Year())
		case 'C':
			fmt.Fprintf(&b, "%02d", t.Year()/100)
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'k':
			fmt.Fprintf(&b, "%2d", t.Hour())
		case 'I':
			fmt.Fprintf(&b, "%02d", (t.Hour()+11)%12+1)
		case 'l':
			fmt.Fprintf(&b, "%2d", (t.Hour()+11)%12+1)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'p':
			b.WriteString(map[bool]string{true: "PM", false: "AM"}[t.Hour() >= 12])
		case 'a':
			b.WriteString(t.Weekday().String()[:3])
		case 'A':
			b.WriteString(t.Weekday().String())
		case 'b', 'h':
			b.WriteString(t.Month().String()[:3])
		case 'B':
			b.WriteString(t.Month().String())
		case 'u':
			fmt.Fprintf(&b, "%d", (int(t.Weekday())+6)%7+1)
		case 'w':
			fmt.Fprintf(&b, "%d", int(t.Weekday()))
		case 's':
			fmt.Fprintf(&b, "%d", t.Unix())
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 'Z':
			b.WriteString(t.Format("MST"))
		case 'F':
			b.WriteString(Strftime("%Y-%m-%d", t))
		case 'T', 'X':
			b.WriteString(Strftime("%H:%M:%S", t))
		case 'R':
			b.WriteString(Strftime("%H:%M", t))
		case 'D', 'x':
			b.WriteString(Strftime("%m/%d/%y", t))
		case 'c':
			b.WriteString(Strftime("%a %b %e %H:%M:%S %Y", t))
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}

// bashTest runs test or [ (name) as bash does for the forms it shares
// with dash, == included.
func bashTest(name string, args []string, stdio dash.IO, prefix string) int {
	operands := args
	if name == "[" && len(operands) > 0 && operands[len(operands)-1] == "]" {
		operands = operands[:len(operands)-1]
	}
	if len(operands) == 3 && operands[1] == "==" {
		args = append([]string{operands[0], "=", operands[2]}, args[3:]...)
	}
	return dash.Test(args, name, stdio, prefix)
}

// dropReadline removes read's -e, -i TEXT and -p ”: they only matter
// when input is a terminal, where bash reads with readline; a script's
// read is the same without them (the interpreter has no -e).
func dropReadline(args []string) []string {
	out := []string{args[0]}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || len(a) < 2 {
			return append(out, args[i:]...)
		}
		switch {
		case a == "-e":
			continue
		case i+1 < len(args) && (a == "-i" || a == "-p" && args[i+1] == ""):
			i++ // -i's text and an empty prompt show only on a terminal
			continue
		case strings.ContainsAny(a[len(a)-1:], "adnNptu") && i+1 < len(args):
			out = append(out, a, args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// Getopts is the getopts builtin: `getopts OPTSTRING NAME [ARGS...]`
// parses the next option of ARGS (default the positional parameters),
// keeping its place in OPTIND as the shell does (and, within a cluster
// such as -ab, a position of its own, reset when the script sets
// OPTIND).
func (s *State) Getopts(args ...string) {
	if len(args) < 2 {
		s.errorf("getopts: usage: getopts optstring name [arg ...]")
		s.Status = 2
		return
	}
	optstring, name := args[0], args[1]
	params := s.args
	if len(args) > 2 {
		params = args[2:]
	}
	silent := strings.HasPrefix(optstring, ":")
	if silent {
		optstring = optstring[1:]
	}
	optind, err := strconv.Atoi(s.Value("OPTIND"))
	if err != nil || optind < 1 {
		optind = 1
	}
	if optind != s.optind {
		s.optpos = 0 // the script moved OPTIND
	}
	finish := func(status int) {
		s.Set("OPTIND", strconv.Itoa(optind))
		s.optind = optind
		s.Status = status
	}
	end := func() {
		s.Set(name, "?")
		s.optpos = 0
		finish(1)
	}
	if optind-1 >= len(params) {
		end()
		return
	}
	arg := params[optind-1]
	if s.optpos == 0 {
		if arg == "--" {
			optind++
			end()
			return
		}
		if len(arg) < 2 || arg[0] != '-' {
			end()
			return
		}
		s.optpos = 1
	}
	c := arg[s.optpos]
	s.optpos++
	last := s.optpos >= len(arg)
	next := func() {
		optind++
		s.optpos = 0
	}
	i := strings.IndexByte(optstring, c)
	switch {
	case i < 0 || c == ':':
		if silent {
			s.Set("OPTARG", string(c))
		} else {
			s.getoptsError("illegal option", "Illegal option -%c", c)
			delete(s.vars, "OPTARG")
		}
		s.Set(name, "?")
		if last {
			next()
		}
	case i+1 < len(optstring) && optstring[i+1] == ':':
		switch {
		case !last:
			s.Set("OPTARG", arg[s.optpos:])
			next()
		case optind < len(params):
			s.Set("OPTARG", params[optind])
			next()
			optind++
		default:
			next()
			if silent {
				s.Set(name, ":")
				s.Set("OPTARG", string(c))
			} else {
				s.getoptsError("option requires an argument", "No arg for -%c option", c)
				s.Set(name, "?")
				delete(s.vars, "OPTARG")
			}
			finish(0)
			return
		}
		s.Set(name, string(c))
	default:
		delete(s.vars, "OPTARG")
		s.Set(name, string(c))
		if last {
			next()
		}
	}
	finish(0)
}

// getoptsError prints getopts's complaint as bash or dash does.
func (s *State) getoptsError(bashMsg, dashFormat string, c byte) {
	if s.bash {
		fmt.Fprintf(s.Stderr(), "%s: %s -- %c\n", s.Name, bashMsg, c)
		return
	}
	// dash says it without the "$0: LINE: " of its other messages.
	fmt.Fprintf(s.Stderr(), dashFormat+"\n", c)
}
