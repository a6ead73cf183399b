package gitapi

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOnDeadlySignal signals a process watching with OnDeadlySignal
// (this test binary, started again as the child below) and wants its
// cleanup run and the process ended by that very signal, as git's
// sigchain leaves it; after stop, a signal no longer runs the cleanup.
func TestOnDeadlySignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestOnDeadlySignalChild$")
			cmd.Env = append(os.Environ(), "KILN_SIGCHAIN_DIR="+dir)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForFile(t, filepath.Join(dir, "watching"))
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != sig {
				t.Fatalf("the child ended with %v, want killed by %v", err, sig)
			}
			if _, err := os.Stat(filepath.Join(dir, "cleaned")); err != nil {
				t.Errorf("the cleanup did not run: %v", err)
			}
		})
	}
}

// TestOnDeadlySignalChild is the child of TestOnDeadlySignal: it
// watches, says so, and waits to be signalled.
func TestOnDeadlySignalChild(t *testing.T) {
	dir := os.Getenv("KILN_SIGCHAIN_DIR")
	if dir == "" {
		return // run by go test itself: only TestOnDeadlySignal starts it
	}
	stop := OnDeadlySignal(func() {
		os.WriteFile(filepath.Join(dir, "cleaned"), nil, 0o666)
	})
	defer stop()
	os.WriteFile(filepath.Join(dir, "watching"), nil, 0o666)
	time.Sleep(time.Minute)
	t.Error("not signalled within a minute")
}

// TestOnDeadlySignalStopped: after stop, a SIGTERM (caught here by the
// test's own signal.Notify) no longer runs the cleanup.
func TestOnDeadlySignalStopped(t *testing.T) {
	own := make(chan os.Signal, 1)
	signal.Notify(own, syscall.SIGTERM)
	defer signal.Stop(own)
	ran := make(chan struct{}, 1)
	stop := OnDeadlySignal(func() { ran <- struct{}{} })
	stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-own
	select {
	case <-ran:
		t.Error("the cleanup ran after stop")
	case <-time.After(100 * time.Millisecond):
	}
}

func waitForFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never appeared", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
