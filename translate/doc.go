// Package translate translates shell scripts to Go packages that run on
// shellrun.State, and holds the mapping rules they follow: which git
// calls gitapi serves in-process (every one goes through gitcmd.Run,
// the argv face of gitapi; the registry says which subcommands and forms it
// serves, the rest are marked and run through gitcmd's counted fallback),
// which text tools run in-process (shellrun/tools), and which programs
// stay external by design. `kiln scan` reports through the same registry
// (its audit category column), so the audit and the translator never
// disagree.
package translate
