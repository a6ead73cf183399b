package gitapi

import "strconv"

// ExitError is an exit status carried as an error, for commands (git's
// faces, kiln's subcommands) that end with a status other than 0: Err is
// the message still to print, nil when it has been printed already.
type ExitError struct {
	Code int
	Err  error
}

// Error is the error behind the status, else "exit status N".
func (e *ExitError) Error() string {
	if e.Err == nil {
		return "exit status " + strconv.Itoa(e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns Err.
func (e *ExitError) Unwrap() error { return e.Err }
