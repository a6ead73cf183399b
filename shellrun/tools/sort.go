package tools

import (
	"bufio"
	"bytes"
	"slices"
)

// sort: coreutils sort of whole lines in byte order (the C locale), with
// -u and -r. Keys, -n and other locales are refused.
func init() { register("sort", parseSort) }

func parseSort(args []string, utf8 bool) (runFunc, bool) {
	opts, files, ok := parseOpts(args, optSpec{flags: "ur", long: map[string]byte{
		"--unique": 'u', "--reverse": 'r'}})
	if !ok || utf8 || !safeOperands(files) {
		return nil, false
	}
	unique, reverse := has(opts, 'u'), has(opts, 'r')
	return func(c *call) int { return runSort(c, files, unique, reverse) }, true
}

func runSort(c *call, files []string, unique, reverse bool) int {
	if len(files) == 0 {
		files = []string{"-"}
	}
	var lines [][]byte
	for _, f := range files {
		data, err := c.readOperand(f)
		if err != nil {
			c.errorf("cannot read: %s: %s", quotef(f), strerror(err))
			return 2
		}
		lines = append(lines, splitLines(data)...)
	}
	slices.SortStableFunc(lines, func(a, b []byte) int {
		if reverse {
			return bytes.Compare(b, a)
		}
		return bytes.Compare(a, b)
	})
	if unique {
		lines = slices.CompactFunc(lines, bytes.Equal)
	}
	out := bufio.NewWriter(c.stdout)
	defer out.Flush()
	for _, l := range lines {
		out.Write(l)
		out.WriteByte('\n')
	}
	return 0
}
