// Package gitcmd is gitapi's argv faces: [Run] behaves like the git
// subcommand of the same name byte for byte (stdout, stderr, exit status)
// and is what `kiln git <sub>` and the git calls of scripts run;
// differential tests compare it with the installed git on repositories
// made by real git.
//
// Each face parses its arguments with package parseopt (or by hand for
// the plumbing that takes positional forms), makes typed calls to
// package gitapi's exported API, and prints git's bytes. [Serves] reports
// whether a face parses a given argv; what no face parses goes to the one
// counted [Fallback], the only place kiln spawns git.
package gitcmd
