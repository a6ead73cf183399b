package shellrun

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiln-dev/kiln/gitapi"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// State is the shell state a translated builtin runs with: what dash
// keeps for a running script (variables, positional parameters, $?, the
// working directory, functions, traps, open streams). kiln translate
// emits Go that drives its control flow natively and calls State for
// everything else, so that the translation keeps the script's semantics.
//
// A State is not safe for concurrent use; pipelines and command
// substitutions run on copies (Subshell), as the shell forks for them.
type State struct {
	// Name is $0, the script name used in messages.
	Name string
	// Status is $?, the exit status of the last command.
	Status int

	// session is the gitapi session its git calls run in, or nil.
	session *gitapi.Session

	ctx    context.Context
	vars   map[string]*variable
	frames []map[string]*variable // saved globals, one per function call (local)
	calls  []funcCall             // the functions called by name, innermost last (FUNCNAME)
	// bound are the script's Go variables standing for shell variables
	// (Vars, LocalVars), innermost last.
	bound map[string][]*string
	// unsetBound marks the bound Go variables that stand for unset
	// variables (evalguard.go).
	unsetBound map[*string]*byte
	args       []string
	dir        string
	funcs      map[string]Func
	traps      map[string]Func
	fds        map[int]*stream
	stats      *Stats

	errexit bool
	noglob  bool
	nounset bool // set -u: expanding an unset parameter is an error
	// unforeseenNounset: Config.UnforeseenNounset.
	unforeseenNounset bool
	allexport         bool // set -a: every variable assigned is exported
	noclobber         bool // set -C: > does not overwrite a regular file
	pipefail          bool
	flags             map[byte]bool   // the options' letters on, for $-
	warned            map[string]bool // options kiln does not reproduce, said once
	start             time.Time       // when the script started, for $SECONDS
	bash              bool            // the script is bash's: its builtins and variables
	shopts            []string        // shopt arguments run so far, replayed for the interpreter
	optind            int             // OPTIND as getopts last left it
	optpos            int             // getopts's place in a cluster of options (-ab)
	condDepth         int             // >0 while running a condition, where set -e is off

	exiting   bool
	returning bool
	lastJob   *bgJob // the last background job, for $!
	job       *bgJob // the background job this state runs, until it starts a program
	line      int
	// evalPrefix is "eval: " while eval's text runs, for dash's messages.
	evalPrefix string
	// views are the bound variables of other types than string
	// (bindtyped.go), by the string pointer standing for them.
	views map[*string]typedView

	shell *fallbackShell
	self  Func            // the script's top level, for "$0" run again
	bg    *sync.WaitGroup // background jobs, waited for when the script ends
	jobs  *jobTable       // background jobs, for wait, wait -n and \j
}

// Func is a shell function (or trap handler, or subshell body) translated
// to Go. Its positional parameters are those of the State it runs on.
type Func func(s *State)

// variable is one shell variable.
type variable struct {
	value    string
	exported bool
	readonly bool
	unset    bool // declared (export, readonly) but without a value
	// A bash array (kind Indexed or Associative) keeps its elements in
	// array; value is then unused.
	array *expand.Variable
}

// scalar is the variable's value as $name expands it: an array's
// element 0.
func (v *variable) scalar() string {
	if v.array == nil {
		return v.value
	}
	a := v.array
	switch a.Kind {
	case expand.Associative:
		return a.Map["0"]
	case expand.Indexed:
		if a.Indexes == nil {
			if len(a.List) > 0 {
				return a.List[0]
			}
			return ""
		}
		if len(a.Indexes) > 0 && a.Indexes[0] == 0 {
			return a.List[0]
		}
	}
	return ""
}

// stream is an open file descriptor of the shell.
type stream struct {
	r io.Reader
	w io.Writer
	c io.Closer // the file to close when the descriptor is closed, if any
}

// Config is what a State starts from.
type Config struct {
	// Name is $0.
	Name string
	// Args are the positional parameters.
	Args []string
	// Env is the environment as KEY=value pairs; nil means the process's.
	Env []string
	// Dir is the working directory; "" means the process's.
	Dir string
	// ExecPath, when set, is put at the head of PATH, as git does for its
	// scripts.
	ExecPath       string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Context        context.Context
	Stats          *Stats
	// Bash runs the script with bash's semantics (its shebang says
	// bash) rather than dash's.
	Bash bool
	// Session, when set, is the gitapi session the state's in-process
	// git calls run in (a builtin's run). Before anything outside them
	// may see the files (a program started, an in-process tool, a file
	// the interpreted text opens for writing), the session is
	// invalidated; before interpreted text reads or tests a path of an
	// index the session holds, it is flushed.
	Session *gitapi.Session
	// UnforeseenNounset says the code names its lines for set -u's
	// messages only where the script's own text turns set -u on (the
	// idiomatic stage): when text known only at run time turns it on,
	// the state says once that those messages may name an earlier line.
	UnforeseenNounset bool
}

