package quiltimport

import (
	"os"
	"os/signal"
	"syscall"
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
// action, so that the process ends as the script would have. The
// returned function stops watching.
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
			signal.Reset(sig)
			syscall.Kill(os.Getpid(), sig.(syscall.Signal))
			select {}
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
