package tools

import (
	"io"
	"os"
)

// cat: coreutils cat without options (-u, which changes nothing here, is
// accepted). Output goes out file by file, as cat writes it.
func init() { register("cat", parseCat) }

func parseCat(args []string, _ bool) (runFunc, bool) {
	_, files, ok := parseOpts(args, optSpec{flags: "u"})
	if !ok || !safeOperands(files) {
		return nil, false
	}
	return func(c *call) int { return runCat(c, files) }, true
}

func runCat(c *call, files []string) int {
	if len(files) == 0 {
		files = []string{"-"}
	}
	if c.outputIsInput(files) {
		return c.spawnReal(nil)
	}
	status := 0
	for _, f := range files {
		if f == "-" {
			if _, err := io.Copy(c.stdout, c.stdin); err != nil {
				c.errorf("-: %s", strerror(err))
				status = 1
			}
			continue
		}
		if err := c.copyFile(f); err != nil {
			c.errorf("%s: %s", quotef(f), strerror(err))
			status = 1
		}
	}
	return status
}

func (c *call) copyFile(name string) error {
	file, err := os.Open(c.path(name))
	if err != nil {
		return err
	}
	defer file.Close()
	_, err = io.Copy(c.stdout, file)
	return err
}

// outputIsInput reports whether standard output is a regular file that is
// also one of the inputs, which cat refuses in ways not reproduced here.
func (c *call) outputIsInput(files []string) bool {
	out, ok := c.stdout.(*os.File)
	if !ok {
		return false
	}
	oi, err := out.Stat()
	if err != nil || !oi.Mode().IsRegular() {
		return false
	}
	for _, f := range files {
		var info os.FileInfo
		if f == "-" {
			in, ok := c.stdin.(*os.File)
			if !ok {
				continue
			}
			info, err = in.Stat()
		} else {
			info, err = os.Stat(c.path(f))
		}
		if err == nil && os.SameFile(info, oi) {
			return true
		}
	}
	return false
}
