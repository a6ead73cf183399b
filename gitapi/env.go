package gitapi

import (
	"fmt"
	"os"
	"strings"
)

// environ is the environment an operation sees: the process environment by
// default, or an explicit list (a builtin running a script's command with
// its own variables).
type environ map[string]string

// newEnviron builds an environ from "KEY=value" pairs; nil means the
// process environment.
func newEnviron(pairs []string) environ {
	if pairs == nil {
		pairs = os.Environ()
	}
	env := make(environ, len(pairs))
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			env[k] = v
		}
	}
	return env
}

// lookup returns a variable's value and whether it is set.
func (e environ) lookup(key string) (string, bool) {
	v, ok := e[key]
	return v, ok
}

// get returns a variable's value, "" when unset.
func (e environ) get(key string) string { return e[key] }

// nonEmpty returns a variable's value and whether it is set and non-empty,
// the test git applies to most of its path variables.
func (e environ) nonEmpty(key string) (string, bool) {
	v := e[key]
	return v, v != ""
}

// boolean reads a variable the way git_env_bool does: unset means def.
func (e environ) boolean(key string, def bool) bool {
	v, ok := e[key]
	if !ok {
		return def
	}
	b, err := parseBool(v, true)
	if err != nil {
		return def
	}
	return b
}

// gitError is an error whose text is one of git's messages, kept
// verbatim (capitals and punctuation included) because scripts and tests
// compare it byte for byte.
type gitError struct{ msg string }

func (e *gitError) Error() string { return e.msg }

// prefixedError is a fatal error git announces with an "error: " line
// first.
type prefixedError struct {
	errorLine string
	err       error
}

func (e *prefixedError) Error() string { return e.err.Error() }
func (e *prefixedError) Unwrap() error { return e.err }

// gitErrorf formats one of git's messages as an error.
func gitErrorf(format string, args ...any) error {
	return &gitError{fmt.Sprintf(format, args...)}
}
