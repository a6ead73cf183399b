package tools

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"
)

// mv and cp of one source to a target (a file, or a directory to move or
// copy into), with -f. A move across file systems, and cp of anything
// but a regular file, go to the real programs.
func init() {
	register("mv", parseMv)
	register("cp", parseCp)
}

func parseMv(args []string, _ bool) (runFunc, bool) {
	opts, ops, ok := parseOpts(args, optSpec{flags: "f", long: map[string]byte{"--force": 'f'}})
	if !ok || len(ops) != 2 || !safeOperands(ops) {
		return nil, false
	}
	force := has(opts, 'f')
	return func(c *call) int {
		if !force && c.stdinIsTerminal() {
			return c.spawnReal(nil) // mv may ask before replacing
		}
		return c.move(ops[0], ops[1])
	}, true
}

// destination is where src goes: into target when it is a directory.
func (c *call) destination(src, target string) string {
	if isDir(c.path(target)) {
		return strings.TrimRight(target, "/") + "/" + path.Base(strings.TrimRight(src, "/"))
	}
	return target
}

func (c *call) move(src, target string) int {
	si, err := os.Lstat(c.path(src))
	if err != nil {
		c.errorf("cannot stat %s: %s", c.quote(src), strerror(err))
		return 1
	}
	dst := c.destination(src, target)
	if di, err := os.Lstat(c.path(dst)); err == nil {
		switch {
		case os.SameFile(si, di):
			c.errorf("%s and %s are the same file", c.quote(src), c.quote(dst))
			return 1
		case si.IsDir() && !di.IsDir():
			c.errorf("cannot overwrite non-directory %s with directory %s", c.quote(dst), c.quote(src))
			return 1
		case !si.IsDir() && di.IsDir():
			c.errorf("cannot overwrite directory %s with non-directory", c.quote(dst))
			return 1
		}
	}
	err = os.Rename(c.path(src), c.path(dst))
	switch {
	case err == nil:
		return 0
	case errors.Is(err, syscall.EXDEV):
		return c.spawnReal(nil)
	case errors.Is(err, syscall.EINVAL) && si.IsDir():
		c.errorf("cannot move %s to a subdirectory of itself, %s", c.quote(src), c.quote(dst))
		return 1
	}
	c.errorf("cannot move %s to %s: %s", c.quote(src), c.quote(dst), strerror(err))
	return 1
}

func parseCp(args []string, _ bool) (runFunc, bool) {
	opts, ops, ok := parseOpts(args, optSpec{flags: "f", long: map[string]byte{"--force": 'f'}})
	if !ok || len(ops) != 2 || !safeOperands(ops) {
		return nil, false
	}
	force := has(opts, 'f')
	return func(c *call) int { return c.copy(ops[0], ops[1], force) }, true
}

func (c *call) copy(src, target string, force bool) int {
	si, err := os.Stat(c.path(src))
	if err != nil {
		c.errorf("cannot stat %s: %s", c.quote(src), strerror(err))
		return 1
	}
	if si.IsDir() {
		c.errorf("-r not specified; omitting directory %s", c.quote(src))
		return 1
	}
	dst := c.destination(src, target)
	li, lerr := os.Lstat(c.path(dst))
	di, derr := os.Stat(c.path(dst))
	switch {
	case !si.Mode().IsRegular(), lerr == nil && li.Mode()&fs.ModeSymlink != 0:
		return c.spawnReal(nil)
	case derr == nil && os.SameFile(si, di):
		c.errorf("%s and %s are the same file", c.quote(src), c.quote(dst))
		return 1
	case derr == nil && di.IsDir():
		c.errorf("cannot overwrite directory %s with non-directory", c.quote(dst))
		return 1
	}
	return c.copyContent(src, dst, si.Mode().Perm(), force)
}

// copyContent copies src's bytes to dst; with force a destination that
// cannot be opened is removed and created anew, as cp -f does.
func (c *call) copyContent(src, dst string, perm fs.FileMode, force bool) int {
	in, err := os.Open(c.path(src))
	if err != nil {
		c.errorf("cannot open %s for reading: %s", c.quote(src), strerror(err))
		return 1
	}
	defer in.Close()
	out, err := os.OpenFile(c.path(dst), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil && force && !errors.Is(err, fs.ErrNotExist) {
		if syscall.Unlink(c.path(dst)) == nil {
			out, err = os.OpenFile(c.path(dst), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
		}
	}
	if err != nil {
		c.errorf("cannot create regular file %s: %s", c.quote(dst), strerror(err))
		return 1
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		c.errorf("error writing %s: %s", c.quote(dst), strerror(err))
		return 1
	}
	if err := out.Close(); err != nil {
		c.errorf("error writing %s: %s", c.quote(dst), strerror(err))
		return 1
	}
	return 0
}
