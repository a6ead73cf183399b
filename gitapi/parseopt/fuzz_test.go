package parseopt

import (
	"strings"
	"testing"
)

// fuzzSpec is an OPTIONS_SPEC with every kind of option: flags, required
// and optional arguments, a negatable "no-" option, a non-negatable one,
// a hidden one and a group heading.
const fuzzSpec = `git frob [options] <args>...
--
h,help    show the help
q,quiet   be quiet
v         be verbose
n,dry-run* hidden dry run
f,file=   read from a file
d,depth?  optional depth
no-verify do not verify
keep!     cannot be negated
author=  the author
autosquash  squash automatically
 Actions
continue  continue
`

// FuzzParseOptions runs arbitrary arguments through a parse-options
// specification: a result or an error, never a panic.
func FuzzParseOptions(f *testing.F) {
	spec, err := ParseSpec(strings.NewReader(fuzzSpec))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{"-q", "--fi=x", "-fx", "--no-", "-h", "--", "-qvx", "--a", "-"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, args string) {
		found, rest, err := spec.Parse(strings.Split(args, " "), Flags{})
		if err == nil {
			for _, o := range found {
				if o.Option == nil {
					t.Fatalf("parsed option without its definition: %+v (rest %q)", o, rest)
				}
			}
		}
		spec.UsageText(true)
	})
}
