package parity

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// command is one process the runner starts: setup or a side.
type command struct {
	argv    []string
	dir     string
	env     []string
	stdin   string // file to read stdin from; empty means /dev/null
	stdout  string // files that receive the output
	stderr  string
	timeout time.Duration
}

// outcome is how a command ended.
type outcome struct {
	exitCode int  // 128+N when killed by signal N
	timedOut bool // killed by the runner's timeout
}

// runCommand runs c in its own process group. On timeout or when ctx is
// cancelled (SIGINT) the whole group is killed, so grandchildren a script
// left behind die too; after a normal exit the group is killed as well, so
// no background process outlives its run. Output goes to files rather
// than pipes so that a leftover child holding them open cannot block the
// runner.
func runCommand(ctx context.Context, c command) (outcome, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	stdout, err := os.Create(c.stdout)
	if err != nil {
		return outcome{}, err
	}
	defer stdout.Close()
	stderr, err := os.Create(c.stderr)
	if err != nil {
		return outcome{}, err
	}
	defer stderr.Close()
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = c.dir, c.env, stdout, stderr
	if c.stdin != "" {
		stdin, err := os.Open(c.stdin)
		if err != nil {
			return outcome{}, err
		}
		defer stdin.Close()
		cmd.Stdin = stdin
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return outcome{}, fmt.Errorf("start %s: %w", c.argv[0], err)
	}
	return waitGroup(ctx, cmd)
}

// waitGroup waits for cmd, killing its process group when ctx ends first.
func waitGroup(ctx context.Context, cmd *exec.Cmd) (outcome, error) {
	pgid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	timedOut := false
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		err = <-done
		timedOut = errors.Is(ctx.Err(), context.DeadlineExceeded)
		if !timedOut {
			killGroup(pgid)
			return outcome{}, ctx.Err()
		}
	}
	killGroup(pgid)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return outcome{}, err
	}
	return outcome{exitCode: exitCode(cmd.ProcessState), timedOut: timedOut}, nil
}

func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// killGroup kills every process of the group and waits, up to a second,
// until none of them runs any more, so that nothing writes to the sandbox
// once the runner snapshots or removes it. Zombies do not count: they are
// dead, just not yet reaped by their new parent.
func killGroup(pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	for range 200 {
		if syscall.Kill(-pgid, 0) != nil || !groupRunning(pgid) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// groupRunning reports whether a live process of the group exists, from
// /proc (where there is no /proc it reports false: nothing to wait for).
func groupRunning(pgid int) bool {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// After "pid (comm) ": state, ppid, pgrp, ...
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) > 2 && fields[2] == strconv.Itoa(pgid) && fields[0] != "Z" && fields[0] != "X" {
			return true
		}
	}
	return false
}
