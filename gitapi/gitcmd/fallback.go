package gitcmd

// Serves reports whether a face of Run parses this git argv (after git's
// -C and -c options): its subcommand, with options it implements. A usage
// error is parsed too (the face prints git's usage); what no face parses
// goes to gitapi.Fallback.
func Serves(args []string) bool {
	for len(args) >= 2 && (args[0] == "-C" || args[0] == "-c") {
		args = args[2:]
	}
	if len(args) == 0 {
		return false
	}
	face, ok := faces[args[0]]
	return ok && (face.parses == nil || face.parses(args[1:]))
}