// NewState makes the state a script starts with: the environment's
// variables, exported; the arguments as positional parameters.
func NewState(cfg Config) *State {
	env := cfg.Env
	if env == nil {
		env = os.Environ()
	}
	env = scriptEnv(env, cfg.ExecPath)
	dir := cfg.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	ctx := cfg.Context
	if ctx == nil {
		ctx = context.Background()
	}
	stats := cfg.Stats
	if stats == nil {
		stats = &Stats{}
	}
	s := &State{
		Name: cfg.Name, ctx: ctx, vars: map[string]*variable{}, args: append([]string(nil), cfg.Args...),
		dir: dir, funcs: map[string]Func{}, traps: map[string]Func{}, stats: stats,
		bg: &sync.WaitGroup{}, jobs: newJobTable(),
		fds: map[int]*stream{
			0: {r: orEmpty(cfg.Stdin)},
			1: {w: orDiscard(cfg.Stdout)},
			2: {w: orDiscard(cfg.Stderr)},
		},
	}
	s.bash = cfg.Bash
	s.unforeseenNounset = cfg.UnforeseenNounset
	s.session = cfg.Session
	s.start = time.Now()
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if ok && validName(name) {
			s.vars[name] = &variable{value: value, exported: true}
		}
	}
	if _, ok := s.vars["IFS"]; !ok {
		s.vars["IFS"] = &variable{value: " \t\n"}
	}
	s.vars["PWD"] = &variable{value: dir, exported: true}
	if _, ok := s.vars["GIT_EXEC_PATH"]; !ok && cfg.ExecPath != "" {
		// git exports its exec path to the scripts it runs (git-subtree
		// checks it).
		s.vars["GIT_EXEC_PATH"] = &variable{value: cfg.ExecPath, exported: true}
	}
	if s.bash {
		// bash hashes commands and expands braces unless told not to.
		s.flags = map[byte]bool{'h': true, 'B': true}
		for name, v := range bashVars() {
			s.vars[name] = fromExpand(v)
		}
	}
	return s
}

func orEmpty(r io.Reader) io.Reader {
	if r == nil {
		return strings.NewReader("")
	}
	return r
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// Main runs the script's top level, then its exit trap, and returns the
// exit status.
func (s *State) Main(top Func) (status int) {
	defer func() {
		// A bug in kiln's runtime must not show a Go stack trace to
		// the script's user.
		if r := recover(); r != nil {
			if _, ok := r.(brokenPipe); ok {
				// The script wrote to a pipe nobody reads: dash dies
				// of SIGPIPE, silently.
				status = sigpipeStatus
				return
			}
			fmt.Fprintf(s.writer(2), "%s: kiln runtime error: %v\n", s.Name, r)
			status = 2
		}
	}()
	s.self = top
	if status, ok := s.gitSetup(); !ok {
		return status
	}
	s.guard(top)
	status = s.finish()
	// A background job outlives the script in the shell; here it is a
	// goroutine, so the process waits for it before it exits.
	s.bg.Wait()
	return status
}

// gitSetup does what git does before it runs a script: in a repository,
// it reads the configuration and dies with git's message on a broken one.
func (s *State) gitSetup() (int, bool) {
	r, err := gitapi.Open(gitapi.Options{Dir: s.dir, Env: s.Environ()})
	if err != nil {
		return 0, true
	}
	if _, err := r.Config(); err != nil {
		fmt.Fprintf(s.writer(2), "fatal: %v\n", err)
		return 128, false
	}
	return 0, true
}

// guard runs body, which an error the shell exits on may end
// (shellExit): the state is then exiting with its status.
func (s *State) guard(body Func) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(shellExit); !ok {
				panic(r)
			}
			s.exiting = true
		}
	}()
	body(s)
}

// finish runs the exit trap, as the shell does when it exits.
func (s *State) finish() int {
	if trap, ok := s.traps["EXIT"]; ok {
		delete(s.traps, "EXIT")
		status := s.Status
		s.exiting, s.returning = false, false
		s.guard(trap)
		if !s.exiting {
			s.Status = status
		}
	}
	s.exiting = true
	s.closeFiles()
	return s.Status
}

func (s *State) closeFiles() {
	for fd, st := range s.fds {
		if fd > 2 && st.c != nil {
			st.c.Close()
		}
	}
}

// Dir is the working directory.
func (s *State) Dir() string { return s.dir }

// Context is the context commands run under.
func (s *State) Context() context.Context { return s.ctx }

// OK reports whether the last command succeeded ($? is 0).
func (s *State) OK() bool { return s.Status == 0 }

// SetStatus sets $?; once the script is exiting (a failed expansion
// made it exit, say), its exit status stays.
func (s *State) SetStatus(status int) {
	if !s.exiting {
		s.Status = status
	}
}

