package shellrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kiln-dev/kiln/shellrun/dash"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// fallbackShell keeps what the embedded interpreter defined for a State:
// functions defined by text it ran (eval, sourced files kiln has no
// translation of).
type fallbackShell struct {
	funcs map[string]*syntax.Stmt
	// texts are the bodies of functions translated to Go, given to the
	// interpreter (bash scripts) so that a call from interpreted text
	// runs with the interpreter's variables; takeBack skips them.
	texts map[string]*syntax.Stmt
}

// parsed caches parsed shell text: a translated builtin runs the same
// fallback text many times (in a loop, say).
var parsed sync.Map // string -> *syntax.File

// Shell runs shell text through the embedded interpreter of kiln run,
// with the state's variables, parameters, functions and directory, and
// takes back what the text changed. Translated code uses it for what kiln
// could not translate (eval of dynamic text, user-supplied snippets); each
// such spot is marked for review in the translation.
func (s *State) Shell(src string) {
	_, nocase := s.Lookup(nocasematchVar)
	file, err := parseTextFor(src, s.bash, s.bash && nocase)
	if err != nil {
		s.errorf("Syntax error: %v", err)
		s.Status = 2
		if s.condDepth == 0 {
			s.exiting = true
		}
		return
	}
	if s.shell == nil {
		s.shell = &fallbackShell{funcs: map[string]*syntax.Stmt{}}
	}
	calls := dashCalls
	if s.bash {
		calls = bashCalls
	}
	stdin, done := s.interpStdin()
	defer done()
	stderr := &unsetMessages{w: s.writer(2), s: s}
	var errw io.Writer = s.writer(2)
	if s.nounset || strings.Contains(src, "set") {
		// Only then: the descriptor stays the file it is otherwise
		// (test -t 2).
		errw = stderr
	}
	opts := []interp.RunnerOption{
		interp.Params(append([]string{"--"}, s.args...)...),
		interp.StdIO(stdin, s.writer(1), errw),
		interp.Env(stateEnviron{s}),
		interp.Dir(s.dir),
		interp.CallHandler(stopOnBrokenPipe(calls)),
		interp.ExecHandlers(s.fallbackHandlers),
	}
	if s.session != nil {
		opts = append(opts, s.sessionHandlers()...)
	}
	r, err := interp.New(opts...)
	if err != nil {
		s.errorf("%v", err)
		s.Status = 2
		return
	}
	// Reset now, so that Run does not: it would drop the functions.
	r.Reset()
	if r.Funcs == nil {
		r.Funcs = map[string]*syntax.Stmt{}
	}
	// Reset set IFS and OPTIND to their defaults: give the interpreter
	// the state's (git-mergetool--lib:5 sets IFS to a newline for the
	// script; a getopts loop keeps its place in OPTIND).
	restore := "unset IFS\n"
	if ifs, ok := s.Lookup("IFS"); ok {
		restore = "IFS=" + singleQuote(ifs) + "\n"
	}
	if optind, ok := s.Lookup("OPTIND"); ok {
		restore += "OPTIND=" + singleQuote(optind) + "\n"
	}
	if f, err := parseText(restore, false); err == nil {
		r.Run(s.ctx, f)
	}
	if s.Status != 0 {
		// The interpreter's $? starts at 0: give it the state's.
		if f, err := parseText(fmt.Sprintf("(exit %d)", s.Status), false); err == nil {
			r.Run(s.ctx, f)
		}
	}
	for name, body := range s.shell.texts {
		if _, translated := s.funcs[name]; translated {
			r.Funcs[name] = body
		}
	}
	for name, body := range s.shell.funcs {
		r.Funcs[name] = body
	}
	if s.errexit && s.condDepth == 0 {
		// In a condition (if, while, && ||) set -e is off, for the
		// interpreted text too.
		interp.Params("-e")(r)
	}
	if s.pipefail {
		interp.Params("-o", "pipefail")(r)
	}
	if s.nounset {
		interp.Params("-u")(r)
	}
	if s.allexport {
		interp.Params("-a")(r)
	}
	if len(s.shopts) > 0 {
		// The options earlier shopt calls set, for this interpreter.
		r.Run(s.ctx, s.shoptFile())
	}
	err = runGuarded(s.ctx, r, file)
	if s.bash && hasProcSubst(file) {
		// A process substitution's commands end with the statement:
		// the Go code after it cannot wait for them.
		r.Run(s.ctx, waitFile)
	}
	if strings.Contains(src, "set") && !r.Exited() {
		s.takeOptions(r)
	}
	s.takeBack(r)
	if s.bash && startsJobsIn(file) {
		// The text's background jobs run on: the state waits for
		// them where it waits for its own (at the end of a pipeline
		// stage, or of the script).
		s.bg.Add(1)
		s.jobs.startOther()
		go func() {
			defer s.bg.Done()
			defer s.jobs.endOther()
			r.Run(s.ctx, waitFile)
		}()
	}
	var status interp.ExitStatus
	switch {
	case errors.As(err, &status):
		s.Status = int(status)
	case err != nil:
		s.errorf("%v", err)
		s.Status = 2
	default:
		s.Status = 0
	}
	if r.Exited() {
		s.exiting = true
		if stderr.seen.Load() && s.Status == 1 && !s.bash {
			// set -u's error: dash exits with 2 (the interpreter,
			// as bash, with 1).
			s.Status = 2
		}
	}
}

