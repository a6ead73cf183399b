package shellrun

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitcmd"
)

// A typed git call is how the idiomatic stage writes a `git ...` command
// of a form gitapi has a typed operation for: the call's Go is that
// operation (repo.WriteTree(), a revision's lookup, a configuration
// value, a commit, a ref update), and State.GitTyped gives the script
// what the face would have given it, byte for byte:
//
//   - on success, the face's stdout (the value's text and a newline, as
//     git prints it) after the diagnostics git prints on the way (an
//     ambiguous refname's warning, commit-tree's identity warning), and
//     status 0;
//   - wherever the face would not reach the operation with an open
//     repository (outside one, a configuration that does not load,
//     replace refs or content conversions git must handle), and when the
//     words the script's expansions gave are not the form's (a different
//     count, an operand the face would read as an option, a range), the
//     face runs instead, exactly as the raw stage runs it;
//   - when the call fails before it changed anything or read any input,
//     the face runs: the attempt printed nothing (diagnostics are held
//     until success), so the face starts from the very state the
//     script's call would have and prints git's error and status;
//   - when a call that writes fails in its write (or after reading its
//     input), the failure is reported by the message function its face
//     uses (gitcmd.WriteTreeFailed, CommitTreeFailed, UpdateRefFailed).

// GitCall is one typed git call as its Go sees it: the repository the
// face would run in, the call's operands, its standard input, and the
// diagnostics recorded on the way (printed only if the call succeeds).
type GitCall struct {
	// Repo is the repository, opened as State.Git's face opens it.
	Repo *gitapi.Repo
	// Args are the operands: the words of the form's "_" places.
	Args []string
	// Stdin is the call's standard input (commit-tree's message).
	Stdin io.Reader
	// form is the call's words as the script writes them ("_" for
	// each operand): the GitOps read their flags there.
	form []string
	diag bytes.Buffer
}

// Failure is a typed call's failure after it changed something or read
// its input: Report prints the face's message and returns its status.
type Failure struct {
	Err    error
	Report func(stderr io.Writer) int
}

func (f *Failure) Error() string { return f.Err.Error() }

// Unwrap returns the operation's error.
func (f *Failure) Unwrap() error { return f.Err }

// errUseFace is a typed call's answer for a case its form leaves to the
// face (nothing done yet).
var errUseFace = errors.New("left to the face")

// warn records a diagnostic line the face prints on stderr.
func (g *GitCall) warn(line string) { g.diag.WriteString(line + "\n") }

// revParser is the resolver of git's commands, its diagnostics
// recorded; with quiet (rev-parse -q) only the peel errors and the loud
// lookups' lines are kept, as rev-parse keeps them.
func (g *GitCall) revParser(quiet bool) *gitapi.RevParser {
	return &gitapi.RevParser{Repo: g.Repo, LoudDiag: g.warn, Diag: func(line string) {
		if !quiet || gitapi.IsPeelError(line) {
			g.warn(line)
		}
	}}
}

// Resolve is `git rev-parse [--verify] [-q] REV` of one revision: the
// object it names.
func (g *GitCall) Resolve(rev string, quiet bool) (gitapi.Hash, error) {
	p := g.revParser(quiet)
	id, err := p.Resolve(rev)
	if err == nil && p.DieErr != nil {
		err = p.DieErr
	}
	return id, err
}

// ShortID is `git rev-parse --short REV`: the shortest unique
// abbreviation, of the configured length at least, of the object REV
// names.
func (g *GitCall) ShortID(rev string) (string, error) {
	id, err := g.Resolve(rev, false)
	if err != nil {
		return "", err
	}
	return g.Repo.UniqueAbbrev(id, g.Repo.DefaultAbbrev()), nil
}

// GitPath is `git rev-parse --git-path PATH`: where PATH is in the git
// directory, relative to the current directory as git shows it.
func (g *GitCall) GitPath(path string) string {
	return gitapi.RelativePath(g.Repo.GitPath(path), g.Repo.Prefix())
}

// DiffIndex is a `git diff-index --quiet` call: the tree-ish compared,
// and its flags.
type DiffIndex struct {
	Rev string
	// Cached compares with the index alone (--cached).
	Cached bool
	// IgnoreSubmodules leaves gitlinks out (--ignore-submodules).
	IgnoreSubmodules bool
	// DashDash says the call ends its revisions with "--".
	DashDash bool
}

