package shellrun

import (
	"context"
	"errors"
	"io"
	"os"
	"reflect"
	"sync"
	"syscall"

	"mvdan.cc/sh/v3/interp"
)

// A builtin kiln serves for the interpreter (echo, printf, ...) that
// writes to a pipe nobody reads any more would die of SIGPIPE under the
// shell, and with it the subshell running it (a pipeline's stage):
// `while :; do echo y; done | head -n 1` ends. The interpreter goes on
// after a failed write, so the loop would never end. A failed write
// marks the descriptor broken; the next command of a shell writing to
// it is `exit 141`, the status SIGPIPE gives.

// brokenOutputs are the pipes a builtin found without a reader.
var brokenOutputs sync.Map // *os.File -> struct{}

// watchedWriter records a write that failed with EPIPE.
type watchedWriter struct {
	w      io.Writer
	broken bool
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err != nil && errors.Is(err, syscall.EPIPE) {
		w.broken = true
	}
	return n, err
}

// serveOutput runs a builtin writing to stdout; when its write found no
// reader, stdout is marked broken and the status is SIGPIPE's.
func serveOutput(stdout io.Writer, builtin func(w io.Writer) error) error {
	w := &watchedWriter{w: stdout}
	err := builtin(w)
	if w.broken {
		if f, ok := stdout.(*os.File); ok {
			brokenOutputs.Store(f, struct{}{})
		}
		return interp.ExitStatus(sigpipeStatus)
	}
	return err
}

// stopOnBrokenPipe ends a shell whose standard output a builtin found
// broken, as SIGPIPE would have: its next command is `exit 141`.
func stopOnBrokenPipe(next interp.CallHandlerFunc) interp.CallHandlerFunc {
	return func(ctx context.Context, args []string) ([]string, error) {
		if f, ok := interp.HandlerCtx(ctx).Stdout.(*os.File); ok {
			if _, broken := brokenOutputs.Load(f); broken {
				return []string{"exit", "141"}, nil
			}
		}
		return next(ctx, args)
	}
}

// lockedWriter serializes writes to a writer that is not a file: the
// background jobs of a script (and the copying goroutines of the
// programs they run) write to it at once.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// syncWriters returns stdout and stderr safe for concurrent writes: a
// file as it is (the kernel orders writes), another writer behind a
// lock, one lock for both when they are the same writer.
func syncWriters(stdout, stderr io.Writer) (io.Writer, io.Writer) {
	wrap := func(w io.Writer, mu *sync.Mutex) io.Writer {
		if _, ok := w.(*os.File); ok || w == nil {
			return w
		}
		return lockedWriter{mu: mu, w: w}
	}
	outMu, errMu := &sync.Mutex{}, &sync.Mutex{}
	if samePointer(stdout, stderr) {
		errMu = outMu
	}
	return wrap(stdout, outMu), wrap(stderr, errMu)
}

// samePointer reports two writers that are the same pointer.
func samePointer(a, b io.Writer) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.IsValid() && vb.IsValid() && va.Kind() == reflect.Pointer && vb.Kind() == reflect.Pointer &&
		va.Type() == vb.Type() && va.Pointer() == vb.Pointer()
}
