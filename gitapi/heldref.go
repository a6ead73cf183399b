package gitapi

import (
	"errors"
	"sync"
)

// HeldRef is a ref that one run of a builtin updates again and again, as
// its script did with a `git update-ref` per step: the ref's lock is
// taken at the first update and kept, each update is checked as Update
// checks it and held in memory (the value, and the reflog lines with the
// committer and time of that update), and the ref file and its reflogs
// are written once, by Commit. After Commit the repository is as the
// last of the updates would have left it: the same ref value and the
// same reflog lines, in order. A step that ends the run, or lets
// something outside the process read the ref, calls Commit first.
//
// Holding saves a lock file per update (a new inode each, the cost that
// dominates a run of small steps); while the ref is held, other writers
// of it find its lock taken, as they would during one git update-ref.
type HeldRef struct {
	r    *Repo
	name string

	mu     sync.Mutex
	target string    // the ref name resolves to, whose file is written
	lock   *lockFile // nil when no update is held
	onDisk Hash      // the value the file has under the lock
	value  Hash      // the value after the updates held
	logs   []heldLog // reflog lines to append, in order
}

// heldLog is a reflog line waiting for Commit.
type heldLog struct{ name, line string }

// HoldRef returns name (through symbolic refs, as UpdateRef follows
// them) to update with h.Update; nothing is locked before the first
// update.
func (r *Repo) HoldRef(name string) *HeldRef { return &HeldRef{r: r, name: name} }

// Update is UpdateRef(name, newID, nil, msg) held in memory: its errors
// are Update's (a *RefUpdateError for the checks and the lock). r is the
// repository whose environment the reflog's committer comes from.
func (h *HeldRef) Update(r *Repo, newID Hash, msg string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	u := RefUpdate{Name: h.name, New: newID, Message: msg}
	if h.lock == nil {
		if err := h.take(u); err != nil {
			return err
		}
	} else if err := r.checkNewValue(u, h.target); err != nil {
		return err
	}
	if r.session != nil {
		// No ref on disk names an object only memory holds.
		if err := r.session.FlushObjects(); err != nil {
			return &RefUpdateError{Ref: h.name, Target: h.target, Kind: RefFailed, Cause: err}
		}
	}
	// The reflogs as Update's logUpdate appends them.
	var names []string
	if h.value != newID || r.isSymbolic(h.target) {
		names = append(names, h.target)
	}
	if h.name != h.target {
		names = append(names, h.name)
	}
	if head := r.CurrentBranch(); head == h.target && h.name != "HEAD" {
		names = append(names, "HEAD")
	}
	for _, name := range names {
		if !r.logsRef(name, false) && !h.logsPending(name) {
			continue
		}
		line, err := r.reflogLine(h.value, newID, msg)
		if err != nil {
			return err
		}
		h.logs = append(h.logs, heldLog{name, line})
	}
	h.value = newID
	return nil
}

// logsPending reports whether a held line will create name's reflog.
func (h *HeldRef) logsPending(name string) bool {
	for _, l := range h.logs {
		if l.name == name {
			return true
		}
	}
	return false
}

// take is Update's first half for the first held update: name checked
// and resolved, the new value checked, the lock taken and the current
// value read under it.
func (h *HeldRef) take(u RefUpdate) error {
	r := h.r
	target := u.Name
	fail := func(kind RefUpdateKind, cause error) error { return refUpdateFailed(u.Name, target, kind, cause) }
	if CheckRefName(u.Name, true) != nil {
		return fail(RefBadName, nil)
	}
	_, final, err := r.ResolveRef(u.Name)
	if err != nil && !errors.Is(err, ErrRefNotFound) {
		return fail(RefFailed, err)
	}
	target = final
	lock, err := r.lockForNewValue(u, target, fail)
	if err != nil {
		return err
	}
	current, err := r.currentValue(target)
	if err != nil {
		lock.abandon()
		return fail(RefFailed, err)
	}
	h.target, h.lock, h.onDisk, h.value = target, lock, current, current
	return nil
}

// Commit writes the held updates: the ref's new value renamed into place
// (when it changed) and the reflog lines appended; the lock is released
// either way, and the next update takes it again.
func (h *HeldRef) Commit() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lock == nil {
		return nil
	}
	lock, logs := h.lock, h.logs
	h.lock, h.logs = nil, nil
	if h.r.session != nil {
		defer h.r.session.refsChanged()
	}
	if h.value == h.onDisk && !h.r.isSymbolic(h.target) {
		lock.abandon()
	} else if err := lock.commit(h.value.String() + "\n"); err != nil {
		return &RefUpdateError{Ref: h.name, Target: h.target, Kind: RefFailed, Cause: err}
	}
	h.onDisk = h.value
	for _, l := range logs {
		if err := h.r.writeReflogLine(l.name, l.line); err != nil {
			return err
		}
	}
	return nil
}
