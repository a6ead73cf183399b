package subtree

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/kiln-dev/kiln/gitapi/libc"
)

// splitCache is the script's cache directory $GIT_DIR/subtree-cache/$$
// (git-subtree:281-348): kept in memory and written through to the same
// files, which the script leaves behind.
type splitCache struct {
	dir    string
	values map[string]string // oldrev -> newrev
	notree map[string]bool
	// latest holds latest_new and latest_old, rewritten for every commit
	// by the script: their files are written once, by flush.
	latest map[string]string
	// files are written by a goroutine of their own while the walk goes
	// on; flush waits for them.
	files   chan cacheFile
	written chan error
}

// cacheFile is one file of the cache to write.
type cacheFile struct{ name, content string }

// writer writes the cache's files in order and reports the first error.
func (c *splitCache) writer() {
	var first error
	for f := range c.files {
		if first != nil {
			continue
		}
		p := filepath.Join(c.dir, f.name)
		if err := writeCacheFile(p, f.content); err != nil {
			first = fmt.Errorf("cannot create %s: %s", p, libc.Strerror(err))
		}
	}
	c.written <- first
}

// writeCacheFile is the script's `echo ... >"$cachedir/$name"`: the file
// created or truncated (mode 0666 less the umask), its content written in
// one call. Three system calls a file: os.WriteFile would add four fcntl
// calls and a failing epoll_ctl (it tries to register every file with the
// poller), and the cache has a file for every commit split.
func writeCacheFile(path, content string) error {
	fd, err := retryEINTR(func() (int, error) {
		return syscall.Open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o666)
	})
	if err != nil {
		return err
	}
	b := []byte(content)
	for len(b) > 0 && err == nil {
		var n int
		n, err = retryEINTR(func() (int, error) { return syscall.Write(fd, b) })
		b = b[n:]
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	return err
}

// retryEINTR calls f again while it fails with EINTR.
func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != syscall.EINTR {
			if n < 0 {
				n = 0
			}
			return n, err
		}
	}
}

// cacheSetup is git-subtree:281-291.
func (s *subtree) cacheSetup() error {
	dir := filepath.Join(s.repo.GitDir(), "subtree-cache", strconv.Itoa(os.Getpid()))
	// rm -rf takes a path through a file (ENOTDIR) as missing.
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, syscall.ENOTDIR) {
		fmt.Fprintf(s.err, "rm: cannot remove '%s': %s\n", dir, libc.Strerror(err))
		return s.die("fatal: can't delete old cachedir: " + dir)
	}
	for _, d := range []string{dir, dir + "/notree"} {
		if err := mkdirAll(d); err != nil {
			fmt.Fprintf(s.err, "mkdir: cannot create directory '%s': %s\n", err.path, libc.Strerror(err.err))
			return s.die("fatal: can't create new cachedir: " + d)
		}
	}
	s.cache = &splitCache{dir: dir, values: map[string]string{}, notree: map[string]bool{}, latest: map[string]string{},
		files: make(chan cacheFile, 256), written: make(chan error, 1)}
	go s.cache.writer()
	s.debug("Using cachedir: " + dir)
	return nil
}

// mkdirError is mkdir -p's failure: the directory it could not create.
type mkdirError struct {
	path string
	err  error
}

// mkdirAll is mkdir -p, naming the component that failed as mkdir does.
func mkdirAll(dir string) *mkdirError {
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirAll(parent); err != nil {
			return err
		}
	}
	err := os.Mkdir(dir, 0o777)
	if err == nil {
		return nil
	}
	if info, serr := os.Stat(dir); serr == nil {
		if info.IsDir() {
			return nil
		}
		// mkdir -p meets a file where a directory should be.
		return &mkdirError{path: dir, err: syscall.ENOTDIR}
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &mkdirError{path: dir, err: err}
}

// get is cache_get for one revision (git-subtree:294-303).
func (c *splitCache) get(oldrev string) (string, bool) {
	v, ok := c.values[oldrev]
	return v, ok
}

// set is cache_set (git-subtree:337-348).
func (s *subtree) cacheSet(oldrev, newrev string) error {
	c := s.cache
	if oldrev == "latest_old" || oldrev == "latest_new" {
		c.values[oldrev] = newrev
		c.latest[oldrev] = newrev
		return nil
	}
	if _, ok := c.values[oldrev]; ok {
		return s.die("fatal: cache for " + oldrev + " already exists!")
	}
	c.values[oldrev] = newrev
	c.write(oldrev, newrev+"\n")
	return nil
}

// flush writes the latest_new and latest_old files as the script last
// left them, and waits until every file is written. The cache is not
// written after.
func (c *splitCache) flush() error {
	for _, name := range []string{"latest_new", "latest_old"} {
		if v, ok := c.latest[name]; ok {
			c.write(name, v+"\n")
		}
	}
	close(c.files)
	return <-c.written
}

// setNotree is set_notree (git-subtree:331-334).
func (s *subtree) setNotree(rev string) error {
	s.cache.notree[rev] = true
	s.cache.write("notree/"+rev, "1\n")
	return nil
}

// write queues a file of the cache for the writer.
func (c *splitCache) write(name, content string) {
	c.files <- cacheFile{name: name, content: content}
}
