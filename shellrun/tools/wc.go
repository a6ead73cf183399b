package tools

import (
	"bufio"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// wc: coreutils wc with -l, -w and -c (bytes), with its column width
// rules. -w in a UTF-8 locale, and -m and -L, are refused.
func init() { register("wc", parseWc) }

type wcCounts struct{ lines, words, bytes int64 }

type wcInput struct {
	name   string
	counts wcCounts
	// err is why the input could not be opened (no line is printed) or
	// read (a line of zeros is).
	openErr, readErr error
	info             fs.FileInfo
}

func parseWc(args []string, utf8 bool) (runFunc, bool) {
	opts, files, ok := parseOpts(args, optSpec{flags: "lwc", long: map[string]byte{
		"--lines": 'l', "--words": 'w', "--bytes": 'c'}})
	if !ok || !safeOperands(files) || utf8 && has(opts, 'w') {
		return nil, false
	}
	show := [3]bool{has(opts, 'l'), has(opts, 'w'), has(opts, 'c')}
	if !show[0] && !show[1] && !show[2] {
		show = [3]bool{true, true, true}
	}
	return func(c *call) int { return runWc(c, show, files) }, true
}

func runWc(c *call, show [3]bool, files []string) int {
	named := len(files) > 0
	if !named {
		files = []string{"-"}
	}
	inputs := make([]*wcInput, len(files))
	for i, f := range files {
		inputs[i] = c.statWcInput(f, len(files) == 1 && countOf(show) == 1)
	}
	width := wcWidth(inputs)
	out := bufio.NewWriter(c.stdout)
	defer out.Flush()
	status := 0
	var total wcCounts
	for _, in := range inputs {
		c.countWcInput(in)
		if in.openErr != nil || in.readErr != nil {
			out.Flush()
			err := in.openErr
			if err == nil {
				err = in.readErr
			}
			c.errorf("%s: %s", quotef(in.name), strerror(err))
			status = 1
			if in.openErr != nil {
				continue
			}
		}
		name := ""
		if named {
			name = in.name
		}
		writeWcLine(out, show, in.counts, width, name)
		total.lines += in.counts.lines
		total.words += in.counts.words
		total.bytes += in.counts.bytes
	}
	if len(files) > 1 {
		writeWcLine(out, show, total, width, "total")
	}
	return status
}

func countOf(show [3]bool) int {
	n := 0
	for _, s := range show {
		if s {
			n++
		}
	}
	return n
}

// statWcInput stats an input ahead of counting, as wc does to size its
// columns; alone means one count of one input, which wc does not stat.
func (c *call) statWcInput(name string, alone bool) *wcInput {
	in := &wcInput{name: name}
	if alone {
		return in
	}
	if name == "-" {
		if f, ok := c.stdin.(*os.File); ok {
			in.info, _ = f.Stat()
		} else {
			in.info = pipeInfo{}
		}
		return in
	}
	in.info, _ = os.Stat(c.path(name))
	return in
}

// pipeInfo stands for the pipe standard input is when it is no file.
type pipeInfo struct{ fs.FileInfo }

func (pipeInfo) Mode() fs.FileMode { return fs.ModeNamedPipe }

// wcWidth is coreutils' column width: wide enough for the regular files'
// total size, at least 7 when an input is not a regular file, and 1 when
// the first input could not be examined.
func wcWidth(inputs []*wcInput) int {
	if len(inputs) == 0 || inputs[0].info == nil {
		return 1
	}
	minimum, total := 1, int64(0)
	for _, in := range inputs {
		switch {
		case in.info == nil:
		case in.info.Mode().IsRegular():
			total += in.info.Size()
		default:
			minimum = 7
		}
	}
	return max(len(strconv.FormatInt(total, 10)), minimum)
}

func (c *call) countWcInput(in *wcInput) {
	var r io.Reader = c.stdin
	if in.name != "-" {
		f, err := os.Open(c.path(in.name))
		if err != nil {
			in.openErr = err
			return
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(r)
	if err != nil {
		in.readErr = err
		return
	}
	in.counts = wcCount(data)
}

// wcCount counts as wc in the C locale: a word is a run of printable
// characters between white space; other bytes neither start nor end one.
func wcCount(data []byte) wcCounts {
	var n wcCounts
	n.bytes = int64(len(data))
	inWord := false
	for _, b := range data {
		switch {
		case b == '\n':
			n.lines++
			inWord = false
		case b == ' ' || b >= '\t' && b <= '\r':
			inWord = false
		case b > ' ' && b < 0x7f:
			if !inWord {
				n.words++
				inWord = true
			}
		}
	}
	return n
}

func writeWcLine(out *bufio.Writer, show [3]bool, n wcCounts, width int, name string) {
	var cols []string
	for i, v := range []int64{n.lines, n.words, n.bytes} {
		if show[i] {
			s := strconv.FormatInt(v, 10)
			cols = append(cols, strings.Repeat(" ", max(0, width-len(s)))+s)
		}
	}
	line := strings.Join(cols, " ")
	if name != "" {
		line += " " + name
	}
	out.WriteString(line + "\n")
}
