package tools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/kiln-dev/kiln/gitapi/libc"
)

// locale is what of the locale a tool's behaviour depends on.
type locale struct {
	// utf8 is an LC_CTYPE of C.UTF-8: text is UTF-8 and messages quote
	// names with ‘ and ’.
	utf8 bool
}

// localeOf reads the locale from environ, and refuses (false) any locale
// other than C, POSIX and C.UTF-8: others may translate messages or
// collate differently.
func localeOf(environ []string) (locale, bool) {
	for _, cat := range []string{"LC_CTYPE", "LC_MESSAGES", "LC_COLLATE", "LC_NUMERIC"} {
		if !knownLocale(localeValue(environ, cat)) {
			return locale{}, false
		}
	}
	// gettext heeds LANGUAGE in any locale but C and POSIX.
	if lang, _ := getenv(environ, "LANGUAGE"); lang != "" && isUTF8Locale(localeValue(environ, "LC_MESSAGES")) {
		return locale{}, false
	}
	ctype := localeValue(environ, "LC_CTYPE")
	return locale{utf8: isUTF8Locale(ctype) && cUTF8Installed()}, true
}

// localeValue is the locale a category gets: LC_ALL, else the category's
// own variable, else LANG.
func localeValue(environ []string, category string) string {
	for _, key := range []string{"LC_ALL", category, "LANG"} {
		if v, _ := getenv(environ, key); v != "" {
			return v
		}
	}
	return ""
}

func knownLocale(v string) bool {
	return v == "" || v == "C" || v == "POSIX" || isUTF8Locale(v)
}

func isUTF8Locale(v string) bool { return v == "C.UTF-8" || v == "C.utf8" }

var cUTF8 = sync.OnceValue(func() bool {
	_, err := os.Stat("/usr/lib/locale/C.utf8")
	return err == nil
})

// cUTF8Installed reports whether C.UTF-8 exists; without it the C
// library falls back to C.
func cUTF8Installed() bool { return cUTF8() }

// call is one invocation of a tool.
type call struct {
	ctx    context.Context
	name   string
	args   []string
	env    Env
	loc    locale
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func newCall(ctx context.Context, name string, args []string, env Env, loc locale) *call {
	c := &call{ctx: ctx, name: name, args: args, env: env, loc: loc,
		stdin: env.Stdin, stdout: env.Stdout, stderr: env.Stderr}
	if c.stdin == nil {
		c.stdin = strings.NewReader("")
	}
	if c.stdout == nil {
		c.stdout = io.Discard
	}
	if c.stderr == nil {
		c.stderr = io.Discard
	}
	return c
}

// path is where operand p is, relative to the call's directory.
func (c *call) path(p string) string {
	if filepath.IsAbs(p) || c.env.Dir == "" {
		return p
	}
	return filepath.Join(c.env.Dir, p)
}

// errorf prints a message prefixed with the program's name, as the GNU
// tools' error() does.
func (c *call) errorf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "%s: %s\n", c.name, fmt.Sprintf(format, a...))
}

// quote is coreutils' quote(): the name between quotes of the locale.
func (c *call) quote(s string) string {
	if c.loc.utf8 {
		return "\u2018" + s + "\u2019"
	}
	return "'" + s + "'"
}

// quotef is coreutils' quotef(): the name as is, or shell-quoted when it
// holds a blank. Operands are limited to safeOperand's characters, so
// nothing else needs quoting.
func quotef(s string) string {
	if strings.ContainsAny(s, " ") || s == "" {
		return "'" + s + "'"
	}
	return s
}

// safeOperand reports whether a file operand prints the same through
// every quoting style the tools' messages use: letters, digits, blanks
// and a few punctuation marks, and not empty.
func safeOperand(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
		case strings.IndexByte("._/+,:@%- ", b) >= 0:
		default:
			return false
		}
	}
	return true
}

func safeOperands(ops []string) bool {
	for _, o := range ops {
		if !safeOperand(o) {
			return false
		}
	}
	return noDeviceOperands(ops)
}

// noDeviceOperands reports whether no operand is under /dev or /proc:
// there /dev/stdin and /proc/self/fd/N would be kiln's descriptors, not
// the script's.
func noDeviceOperands(ops []string) bool {
	for _, o := range ops {
		if !strings.HasPrefix(o, "/") {
			continue
		}
		clean := path.Clean(o) + "/"
		if strings.HasPrefix(clean, "/dev/") || strings.HasPrefix(clean, "/proc/") {
			return false
		}
	}
	return true
}

// readOperand reads a file operand whole; "-" is standard input.
func (c *call) readOperand(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(c.stdin)
	}
	return os.ReadFile(c.path(name))
}

// spawnReal runs the real program with the call's arguments, giving it
// consumed (what the tool already read of standard input) before the rest
// of standard input. It is the way out when a tool learns from its input
// that it cannot match the program.
func (c *call) spawnReal(consumed []byte) int {
	if c.env.OnSpawn != nil {
		c.env.OnSpawn()
	}
	path, ok := lookPath(c.name, c.env)
	if !ok {
		c.errorf("cannot run the real program")
		return 127
	}
	cmd := exec.CommandContext(c.ctx, path, c.args...)
	cmd.Args[0] = c.name
	cmd.Dir, cmd.Env = c.env.Dir, c.env.Environ
	cmd.Stdin = io.MultiReader(bytes.NewReader(consumed), c.stdin)
	cmd.Stdout, cmd.Stderr = c.stdout, c.stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		c.errorf("%v", err)
		return 127
	}
	return 0
}

// strerror is the C library's text for the error under err
// (libc.Strerror, written once for kiln).
var strerror = libc.Strerror