// unboundRE is the interpreter's message for an unset parameter under
// set -u.
var unboundRE = regexp.MustCompile(`^(\$?[A-Za-z_][A-Za-z0-9_]*(\[[^]\n]*\])?|\$[0-9]+|\$[!#?$*@-]|[0-9]+|[!#?$*@-]): unbound variable\n$`)

// unsetMessages is the interpreter's standard error as the state gives
// it: its message for an unset parameter under set -u ("x: unbound
// variable", written at once) becomes the shell's, with $0 and the line
// (bash's "$0: line N: x: unbound variable", dash's "$0: N: x: parameter
// not set"). The line is that of the statement the state runs. Only the
// interpreter's own message is rewritten: a script writing that very
// text to standard error keeps it (see expanderMessage).
type unsetMessages struct {
	w    io.Writer
	s    *State
	seen atomic.Bool // a message was rewritten
}

func (u *unsetMessages) Write(p []byte) (int, error) {
	m := unboundRE.FindSubmatch(p)
	if m == nil || !expanderMessage() {
		return u.w.Write(p)
	}
	u.seen.Store(true)
	name := strings.TrimPrefix(string(m[1]), "$")
	msg := fmt.Sprintf("%s: %d: %s: parameter not set\n", u.s.Name, u.s.line, name)
	if u.s.bash {
		if _, err := strconv.Atoi(name); err == nil || len(name) == 1 && !validName(name) {
			name = "$" + name
		}
		msg = fmt.Sprintf("%s: line %d: %s: unbound variable\n", u.s.Name, u.s.line, name)
	}
	if _, err := io.WriteString(u.w, msg); err != nil {
		return 0, err
	}
	return len(p), nil
}

// expandErrFunc is the interpreter's function printing an expansion's
// error (set -u's "x: unbound variable") to the runner's standard error.
const expandErrFunc = "mvdan.cc/sh/v3/interp.(*Runner).expandErr"

// expanderMessage reports whether the write under way is the
// interpreter's message for an expansion's error: its function that
// prints it is on the call stack. The interpreter gives that message
// only as text on standard error (no error value reaches the caller),
// and the same writer serves the script's own `echo ... >&2`; the caller
// is what tells them apart.
func expanderMessage() bool {
	pcs := make([]uintptr, 16)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if f.Function == expandErrFunc {
			return true
		}
		if !more {
			return false
		}
	}
}

func parseText(src string, bash bool) (*syntax.File, error) {
	return parseTextFor(src, bash, false)
}

// parseTextFor parses text for a dialect; nocase rewrites it to follow
// shopt nocasematch (set by the script earlier) as bash does.
func parseTextFor(src string, bash, nocase bool) (*syntax.File, error) {
	key := parsedKey{src, bash, nocase}
	if f, ok := parsed.Load(key); ok {
		return f.(*syntax.File), nil
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return nil, err
	}
	if err := rewriteDescriptors(f); err != nil {
		return nil, err
	}
	if bash {
		if err := rewriteBash(f, nocase); err != nil {
			return nil, err
		}
	}
	parsed.Store(key, f)
	return f, nil
}

