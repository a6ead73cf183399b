// Package gitapi is kiln's in-process git: the library that builtins call
// instead of spawning git, and that `kiln git <sub>` runs on.
//
// It is to kiln what libgit is to git's C builtins. It opens a repository
// the way git does (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE,
// GIT_OBJECT_DIRECTORY, GIT_COMMON_DIR, `.git` files, bare repositories,
// discovery upward from the working directory bounded by
// GIT_CEILING_DIRECTORIES, and the equivalent of `git -C`), and keeps the
// expensive state of a repository (its object store with open pack
// indexes, its parsed configuration) cached for the life of the process.
//
// # The library and its clients
//
// gitapi is the typed library for Go callers: [Open], [Repo.Resolve],
// [Repo.ResolveCommit], [Repo.Config], [Repo.UpdateRef], [Repo.ListTree],
// [Repo.Untracked], [ParsePathspec], [Repo.FormatRefs], [Repo.RevList]
// (rev-list's walk and order), [Repo.ReadTreeMerge] (and
// [Repo.ReadTreeMerge2], [Repo.ReadTreeMerge3]),
// [Repo.CheckoutIndexAll], [Repo.RemoveCached] and friends. It
// parses no argv. The argv faces, which behave like the git subcommand of
// the same name byte for byte, live in package gitcmd
// (github.com/kiln-dev/kiln/gitapi/gitcmd), the library's first client:
// each parses its arguments, makes typed calls here and prints git's
// bytes. git's parse-options is package parseopt
// (github.com/kiln-dev/kiln/gitapi/parseopt), which imports nothing of
// gitapi.
//
// Failures are typed values that carry what names them (a revision, a
// ref, a lock file, a kind, a cause: [RevisionError], [RefUpdateError],
// [LockError], [ExitError], ...); the sentence git prints for a lock or a
// ref update is made where it is printed, with package gitmsg
// (github.com/kiln-dev/kiln/gitapi/gitmsg). A call gitapi does not serve
// yet goes to the installed git through [Fallback], the one place kiln
// spawns git, counted by [FallbackCount].
//
// # What go-git does and what is ours
//
// go-git (github.com/go-git/go-git/v5) is used where it is right: decoding
// pack indexes and packfiles (delta resolution included) and the index
// file format. Everything whose exact behaviour matters to scripts is ours,
// because go-git gets it wrong or does not do it: repository discovery and
// the environment variables, configuration (go-git does not follow
// include.path or includeIf, nor GIT_CONFIG_PARAMETERS), loose objects
// (so GIT_OBJECT_DIRECTORY and alternates are honoured), refs and packed
// refs, ref updates through `<ref>.lock` with old-value checks and reflogs
// written exactly as git writes them (go-git writes none), and the
// revision parser (go-git's gets `X^{tree}`, `X:path`, `@{u}`, `A..B`,
// annotated tags and reflog forms wrong).
//
// # Caching and concurrency
//
// Open is cheap to call again: it redoes discovery (a few stats) but the
// state behind a git directory is shared by every Repo opened on it with
// the same configuration-relevant environment, for the life of the
// process: the object store with its open pack indexes (packs written
// later are found by rescanning on a miss), the parsed configuration
// (read again when a file it came from has changed, which each opened
// Repo checks once, or after ReloadConfig) and packed-refs (re-read
// when its stat changes).
// Loose refs and reflogs are read from disk every time. A Repo may be
// used from several goroutines. A builtin's run can go further with a
// [Session] (Options.Session): the repository opened once per directory
// and environment, and an index held in memory across its commands
// (Session.HoldIndex), written when something outside may read it, and
// the objects it writes kept in memory and stored as one pack
// (Session.PackObjects) at the same points and before a ref update.
// A ref a run updates once per step can be held the same way
// ([Repo.HoldRef]): its lock taken at the first update, the ref and its
// reflogs written once, as the last update would have left them.
//
// gitapi imports only its own subpackages of kiln's and never spawns
// git.
package gitapi
