package tools

import (
	"bufio"
	"io"
	"os"
	"strconv"
)

// head: coreutils head -n N (also -N and --lines=N) for N >= 0, with its
// headers between several files.
func init() { register("head", parseHead) }

func parseHead(args []string, _ bool) (runFunc, bool) {
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && allDigits(args[0][1:]) {
		args = append([]string{"-n", args[0][1:]}, args[1:]...)
	}
	opts, files, ok := parseOpts(args, optSpec{withArg: "n", long: map[string]byte{"--lines": 'n'}})
	if !ok || !safeOperands(files) {
		return nil, false
	}
	n := int64(10)
	if v, given := lastVal(opts, 'n'); given {
		parsed, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !allDigits(v) {
			return nil, false
		}
		n = parsed
	}
	return func(c *call) int { return runHead(c, files, n) }, true
}

func runHead(c *call, files []string, n int64) int {
	if len(files) == 0 {
		files = []string{"-"}
	}
	out := bufio.NewWriter(c.stdout)
	defer out.Flush()
	status := 0
	for i, f := range files {
		r, label, closer, err := c.openHeadInput(f)
		if err != nil {
			out.Flush()
			c.errorf("cannot open %s for reading: %s", c.quote(f), strerror(err))
			status = 1
			continue
		}
		if len(files) > 1 {
			if i > 0 {
				out.WriteString("\n")
			}
			out.WriteString("==> " + label + " <==\n")
		}
		err = copyLines(out, r, n, f == "-" && c.stdinSeekable())
		closer()
		if err != nil {
			out.Flush()
			c.errorf("error reading %s: %s", c.quote(f), strerror(err))
			status = 1
		}
	}
	return status
}

func (c *call) openHeadInput(name string) (io.Reader, string, func(), error) {
	if name == "-" {
		return c.stdin, "standard input", func() {}, nil
	}
	f, err := os.Open(c.path(name))
	if err != nil {
		return nil, "", nil, err
	}
	return f, name, func() { f.Close() }, nil
}

// copyLines copies r's first n lines, reading no more than it needs
// from a pipe; from a seekable input it reads ahead and then seeks back
// to just after the lines, as head does.
func copyLines(out *bufio.Writer, r io.Reader, n int64, seekBack bool) error {
	br := bufio.NewReader(r)
	if !seekBack {
		br = bufio.NewReaderSize(r, 16)
	}
	for ; n > 0; n-- {
		line, err := br.ReadBytes('\n')
		out.Write(line)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	if f, ok := r.(*os.File); ok && seekBack && br.Buffered() > 0 {
		f.Seek(int64(-br.Buffered()), io.SeekCurrent)
	}
	return nil
}

// stdinSeekable reports whether standard input is a file that can seek.
func (c *call) stdinSeekable() bool {
	f, ok := c.stdin.(*os.File)
	if !ok {
		return false
	}
	_, err := f.Seek(0, io.SeekCurrent)
	return err == nil
}
