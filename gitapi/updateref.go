package gitapi

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// RefUpdate describes one change to a ref, as `git update-ref` makes it.
type RefUpdate struct {
	Name string
	// New is the value to store; ignored by Delete.
	New Hash
	// Old, when not nil, is the value the ref must have before the
	// change; a zero Old means the ref must not exist.
	Old *Hash
	// Message is the reflog message (git collapses its whitespace).
	Message string
	// NoDeref updates Name itself even when it is a symbolic ref.
	NoDeref bool
	// CreateReflog writes a reflog even where core.logAllRefUpdates
	// would not.
	CreateReflog bool
	// Delete removes the ref (loose file, packed-refs line and reflog).
	Delete bool
}

// RefUpdateKind says why a ref update failed.
type RefUpdateKind int

// The kinds of RefUpdateError.
const (
	// RefFailed: the files backend failed (Cause).
	RefFailed RefUpdateKind = iota + 1
	// RefBadName: Ref is not a name a ref may have.
	RefBadName
	// RefMissingObject: the new value (Object) is no object.
	RefMissingObject
	// RefNonCommit: the new value (Object) of a branch is no commit.
	RefNonCommit
	// RefNameConflict: another ref (Other) is where Target's file or
	// directory would go.
	RefNameConflict
	// RefLocked: Target's lock could not be taken (Cause, a
	// *LockError).
	RefLocked
	// RefExists: the ref exists where the update required it not to.
	RefExists
	// RefUnresolvable: the ref does not resolve where the update
	// required an old value.
	RefUnresolvable
	// RefMismatch: the ref is at Object, not at the old value Expected.
	RefMismatch
	// RefPackedLocked: the deletion could not lock packed-refs (Cause,
	// a *LockError).
	RefPackedLocked
)

// RefUpdateError is a failed ref update: what names the failure; the
// words git prints for it are the printer's (gitapi/gitmsg).
type RefUpdateError struct {
	Ref      string        // the ref as the update names it
	Target   string        // the ref it resolves to, the one written
	Kind     RefUpdateKind // why
	Object   Hash          // the new value, or the current one (RefMismatch)
	Expected Hash          // the old value required (RefMismatch)
	Other    string        // the ref in the way (RefNameConflict)
	Cause    error         // the error behind the failure, if any
}

// Error says which ref and why, in kiln's words (git's are
// gitmsg.RefUpdate and gitmsg.RefUpdateReason).
func (e *RefUpdateError) Error() string {
	s := "cannot update ref " + e.Ref
	switch e.Kind {
	case RefBadName:
		return s + ": bad name"
	case RefMissingObject:
		return s + ": no object " + e.Object.String()
	case RefNonCommit:
		return s + ": " + e.Object.String() + " is no commit"
	case RefNameConflict:
		return s + ": " + e.Other + " is in the way"
	case RefExists:
		return s + ": it exists"
	case RefUnresolvable:
		return s + ": it does not resolve"
	case RefMismatch:
		return s + ": it is at " + e.Object.String() + ", not " + e.Expected.String()
	}
	if e.Cause == nil {
		return s
	}
	return s + ": " + e.Cause.Error()
}

// Unwrap returns the error behind the failure.
func (e *RefUpdateError) Unwrap() error { return e.Cause }

// UpdateRef points name (through symbolic refs) at newID, checking the
// old value first when oldID is not nil, and logs the change with msg.
func (r *Repo) UpdateRef(name string, newID Hash, oldID *Hash, msg string) error {
	return r.Update(RefUpdate{Name: name, New: newID, Old: oldID, Message: msg})
}

// DeleteRef removes name (through symbolic refs), checking the old value
// first when oldID is not nil.
func (r *Repo) DeleteRef(name string, oldID *Hash, msg string) error {
	return r.Update(RefUpdate{Name: name, Old: oldID, Message: msg, Delete: true})
}