// Not negates the last status, as `! cmd` does.
func (s *State) Not() {
	if s.Status == 0 {
		s.Status = 1
	} else {
		s.Status = 0
	}
}

// Unwinding reports whether the script is leaving the current function:
// after exit, return, or a failure under set -e. Translated code returns
// when it is true.
func (s *State) Unwinding() bool { return s.exiting || s.returning }

// shellExit is the panic value with which an error the shell exits on
// (an unset parameter under set -u, ${x?}) ends the script, or the
// subshell it happens in, from wherever the expansion is: the command
// it was for does not run. runProcess and Main recover it, then run the
// exit trap; $? is already the exit status.
type shellExit struct{}

// fatal ends the (sub)shell with status, as the shell's errors that
// exit a non-interactive shell do.
func (s *State) fatal(status int) {
	s.Status = status
	s.exiting = true
	panic(shellExit{})
}

// unbound is set -u's error for the parameter name: the shell's
// message, then the (sub)shell exits.
func (s *State) unbound(name string) {
	if s.bash {
		if _, err := strconv.Atoi(name); err == nil || len(name) == 1 && !validName(name) {
			name = "$" + name // $1, $!
		}
		s.errorf("%s: unbound variable", name)
		s.fatal(1)
	}
	s.errorf("%s: parameter not set", name)
	s.fatal(2)
}

// Exit is `exit [N]`: with no argument it keeps $?.
func (s *State) Exit(status ...string) {
	if len(status) > 0 {
		n, ok := s.statusArg("exit", status[0])
		if !ok {
			s.exiting = true
			return
		}
		s.Status = n
	}
	s.exiting = true
}

// Return is `return [N]` in a function (or a sourced file).
func (s *State) Return(status ...string) {
	if len(status) > 0 {
		n, ok := s.statusArg("return", status[0])
		if !ok {
			s.exiting = true
			return
		}
		s.Status = n
	}
	s.returning = true
}

// statusArg parses exit's and return's argument as dash does: a
// non-negative decimal number, taken modulo 256.
func (s *State) statusArg(name, arg string) (int, bool) {
	n, err := strconv.Atoi(arg)
	if err != nil || n < 0 || strings.HasPrefix(arg, "+") {
		s.errorf("%s: Illegal number: %s", name, arg)
		s.Status = 2
		return 2, false
	}
	return n & 255, true
}

// CheckErrExit applies set -e after a command run outside a condition:
// a failure makes the script exit with its status. It reports whether the
// script is now unwinding.
func (s *State) CheckErrExit() bool {
	if s.errexit && s.condDepth == 0 && s.Status != 0 {
		s.exiting = true
	}
	return s.Unwinding()
}

// Cond runs a condition list: set -e does not apply inside it, and it
// reports whether the last command succeeded.
func (s *State) Cond(body Func) bool {
	s.condDepth++
	body(s)
	s.condDepth--
	return s.Status == 0
}

// Define makes fn callable by name: the shell function definition
// `name() { ... }` (for calls made by name, from eval or traps).
func (s *State) Define(name string, fn Func) {
	s.funcs[name] = fn
	if s.shell != nil {
		delete(s.shell.funcs, name) // the interpreter's older definition is gone
	}
	s.Status = 0
}

// Call runs the function fn with args as its positional parameters, as
// the shell calls a function: locals are undone on return, and return's
// status becomes $?.
func (s *State) Call(fn Func, args ...string) {
	saved := s.args
	s.args = args
	s.frames = append(s.frames, map[string]*variable{})
	fn(s)
	s.popFrame()
	s.args = saved
	s.returning = false
}

// CallFunc is Call for the function of that name called on a line: in
// a bash script, FUNCNAME, BASH_LINENO and BASH_SOURCE give the call
// stack (see callStack).
func (s *State) CallFunc(name string, line int, fn Func, args ...string) {
	s.calls = append(s.calls, funcCall{name: name, line: line})
	s.Call(fn, args...)
	s.calls = s.calls[:len(s.calls)-1]
}

// funcCall is a function call under way: the function's name and the
// line of the call.
type funcCall struct {
	name string
	line int
}

// callStack is bash's variable of the call stack, innermost first:
// FUNCNAME the functions' names (unset outside a function, "main" at the
// bottom), BASH_LINENO the lines they were called on (0 at the bottom),
// BASH_SOURCE the file each was defined in (the script's path: a
// function of a translated library names the script too).
func (s *State) callStack(name string) (expand.Variable, bool) {
	if !s.bash {
		return expand.Variable{}, false
	}
	n := len(s.calls)
	var list []string
	switch name {
	case "FUNCNAME":
		if n == 0 {
			return expand.Variable{}, false
		}
		for i := n - 1; i >= 0; i-- {
			list = append(list, s.calls[i].name)
		}
		list = append(list, "main")
	case "BASH_LINENO":
		for i := n - 1; i >= 0; i-- {
			list = append(list, strconv.Itoa(s.calls[i].line))
		}
		list = append(list, "0")
	case "BASH_SOURCE":
		for range n + 1 {
			list = append(list, s.Name)
		}
	default:
		return expand.Variable{}, false
	}
	return expand.Variable{Set: true, Kind: expand.Indexed, List: list}, true
}

