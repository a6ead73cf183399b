package tools

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// mkdir (with -p) and rmdir (with -p): coreutils' messages and statuses.
func init() {
	register("mkdir", parseMkdir)
	register("rmdir", parseRmdir)
}

func parseMkdir(args []string, _ bool) (runFunc, bool) { return parseDirTool(args, (*call).mkdir) }

func parseRmdir(args []string, _ bool) (runFunc, bool) { return parseDirTool(args, (*call).rmdir) }

// parseDirTool parses mkdir's and rmdir's shared form, [-p] DIR..., and
// runs op on each directory; the status is 1 when any fails.
func parseDirTool(args []string, op func(c *call, dir string, parents bool) bool) (runFunc, bool) {
	opts, ops, ok := parseOpts(args, optSpec{flags: "p", long: map[string]byte{"--parents": 'p'}})
	if !ok || len(ops) == 0 || !safeOperands(ops) {
		return nil, false
	}
	parents := has(opts, 'p')
	return func(c *call) int {
		status := 0
		for _, d := range ops {
			if !op(c, d, parents) {
				status = 1
			}
		}
		return status
	}, true
}

func (c *call) mkdir(dir string, parents bool) bool {
	if parents {
		return c.mkdirParents(dir)
	}
	if err := os.Mkdir(c.path(dir), 0o777); err != nil {
		c.errorf("cannot create directory %s: %s", c.quote(dir), strerror(err))
		return false
	}
	return true
}

// mkdirParents creates each missing component in turn; a failure names
// the component that could not be made.
func (c *call) mkdirParents(dir string) bool {
	comps := strings.Split(dir, "/")
	for i := range comps {
		if comps[i] == "" && i < len(comps)-1 {
			continue
		}
		prefix := strings.Join(comps[:i+1], "/")
		if prefix == "" {
			continue
		}
		err := os.Mkdir(c.path(prefix), 0o777)
		if err == nil || errors.Is(err, fs.ErrExist) && isDir(c.path(prefix)) {
			continue
		}
		if errors.Is(err, fs.ErrExist) && i < len(comps)-1 {
			err = syscall.ENOTDIR
		}
		c.errorf("cannot create directory %s: %s", c.quote(prefix), strerror(err))
		return false
	}
	return true
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// rmdir removes dir and, with parents, each parent named in it, stopping
// at the first that cannot go.
func (c *call) rmdir(dir string, parents bool) bool {
	if err := syscall.Rmdir(c.path(dir)); err != nil {
		c.errorf("failed to remove %s: %s", c.quote(dir), strerror(err))
		return false
	}
	for p := strings.TrimRight(dir, "/"); parents; {
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			break
		}
		p = strings.TrimRight(p[:i], "/")
		if p == "" {
			break
		}
		if err := syscall.Rmdir(c.path(p)); err != nil {
			c.errorf("failed to remove directory %s: %s", c.quote(p), strerror(err))
			return false
		}
	}
	return true
}