// NoDiff is `git diff-index --quiet [--cached] [--ignore-submodules] REV
// [--]`: whether the index (with --cached) or the work tree has no
// change from REV's tree (the face's status 0), step by step as the face
// looks. Wherever the face would stop, or hand the call to git (a
// revision that is also a file without "--", submodule settings that
// matter), the face is left the call.
func (g *GitCall) NoDiff(d DiffIndex) (bool, error) {
	r := g.Repo
	if _, err := r.Resolve(d.Rev); err != nil || (!d.DashDash && r.WorkTreeHas(d.Rev)) {
		return false, errors.Join(err, errUseFace)
	}
	if !d.Cached && r.WorkTree() == "" {
		return false, errUseFace
	}
	ps, err := gitapi.ParsePathspec(r.WorkTree(), r.Prefix(), nil)
	if err != nil {
		return false, err
	}
	tree, err := r.TreeFiles(d.Rev)
	if err != nil {
		return false, err
	}
	ix, err := r.OpenIndex()
	if err != nil {
		return false, err
	}
	if r.SubmoduleSettingsMatter(ix, d.IgnoreSubmodules) {
		return false, errUseFace
	}
	pairs, err := r.DiffIndex(tree, ix, gitapi.DiffOptions{Pathspec: ps, IgnoreSubmodules: d.IgnoreSubmodules, Cached: d.Cached})
	if err != nil {
		return false, err
	}
	return len(pairs) == 0, nil
}

// commit resolves a commit operand as merge-base does: the name's
// object, peeled to a commit.
func (g *GitCall) commit(name string) (gitapi.Hash, error) {
	id, err := g.Resolve(name, false)
	if err != nil {
		return id, err
	}
	c, _, err := g.Repo.Peel(id, gitapi.TypeCommit)
	return c, err
}

// MergeBase is `git merge-base A B`: their first best common ancestor.
func (g *GitCall) MergeBase(a, b string) (gitapi.Hash, error) {
	bases, err := g.MergeBases(a, b)
	if err != nil {
		return gitapi.Hash{}, err
	}
	return bases[0], nil
}

// MergeBases is `git merge-base --all A B`: all their best common
// ancestors (none is the face's status 1).
func (g *GitCall) MergeBases(a, b string) ([]gitapi.Hash, error) {
	ca, err := g.commit(a)
	if err != nil {
		return nil, err
	}
	cb, err := g.commit(b)
	if err != nil {
		return nil, err
	}
	bases, err := g.Repo.MergeBases(ca, cb)
	if err == nil && len(bases) == 0 {
		err = errUseFace
	}
	return bases, err
}

// IsAncestor is `git merge-base --is-ancestor A B`.
func (g *GitCall) IsAncestor(a, b string) (bool, error) {
	ca, err := g.commit(a)
	if err != nil {
		return false, err
	}
	cb, err := g.commit(b)
	if err != nil {
		return false, err
	}
	return g.Repo.IsAncestor(ca, cb)
}

// ObjectType is `git cat-file -t NAME`: the type of the object NAME
// names.
func (g *GitCall) ObjectType(name string) (string, error) {
	id, err := g.Repo.Resolve(name)
	if err != nil {
		return "", err
	}
	typ, _, err := g.Repo.ReadObject(id)
	return typ, err
}

// SymbolicRef is `git symbolic-ref [-q] NAME`: the ref NAME points at,
// followed through symbolic refs as git does.
func (g *GitCall) SymbolicRef(name string) (string, error) {
	target, isSym, err := g.Repo.SymbolicRef(name)
	if err != nil || !isSym {
		return "", errors.Join(err, errUseFace)
	}
	for range gitapi.MaxSymrefDepth {
		next, ok, err := g.Repo.SymbolicRef(target)
		if err != nil || !ok {
			break
		}
		target = next
	}
	return target, nil
}

// ShowToplevel is `git rev-parse --show-toplevel`.
func (g *GitCall) ShowToplevel() (string, error) {
	if g.Repo.WorkTree() == "" {
		return "", errUseFace
	}
	return g.Repo.WorkTree(), nil
}

// ShowCdup is `git rev-parse --show-cdup`: the way up to the top of the
// work tree (nothing printed outside one without a work tree).
func (g *GitCall) ShowCdup() (any, error) {
	if !g.Repo.IsInsideWorkTree() {
		if g.Repo.WorkTree() == "" {
			return nil, nil
		}
		return g.Repo.WorkTree(), nil
	}
	return strings.Repeat("../", strings.Count(g.Repo.Prefix(), "/")), nil
}

