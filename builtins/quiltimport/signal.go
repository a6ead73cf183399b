package quiltimport

import (
	"os"
	"os/signal"
	"syscall"
	"unsafe"
)

// deadlySignals are the signals that end the script with its git
// commands (git's own lock files are removed on them, see git's
// sigchain and lockfile cleanup).
var deadlySignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE}

// writeHeldOnSignal is, for the index and HEAD the run holds in memory
// (see flush), what git's lock cleanup is for a git killed in the middle
// of a command: when a deadly signal comes, the patch being committed is
// finished, what the imported patches left is written (index, HEAD and
// its reflogs, as the script's git commands had written them, with no
// lock file left behind) and the signal is raised again with its default
// action, so that the process ends as the script would have. SIGPIPE is
// among them: a write to a closed stdout (`git quiltimport | head -1`)
// then fails with EPIPE and the signal comes here, where it would have
// killed the process with the index and HEAD unwritten. The returned
// function stops watching.
func (q *importer) writeHeldOnSignal() (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, deadlySignals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			// Never unlocked: no step starts after this one.
			q.step.Lock()
			q.flushHeld()
			raiseDefault(sig.(syscall.Signal))
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// raiseDefault ends the process by sig with the signal's default action,
// as git's sigchain does after its cleanup (sigchain_pop, raise). Go's
// runtime keeps its own handler even after signal.Reset (and there
// ignores a SIGPIPE not raised by a write to stdout or stderr, and dumps
// goroutines for SIGQUIT), so the default action is set with
// rt_sigaction itself.
func raiseDefault(sig syscall.Signal) {
	signal.Reset(sig)
	var dfl [4]uintptr // struct sigaction, all zero: SIG_DFL, no flags, empty mask
	syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, 8, 0, 0)
	syscall.Kill(os.Getpid(), sig)
	select {}
}
