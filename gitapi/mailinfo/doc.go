// Package mailinfo splits one e-mail into commit metadata, commit message
// and patch exactly as `git mailinfo` of git 2.39.5 does, without a
// repository and without spawning git.
//
// Parse (or ParseBytes) returns an Info holding what git writes: the
// info block (Info.WriteInfo gives git's stdout byte for byte), the msg
// and patch file contents, the stderr lines and the exit status. Run does
// all of it for a caller that has parsed git mailinfo's command line, so
// `kiln git mailinfo` only has to map flags to Options:
//
//	-k -> KeepSubject, -b -> KeepNonPatchBrackets, -m -> AddMessageID,
//	-u -> MetaEncoding = i18n.commitEncoding or "UTF-8", -n -> MetaEncoding = "",
//	--encoding=X -> MetaEncoding = "" (git 2.39.5 ignores X),
//	--[no-]scissors -> Scissors (default mailinfo.scissors),
//	--quoted-cr=X -> QuotedCR (default mailinfo.quotedCr), --no-inbody-headers.
//
// Implemented: header unfolding, RFC 2047 encoded words (Q and B) with
// git's rules for white space between words, From parsing (quoted
// strings, comments, "<addr>" and bare addresses, git's name sanity
// rules), Subject cleanup (Re:, [PATCH ...], -k, -b), MIME multipart
// with nested boundaries (up to git's limit of four), quoted-printable
// and base64 bodies, format=flowed with delsp, quoted CR warnings and
// stripping, in-body From/Subject/Date/[PATCH] headers and ">From "
// separators, scissors lines, Message-Id appending, the patch split at
// "diff -", "Index: " and "---" lines, NUL-in-header errors, and git's
// quirks when input ends inside the headers.
//
// Not implemented: charset conversion covers UTF-8, US-ASCII,
// ISO-8859-1, ISO-8859-15 and windows-1252 (under their common iconv
// names, normalized as glibc does); git converts any charset iconv knows,
// while this package reports "cannot convert" for the others, as git does
// for charsets iconv lacks. A charset name that glibc reduces to nothing
// means the locale's charset to git; here it is US-ASCII (git under
// LC_ALL=C). Where git reads past the end of its buffer (a From with
// unbalanced comment parentheses, on which git 2.39.5 may crash) the
// output is this package's best reading, not git's. Command-line parsing
// (parse-options) and reading mailinfo.* and i18n.commitEncoding
// configuration are the caller's.
package mailinfo
