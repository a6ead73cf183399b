// Package gitmsg is git's words for gitapi's typed failures: the text
// git prints for a lock it could not take or a ref update that failed,
// for the programs that print it (the argv faces of gitapi/gitcmd, the
// builtins). gitapi's errors carry what names the failure (path, ref,
// kind, cause); they do not carry git's sentences.
package gitmsg

import (
	"errors"
	"fmt"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/libc"
)

// Lock is git's message for a lock file it could not create.
func Lock(e *gitapi.LockError) string {
	switch e.Kind {
	case gitapi.LockHeld:
		return "Unable to create '" + e.Path + "': File exists.\n\n" +
			"Another git process seems to be running in this repository, e.g.\n" +
			"an editor opened by 'git commit'. Please make sure all processes\n" +
			"are terminated then try again. If it still fails, a git process\n" +
			"may have crashed in this repository earlier:\n" +
			"remove the file manually to continue."
	case gitapi.LockNoDirectory:
		return "unable to create directory for '" + e.Path + "'"
	}
	return "Unable to create '" + e.Path + "': " + libc.Strerror(e.Cause)
}

// RefUpdateReason is git's reason for a failed ref update: the text of
// update-ref's "error: " line for a deletion, and what follows "cannot
// lock ref" messages elsewhere.
func RefUpdateReason(e *gitapi.RefUpdateError) string {
	switch e.Kind {
	case gitapi.RefBadName:
		return "refusing to update ref with bad name '" + e.Ref + "'"
	case gitapi.RefMissingObject:
		return fmt.Sprintf("cannot update ref '%s': trying to write ref '%s' with nonexistent object %s", e.Target, e.Target, e.Object)
	case gitapi.RefNonCommit:
		return fmt.Sprintf("cannot update ref '%s': trying to write non-commit object %s to branch '%s'", e.Target, e.Object, e.Target)
	case gitapi.RefNameConflict:
		return fmt.Sprintf("cannot lock ref '%s': '%s' exists; cannot create '%s'", e.Ref, e.Other, e.Target)
	case gitapi.RefLocked:
		return "cannot lock ref '" + e.Ref + "': " + Text(e.Cause)
	case gitapi.RefExists:
		return "cannot lock ref '" + e.Ref + "': reference already exists"
	case gitapi.RefUnresolvable:
		return fmt.Sprintf("cannot lock ref '%s': unable to resolve reference '%s'", e.Ref, e.Ref)
	case gitapi.RefMismatch:
		return fmt.Sprintf("cannot lock ref '%s': is at %s but expected %s", e.Ref, e.Object, e.Expected)
	case gitapi.RefPackedLocked:
		// update-ref -d and symbolic-ref -d say only what the lock
		// says.
		return Text(e.Cause)
	}
	if e.Cause == nil {
		return e.Error()
	}
	return Text(e.Cause)
}

// RefUpdate is git's fatal message for a failed ref update
// ("update_ref failed for ref ...").
func RefUpdate(e *gitapi.RefUpdateError) string {
	return "update_ref failed for ref '" + e.Ref + "': " + RefUpdateReason(e)
}

// Text is what git prints after "fatal: " for err: RefUpdate for a
// *gitapi.RefUpdateError, Lock for a *gitapi.LockError (or an error
// wrapping one), err's own text for any other error.
func Text(err error) string {
	var ue *gitapi.RefUpdateError
	if errors.As(err, &ue) {
		return RefUpdate(ue)
	}
	var le *gitapi.LockError
	if errors.As(err, &le) {
		return Lock(le)
	}
	return err.Error()
}

// AmbiguousArgument is git's fatal message for a command-line argument
// that names neither a revision nor a file.
func AmbiguousArgument(arg string) string {
	return "ambiguous argument '" + arg + "': unknown revision or path not in the working tree.\n" +
		"Use '--' to separate paths from revisions, like this:\n" +
		"'git <command> [<revision>...] -- [<file>...]'"
}
