// Package subtree is git-subtree as a Go builtin: split a subdirectory's
// history out into a history of its own (with --rejoin, --squash,
// --onto, -b, --ignore-joins and the script's cache on disk), add a
// history under a prefix, merge, pull and push, with the same commit ids,
// output, errors and exit statuses as the script of the installed git.
//
// Each block names the script lines it stands for (`git-subtree:782-833`);
// the parity fixtures in tests/fixtures/subtree decide that both behave the
// same. The split walk runs in-process on gitapi: no git process is
// spawned per commit. Porcelain the script hands to git as a whole
// (fetch, push, merge, read-tree, checkout, reset) goes through gitapi's
// counted fallback, once per run, as git's own C builtins spawn them.
//
// Where the script's behaviour comes from the shell (read's field
// splitting and backslashes, the debug indentation of dash's dynamic
// `local`, progress lines ending in "\r"), the builtin does the same.
package subtree
