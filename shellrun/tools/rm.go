package tools

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"syscall"
	"unsafe"
)

// rm: coreutils rm with -f and -r/-R. A terminal on standard input (where
// rm may ask before removing write-protected files) goes to the real rm.
func init() { register("rm", parseRm) }

func parseRm(args []string, _ bool) (runFunc, bool) {
	opts, ops, ok := parseOpts(args, optSpec{flags: "frR", long: map[string]byte{
		"--force": 'f', "--recursive": 'r'}})
	if !ok || !safeOperands(ops) || len(ops) == 0 && !has(opts, 'f') {
		return nil, false
	}
	for _, op := range ops {
		if b := path.Base(op); b == "." || b == ".." || b == "/" {
			return nil, false
		}
	}
	force := has(opts, 'f')
	recursive := has(opts, 'r') || has(opts, 'R')
	return func(c *call) int {
		if !force && c.stdinIsTerminal() {
			return c.spawnReal(nil) // rm may ask about write-protected files
		}
		status := 0
		for _, op := range ops {
			if !c.remove(op, force, recursive) {
				status = 1
			}
		}
		return status
	}, true
}

// stdinIsTerminal is isatty(0): whether standard input is a terminal.
func (c *call) stdinIsTerminal() bool {
	f, ok := c.stdin.(*os.File)
	if !ok {
		return false
	}
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}

func (c *call) remove(name string, force, recursive bool) bool {
	info, err := os.Lstat(c.path(name))
	if err != nil {
		// rm -f is silent about an operand that does not exist, also
		// when a file stands where a directory of its path should
		// (ENOTDIR), as GNU rm is.
		if force && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) {
			return true
		}
		c.errorf("cannot remove %s: %s", c.quote(name), strerror(err))
		return false
	}
	if !info.IsDir() {
		return c.unlink(name)
	}
	if !recursive {
		c.errorf("cannot remove %s: %s", c.quote(name), strerror(syscall.EISDIR))
		return false
	}
	return c.removeTree(name)
}

func (c *call) unlink(name string) bool {
	if err := syscall.Unlink(c.path(name)); err != nil {
		c.errorf("cannot remove %s: %s", c.quote(name), strerror(err))
		return false
	}
	return true
}

// removeTree removes a directory's entries, then the directory.
func (c *call) removeTree(dir string) bool {
	entries, err := os.ReadDir(c.path(dir))
	if err != nil {
		c.errorf("cannot remove %s: %s", c.quote(dir), strerror(err))
		return false
	}
	ok := true
	for _, e := range entries {
		child := path.Join(dir, e.Name())
		if e.IsDir() {
			ok = c.removeTree(child) && ok
		} else {
			ok = c.unlink(child) && ok
		}
	}
	if !ok {
		return false
	}
	if err := syscall.Rmdir(c.path(dir)); err != nil {
		c.errorf("cannot remove %s: %s", c.quote(dir), strerror(err))
		return false
	}
	return true
}
