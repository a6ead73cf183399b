package shellparse

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// dashBuiltins are the commands dash (Debian's /bin/sh) runs without a
// process, from its builtins table; [ and test, echo, printf and kill are
// among them even though executables of those names exist too.
var dashBuiltins = setOf(
	".", ":", "[", "alias", "bg", "break", "cd", "chdir", "command",
	"continue", "echo", "eval", "exec", "exit", "export", "false", "fg",
	"getopts", "hash", "jobs", "kill", "local", "printf", "pwd", "read",
	"readonly", "return", "set", "shift", "test", "times", "trap", "true",
	"type", "ulimit", "umask", "unalias", "unset", "wait",
)

// bashBuiltins are bash's builtins on top of the common ones.
var bashBuiltins = union(dashBuiltins, setOf(
	"bind", "builtin", "caller", "compgen", "complete", "compopt",
	"declare", "dirs", "disown", "enable", "help", "history", "let",
	"logout", "mapfile", "popd", "pushd", "readarray", "shopt", "source",
	"suspend", "typeset",
))

// specialBuiltins take precedence over functions (POSIX 2.9.1).
var specialBuiltins = setOf(
	".", ":", "break", "continue", "eval", "exec", "exit", "export",
	"readonly", "return", "set", "shift", "times", "trap", "unset",
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func union(a, b map[string]bool) map[string]bool {
	m := make(map[string]bool, len(a)+len(b))
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// IsBuiltin reports whether the shell of lang runs name without a process.
func IsBuiltin(lang Lang, name string) bool {
	if lang == LangBash {
		return bashBuiltins[name]
	}
	return dashBuiltins[name]
}

// scope is what a name in command position can mean in one file: the
// shell's builtins and the functions visible at run time (the file's own
// and those of the files it sources or is sourced by).
type scope struct {
	lang  Lang
	funcs map[string]bool
}

// kind resolves a literal command name the way the shell does: special
// builtins, then functions, then builtins, then programs.
func (s *scope) kind(name string) Kind {
	switch {
	case name == "git":
		return KindGit
	case specialBuiltins[name]:
		return KindBuiltin
	case s.funcs[name]:
		return KindFunction
	case IsBuiltin(s.lang, name):
		return KindBuiltin
	}
	return KindExternal
}

// gitOptionsWithArg are git's own options that take the next word.
var gitOptionsWithArg = setOf("-C", "-c", "--git-dir", "--work-tree",
	"--namespace", "--super-prefix", "--config-env", "--list-cmds")

// gitInfoOptions answer without a subcommand; such a call is reported
// with the option as its subcommand ("--exec-path").
var gitInfoOptions = setOf("--exec-path", "--html-path", "--man-path",
	"--info-path", "--version", "--help", "-h")

// parseGitArgs fills in the subcommand, git's own options and the literal
// flags of a git invocation.
func parseGitArgs(inv *Invocation, args []*syntax.Word) {
	for len(args) > 0 {
		s, ok := literal(args[0])
		if !ok {
			if p := litPrefix(args[0]); strings.HasPrefix(p, "-") {
				inv.GlobalFlags = append(inv.GlobalFlags, p)
				args = args[1:]
				continue
			}
			// git $cmd: the subcommand is not known statically.
			inv.Subcommand = ""
			return
		}
		if !strings.HasPrefix(s, "-") {
			inv.Subcommand = s
			inv.Flags = literalFlags(args[1:])
			return
		}
		inv.GlobalFlags = append(inv.GlobalFlags, s)
		args = args[1:]
		if gitOptionsWithArg[s] && len(args) > 0 {
			args = args[1:]
		}
	}
	for _, f := range inv.GlobalFlags {
		name, _, _ := strings.Cut(f, "=")
		if gitInfoOptions[name] {
			inv.Subcommand = name
			return
		}
	}
}

// literalFlags returns the words that are options, up to "--": literal
// ones whole, partly dynamic ones by their literal prefix ("--author=").
func literalFlags(args []*syntax.Word) []string {
	var flags []string
	for _, a := range args {
		s, ok := literal(a)
		if !ok {
			s = litPrefix(a)
		}
		if s == "--" {
			break
		}
		if strings.HasPrefix(s, "-") && s != "-" {
			flags = append(flags, s)
		}
	}
	return flags
}
