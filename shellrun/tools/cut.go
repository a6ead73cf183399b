package tools

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// cut: coreutils cut with -f (and -d, -s), -b or -c (bytes in coreutils
// 9.1 in every locale), over LISTs of N, N-, -M and N-M.
func init() { register("cut", parseCut) }

type cutSpec struct {
	fields    bool
	delim     byte
	onlyDelim bool
	ranges    [][2]int // inclusive, 1-based; 0 as the end means no end
}

func parseCut(args []string, _ bool) (runFunc, bool) {
	opts, files, ok := parseOpts(args, optSpec{flags: "sn", withArg: "bcdf", long: map[string]byte{
		"--bytes": 'b', "--characters": 'c', "--delimiter": 'd', "--fields": 'f', "--only-delimited": 's'}})
	if !ok || !safeOperands(files) {
		return nil, false
	}
	spec, ok := cutSpecOf(opts)
	if !ok {
		return nil, false
	}
	return func(c *call) int { return runCut(c, spec, files) }, true
}

func cutSpecOf(opts []opt) (cutSpec, bool) {
	spec := cutSpec{delim: '\t'}
	var list string
	modes := 0
	for _, o := range opts {
		switch o.flag {
		case 'b', 'c', 'f':
			modes++
			list, spec.fields = o.val, o.flag == 'f'
		case 'd':
			if len(o.val) != 1 || o.val[0] >= 0x80 {
				return spec, false
			}
			spec.delim = o.val[0]
		case 's':
			spec.onlyDelim = true
		}
	}
	if modes != 1 || !spec.fields && (has(opts, 'd') || spec.onlyDelim) {
		return spec, false
	}
	ranges, ok := cutList(list)
	spec.ranges = ranges
	return spec, ok
}

// cutList reads a LIST; anything coreutils would reject is refused.
func cutList(list string) ([][2]int, bool) {
	var out [][2]int
	for _, item := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(item, "-")
		var r [2]int
		var err error
		switch {
		case !isRange:
			r[0], err = cutNumber(item)
			r[1] = r[0]
		case lo == "" && hi == "":
			return nil, false
		case lo == "":
			r[0] = 1
			r[1], err = cutNumber(hi)
		default:
			r[0], err = cutNumber(lo)
			if err == nil && hi != "" {
				r[1], err = cutNumber(hi)
				if err == nil && r[1] < r[0] {
					return nil, false
				}
			}
		}
		if err != nil {
			return nil, false
		}
		out = append(out, r)
	}
	return out, true
}

func cutNumber(s string) (int, error) {
	if !allDigits(s) {
		return 0, strconv.ErrSyntax
	}
	n, err := strconv.Atoi(s)
	if err == nil && (n == 0 || n > 1<<30) {
		err = strconv.ErrRange
	}
	return n, err
}

func (s cutSpec) selected(i int) bool {
	for _, r := range s.ranges {
		if i >= r[0] && (r[1] == 0 || i <= r[1]) {
			return true
		}
	}
	return false
}

func runCut(c *call, spec cutSpec, files []string) int {
	if len(files) == 0 {
		files = []string{"-"}
	}
	out := bufio.NewWriter(c.stdout)
	defer out.Flush()
	status := 0
	for _, f := range files {
		data, err := c.readOperand(f)
		if err != nil {
			out.Flush()
			c.errorf("%s: %s", quotef(f), strerror(err))
			status = 1
			continue
		}
		for _, line := range splitLines(data) {
			spec.cutLine(out, line)
		}
	}
	return status
}

func (s cutSpec) cutLine(out *bufio.Writer, line []byte) {
	if !s.fields {
		for i, b := range line {
			if s.selected(i + 1) {
				out.WriteByte(b)
			}
		}
		out.WriteByte('\n')
		return
	}
	if bytes.IndexByte(line, s.delim) < 0 {
		if !s.onlyDelim {
			out.Write(line)
			out.WriteByte('\n')
		}
		return
	}
	first := true
	for i, field := range bytes.Split(line, []byte{s.delim}) {
		if !s.selected(i + 1) {
			continue
		}
		if !first {
			out.WriteByte(s.delim)
		}
		out.Write(field)
		first = false
	}
	out.WriteByte('\n')
}