// Update applies one ref update the way git's files backend does: the
// ref's `<ref>.lock` is created exclusively, the old value checked, the
// new value written to the lock and renamed into place, and the reflog
// appended (the HEAD reflog too when HEAD points at the updated branch).
func (r *Repo) Update(u RefUpdate) error {
	target := u.Name
	// fail is the error of kind with its cause (a *RefUpdateError of
	// the checks is returned as it is).
	fail := func(kind RefUpdateKind, cause error) error { return refUpdateFailed(u.Name, target, kind, cause) }
	if (u.Delete && !refNameIsSafe(u.Name)) || (!u.Delete && CheckRefName(u.Name, true) != nil) {
		return fail(RefBadName, nil)
	}
	if !u.NoDeref {
		_, final, err := r.ResolveRef(u.Name)
		if err != nil && !errors.Is(err, ErrRefNotFound) {
			return fail(RefFailed, err)
		}
		target = final
	}
	var lock *lockFile
	var err error
	if u.Delete {
		if lock, err = createLock(r.refPath(target)); err != nil {
			return fail(RefLocked, err)
		}
	} else {
		if r.session != nil {
			// No ref on disk names an object only memory holds.
			if err := r.session.FlushObjects(); err != nil {
				return fail(RefFailed, err)
			}
		}
		if lock, err = r.lockForNewValue(u, target, fail); err != nil {
			return err
		}
	}
	defer lock.abandon()
	if r.session != nil {
		// Whatever happens now, what the session knew of the refs
		// may be stale.
		defer r.session.refsChanged()
	}
	current, err := r.currentValue(target)
	if err != nil {
		return fail(RefFailed, err)
	}
	if err := checkOld(u, target, current); err != nil {
		return err
	}
	if u.Delete {
		// Like git, log the deletion on the symbolic refs that led to
		// the ref (HEAD, when it points at the deleted branch).
		var logs []string
		if u.Name != target {
			logs = append(logs, u.Name)
		}
		if head := r.CurrentBranch(); head == target && u.Name != "HEAD" {
			logs = append(logs, "HEAD")
		}
		if err := r.deleteLocked(u, target, lock, fail); err != nil {
			return err
		}
		for _, name := range logs {
			if err := r.appendReflog(name, current, ZeroHash, u.Message, false); err != nil {
				return err
			}
		}
		return nil
	}
	if current == u.New && !r.isSymbolic(target) {
		// The ref keeps its value and its own reflog is left alone,
		// but git still logs the update on the symbolic refs (HEAD)
		// that lead to it.
		lock.abandon()
		return r.logUpdate(u, target, current, false)
	}
	if err := lock.commit(u.New.String() + "\n"); err != nil {
		return fail(RefFailed, err)
	}
	return r.logUpdate(u, target, current, true)
}

// currentValue is the object id a ref resolves to before the update
// (through symbolic refs), zero when it does not resolve.
func (r *Repo) currentValue(name string) (Hash, error) {
	id, _, err := r.ResolveRef(name)
	if errors.Is(err, ErrRefNotFound) {
		return ZeroHash, nil
	}
	return id, err
}

// isSymbolic reports whether name is itself a symbolic ref.
func (r *Repo) isSymbolic(name string) bool {
	raw, ok, err := r.readRaw(name)
	return err == nil && ok && raw.symref != ""
}

// checkNewValue refuses missing objects, and non-commits on branches
// (target is the ref written).
func (r *Repo) checkNewValue(u RefUpdate, target string) error {
	typ, _, err := r.ReadObject(u.New)
	if err != nil {
		return &RefUpdateError{Ref: u.Name, Target: target, Kind: RefMissingObject, Object: u.New}
	}
	if typ != TypeCommit && strings.HasPrefix(target, "refs/heads/") {
		return &RefUpdateError{Ref: u.Name, Target: target, Kind: RefNonCommit, Object: u.New}
	}
	return nil
}

// checkNameConflict refuses a ref that would need a file where another
// ref's directory is (refs/heads/a when refs/heads/a/b exists), or the
// other way round.
func (r *Repo) checkNameConflict(name, target string) error {
	conflict := func(other string) error {
		return &RefUpdateError{Ref: name, Target: target, Kind: RefNameConflict, Other: other}
	}
	below, err := r.Refs(target + "/")
	if err != nil {
		return err
	}
	if len(below) > 0 {
		return conflict(below[0].Name)
	}
	for i := strings.IndexByte(target, '/'); i >= 0; i = nextSlash(target, i) {
		if _, found, err := r.readRaw(target[:i]); err == nil && found {
			return conflict(target[:i])
		}
	}
	return nil
}