// CallName calls the function defined under name, or reports that there
// is none (then the caller runs the command of that name).
func (s *State) CallName(name string, args ...string) bool {
	fn, ok := s.funcs[name]
	if !ok {
		return false
	}
	s.CallFunc(name, s.line, fn, args...)
	return true
}

func (s *State) popFrame() {
	frame := s.frames[len(s.frames)-1]
	s.frames = s.frames[:len(s.frames)-1]
	for name, old := range frame {
		if old == nil {
			delete(s.vars, name)
		} else {
			s.vars[name] = old
		}
	}
}

// Subshell runs body on a copy of the state, as `( ... )` does: nothing
// it changes (variables, directory, functions, exit) reaches the caller,
// except $?.
func (s *State) Subshell(body Func) {
	sub := s.fork()
	s.Status = sub.runProcess(body)
}

// fork copies the state for a subshell.
func (s *State) fork() *State {
	sub := *s
	sub.vars = make(map[string]*variable, len(s.vars))
	for name, v := range s.vars {
		c := *v
		sub.vars[name] = &c
	}
	sub.settleBound()
	sub.frames = nil
	sub.calls = slices.Clip(s.calls)
	sub.args = append([]string(nil), s.args...)
	sub.flags = copyFlags(s.flags)
	sub.warned = copyFlags(s.warned)
	sub.funcs = make(map[string]Func, len(s.funcs))
	for name, fn := range s.funcs {
		sub.funcs[name] = fn
	}
	sub.traps = map[string]Func{} // a subshell does not inherit traps
	sub.fds = make(map[int]*stream, len(s.fds))
	for fd, st := range s.fds {
		c := *st
		c.c = nil // the parent closes its files
		sub.fds[fd] = &c
	}
	sub.exiting, sub.returning = false, false
	sub.jobs = newJobTable() // a subshell's jobs are its own
	if s.shell != nil {
		sub.shell = &fallbackShell{funcs: make(map[string]*syntax.Stmt, len(s.shell.funcs)), texts: s.shell.texts}
		for name, body := range s.shell.funcs {
			sub.shell.funcs[name] = body
		}
	}
	return &sub
}

