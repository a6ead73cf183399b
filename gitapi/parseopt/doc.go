// Package parseopt is git's parse-options on its own: the option
// specification `git rev-parse --parseopt` reads (an OPTIONS_SPEC), its
// parser (clustered short options, unique-prefix abbreviation of long
// options, --no-<long> negation, "--") and the usage text git prints.
//
// It imports nothing of gitapi, so a Go program that only parses
// options (kiln's shellparse, a builtin) does not depend on the object
// store.
package parseopt
