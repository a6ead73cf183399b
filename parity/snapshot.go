package parity

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Snapshot is everything observable about one run, as named fields. The
// field names are what reports print and what accept: directives name:
//
//	exit, stdout, stderr          the command's exit code and output
//	ref:REPO:REFNAME              a ref's object id, or "-> TARGET" if symbolic (HEAD included)
//	reflog:REPO:REFNAME           the reflog entries of a ref
//	index:REPO                    the index entries
//	resolve-undo:REPO             the index's resolve-undo records
//	config:REPO                   the repository's config file
//	objects:REPO                  the object ids reachable from the refs
//	state:REPO:PATH               any other file under the git dir (ORIG_HEAD, MERGE_HEAD, rebase-apply/...)
//	worktree:PATH                 a file, directory or symbolic link under the work dir
//	home:PATH                     the same under $HOME
//	tmp                           how many entries are left in $TMPDIR
//
// REPO is the git dir's path relative to the work dir (".git",
// "sub/.git", ".git/modules/sub", "upstream.git").
type Snapshot map[string]any

// FileEntry describes one file, directory or symbolic link.
type FileEntry struct {
	Type   string // "file", "dir" or "symlink"
	Mode   string `json:",omitempty"` // permission bits, octal
	Target string `json:",omitempty"` // symbolic link target
	// Text is the (normalized) content of a small text file; larger or
	// binary files are compared by SHA256 of their normalized content.
	Text   *string `json:",omitempty"`
	SHA256 string  `json:",omitempty"`
}

// ReflogEntry is one line of a reflog.
type ReflogEntry struct {
	Old, New string
	Identity string // "Name <email>"
	Time     string // "seconds zone"
	Message  string
}

// maxTextSize is the largest file kept as text for line diffs.
const maxTextSize = 64 << 10

// snapshotter captures the state of one sandbox after a run.
type snapshotter struct {
	ctx  context.Context
	sb   *sandbox
	norm *normalizer
	env  []string
	snap Snapshot
	// collided counts the fields put under each name that several paths
	// normalized to (name, name#2, ...).
	collided map[string]int
}

// ignoredGitDirEntries are the parts of a git dir captured as structured
// fields rather than as state files; objects/ and packed-refs are
// storage details (loose or packed is not observable).
var ignoredGitDirEntries = map[string]bool{
	"objects": true, "refs": true, "logs": true, "index": true,
	"config": true, "packed-refs": true, "HEAD": true,
}

func (s *snapshotter) take() error {
	work := s.sb.path("work")
	gitDirs, err := findGitDirs(work)
	if err != nil {
		return err
	}
	skip := map[string]bool{}
	for _, dir := range gitDirs {
		skip[dir] = true
	}
	if err := s.files("worktree:", work, skip); err != nil {
		return err
	}
	if err := s.files("home:", s.sb.path("home"), nil); err != nil {
		return err
	}
	tmp, _ := os.ReadDir(s.sb.path("tmp"))
	s.snap["tmp"] = fmt.Sprint(len(tmp))
	for _, dir := range gitDirs {
		rel, _ := filepath.Rel(work, dir)
		if err := s.repo(filepath.ToSlash(rel), dir, skip); err != nil {
			return err
		}
	}
	s.orderCollisions()
	return nil
}

// orderCollisions gives the fields of paths that normalized to one name
// (subtree-cache/PID for two caches) their #N suffixes in the order of
// their values, not of the paths before normalization: which of two
// process ids sorts first must not decide what is compared with what.
func (s *snapshotter) orderCollisions() {
	for name, n := range s.collided {
		keys := []string{name}
		for i := 2; i <= n; i++ {
			keys = append(keys, fmt.Sprintf("%s#%d", name, i))
		}
		values := make([]any, len(keys))
		for i, k := range keys {
			values[i] = s.snap[k]
		}
		// JSON, not fmt: FileEntry.Text is a pointer.
		sortKey := func(v any) string {
			b, _ := json.Marshal(v)
			return string(b)
		}
		sort.SliceStable(values, func(i, j int) bool { return sortKey(values[i]) < sortKey(values[j]) })
		for i, k := range keys {
			s.snap[k] = values[i]
		}
	}
}

// isGitDir reports whether dir looks like a repository's git dir (a .git
// dir, a bare repository, or a submodule's dir under .git/modules).
func isGitDir(dir string) bool {
	head, err := os.Lstat(filepath.Join(dir, "HEAD"))
	if err != nil || !head.Mode().IsRegular() {
		return false
	}
	for _, sub := range []string{"objects", "refs"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err != nil || !fi.IsDir() {
			return false
		}
	}
	return true
}

