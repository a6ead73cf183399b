package gitapi

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
)

// MaxSymrefDepth is how many symbolic refs git follows before giving up.
const MaxSymrefDepth = 5

// ErrRefNotFound is returned when a ref does not exist (or a symbolic ref
// points at one that does not).
var ErrRefNotFound = errors.New("ref not found")

// Ref is one entry of a ref listing.
type Ref struct {
	Name   string
	ID     Hash
	Peeled Hash // for an annotated tag from packed-refs, the object it points at; zero otherwise
}

// rawRef is what one ref name holds before symbolic refs are followed.
type rawRef struct {
	symref string // target of a symbolic ref, "" for a direct ref
	id     Hash
}

// refDir returns the directory a ref's loose file and reflog live under:
// HEAD, pseudo-refs and per-worktree refs belong to the git directory,
// the rest to the common directory.
func (r *Repo) refDir(name string) string {
	if !strings.HasPrefix(name, "refs/") ||
		strings.HasPrefix(name, "refs/worktree/") ||
		strings.HasPrefix(name, "refs/bisect/") ||
		strings.HasPrefix(name, "refs/rewritten/") {
		return r.gitDir
	}
	return r.commonDir
}

// refPath is the loose file of a ref.
func (r *Repo) refPath(name string) string {
	return filepath.Join(r.refDir(name), filepath.FromSlash(name))
}

// readRaw reads one ref without following it: its loose file, or its line
// in packed-refs.
func (r *Repo) readRaw(name string) (rawRef, bool, error) {
	if raw, ok, err := readLooseRef(r.refPath(name)); ok || err != nil {
		return raw, ok, err
	}
	if !strings.HasPrefix(name, "refs/") {
		return rawRef{}, false, nil
	}
	packed, err := r.packedRefs()
	if err != nil {
		return rawRef{}, false, err
	}
	if ref, ok := packed[name]; ok {
		return rawRef{id: ref.ID}, true, nil
	}
	return rawRef{}, false, nil
}

// readLooseRef parses a loose ref file: "ref: <name>" or an object id
// (FETCH_HEAD-like files may have more after it).
func readLooseRef(path string) (rawRef, bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || errors.Is(err, syscall.ENOTDIR) || isDirError(err) {
			return rawRef{}, false, nil
		}
		return rawRef{}, false, err
	}
	s := string(data)
	if rest, ok := strings.CutPrefix(s, "ref:"); ok {
		return rawRef{symref: strings.TrimSpace(rest)}, true, nil
	}
	if len(s) < HexSize {
		return rawRef{}, false, nil
	}
	id, err := ParseHash(s[:HexSize])
	if err != nil || (len(s) > HexSize && !isSpace(s[HexSize])) {
		return rawRef{}, false, nil
	}
	return rawRef{id: id}, true, nil
}

// isDirError reports whether err comes from reading a directory as a
// file.
func isDirError(err error) bool {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		fi, statErr := os.Stat(pe.Path)
		return statErr == nil && fi.IsDir()
	}
	return false
}

// readSymref returns the target of a symbolic ref file.
func readSymref(path string) (string, bool) {
	raw, ok, err := readLooseRef(path)
	if err != nil || !ok || raw.symref == "" {
		return "", false
	}
	return raw.symref, true
}

// packedCache is a parsed packed-refs file and the stat it was read
// with; it is reused while the file is unchanged.
type packedCache struct {
	mu    sync.Mutex
	stat  fs.FileInfo
	path  string
	refs  map[string]Ref
	valid bool
}

// packedRefs returns the common directory's packed-refs, parsed again
// only when the file changed.
func (r *Repo) packedRefs() (map[string]Ref, error) {
	path := filepath.Join(r.commonDir, "packed-refs")
	pc := &r.shared.packed
	pc.mu.Lock()
	defer pc.mu.Unlock()
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]Ref{}, nil
	}
	if err != nil {
		return nil, err
	}
	if pc.valid && pc.path == path && sameFile(pc.stat, fi) {
		return pc.refs, nil
	}
	refs, err := readPackedRefs(path)
	if err != nil {
		return nil, err
	}
	pc.stat, pc.path, pc.refs, pc.valid = fi, path, refs, true
	return refs, nil
}

// sameFile reports whether two stats show the same unchanged file.
func sameFile(a, b fs.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// readPackedRefs parses a packed-refs file; callers must not modify the
// map it returns (it is shared through the cache).
func readPackedRefs(path string) (map[string]Ref, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]Ref{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	refs := map[string]Ref{}
	last := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || line[0] == '#':
		case line[0] == '^' && last != "":
			if id, err := ParseHash(line[1:]); err == nil {
				ref := refs[last]
				ref.Peeled = id
				refs[last] = ref
			}
		default:
			hexID, name, ok := strings.Cut(line, " ")
			id, err := ParseHash(hexID)
			if !ok || err != nil {
				return nil, fmt.Errorf("unexpected line in %s: %s", f.Name(), line)
			}
			refs[name] = Ref{Name: name, ID: id}
			last = name
		}
	}
	return refs, sc.Err()
}

