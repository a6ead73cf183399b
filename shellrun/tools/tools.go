package tools

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Env is what a tool runs with: the caller's working directory, standard
// streams and environment.
type Env struct {
	// Dir is the working directory file operands are relative to.
	Dir string
	// Stdin, Stdout and Stderr are the standard streams; a nil Stdin
	// reads as empty, a nil Stdout or Stderr discards.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Environ is the program's environment as KEY=value pairs: PATH
	// says which program the name means, LC_ALL, LC_CTYPE,
	// LC_MESSAGES, LC_COLLATE and LANG its locale.
	Environ []string
	// OnSpawn, if set, is called when a tool had to run the real
	// program after all (see the package documentation).
	OnSpawn func()
}

// runFunc runs a parsed invocation and returns its exit status.
type runFunc func(c *call) int

// parser checks an argument list (without the program name) and returns
// how to run it, or false when the form is not implemented exactly. utf8
// says the text is read in a C.UTF-8 locale rather than C.
type parser func(args []string, utf8 bool) (runFunc, bool)

// parsers is the registry of tools, by program name.
var parsers = map[string]parser{}

// register adds a tool; each tool's file calls it from init.
func register(name string, p parser) { parsers[name] = p }

// Handles reports whether Run implements this invocation of name with
// args (not counting the program name). It looks only at its arguments.
func Handles(name string, args []string) bool {
	_, ok := lookup(name, args, false)
	return ok
}

func lookup(name string, args []string, utf8 bool) (runFunc, bool) {
	p, ok := parsers[name]
	if !ok {
		return nil, false
	}
	return p(args, utf8)
}

// Run runs name with args (not counting the program name) in-process and
// returns its exit status. handled is false, and nothing has been read or
// written, when Handles refuses the invocation, when the environment's
// PATH does not lead to the system's program of that name, or when its
// locale is one the tools do not reproduce; the caller then runs the real
// program.
func Run(ctx context.Context, name string, args []string, env Env) (status int, handled bool) {
	loc, ok := localeOf(env.Environ)
	if _, posix := getenv(env.Environ, "POSIXLY_CORRECT"); !ok || posix {
		return 0, false // POSIXLY_CORRECT changes option parsing and more
	}
	run, ok := lookup(name, args, loc.utf8)
	if !ok || !systemProgram(name, env) {
		return 0, false
	}
	c := newCall(ctx, name, args, env, loc)
	return run(c), true
}

// systemDirs are where Debian installs the programs the tools stand for
// (/bin is a link to /usr/bin on merged-/usr systems).
var systemDirs = []string{"/usr/bin", "/bin"}

// systemProgram reports whether the first name on env's PATH is the
// system's program, so a script that puts its own sed first still gets it.
func systemProgram(name string, env Env) bool {
	path, ok := lookPath(name, env)
	if !ok {
		return false
	}
	for _, d := range systemDirs {
		if filepath.Dir(path) == d {
			return true
		}
	}
	return false
}

// lookPath finds name on env's PATH as the shell does.
func lookPath(name string, env Env) (string, bool) {
	path, _ := getenv(env.Environ, "PATH")
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if !filepath.IsAbs(p) {
			p = filepath.Join(env.Dir, p)
		}
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}

// getenv is the last value of key in environ.
func getenv(environ []string, key string) (string, bool) {
	val, found := "", false
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			val, found = v, true
		}
	}
	return val, found
}

// isOption reports whether arg is an option cluster (-x...) rather than
// an operand.
func isOption(arg string) bool { return len(arg) > 1 && arg[0] == '-' }

// errNotHandled marks a form found, while parsing, to be out of reach.
var errNotHandled = errors.New("not handled")

// Filter runs a tool on in-memory standard input in the C locale, as a
// Go port of a script calls $(printf ... | sed ...) or $(expr ...), and
// returns its standard output and exit status. ok is false when the tool
// does not implement the form. args should name no files: there is no
// working directory.
func Filter(name string, args []string, stdin []byte) (out []byte, status int, ok bool) {
	run, ok := lookup(name, args, false)
	if !ok {
		return nil, 0, false
	}
	var buf bytes.Buffer
	env := Env{Stdin: bytes.NewReader(stdin), Stdout: &buf, Stderr: io.Discard}
	status = run(newCall(context.Background(), name, args, env, locale{}))
	return buf.Bytes(), status, true
}
