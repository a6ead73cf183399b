package parity

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteOverlay fills dir with an exec-path overlay: a symbolic link to
// every entry of the installed git's exec path, except that each
// git-<name> in programs links to programs[name] instead. With
// GIT_EXEC_PATH=dir, git runs the replacements wherever it would have run
// its own commands (git quiltimport, git merge -s resolve, ...), and a
// multi-call binary sees git-<name> as its argv[0].
func WriteOverlay(dir, execPath string, programs map[string]string) error {
	entries, err := os.ReadDir(execPath)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		target := filepath.Join(execPath, e.Name())
		if name, ok := cutGit(e.Name()); ok {
			if p, replaced := programs[name]; replaced {
				target = p
			}
		}
		if err := replaceLink(target, filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	// A replacement for a command the installed git does not have.
	for name, p := range programs {
		if _, err := os.Lstat(filepath.Join(execPath, "git-"+name)); os.IsNotExist(err) {
			if err := replaceLink(p, filepath.Join(dir, "git-"+name)); err != nil {
				return err
			}
		}
	}
	return nil
}

func cutGit(entry string) (string, bool) {
	if len(entry) > 4 && entry[:4] == "git-" {
		return entry[4:], true
	}
	return "", false
}

// replaceLink makes link point at target, replacing what was there.
func replaceLink(target, link string) error {
	if info, err := os.Lstat(link); err == nil {
		if info.IsDir() && info.Mode()&os.ModeSymlink == 0 {
			return fmt.Errorf("%s is a directory", link)
		}
		if err := os.Remove(link); err != nil {
			return err
		}
	}
	return os.Symlink(target, link)
}
