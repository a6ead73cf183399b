package shellrun

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/kiln-dev/kiln/gitapi/gitcmd"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/shellrun/tools"
)

// At records the script line the next command comes from, for the
// "$0: LINE: " prefix of the shell's own error messages. It returns s,
// so that the command can follow: s.At(12).Run("sed", ...).
func (s *State) At(line int) *State {
	s.line = line
	return s
}

// errorf prints a shell error message as dash does: "$0: LINE: msg".
func (s *State) errorf(format string, args ...any) {
	if s.bash {
		fmt.Fprintf(s.Stderr(), "%s: line %d: %s\n", s.Name, s.line, fmt.Sprintf(format, args...))
		return
	}
	fmt.Fprintf(s.Stderr(), "%s: %d: %s\n", s.Name, s.line, fmt.Sprintf(format, args...))
}

// Stdin is the shell's standard input (descriptor 0).
func (s *State) Stdin() io.Reader { return s.reader(0) }

// Stdout is the shell's standard output (descriptor 1) as its builtins
// write to it: a write that finds no reader ends the (sub)shell as
// SIGPIPE does.
func (s *State) Stdout() io.Writer { return forBuiltins(s.writer(1)) }

// Stderr is the shell's standard error (descriptor 2) as its builtins
// write to it.
func (s *State) Stderr() io.Writer { return forBuiltins(s.writer(2)) }

func (s *State) reader(fd int) io.Reader {
	if st, ok := s.fds[fd]; ok && st.r != nil {
		return st.r
	}
	return strings.NewReader("")
}

func (s *State) writer(fd int) io.Writer {
	if st, ok := s.fds[fd]; ok && st.w != nil {
		return st.w
	}
	return io.Discard
}

// Command runs one simple command by name, as the shell looks it up:
// function, builtin, git (in-process through gitapi), then a program on
// PATH. Translated code calls it for commands it could not resolve when
// it was translated.
func (s *State) Command(argv ...string) {
	if len(argv) == 0 {
		return
	}
	name, args := argv[0], argv[1:]
	if !strings.Contains(name, "/") {
		if s.CallName(name, args...) {
			return
		}
		if builtin, ok := builtins[name]; ok {
			builtin(s, args)
			return
		}
		if name == "git" {
			s.Git(args...)
			return
		}
	}
	s.Exec(argv...)
}

// builtins are the shell builtins State implements.
var builtins map[string]func(s *State, args []string)

func init() {
	builtins = map[string]func(s *State, args []string){
		":":        func(s *State, _ []string) { s.Status = 0 },
		"true":     func(s *State, _ []string) { s.Status = 0 },
		"false":    func(s *State, _ []string) { s.Status = 1 },
		"echo":     func(s *State, args []string) { s.Echo(args...) },
		"printf":   func(s *State, args []string) { s.Printf(args...) },
		"test":     func(s *State, args []string) { s.Test(args...) },
		"[":        func(s *State, args []string) { s.Bracket(args...) },
		"cd":       func(s *State, args []string) { s.Cd(args...) },
		"pwd":      func(s *State, args []string) { s.Pwd(args...) },
		"shift":    func(s *State, args []string) { s.Shift(args...) },
		"set":      func(s *State, args []string) { s.SetOption(args...) },
		"export":   func(s *State, args []string) { s.Export(args...) },
		"readonly": func(s *State, args []string) { s.Readonly(args...) },
		"unset":    func(s *State, args []string) { s.Unset(args...) },
		"local":    func(s *State, args []string) { s.Local(args...) },
		"exit":     func(s *State, args []string) { s.Exit(args...) },
		"return":   func(s *State, args []string) { s.Return(args...) },
		"read":     func(s *State, args []string) { s.Read(args...) },
		"eval":     func(s *State, args []string) { s.Eval(args...) },
		".":        func(s *State, args []string) { s.Source(args...) },
		"trap":     func(s *State, args []string) { s.TrapText(args...) },
		"umask":    func(s *State, args []string) { s.Shell("umask " + quoteWords(args)) },
		"wait":     func(s *State, args []string) { s.Wait(args...) },
		"kill":     func(s *State, args []string) { s.Kill(args...) },
		"command":  func(s *State, args []string) { s.commandBuiltin(args) },
		"type":     func(s *State, args []string) { s.Type(args...) },
		"exec":     func(s *State, args []string) { s.ExecReplace(args...) },
	}
}

// commandBuiltin is `command [-v] NAME ARGS`: run NAME skipping
// functions, or with -v say how NAME would be found.
func (s *State) commandBuiltin(args []string) {
	if len(args) > 0 && args[0] == "-v" {
		// dash describes the first name only; a function of the
		// script's is one the interpreter does not know.
		if _, ok := s.funcs[argAt(args, 1)]; ok {
			fmt.Fprintln(s.Stdout(), args[1])
			s.Status = 0
			return
		}
		s.Shell("command " + quoteWords(args))
		return
	}
	if len(args) == 0 {
		s.Status = 0
		return
	}
	if b, ok := builtins[args[0]]; ok {
		b(s, args[1:])
		return
	}
	if args[0] == "git" {
		s.Git(args[1:]...)
		return
	}
	s.Exec(args...)
}

