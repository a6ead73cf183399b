package shellrun

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

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
	// bound are the script's Go variables standing for shell variables
	// (Vars, LocalVars), innermost last.
	bound map[string][]*string
	args  []string
	dir   string
	funcs map[string]Func
	traps map[string]Func
	fds   map[int]*stream
	stats *Stats

	errexit   bool
	noglob    bool
	pipefail  bool
	bash      bool     // the script is bash's: its builtins and variables
	shopts    []string // shopt arguments run so far, replayed for the interpreter
	optind    int      // OPTIND as getopts last left it
	optpos    int      // getopts's place in a cluster of options (-ab)
	condDepth int      // >0 while running a condition, where set -e is off

	exiting   bool
	returning bool
	lastJob   *bgJob // the last background job, for $!
	job       *bgJob // the background job this state runs, until it starts a program
	line      int
	// evalPrefix is "eval: " while eval's text runs, for dash's messages.
	evalPrefix string

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
	s.session = cfg.Session
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
	top(s)
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

// finish runs the exit trap, as the shell does when it exits.
func (s *State) finish() int {
	if trap, ok := s.traps["EXIT"]; ok {
		delete(s.traps, "EXIT")
		status := s.Status
		s.exiting, s.returning = false, false
		trap(s)
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

// CallName calls the function defined under name, or reports that there
// is none (then the caller runs the command of that name).
func (s *State) CallName(name string, args ...string) bool {
	fn, ok := s.funcs[name]
	if !ok {
		return false
	}
	s.Call(fn, args...)
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
	sub.args = append([]string(nil), s.args...)
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

// Args returns the positional parameters ("$@").
func (s *State) Args() []string { return append([]string(nil), s.args...) }

// Arg returns positional parameter n ($1 ...), or $0 for 0.
func (s *State) Arg(n int) string {
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

// Get returns a variable's value ("" when unset); special parameters are
// served too.
func (s *State) Get(name string) string {
	v, _ := s.Lookup(name)
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
		return s.Arg(n), s.ArgSet(n)
	}
	if value, ok := s.boundValue(name); ok {
		return value, true
	}
	v, ok := s.vars[name]
	if !ok || v.unset {
		return "", false
	}
	return v.scalar(), true
}

func (s *State) optionFlags() string {
	f := ""
	if s.errexit {
		f += "e"
	}
	if s.noglob {
		f += "f"
	}
	return f
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
		*p = value
		return
	}
	if !ok {
		s.vars[name] = &variable{value: value}
		return
	}
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
			if old, ok := s.vars[name]; ok {
				c := *old
				frame[name] = &c
			} else {
				frame[name] = nil
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
				value = bound
			}
			env = append(env, name+"="+value)
		}
	}
	sort.Strings(env)
	return env
}

// SetOption is `set -e`, `set +e`, `set -f`, ... and `set -- ARGS`.
func (s *State) SetOption(args ...string) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			s.SetArgs(args[i+1:]...)
			break
		}
		if len(arg) < 2 || (arg[0] != '-' && arg[0] != '+') {
			s.SetArgs(args[i:]...)
			break
		}
		on := arg[0] == '-'
		for _, c := range arg[1:] {
			switch c {
			case 'e':
				s.errexit = on
			case 'f':
				s.noglob = on
			case 'o':
				// set -o NAME, also in a cluster (set -euo pipefail):
				// the long names of the options kiln keeps.
				if i+1 < len(args) {
					i++
					switch args[i] {
					case "errexit":
						s.errexit = on
					case "noglob":
						s.noglob = on
					case "pipefail":
						s.pipefail = on && s.bash
					}
				}
			}
		}
	}
	s.Status = 0
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