// parsedKey is a text parsed for a dialect.
type parsedKey struct {
	src          string
	bash, nocase bool
}

// optionsCmd reads the interpreter's options ($-) into a variable.
var optionsCmd = mustParse(`_kiln_flags=$-`)

// mustParse parses text kiln writes itself.
func mustParse(src string) *syntax.Stmt {
	f, err := syntax.NewParser().Parse(strings.NewReader(src), "")
	if err != nil {
		panic(err)
	}
	return f.Stmts[0]
}

// takeOptions takes back the options of set -u and set -a that the
// interpreted text turned on or off (eval 'set -u'): the Go code after
// it follows them. It reads them in a copy of the runner, which leaves
// the runner's $? and variables as they are.
func (s *State) takeOptions(r *interp.Runner) {
	sub := r.Subshell()
	if err := sub.Run(s.ctx, optionsCmd); err != nil {
		return
	}
	flags := sub.Vars["_kiln_flags"].String()
	for _, c := range []byte{'u', 'a'} {
		if on := strings.IndexByte(flags, c) >= 0; on != s.flags[c] {
			s.setFlag(c, "", on)
		}
	}
}

// takeBack copies into the state what the interpreter changed: variables,
// parameters, directory and the functions it defined.
func (s *State) takeBack(r *interp.Runner) {
	vars := map[string]*variable{}
	for name, vr := range r.Vars {
		if isArray(vr) {
			vr.Set = true // mapfile leaves Set false on the arrays it makes
		}
		if !vr.IsSet() && !vr.Exported {
			continue
		}
		if !validName(name) {
			continue
		}
		vars[name] = fromExpand(vr)
		if p := s.boundPtr(name); p != nil && vr.IsSet() {
			// The text assigned a variable the script keeps in Go.
			s.setBound(name, p, vars[name].scalar())
		}
	}
	s.guardBoundAll(r, s.vars)
	s.vars = vars
	s.args = append([]string(nil), r.Params...)
	s.dir = r.Dir
	// A function the text defined (or redefined: its body is not the
	// one it was given) replaces any definition, Go's included, as a
	// later definition does in the shell.
	for name, body := range r.Funcs {
		if given, ok := s.shell.funcs[name]; ok && given == body {
			continue
		}
		if text, ok := s.shell.texts[name]; ok && text == body {
			continue
		}
		s.shell.funcs[name] = body
		s.funcs[name] = interpFunc(name)
	}
}

// isArray reports an indexed or associative array.
func isArray(vr expand.Variable) bool {
	return vr.Kind == expand.Indexed || vr.Kind == expand.Associative
}

// interpFunc calls a function the interpreter defined.
func interpFunc(name string) Func {
	return func(s *State) {
		s.Shell(name + ` "$@"`)
	}
}

