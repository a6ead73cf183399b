package tools

import (
	"fmt"
	"strings"
)

// basename and dirname: coreutils' forms NAME [SUFFIX] and NAME...
func init() {
	register("basename", parseBasename)
	register("dirname", parseDirname)
}

func parseBasename(args []string, _ bool) (runFunc, bool) {
	opts, ops, ok := parseOpts(args, optSpec{})
	if !ok || len(opts) > 0 || len(ops) == 0 || len(ops) > 2 {
		return nil, false
	}
	return func(c *call) int {
		name := baseName(ops[0])
		if len(ops) == 2 && ops[1] != name {
			name = strings.TrimSuffix(name, ops[1])
		}
		fmt.Fprintln(c.stdout, name)
		return 0
	}, true
}

// baseName is the last component without trailing slashes; "/" for a
// name of slashes only.
func baseName(s string) string {
	t := strings.TrimRight(s, "/")
	if t == "" {
		if s == "" {
			return ""
		}
		return "/"
	}
	return t[strings.LastIndexByte(t, '/')+1:]
}

func parseDirname(args []string, _ bool) (runFunc, bool) {
	opts, ops, ok := parseOpts(args, optSpec{})
	if !ok || len(opts) > 0 || len(ops) == 0 {
		return nil, false
	}
	return func(c *call) int {
		for _, op := range ops {
			fmt.Fprintln(c.stdout, dirName(op))
		}
		return 0
	}, true
}

// dirName drops the last component and the slashes around it; "." when
// there is no slash, "/" when only the root remains.
func dirName(s string) string {
	t := strings.TrimRight(s, "/")
	if t == "" {
		if s == "" {
			return "."
		}
		return "/"
	}
	i := strings.LastIndexByte(t, '/')
	if i < 0 {
		return "."
	}
	d := strings.TrimRight(t[:i], "/")
	if d == "" {
		return "/"
	}
	return d
}
