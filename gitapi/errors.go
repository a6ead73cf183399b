package gitapi

// This file holds the typed errors of the library that callers inspect:
// each carries what names the failure (revision, ref, object, lock file)
// and wraps the sentinel of its kind, so errors.Is(err, ErrBadRevision)
// and errors.As(err, &*RevisionError) both work.

// RevisionError is a revision that names nothing. It wraps
// ErrBadRevision.
type RevisionError struct {
	Rev string // the revision as given
}

// Error names the revision.
func (e *RevisionError) Error() string { return e.Rev + ": " + ErrBadRevision.Error() }

// Unwrap returns ErrBadRevision.
func (e *RevisionError) Unwrap() error { return ErrBadRevision }

// RefNotFoundError is a ref that does not exist (or a symbolic ref whose
// target does not). It wraps ErrRefNotFound.
type RefNotFoundError struct {
	Ref string // the ref's full name
}

// Error names the ref.
func (e *RefNotFoundError) Error() string { return e.Ref + ": " + ErrRefNotFound.Error() }

// Unwrap returns ErrRefNotFound.
func (e *RefNotFoundError) Unwrap() error { return ErrRefNotFound }

// ObjectNotFoundError is an object in no loose file and no pack. It
// wraps ErrObjectNotFound.
type ObjectNotFoundError struct {
	ID Hash
}

// Error names the object.
func (e *ObjectNotFoundError) Error() string { return e.ID.String() + ": " + ErrObjectNotFound.Error() }

// Unwrap returns ErrObjectNotFound.
func (e *ObjectNotFoundError) Unwrap() error { return ErrObjectNotFound }

// OutsideError is a path given on the command line that leads outside
// the work tree. It wraps ErrOutsideRepository; its text is git's.
type OutsideError struct {
	Path     string // as given
	WorkTree string
}

// Error is git's message for the path.
func (e *OutsideError) Error() string {
	return e.Path + ": '" + e.Path + "' is " + ErrOutsideRepository.Error() + " at '" + e.WorkTree + "'"
}

// Unwrap returns ErrOutsideRepository.
func (e *OutsideError) Unwrap() error { return ErrOutsideRepository }

// LockKind says why a lock file could not be created.
type LockKind int

// The kinds of LockError.
const (
	// LockHeld: the lock file exists (another process holds it).
	LockHeld LockKind = iota + 1
	// LockFailed: the file system refused to create it (Cause).
	LockFailed
	// LockNoDirectory: its directory could not be created (Cause).
	LockNoDirectory
)

// LockError is a lock file ("<file>.lock") that could not be created.
// It carries what names the failure; the words git prints for it are
// the printer's (gitapi/gitmsg).
type LockError struct {
	Path  string   // the lock file
	Kind  LockKind // why
	Cause error    // the file system's error
}

// Error says which lock file and why, in kiln's words (git's are
// gitmsg.Lock).
func (e *LockError) Error() string {
	switch e.Kind {
	case LockHeld:
		return "lock file " + e.Path + " is held"
	case LockNoDirectory:
		return "cannot create the directory of lock file " + e.Path + ": " + e.Cause.Error()
	}
	return "cannot create lock file " + e.Path + ": " + e.Cause.Error()
}

// Unwrap returns the file system's error.
func (e *LockError) Unwrap() error { return e.Cause }
