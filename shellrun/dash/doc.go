// Package dash holds exact Go versions of what dash 0.5.12 (Debian
// bookworm's /bin/sh) does in its builtins and word expansion: test and
// [, printf, echo, IFS field splitting, pathname expansion, pattern
// matching for case and ${x#p}, and $(( )) arithmetic.
//
// Everything here is a pure function of its arguments: no global state,
// no processes. Output, error messages and exit statuses are byte for
// byte dash's; the package's tests run every case under real dash and
// compare. Error messages carry a caller-supplied prefix standing for
// dash's "$0: LINENO: " (for example "git-foo: 12: "), so a builtin's
// error reads "git-foo: 12: [: missing ]".
package dash
