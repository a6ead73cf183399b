package subtree

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitcmd"
)

// Main runs git-subtree with the arguments after its name, in the
// process's directory and environment as git runs its commands, and
// returns the exit status. argv0 is the name the script would see as $0.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := &subtree{argv0: os.Args[0], environ: os.Environ(), in: stdin, out: stdout, err: stderr,
		session: gitapi.NewSession()}
	// The split commits go to one pack, not a loose file each
	// (gitapi.Session.PackObjects): stored before a ref names them,
	// before git runs through the fallback, and at the end.
	s.session.PackObjects()
	status := exitStatus(s.run(args))
	if err := s.session.FlushObjects(); err != nil {
		fmt.Fprintf(stderr, "fatal: %v\n", err)
		return 128
	}
	return status
}

// subtree is one run: the script's global variables.
type subtree struct {
	argv0   string
	environ []string
	in      io.Reader
	out     io.Writer
	err     io.Writer
	repo    *gitapi.Repo
	session *gitapi.Session // the run's gitapi session (objects kept in memory)
	top     string          // the work tree's top, where the script runs
	opts    options
	dir     string // the prefix as the script's $dir
	indent  int    // the script's dynamically scoped $indent
	cache   *splitCache
	trees   map[string]gitapi.Hash // toptree_for_commit's answers so far
	// the split loop's counters (git-subtree:959-962)
	revcount, revmax, createcount, extracount int
}

// exitError ends the run with a status, its messages printed already.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// stop is the script's exit N.
func stop(code int) error { return &exitError{code: code} }

// exitStatus is the status for what ended the run.
func exitStatus(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	}
	return 128
}

// die is git-sh-setup's die: the message on stderr, exit 1.
func (s *subtree) die(msg string) error {
	io.WriteString(s.err, msg+"\n")
	return stop(1)
}

// say is git-subtree:54-59, to w (the script's `say >&2` goes to stderr).
func (s *subtree) say(w io.Writer, msg string) {
	if !s.opts.quiet {
		io.WriteString(w, msg+"\n")
	}
}

// debug is git-subtree:62-67 at the current indentation.
func (s *subtree) debug(msg string) {
	if s.opts.debug {
		io.WriteString(s.err, strings.Repeat(" ", s.indent*2)+msg+"\n")
	}
}

// progress is git-subtree:70-95.
func (s *subtree) progress(msg string) {
	switch {
	case s.opts.quiet:
	case !s.opts.debug:
		io.WriteString(s.err, msg+"\r")
	default:
		io.WriteString(s.err, "progress: "+msg+"\n")
	}
}

func (s *subtree) gitOptions() gitapi.Options {
	return gitapi.Options{Env: s.environ, Dir: s.top, Session: s.session}
}

// git runs one git command of the script: in-process where gitapi has a
// face for it, else through gitapi's counted fallback.
func (s *subtree) git(stdin io.Reader, stdout, stderr io.Writer, args ...string) int {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	stdio := gitcmd.Stdio{In: stdin, Out: stdout, Err: stderr}
	if gitcmd.Serves(args) {
		return gitcmd.Run(args, s.gitOptions(), stdio)
	}
	return gitapi.Fallback(context.Background(), args, s.gitOptions(), stdio)
}

// gitOutput is $(git ARGS): stdout without its trailing newlines, stderr
// passed on, and the status.
func (s *subtree) gitOutput(args ...string) (string, int) {
	var out bytes.Buffer
	code := s.git(nil, &out, s.err, args...)
	return strings.TrimRight(out.String(), "\n"), code
}

// gitQuiet runs git with its output thrown away (>/dev/null 2>&1).
func (s *subtree) gitQuiet(args ...string) int {
	return s.git(nil, io.Discard, io.Discard, args...)
}

func (s *subtree) run(args []string) error {
	// Run as `kiln builtin subtree`, kiln is the installation: only a
	// git-subtree on the exec path checks how git started it.
	if strings.HasPrefix(filepath.Base(s.argv0), "git-") {
		if err := s.checkInstallation(); err != nil {
			return err
		}
	}
	// git-subtree:114-119: no arguments is -h; rev-parse --parseopt.
	if len(args) == 0 {
		args = []string{"-h"}
	}
	found, rest, err := spec.Parse(args, parseoptFlags)
	if err != nil {
		return stop(spec.Report(err, s.out, s.err))
	}
	if err := s.setup(); err != nil {
		return err
	}
	opts, fatal := firstPass(found, rest)
	if fatal != "" {
		return s.die(fatal)
	}
	if fatal := opts.secondPass(found); fatal != "" {
		return s.die(fatal)
	}
	s.opts = opts
	return s.dispatch()
}

