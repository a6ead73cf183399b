// Package quiltimport is git-quiltimport as a Go builtin: it applies a
// quilt patch series to the current branch, one commit per patch, with
// every git operation done in-process by gitapi and no child process.
//
// It stands for the script of the installed git line by line; each block
// names the script lines it replaces (`git-quiltimport:83-103`), and the
// parity fixtures in tests/fixtures/quiltimport decide that both behave
// the same: output, exit status, refs, reflogs, index, work tree, and what
// is left in $GIT_DIR/rebase-apply when it fails half way.
//
// Where the script's git commands wrote the index and HEAD once per
// patch, the builtin holds them in memory with their locks taken
// (index.lock and the branch's lock, from the first patch on) and
// writes them when the run ends, after every 32 patches,
// before it waits on stdin (an author, a bare -p's patch) or lets git
// apply a patch, and on a deadly signal it can catch (after the patch
// being committed): what is left is what the script leaves at the same point,
// while a reader meanwhile sees the index and HEAD as they were when
// last written (the work tree and objects change patch by patch). A
// SIGKILL loses at most those 32 patches from HEAD and the index
// (their commits are stored) and leaves the locks, as git killed while
// writing leaves its lock.
// Creating a lock file per patch and command was most of the run's
// time.
//
// Where the script's behaviour comes from the shell rather than from git
// (dash's echo escapes, read's field splitting, expr's matching, sed over
// the whole info block, an author prompt that never ends at end of input),
// the builtin does the same, on purpose: a port that fixes such a quirk
// declares it in the fixtures' divergence ledger first.
package quiltimport
