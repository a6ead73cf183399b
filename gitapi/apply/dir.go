package apply

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is a Source and Sink over a directory of the file system, as plain
// "git apply" uses the work tree.
type Dir struct {
	// Root is the directory that patch paths are relative to.
	Root string
}

func (d Dir) path(name string) string {
	return filepath.Join(d.Root, filepath.FromSlash(name))
}

// Stat implements Source; modes are canonical git modes.
func (d Dir) Stat(name string) (uint32, bool, error) {
	info, err := os.Lstat(d.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		return ModeSymlink, true, nil
	case info.IsDir():
		return ModeDir, true, nil
	case info.Mode()&0o100 != 0:
		return ModeExecutable, true, nil
	}
	return ModeRegular, true, nil
}

// ReadFile implements Source; a symlink reads as its target.
func (d Dir) ReadFile(name string) ([]byte, error) {
	p := d.path(name)
	if info, err := os.Lstat(p); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(p)
		return []byte(target), err
	}
	return os.ReadFile(p)
}

// Remove implements Sink, also removing directories left empty, as git does.
func (d Dir) Remove(name string) error {
	if err := os.Remove(d.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for dir := filepath.Dir(name); dir != "." && dir != "/"; dir = filepath.Dir(dir) {
		if os.Remove(d.path(dir)) != nil {
			break
		}
	}
	return nil
}

// WriteFile implements Sink: it creates leading directories and writes
// content with the permission git gives the mode (0777 or 0666 before
// umask), or a symlink.
func (d Dir) WriteFile(name string, content []byte, mode uint32) error {
	p := d.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if mode == ModeSymlink {
		return os.Symlink(string(content), p)
	}
	perm := fs.FileMode(0o666)
	if mode == ModeExecutable {
		perm = 0o777
	}
	return os.WriteFile(p, content, perm)
}