// ResolveRef follows a ref name (HEAD, refs/heads/main, ...) through
// symbolic refs to an object id. It returns the final ref name too.
func (r *Repo) ResolveRef(name string) (Hash, string, error) {
	for depth := 0; depth <= MaxSymrefDepth; depth++ {
		raw, ok, err := r.readRaw(name)
		if err != nil {
			return ZeroHash, name, err
		}
		if !ok {
			return ZeroHash, name, &RefNotFoundError{Ref: name}
		}
		if raw.symref == "" {
			return raw.id, name, nil
		}
		name = raw.symref
	}
	return ZeroHash, name, fmt.Errorf("%s: too many levels of symbolic refs", name)
}

// SymbolicRef returns the ref a symbolic ref points at ("refs/heads/main"
// for HEAD on main); ok is false for a ref that is not symbolic.
func (r *Repo) SymbolicRef(name string) (target string, ok bool, err error) {
	raw, found, err := r.readRaw(name)
	if err != nil || !found || raw.symref == "" {
		return "", false, err
	}
	return raw.symref, true, nil
}

// CurrentBranch returns the full name of the branch HEAD points at
// (which may not exist yet), or "" for a detached HEAD.
func (r *Repo) CurrentBranch() string {
	target, _ := readSymref(filepath.Join(r.gitDir, "HEAD"))
	return target
}

// Refs lists the refs whose names start with prefix ("refs/" for all),
// loose ones overriding packed ones, sorted by name. Symbolic refs are
// listed with the id they resolve to; dangling ones are left out.
func (r *Repo) Refs(prefix string) ([]Ref, error) {
	packed, err := r.packedRefs()
	if err != nil {
		return nil, err
	}
	all := map[string]Ref{}
	for name, ref := range packed {
		if strings.HasPrefix(name, prefix) {
			all[name] = ref
		}
	}
	for _, root := range uniqueDirs(r.commonDir, r.gitDir) {
		if err := r.collectLoose(root, prefix, all); err != nil {
			return nil, err
		}
	}
	refs := make([]Ref, 0, len(all))
	for _, ref := range all {
		refs = append(refs, ref)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Name < refs[j].Name })
	return refs, nil
}

// uniqueDirs drops repeated directories.
func uniqueDirs(dirs ...string) []string {
	var out []string
	for _, d := range dirs {
		if len(out) == 0 || out[len(out)-1] != d {
			out = append(out, d)
		}
	}
	return out
}

// collectLoose adds the loose refs under root/refs matching prefix.
// looseWalkStart is the directory under root that holds every loose ref
// whose name starts with prefix: the prefix's directory part when it is
// below refs/ (a refs/heads/topic/ check walks refs/heads/topic, not
// every ref of the repository), else refs; "" when no loose ref can
// start with prefix.
func looseWalkStart(root, prefix string) string {
	dir := prefix
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		dir = dir[:i]
	} else {
		dir = ""
	}
	if !strings.HasPrefix(dir+"/", "refs/") || strings.Contains(dir, "..") || strings.Contains(dir, "//") {
		return filepath.Join(root, "refs")
	}
	start := root
	for _, part := range strings.Split(dir, "/") {
		start = filepath.Join(start, part)
		info, err := os.Lstat(start)
		switch {
		case err != nil || info.Mode().IsRegular():
			// No directory there (or a ref file): no loose ref is
			// named below it.
			return ""
		case !info.IsDir():
			// A symbolic link on the way: the walk from refs judges
			// it, as it always did.
			return filepath.Join(root, "refs")
		}
	}
	return start
}

func (r *Repo) collectLoose(root, prefix string, all map[string]Ref) error {
	start := looseWalkStart(root, prefix)
	if start == "" {
		return nil
	}
	return filepath.WalkDir(start, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		name := filepath.ToSlash(rel)
		if !strings.HasPrefix(name, prefix) || CheckRefName(name, false) != nil || r.refDir(name) != root {
			return nil
		}
		id, _, err := r.ResolveRef(name)
		if err != nil {
			delete(all, name)
			return nil
		}
		all[name] = Ref{Name: name, ID: id}
		return nil
	})
}

// CheckRefName applies git's check-ref-format rules: no component starts
// with '.' or ends with ".lock", no "..", "@{", control characters, space,
// ~ ^ : ? * [ or backslash, no empty component, no trailing '/' or '.',
// not "@". Unless oneLevel, the name needs at least two components.
func CheckRefName(name string, oneLevel bool) error {
	bad := fmt.Errorf("invalid ref name: %s", name)
	if name == "" || name == "@" || strings.HasSuffix(name, ".") {
		return bad
	}
	components := strings.Split(name, "/")
	if !oneLevel && len(components) < 2 {
		return bad
	}
	for _, c := range components {
		if c == "" || c[0] == '.' || strings.HasSuffix(c, ".lock") {
			return bad
		}
	}
	if strings.Contains(name, "..") || strings.Contains(name, "@{") {
		return bad
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte(" ~^:?*[\\", c) >= 0 {
			return bad
		}
	}
	return nil
}
