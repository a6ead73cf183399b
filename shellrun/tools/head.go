package tools

import (
	"bufio"
	"bytes"
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
		data, err := io.ReadAll(r)
		closer()
		if err != nil {
			out.Flush()
			c.errorf("error reading %s: %s", c.quote(f), strerror(err))
			status = 1
			continue
		}
		head := firstLines(data, n)
		out.Write(head)
		if f == "-" {
			c.unread(len(data) - len(head))
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

// firstLines is data up to and including its nth newline.
func firstLines(data []byte, n int64) []byte {
	end := 0
	for ; n > 0; n-- {
		i := bytes.IndexByte(data[end:], '\n')
		if i < 0 {
			return data
		}
		end += i + 1
	}
	return data[:end]
}

// unread moves a seekable standard input back over n bytes read past
// what was used, as head does, so the next reader of a shared file
// starts there.
func (c *call) unread(n int) {
	if f, ok := c.stdin.(*os.File); ok && n > 0 {
		f.Seek(int64(-n), io.SeekCurrent)
	}
}