// nextSlash returns the index of the next '/' in s after i, or -1.
func nextSlash(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// checkOld compares the ref's current value with the expected one.
func checkOld(u RefUpdate, target string, current Hash) error {
	e := &RefUpdateError{Ref: u.Name, Target: target}
	switch {
	case u.Old == nil || *u.Old == current:
		return nil
	case u.Old.IsZero():
		e.Kind = RefExists
	case current.IsZero():
		e.Kind = RefUnresolvable
	default:
		e.Kind, e.Object, e.Expected = RefMismatch, current, *u.Old
	}
	return e
}

// refNameIsSafe is git's last check before touching the filesystem: refs/
// names without "." or ".." components, or all-caps one-level names like
// HEAD and ORIG_HEAD.
func refNameIsSafe(name string) bool {
	if rest, ok := strings.CutPrefix(name, "refs/"); ok {
		for _, c := range strings.Split(rest, "/") {
			if c == "" || c == "." || c == ".." {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('A' <= c && c <= 'Z' || c == '_') {
			return false
		}
	}
	return name != ""
}

// deleteLocked removes a locked ref: its packed-refs line, its loose file
// and its reflog.
func (r *Repo) deleteLocked(u RefUpdate, target string, lock *lockFile, fail func(RefUpdateKind, error) error) error {
	if err := r.removePacked(target); err != nil {
		var le *LockError
		if errors.As(err, &le) {
			return fail(RefPackedLocked, err)
		}
		return fail(RefFailed, err)
	}
	looseErr := os.Remove(r.refPath(target))
	if looseErr != nil && !errors.Is(looseErr, fs.ErrNotExist) {
		return fail(RefFailed, looseErr)
	}
	logErr := os.Remove(r.reflogPath(target))
	lock.abandon()
	// Like git, prune the directories a removed file leaves empty, but
	// never refs/ and its immediate subdirectories (refs/heads, ...).
	if looseErr == nil {
		r.pruneEmptyDirs(filepath.Dir(r.refPath(target)), r.refDir(target))
	}
	if logErr == nil {
		r.pruneEmptyDirs(filepath.Dir(r.reflogPath(target)), filepath.Join(r.refDir(target), "logs"))
	}
	return nil
}

// removePacked rewrites packed-refs without name, through
// packed-refs.lock.
func (r *Repo) removePacked(name string) error {
	path := filepath.Join(r.commonDir, "packed-refs")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var out []string
	removed, skipPeel := false, false
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if skipPeel && strings.HasPrefix(line, "^") {
			continue
		}
		skipPeel = false
		if _, n, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " "); ok && n == name && !strings.HasPrefix(line, "#") {
			removed, skipPeel = true, true
			continue
		}
		out = append(out, line)
	}
	if !removed {
		return nil
	}
	lock, err := createLock(path)
	if err != nil {
		return err
	}
	defer lock.abandon()
	return lock.commit(strings.Join(out, ""))
}

// pruneEmptyDirs removes dir and its parents while they are empty and at
// least three levels below base (base/refs/heads/x goes, base/refs/heads
// stays).
func (r *Repo) pruneEmptyDirs(dir, base string) {
	for isWithin(dir, base) {
		rel, err := filepath.Rel(base, dir)
		if err != nil || strings.Count(filepath.ToSlash(rel), "/") < 2 {
			return
		}
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// SetSymbolicRef makes name a symbolic ref to target (`git symbolic-ref
// name target`), logging the change with msg (which may be empty) in
// name's reflog when it has or should have one and target exists.
func (r *Repo) SetSymbolicRef(name, target, msg string) error {
	if !strings.HasPrefix(target, "refs/") && name == "HEAD" {
		return Messagef("Refusing to point HEAD outside of refs/")
	}
	lock, err := createLock(r.refPath(name))
	if err != nil {
		return &RefUpdateError{Ref: name, Target: name, Kind: RefLocked, Cause: err}
	}
	defer lock.abandon()
	if r.session != nil {
		defer r.session.refsChanged()
	}
	old, _ := r.currentValue(name)
	if err := lock.commit("ref: " + target + "\n"); err != nil {
		return err
	}
	newID, _, err := r.ResolveRef(target)
	if err != nil {
		return nil
	}
	return r.appendReflog(name, old, newID, msg, false)
}

// refUpdateFailed is the error of an update of ref (through target) of
// kind with its cause; a *RefUpdateError of the checks is returned as it
// is.
func refUpdateFailed(ref, target string, kind RefUpdateKind, cause error) error {
	var e *RefUpdateError
	if errors.As(cause, &e) {
		return e
	}
	return &RefUpdateError{Ref: ref, Target: target, Kind: kind, Cause: cause}
}

// lockForNewValue is the part of an update that gives name (through
// target) a new value, up to its lock: the value checked, the lock's
// directories created (git leaves them behind when it then finds a
// conflicting ref), no conflicting ref, the lock taken. fail makes the
// error of a kind (see Update).
func (r *Repo) lockForNewValue(u RefUpdate, target string, fail func(RefUpdateKind, error) error) (*lockFile, error) {
	if err := r.checkNewValue(u, target); err != nil {
		return nil, err
	}
	os.MkdirAll(filepath.Dir(r.refPath(target)), 0o777)
	if err := r.checkNameConflict(u.Name, target); err != nil {
		return nil, fail(RefFailed, err)
	}
	lock, err := createLock(r.refPath(target))
	if err != nil {
		return nil, fail(RefLocked, err)
	}
	return lock, nil
}
