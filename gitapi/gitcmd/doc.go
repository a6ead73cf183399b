// Package gitcmd is gitapi's argv faces: [Run] behaves like the git
// subcommand of the same name byte for byte (stdout, stderr, exit status)
// and is what `kiln git <sub>` and the git calls of scripts run;
// differential tests compare it with the installed git on repositories
// made by real git.
//
// Each face parses its arguments once with package parseopt (faces whose
// options act where they stand, update-index and rev-parse, walk them in
// order with the same parser; positional forms are the face's), makes
// typed calls to package gitapi's exported API, and prints git's bytes,
// with git's words for gitapi's typed failures from gitapi/gitmsg.
// [Serves] reports whether a face parses a given argv; what no face
// parses goes to the one counted [gitapi.Fallback], the only place kiln
// spawns git.
package gitcmd
