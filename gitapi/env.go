package gitapi

import (
	"fmt"
	"os"
	"strings"
)

// Env is the environment an operation sees: the process environment by
// default, or an explicit list (a builtin running a script's command with
// its own variables).
type Env map[string]string

// NewEnv builds an environ from "KEY=value" pairs; nil means the
// process environment.
func NewEnv(pairs []string) Env {
	if pairs == nil {
		pairs = os.Environ()
	}
	env := make(Env, len(pairs))
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			env[k] = v
		}
	}
	return env
}

// Lookup returns a variable's value and whether it is set.
func (e Env) Lookup(key string) (string, bool) {
	v, ok := e[key]
	return v, ok
}

// Get returns a variable's value, "" when unset.
func (e Env) Get(key string) string { return e[key] }

// nonEmpty returns a variable's value and whether it is set and non-empty,
// the test git applies to most of its path variables.
func (e Env) nonEmpty(key string) (string, bool) {
	v := e[key]
	return v, v != ""
}

// boolean reads a variable the way git_env_bool does: unset means def.
func (e Env) boolean(key string, def bool) bool {
	v, ok := e[key]
	if !ok {
		return def
	}
	b, err := ParseBool(v, true)
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

// PrefixedError is a fatal error git announces with an "error: " line
// first.
type PrefixedError struct {
	ErrorLine string
	Err       error
}

// Error is the fatal message (Err's).
func (e *PrefixedError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *PrefixedError) Unwrap() error { return e.Err }

// Messagef formats one of git's messages as an error.
func Messagef(format string, args ...any) error {
	return &gitError{fmt.Sprintf(format, args...)}
}

// WorkingDir returns dir, or the process working directory for "".
func WorkingDir(dir string) string {
	if dir != "" {
		return dir
	}
	wd, _ := os.Getwd()
	return wd
}

// Pairs turns the environment back into "KEY=value" pairs.
func (e Env) Pairs() []string {
	out := make([]string, 0, len(e))
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}
