// Package gitapi is kiln's in-process git: the library that builtins call
// instead of spawning git, and the implementation behind `kiln git <sub>`.
//
// It is to kiln what libgit is to git's C builtins. It opens a repository
// the way git does (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE,
// GIT_OBJECT_DIRECTORY, GIT_COMMON_DIR, `.git` files, bare repositories,
// discovery upward from the working directory bounded by
// GIT_CEILING_DIRECTORIES, and the equivalent of `git -C`), and keeps the
// expensive state of a repository (its object store with open pack
// indexes, its parsed configuration) cached for the life of the process.
//
// # Two faces over one implementation
//
// The typed face is for Go callers: [Open], [Repo.Resolve],
// [Repo.ResolveCommit], [Repo.Config], [Repo.UpdateRef], [Repo.Ref] and
// friends. The argv face, [Run], behaves like the git subcommand of the
// same name byte for byte (stdout, stderr, exit status) and is what
// `kiln git <sub>` runs; differential tests compare it with the installed
// git on repositories made by real git.
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
// (until ReloadConfig) and packed-refs (re-read when its stat changes).
// Loose refs and reflogs are read from disk every time. A Repo may be
// used from several goroutines.
//
// # What the argv face serves
//
// Run implements rev-parse, config (reading), var, symbolic-ref,
// show-ref and update-ref, plus the subcommands registered by other
// files of the package. Serves tells, per argument form, whether Run
// handles it; forms it does not (config writes, update-ref --stdin,
// @{date}, ...) go to the one counted Fallback.
//
// gitapi imports nothing of kiln's and never spawns git (outside
// Fallback).
package gitapi