// copyFlags copies a set of options, for a subshell's own.
func copyFlags[K comparable](m map[K]bool) map[K]bool {
	if m == nil {
		return nil
	}
	c := make(map[K]bool, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// Args returns the positional parameters ("$@").
func (s *State) Args() []string { return append([]string(nil), s.args...) }

// Arg is the expansion $n: positional parameter n ($1 ...), or $0 for
// 0. Under set -u a parameter beyond $# is an error that ends the
// script, as in the shell.
func (s *State) Arg(n int) string {
	if s.nounset && !s.ArgSet(n) {
		s.unbound(strconv.Itoa(n))
	}
	return s.arg(n)
}

// arg is positional parameter n, "" when unset.
func (s *State) arg(n int) string {
	if n == 0 {
		return s.Name
	}
	if n <= len(s.args) {
		return s.args[n-1]
	}
	return ""
}

// ArgSet reports whether positional parameter n is set.
func (s *State) ArgSet(n int) bool { return n == 0 || n <= len(s.args) }

// NArgs is $#.
func (s *State) NArgs() string { return strconv.Itoa(len(s.args)) }

// ArgsString is "$*": the parameters joined by IFS's first character.
func (s *State) ArgsString() string {
	sep := " "
	if ifs, ok := s.Lookup("IFS"); ok {
		sep = ""
		if ifs != "" {
			sep = ifs[:1]
		}
	}
	return strings.Join(s.args, sep)
}

// SetArgs replaces the positional parameters (`set -- ...`).
func (s *State) SetArgs(args ...string) { s.args = append([]string(nil), args...) }

// Shift is `shift [N]`.
func (s *State) Shift(n ...string) {
	count := 1
	if len(n) > 0 {
		c, err := strconv.Atoi(n[0])
		if err != nil || c < 0 {
			s.errorf("shift: Illegal number: %s", n[0])
			s.Status = 2
			s.exiting = true
			return
		}
		count = c
	}
	if count > len(s.args) && s.bash {
		// bash's shift fails quietly (shift_verbose is off).
		s.Status = 1
		return
	}
	if count > len(s.args) {
		s.errorf("shift: can't shift that many")
		s.Status = 2
		s.exiting = true
		return
	}
	s.args = s.args[count:]
	s.Status = 0
}

// Get is the expansion $name: a variable's value ("" when unset);
// special parameters are served too. Under set -u an unset parameter is
// an error that ends the script (or the subshell), as in the shell;
// reads that are not expansions use Value.
func (s *State) Get(name string) string {
	v, ok := s.Lookup(name)
	if !ok && s.nounset && (name != "!" || s.lastJob == nil) {
		// $! of a job that ran no program has no process id here,
		// where the shell has one: it stays "" rather than an error.
		s.unbound(name)
	}
	return v
}

// Value returns a variable's value, "" when unset, whatever set -u
// says: for reads that are not the script's expansions (a tilde's
// $HOME, the value a Go local starts from).
func (s *State) Value(name string) string {
	v, ok := s.Lookup(name)
	if !ok {
		return unsetString // "", telling local x from local x= (evalguard.go)
	}
	return v
}

// Lookup returns a variable's value and whether it is set.
func (s *State) Lookup(name string) (string, bool) {
	switch name {
	case "?":
		return strconv.Itoa(s.Status), true
	case "#":
		return s.NArgs(), true
	case "@", "*":
		return s.ArgsString(), true
	case "$":
		return strconv.Itoa(os.Getpid()), true
	case "!":
		return s.lastPid()
	case "-":
		return s.optionFlags(), true
	case "0":
		return s.Name, true
	}
	if n, err := strconv.Atoi(name); err == nil && n > 0 {
		return s.arg(n), s.ArgSet(n)
	}
	if value, ok := s.boundValue(name); ok {
		return value, !s.boundUnset(name)
	}
	v, ok := s.vars[name]
	if !ok {
		return s.shellVar(name)
	}
	if v.unset {
		return "", false
	}
	return v.scalar(), true
}

// shellVar serves the variables the shell sets itself and the script
// has not assigned (nor unset): PPID, and bash's UID, EUID, LINENO,
// RANDOM, SECONDS, BASHPID, HOSTNAME, HOSTTYPE, OSTYPE and MACHTYPE.
// Without them set -u would stop a script where the shell goes on.
func (s *State) shellVar(name string) (string, bool) {
	if name == "PPID" {
		return strconv.Itoa(os.Getppid()), true
	}
	if !s.bash {
		return "", false
	}
	if v, ok := s.callStack(name); ok {
		return v.List[0], true
	}
	switch name {
	case "UID":
		return strconv.Itoa(os.Getuid()), true
	case "EUID":
		return strconv.Itoa(os.Geteuid()), true
	case "LINENO":
		return strconv.Itoa(s.line), true
	case "RANDOM":
		return strconv.Itoa(rand.IntN(32768)), true
	case "SECONDS":
		return strconv.Itoa(int(time.Since(s.start).Seconds())), true
	case "BASHPID":
		return strconv.Itoa(os.Getpid()), true
	case "HOSTNAME":
		h, err := os.Hostname()
		return h, err == nil
	case "HOSTTYPE", "OSTYPE", "MACHTYPE":
		// From BASH_VERSINFO[5], cpu-vendor-os: x86_64-pc-linux-gnu.
		_, info := InstalledBash()
		if len(info) < 6 {
			return "", false
		}
		parts := strings.SplitN(info[5], "-", 3)
		switch {
		case name == "MACHTYPE":
			return info[5], true
		case name == "HOSTTYPE":
			return parts[0], true
		case len(parts) == 3:
			return parts[2], true
		}
	}
	return "", false
}

// Set assigns a variable (`name=value`). A variable bound to a Go
// variable (Vars, LocalVars, FuncVars) gets the value there.
func (s *State) Set(name, value string) {
	v, ok := s.vars[name]
	if p := s.boundPtr(name); p != nil {
		if ok && v.readonly {
			s.errorf("%s: is read only", name)
			s.Status = 2
			s.exiting = true
			return
		}
		s.setBound(name, p, value)
		return
	}
	if !ok {
		s.vars[name] = &variable{value: value, exported: s.allexport}
		return
	}
	v.exported = v.exported || s.allexport && !v.readonly
	if v.readonly {
		s.errorf("%s: is read only", name)
		s.Status = 2
		s.exiting = true
		return
	}
	if v.array != nil {
		// name=value sets an array's element 0, as in bash.
		a := copyArray(*v.array)
		if a.Kind == expand.Associative {
			a.Map["0"] = value
		} else if a.Indexes == nil && len(a.List) > 0 {
			a.List[0] = value
		} else {
			a = expand.Variable{Set: true, Kind: expand.Indexed, List: []string{value}}
			if v.array.Indexes != nil {
				a = arrayWith0(*v.array, value)
			}
		}
		v.array, v.unset = &a, false
		return
	}
	v.value, v.unset = value, false
}

// copyArray copies an array's elements, so that a change does not reach
// a subshell's copy.
func copyArray(a expand.Variable) expand.Variable {
	a.List = append([]string{}, a.List...) // never nil: an empty array is not an unset one
	a.Indexes = append([]int(nil), a.Indexes...)
	if a.Indexes != nil && len(a.Indexes) == 0 {
		a.Indexes = nil
	}
	if a.Map != nil {
		m := make(map[string]string, len(a.Map))
		for k, v := range a.Map {
			m[k] = v
		}
		a.Map = m
	}
	return a
}

// arrayWith0 is a sparse indexed array with element 0 set to value.
func arrayWith0(a expand.Variable, value string) expand.Variable {
	out := expand.Variable{Set: true, Kind: expand.Indexed, List: []string{value}, Indexes: []int{0}}
	for i, idx := range a.Indexes {
		if idx != 0 {
			out.List = append(out.List, a.List[i])
			out.Indexes = append(out.Indexes, idx)
		}
	}
	return out
}

// fromExpand makes a state variable of an interpreter's variable,
// arrays included.
func fromExpand(vr expand.Variable) *variable {
	v := &variable{exported: vr.Exported, readonly: vr.ReadOnly, unset: !vr.IsSet()}
	switch vr.Kind {
	case expand.Indexed, expand.Associative:
		a := copyArray(vr)
		a.Local, a.Exported, a.ReadOnly = false, false, false
		v.array = &a
	default:
		v.value = vr.String()
	}
	return v
}

// Unset is `unset NAME...` (variables, or functions with -f).
func (s *State) Unset(names ...string) {
	funcs := false
	for _, name := range names {
		switch {
		case name == "-f":
			funcs = true
		case name == "-v":
			funcs = false
		case funcs:
			delete(s.funcs, name)
		default:
			delete(s.vars, name)
			if p := s.boundPtr(name); p != nil {
				// A Go variable of the translation (bind.go): it
				// stands for an unset variable until assigned.
				s.markUnset(p)
			}
		}
	}
	s.Status = 0
}

// Export is `export NAME[=value]...`.
func (s *State) Export(args ...string) {
	for _, arg := range args {
		if arg == "-p" || arg == "--" {
			continue
		}
		name, value, hasValue := strings.Cut(arg, "=")
		if hasValue {
			s.Set(name, value)
		}
		v, ok := s.vars[name]
		if !ok {
			// Exported but still unset: programs get it once it
			// has a value, as in dash.
			v = &variable{unset: true}
			s.vars[name] = v
		}
		v.exported = true
	}
	s.Status = 0
}

// Readonly is `readonly NAME[=value]...`.
func (s *State) Readonly(args ...string) {
	for _, arg := range args {
		name, value, hasValue := strings.Cut(arg, "=")
		if hasValue {
			s.Set(name, value)
		}
		if v, ok := s.vars[name]; ok {
			v.readonly = true
		} else {
			s.vars[name] = &variable{readonly: true, unset: true}
		}
	}
	s.Status = 0
}

// Local is `local NAME[=value]...`: the variable's value is restored
// when the function returns.
func (s *State) Local(args ...string) {
	if len(s.frames) == 0 {
		s.errorf("local: not in a function")
		s.Status = 2
		return
	}
	frame := s.frames[len(s.frames)-1]
	for _, arg := range args {
		name, value, hasValue := strings.Cut(arg, "=")
		if _, saved := frame[name]; !saved {
			old, ok := s.vars[name]
			if ok {
				c := *old
				frame[name] = &c
			} else {
				frame[name] = nil
			}
			if s.bash && !hasValue {
				// bash's new local is unset (dash's keeps the
				// value); it stays exported if the variable was.
				s.vars[name] = &variable{unset: true, exported: ok && old.exported}
			}
		}
		if hasValue {
			s.Set(name, value)
		}
	}
	s.Status = 0
}

// Environ is the environment programs started by the script get: its
// exported variables, sorted.
func (s *State) Environ() []string {
	env := make([]string, 0, len(s.vars))
	for name, v := range s.vars {
		if v.exported && !v.unset && v.array == nil {
			value := v.value
			if bound, ok := s.boundValue(name); ok {
				if s.boundUnset(name) {
					continue
				}
				value = bound
			}
			env = append(env, name+"="+value)
		}
	}
	sort.Strings(env)
	return env
}

// SetOption is `set -e`, `set +e`, `set -f`, ... and `set -- ARGS`. The
// options kiln reproduces (see shellOptions) are kept; an option that
// changes nothing a script kiln runs can see (hashall, notify, ...) is
// only shown in $-; one kiln does not reproduce (xtrace, verbose, ...)
// is kept for $- and reported on standard error once, so that the
// difference from the shell is never silent (the translation marks it
// for review too). An unknown option is set's error, as in the shell.
func (s *State) SetOption(args ...string) {
	if len(args) == 0 {
		s.listVars()
		return
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			s.SetArgs(args[i+1:]...)
			break
		}
		if len(arg) < 2 || (arg[0] != '-' && arg[0] != '+') {
			if arg == "-" && s.bash {
				// bash: set - turns off -x and -v; the words are
				// the parameters.
				s.setFlag('x', "", false)
				s.setFlag('v', "", false)
				s.SetArgs(args[i+1:]...)
				break
			}
			s.SetArgs(args[i:]...)
			break
		}
		on := arg[0] == '-'
		for _, c := range arg[1:] {
			if c != 'o' {
				if !s.setFlag(byte(c), "", on) {
					s.badOption(fmt.Sprintf("-%c", c), false)
					return
				}
				continue
			}
			// set -o NAME, also in a cluster (set -euo pipefail).
			if i+1 >= len(args) {
				s.unsupported("set " + arg + " (the options listed)")
				continue
			}
			i++
			if !s.setFlag(0, args[i], on) {
				s.badOption(args[i], true)
				return
			}
		}
	}
	s.Status = 0
}

// listVars is a bare `set`: dash lists its variables, sorted, as
// NAME='value' (gitflow-shFlags:185 reads its own from the list). bash's
// list (its quoting, arrays, functions) is not reproduced: said once.
func (s *State) listVars() {
	if s.bash {
		s.unsupported("set (the variables listed)")
		s.Status = 0
		return
	}
	values := map[string]string{"PS2": "> ", "PS4": "+ ", "OPTIND": "1", "PS1": "$ "}
	if os.Geteuid() == 0 {
		values["PS1"] = "# "
	}
	values["PPID"], _ = s.shellVar("PPID")
	for name, v := range s.vars {
		if !v.unset && v.array == nil {
			values[name] = v.value
		}
	}
	for name := range s.bound {
		// The variables the translation keeps in Go, with their values.
		if value, ok := s.Lookup(name); ok {
			values[name] = value
		} else {
			delete(values, name)
		}
	}
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(values)) {
		b.WriteString(name + "=" + dashQuote(values[name]) + "\n")
	}
	io.WriteString(s.Stdout(), b.String())
	s.Status = 0
}

