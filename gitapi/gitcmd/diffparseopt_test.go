package gitcmd

import (
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// optionsSpec is an OPTIONS_SPEC in the style of the shell porcelain
// (git-sh-setup feeds such a spec to `git rev-parse --parseopt`).
const optionsSpec = `git frob [options] <args>...
git frob --abort

frob does things, on several lines
--
h,help    show the help
q,quiet   be quiet
v         be verbose
n,dry-run* hidden dry run
f,file=   read from a file
m,message=text   use <text> as message
s,strategy=<name> use the named strategy
d,depth?  optional depth
color?when  colorize
no-verify do not verify
keep!     cannot be negated
author=  the author
autosquash  squash automatically
 Actions
continue  continue
abort     abort the operation
a-very-long-option-name-indeed=x  wraps its help
`

// TestParseoptAgainstGit compares `rev-parse --parseopt`: clustering,
// abbreviation, ambiguity, negation, argument forms, help and errors.
func TestParseoptAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	var cases []diffCase
	for _, args := range []string{
		"", "-q", "-qv", "-vq foo", "--quiet --file x", "-fx", "-f x y", "-f", "--file", "--file=", "--file=a b",
		"--fi=x", "--qu", "--au", "--aut", "--auth x", "--a", "--co", "--cont", "--no-quiet", "--no-q", "--no-", "--no",
		"--no-verify", "--verify", "--no-no-verify", "--no-keep", "--keep", "--keep=x", "--quiet=x", "--no-file=x",
		"-d", "-d3", "-d 3", "--depth", "--depth=4", "--color", "--color=always", "-m", "-m msg", "--message=it's",
		"-s ours", "a -q b -- -v c", "-- -q", "-", "a - b", "-x", "-qx", "--bogus", "-h", "--help", "--help-all",
		"-q -h", "-hq", "-vh", "-quiet", "-no-quiet", "-file", "--continue", "--abort --con", "x!y 'q'",
		"--a-very-long-option-name-indeed=1",
	} {
		argv := append([]string{"rev-parse", "--parseopt", "--"}, strings.Fields(args)...)
		cases = append(cases, diffCase{dir: "repo", stdin: optionsSpec, argv: argv})
	}
	for _, flags := range []string{"--keep-dashdash", "--stop-at-non-option", "--stuck-long"} {
		for _, args := range []string{"-q a -- -v", "a -q -- b", "-f x --file=y -d -d5 --color=c -m z"} {
			argv := append([]string{"rev-parse", "--parseopt", flags, "--"}, strings.Fields(args)...)
			cases = append(cases, diffCase{dir: "plain", stdin: optionsSpec, argv: argv})
		}
	}
	cases = append(cases,
		diffCase{dir: "plain", stdin: optionsSpec, args: "rev-parse --parseopt"},
		diffCase{dir: "plain", stdin: optionsSpec, args: "rev-parse --parseopt -h"},
		diffCase{dir: "plain", stdin: optionsSpec, args: "rev-parse --parseopt --bogus --"},
		diffCase{dir: "plain", stdin: "usage only\n", args: "rev-parse --parseopt -- -q"},
		diffCase{dir: "plain", stdin: "--\nq quiet\n", args: "rev-parse --parseopt -- -q"},
		diffCase{dir: "plain", stdin: "u\n--\n=x bad\n", args: "rev-parse --parseopt -- -q"},
		diffCase{dir: "plain", stdin: "u\n--\nq,quiet quiet\n", args: "rev-parse --parseopt -- -h"},
	)
	runDiffCases(t, f, cases)
}
