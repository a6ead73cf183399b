package shellrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/kiln-dev/kiln/gitapi/gitcmd"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/shellrun/dash"
	"github.com/kiln-dev/kiln/shellrun/tools"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// Options say where and how a script runs.
type Options struct {
	// ExecPath is git's exec path, put at the head of PATH.
	ExecPath string
	// Env is the environment as KEY=value pairs; nil means the process's.
	Env []string
	// Dir is the working directory; "" means the process's.
	Dir    string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Bash runs the script with bash's builtins and variables (echo,
	// printf, BASH_VERSION, ...) where they differ from dash's; its
	// shebang says bash.
	Bash bool
}

// Stats counts what a run cost. The counters are atomic: the stages of
// a pipeline run at once and count into one Stats.
type Stats struct {
	// InProcess and Fallback count git calls served by gitapi and passed
	// to the installed git; Tools counts other programs (sed, expr, ...)
	// run in-process by package tools; Spawned counts every other
	// program run.
	InProcess, Fallback, Tools, Spawned atomic.Int64
}

// Run runs the parsed script file with args as its positional
// parameters and returns its exit status. The error is non-nil only when
// the script could not be run at all; a script's failure is its status.
// Like git before it runs a script, Run reads the repository's
// configuration first, if there is one, and stops with git's message and
// status 128 when it is broken.
func Run(ctx context.Context, file *syntax.File, args []string, opts Options) (int, *Stats, error) {
	stats := &Stats{}
	environ := opts.Env
	if environ == nil {
		environ = os.Environ()
	}
	if err := rewriteDescriptors(file); err != nil {
		return 2, stats, err
	}
	var env expand.Environ = expand.ListEnviron(scriptEnv(environ, opts.ExecPath)...)
	var calls = scriptCalls(file.Name)
	if opts.Bash {
		if err := CheckBash(file); err != nil {
			return 2, stats, err
		}
		if err := rewriteBash(file, false); err != nil {
			return 2, stats, err
		}
		env = overlayEnviron{base: env, extra: bashVars()}
		calls = bashCalls
	}
	if r, err := gitapi.Open(gitapi.Options{Dir: opts.Dir, Env: environ}); err == nil {
		if _, err := r.Config(); err != nil {
			fmt.Fprintf(opts.Stderr, "fatal: %v\n", err)
			return 128, stats, nil
		}
	}
	fds := newDescriptors(file.Name)
	defer fds.closeAll()
	stdout, stderr := syncWriters(opts.Stdout, opts.Stderr)
	stderr, messages := wrapScriptMessages(stderr, file, opts.Bash)
	if messages != nil {
		calls = messages.calls(calls)
	}
	runner, err := interp.New(
		interp.Params(append([]string{"--"}, args...)...),
		interp.StdIO(opts.Stdin, stdout, stderr),
		interp.Env(env),
		interp.Dir(opts.Dir),
		interp.CallHandler(stopOnBrokenPipe(calls)),
		interp.ExecHandlers(handlers(stats, fds, file.Name)),
	)
	if err != nil {
		return 2, stats, err
	}
	err = runGuarded(ctx, runner, file)
	// Process substitutions and background jobs may still write to the
	// caller's stdout and stderr: bash's would hold the caller's pipes
	// open until they end, so Run returns only after them. A statement,
	// not a file, so the EXIT trap does not run twice.
	runner.Run(ctx, waitFile.Stmts[0])
	var status interp.ExitStatus
	if errors.As(err, &status) {
		if status == 1 && !opts.Bash && messages != nil && messages.seen.Load() {
			// An expansion's error: dash exits with 2 (the
			// interpreter, as bash, with 1).
			status = 2
		}
		return int(status), stats, nil
	}
	if err != nil {
		return 1, stats, err
	}
	return 0, stats, nil
}

// scriptEnv is the environment git gives its scripts: its exec path at
// the head of PATH.
func scriptEnv(environ []string, execPath string) []string {
	if execPath == "" {
		return environ
	}
	env := make([]string, 0, len(environ)+1)
	path := ""
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PATH="+execPath+string(os.PathListSeparator)+path)
}

