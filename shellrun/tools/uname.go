package tools

import (
	"bytes"
	"fmt"
	"syscall"
)

// uname: coreutils uname -s (also with no option), which git-sh-setup runs
// on every start to detect Windows.
func init() { register("uname", parseUname) }

func parseUname(args []string, _ bool) (runFunc, bool) {
	_, ops, ok := parseOpts(args, optSpec{flags: "s", long: map[string]byte{"--kernel-name": 's'}})
	if !ok || len(ops) > 0 {
		return nil, false
	}
	return func(c *call) int {
		var u syscall.Utsname
		if err := syscall.Uname(&u); err != nil {
			return c.spawnReal(nil)
		}
		fmt.Fprintln(c.stdout, utsString(u.Sysname[:]))
		return 0
	}, true
}

// utsString is a NUL-terminated utsname field as a string (its element
// type differs between architectures).
func utsString[T int8 | uint8](field []T) string {
	b := make([]byte, len(field))
	for i, v := range field {
		b[i] = byte(v)
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
