package index

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"

	"github.com/kiln-dev/kiln/gitapi/libc"
)

// UpdateOptions are the flags of "git update-index" that decide what a
// path update may do.
type UpdateOptions struct {
	// Add allows paths not yet in the index (--add).
	Add bool
	// Remove allows removing entries whose file is gone (--remove).
	Remove bool
	// Replace allows a file to replace a directory of entries and the
	// other way round (--replace).
	Replace bool
	// InfoOnly hashes contents without storing blobs (--info-only).
	InfoOnly bool
}

// ErrIgnoredPath is returned for a path git refuses to put in an index
// (see VerifyPath). "git update-index" prints "Ignoring path <path>" to
// stderr and carries on.
var ErrIgnoredPath = errors.New("ignoring path")

// Error is a failed update-index step. Errors are the lines git prints
// as "error: <line>"; Fatal is the "fatal: <Fatal>" line git then dies
// with (exit 128).
type Error struct {
	Errors []string
	Fatal  string
}

// Error joins the "error:" lines, or gives the fatal message when
// there are none.
func (e *Error) Error() string {
	if len(e.Errors) == 0 {
		return e.Fatal
	}
	return strings.Join(e.Errors, "; ")
}

// addError says why addEntry refused an entry: the lines git prints
// before its caller's own message.
type addError struct {
	lines []string
}

func (e *addError) Error() string { return strings.Join(e.lines, "; ") }

// errorLines is the "error:" lines of err, with line appended.
func errorLines(err error, line string) []string {
	var ae *addError
	if errors.As(err, &ae) {
		return append(append([]string{}, ae.lines...), line)
	}
	var ge *Error
	if errors.As(err, &ge) {
		return append(append([]string{}, ge.Errors...), line)
	}
	return []string{err.Error(), line}
}

// UpdatePath is "git update-index [--add] [--remove] [--replace] path":
// the work tree file's content and stat data go into the index. A file
// that is gone is removed with Remove set.
//
//	err := ix.UpdatePath("src/main.c", repo, index.UpdateOptions{Add: true})
func (ix *Index) UpdatePath(path string, objects ObjectWriter, opts UpdateOptions) error {
	if ix.Options.WorkTree == "" {
		return &Error{Fatal: "this operation must be run in a work tree"}
	}
	info, statErr := ix.Options.lstat(path)
	mode := uint32(0)
	if statErr == nil {
		mode = ModeFromFileInfo(info)
	}
	if !VerifyPath(path, mode) {
		return fmt.Errorf("%w %s", ErrIgnoredPath, path)
	}
	if err := ix.processPath(path, info, statErr, objects, opts); err != nil {
		var ae *addError
		if errors.As(err, &ae) {
			return &Error{Errors: ae.lines, Fatal: "Unable to process path " + path}
		}
		return &Error{Errors: []string{err.Error()}, Fatal: "Unable to process path " + path}
	}
	return nil
}

func (ix *Index) processPath(path string, info fs.FileInfo, statErr error, objects ObjectWriter, opts UpdateOptions) error {
	if ix.Options.beyondSymlink(path, nil) {
		return fmt.Errorf("'%s' is beyond a symbolic link", path)
	}
	old := ix.Entry(path, 0)
	if old != nil && old.SkipWorktree {
		// The work tree copy is assumed good: only removal applies.
		if opts.Remove {
			ix.RemovePath(path)
		}
		return nil
	}
	if statErr != nil {
		if errors.Is(statErr, syscall.ENOENT) || errors.Is(statErr, syscall.ENOTDIR) {
			return ix.removeOnePath(path, opts)
		}
		return fmt.Errorf("lstat(\"%s\"): %s", path, errnoText(statErr))
	}
	if info.IsDir() {
		return ix.processDirectory(path, old, info, objects, opts)
	}
	return ix.addOnePath(old, path, info, objects, opts)
}

func (ix *Index) removeOnePath(path string, opts UpdateOptions) error {
	if !opts.Remove {
		return fmt.Errorf("%s: does not exist and --remove not passed", path)
	}
	ix.RemovePath(path)
	return nil
}

// processDirectory handles a path that is a directory in the work tree:
// a submodule whose HEAD becomes (or updates) a gitlink entry, or an
// error when it holds index entries or is no repository.
func (ix *Index) processDirectory(path string, old *Entry, info fs.FileInfo, objects ObjectWriter, opts UpdateOptions) error {
	if old != nil {
		if old.Mode == ModeGitlink {
			if _, ok := ix.Options.gitlinkHead(path); !ok {
				return nil
			}
			return ix.addOnePath(old, path, info, objects, opts)
		}
		return ix.removeOnePath(path, opts)
	}
	i, _ := ix.Find(path, 0)
	for ; i < len(ix.Entries); i++ {
		name := ix.Entries[i].Path
		if !strings.HasPrefix(name, path) || len(name) == len(path) || name[len(path)] > '/' {
			break
		}
		if name[len(path)] == '/' {
			return fmt.Errorf("%s: is a directory - add individual files instead", path)
		}
	}
	if _, ok := ix.Options.gitlinkHead(path); ok {
		return ix.addOnePath(nil, path, info, objects, opts)
	}
	return fmt.Errorf("%s: is a directory - add files inside instead", path)
}

