package quiltimport

import "github.com/kiln-dev/kiln/gitapi"

// writeHeldOnSignal is, for the index and HEAD the run holds in memory
// (see flush), what git's lock cleanup is for a git killed in the middle
// of a command: when a deadly signal comes, the patch being committed is
// finished and what the imported patches left is written (index, HEAD
// and its reflogs, as the script's git commands had written them, with
// no lock file left behind) before the process ends by the signal
// (gitapi.OnDeadlySignal). The returned function stops watching.
func (q *importer) writeHeldOnSignal() (stop func()) {
	return gitapi.OnDeadlySignal(func() {
		// Never unlocked: no step starts after this one.
		q.step.Lock()
		q.flushHeld()
	})
}
