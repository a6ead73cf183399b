package subtree

import (
	"strings"

	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// specText is the script's option spec (git-subtree:28-49), parsed with
// git's parse-options rules as the script has rev-parse --parseopt do it;
// its text is the usage git prints.
const specText = "git subtree add   --prefix=<prefix> <commit>\n" +
	"git subtree add   --prefix=<prefix> <repository> <ref>\n" +
	"git subtree merge --prefix=<prefix> <commit>\n" +
	"git subtree split --prefix=<prefix> [<commit>]\n" +
	"git subtree pull  --prefix=<prefix> <repository> <ref>\n" +
	"git subtree push  --prefix=<prefix> <repository> <refspec>\n" +
	"--\n" +
	"h,help        show the help\n" +
	"q             quiet\n" +
	"d             show debug messages\n" +
	"P,prefix=     the name of the subdir to split out\n" +
	" options for 'split' (also: 'push')\n" +
	"annotate=     add a prefix to commit message of new commits\n" +
	"b,branch=     create a new branch from the split subtree\n" +
	"ignore-joins  ignore prior --rejoin commits\n" +
	"onto=         try connecting new tree to an existing one\n" +
	"rejoin        merge the new branch back into HEAD\n" +
	" options for 'add' and 'merge' (also: 'pull', 'split --rejoin', and 'push --rejoin')\n" +
	"squash        merge subtree changes as a single commit\n" +
	"m,message=    use the given message as the commit message for the merge commit\n"

var spec = parseopt.MustParseSpec(specText)

// options are the script's arg_* variables after its option loops.
type options struct {
	command       string // arg_command
	quiet         bool   // arg_quiet
	debug         bool   // arg_debug
	prefix        string // arg_prefix
	branch        string // arg_split_branch
	onto          string // arg_split_onto
	ignoreJoins   bool   // arg_split_ignore_joins
	annotate      string // arg_split_annotate
	rejoin        bool   // arg_split_rejoin
	squash        bool   // arg_addmerge_squash
	message       string // arg_addmerge_message
	allowSplit    bool
	allowAddMerge bool
	args          []string // the command's arguments
}

// word is an option as rev-parse --parseopt writes it back for the
// script's loops: "-P", "--annotate", "--no-onto".
func word(p parseopt.Parsed) string {
	switch {
	case p.Unset:
		return "--no-" + p.Option.Long
	case p.Option.Short != 0:
		return "-" + string(p.Option.Short)
	}
	return "--" + p.Option.Long
}

// firstPass is git-subtree:126-160: the command and whether --rejoin is
// given, which decide what the real option loop allows. A message is
// returned when the command is unknown.
func firstPass(found []parseopt.Parsed, rest []string) (opts options, fatal string) {
	for _, f := range found {
		if f.Option.Long == "rejoin" {
			opts.rejoin = !f.Unset
		}
	}
	if len(rest) > 0 {
		opts.command = rest[0]
		opts.args = rest[1:]
	}
	switch opts.command {
	case "add", "merge", "pull":
		opts.allowAddMerge = true
	case "split", "push":
		opts.allowSplit = true
		opts.allowAddMerge = opts.rejoin
	default:
		return opts, "fatal: unknown command '" + opts.command + "'"
	}
	return opts, ""
}

// secondPass is the real option loop (git-subtree:164-250); a message is
// returned where the script dies.
func (opts *options) secondPass(found []parseopt.Parsed) (fatal string) {
	for _, f := range found {
		w := word(f)
		incompatible := "fatal: the '" + w + "' flag does not make sense with 'git subtree " + opts.command + "'."
		switch {
		case w == "-q":
			opts.quiet = true
		case w == "-d":
			opts.debug = true
		case w == "--annotate" || w == "--no-annotate":
			if !opts.allowSplit {
				return incompatible
			}
			opts.annotate = f.Value
		case w == "-b":
			if !opts.allowSplit {
				return incompatible
			}
			opts.branch = f.Value
		case w == "-P":
			opts.prefix = strings.TrimSuffix(f.Value, "/")
		case w == "-m":
			if !opts.allowAddMerge {
				return incompatible
			}
			opts.message = f.Value
		case w == "--no-prefix":
			opts.prefix = ""
		case w == "--onto" || w == "--no-onto":
			if !opts.allowSplit {
				return incompatible
			}
			opts.onto = f.Value
		case w == "--rejoin" || w == "--no-rejoin":
			if !opts.allowSplit {
				return incompatible
			}
		case w == "--ignore-joins" || w == "--no-ignore-joins":
			if !opts.allowSplit {
				return incompatible
			}
			opts.ignoreJoins = !f.Unset
		case w == "--squash" || w == "--no-squash":
			if !opts.allowAddMerge {
				return incompatible
			}
			opts.squash = !f.Unset
		default:
			return "fatal: unexpected option: " + w
		}
	}
	return ""
}

// parseoptFlags are rev-parse --parseopt's defaults as the script runs it:
// options anywhere, "--" dropped.
var parseoptFlags = parseopt.Flags{}
