package gitcmd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitmsg"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// Stdio is the set of streams an argv-face command runs with (gitapi's,
// which gitapi.Fallback takes too).
type Stdio = gitapi.Stdio

// Exit statuses git uses.
const (
	exitOK    = 0
	exitFatal = 128 // die()
	exitUsage = 129 // usage errors
)

// command is the state of one argv-face run.
type command struct {
	opts gitapi.Options
	env  gitapi.Env
	in   io.Reader
	out  *bufio.Writer
	err  io.Writer
	repo *gitapi.Repo
	// loudErr is stderr while err is muted (git apply -q).
	loudErr io.Writer
}

// Run runs `git <args>` in-process and returns git's exit status; stdout,
// stderr and status match the installed git's for what is implemented.
// Leading global options -C <dir> and -c <key>=<value> are accepted.
func Run(args []string, opts gitapi.Options, stdio Stdio) int {
	env := gitapi.NewEnv(opts.Env)
	for len(args) >= 2 && (args[0] == "-C" || args[0] == "-c") {
		if args[0] == "-C" {
			opts.Dir = gitapi.AbsFrom(gitapi.WorkingDir(opts.Dir), args[1])
		} else {
			env["GIT_CONFIG_PARAMETERS"] = strings.TrimLeft(env.Get("GIT_CONFIG_PARAMETERS")+" "+configParamQuote(args[1]), " ")
		}
		args = args[2:]
	}
	opts.Env = env.Pairs()
	if len(args) == 0 {
		fmt.Fprintln(stdio.Err, "usage: git [-C <path>] [-c <name>=<value>] <command> [<args>]")
		return 1
	}
	face, ok := faces[args[0]]
	if !ok {
		fmt.Fprintf(stdio.Err, "fatal: '%s' is not implemented in-process by gitapi\n", args[0])
		return exitFatal
	}
	if opts.Session != nil && readsIndexFile[args[0]] {
		// These read and write the index file themselves: what memory
		// is ahead with goes to the file before, and what memory read
		// meanwhile is dropped after.
		opts.Session.ReleaseIndexes()
		defer opts.Session.ReleaseIndexes()
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
	if r, err := gitapi.Open(opts); err == nil && !beforeSetup(args) {
		if _, err := r.Config(); err != nil {
			status := c.fatalErr(err)
			c.out.Flush()
			return status
		}
		c.repo = r
		if readsObjects[args[0]] && r.ReplaceRefsActive() {
			status := c.fallback(args[0], args[1:])
			c.out.Flush()
			return status
		}
		if readsWorkTree[args[0]] && r.WorkTree() != "" {
			if may, err := r.MayConvertAny(); err != nil || may {
				status := c.fallback(args[0], args[1:])
				c.out.Flush()
				return status
			}
		}
	}
	status := face.run(c, args[1:])
	c.out.Flush()
	return status
}

// beforeSetup reports the calls git answers without setting up a
// repository (and so without reading its configuration).
func beforeSetup(args []string) bool {
	return len(args) > 1 && args[0] == "rev-parse" && (args[1] == "--parseopt" || args[1] == "--sq-quote")
}

// configParamQuote turns a -c argument into a GIT_CONFIG_PARAMETERS
// entry, as git does.
func configParamQuote(kv string) string {
	k, v, ok := strings.Cut(kv, "=")
	if !ok {
		return gitapi.ShellQuote(k)
	}
	return gitapi.ShellQuote(k) + "=" + gitapi.ShellQuote(v)
}

// openRepo opens the repository for the command, once.
func (c *command) openRepo() (*gitapi.Repo, error) {
	if c.repo != nil {
		return c.repo, nil
	}
	r, err := gitapi.Open(c.opts)
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
	var pe *gitapi.PrefixedError
	if errors.As(err, &pe) {
		c.errorf("%s", pe.ErrorLine)
	}
	var ie *gitapi.IdentError
	if errors.As(err, &ie) {
		io.WriteString(c.err, ie.Advice)
	}
	return c.fatal("%s", gitmsg.Text(err))
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
func (c *command) usage(spec *parseopt.Spec, err error) int {
	return c.parseFailed(spec, err, func(usage string) string { return usage })
}

// parseFailed reports a parse error of spec's options: help asked for
// goes to stdout (through wrap), an option error to stderr as "error: "
// with the usage when the error shows it; status 129.
func (c *command) parseFailed(spec *parseopt.Spec, err error, wrap func(usage string) string) int {
	var help *parseopt.HelpRequest
	var pe *parseopt.Error
	if !errors.As(err, &help) && !errors.As(err, &pe) {
		return c.fatalErr(err)
	}
	var usage strings.Builder
	status := spec.Report(err, &usage, c.err)
	if usage.Len() > 0 {
		c.out.WriteString(wrap(usage.String()))
	}
	return status
}

// usageOnly prints the usage to stderr and returns 129 (usage_with_options).
func (c *command) usageOnly(spec *parseopt.Spec) int {
	io.WriteString(c.err, spec.UsageText(false))
	return exitUsage
}

// stop is how a face's helper ends the command where git would stop,
// its message printed already: an ExitError with git's status (0 for a
// command that ends early with success).
func stop(status int) error { return &gitapi.ExitError{Code: status} }

// exitStatus is the status a face ends with for an error from its
// helpers: an ExitError's code (printing its Err as fatal if it has
// one), else git's fatal message and 128.
func (c *command) exitStatus(err error) int {
	var ee *gitapi.ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			return c.fatalErr(ee.Err)
		}
		return ee.Code
	}
	return c.fatalErr(err)
}