// fallbackHandlers serves, for the interpreter, the state's Go functions,
// git in-process and the internal commands; other programs are spawned
// and counted.
func (s *State) fallbackHandlers(next interp.ExecHandlerFunc) interp.ExecHandlerFunc {
	return func(ctx context.Context, args []string) error {
		hc := interp.HandlerCtx(ctx)
		if fn, ok := s.funcs[args[0]]; ok && s.shell.funcs[args[0]] == nil {
			return exitStatus(s.callFrom(hc, fn, args[1:]))
		}
		switch args[0] {
		case dashEchoCmd:
			return serveOutput(hc.Stdout, func(w io.Writer) error { DashEcho(w, args[1:]); return nil })
		case bashEchoCmd:
			return serveOutput(hc.Stdout, func(w io.Writer) error { BashEcho(w, args[1:]); return nil })
		case dashPrintfCmd:
			return serveOutput(hc.Stdout, func(w io.Writer) error {
				return exitStatus(dash.Printf(args[1:], dash.IO{Dir: hc.Dir, Stdin: hc.Stdin, Stdout: w, Stderr: hc.Stderr}, s.prefix()))
			})
		case getoptsCmd:
			return exitStatus(serveGetopts(hc.Stdout, hc.Stderr, s.Name, s.bash, args[1:]))
		case lowerCmd:
			io.WriteString(hc.Stdout, serveLower(args[1:]))
			return nil
		case jobStartCmd, jobEndCmd, waitAnyCmd, jobReapCmd, promptCmd:
			status, _ := serveJobs(s.jobs, args, hc.Stdout, hc.Stderr, s.Name)
			return exitStatus(status)
		case bashTestCmd:
			return exitStatus(bashTest(args[1], args[2:], dash.IO{Dir: hc.Dir, Stdin: hc.Stdin, Stdout: hc.Stdout, Stderr: hc.Stderr}, s.prefix()))
		case bashPrintfCmd:
			return serveOutput(hc.Stdout, func(w io.Writer) error {
				return exitStatus(bashPrintf(args[1:], dash.IO{Dir: hc.Dir, Stdin: hc.Stdin, Stdout: w, Stderr: hc.Stderr}, s.prefix()))
			})
		case "git":
			sub := s.viewOf(hc)
			sub.Git(args[1:]...)
			return exitStatus(sub.Status)
		}
		s.invalidateSession()
		if status, ok := runTool(ctx, hc, s.stats, args); ok {
			return exitStatus(status)
		}
		if _, err := s.viewOf(hc).lookPath(args[0]); err != nil {
			// dash's message, not the interpreter's.
			if s.bash {
				s.errorf("%s: command not found", args[0])
			} else {
				s.errorf("%s%s: not found", s.evalPrefix, args[0])
			}
			return interp.ExitStatus(127)
		}
		s.stats.Spawned.Add(1)
		return next(ctx, args)
	}
}

// viewOf is a copy of the state seeing the interpreter's current
// variables, directory and streams, for a command the interpreter calls.
func (s *State) viewOf(hc interp.HandlerContext) *State {
	sub := s.fork()
	sub.jobs = s.jobs
	sub.vars = map[string]*variable{}
	hc.Env.Each(func(name string, vr expand.Variable) bool {
		if isArray(vr) {
			vr.Set = true
		}
		if vr.IsSet() && validName(name) {
			sub.vars[name] = fromExpand(vr)
		}
		return true
	})
	sub.dir = hc.Dir
	sub.fds[0] = &stream{r: hc.Stdin}
	sub.fds[1] = &stream{w: hc.Stdout}
	sub.fds[2] = &stream{w: hc.Stderr}
	return sub
}

// callFrom runs a Go function for the interpreter. It runs on a view of
// the state: a function called from interpreted text cannot change the
// interpreter's variables, a known limit of mixing the two.
func (s *State) callFrom(hc interp.HandlerContext, fn Func, args []string) (status int) {
	sub := s.viewOf(hc)
	defer func() {
		// The interpreter may call from a goroutine of its own (a
		// pipeline stage): a broken pipe ends the call here.
		if r := recover(); r != nil {
			if _, ok := r.(brokenPipe); !ok {
				panic(r)
			}
			status = sigpipeStatus
		}
	}()
	sub.guard(func(sub *State) { sub.Call(fn, args...) })
	return sub.Status
}

// stateEnviron shows a State's variables to the interpreter.
type stateEnviron struct{ s *State }

func (e stateEnviron) Get(name string) expand.Variable {
	switch name {
	case "@", "*":
		return expand.Variable{Set: true, Kind: expand.Indexed, List: e.s.Args()}
	case "#", "?", "$", "!", "-", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9":
		v, ok := e.s.Lookup(name)
		return expand.Variable{Set: ok, Kind: expand.String, Str: v}
	}
	v, ok := e.s.vars[name]
	if bound, isBound := e.s.boundValue(name); isBound {
		if e.s.boundUnset(name) {
			if !ok {
				return expand.Variable{}
			}
			return expand.Variable{Exported: v.exported, ReadOnly: v.readonly, Kind: expand.String}
		}
		if !ok {
			return expand.Variable{Set: true, Kind: expand.String, Str: bound}
		}
		return expand.Variable{Set: true, Exported: v.exported, ReadOnly: v.readonly, Kind: expand.String, Str: bound}
	}
	if !ok {
		if v, ok := e.s.callStack(name); ok {
			return v
		}
		if value, ok := e.s.shellVar(name); ok {
			return expand.Variable{Set: true, Kind: expand.String, Str: value}
		}
		return expand.Variable{}
	}
	if v.array != nil {
		a := *v.array
		a.Set, a.Exported, a.ReadOnly = !v.unset, v.exported, v.readonly
		return a
	}
	return expand.Variable{Set: !v.unset, Exported: v.exported, ReadOnly: v.readonly, Kind: expand.String, Str: v.value}
}