// addOnePath stores the file as a blob and records it with fresh stat
// data, unless the existing entry already matches it.
func (ix *Index) addOnePath(old *Entry, path string, info fs.FileInfo, objects ObjectWriter, opts UpdateOptions) error {
	if old != nil && ix.matchStat(old, info, 0) == 0 {
		return nil
	}
	e := &Entry{Path: path, Stat: statFromFileInfo(info), upToDate: info.Mode().IsRegular()}
	e.Mode = ix.Options.modeFromStat(old, info)
	if info.IsDir() {
		head, ok := ix.Options.gitlinkHead(path)
		if !ok {
			return fmt.Errorf("%s: is a directory - add files inside instead", path)
		}
		e.ID = head
		return ix.putUpdated(e, opts)
	}
	data, err := ix.Options.readWorkTreeBlob(path, info)
	if err != nil {
		return fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	if opts.InfoOnly || objects == nil {
		e.ID = HashObject("blob", data)
	} else if e.ID, err = objects.WriteObject("blob", data); err != nil {
		return err
	}
	return ix.putUpdated(e, opts)
}

func (ix *Index) putUpdated(e *Entry, opts UpdateOptions) error {
	path := e.Path
	if err := ix.addEntry(e, opts.Add, opts.Replace); err != nil {
		return &addError{lines: errorLines(err, fmt.Sprintf("%s: cannot add to the index - missing --add option?", path))}
	}
	return nil
}

// CacheInfo is "git update-index --cacheinfo mode,id,path" (and one line
// of --index-info when stage > 0): an entry without stat data.
func (ix *Index) CacheInfo(mode uint32, id ID, path string, stage int, opts UpdateOptions) error {
	fatal := "git update-index: --cacheinfo cannot add " + path
	if !VerifyPath(path, mode) {
		return &Error{Errors: []string{fmt.Sprintf("Invalid path '%s'", path)}, Fatal: fatal}
	}
	e := &Entry{Path: path, Mode: NormalizeMode(mode), ID: id, Stage: stage}
	if err := ix.addEntry(e, opts.Add, opts.Replace); err != nil {
		return &Error{Errors: errorLines(err, fmt.Sprintf("%s: cannot add to the index - missing --add option?", path)), Fatal: fatal}
	}
	return nil
}

// NormalizeMode maps any mode to one of the four git records in an
// index: symlink, gitlink (also for a directory), 100755 when the owner
// execute bit is set, else 100644.
func NormalizeMode(mode uint32) uint32 {
	switch mode & 0o170000 {
	case 0o120000:
		return ModeSymlink
	case 0o040000, ModeGitlink:
		return ModeGitlink
	}
	if mode&0o100 != 0 {
		return ModeExecutable
	}
	return ModeRegular
}

// ForceRemove is "git update-index --force-remove path": the entries of
// path at every stage go, whether or not the file exists.
func (ix *Index) ForceRemove(path string) error {
	if !VerifyPath(path, 0) {
		return fmt.Errorf("%w %s", ErrIgnoredPath, path)
	}
	ix.RemovePath(path)
	return nil
}

// RemovePath removes path at every stage, recording removed conflict
// stages as resolve-undo data and invalidating the cache tree, as git's
// remove_file_from_index does.
func (ix *Index) RemovePath(path string) {
	ix.invalidate(path)
	i, _ := ix.Find(path, 0)
	for i < len(ix.Entries) && ix.Entries[i].Path == path {
		ix.removeAt(i)
	}
}

// invalidate drops path from the cache tree. Like git's
// cache_tree_invalidate_path, having a cache tree at all makes the index
// changed, even when nothing under path was cached: "update-index
// --force-remove" of an absent path then still writes the index.
func (ix *Index) invalidate(path string) {
	if ix.CacheTree != nil {
		ix.CacheTree.Invalidate(path)
		ix.modified = true
	}
}

func (ix *Index) removeAt(i int) {
	e := ix.Entries[i]
	if e.Stage > 0 {
		ix.recordResolveUndo(e)
	}
	ix.Entries = append(ix.Entries[:i], ix.Entries[i+1:]...)
	ix.pathsChanged, ix.modified = true, true
}

func (ix *Index) recordResolveUndo(e *Entry) {
	j := 0
	for j < len(ix.ResolveUndo) && ix.ResolveUndo[j].Path < e.Path {
		j++
	}
	if j == len(ix.ResolveUndo) || ix.ResolveUndo[j].Path != e.Path {
		ix.ResolveUndo = insertResolveUndo(ix.ResolveUndo, ResolveUndo{Path: e.Path})
	}
	ix.ResolveUndo[j].Modes[e.Stage-1] = e.Mode
	ix.ResolveUndo[j].IDs[e.Stage-1] = e.ID
}

func (ix *Index) insertAt(i int, e *Entry) {
	ix.Entries = append(ix.Entries, nil)
	copy(ix.Entries[i+1:], ix.Entries[i:])
	ix.Entries[i] = e
	ix.pathsChanged, ix.modified = true, true
}

// addEntry is git's add_index_entry: an entry at an existing path and
// stage replaces it; a stage 0 entry replaces the conflict stages of its
// path; otherwise the path must be allowed (okToAdd) and must not clash
// with a file or directory of the same stage unless okToReplace. The
// error carries the lines git prints itself, if any.
func (ix *Index) addEntry(e *Entry, okToAdd, okToReplace bool) error {
	ix.invalidate(e.Path)
	i, found := ix.Find(e.Path, e.Stage)
	if found {
		ix.Entries[i] = e
		ix.modified = true
		return nil
	}
	if e.Stage == 0 {
		for i < len(ix.Entries) && ix.Entries[i].Path == e.Path {
			okToAdd = true
			ix.removeAt(i)
		}
	}
	if !okToAdd {
		return &addError{}
	}
	if !VerifyPath(e.Path, e.Mode) {
		return &addError{lines: []string{fmt.Sprintf("invalid path '%s'", e.Path)}}
	}
	if ix.fileDirectoryConflict(e, i, okToReplace) {
		if !okToReplace {
			return &addError{lines: []string{fmt.Sprintf("'%s' appears as both a file and as a directory", e.Path)}}
		}
		i, _ = ix.Find(e.Path, e.Stage)
	}
	ix.insertAt(i, e)
	return nil
}

// fileDirectoryConflict reports whether e's path is a directory of
// existing entries or has an existing entry as a leading directory, at
// e's stage; with replace, the clashing entries are removed.
func (ix *Index) fileDirectoryConflict(e *Entry, pos int, replace bool) bool {
	conflict := ix.hasFileName(e, pos, replace)
	return ix.hasDirName(e, replace) || conflict
}

func (ix *Index) hasFileName(e *Entry, pos int, replace bool) bool {
	conflict := false
	prefix := e.Path + "/"
	for pos < len(ix.Entries) {
		p := ix.Entries[pos]
		if len(p.Path) <= len(e.Path) || !strings.HasPrefix(p.Path, e.Path) {
			break
		}
		pos++
		if p.Stage != e.Stage || !strings.HasPrefix(p.Path, prefix) {
			continue
		}
		conflict = true
		if !replace {
			break
		}
		pos--
		ix.removeAt(pos)
	}
	return conflict
}

func (ix *Index) hasDirName(e *Entry, replace bool) bool {
	conflict := false
	for slash := strings.LastIndexByte(e.Path, '/'); slash > 0; slash = strings.LastIndexByte(e.Path[:slash], '/') {
		dir := e.Path[:slash]
		i, found := ix.Find(dir, e.Stage)
		if found {
			conflict = true
			if !replace {
				break
			}
			ix.removeAt(i)
			continue
		}
		// Entries already under dir/ at this stage mean dir and its
		// leading directories are directories already.
		for ; i < len(ix.Entries); i++ {
			p := ix.Entries[i]
			if len(p.Path) <= len(dir) || p.Path[len(dir)] != '/' || !strings.HasPrefix(p.Path, dir) {
				break
			}
			if p.Stage == e.Stage {
				return conflict
			}
		}
	}
	return conflict
}

// beyondSymlink reports whether a leading directory of path is a
// symbolic link in the work tree (git's has_symlink_leading_path). seen
// caches directory results across calls.
func (o *Options) beyondSymlink(path string, seen map[string]bool) bool {
	for slash := strings.IndexByte(path, '/'); slash >= 0; {
		dir := path[:slash]
		link, ok := seen[dir]
		if !ok {
			info, err := o.lstat(dir)
			link = err == nil && info.Mode()&fs.ModeSymlink != 0
			if seen != nil {
				seen[dir] = link
			}
		}
		if link {
			return true
		}
		next := strings.IndexByte(path[slash+1:], '/')
		if next < 0 {
			break
		}
		slash += 1 + next
	}
	return false
}

func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return libc.Strerror(errno)
	}
	return unwrapPathError(err).Error()
}
