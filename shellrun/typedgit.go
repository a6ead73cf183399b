package shellrun

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitcmd"
)

// A typed git call is how the idiomatic stage writes a `git ...` command
// of a form gitapi has a typed operation for: the call's Go is that
// operation (repo.WriteTree(), a RevParser's Resolve, a configuration
// lookup), and State.GitTyped gives the script what the face would have
// given it, byte for byte:
//
//   - on success, the face's stdout (the value's text and a newline, as
//     git prints it) and the diagnostics git prints on the way (an
//     ambiguous refname's warning), status 0;
//   - wherever the face would not reach the operation with an open
//     repository (outside one, a broken configuration, replace refs or
//     content conversions git must handle), and when the words the
//     script's expansions gave are not the form's (a different count, an
//     operand the face would read as an option or a range), the face
//     runs instead, exactly as the raw stage runs it;
//   - when the operation fails, a read-only form runs the face, which
//     prints git's error and sets git's status: the typed attempt
//     changed nothing, read no input and printed nothing, so the face
//     sees the very state the script's call would have (the repository
//     is not changed by a lookup), and what it prints is what git
//     prints; a form that writes reports the failure with the message
//     function its face uses (gitcmd.WriteTreeFailed).

// GitCall is one typed git call as its Go sees it: the repository the
// face would run in, the call's operands, and the diagnostics recorded
// on the way (printed only if the call succeeds).
type GitCall struct {
	// Repo is the repository, opened as State.Git's face opens it.
	Repo *gitapi.Repo
	// Args are the operands: the words after the form's fixed
	// subcommand and flags.
	Args []string
	diag bytes.Buffer
}

// Warn records a diagnostic line the face prints on stderr.
func (g *GitCall) Warn(line string) { g.diag.WriteString(line + "\n") }

// RevParser is the resolver `git rev-parse` looks a revision up with:
// its diagnostics recorded, and with quiet (-q) only the peel errors
// and the loud lookups' lines kept, as rev-parse keeps them.
func (g *GitCall) RevParser(quiet bool) *gitapi.RevParser {
	return &gitapi.RevParser{Repo: g.Repo, LoudDiag: g.Warn, Diag: func(line string) {
		if !quiet || gitapi.IsPeelError(line) {
			g.Warn(line)
		}
	}}
}

// Resolve is `git rev-parse [--verify] [-q] REV` of one plain revision:
// the object it names.
func (g *GitCall) Resolve(rev string, quiet bool) (gitapi.Hash, error) {
	p := g.RevParser(quiet)
	id, err := p.Resolve(rev)
	if err == nil && p.DieErr != nil {
		err = p.DieErr
	}
	return id, err
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

// errUseFace is a typed call's answer for a case its form leaves to the
// face.
var errUseFace = errors.New("left to the face")

// typedFailures are the forms that write: their failures are reported
// with the face's own message function rather than by running the face
// again.
var typedFailures = map[string]func(stderr io.Writer, err error) int{
	"write-tree": gitcmd.WriteTreeFailed,
}

// GitTyped runs a typed git call standing for `git ARGV`: argv's first
// fixed words are the subcommand and the form's flags, and the form
// takes the given number of operands after them. What the call returns
// is printed as the face prints it: a Hash or a string as one line, a
// list of hashes a line each, a bool as the status alone (0 for true, 1
// for false), nil as nothing.
func (s *State) GitTyped(argv []string, fixed, operands int, call func(g *GitCall) (any, error)) {
	ops := argv[min(fixed, len(argv)):]
	if len(ops) != operands || !plainOperands(argv[0], ops) {
		s.Git(argv...)
		return
	}
	repo := gitcmd.TypedRepo(argv[0], gitapi.Options{Dir: s.dir, Env: s.Environ(), Session: s.session})
	if repo == nil {
		s.Git(argv...)
		return
	}
	g := &GitCall{Repo: repo, Args: ops}
	v, err := call(g)
	p := &process{}
	if err != nil {
		failed, writes := typedFailures[argv[0]]
		if !writes || errors.Is(err, errUseFace) {
			s.Git(argv...)
			return
		}
		s.stats.InProcess.Add(1)
		s.Status = p.status(failed(p.writer(s.writer(2)), err))
		return
	}
	s.stats.InProcess.Add(1)
	p.writer(s.writer(2)).Write(g.diag.Bytes())
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
	if out.Len() > 0 {
		io.WriteString(p.writer(s.writer(1)), out.String())
	}
	s.Status = p.status(status)
}

// plainOperands reports whether a form's operands mean to the face what
// they mean to the typed call: none is empty or read as an option, and
// rev-parse's revisions are single revisions, not ranges or parent
// shorthands.
func plainOperands(sub string, ops []string) bool {
	for _, op := range ops {
		if op == "" || strings.HasPrefix(op, "-") {
			return false
		}
		if sub == "rev-parse" && (strings.HasPrefix(op, "^") || strings.Contains(op, "..") ||
			strings.HasSuffix(op, "^@") || strings.HasSuffix(op, "^!") || strings.Contains(op, "^-")) {
			return false
		}
	}
	return true
}