// ConfigValue is `git config [--get] KEY`: the last value of KEY, with
// asBool (--bool, --type=bool) as git's canonical "true" or "false"
// (every value of KEY must be a boolean then, as git checks them all).
// A key that is not set, or set without a value (`[section] key`), is
// left to the face.
func (g *GitCall) ConfigValue(key string, asBool bool) (string, error) {
	canon, err := gitapi.CanonicalKey(key)
	if err != nil {
		return "", err
	}
	cfg, err := g.Repo.Config()
	if err != nil {
		return "", err
	}
	var last *gitapi.ConfigEntry
	for _, e := range cfg.Entries() {
		if e.Key != canon {
			continue
		}
		if !e.HasValue {
			return "", errUseFace
		}
		if asBool {
			if _, err := gitapi.ParseBool(e.Value, e.HasValue); err != nil {
				return "", err
			}
		}
		last = &e
	}
	if last == nil {
		return "", errUseFace
	}
	if !asBool {
		return last.Value, nil
	}
	b, _ := gitapi.ParseBool(last.Value, true)
	return fmt.Sprint(b), nil
}

// WriteTree is `git write-tree`: the index's tree, written.
func (g *GitCall) WriteTree() (gitapi.Hash, error) {
	id, err := g.Repo.WriteTree()
	if err != nil {
		return id, &Failure{err, func(w io.Writer) int { return gitcmd.WriteTreeFailed(w, err) }}
	}
	return id, nil
}

// CommitTree is `git commit-tree TREE [-p PARENT]` with the message on
// stdin: the new commit. The names are resolved before stdin is read.
func (g *GitCall) CommitTree(tree string, parents ...string) (gitapi.Hash, error) {
	var ids []gitapi.Hash
	for _, p := range parents {
		id, err := g.Repo.Resolve(p)
		if err != nil {
			return id, err
		}
		if typ, _, err := g.Repo.ReadObject(id); err != nil || typ != "commit" {
			return id, errors.Join(err, errUseFace)
		}
		if slices.Contains(ids, id) {
			return id, errUseFace
		}
		ids = append(ids, id)
	}
	treeID, err := g.Repo.Resolve(tree)
	if err != nil {
		return treeID, err
	}
	msg, err := io.ReadAll(g.Stdin)
	if err != nil {
		return gitapi.Hash{}, &Failure{err, func(w io.Writer) int {
			fmt.Fprintln(w, "fatal: git commit-tree: failed to read")
			return 128
		}}
	}
	id, warning, err := g.Repo.CommitTree(treeID, ids, msg)
	if err != nil {
		return id, &Failure{err, func(w io.Writer) int { return gitcmd.CommitTreeFailed(w, err) }}
	}
	g.diag.WriteString(warning)
	return id, nil
}

// UpdateRef is `git update-ref [-m MSG] REF NEW [OLD]`: REF set to the
// object NEW names, if it is at OLD. An empty msg is no -m.
func (g *GitCall) UpdateRef(msg, ref, newRev string, old ...string) (any, error) {
	id, err := g.Repo.Resolve(newRev)
	if err != nil {
		return nil, err
	}
	u := gitapi.RefUpdate{Name: ref, New: id, Message: msg}
	if len(old) == 1 {
		oldID, err := g.Repo.Resolve(old[0])
		if err != nil {
			return nil, err
		}
		u.Old = &oldID
	}
	return nil, g.update(u)
}

// DeleteRef is `git update-ref [-m MSG] -d REF [OLD]`.
func (g *GitCall) DeleteRef(msg, ref string, old ...string) (any, error) {
	u := gitapi.RefUpdate{Name: ref, Message: msg, Delete: true}
	if len(old) == 1 {
		oldID, err := g.Repo.Resolve(old[0])
		if err != nil {
			return nil, err
		}
		if !oldID.IsZero() {
			u.Old = &oldID
		}
	}
	return nil, g.update(u)
}

// update makes a ref update, its failure reported as the face does.
func (g *GitCall) update(u gitapi.RefUpdate) error {
	if err := g.Repo.Update(u); err != nil {
		return &Failure{err, func(w io.Writer) int { return gitcmd.UpdateRefFailed(w, err, u.Delete) }}
	}
	return nil
}

