package translate

import (
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

// typedForms are the forms written as typed calls. Flags a form takes
// in either order are listed in each.
var typedForms = func() []Mapping {
	var out []Mapping
	add := func(api, body string, forms ...string) {
		for _, f := range forms {
			out = append(out, Mapping{Subcommand: strings.Fields(f)[0], API: api, Form: f, Go: body})
		}
	}
	add("Repo.WriteTree", "return g.WriteTree()", "write-tree")
	add("RevParser.Resolve", "return g.Resolve(g.Args[0], false)", "rev-parse _", "rev-parse --verify _")
	add("RevParser.Resolve", "return g.Resolve(g.Args[0], true)", "rev-parse -q _", "rev-parse --quiet _",
		"rev-parse --verify -q _", "rev-parse -q --verify _", "rev-parse --verify --quiet _", "rev-parse --quiet --verify _")
	add("Repo.UniqueAbbrev", "return g.ShortID(g.Args[0])", "rev-parse --short _", "rev-parse --verify --short _", "rev-parse --short --verify _")
	add("Repo.GitPath", "return g.GitPath(g.Args[0]), nil", "rev-parse --git-path _")
	add("Repo.GitDirShown", "return g.Repo.GitDirShown(), nil", "rev-parse --git-dir")
	add("Repo.WorkTree", "return g.ShowToplevel()", "rev-parse --show-toplevel")
	add("Repo.Prefix", "return g.Repo.Prefix(), nil", "rev-parse --show-prefix")
	add("Repo.Prefix", "return g.ShowCdup()", "rev-parse --show-cdup")
	add("Repo.IsBare", "return strconv.FormatBool(g.Repo.IsBare()), nil", "rev-parse --is-bare-repository")
	add("Repo.IsInsideWorkTree", "return strconv.FormatBool(g.Repo.IsInsideWorkTree()), nil", "rev-parse --is-inside-work-tree")
	add("Config entries", "return g.ConfigValue(g.Args[0], false)", "config _", "config --get _")
	add("Config entries, ParseBool", "return g.ConfigValue(g.Args[0], true)", "config --bool _", "config --type=bool _",
		"config --bool --get _", "config --get --bool _", "config --type=bool --get _", "config --get --type=bool _")
	add("Repo.CommitTree", "return g.CommitTree(g.Args[0])", "commit-tree _")
	add("Repo.CommitTree", "return g.CommitTree(g.Args[0], g.Args[1])", "commit-tree _ -p _", "commit-tree -p _ _")
	add("Repo.Update", `return g.UpdateRef("", g.Args[0], g.Args[1])`, "update-ref _ _")
	add("Repo.Update", `return g.UpdateRef("", g.Args[0], g.Args[1], g.Args[2])`, "update-ref _ _ _")
	add("Repo.Update", "return g.UpdateRef(g.Args[0], g.Args[1], g.Args[2])", "update-ref -m _ _ _")
	add("Repo.Update", "return g.UpdateRef(g.Args[0], g.Args[1], g.Args[2], g.Args[3])", "update-ref -m _ _ _ _")
	add("Repo.Update", `return g.DeleteRef("", g.Args[0])`, "update-ref -d _")
	add("Repo.Update", `return g.DeleteRef("", g.Args[0], g.Args[1])`, "update-ref -d _ _")
	add("Repo.Update", "return g.DeleteRef(g.Args[0], g.Args[1], g.Args[2])", "update-ref -m _ -d _ _")
	add("Repo.MergeBases", "return g.MergeBase(g.Args[0], g.Args[1])", "merge-base _ _")
	add("Repo.MergeBases", "return g.MergeBases(g.Args[0], g.Args[1])", "merge-base --all _ _", "merge-base -a _ _")
	add("Repo.IsAncestor", "return g.IsAncestor(g.Args[0], g.Args[1])", "merge-base --is-ancestor _ _")
	add("Repo.SymbolicRef", "return g.SymbolicRef(g.Args[0])", "symbolic-ref _", "symbolic-ref -q _", "symbolic-ref --quiet _")
	add("Repo.DiffIndex", `return g.NoDiff(shellrun.DiffIndex{Rev: "HEAD", Cached: true, DashDash: true})`,
		"diff-index --quiet --cached HEAD --", "diff-index --cached --quiet HEAD --")
	add("Repo.DiffIndex", `return g.NoDiff(shellrun.DiffIndex{Rev: "HEAD", Cached: true, IgnoreSubmodules: true, DashDash: true})`,
		"diff-index --cached --quiet --ignore-submodules HEAD --", "diff-index --quiet --cached --ignore-submodules HEAD --")
	add("Repo.DiffIndex", `return g.NoDiff(shellrun.DiffIndex{Rev: "HEAD", Cached: true})`,
		"diff-index --cached HEAD --exit-code --quiet", "diff-index --quiet --cached HEAD")
	add("Repo.DiffIndex", `return g.NoDiff(shellrun.DiffIndex{Rev: "HEAD"})`,
		"diff-index HEAD --exit-code --quiet", "diff-index --quiet HEAD")
	add("Repo.ReadObject", "return g.ObjectType(g.Args[0])", "cat-file -t _")
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
// one, and reports whether it did.
func (g *gen) typedGit(c *ctx, args []*syntax.Word) bool {
	m, ok := LookupTyped(args)
	if !ok {
		return false
	}
	if strings.Contains(m.Go, "strconv.") {
		g.imports["strconv"] = true
	}
	g.report.Lowering.GitTyped++
	c.printf("s.GitTyped(%q, %s, func(g *shellrun.GitCall) (any, error) { %s })\n", m.Form, g.wordList(c, args), m.Go)
	return true
}
