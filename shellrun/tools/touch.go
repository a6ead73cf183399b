package tools

import (
	"os"
	"syscall"
	"time"
)

// touch: coreutils touch without options: create a missing file, or set
// an existing one's times to now.
func init() { register("touch", parseTouch) }

func parseTouch(args []string, _ bool) (runFunc, bool) {
	opts, ops, ok := parseOpts(args, optSpec{})
	if !ok || len(opts) > 0 || len(ops) == 0 || !safeOperands(ops) {
		return nil, false
	}
	for _, op := range ops {
		if op == "-" {
			return nil, false // touch - means standard output
		}
	}
	return func(c *call) int {
		status := 0
		for _, f := range ops {
			if err := c.touch(f); err != nil {
				c.errorf("cannot touch %s: %s", c.quote(f), strerror(err))
				status = 1
			}
		}
		return status
	}, true
}

func (c *call) touch(name string) error {
	f, err := os.OpenFile(c.path(name), os.O_WRONLY|os.O_CREATE|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0o666)
	if err == nil {
		f.Close()
	} else if !isDir(c.path(name)) {
		return err
	}
	now := time.Now()
	return os.Chtimes(c.path(name), now, now)
}