// GitTyped runs a typed git call standing for `git ARGV`. form is the
// call's words as the script writes them, the subcommand and flags
// literally and "_" for each operand; call makes the typed gitapi call.
// What call returns is printed as the face prints it: a Hash or a string
// as one line, a list of hashes a line each, a bool as the status alone
// (0 for true, 1 for false), nil as nothing.
func (s *State) GitTyped(form string, argv []string, call func(g *GitCall) (any, error)) {
	ops, ok := formOperands(strings.Fields(form), argv)
	if !ok {
		s.Git(argv...)
		return
	}
	repo := gitcmd.TypedRepo(argv[0], gitapi.Options{Dir: s.dir, Env: s.Environ(), Session: s.session})
	if repo == nil {
		s.Git(argv...)
		return
	}
	g := &GitCall{Repo: repo, Args: ops, Stdin: s.Stdin(), form: strings.Fields(form)}
	v, err := call(g)
	p := &process{}
	var failure *Failure
	switch {
	case errors.As(err, &failure) && !errors.Is(err, errUseFace):
		s.stats.InProcess.Add(1)
		s.Status = p.status(failure.Report(p.writer(s.writer(2))))
		return
	case err != nil:
		s.Git(argv...)
		return
	}
	s.stats.InProcess.Add(1)
	var out strings.Builder
	status := 0
	switch v := v.(type) {
	case nil:
	case bool:
		if !v {
			status = 1
		}
	case []gitapi.Hash:
		for _, id := range v {
			out.WriteString(id.String() + "\n")
		}
	case fmt.Stringer:
		out.WriteString(v.String() + "\n")
	case string:
		out.WriteString(v + "\n")
	default:
		panic(fmt.Sprintf("GitTyped: a typed call returned %T", v))
	}
	if g.diag.Len() > 0 {
		p.writer(s.writer(2)).Write(g.diag.Bytes())
	}
	if out.Len() > 0 {
		io.WriteString(p.writer(s.writer(1)), out.String())
	}
	s.Status = p.status(status)
}

// A GitOp is a typed git operation: what a typed call of one of the
// forms the idiomatic stage writes computes, given the call (see
// GitTyped for how its value is printed). The package's GitOps read the
// flags they take from the call's form: -q for Resolve, --bool for
// ConfigValue, -p for CommitTree, -m and -d for UpdateRef.
type GitOp func(g *GitCall) (any, error)

// The typed operations (translate.TypedForms lists the forms of each).
var (
	// WriteTree is `git write-tree`.
	WriteTree GitOp = func(g *GitCall) (any, error) { return g.WriteTree() }
	// Resolve is `git rev-parse [--verify] [-q|--quiet] REV`.
	Resolve GitOp = func(g *GitCall) (any, error) { return g.Resolve(g.Args[0], g.has("-q") || g.has("--quiet")) }
	// ShortID is `git rev-parse [--verify] --short REV`.
	ShortID GitOp = func(g *GitCall) (any, error) { return g.ShortID(g.Args[0]) }
	// GitPath is `git rev-parse --git-path PATH`.
	GitPath GitOp = func(g *GitCall) (any, error) { return g.GitPath(g.Args[0]), nil }
	// GitDir is `git rev-parse --git-dir`.
	GitDir GitOp = func(g *GitCall) (any, error) { return g.Repo.GitDirShown(), nil }
	// ShowToplevel is `git rev-parse --show-toplevel`.
	ShowToplevel GitOp = func(g *GitCall) (any, error) { return g.ShowToplevel() }
	// ShowPrefix is `git rev-parse --show-prefix`.
	ShowPrefix GitOp = func(g *GitCall) (any, error) { return g.Repo.Prefix(), nil }
	// ShowCdup is `git rev-parse --show-cdup`.
	ShowCdup GitOp = func(g *GitCall) (any, error) { return g.ShowCdup() }
	// IsBare is `git rev-parse --is-bare-repository`.
	IsBare GitOp = func(g *GitCall) (any, error) { return strconv.FormatBool(g.Repo.IsBare()), nil }
	// IsInsideWorkTree is `git rev-parse --is-inside-work-tree`.
	IsInsideWorkTree GitOp = func(g *GitCall) (any, error) { return strconv.FormatBool(g.Repo.IsInsideWorkTree()), nil }
	// ConfigValue is `git config [--get] [--bool|--type=bool] KEY`.
	ConfigValue GitOp = func(g *GitCall) (any, error) {
		return g.ConfigValue(g.Args[0], g.has("--bool") || g.has("--type=bool"))
	}
	// CommitTree is `git commit-tree TREE [-p PARENT]`, the -p in
	// either place, the message on stdin.
	CommitTree GitOp = func(g *GitCall) (any, error) {
		parents, tree := g.split("-p")
		return g.CommitTree(tree[0], parents...)
	}
	// UpdateRef is `git update-ref [-m MSG] REF NEW [OLD]` and `git
	// update-ref [-m MSG] -d REF [OLD]`.
	UpdateRef GitOp = func(g *GitCall) (any, error) {
		msg, refs := g.split("-m")
		if len(msg) == 0 {
			msg = []string{""}
		}
		if g.has("-d") {
			return g.DeleteRef(msg[0], refs[0], refs[1:]...)
		}
		return g.UpdateRef(msg[0], refs[0], refs[1], refs[2:]...)
	}
	// MergeBase is `git merge-base A B`.
	MergeBase GitOp = func(g *GitCall) (any, error) { return g.MergeBase(g.Args[0], g.Args[1]) }
	// MergeBases is `git merge-base --all A B`.
	MergeBases GitOp = func(g *GitCall) (any, error) { return g.MergeBases(g.Args[0], g.Args[1]) }
	// IsAncestor is `git merge-base --is-ancestor A B`.
	IsAncestor GitOp = func(g *GitCall) (any, error) { return g.IsAncestor(g.Args[0], g.Args[1]) }
	// SymbolicRef is `git symbolic-ref [-q] NAME`.
	SymbolicRef GitOp = func(g *GitCall) (any, error) { return g.SymbolicRef(g.Args[0]) }
	// NoDiff is `git diff-index --quiet [--cached] [--ignore-submodules]
	// REV [--]` (or --exit-code --quiet): REV is the form's word that is
	// no flag.
	NoDiff GitOp = func(g *GitCall) (any, error) {
		d := DiffIndex{Cached: g.has("--cached"), IgnoreSubmodules: g.has("--ignore-submodules"), DashDash: g.has("--")}
		for _, w := range g.form[1:] {
			if !strings.HasPrefix(w, "-") {
				d.Rev = w
			}
		}
		return g.NoDiff(d)
	}
	// ObjectType is `git cat-file -t NAME`.
	ObjectType GitOp = func(g *GitCall) (any, error) { return g.ObjectType(g.Args[0]) }
)