func (e stateEnviron) Each(f func(name string, vr expand.Variable) bool) {
	for name := range e.s.vars {
		if !f(name, e.Get(name)) {
			return
		}
	}
}

// Eval is `eval ARGS`: the arguments joined by spaces, run as shell
// text.
func (s *State) Eval(args ...string) {
	saved := s.evalPrefix
	s.evalPrefix = "eval: "
	s.Shell(strings.Join(args, " "))
	s.evalPrefix = saved
}

// libraries are translated shell libraries by file name: `. NAME` runs
// the translation instead of the file.
var libraries = map[string]Func{}

// RegisterLibrary makes the translation of a sourced shell library
// (git-sh-setup, say) what `. NAME` runs.
func RegisterLibrary(name string, source Func) { libraries[name] = source }

// embeddedLibrary reports whether path (absolute) names one of the
// translated libraries as a file beside the script.
//
// A script that finds its library files next to itself (git-flow:49
// sets GITFLOW_DIR to `dirname "$(readlink -e "$0")"`, then tests
// `[ -e "$GITFLOW_DIR/git-flow-$SUBCOMMAND" ]` before it sources it) is
// installed with them in one directory. Its translation is one program
// holding the script and those libraries: where the program stands, the
// library files stand too, so that the script's own way of finding them
// keeps working wherever the program is installed, and without the
// original files. Beside the program means in the directory of $0 as
// given, or of the program file itself, every symbolic link resolved
// (what readlink -e "$0" gives). Only test's file operators see these
// files (a regular file that can be read: -e, -f, -r and -s hold);
// `. PATH` of any path ending in a library's name runs its translation
// (Source). A file that is on disk is always the one test looks at.
func (s *State) embeddedLibrary(path string) bool {
	if _, ok := libraries[filepath.Base(path)]; !ok {
		return false
	}
	dir := filepath.Dir(filepath.Clean(path))
	if strings.Contains(s.Name, "/") {
		if self, err := filepath.Abs(s.Name); err == nil && filepath.Dir(self) == dir {
			return true
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	return filepath.Dir(exe) == dir
}

// Source is `. FILE`: a translated library runs as Go, any other file
// through the interpreter.
func (s *State) Source(args ...string) {
	if len(args) == 0 {
		s.Status = 0
		return
	}
	if lib, ok := libraries[filepath.Base(args[0])]; ok {
		lib(s)
		s.returning = false
		return
	}
	path, err := findDotFile(args[0], s.Value("PATH"), s.dir)
	if err != nil {
		// A special builtin's error ends a non-interactive dash.
		s.errorf(".: %v", err)
		s.Status = 2
		s.exiting = true
		return
	}
	s.Shell(". " + quoteWords(append([]string{path}, args[1:]...)))
}

// dotError is why `. NAME` found no file to read, worded as dash does.
type dotError struct {
	name   string
	reason string // "" when NAME, without a slash, is on no PATH directory
}

func (e *dotError) Error() string {
	if e.reason == "" {
		return e.name + ": not found"
	}
	return "cannot open " + e.name + ": " + e.reason
}

// findDotFile is the file `. NAME` reads, found as dash finds it: NAME
// itself when it has a slash, else the first regular file NAME in a
// directory of path (never the working directory unless path names it).
// Relative names are taken from dir.
func findDotFile(name, path, dir string) (string, error) {
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	if strings.Contains(name, "/") {
		f, err := os.Open(abs(name))
		if err != nil {
			return "", &dotError{name: name, reason: dashReason(err, true)}
		}
		f.Close()
		return abs(name), nil
	}
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			d = "."
		}
		p := abs(filepath.Join(d, name))
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", &dotError{name: name}
}

// Trap sets an exit trap to a translated handler (`trap '...' 0` or
// EXIT); signals cannot fire in-process and are ignored, as kiln run
// does.
func (s *State) Trap(handler Func, conditions ...string) {
	for _, c := range conditions {
		if c == "0" || c == "EXIT" {
			if handler == nil {
				delete(s.traps, "EXIT")
			} else {
				s.traps["EXIT"] = handler
			}
		}
	}
	s.Status = 0
}

// TrapText is `trap TEXT CONDITION...` with a handler known only at run
// time: it runs through the interpreter.
func (s *State) TrapText(args ...string) {
	if len(args) < 2 {
		s.Status = 0
		return
	}
	text := args[0]
	if text == "-" {
		s.Trap(nil, args[1:]...)
		return
	}
	s.Trap(func(s *State) { s.Shell(text) }, args[1:]...)
}

// interpStdin is the standard input to give the interpreter. It copies
// a reader that is not a file into a pipe, all of it, at once: a
// here-document the Go code reads line by line (`while read ...; done
// <<<"$text"`) would be gone after the first statement the interpreter
// runs in the loop. A here-document is given as a temporary file
// holding what is left of it instead, and done moves the here-document
// past what the interpreter read.
func (s *State) interpStdin() (io.Reader, func()) {
	in := s.Stdin()
	sr, ok := in.(*strings.Reader)
	if !ok || sr.Len() == 0 {
		return in, func() {}
	}
	f, err := os.CreateTemp("", "kiln-stdin-")
	if err != nil {
		return in, func() {}
	}
	os.Remove(f.Name())
	pos, _ := sr.Seek(0, io.SeekCurrent)
	if _, err := io.Copy(f, sr); err != nil {
		sr.Seek(pos, io.SeekStart)
		f.Close()
		return in, func() {}
	}
	sr.Seek(pos, io.SeekStart)
	f.Seek(0, io.SeekStart)
	return f, func() {
		read, err := f.Seek(0, io.SeekCurrent)
		if err == nil {
			sr.Seek(pos+read, io.SeekStart)
		}
		f.Close()
	}
}

// sessionHandlers keep the files interpreted text sees in step with the
// state's gitapi session: a file opened for writing may be one the
// session caches (an index, a configuration file), so the session is
// invalidated first; a path read, tested or listed may be an index the
// session holds in memory, which is flushed to its file first.
func (s *State) sessionHandlers() []interp.RunnerOption {
	abs := func(ctx context.Context, path string) string {
		if path != "" && !filepath.IsAbs(path) {
			path = filepath.Join(interp.HandlerCtx(ctx).Dir, path)
		}
		return filepath.Clean(path)
	}
	open := interp.DefaultOpenHandler()
	stat := interp.DefaultStatHandler()
	readDir := interp.DefaultReadDirHandler2()
	access := interp.DefaultAccessHandler()
	return []interp.RunnerOption{
		interp.OpenHandler(func(ctx context.Context, path string, flag int, perm os.FileMode) (io.ReadWriteCloser, error) {
			switch {
			case path == os.DevNull:
			case flag&(os.O_WRONLY|os.O_RDWR|os.O_APPEND|os.O_CREATE|os.O_TRUNC) != 0:
				s.session.Invalidate()
			default:
				s.session.FlushFor(abs(ctx, path))
			}
			return open(ctx, path, flag, perm)
		}),
		interp.StatHandler(func(ctx context.Context, path string, follow bool) (fs.FileInfo, error) {
			s.session.FlushFor(abs(ctx, path))
			return stat(ctx, path, follow)
		}),
		interp.ReadDirHandler2(func(ctx context.Context, path string) ([]fs.DirEntry, error) {
			s.session.FlushFor(abs(ctx, path))
			return readDir(ctx, path)
		}),
		interp.AccessHandler(func(ctx context.Context, path string, mode interp.AccessMode) error {
			s.session.FlushFor(abs(ctx, path))
			return access(ctx, path, mode)
		}),
	}
}
