package shellrun

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"sync/atomic"
	"syscall"
)

// sigpipeStatus is $? for a process SIGPIPE killed: 128+13.
const sigpipeStatus = 128 + int(syscall.SIGPIPE)

// brokenPipe is the panic value with which a builtin's write to a pipe
// nobody reads any more (`while :; do echo y; done | head -1`) ends the
// shell process running it, as SIGPIPE ends a dash subshell: silently,
// without its exit trap. runProcess recovers it at the boundary of the
// subshell (pipeline stage, ( ), $( ), &) and gives the subshell's status
// as 141; Main gives it as the script's.
type brokenPipe struct{}

// mayBreak reports whether a write to w can find no reader (EPIPE): w is
// a pipe or socket, or not a file at all. Other files (regular files,
// terminals, /dev/null) are left unwrapped, so that what looks at the
// file itself (test -t, cat's input-is-output check, a program's
// standard output) still sees it.
func mayBreak(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return true
	}
	info, err := f.Stat()
	return err != nil || info.Mode()&(fs.ModeNamedPipe|fs.ModeSocket) != 0
}

// forBuiltins is w as the shell's builtins write to it.
func forBuiltins(w io.Writer) io.Writer {
	if !mayBreak(w) {
		return w
	}
	return builtinWriter{w}
}

// builtinWriter is a descriptor as the shell's builtins see it: a write
// that finds no reader kills the shell process, as SIGPIPE does.
type builtinWriter struct{ w io.Writer }

func (b builtinWriter) Write(p []byte) (int, error) {
	n, err := b.w.Write(p)
	if err != nil && errors.Is(err, syscall.EPIPE) {
		panic(brokenPipe{})
	}
	return n, err
}

// runProcess runs body on s as a process of its own (a subshell) and
// returns its exit status, running its exit trap (also after an error
// that ends it: see shellExit); a builtin's write to a broken pipe ends
// it with status 141 instead, without the trap.
func (s *State) runProcess(body Func) (status int) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(brokenPipe); !ok {
				panic(r)
			}
			s.exiting = true
			s.closeFiles()
			s.Status = sigpipeStatus
			status = sigpipeStatus
		}
	}()
	s.guard(body)
	return s.finish()
}

// process stands for a command kiln runs in-process that would be a
// process of its own under the shell (git through gitapi, the text
// tools): once a write to its output finds no reader, it is dead, as
// SIGPIPE would leave it: every later write of it fails without output,
// and the shell sees status 141.
type process struct{ dead atomic.Bool }

// writer wraps one of the process's output descriptors (one that can
// break: see mayBreak).
func (p *process) writer(w io.Writer) io.Writer {
	if !mayBreak(w) {
		return w
	}
	return procWriter{p: p, w: w}
}

// status is the status the shell sees for a command that returned
// status: 141 when its output broke.
func (p *process) status(status int) int {
	if p.dead.Load() {
		return sigpipeStatus
	}
	return status
}

type procWriter struct {
	p *process
	w io.Writer
}

func (w procWriter) Write(b []byte) (int, error) {
	if w.p.dead.Load() {
		return 0, syscall.EPIPE
	}
	n, err := w.w.Write(b)
	if err != nil && errors.Is(err, syscall.EPIPE) {
		w.p.dead.Store(true)
	}
	return n, err
}