// dashQuote quotes text as dash's set and export -p print it: in single
// quotes, each run of single quotes in double quotes ('it'"'"'s').
func dashQuote(text string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '\'')
		if i < 0 {
			i = len(text)
		}
		b.WriteString("'" + text[:i] + "'")
		text = text[i:]
		if text == "" {
			return b.String()
		}
		n := len(text) - len(strings.TrimLeft(text, "'"))
		b.WriteString(`"` + text[:n] + `"`)
		text = text[n:]
		if text == "" {
			return b.String()
		}
	}
}

// shellOption is one option of set, as one dialect knows it.
type shellOption struct {
	letter byte   // its flag, or 0 for a long name only
	name   string // its name for set -o
	bash   bool   // bash only
	dash   bool   // dash only
	// effect is what kiln does with it: "kept" (reproduced), "none"
	// (nothing a script kiln runs can see changes), or "unsupported".
	effect string
}

// shellOptions are the options dash 0.5.12 and bash 5.2 take, in the
// order dash shows them in $- (bash sorts them: see optionFlags).
var shellOptions = []shellOption{
	{'u', "nounset", false, false, "kept"},
	{'b', "notify", false, false, "none"},
	{'a', "allexport", false, false, "kept"},
	{'C', "noclobber", false, false, "kept"},
	{'E', "emacs", false, true, "none"},
	{'E', "errtrace", true, false, "unsupported"},
	{'V', "vi", false, true, "none"},
	{'v', "verbose", false, false, "unsupported"},
	{'x', "xtrace", false, false, "unsupported"},
	{'n', "noexec", false, false, "unsupported"},
	{'m', "monitor", false, false, "unsupported"},
	{'I', "ignoreeof", false, true, "none"},
	{'f', "noglob", false, false, "kept"},
	{'e', "errexit", false, false, "kept"},
	{'h', "hashall", true, false, "none"},
	{'k', "keyword", true, false, "unsupported"},
	{'p', "privileged", true, false, "unsupported"},
	{'t', "onecmd", true, false, "unsupported"},
	{'B', "braceexpand", true, false, "unsupported"},
	{'H', "histexpand", true, false, "none"},
	{'P', "physical", true, false, "unsupported"},
	{'T', "functrace", true, false, "unsupported"},
	{0, "pipefail", true, false, "kept"},
	{0, "emacs", true, false, "none"},
	{0, "vi", true, false, "none"},
	{0, "ignoreeof", true, false, "none"},
	{0, "history", true, false, "none"},
	{0, "interactive-comments", true, false, "none"},
	{0, "posix", true, false, "unsupported"},
	{0, "nolog", false, true, "none"},
}

