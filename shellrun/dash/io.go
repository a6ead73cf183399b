package dash

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// IO is what a builtin sees of its shell: the working directory that
// relative file names are resolved against, and its three streams.
type IO struct {
	Dir    string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Embedded, when set, reports whether an absolute path that names
	// nothing on disk names a file the program carries inside itself
	// (a translated shell library standing beside the script): test's
	// file operators then answer as for a regular file that can be
	// read.
	Embedded func(path string) bool
}

// errorf writes a builtin's diagnostic as dash does: the caller's
// "$0: LINENO: " prefix, the builtin's name, then the message.
func (stdio IO) errorf(prefix, name, format string, args ...any) {
	if stdio.Stderr == nil {
		return
	}
	fmt.Fprintf(stdio.Stderr, "%s%s: %s\n", prefix, name, fmt.Sprintf(format, args...))
}

// path resolves a file name operand against Dir the way the kernel
// resolves it against a working directory: the name is not cleaned, so
// "file/" still fails on a regular file and "" names nothing.
func (stdio IO) path(name string) string {
	if name == "" || filepath.IsAbs(name) || stdio.Dir == "" {
		return name
	}
	return stdio.Dir + string(os.PathSeparator) + name
}
