package parity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// sandbox is one fixture's private directory tree. Every path a run
// touches is under root:
//
//	root/work      the work dir ($SANDBOX/work), restored for each side
//	root/home      $HOME, restored for each side
//	root/tmp       $TMPDIR, restored for each side
//	root/exec      the exec-path overlay of the current side
//	root/.pristine the state setup left, copied back before each side
//	root/.run      setup script, stdin and output files of the runs
//	root/.trash    what bench runs left, kept until the sandbox is removed
type sandbox struct {
	root string
	// aliases are other spellings of root (symbolic links resolved), all
	// replaced by "$SANDBOX" in compared text.
	aliases []string
	// asides counts the trees setAside has moved to root/.trash.
	asides int
}

// restorable are the directories a side may change, saved after setup and
// restored before each side.
var restorable = []string{"work", "home", "tmp"}

func newSandbox() (*sandbox, error) {
	root, err := os.MkdirTemp("", "kiln-parity-")
	if err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(root); err == nil {
		root = abs // a relative TMPDIR must not make the sides' paths relative
	}
	sb := &sandbox{root: root}
	if real, err := filepath.EvalSymlinks(root); err == nil && real != root {
		sb.aliases = append(sb.aliases, real)
	}
	for _, dir := range []string{"work", "home/.config", "tmp", ".pristine", ".run"} {
		if err := os.MkdirAll(sb.path(dir), 0o755); err != nil {
			sb.remove()
			return nil, err
		}
	}
	if err := os.WriteFile(sb.path("home/.gitconfig"), []byte(globalConfig), 0o644); err != nil {
		sb.remove()
		return nil, err
	}
	return sb, nil
}

func (sb *sandbox) path(rel string) string { return filepath.Join(sb.root, rel) }

// remove deletes the sandbox, making read-only directories writable first
// (a script may have left some behind).
func (sb *sandbox) remove() {
	if err := os.RemoveAll(sb.root); err == nil {
		return
	}
	_ = filepath.WalkDir(sb.root, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(path, 0o755)
		}
		return nil
	})
	_ = os.RemoveAll(sb.root)
}

// writeFiles writes the fixture's file sections into the work dir.
func (sb *sandbox) writeFiles(f *Fixture) error {
	for _, file := range f.Files {
		path := sb.path(filepath.Join("work", filepath.FromSlash(file.Name)))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(file.Name, "bin/") {
			mode = 0o755
		}
		if err := os.WriteFile(path, file.Data, mode); err != nil {
			return err
		}
	}
	return nil
}

// save keeps the state setup left as the pristine copy.
func (sb *sandbox) save(ctx context.Context) error {
	for _, dir := range restorable {
		if err := copyTree(ctx, sb.path(dir), sb.path(filepath.Join(".pristine", dir))); err != nil {
			return err
		}
	}
	return nil
}

// restore replaces work, home and tmp with fresh copies of the pristine
// state, at the same absolute paths.
func (sb *sandbox) restore(ctx context.Context) error {
	if err := sb.clear(); err != nil {
		return err
	}
	return sb.copyPristine(ctx)
}

// copyPristine copies the pristine work, home and tmp into place.
func (sb *sandbox) copyPristine(ctx context.Context) error {
	for _, dir := range restorable {
		if err := copyTree(ctx, sb.path(filepath.Join(".pristine", dir)), sb.path(dir)); err != nil {
			return err
		}
	}
	return nil
}

// clear removes what the last side left: work, home, tmp and the overlay.
func (sb *sandbox) clear() error {
	for _, dir := range append([]string{"exec"}, restorable...) {
		if err := removeTree(sb.path(dir)); err != nil {
			return err
		}
	}
	return nil
}

// setAside moves what the last side left (work, home, tmp and the
// overlay) into root/.trash/N instead of deleting it; remove deletes it
// with the rest of the sandbox. A tree that cannot be moved is deleted.
func (sb *sandbox) setAside() error {
	sb.asides++
	trash := sb.path(filepath.Join(".trash", strconv.Itoa(sb.asides)))
	if err := os.MkdirAll(trash, 0o755); err != nil {
		return err
	}
	for _, dir := range append([]string{"exec"}, restorable...) {
		err := os.Rename(sb.path(dir), filepath.Join(trash, dir))
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := removeTree(sb.path(dir)); err != nil {
			return err
		}
	}
	return nil
}

// removeTree is rm -rf, making read-only directories writable first if
// it has to.
func removeTree(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		if err := makeWritable(dir); err != nil {
			return err
		}
		return os.RemoveAll(dir)
	}
	return nil
}

func makeWritable(dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			return os.Chmod(path, 0o755)
		}
		return nil
	})
}

// copyTree copies src to dst (which must not exist), keeping permission
// bits, modification times and symbolic links, so the copy looks to git
// like the original (refreshIndexes does the rest).
func copyTree(ctx context.Context, src, dst string) error {
	type dirInfo struct {
		path string
		info fs.FileInfo
	}
	var dirs []dirInfo
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case info.IsDir():
			// Writable while it is filled; its own mode is set last.
			dirs = append(dirs, dirInfo{target, info})
			return os.Mkdir(target, 0o700)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case info.Mode().IsRegular():
			if err := copyFile(path, target, info.Mode().Perm()); err != nil {
				return err
			}
			return os.Chtimes(target, info.ModTime(), info.ModTime())
		default:
			return fmt.Errorf("copy %s: cannot copy a %s", path, info.Mode().Type())
		}
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		d := dirs[i]
		if err := os.Chmod(d.path, d.info.Mode().Perm()); err != nil {
			return err
		}
		if err := os.Chtimes(d.path, d.info.ModTime(), d.info.ModTime()); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	// The umask may have cleared bits of perm.
	return os.Chmod(dst, perm)
}

// refreshIndexes brings the cached stat data of every index in the
// restored work dir up to date. Copying a tree changes inode numbers and
// ctimes, so without this git would think every tracked file modified,
// which setup's original tree was not (git subtree add, for one, refuses
// to run on "modifications"; git apply --index on "does not match index").
// Only stat data changes.
func (sb *sandbox) refreshIndexes(ctx context.Context, env []string) {
	var trees []string
	_ = filepath.WalkDir(sb.path("work"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.Name() == ".git" {
			trees = append(trees, filepath.Dir(path))
			if d.IsDir() {
				return fs.SkipDir
			}
		}
		return nil
	})
	for _, tree := range trees {
		cmd := exec.CommandContext(ctx, "git", "update-index", "-q", "--refresh")
		cmd.Dir, cmd.Env = tree, env
		_ = cmd.Run() // exit 1 just means "some files really are modified"
	}
}