// Internal command names: calls rewritten to reach the exec handler.
const (
	dashEchoCmd   = "kiln:dash-echo"
	dashPrintfCmd = "kiln:dash-printf"
	fdOpenCmd     = "kiln:fd-open"
	fdCloseCmd    = "kiln:fd-close"
	fdReadCmd     = "kiln:fd-read"
)

// dashCalls adapts a call to what dash, git's /bin/sh, would do.
func dashCalls(_ context.Context, args []string) ([]string, error) {
	switch args[0] {
	case "echo":
		return append([]string{dashEchoCmd}, args[1:]...), nil
	case "printf":
		return append([]string{dashPrintfCmd}, args[1:]...), nil
	case "trap":
		return dashTrap(args), nil
	case "exit", "return":
		// dash ignores arguments after the status; bash refuses them.
		if len(args) > 2 {
			return args[:2], nil
		}
	}
	return args, nil
}

// scriptCalls is dashCalls for a script run by Run, with dash's `.`: a
// file that cannot be found or opened ends the script with dash's message
// ("$0: LINE: .: NAME: not found") and status 2, where the interpreter
// would go on.
func scriptCalls(script string) interp.CallHandlerFunc {
	return func(ctx context.Context, args []string) ([]string, error) {
		if args[0] == "." && len(args) > 1 {
			hc := interp.HandlerCtx(ctx)
			path := ""
			if vr := hc.Env.Get("PATH"); vr.IsSet() {
				path = vr.String()
			}
			found, err := findDotFile(args[1], path, hc.Dir)
			if err != nil {
				fmt.Fprintf(hc.Stderr, "%s: %d: .: %v\n", script, hc.Pos.Line(), err)
				return []string{"exit", "2"}, nil
			}
			return append([]string{".", found}, args[2:]...), nil
		}
		return dashCalls(ctx, args)
	}
}

// dashTrap keeps what can fire in-process of a trap: the handler for exit
// (0 or EXIT). A trap only on signals becomes a no-op.
func dashTrap(args []string) []string {
	if len(args) < 3 {
		return args
	}
	var conds []string
	for _, c := range args[2:] {
		if c == "0" || c == "EXIT" {
			conds = append(conds, "EXIT")
		}
	}
	if len(conds) == 0 {
		return []string{":"}
	}
	return append([]string{"trap", args[1]}, conds...)
}

// handlers serves git in-process, the internal commands in Go, and counts
// every other program.
func handlers(stats *Stats, fds *descriptors, name string) func(interp.ExecHandlerFunc) interp.ExecHandlerFunc {
	jobs := newJobTable()
	return func(next interp.ExecHandlerFunc) interp.ExecHandlerFunc {
		return func(ctx context.Context, args []string) error {
			hc := interp.HandlerCtx(ctx)
			switch args[0] {
			case dashEchoCmd:
				return serveOutput(hc.Stdout, func(w io.Writer) error { DashEcho(w, args[1:]); return nil })
			case bashEchoCmd:
				return serveOutput(hc.Stdout, func(w io.Writer) error { BashEcho(w, args[1:]); return nil })
			case dashPrintfCmd:
				return serveOutput(hc.Stdout, func(w io.Writer) error {
					prefix := fmt.Sprintf("%s: %d: ", name, hc.Pos.Line())
					return exitStatus(dash.Printf(args[1:], dash.IO{Dir: hc.Dir, Stdin: hc.Stdin, Stdout: w, Stderr: hc.Stderr}, prefix))
				})
			case getoptsCmd:
				return exitStatus(serveGetopts(hc.Stdout, hc.Stderr, name, true, args[1:]))
			case lowerCmd:
				io.WriteString(hc.Stdout, serveLower(args[1:]))
				return nil
			case jobStartCmd, jobEndCmd, waitAnyCmd, jobReapCmd, promptCmd:
				status, _ := serveJobs(jobs, args, hc.Stdout, hc.Stderr, name)
				return exitStatus(status)
			case bashTestCmd:
				return exitStatus(bashTest(args[1], args[2:], dash.IO{Dir: hc.Dir, Stdin: hc.Stdin, Stdout: hc.Stdout, Stderr: hc.Stderr}, name+": "))
			case bashPrintfCmd:
				// The interpreter does not say which line runs: bash's
				// prefix without it.
				return serveOutput(hc.Stdout, func(w io.Writer) error {
					return exitStatus(bashPrintf(args[1:], dash.IO{Dir: hc.Dir, Stdin: hc.Stdin, Stdout: w, Stderr: hc.Stderr}, name+": "))
				})
			case fdOpenCmd:
				return fds.open(hc, args[1:])
			case fdCloseCmd:
				return fds.close(args[1:])
			case fdReadCmd:
				return fds.read(ctx, hc, args[1:])
			case "git":
				return exitStatus(runGit(ctx, hc, stats, args[1:]))
			}
			if status, ok := runTool(ctx, hc, stats, args); ok {
				return exitStatus(status)
			}
			stats.Spawned.Add(1)
			return next(ctx, args)
		}
	}
}

