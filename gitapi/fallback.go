package gitapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
)

// Stdio is the set of streams a git command runs with.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// fallbacks counts the calls Fallback passed to the installed git.
var fallbacks atomic.Int64

// FallbackCount is how many git calls this process has passed to the
// installed git because gitapi does not serve them in-process yet. kiln
// scan and kiln bench report it; a finished builtin keeps it at zero.
func FallbackCount() int64 { return fallbacks.Load() }

// Fallback runs `git args` with the installed git, for a call gitapi does
// not serve yet, and counts it. It is the one place kiln spawns git: every
// call that reaches it is a gap in gitapi, not a design choice.
func Fallback(ctx context.Context, args []string, opts Options, stdio Stdio) int {
	fallbacks.Add(1)
	if opts.Session != nil {
		// The git spawned reads and writes the files: what the session
		// holds in memory goes to them first, and is read again after.
		opts.Session.Invalidate()
	}
	git, err := lookGit(opts.Env)
	if err != nil {
		fmt.Fprintf(stdio.Err, "fatal: %v\n", err)
		return 128
	}
	// The git spawned may write configuration files (git config, git
	// submodule, git remote): the configurations cached for the process,
	// session or not, are read again after it.
	defer dropCachedConfigs()
	cmd := exec.CommandContext(ctx, git, args...)
	cmd.Dir, cmd.Env = opts.Dir, opts.Env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdio.In, stdio.Out, stdio.Err
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		return exitErr.ExitCode()
	case errors.As(err, &exitErr):
		// Killed by a signal: the shell's status for it, 128+N, and
		// no message of kiln's (SIGPIPE, a reader that closed early as
		// in `git log | head -1`, ends git silently under the shell).
		ws, ok := exitErr.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() {
			break
		}
		return 128 + int(ws.Signal())
	}
	fmt.Fprintf(stdio.Err, "fatal: cannot run git: %v\n", err)
	return 128
}

// lookGit finds the first git on the PATH of env (the process's PATH
// when env has none). It does not check which program it finds: an
// exec-path overlay (kiln install-overlay) links plain "git" to the
// installed git and only git-NAME commands to kiln, so the first git on a
// script's PATH is the real one.
func lookGit(env []string) (string, error) {
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	if env == nil || path == "" {
		return exec.LookPath("git")
	}
	for _, dir := range filepath.SplitList(path) {
		p := filepath.Join(dir, "git")
		if lp, err := exec.LookPath(p); err == nil {
			return lp, nil
		}
	}
	return "", errors.New("git not found on PATH")
}

// dropCachedConfigs drops every configuration cached for the process, so
// that the next Repo.Config reads the files again.
func dropCachedConfigs() {
	cacheMu.Lock()
	states := make([]*sharedState, 0, len(cache))
	for _, st := range cache {
		states = append(states, st)
	}
	cacheMu.Unlock()
	// One lock at a time: Config holds a state's lock while it loads,
	// which may take cacheMu.
	for _, st := range states {
		st.mu.Lock()
		st.config = nil
		st.mu.Unlock()
	}
}