// checkInstallation is git-subtree:8-26: the script refuses to run
// unless git's exec path is set and first in PATH, as `git subtree` sets
// them.
func (s *subtree) checkInstallation() error {
	env := gitapi.NewEnv(s.environ)
	execPath := env.Get("GIT_EXEC_PATH")
	path := env.Get("PATH")
	ok := execPath != ""
	if ok {
		info, err := os.Stat(execPath + "/git-sh-setup")
		ok = err == nil && info.Mode().IsRegular()
	}
	if ok && !strings.HasPrefix(path, execPath+":") {
		first, _, _ := strings.Cut(path, ":")
		ok = sameFile(execPath, first)
	}
	if ok {
		return nil
	}
	base := s.argv0
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	execDir, _ := s.gitOutput("--exec-path")
	fmt.Fprintf(s.err, "It looks like either your git installation or your\n"+
		"git-subtree installation is broken.\n\nTips:\n"+
		" - If `git --exec-path` does not print the correct path to\n"+
		"   your git install directory, then set the GIT_EXEC_PATH\n"+
		"   environment variable to the correct directory.\n"+
		" - Make sure that your `%s` file is either in your\n"+
		"   PATH or in your git exec path (`%s`).\n"+
		" - You should run git-subtree as `git %s`,\n"+
		"   not as `%s`.\n", base, execDir, strings.TrimPrefix(base, "git-"), base)
	return stop(126)
}

// sameFile is test A -ef B.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false
	}
	sa, ok1 := ia.Sys().(*syscall.Stat_t)
	sb, ok2 := ib.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && sa.Dev == sb.Dev && sa.Ino == sb.Ino
}

// setup is git-sh-setup's git_dir_init (git-sh-setup:325-340) and the
// script's require_work_tree (git-subtree:121).
func (s *subtree) setup() error {
	r, err := gitapi.Open(gitapi.Options{Env: s.environ, Session: s.session})
	if err != nil {
		fmt.Fprintf(s.err, "fatal: %v\n", err)
		return stop(128)
	}
	if _, err := r.Config(); err != nil {
		fmt.Fprintf(s.err, "fatal: %v\n", err)
		return stop(128)
	}
	if r.IsInsideWorkTree() && r.Prefix() != "" {
		io.WriteString(s.err, "You need to run this command from the toplevel of the working tree.\n")
		return stop(1)
	}
	if !r.IsInsideWorkTree() {
		return s.die("fatal: " + s.argv0 + " cannot be used without a working tree.")
	}
	s.repo, s.top = r, r.WorkTree()
	return nil
}

// dispatch is git-subtree:253-277: the prefix checks, then the command.
func (s *subtree) dispatch() error {
	o := &s.opts
	if o.prefix == "" {
		return s.die("fatal: you must provide the --prefix option.")
	}
	_, statErr := os.Stat(s.topPath(o.prefix))
	exists := statErr == nil
	if o.command == "add" {
		if exists {
			return s.die("fatal: prefix '" + o.prefix + "' already exists.")
		}
	} else if !exists {
		return s.die("fatal: '" + o.prefix + "' does not exist; use 'git subtree add'")
	}
	s.dir = dirname(o.prefix + "/.")
	s.debug("command: {" + o.command + "}")
	s.debug("quiet: {" + flag(o.quiet) + "}")
	s.debug("dir: {" + s.dir + "}")
	s.debug("opts: {" + strings.Join(o.args, " ") + "}")
	s.debug("")
	switch o.command {
	case "add":
		return s.cmdAdd(o.args)
	case "merge":
		return s.cmdMerge(o.args)
	case "pull":
		return s.cmdPull(o.args)
	case "push":
		return s.cmdPush(o.args)
	}
	latest, err := s.cmdSplit(o.args)
	if err != nil {
		return err
	}
	io.WriteString(s.out, latest+"\n")
	return nil
}

// flag is a shell flag variable's value: "1" or "".
func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// topPath is a path as the script, running at the top of the work tree,
// names it.
func (s *subtree) topPath(p string) string {
	if strings.HasPrefix(p, "/") {
		return p
	}
	return s.top + "/" + p
}

// dirname is POSIX dirname(1).
func dirname(p string) string {
	if p == "" {
		return "."
	}
	trimmed := strings.TrimRight(p, "/")
	if trimmed == "" {
		return "/"
	}
	i := strings.LastIndexByte(trimmed, '/')
	if i < 0 {
		return "."
	}
	head := strings.TrimRight(trimmed[:i], "/")
	if head == "" {
		return "/"
	}
	return head
}

// statPath is test -e.
func statPath(p string) (os.FileInfo, error) { return os.Stat(p) }
