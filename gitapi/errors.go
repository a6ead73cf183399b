package gitapi

import "github.com/kiln-dev/kiln/gitapi/libc"

// This file holds the typed errors of the library that callers inspect:
// each carries what names the failure (revision, ref, object, lock file)
// and wraps the sentinel of its kind, so errors.Is(err, ErrBadRevision)
// and errors.As(err, &*RevisionError) both work.

// RevisionError is a revision that names nothing. It wraps
// ErrBadRevision.
type RevisionError struct {
	Rev string // the revision as given
}

func (e *RevisionError) Error() string { return e.Rev + ": " + ErrBadRevision.Error() }

// Unwrap returns ErrBadRevision.
func (e *RevisionError) Unwrap() error { return ErrBadRevision }

// RefNotFoundError is a ref that does not exist (or a symbolic ref whose
// target does not). It wraps ErrRefNotFound.
type RefNotFoundError struct {
	Ref string // the ref's full name
}

func (e *RefNotFoundError) Error() string { return e.Ref + ": " + ErrRefNotFound.Error() }

// Unwrap returns ErrRefNotFound.
func (e *RefNotFoundError) Unwrap() error { return ErrRefNotFound }

// ObjectNotFoundError is an object in no loose file and no pack. It
// wraps ErrObjectNotFound.
type ObjectNotFoundError struct {
	ID Hash
}

func (e *ObjectNotFoundError) Error() string { return e.ID.String() + ": " + ErrObjectNotFound.Error() }

// Unwrap returns ErrObjectNotFound.
func (e *ObjectNotFoundError) Unwrap() error { return ErrObjectNotFound }

// OutsideError is a path given on the command line that leads outside
// the work tree. It wraps ErrOutsideRepository; its text is git's.
type OutsideError struct {
	Path     string // as given
	WorkTree string
}

func (e *OutsideError) Error() string {
	return e.Path + ": '" + e.Path + "' is " + ErrOutsideRepository.Error() + " at '" + e.WorkTree + "'"
}

// Unwrap returns ErrOutsideRepository.
func (e *OutsideError) Unwrap() error { return ErrOutsideRepository }

// LockError is a lock file ("<file>.lock") that could not be created:
// another process holds it (Exists), or the file system refused (Err).
// Its text is git's message.
type LockError struct {
	Path   string // the lock file
	Exists bool   // the lock is held
	Err    error  // the file system's error
}

func (e *LockError) Error() string {
	if e.Exists {
		return "Unable to create '" + e.Path + "': File exists.\n\n" +
			"Another git process seems to be running in this repository, e.g.\n" +
			"an editor opened by 'git commit'. Please make sure all processes\n" +
			"are terminated then try again. If it still fails, a git process\n" +
			"may have crashed in this repository earlier:\n" +
			"remove the file manually to continue."
	}
	return "Unable to create '" + e.Path + "': " + libc.Strerror(e.Err)
}

// Unwrap returns the file system's error.
func (e *LockError) Unwrap() error { return e.Err }
