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
			if !c.touch(f) {
				status = 1
			}
		}
		return status
	}, true
}

// touch opens (creating) the file, then sets its times to now; as in
// touch, a failed open matters only when setting the times fails too
// (the owner of a read-only file can still touch it).
func (c *call) touch(name string) bool {
	f, openErr := os.OpenFile(c.path(name), os.O_WRONLY|os.O_CREATE|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0o666)
	if openErr == nil {
		f.Close()
	}
	now := time.Now()
	err := os.Chtimes(c.path(name), now, now)
	switch {
	case err == nil:
		return true
	case openErr != nil:
		c.errorf("cannot touch %s: %s", c.quote(name), strerror(openErr))
	default:
		c.errorf("setting times of %s: %s", c.quote(name), strerror(err))
	}
	return false
}
