// Package tools runs, in-process, the small text and file programs git's
// shell porcelain spawns (sed, expr, tr, cut, grep, cat, head, wc, sort,
// mkdir, rmdir, rm, mv, cp, touch, basename, dirname, uname), for the forms
// the corpus uses. Each tool is byte-for-byte the Debian program it stands
// for (GNU sed 4.9, coreutils 9.1, grep 3.8) in standard output, standard
// error, exit status and effect on files.
//
// A form a tool does not implement exactly is refused: Handles reports
// false, and Run returns handled=false before it has read or written
// anything, so the caller runs the real program instead. Handles is pure
// (it looks only at the arguments), so a static pass can classify a call;
// Run may still refuse for its environment (a locale other than C, POSIX
// or C.UTF-8).
//
// In a few cases a tool only learns after reading its input that it
// cannot match the real program (grep on data holding NUL bytes, which
// grep treats as binary). It then runs the real program itself, feeding
// it the input it has read, and reports that through Env.OnSpawn.
//
// The regular expression dialects are translated to Go's regexp with
// leftmost-longest matching. Constructs without an exact Go counterpart
// (back-references in a pattern, equivalence classes, alternation in a
// pattern with groups, repeated groups) are refused.
package tools
