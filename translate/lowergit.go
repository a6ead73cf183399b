package translate

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Typed git calls. In the idiomatic stage a `git ...` command whose form
// (subcommand, flags, number of operands) has a typed gitapi operation
// is written as that operation, run by shellrun's State.GitTyped, which
// prints the face's stdout and stderr and sets its status: the typed
// call's value on success, the face itself wherever the run-time words
// or the repository leave the form (see shellrun/typedgit.go). The
// argv the script builds is still built once, as the face would get
// it, so the fallback to the face sees the same words.

// typedForm is one served form: the subcommand, the flag sets it is
// written with (each a set: the order the script gives them in does not
// matter to the face), the number of operands, and the Go of the typed
// call, given the flags the script wrote.
type typedForm struct {
	sub      string
	flagSets [][]string
	operands int
	// api names the gitapi operation, for Mapping.API.
	api  string
	call func(flags []string) string
}

// typedForms are the forms the idiomatic stage writes as typed calls.
var typedForms = []typedForm{
	{sub: "write-tree", flagSets: [][]string{{}}, api: "Repo.WriteTree",
		call: func([]string) string { return "return g.Repo.WriteTree()" }},
	{sub: "rev-parse", operands: 1, api: "RevParser.Resolve",
		flagSets: [][]string{{}, {"--verify"}, {"-q"}, {"--quiet"}, {"--verify", "-q"}, {"--verify", "--quiet"}},
		call: func(flags []string) string {
			return "return g.Resolve(g.Args[0], " + boolText(slices.Contains(flags, "-q") || slices.Contains(flags, "--quiet")) + ")"
		}},
	{sub: "config", operands: 1, api: "Config entries",
		flagSets: [][]string{{}, {"--get"}, {"--bool"}, {"--type=bool"}, {"--bool", "--get"}, {"--type=bool", "--get"}},
		call: func(flags []string) string {
			return "return g.ConfigValue(g.Args[0], " + boolText(slices.Contains(flags, "--bool") || slices.Contains(flags, "--type=bool")) + ")"
		}},
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// typedGitForm finds the typed form of a git call: its first word is the
// subcommand (no git options before it), its literal flags come right
// after it and are one of the form's sets, and the words after them are
// the operands. It returns the form and the number of fixed words
// (subcommand and flags).
func typedGitForm(args []*syntax.Word) (typedForm, []string, bool) {
	if len(args) == 0 {
		return typedForm{}, nil, false
	}
	sub, ok := plainLiteral(args[0])
	if !ok {
		return typedForm{}, nil, false
	}
	var flags []string
	rest := args[1:]
	for len(rest) > 0 {
		lit, ok := plainLiteral(rest[0])
		if !ok || !strings.HasPrefix(lit, "-") {
			break
		}
		flags = append(flags, lit)
		rest = rest[1:]
	}
	for _, w := range rest {
		// A literal operand that looks like an option is the face's.
		if lit, ok := plainLiteral(w); ok && strings.HasPrefix(lit, "-") {
			return typedForm{}, nil, false
		}
	}
	for _, f := range typedForms {
		if f.sub != sub || f.operands != len(rest) {
			continue
		}
		for _, set := range f.flagSets {
			if sameSet(set, flags) {
				return f, flags, true
			}
		}
	}
	return typedForm{}, nil, false
}

// sameSet reports whether two flag lists hold the same flags, each once.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	seen := map[string]bool{}
	for _, x := range b {
		if seen[x] {
			return false
		}
		seen[x] = true
	}
	return true
}

// typedGit writes a git call as a typed gitapi call when its form has
// one, and reports whether it did.
func (g *gen) typedGit(c *ctx, args []*syntax.Word) bool {
	f, flags, ok := typedGitForm(args)
	if !ok {
		return false
	}
	g.report.Lowering.GitTyped++
	c.printf("s.GitTyped(%s, %d, %d, func(g *shellrun.GitCall) (any, error) { %s })\n",
		g.wordList(c, args), 1+len(flags), f.operands, f.call(flags))
	return true
}
