// Package filterbranch is git-filter-branch as a Go builtin: it rewrites
// the history of the refs given, commit by commit, through the user's
// filters, with the script's temporary directory, map files,
// refs/original backups, tag rewriting and state branch.
//
// It stands for the script of the installed git step by step; each step
// names the script lines it replaces (`git-filter-branch:385-470`), and
// the parity fixtures in tests/fixtures/filter-branch decide that both
// behave the same.
//
// The user's filters are shell text: they run in kiln's embedded
// interpreter (package shellrun) on one State that stands for the
// script's shell, so variables a filter sets stay set for the next
// commit as they do in the script, and every git command a filter runs
// is served in-process by gitapi (a form gitapi does not serve goes
// through its one counted fallback). The helpers the script gives its
// filters, map, skip_commit, git_commit_non_empty_tree, warn and die,
// are Go functions defined on that State; the commit filter runs on a
// State of its own made from the exported variables, as the script runs
// it with /bin/sh -c.
//
// The steps of the loop that involve no user text are typed gitapi
// calls: reading each commit's tree into the temporary index
// (Repo.ReadTreeMerge), reading the commit, its identities and message,
// writing the tree, and, without a commit filter, the commit itself.
//
// A run is one gitapi.Session: the in-process git calls reuse one opened
// repository, and the temporary index (without a tree filter), the map
// files and ../commit stay in memory between the steps, written to the
// temporary directory only when something outside may read them (see
// holdIndex and deferScratch, and docs/filter-branch.md). The new trees
// and commits are stored as one pack (gitapi.Session.PackObjects), not
// a loose file each.
package filterbranch