// findGitDirs lists the git dirs under root, nested ones included, in
// walk order.
func findGitDirs(root string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil // unreadable or missing: files() records that
		}
		name := d.Name()
		if name == "objects" || name == "refs" || name == "logs" {
			if isGitDir(filepath.Dir(path)) {
				return fs.SkipDir
			}
		}
		if isGitDir(path) {
			dirs = append(dirs, path)
		}
		return nil
	})
	return dirs, err
}

// files records every entry under root as prefix+relative path, skipping
// the git dirs in skip.
func (s *snapshotter) files(prefix, root string, skip map[string]bool) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, path)
		name := prefix + s.norm.text(filepath.ToSlash(rel))
		switch {
		case err != nil && path == root:
			return nil // the side removed the whole tree: no entries
		case err != nil:
			// A directory the side made unreadable: that is state too.
			s.put(name+"#error", "error: "+s.norm.text(err.Error()))
			return nil
		case path == root:
			return nil
		case skip[path]:
			return fs.SkipDir
		}
		entry, err := s.fileEntry(path, d)
		if err != nil {
			return err
		}
		s.put(name, entry)
		return nil
	})
}

// put records a field; two paths that normalize to the same name get
// distinct fields.
func (s *snapshotter) put(name string, value any) {
	key := name
	for i := 2; ; i++ {
		if _, taken := s.snap[key]; !taken {
			break
		}
		key = fmt.Sprintf("%s#%d", name, i)
		if s.collided == nil {
			s.collided = map[string]int{}
		}
		s.collided[name] = i
	}
	s.snap[key] = value
}

func (s *snapshotter) fileEntry(path string, d fs.DirEntry) (FileEntry, error) {
	info, err := d.Info()
	if err != nil {
		return FileEntry{}, err
	}
	mode := fmt.Sprintf("%04o", info.Mode().Perm())
	switch {
	case info.IsDir():
		return FileEntry{Type: "dir", Mode: mode}, nil
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(path)
		if err != nil {
			return FileEntry{}, err
		}
		return FileEntry{Type: "symlink", Target: s.norm.text(target)}, nil
	case info.Mode().IsRegular():
		data, err := os.ReadFile(path)
		if err != nil {
			// Unreadable (mode 000 when not root): compare that fact.
			return FileEntry{Type: "file", Mode: mode, SHA256: "unreadable"}, nil
		}
		return s.content(FileEntry{Type: "file", Mode: mode}, data), nil
	default:
		return FileEntry{Type: info.Mode().Type().String(), Mode: mode}, nil
	}
}

// content fills in a file's normalized content: as text when small and
// textual (for line diffs), as a hash otherwise.
func (s *snapshotter) content(e FileEntry, data []byte) FileEntry {
	text := s.norm.text(string(data))
	if len(text) <= maxTextSize && utf8.ValidString(text) && !strings.ContainsRune(text, 0) {
		e.Text = &text
		return e
	}
	sum := sha256.Sum256([]byte(text))
	e.SHA256 = hex.EncodeToString(sum[:])
	return e
}

// repo records a git dir's refs, reflogs, index, config, state files and
// reachable objects.
func (s *snapshotter) repo(name, dir string, nested map[string]bool) error {
	if err := s.refs(name, dir); err != nil {
		return err
	}
	if err := s.reflogs(name, dir); err != nil {
		return err
	}
	s.index(name, dir)
	if config, err := os.ReadFile(filepath.Join(dir, "config")); err == nil {
		s.snap["config:"+name] = s.norm.text(string(config))
	}
	if err := s.stateFiles(name, dir, nested); err != nil {
		return err
	}
	s.snap["objects:"+name] = s.objects(dir)
	return nil
}