// known reports whether the script's shell takes the option.
func (o shellOption) known(bash bool) bool {
	return !(o.bash && !bash) && !(o.dash && bash)
}

// findOption finds the option of a letter (c) or of a name for set -o
// that the script's shell takes.
func findOption(c byte, name string, bash bool) (shellOption, bool) {
	for _, o := range shellOptions {
		if (c != 0 && o.letter == c || c == 0 && o.name == name) && o.known(bash) {
			return o, true
		}
	}
	return shellOption{}, false
}

// setFlag sets the option of a letter (c) or name; false when the
// shell has none.
func (s *State) setFlag(c byte, name string, on bool) bool {
	o, ok := findOption(c, name, s.bash)
	if ok {
		s.setOpt(o, on)
	}
	return ok
}

func (s *State) setOpt(o shellOption, on bool) {
	switch o.name {
	case "errexit":
		s.errexit = on
	case "noglob":
		s.noglob = on
	case "nounset":
		s.nounset = on
	case "pipefail":
		s.pipefail = on
	case "allexport":
		s.allexport = on
	case "noclobber":
		s.noclobber = on
	}
	if o.letter == 0 {
		return
	}
	if s.flags == nil {
		s.flags = map[byte]bool{}
	}
	s.flags[o.letter] = on
	if o.unreproduced(on) {
		s.unsupported("set -o " + o.name)
	}
	if on && o.name == "nounset" && s.unforeseenNounset {
		s.unsupported("set -o nounset from text known only at run time: the messages of unset parameters may name an earlier line")
	}
	if on && (o.name == "nounset" || o.name == "allexport") && len(s.bound) > 0 {
		s.unsupported(fmt.Sprintf("set -o %s over the variables the idiomatic translation keeps in Go (%s)",
			o.name, strings.Join(slices.Sorted(maps.Keys(s.bound)), " ")))
	}
}

