package gitapi

import (
	"os"
	"os/signal"
	"syscall"
	"unsafe"
)

// DeadlySignals are the signals on which git removes its lock files
// before it dies (git's sigchain_push_common and lockfile cleanup).
var DeadlySignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE}

// OnDeadlySignal is git's sigchain for a builtin that holds state in
// memory (a held index or ref, see Session.HoldIndex and HoldRef): when
// one of DeadlySignals comes, cleanup runs (it writes what is held, so
// that no lock file stays behind) and the process then ends by that
// signal with its default action, as git's handler does after its
// cleanup (sigchain_pop, raise), so that the caller sees the status the
// script's git commands would have given. SIGPIPE is among them: a write
// to a closed stdout then fails with EPIPE and comes here, where it
// would have killed the process with what is held unwritten. The
// returned function stops watching.
func OnDeadlySignal(cleanup func()) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, DeadlySignals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cleanup()
			raiseDefault(sig.(syscall.Signal))
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// raiseDefault ends the process by sig with the signal's default action.
// Go's runtime keeps its own handler even after signal.Reset (and there
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