// has reports whether the call's form has the word.
func (g *GitCall) has(word string) bool { return slices.Contains(g.form, word) }

// split divides the operands into those following flag in the form
// (-p PARENT) and the others, each in order.
func (g *GitCall) split(flag string) (flagged, rest []string) {
	i := 0
	for j, w := range g.form {
		if w != "_" {
			continue
		}
		if j > 0 && g.form[j-1] == flag {
			flagged = append(flagged, g.Args[i])
		} else {
			rest = append(rest, g.Args[i])
		}
		i++
	}
	return flagged, rest
}

// GitRun runs the typed call op standing for `git FORM`: form is the
// call's words as the script writes them, "_" for each operand, and
// operands are the fields the operands' words expand to, in order. A
// word before a flag of the form expands to one field (translate writes
// the others with GitTyped); the fields of the last ones fill the
// form's end, however many they are. See GitTyped.
func (s *State) GitRun(op GitOp, form string, operands ...string) {
	s.GitTyped(form, fillForm(strings.Fields(form), operands), op)
}

// GitText is `$(git FORM)` of a typed call: GitRun in a command
// substitution, its output without the trailing newlines.
func (s *State) GitText(op GitOp, form string, operands ...string) string {
	return s.Capture(func(s *State) { s.GitRun(op, form, operands...) })
}

// fillForm is the argv a form's words and its operands' fields make:
// the operands in the form's "_" places, up to the last literal word,
// one each, then the rest after it.
func fillForm(form, operands []string) []string {
	last := -1
	for j, w := range form {
		if w != "_" {
			last = j
		}
	}
	argv := make([]string, 0, len(form)+len(operands))
	for _, w := range form[:last+1] {
		if w == "_" {
			argv = append(argv, operands[0])
			operands = operands[1:]
			continue
		}
		argv = append(argv, w)
	}
	return append(argv, operands...)
}

// formOperands matches argv against a form's words and returns the
// operands, when they mean to the face what they mean to the typed call:
// the literal words are where the form has them, and no operand is
// empty or read as an option, nor, for rev-parse, a range or a parent
// shorthand.
func formOperands(form, argv []string) ([]string, bool) {
	if len(argv) != len(form) {
		return nil, false
	}
	var ops []string
	for i, w := range form {
		if w != "_" {
			if argv[i] != w {
				return nil, false
			}
			continue
		}
		op := argv[i]
		if op == "" || strings.HasPrefix(op, "-") {
			return nil, false
		}
		if form[0] == "rev-parse" && (strings.HasPrefix(op, "^") || strings.Contains(op, "..") ||
			strings.HasSuffix(op, "^@") || strings.HasSuffix(op, "^!") || strings.Contains(op, "^-")) {
			return nil, false
		}
		ops = append(ops, op)
	}
	return ops, true
}
