package shellrun

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Redir is one redirection of a command: `N>path`, `N>>path`, `N<path`,
// `N<>path`, `N>&M`, `N<&M`, `N>&-`, or a here-document's text.
type Redir struct {
	Fd int
	// Op is the operator: ">", ">|", ">>", "<", "<>", ">&", "<&", or "<<"
	// for a here-document.
	Op string
	// Target is the file name, the descriptor number for >& and <& (or
	// "-" to close), or the here-document's expanded text.
	Target string
}

// To is the redirection `fd>path`.
func To(fd int, path string) Redir { return Redir{Fd: fd, Op: ">", Target: path} }

// Append is the redirection `fd>>path`.
func Append(fd int, path string) Redir { return Redir{Fd: fd, Op: ">>", Target: path} }

// From is the redirection `fd<path`.
func From(fd int, path string) Redir { return Redir{Fd: fd, Op: "<", Target: path} }

// Dup is the redirection `fd>&target` (or `fd<&target`): target is a
// descriptor number, or "-" to close fd.
func Dup(fd int, target string) Redir { return Redir{Fd: fd, Op: ">&", Target: target} }

// HereDoc is a here-document on fd (usually 0) with its expanded text.
func HereDoc(fd int, text string) Redir { return Redir{Fd: fd, Op: "<<", Target: text} }

// Redirect runs body with the redirections in effect, then restores the
// descriptors. Variables body sets stay set, as for `{ ...; } >file`. A
// redirection that fails prints dash's message and makes $? 2, and body
// does not run.
func (s *State) Redirect(body Func, redirs ...Redir) {
	saved := make(map[int]*stream, len(redirs))
	var opened []io.Closer
	restore := func() {
		for fd, st := range saved {
			if st == nil {
				delete(s.fds, fd)
			} else {
				s.fds[fd] = st
			}
		}
		for _, c := range opened {
			c.Close()
		}
	}
	for _, r := range redirs {
		if _, done := saved[r.Fd]; !done {
			saved[r.Fd] = s.fds[r.Fd]
		}
		c, ok := s.apply(r)
		if !ok {
			restore()
			return
		}
		if c != nil {
			opened = append(opened, c)
		}
	}
	// Restored also when an error the shell exits on ends body: the
	// exit trap writes where the script's descriptors are.
	defer restore()
	body(s)
}

// ExecRedirect is `exec` with only redirections: they stay in effect for
// the rest of the script.
func (s *State) ExecRedirect(redirs ...Redir) {
	for _, r := range redirs {
		if old, ok := s.fds[r.Fd]; ok && old.c != nil && r.Fd > 2 {
			old.c.Close()
		}
		if _, ok := s.apply(r); !ok {
			if s.condDepth == 0 {
				s.exiting = true
			}
			return
		}
	}
	s.Status = 0
}

// apply opens one redirection, returning the file to close afterwards.
func (s *State) apply(r Redir) (io.Closer, bool) {
	switch r.Op {
	case ">&", "<&":
		if r.Target == "-" {
			delete(s.fds, r.Fd)
			return nil, true
		}
		n, err := strconv.Atoi(r.Target)
		src, ok := s.fds[n]
		if err != nil || !ok {
			s.errorf("%s: Bad file descriptor", r.Target)
			s.Status = 2
			return nil, false
		}
		// Both descriptors share the open file and its read buffer,
		// so reads through either continue where the other stopped.
		s.fds[r.Fd] = src
		return nil, true
	case "<<":
		s.fds[r.Fd] = &stream{r: strings.NewReader(r.Target)}
		return nil, true
	}
	path := r.Target
	if !filepath.IsAbs(path) {
		path = filepath.Join(s.dir, path)
	}
	var f *os.File
	var err error
	switch r.Op {
	case ">":
		if s.noclobber {
			f, err = s.openNoClobber(path)
			if errors.Is(err, fs.ErrExist) {
				if s.bash {
					s.errorf("%s: cannot overwrite existing file", r.Target)
					s.Status = 1
					return nil, false
				}
				s.errorf("cannot create %s: File exists", r.Target)
				s.Status = 2
				return nil, false
			}
			break
		}
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	case ">|":
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	case ">>":
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
	case "<":
		f, err = os.Open(path)
	case "<>":
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	}
	if err != nil {
		verb := "create"
		if r.Op == "<" {
			verb = "open"
		}
		s.errorf("cannot %s %s: %s", verb, r.Target, dashReason(err, r.Op == "<"))
		s.Status = 2
		return nil, false
	}
	st := &stream{c: f}
	if r.Op == "<" || r.Op == "<>" {
		st.r = f
	}
	if r.Op != "<" {
		st.w = f
	}
	s.fds[r.Fd] = st
	return f, true
}

// openNoClobber opens path for `>` under set -C, as dash and bash do: a
// new file is created (not one that appears meanwhile), an existing one
// that is not a regular file (/dev/null) is opened as it is, and an
// existing regular file is an error (fs.ErrExist).
func (s *State) openNoClobber(path string) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	}
	if info.Mode().IsRegular() {
		return nil, fs.ErrExist
	}
	return os.OpenFile(path, os.O_WRONLY, 0)
}

// dashReason words an open error as dash does.
func dashReason(err error, reading bool) string {
	switch {
	case errors.Is(err, fs.ErrNotExist) && reading:
		return "No such file"
	case errors.Is(err, fs.ErrNotExist):
		return "Directory nonexistent"
	case errors.Is(err, syscall.EISDIR):
		return "Is a directory"
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	}
	return err.Error()
}
