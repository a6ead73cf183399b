// Package apply computes what "git apply" (git 2.39.5) does to a set of
// files, without a repository: patch text in, postimages and git's exact
// stderr and exit code out.
//
// Parsing uses github.com/bluekeyes/go-gitdiff for the lines of text
// hunks; this package reads what git derives itself: file boundaries, path
// names after -p/--directory (including git's -p guess for traditional
// diffs and GNU diff time stamps), creation/deletion/rename/copy/mode
// headers, the patch line numbers used in messages (with git's counting
// quirks), and "GIT binary patch" data (line shape, base85, inflated size,
// with git's messages; a broken binary patch stops parsing and the patches
// before it still apply, as in git). go-gitdiff is handed each file's
// hunks under a neutral header, since its header rules differ from git's.
//
// Application follows git's algorithm: each hunk is searched for at its
// expected line, then one line further forward and one further back, in
// turn; lines produced by an earlier hunk never match again. With -C N,
// when no place is found, the beginning/end anchors are dropped and then
// context is reduced (the larger side, or both when equal) down to N.
// --unidiff-zero changes the anchors as in git.
//
// Implemented: exact match, offset search, fuzz (-C), --unidiff-zero, --no-add, -pN,
// --directory, new/deleted files, renames and copies, mode changes, symlink
// content, binary patches (literal and delta, with git's object-id checks),
// "\ No newline at end of file", plain "diff -u" input, default whitespace
// warnings (core.whitespace rule, apply.whitespace warn/nowarn/error,
// squelching after 5), --check, -v messages, --stat/--numstat/--summary on
// their own (Options.Report), and git's error messages and
// exit codes for failures. Applying is all-or-nothing.
//
// Sources: Apply reads through a Source (Dir for a work tree; the caller
// supplies an index-backed one for --cached). With Location
// IndexAndWorkTree (--index) the Source is the index and also implements
// WorkTreeSource, so that "does not match index" and "already exists in
// working directory" are decided as git does; the caller writes the Result
// to both trees (Result.Write takes any Sink).
//
// Paths beyond a symbolic link are refused as git refuses them ("affected
// file ... is beyond a symbolic link", "reading from ... beyond a symbolic
// link").
//
// Running from a subdirectory (Options.Prefix: non-git diffs are taken
// from it, files outside it skipped) and --include/--exclude (Options.Use)
// choose which files apply, as git's use_patch does.
//
// Not implemented yet: --whitespace=fix, --ignore-whitespace, -R, --reject,
// --3way, --recount, --inaccurate-eof, --allow-overlap, the reports
// (--stat, --numstat, --summary, Options.Report) after --check or
// --apply, gitattributes (per-path
// whitespace rules, eol conversion), intent-to-add index entries, and the full verify_path checks (only absolute paths
// and "", ".", ".." and .git components are refused). A parse error that
// go-gitdiff reports where git would not, or the reverse, gives "corrupt
// patch" with a different line number than git's. Binary patches are
// checked with SHA-1 object ids only (no SHA-256 repositories). For
// corrupt deflate data (other than a bad header or checksum) git prints
// zlib's own description, which is not reproduced.
package apply
