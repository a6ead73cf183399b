package gitcmd

import (
	"regexp"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// The argument forms of the core subcommands that Run does not serve
// in-process yet; Serves sends them to Fallback.
func init() {
	servedForms["rev-parse"] = revParseServes
	servedForms["config"] = configServes
	servedForms["update-ref"] = func(args []string) bool {
		return !anyArg(args, func(a string) bool { return a == "--stdin" || a == "-z" })
	}
	servedForms["show-ref"] = func(args []string) bool {
		return !anyArg(args, func(a string) bool { return strings.HasPrefix(a, "--exclude-existing") })
	}
}

// revParseUnserved are rev-parse flags git knows and gitapi does not
// implement (date limits, globs, path formats, ...).
var revParseUnserved = []string{
	"--since", "--after", "--until", "--before", "--resolve-git-dir", "--show-superproject-working-tree",
	"--shared-index-path", "--path-format", "--disambiguate", "--exclude", "--glob", "--branches=",
	"--tags=", "--remotes=", "--show-ref-format", "--abbrev=", "--bisect", "-n", "--max-count",
}

// unservedRevision matches revision forms the parser does not handle:
// reflog entries by date (@{yesterday}), @{push}, and :/text.
var unservedRevision = regexp.MustCompile(`@\{[^}]*[^0-9}\-][^}]*\}|^:/|^\^?:/`)

// revParseServes reports whether rev-parse args are all served.
func revParseServes(args []string) bool {
	if len(args) > 0 && (args[0] == "--parseopt" || args[0] == "--sq-quote") {
		return true
	}
	for _, a := range args {
		if a == "--" {
			return true
		}
		for _, flag := range revParseUnserved {
			if a == flag || (strings.HasSuffix(flag, "=") && strings.HasPrefix(a, flag)) || strings.HasPrefix(a, flag+"=") {
				return false
			}
		}
		if m := unservedRevision.FindString(a); m != "" && !upstreamMark(m) {
			return false
		}
	}
	return true
}

// upstreamMark reports whether an "@{...}" match is @{u}/@{upstream}.
func upstreamMark(m string) bool {
	spec := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(m, "@{"), "}"))
	return spec == "u" || spec == "upstream"
}

// configServes reports whether `git config args` is a read gitapi does:
// no write, edit, color, URL-match, origin or scope display.
func configServes(args []string) bool {
	found, rest, err := configSpec.Parse(args, parseopt.Flags{StopAtNonOption: true})
	if err != nil {
		return true // the usage error is ours to print
	}
	action := ""
	for _, f := range found {
		switch f.Option.Long {
		case "get", "get-all", "get-regexp", "list":
			action = f.Option.Long
		case "file":
			if f.Value == "-" {
				return false // configuration from stdin
			}
		case "global", "system", "local", "bool", "int", "bool-or-int", "bool-or-str", "path",
			"type", "null", "name-only", "includes", "default":
		default:
			return false
		}
	}
	return action != "" || len(rest) <= 1
}