// unreproduced reports whether turning the option on (or off) asks
// what kiln does not do: an unsupported option turned on, or brace
// expansion turned off.
func (o shellOption) unreproduced(on bool) bool {
	return o.effect == "unsupported" && on != (o.name == "braceexpand")
}

// UnreproducedOptions lists what set's arguments (literal words) ask of
// the shell that kiln does not reproduce, as SetOption reports it at run
// time: options such as xtrace turned on, braceexpand turned off, and
// the listings of `set -o` and of a bare `set`. The translation marks
// such a set for review.
func UnreproducedOptions(args []string, bash bool) []string {
	if len(args) == 0 {
		if bash {
			return []string{"set (the variables listed)"}
		}
		return nil
	}
	var out []string
	find := func(c byte, name string, on bool) {
		if o, ok := findOption(c, name, bash); ok && o.unreproduced(on) {
			out = append(out, "-o "+o.name)
		}
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if len(arg) < 2 || arg == "--" || (arg[0] != '-' && arg[0] != '+') {
			break
		}
		on := arg[0] == '-'
		for _, c := range arg[1:] {
			if c != 'o' {
				find(byte(c), "", on)
				continue
			}
			if i+1 >= len(args) {
				out = append(out, arg+" (the options listed)")
				continue
			}
			i++
			find(0, args[i], on)
		}
	}
	return out
}

// unsupported says, once for each, that the shell would do what kiln
// does not (trace commands for set -x, say).
func (s *State) unsupported(what string) {
	if s.warned[what] {
		return
	}
	if s.warned == nil {
		s.warned = map[string]bool{}
	}
	s.warned[what] = true
	s.errorf("%s: kiln does not reproduce this; the script goes on without it", what)
}

// badOption is set's error for an option the shell does not take: the
// script exits under dash (set is a special builtin), bash goes on.
func (s *State) badOption(opt string, long bool) {
	if !s.bash {
		if long {
			opt = "-o " + opt
		}
		s.errorf("set: Illegal option %s", opt)
		s.fatal(2)
	}
	if long {
		s.errorf("set: %s: invalid option name", opt)
	} else {
		s.errorf("set: %s: invalid option", opt)
		fmt.Fprintln(s.Stderr(), "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]")
	}
	s.Status = 2
}

// optionFlags is $-: dash lists its flags in the order of shellOptions;
// bash its own (h and B are on by default in bash: see NewState).
func (s *State) optionFlags() string {
	var f []byte
	for _, o := range shellOptions {
		if o.letter != 0 && s.flags[o.letter] && o.known(s.bash) {
			f = append(f, o.letter)
		}
	}
	if s.bash {
		// bash: lower case letters first, each group sorted.
		sort.Slice(f, func(i, j int) bool {
			li, lj := f[i] >= 'a', f[j] >= 'a'
			if li != lj {
				return li
			}
			return f[i] < f[j]
		})
	}
	return string(f)
}

// validName reports whether name is a shell variable name.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