func runGit(ctx context.Context, hc interp.HandlerContext, stats *Stats, args []string) int {
	opts := gitapi.Options{Dir: hc.Dir, Env: exportedEnv(hc.Env)}
	stdio := gitcmd.Stdio{In: hc.Stdin, Out: hc.Stdout, Err: hc.Stderr}
	if gitcmd.Serves(args) {
		// A served form can still meet a repository state the face
		// hands to git (counted by gitapi): count it as a fallback.
		p := &process{}
		stdio.Out, stdio.Err = p.writer(hc.Stdout), p.writer(hc.Stderr)
		before := gitapi.FallbackCount()
		status := p.status(gitcmd.Run(args, opts, stdio))
		if gitapi.FallbackCount() > before {
			stats.Fallback.Add(1)
		} else {
			stats.InProcess.Add(1)
		}
		return status
	}
	stats.Fallback.Add(1)
	return gitapi.Fallback(ctx, args, opts, stdio)
}

// runTool runs a text or file program in-process when package tools
// implements the call; a tool that had to run the real program after all
// counts as spawned.
func runTool(ctx context.Context, hc interp.HandlerContext, stats *Stats, args []string) (int, bool) {
	spawned := false
	p := &process{}
	env := tools.Env{Dir: hc.Dir, Stdin: hc.Stdin, Stdout: p.writer(hc.Stdout), Stderr: p.writer(hc.Stderr),
		Environ: exportedEnv(hc.Env), OnSpawn: func() { spawned = true }}
	status, ok := tools.Run(ctx, args[0], args[1:], env)
	status = p.status(status)
	switch {
	case !ok:
		return 0, false
	case spawned:
		stats.Spawned.Add(1)
	default:
		stats.Tools.Add(1)
	}
	return status, true
}

func exitStatus(code int) error {
	if code == 0 {
		return nil
	}
	return interp.ExitStatus(uint8(code))
}

// exportedEnv is what a program started by the script sees: only exported
// variables.
func exportedEnv(env expand.Environ) []string {
	var out []string
	env.Each(func(name string, vr expand.Variable) bool {
		if vr.Exported && vr.IsSet() {
			out = append(out, name+"="+vr.String())
		}
		return true
	})
	return out
}

// InterpreterError is a failure inside the embedded interpreter (a bug
// of its own on a construct it mishandles), reported instead of a crash.
type InterpreterError struct {
	Value any
}

// Error says the interpreter failed, and with what.
func (e *InterpreterError) Error() string {
	return fmt.Sprintf("the shell interpreter failed: %v", e.Value)
}

// runGuarded runs a file on the interpreter; a panic in it becomes an
// InterpreterError.
func runGuarded(ctx context.Context, r *interp.Runner, file *syntax.File) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &InterpreterError{Value: v}
		}
	}()
	return r.Run(ctx, file)
}
