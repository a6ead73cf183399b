package parity

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// What parity/suite (kiln parity --suite) shares with the fixture runner:
// the sandboxed environment, the exec-path overlay of a side, and running
// a command in a process group that dies with its timeout or with ctx.

// SandboxEnv makes root a private home for one command (root/home with a
// .gitconfig of nothing but a fixed identity, root/home/.config,
// root/tmp) and returns the deterministic environment fixtures run with:
// PATH as given, HOME, XDG_CONFIG_HOME and TMPDIR under root, fixed author
// and committer identities and dates, no system config, C locale, UTC.
func SandboxEnv(root, path string) ([]string, error) {
	for _, dir := range []string{"home/.config", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(root, "home", ".gitconfig"), []byte(globalConfig), 0o644); err != nil {
		return nil, err
	}
	return baseEnv(root, path), nil
}

// WithEnv returns env with the NAME=VALUE assignments added, later ones
// replacing earlier ones of the same name.
func WithEnv(env []string, assignments ...string) []string {
	return withEnv(env, assignments...)
}

// WriteOverlay fills dir with the installed git's exec path (execPath) as
// symbolic links, with git-<name> replaced by the side, exactly as a run:
// fixture's overlay: GIT_EXEC_PATH=dir then runs the side wherever git
// would have run its own git-<name>. The zero Side replaces nothing.
func (s Side) WriteOverlay(dir, execPath, name string) error {
	if s.ExecPath != "" {
		execPath = s.ExecPath
	}
	return s.buildOverlay(dir, execPath, name)
}

// RunInGroup starts cmd (its Path, Args, Dir, Env and streams set by the
// caller) in a process group of its own and waits for it. When timeout
// passes or ctx is cancelled the whole group is killed, so nothing the
// command started outlives it; the group is killed after a normal exit
// too. It returns the exit code (128+N when killed by signal N) and
// whether the timeout killed it; when ctx is cancelled it returns ctx's
// error.
func RunInGroup(ctx context.Context, cmd *exec.Cmd, timeout time.Duration) (exitCode int, timedOut bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	if err := cmd.Start(); err != nil {
		return 0, false, err
	}
	out, err := waitGroup(ctx, cmd)
	if err != nil {
		return 0, false, err
	}
	return out.exitCode, out.timedOut, nil
}
