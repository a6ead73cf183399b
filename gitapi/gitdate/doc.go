// Package gitdate parses dates the way git 2.39.5 parses
// GIT_AUTHOR_DATE and GIT_COMMITTER_DATE (git's strict date parser, the
// one behind idents and `git commit-tree`), and formats them the way git
// writes them in commit and tag headers ("1112911993 -0700").
//
// Implemented, each checked against the installed git by the tests:
//   - git's internal form "@<seconds> <+|-hhmm>" and bare seconds
//     (nine digits or more) with or without a zone;
//   - RFC 2822 ("Thu, 07 Apr 2005 22:13:13 +0200 (CEST)"), the form
//     format-patch and mailinfo write, and C's ctime-like forms;
//   - ISO 8601 with 'T' or space, fractions of seconds, "Z", "+hh",
//     "+hhmm" and "+hh:mm", and the compact YYYYmmDD / HHMMSS forms;
//   - numeric dates in git's orders (yyyy-mm-dd, mm/dd/yy, dd.mm.yy, ...),
//     git's refusal of such dates more than ten days in the future,
//     two-digit years, AM/PM and git's table of zone names (all taken as
//     summer time, as git does);
//   - dates naming no zone, which take the offset of the local zone (the
//     *time.Location passed in, normally time.Local from TZ) at that time,
//     with glibc's choice for wall times skipped or repeated by DST;
//   - git's errors: "invalid date format: <input>" for dates outside
//     1970-2099 or without a full date and time, and git's wrap-around for
//     dates whose zone moves them before the epoch.
//
// ParseIdent is what an ident wants: the current time (Now) when the
// variable is empty. ParseForce is `git commit --date`: the strict parse,
// else git's approxidate ("yesterday", "2.weeks.ago", "last friday",
// "noon", "Dec 2", "5pm", "never" ...), relative to a given now and
// reproducing glibc's mktime, DST hint included; it is checked against
// `git commit --date` with GIT_TEST_DATE_NOW.
//
// Approxidate is git's approxidate_careful as --since, --until and
// @{<date>} use it (checked against `git rev-parse --since`).
//
// Date's Default, ISO8601, ISO8601Strict, RFC2822, Short, UnixString
// and String (raw) methods render it as git log does for --date=default,
// iso, iso-strict, rfc, short, unix and raw (%ad %ai %aI %aD %at),
// checked against git show.
//
// Not implemented: the relative, human, local and format: date modes;
// git's die() for dates a zone pushes past the ends of the timestamp
// range when shown; zones with minutes of 60 or more read from objects
// (git keeps the decimal as written); and
// TZ values that are POSIX rule strings ("EST5EDT,M3.2.0,M11.1.0"),
// which glibc honours but Go's time.Local does not (zone names such as
// "Europe/Berlin" and "UTC" work).
package gitdate
