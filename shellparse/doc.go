// Package shellparse parses shell porcelain with mvdan.cc/sh/v3 and audits
// it: every command invocation with its position, enclosing function and
// kind, an estimate of the processes each costs, what the script sources,
// the external programs it needs, and how it parses its options.
//
// The audit is static: nothing in a scanned script is run. Where a command
// name is not a literal (`$cmd`, `eval "$x"`), the invocation is reported
// as dynamic instead of guessed. Text that is static but run later (`eval
// 'literal'`, `trap 'literal' EXIT`) is parsed and audited in place.
package shellparse
