// Package shellrun is kiln's shell runtime. It has two faces that share
// one set of rules (dash's, git's /bin/sh) and one way to run git and
// programs:
//
//   - State, the runtime translated scripts run on (kiln translate's
//     output): variables, positional parameters, functions, traps, file
//     descriptors and redirections, subshells, pipelines and background
//     jobs, set -e, and dash's builtins as methods. What the translator
//     left to the shell (eval, a sourced file without a translation, a
//     bash array) runs through the embedded interpreter on the same State
//     (State.Shell, State.Eval, State.Source); translated libraries
//     register with RegisterLibrary and run when sourced.
//   - Run, which runs a whole parsed script in-process with mvdan.cc/sh/v3's
//     interpreter (kiln run), adapting what dash does differently: echo's
//     backslash escapes, trap with signal numbers (only exit traps can
//     fire in-process), and input from file descriptors above 2 (`while
//     read x <&3; ...; done 3<file`), served from a descriptor table of
//     shellrun's own; any other use of such a descriptor is refused before
//     the script starts, with its position.
//
// Both run a script as git runs its porcelain (git's exec path at the
// head of PATH, so `. git-sh-setup` resolves) and serve every `git` call
// with gitapi, a call gitapi does not implement yet going through
// gitapi's one counted fallback. The small programs scripts spawn for
// text and file work (sed, expr, cut, grep, mkdir, rm, ...) run
// in-process through package tools, for the forms it implements exactly;
// others are spawned. Stats counts which was which; its counters are
// atomic, since pipeline stages run at once.
//
// Subpackages: dash (dash's expansion rules, printf, test and arithmetic,
// checked against dash) and tools (the in-process text and file tools).
//
// A script whose shebang says bash runs with bash's semantics instead
// (Options.Bash, Config.Bash): bash's echo and printf, BASH_VERSION and
// BASH_VERSINFO of the installed bash, arrays kept in the State, and the
// interpreter's bash bugs rewritten around or, where kiln cannot, the
// construct refused with its position (CheckBash).
package shellrun
