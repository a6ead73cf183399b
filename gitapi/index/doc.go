// Package index reads, changes and writes git's index file
// (.git/index, or GIT_INDEX_FILE) the way git 2.39.5 does, byte for
// byte, and builds trees from it (write-tree). gitapi wraps it for
// "kiln git update-index", "write-tree", "ls-files" and "apply --index".
//
// It imports nothing of kiln's and not gitapi itself: object ids are
// [20]byte (ID), and the repository is reached through two small
// interfaces, ObjectWriter (WriteObject) and ObjectChecker (HasObject),
// which a thin adapter over gitapi.Repo provides. Package code never
// spawns git; the tests compare with the installed git.
//
// # Use
//
//	opts := index.DefaultOptions(workTree)     // then core.* config, see Options
//	ix, err := index.OpenLocked(indexFile, opts) // takes index.lock, reads
//	if err != nil { return err }
//	defer ix.Rollback()                         // no-op after Commit
//	if err := ix.UpdatePath("a.c", objects, index.UpdateOptions{Add: true}); err != nil { return err }
//	tree, write, err := ix.WriteTree(objects, objects, index.WriteTreeOptions{})
//	if err == nil && (write || ix.Modified()) { err = ix.Commit() } // write to lock, rename
//
// Errors for the argv face: *Error (update-index: "error: " lines then
// "fatal: " and exit 128), *WriteTreeError (write-tree: its lines, then
// "fatal: "), ErrIgnoredPath (git prints "Ignoring path <p>" and goes
// on), *CorruptError (git: "error: <msg>" then "fatal: index file
// corrupt"), *LockedError (git's "Unable to create '...index.lock': File
// exists." text). Paths given to the update functions must already be
// normalised and relative to the work tree root, as git's prefix_path
// leaves them.
//
// # Implemented
//
//   - Reading versions 2, 3 and 4 (path prefix compression), all entry
//     flags (stage, assume-valid, skip-worktree, intent-to-add), the
//     checksum (git itself checks it only in fsck), git's order check
//     (entries sorted by path then stage; git accepts a stage 0 entry
//     beside conflict stages, and so does this), clear errors and no
//     panics on corrupt input (FuzzParse, FuzzParseUnchecked).
//
//   - Writing what git writes: the same version as read, a new index in
//     Options.DefaultVersion (GIT_INDEX_VERSION / index.version /
//     feature.manyFiles, to be read by the caller) else git's default,
//     v2/v3 chosen by whether any entry has an extended flag, through
//     index.lock and rename. Stat data is lstat's, truncated to 32 bits
//     like git's; modes are normalised as git does (100644, 100755,
//     120000, 160000) with core.filemode and core.symlinks honoured.
//     Racy git: on every write, entries not older than the index file
//     whose stat data still matches but whose content differs get size 0
//     (git's ce_smudge_racily_clean_entry); entries this process filled
//     or checked are left alone. Comparisons use whole seconds, as git
//     2.39.5 is built without USE_NSEC.
//
//   - update-index: UpdatePath (--add, --remove, --replace, --info-only),
//     ForceRemove, CacheInfo, IndexInfo (all three line formats, -z, C
//     quoting), SetAssumeUnchanged, SetSkipWorktree, Chmod, Refresh (--refresh, -q, --unmerged, --ignore-missing,
//     --really-refresh), with git's file/directory conflict rules, its
//     resolve-undo recording when conflict stages are dropped, and its
//     cache-tree invalidation for every changed path. Refresh hashes file
//     content ("blob <len>\0" + bytes, SHA-1) for racily clean entries.
//
//   - diff-files and diff-index (without --cached): CompareWorkTree is
//     git's check_removed, ie_match_stat (content checked for racily
//     clean entries) and ce_mode_from_stat for one entry; the cache
//     tree invalidation done by any removal marks the index changed, as
//     git's does.
//
//   - write-tree: WriteTree reuses valid cache-tree nodes whose tree
//     exists, rebuilds the rest (index order equals git's tree order, so
//     "a-b" < "a.b" < "a/" < "a0" comes out right), skips intent-to-add
//     entries and leaves their directories invalid, --missing-ok,
//     --prefix, and git's messages for unmerged entries, "You have both
//     X and X/Y", and missing objects.
//
//   - Submodules (gitlinks) are compared and added by their HEAD, read
//     from the submodule's .git (directory or "gitdir:" file, loose or
//     packed refs), as git's resolve_gitlink_ref does.
//
//   - New index version: VersionSettings.DefaultVersion is git's choice
//     from GIT_INDEX_VERSION, index.version and feature.manyFiles, with
//     its warnings for invalid values.
//
// # Extensions
//
//   - TREE (cache tree) and REUC (resolve undo) are parsed, kept up to
//     date and written back. A malformed one is dropped, as git drops it.
//
//   - UNTR (untracked cache) and FSMN (fsmonitor) are kept as raw bytes.
//     Open does what git does to every index it reads: it drops FSMN
//     unless Options.FSMonitor (core.fsmonitor) is on, and adds an empty
//     untracked cache or drops it as Options.UntrackedCache
//     (core.untrackedCache) says; such a change marks the index modified,
//     as git then rewrites it. They are written back unchanged while the
//     set of paths is unchanged (stat refreshes do not affect them). Once
//     a path is added or removed, git would invalidate the directories
//     involved inside them; this package does not parse them, so it
//     writes a fresh empty untracked cache (core.untrackedCache=true) or
//     none, and no fsmonitor data. Either is safe: git rebuilds them on
//     its next "status". Only then do the bytes differ from git's.
//
//   - EOIE and IEOT (offset tables, written by git only when
//     index.threads or index.record* ask) and unknown optional
//     extensions (signature starting with A-Z) are skipped on read and
//     not written, as git does for the latter with its default config.
//
//   - Split index ("link"): ErrSplitIndex; the shared index is not read,
//     so nothing is written that could lose entries. An unknown required
//     extension (lower-case signature, e.g. sparse-index "sdir") is
//     refused with git's "index uses %s extension, which we do not
//     understand".
//
// # Not yet
//
//   - Invalidating inside UNTR and FSMN (see Extensions), and querying
//     an fsmonitor hook or daemon.
//
//   - Content filters: CRLF conversion (core.autocrlf, .gitattributes
//     text/eol) and clean filters are not applied when hashing work tree
//     files; such repositories get raw-content ids.
//
//   - core.ignoreStat, core.checkRoundtripEncoding, sparse indexes, and the update-index flags outside Add/Remove/
//     Replace/InfoOnly/ForceRemove/CacheInfo/IndexInfo/Refresh and the
//     flag and chmod marks (e.g. --again, --unresolve, --split-index,
//     --untracked-cache, --fsmonitor); the argv parsing itself (sticky
//     modes such as --chmod, prefix_path normalisation, --stdin, -z,
//     --verbose reports) belongs to the argv face.
//
//   - core.sharedRepository: the index is created with mode 0666 minus
//     the umask; group permissions are not adjusted.
//
//   - Stat data off Linux fills mtime and size only.
package index