func (s *snapshotter) git(dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(s.ctx, "git", append([]string{"--git-dir=" + dir}, args...)...)
	cmd.Env = s.env
	cmd.Dir = s.sb.path("work")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// refs records HEAD and every ref, read directly from the loose ref
// files and packed-refs (git 2.39 has no other ref storage); this saves a
// git process per repository and run. Symbolic refs read "-> TARGET".
func (s *snapshotter) refs(name, dir string) error {
	head, err := os.ReadFile(filepath.Join(dir, "HEAD"))
	if err != nil {
		return err
	}
	s.snap["ref:"+name+":HEAD"] = refValue(head)
	refs := map[string]string{}
	if packed, err := os.ReadFile(filepath.Join(dir, "packed-refs")); err == nil {
		for _, line := range strings.Split(string(packed), "\n") {
			if line == "" || line[0] == '#' || line[0] == '^' {
				continue // header, or the peeled value of the tag above
			}
			if oid, ref, ok := strings.Cut(line, " "); ok {
				refs[ref] = oid
			}
		}
	}
	err = filepath.WalkDir(filepath.Join(dir, "refs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		refs[filepath.ToSlash(rel)] = refValue(data) // loose refs override packed ones
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	for ref, value := range refs {
		s.snap["ref:"+name+":"+ref] = s.norm.text(value)
	}
	return nil
}

// refValue renders a ref file: an object id, or "-> TARGET".
func refValue(data []byte) string {
	value := strings.TrimSpace(string(data))
	if target, ok := strings.CutPrefix(value, "ref: "); ok {
		return "-> " + target
	}
	return value
}

func (s *snapshotter) reflogs(name, dir string) error {
	logs := filepath.Join(dir, "logs")
	err := filepath.WalkDir(logs, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(logs, path)
		s.snap["reflog:"+name+":"+filepath.ToSlash(rel)] = s.parseReflog(data)
		return nil
	})
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// parseReflog splits reflog lines "OLD NEW IDENTITY TIME ZONE\tMESSAGE".
func (s *snapshotter) parseReflog(data []byte) []ReflogEntry {
	entries := []ReflogEntry{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		head, message, _ := strings.Cut(line, "\t")
		var e ReflogEntry
		fields := strings.SplitN(head, " ", 3)
		if len(fields) == 3 {
			e.Old, e.New = fields[0], fields[1]
			ident := fields[2]
			// The time is the last two words: seconds and zone.
			if i := strings.LastIndex(ident, "> "); i >= 0 {
				e.Identity, e.Time = ident[:i+1], ident[i+2:]
			} else {
				e.Identity = ident
			}
		} else {
			e.Identity = head
		}
		e.Identity = s.norm.text(e.Identity)
		e.Time = s.norm.text(e.Time)
		e.Message = s.norm.text(message)
		entries = append(entries, e)
	}
	return entries
}

// index records the index entries and resolve-undo records; an index the
// runner cannot parse is recorded as an error value, which still compares.
func (s *snapshotter) index(name, dir string) {
	data, err := os.ReadFile(filepath.Join(dir, "index"))
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		s.snap["index:"+name] = "error: " + err.Error()
		return
	}
	idx, err := parseIndex(data, hashLength(dir))
	if err != nil {
		s.snap["index:"+name] = "error: " + err.Error()
		return
	}
	if idx.split {
		s.snap["index:"+name] = s.lsFiles(dir)
	} else {
		s.snap["index:"+name] = idx.entries
	}
	if len(idx.resolveUndo) > 0 {
		s.snap["resolve-undo:"+name] = idx.resolveUndo
	}
}

// lsFiles lists the entries of a split index through git, which merges
// the shared index in (flags are not available this way).
func (s *snapshotter) lsFiles(dir string) any {
	out, err := s.git(dir, "ls-files", "--stage", "-z")
	if err != nil {
		return "error: " + s.norm.text(err.Error())
	}
	entries := []IndexEntry{}
	for _, rec := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		meta, path, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 {
			continue
		}
		entries = append(entries, IndexEntry{Path: path, Mode: f[0], OID: f[1], Stage: int(f[2][0] - '0')})
	}
	return entries
}

// hashLength is the object id length in bytes of the repository at dir.
func hashLength(dir string) int {
	config, _ := os.ReadFile(filepath.Join(dir, "config"))
	if bytes.Contains(bytes.ToLower(config), []byte("objectformat = sha256")) {
		return 32
	}
	return 20
}

func (s *snapshotter) stateFiles(name, dir string, nested map[string]bool) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if path == dir {
			return nil
		}
		if (nested[path] && path != dir) || (!strings.Contains(rel, "/") && ignoredGitDirEntries[rel]) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		field := "state:" + name + ":" + s.norm.text(rel)
		if d.Name() == "index" && d.Type().IsRegular() {
			// A linked worktree's index: its stat data differs on
			// every run, so compare its entries.
			s.put(field, s.indexEntries(path))
			return nil
		}
		entry, err := s.fileEntry(path, d)
		if err != nil {
			return err
		}
		s.put(field, entry)
		return nil
	})
}

// indexEntries parses the index file at path for a state field.
func (s *snapshotter) indexEntries(path string) any {
	data, err := os.ReadFile(path)
	if err != nil {
		return "error: " + err.Error()
	}
	idx, err := parseIndex(data, 20)
	if err != nil {
		return "error: " + err.Error()
	}
	return idx.entries
}

// objects lists the ids of all objects reachable from the refs, sorted.
func (s *snapshotter) objects(dir string) any {
	out, err := s.git(dir, "rev-list", "--objects", "--all")
	if err != nil {
		return "error: " + s.norm.text(err.Error())
	}
	ids := []string{}
	for _, line := range strings.Split(string(out), "\n") {
		if id, _, _ := strings.Cut(line, " "); id != "" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
