// Package shellrun runs shell scripts in-process with mvdan.cc/sh/v3's
// interpreter, the way git runs its porcelain (git's exec path at the head
// of PATH, so `. git-sh-setup` resolves), and serves every `git` call the
// script makes with gitapi; a call gitapi does not implement yet goes
// through gitapi's one counted fallback. The small programs the scripts
// spawn for text and file work (sed, expr, cut, grep, mkdir, rm, ...) run
// in-process too, through package tools, for the forms it implements
// exactly; others are spawned.
//
// The interpreter implements bash; git's scripts are written for dash.
// Where the two differ in ways the corpus relies on, shellrun adapts the
// call before it runs: echo interprets backslash escapes as dash's does,
// trap takes signal numbers (only exit traps can fire in-process), and
// input from file descriptors above 2 (`while read x <&3; ...; done
// 3<file`), which the interpreter does not support, is served from a
// descriptor table of shellrun's own. Any other use of such a descriptor
// is refused before the script starts, with its position.
//
// A script whose shebang says bash runs with bash's semantics instead
// (Options.Bash, Config.Bash): bash's echo and printf, BASH_VERSION and
// BASH_VERSINFO of the installed bash, arrays kept in the State, and the
// interpreter's bash bugs rewritten around or, where kiln cannot, the
// construct refused with its position (CheckBash).
package shellrun
