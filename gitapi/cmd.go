package gitapi

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Stdio is the set of streams an argv-face command runs with.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Exit statuses git uses.
const (
	exitOK    = 0
	exitFatal = 128 // die()
	exitUsage = 129 // usage errors
)

// command is the state of one argv-face run.
type command struct {
	opts Options
	env  environ
	in   io.Reader
	out  *bufio.Writer
	err  io.Writer
	repo *Repo
	// loudErr is stderr while err is muted (git apply -q).
	loudErr io.Writer
}

// commandFunc runs one subcommand with its arguments (without the name)
// and returns the exit status.
type commandFunc func(c *command, args []string) int

// commands are the subcommands the argv face implements.
var commands = map[string]commandFunc{
	"rev-parse":    (*command).revParse,
	"config":       (*command).config,
	"var":          (*command).varCmd,
	"symbolic-ref": (*command).symbolicRef,
	"show-ref":     (*command).showRef,
	"update-ref":   (*command).updateRef,
}

// Commands lists the subcommands Run implements, sorted.
func Commands() []string {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Run runs `git <args>` in-process and returns git's exit status; stdout,
// stderr and status match the installed git's for what is implemented.
// Leading global options -C <dir> and -c <key>=<value> are accepted.
func Run(args []string, opts Options, stdio Stdio) int {
	env := newEnviron(opts.Env)
	for len(args) >= 2 && (args[0] == "-C" || args[0] == "-c") {
		if args[0] == "-C" {
			opts.Dir = absFrom(dirOrCwd(opts.Dir), args[1])
		} else {
			env["GIT_CONFIG_PARAMETERS"] = strings.TrimLeft(env.get("GIT_CONFIG_PARAMETERS")+" "+configParamQuote(args[1]), " ")
		}
		args = args[2:]
	}
	opts.Env = env.pairs()
	if len(args) == 0 {
		fmt.Fprintln(stdio.Err, "usage: git [-C <path>] [-c <name>=<value>] <command> [<args>]")
		return 1
	}
	run, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stdio.Err, "fatal: '%s' is not implemented in-process by gitapi\n", args[0])
		return exitFatal
	}
	in := stdio.In
	if in == nil {
		in = strings.NewReader("")
	}
	// stdout is block-buffered like git's stdio on a pipe (4 KiB), so
	// messages on stderr come before the output they follow, as with
	// git under 2>&1.
	c := &command{opts: opts, env: env, in: in, out: bufio.NewWriterSize(stdio.Out, 4096), err: stdio.Err}
	// Like git's setup, a command run in a repository reads its
	// configuration first and dies on a broken file, except rev-parse's
	// --parseopt and --sq-quote, which git answers before any setup.
	if r, err := Open(opts); err == nil && !beforeSetup(args) {
		if _, err := r.Config(); err != nil {
			status := c.fatalErr(err)
			c.out.Flush()
			return status
		}
		c.repo = r
		if readsObjects[args[0]] && r.replaceRefsActive() {
			status := c.fallback(args[0], args[1:])
			c.out.Flush()
			return status
		}
		if readsWorkTree[args[0]] && r.workTree != "" {
			if may, err := r.MayConvertAny(); err != nil || may {
				status := c.fallback(args[0], args[1:])
				c.out.Flush()
				return status
			}
		}
	}
	status := run(c, args[1:])
	c.out.Flush()
	return status
}

// beforeSetup reports the calls git answers without setting up a
// repository (and so without reading its configuration).
func beforeSetup(args []string) bool {
	return len(args) > 1 && args[0] == "rev-parse" && (args[1] == "--parseopt" || args[1] == "--sq-quote")
}

// dirOrCwd returns dir, or the process working directory for "".
func dirOrCwd(dir string) string {
	if dir != "" {
		return dir
	}
	wd, _ := os.Getwd()
	return wd
}

// configParamQuote turns a -c argument into a GIT_CONFIG_PARAMETERS
// entry, as git does.
func configParamQuote(kv string) string {
	k, v, ok := strings.Cut(kv, "=")
	if !ok {
		return ShellQuote(k)
	}
	return ShellQuote(k) + "=" + ShellQuote(v)
}

// pairs turns the environment back into "KEY=value" pairs.
func (e environ) pairs() []string {
	out := make([]string, 0, len(e))
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

// openRepo opens the repository for the command, once.
func (c *command) openRepo() (*Repo, error) {
	if c.repo != nil {
		return c.repo, nil
	}
	r, err := Open(c.opts)
	if err != nil {
		return nil, err
	}
	c.repo = r
	return r, nil
}

// fatal prints git's "fatal: " message and returns its status.
func (c *command) fatal(format string, args ...any) int {
	fmt.Fprintf(c.err, "fatal: "+format+"\n", args...)
	return exitFatal
}

// fatalErr reports err as fatal, after its "error: " line if it has one.
func (c *command) fatalErr(err error) int {
	var pe *prefixedError
	if errors.As(err, &pe) {
		c.errorf("%s", pe.errorLine)
	}
	var ie *IdentError
	if errors.As(err, &ie) {
		io.WriteString(c.err, ie.Advice)
	}
	return c.fatal("%s", err.Error())
}

// errorf prints git's "error: " message.
func (c *command) errorf(format string, args ...any) {
	fmt.Fprintf(c.err, "error: "+format+"\n", args...)
}

// warn prints a diagnostic line as is ("warning: ..." or "error: ...").
func (c *command) warn(line string) {
	fmt.Fprintln(c.err, line)
}

// println writes a line to stdout.
func (c *command) println(s string) { c.out.WriteString(s + "\n") }

// usage prints a parse-options usage for an option error (to stderr) and
// returns 129.
func (c *command) usage(spec *OptionSpec, err error) int {
	var help *HelpRequest
	if errors.As(err, &help) {
		if help.Message != "" {
			c.errorf("%s", help.Message)
		}
		c.out.WriteString(spec.UsageText(help.Full))
		return exitUsage
	}
	var pe *ParseOptError
	if errors.As(err, &pe) {
		c.errorf("%s", pe.Message)
		if pe.ShowUsage {
			io.WriteString(c.err, spec.UsageText(false))
		}
		return exitUsage
	}
	return c.fatalErr(err)
}

// usageOnly prints the usage to stderr and returns 129 (usage_with_options).
func (c *command) usageOnly(spec *OptionSpec) int {
	io.WriteString(c.err, spec.UsageText(false))
	return exitUsage
}
