package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progressEnv sets how often a long run (kiln parity, kiln bench) prints
// a progress line when stderr is not a terminal, as in a CI log: a Go
// duration ("10s", "1m"); 0 prints a line at every step. On a terminal
// one line is rewritten in place at every step instead.
const progressEnv = "KILN_PROGRESS_EVERY"

// defaultProgressEvery is how often progress lines go to a log.
const defaultProgressEvery = 30 * time.Second

// progress prints the progress of a long run on stderr.
type progress struct {
	w     io.Writer
	tty   bool
	every time.Duration

	mu    sync.Mutex
	last  time.Time // when the last line (or the run) started
	shown bool      // a terminal line is on screen
}

// newProgress makes the progress printer for w, reading progressEnv.
func newProgress(w io.Writer) (*progress, error) {
	p := &progress{w: w, tty: isTerminal(w), every: defaultProgressEvery, last: time.Now()}
	if v, ok := os.LookupEnv(progressEnv); ok && v != "" {
		d, err := time.ParseDuration(v)
		if v == "0" {
			d, err = 0, nil
		}
		if err != nil || d < 0 {
			return nil, usageErrorf("%s=%q: want a duration such as 30s, or 0 for every step", progressEnv, v)
		}
		p.every = d
	}
	return p, nil
}

// step reports one step: on a terminal the line replaces the previous
// one; in a log it is printed when the interval has passed since the last
// line printed (or since the run started).
func (p *progress) step(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.shown = true
		return
	}
	if now := time.Now(); now.Sub(p.last) >= p.every {
		fmt.Fprintf(p.w, "%s\n", line)
		p.last = now
	}
}

// done clears the terminal line, if one is shown.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// isTerminal reports whether w is a terminal, for the progress line.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