// argAt is args[i], or "" past the end.
func argAt(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// Git runs `git ARGS` in-process through gitapi's argv face, or through
// gitapi's one counted fallback when gitapi does not serve that form yet.
func (s *State) Git(args ...string) {
	opts := gitapi.Options{Dir: s.dir, Env: s.Environ(), Session: s.session}
	if gitcmd.Serves(args) {
		// In-process, git's output breaking ends only this command,
		// as SIGPIPE ends a git process.
		p := &process{}
		stdio := gitcmd.Stdio{In: s.Stdin(), Out: p.writer(s.writer(1)), Err: p.writer(s.writer(2))}
		before := gitapi.FallbackCount()
		s.Status = p.status(gitcmd.Run(args, opts, stdio))
		if gitapi.FallbackCount() > before {
			s.stats.Fallback.Add(1) // a state the face hands to git
		} else {
			s.stats.InProcess.Add(1)
		}
		return
	}
	s.stats.Fallback.Add(1)
	stdio := gitcmd.Stdio{In: s.Stdin(), Out: s.writer(1), Err: s.writer(2)}
	s.Status = gitapi.Fallback(s.ctx, args, opts, stdio)
}

// Exec runs a program (not a function or builtin) and waits for it. The
// program is looked up on the script's PATH.
func (s *State) Exec(argv ...string) {
	if argv[0] == s.Name && s.self != nil {
		s.runSelf(argv[1:])
		return
	}
	s.invalidateSession()
	if s.runTool(argv) {
		return
	}
	path, err := s.lookPath(argv[0])
	if err != nil {
		s.errorf("%s: not found", argv[0])
		s.Status = 127
		return
	}
	s.stats.Spawned.Add(1)
	cmd := exec.CommandContext(s.ctx, path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Dir, cmd.Env = s.dir, s.Environ()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin(), s.writer(1), s.writer(2)
	for fd := 3; fd < 10; fd++ {
		st, ok := s.fds[fd]
		if !ok {
			continue
		}
		f, isFile := st.c.(*os.File)
		if !isFile {
			continue
		}
		for len(cmd.ExtraFiles) < fd-3 {
			cmd.ExtraFiles = append(cmd.ExtraFiles, nil)
		}
		cmd.ExtraFiles = append(cmd.ExtraFiles, f)
	}
	if err := cmd.Start(); err != nil {
		s.Status = processStatus(err)
		return
	}
	if s.job != nil {
		// The first program a background job starts is its $!.
		s.job.started(cmd.Process.Pid)
		s.job = nil
	}
	s.Status = processStatus(cmd.Wait())
}

// runTool runs argv in-process when package tools implements the call
// (sed, expr, cut, ...), and reports whether it did.
func (s *State) runTool(argv []string) bool {
	spawned := false
	p := &process{}
	env := tools.Env{Dir: s.dir, Stdin: s.Stdin(), Stdout: p.writer(s.writer(1)), Stderr: p.writer(s.writer(2)),
		Environ: s.Environ(), OnSpawn: func() { spawned = true }}
	status, ok := tools.Run(s.ctx, argv[0], argv[1:], env)
	status = p.status(status)
	switch {
	case !ok:
		return false
	case spawned:
		s.stats.Spawned.Add(1)
	default:
		s.stats.Tools.Add(1)
	}
	s.Status = status
	return true
}

// runSelf runs the script again, as `"$0" ARGS` does (git-sh-setup's
// usage runs "$0" -h): in-process, as a new shell started with the
// exported variables, not as a spawned copy of the original script.
func (s *State) runSelf(args []string) {
	child := NewState(Config{
		Name: s.Name, Args: args, Env: s.Environ(), Dir: s.dir, Context: s.ctx, Stats: s.stats,
		Stdin: s.Stdin(), Stdout: s.writer(1), Stderr: s.writer(2),
	})
	s.Status = child.Main(s.self)
}

// processStatus is the shell's $? for a finished program: its exit code,
// or 128+N when a signal killed it.
func processStatus(err error) int {
	if err == nil {
		return 0
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return exitErr.ExitCode()
	}
	if errors.Is(err, exec.ErrNotFound) {
		return 127
	}
	return 126
}

// ExecReplace is `exec CMD ARGS`: the command replaces the shell, so
// the script exits with its status. Without a command, exec's
// redirections (already applied by the caller) stay in effect.
func (s *State) ExecReplace(argv ...string) {
	if len(argv) == 0 {
		s.Status = 0
		return
	}
	if argv[0] == "git" {
		s.Git(argv[1:]...)
	} else {
		s.Exec(argv...)
	}
	s.exiting = true
}

// lookPath finds a program as the shell does: a name with a slash as
// given, otherwise on the script's PATH.
func (s *State) lookPath(name string) (string, error) {
	if strings.Contains(name, "/") {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(s.dir, p)
		}
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return "", exec.ErrNotFound
		}
		return p, nil
	}
	for _, dir := range filepath.SplitList(s.Value("PATH")) {
		if dir == "" {
			dir = "."
		}
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(s.dir, dir)
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

// Echo is the echo builtin: dash's, or bash's for a bash script.
func (s *State) Echo(args ...string) {
	if s.bash {
		BashEcho(s.Stdout(), args)
		s.Status = 0
		return
	}
	DashEcho(s.Stdout(), args)
	s.Status = 0
}

// Cd is `cd [DIR]`.
func (s *State) Cd(args ...string) {
	dir := s.Value("HOME")
	if len(args) > 0 {
		dir = args[0]
	}
	if dir == "-" {
		dir = s.Value("OLDPWD")
		defer func() {
			if s.Status == 0 {
				fmt.Fprintln(s.Stdout(), s.dir)
			}
		}()
	}
	target := dir
	if !filepath.IsAbs(target) {
		target = filepath.Join(s.dir, target)
	}
	st, err := os.Stat(target)
	if err != nil || !st.IsDir() {
		s.errorf("cd: can't cd to %s", dir)
		s.Status = 2
		return
	}
	s.Set("OLDPWD", s.dir)
	s.dir = filepath.Clean(target)
	s.Set("PWD", s.dir)
	s.Status = 0
}

// Pwd is `pwd`.
func (s *State) Pwd(...string) {
	fmt.Fprintln(s.Stdout(), s.dir)
	s.Status = 0
}

// Capture runs body as a command substitution `$(...)`: in a subshell,
// with its standard output captured; trailing newlines are removed, and
// $? becomes the body's status.
func (s *State) Capture(body Func) string {
	var out bytes.Buffer
	sub := s.fork()
	sub.fds[1] = &stream{w: &out}
	if s.bash {
		// bash (without shopt inherit_errexit) runs a command
		// substitution with set -e off; dash keeps it.
		sub.errexit = false
	}
	// The substitution reads until its background jobs are done too.
	sub.bg = &sync.WaitGroup{}
	s.Status = sub.runProcess(body)
	sub.bg.Wait()
	return strings.TrimRight(out.String(), "\n")
}

// PipeText is `$(a | b ...)`: the pipeline run as a command
// substitution (Capture), its output without the trailing newlines.
func (s *State) PipeText(stages ...Func) string {
	return s.Capture(func(s *State) { s.Pipe(stages...) })
}

// Pipe runs a pipeline: each stage in a subshell, all at once, each one's
// standard output connected to the next one's standard input. $? is the
// last stage's status.
func (s *State) Pipe(stages ...Func) {
	if len(stages) == 1 {
		s.Subshell(stages[0])
		return
	}
	subs := make([]*State, len(stages))
	var closers []io.Closer
	for i := range stages {
		subs[i] = s.fork()
		// A stage's background jobs keep its end of the pipe open:
		// the stage waits for them before closing it.
		subs[i].bg = &sync.WaitGroup{}
	}
	for i := 0; i+1 < len(stages); i++ {
		r, w, err := os.Pipe()
		if err != nil {
			s.errorf("Pipe call failed")
			s.Status = 2
			return
		}
		subs[i].fds[1] = &stream{w: w}
		subs[i+1].fds[0] = &stream{r: r}
		closers = append(closers, w, r)
	}
	type ended struct{ stage, status int }
	done := make(chan ended, len(stages))
	for i, stage := range stages {
		go func(i int, stage Func) {
			status := subs[i].runProcess(stage)
			subs[i].bg.Wait()
			// Close this stage's ends so the next stage sees end of
			// input and the previous one a broken pipe.
			if i+1 < len(stages) {
				closers[2*i].Close()
			}
			if i > 0 {
				closers[2*(i-1)+1].Close()
			}
			done <- ended{i, status}
		}(i, stage)
	}
	status := 0
	statuses := make([]int, len(stages))
	for range stages {
		st := <-done
		statuses[st.stage] = st.status
		if st.stage == len(stages)-1 {
			status = st.status
		}
	}
	if s.pipefail {
		// The last stage that failed, else 0.
		for _, st := range statuses {
			if st != 0 {
				status = st
			}
		}
	}
	s.Status = status
}

// quoteWords quotes words for the shell.
func quoteWords(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = singleQuote(w)
	}
	return strings.Join(q, " ")
}

// invalidateSession is for the moment before something outside the
// in-process git calls runs: see Config.Session.
func (s *State) invalidateSession() {
	if s.session != nil {
		s.session.Invalidate()
	}
}
