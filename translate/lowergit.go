package translate

import (
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Typed git calls. In the idiomatic stage a `git ...` command of a form
// gitapi has a typed operation for is written as that operation, run by
// shellrun's State.GitTyped, which gives the script the face's stdout,
// stderr and status: the typed call's value on success, and the face
// itself wherever the words the expansions give at run time, or the
// repository, leave the form, or a read-only call fails (see
// shellrun/typedgit.go). The argv the script builds is still built once,
// so the face, when it runs, gets the very words the raw stage gives it.

// typedForms are the forms written as typed calls, each with the
// shellrun.GitOp that makes it (the op reads the flags it takes from
// the form). Flags a form takes in either order are listed in each.
var typedForms = func() []Mapping {
	var out []Mapping
	add := func(api, op string, forms ...string) {
		for _, f := range forms {
			out = append(out, Mapping{Subcommand: strings.Fields(f)[0], API: api, Form: f, Go: "shellrun." + op})
		}
	}
	add("Repo.WriteTree", "WriteTree", "write-tree")
	add("RevParser.Resolve", "Resolve", "rev-parse _", "rev-parse --verify _",
		"rev-parse -q _", "rev-parse --quiet _",
		"rev-parse --verify -q _", "rev-parse -q --verify _", "rev-parse --verify --quiet _", "rev-parse --quiet --verify _")
	add("Repo.UniqueAbbrev", "ShortID", "rev-parse --short _", "rev-parse --verify --short _", "rev-parse --short --verify _")
	add("Repo.GitPath", "GitPath", "rev-parse --git-path _")
	add("Repo.GitDirShown", "GitDir", "rev-parse --git-dir")
	add("Repo.WorkTree", "ShowToplevel", "rev-parse --show-toplevel")
	add("Repo.Prefix", "ShowPrefix", "rev-parse --show-prefix")
	add("Repo.Prefix", "ShowCdup", "rev-parse --show-cdup")
	add("Repo.IsBare", "IsBare", "rev-parse --is-bare-repository")
	add("Repo.IsInsideWorkTree", "IsInsideWorkTree", "rev-parse --is-inside-work-tree")
	add("Config entries", "ConfigValue", "config _", "config --get _")
	add("Config entries, ParseBool", "ConfigValue", "config --bool _", "config --type=bool _",
		"config --bool --get _", "config --get --bool _", "config --type=bool --get _", "config --get --type=bool _")
	add("Repo.CommitTree", "CommitTree", "commit-tree _", "commit-tree _ -p _", "commit-tree -p _ _")
	add("Repo.Update", "UpdateRef", "update-ref _ _", "update-ref _ _ _", "update-ref -m _ _ _", "update-ref -m _ _ _ _",
		"update-ref -d _", "update-ref -d _ _", "update-ref -m _ -d _ _")
	add("Repo.MergeBases", "MergeBase", "merge-base _ _")
	add("Repo.MergeBases", "MergeBases", "merge-base --all _ _", "merge-base -a _ _")
	add("Repo.IsAncestor", "IsAncestor", "merge-base --is-ancestor _ _")
	add("Repo.SymbolicRef", "SymbolicRef", "symbolic-ref _", "symbolic-ref -q _", "symbolic-ref --quiet _")
	add("Repo.DiffIndex", "NoDiff", "diff-index --quiet --cached HEAD --", "diff-index --cached --quiet HEAD --",
		"diff-index --cached --quiet --ignore-submodules HEAD --", "diff-index --quiet --cached --ignore-submodules HEAD --",
		"diff-index --cached HEAD --exit-code --quiet", "diff-index --quiet --cached HEAD",
		"diff-index HEAD --exit-code --quiet", "diff-index --quiet HEAD")
	add("Repo.ReadObject", "ObjectType", "cat-file -t _")
	return out
}()

// TypedForms lists the forms of git calls the idiomatic stage writes as
// typed gitapi calls.
func TypedForms() []Mapping { return append([]Mapping(nil), typedForms...) }

// LookupTyped returns the typed form a git call's words have, if any:
// the same number of words, the form's literal words where it has them,
// and no operand the script writes as a literal option.
func LookupTyped(args []*syntax.Word) (Mapping, bool) {
	for _, m := range typedForms {
		if formMatches(strings.Fields(m.Form), args) {
			return m, true
		}
	}
	return Mapping{}, false
}

func formMatches(form []string, args []*syntax.Word) bool {
	if len(form) != len(args) {
		return false
	}
	for i, w := range form {
		lit, isLit := plainLiteral(args[i])
		if w == "_" {
			if isLit && strings.HasPrefix(lit, "-") {
				return false
			}
			continue
		}
		if !isLit || lit != w {
			return false
		}
	}
	return true
}

// typedGit writes a git call as a typed gitapi call when its form has
// one, and reports whether it did: `s.GitRun(shellrun.WriteTree,
// "write-tree")`, the form's words then the operands' fields. Where a
// word that may expand to other than one field stands before a literal
// word of the form, the call gives its whole argv instead (s.GitTyped),
// so that the face, if it runs, gets the script's very words.
func (g *gen) typedGit(c *ctx, args []*syntax.Word) bool {
	m, ok := LookupTyped(args)
	if !ok {
		return false
	}
	g.report.Lowering.GitTyped++
	form := strings.Fields(m.Form)
	last := 0
	for i, w := range form {
		if w != "_" {
			last = i
		}
	}
	exprs, multi := make([]string, len(args)), make([]bool, len(args))
	ambiguous := false
	var ops []int
	for i, w := range form {
		if w != "_" {
			exprs[i] = strconv.Quote(w)
			continue
		}
		exprs[i], multi[i] = g.word(c, args[i])
		ambiguous = ambiguous || multi[i] && i < last
		ops = append(ops, i)
	}
	if ambiguous {
		c.printf("s.GitTyped(%q, %s, %s)\n", m.Form, g.listOf(exprs, multi), m.Go)
		return true
	}
	var opExprs []string
	var opMulti []bool
	for _, i := range ops {
		opExprs, opMulti = append(opExprs, exprs[i]), append(opMulti, multi[i])
	}
	rest := ""
	if len(ops) > 0 {
		rest = ", " + g.joinArgs(opExprs, opMulti)
	}
	c.printf("s.GitRun(%s, %q%s)\n", m.Go, m.Form, rest)
	return true
}
