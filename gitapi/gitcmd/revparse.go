package gitcmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitmsg"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// Filter bits of rev-parse: which kinds of arguments are shown.
const (
	doRevs     = 1 << iota // revisions
	doNoRev                // arguments that are not revisions
	doFlags                // flags
	doNonFlags             // non-flags
)

// revKind says whether a revision is shown plainly or negated ("^").
type revKind int

const (
	revNormal revKind = iota
	revReversed
)

// revParseCmd is the state of one `rev-parse` run.
type revParseCmd struct {
	c                      *command
	repo                   *gitapi.Repo
	filter                 int
	verify, quiet, sq      bool
	symbolic, symbolicFull bool
	abbrevRef, strict      bool
	abbrev                 int
	showType               revKind
	def                    string
	hasDefault             bool
	prefix                 string
	outputPrefix           bool
	revsCount              int
	// asIs is 1 once an argument named a file (the rest are files,
	// checked), 2 after "--" (the rest are files, unchecked).
	asIs int
	// endOfOptions is set by --end-of-options: the rest are
	// arguments, even those that start with "-".
	endOfOptions bool
	last         struct {
		kind revKind
		id   gitapi.Hash
		name string
	}
}

// localEnvVars are the variables `rev-parse --local-env-vars` lists.
var localEnvVars = []string{
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
	"GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE",
	"GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_PREFIX",
	"GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE", "GIT_COMMON_DIR",
}

// revParse implements `git rev-parse`.
func (c *command) revParse(args []string) int {
	if len(args) > 0 && args[0] == "--parseopt" {
		return c.parseopt(args[1:])
	}
	if len(args) > 1 && args[0] == "--sq-quote" {
		var b strings.Builder
		for _, a := range args[1:] {
			b.WriteString(" " + gitapi.ShellQuote(a))
		}
		c.println(b.String())
		return exitOK
	}
	rp := revParseArgs.init
	rp.c = c
	err := rp.run(args)
	var ee *gitapi.ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	if err != nil {
		return c.fatalErr(err)
	}
	return exitOK
}

// run processes the arguments in order, as git does: parsed once, each
// option applied where it stands, until an argument names a file or
// --end-of-options, after which every word is an argument.
func (rp *revParseCmd) run(args []string) error {
	if len(args) == 0 {
		_, err := rp.c.openRepo()
		return err
	}
	items, err := revParseArgs.walk(args)
	if err != nil {
		return err
	}
	hasDashDash := slices.Contains(args, "--")
	for _, it := range items {
		if it.Option != nil && rp.asIs == 0 && !rp.endOfOptions {
			if err := rp.option(*it.Option, it.Words[0]); err != nil {
				return err
			}
			continue
		}
		for _, w := range it.Words {
			if err := rp.word(w, hasDashDash); err != nil {
				return err
			}
		}
	}
	return rp.finish()
}

// openRepo opens the repository the first time an argument needs it.
func (rp *revParseCmd) openRepo() error {
	if rp.repo != nil {
		return nil
	}
	r, err := rp.c.openRepo()
	if err != nil {
		return err
	}
	rp.repo, rp.prefix = r, r.Prefix()
	return nil
}

// word handles one argument that is not an option of the table (or that
// came after the options ended): a file once the arguments are files,
// --local-env-vars, "--" (even after --end-of-options), a flag rev-parse
// does not know, or a revision.
func (rp *revParseCmd) word(arg string, hasDashDash bool) error {
	if rp.asIs > 0 {
		if rp.showFile(arg) && rp.asIs < 2 {
			return rp.verifyFilename(arg, false)
		}
		return nil
	}
	if arg == "--local-env-vars" && !rp.endOfOptions {
		for _, v := range localEnvVars {
			rp.c.println(v)
		}
		return nil
	}
	if err := rp.openRepo(); err != nil {
		return err
	}
	switch {
	case arg == "--":
		rp.asIs = 2
		if rp.filter&(doFlags|doRevs) != 0 {
			rp.showFileUnprefixed(arg)
		}
		return nil
	case rp.endOfOptions || !strings.HasPrefix(arg, "-"):
		return rp.revisionArg(arg, hasDashDash)
	}
	return rp.unknownFlag(arg)
}

// finish prints the single revision of --verify, or the default.
func (rp *revParseCmd) finish() error {
	if rp.verify {
		if rp.revsCount == 1 {
			rp.showRev(rp.last.kind, rp.last.id, rp.last.name)
			return nil
		}
		if rp.revsCount == 0 && rp.hasDefault {
			if rp.showDefault() {
				return nil
			}
		}
		return rp.noSingleRevision()
	}
	rp.showDefault()
	return nil
}

// noSingleRevision is die_no_single_rev: silent exit 1 with -q.
func (rp *revParseCmd) noSingleRevision() error {
	if rp.quiet {
		return &gitapi.ExitError{Code: 1}
	}
	return gitapi.Messagef("Needed a single revision")
}

// revParseSpec is rev-parse's option table. rev-parse compares its
// arguments by hand (parseopt.Flags.Exact): no abbreviation, negation or
// clustering; "--name=value" only for the options whose value is
// optional. It prints no usage of these.
var revParseSpec = &parseopt.Spec{
	Options: []parseopt.Option{
		{Long: "end-of-options"}, {Long: "git-path", TakesArg: true}, {Long: "default", TakesArg: true},
		{Long: "prefix", TakesArg: true}, {Long: "revs-only"}, {Long: "no-revs"}, {Long: "flags"},
		{Long: "no-flags"}, {Long: "verify"}, {Short: 'q', Long: "quiet"}, {Long: "short", OptionalArg: true},
		{Long: "sq"}, {Long: "not"}, {Long: "symbolic"}, {Long: "symbolic-full-name"},
		{Long: "abbrev-ref", OptionalArg: true}, {Long: "all"}, {Long: "branches", OptionalArg: true},
		{Long: "tags", OptionalArg: true}, {Long: "remotes", OptionalArg: true},
		{Long: "git-dir"}, {Long: "absolute-git-dir"}, {Long: "git-common-dir"}, {Long: "show-toplevel"},
		{Long: "show-prefix"}, {Long: "show-cdup"}, {Long: "is-inside-git-dir"}, {Long: "is-inside-work-tree"},
		{Long: "is-bare-repository"}, {Long: "is-shallow-repository"}, {Long: "show-object-format", OptionalArg: true},
		{Long: "abbrev", OptionalArg: true},
		// Left to git: date limits, globs, path formats, ...
		{Long: "since", OptionalArg: true}, {Long: "after", OptionalArg: true}, {Long: "until", OptionalArg: true},
		{Long: "before", OptionalArg: true}, {Long: "resolve-git-dir", OptionalArg: true},
		{Long: "show-superproject-working-tree", OptionalArg: true}, {Long: "shared-index-path", OptionalArg: true},
		{Long: "path-format", OptionalArg: true}, {Long: "disambiguate", OptionalArg: true},
		{Long: "exclude", OptionalArg: true}, {Long: "glob", OptionalArg: true},
		{Long: "show-ref-format", OptionalArg: true}, {Long: "bisect", OptionalArg: true},
		{Short: 'n'}, {Long: "max-count", OptionalArg: true},
	},
}

// revParseUnserved are the options of revParseSpec left to git; with a
// value, --branches, --tags, --remotes and --abbrev are too.
var revParseUnserved = map[string]bool{
	"since": true, "after": true, "until": true, "before": true, "resolve-git-dir": true,
	"show-superproject-working-tree": true, "shared-index-path": true, "path-format": true,
	"disambiguate": true, "exclude": true, "glob": true, "show-ref-format": true, "bisect": true,
	"n": true, "max-count": true,
}

// revParseArgs parses rev-parse's arguments once, in order; run applies
// each option where it stands. The options that only set state are
// applied here; those that print or read the repository are run's.
var revParseArgs = &argParser[revParseCmd]{
	spec:  revParseSpec,
	flags: parseopt.Flags{Exact: true, KeepDashDash: true},
	init:  revParseCmd{filter: doRevs | doNoRev | doFlags | doNonFlags},
	bools: map[string]func(rp *revParseCmd) *bool{
		"quiet":              func(rp *revParseCmd) *bool { return &rp.quiet },
		"sq":                 func(rp *revParseCmd) *bool { return &rp.sq },
		"symbolic":           func(rp *revParseCmd) *bool { return &rp.symbolic },
		"symbolic-full-name": func(rp *revParseCmd) *bool { return &rp.symbolicFull },
	},
	set: func(rp *revParseCmd, f parseopt.Parsed) error {
		name := f.Option.Long
		if name == "" {
			name = string(f.Option.Short)
		}
		switch {
		case revParseUnserved[name],
			f.HasValue && (name == "branches" || name == "tags" || name == "remotes" || name == "abbrev"):
			return unserved("rev-parse", f)
		case f.Option.TakesArg && !f.Option.OptionalArg && !f.HasValue:
			return fmt.Errorf("--%s requires an argument", name)
		}
		switch name {
		case "default":
			if unservedRevisionForm(f.Value) {
				return unserved("rev-parse", f)
			}
			rp.def, rp.hasDefault = f.Value, true
		case "prefix":
			rp.prefix, rp.outputPrefix = f.Value, true
		case "revs-only":
			rp.filter &^= doNoRev
		case "no-revs":
			rp.filter &^= doRevs
		case "flags":
			rp.filter &^= doNonFlags
		case "no-flags":
			rp.filter &^= doFlags
		case "verify":
			rp.filter &^= doFlags | doNoRev
			rp.verify = true
		case "not":
			rp.showType ^= revReversed
		case "abbrev-ref":
			rp.abbrevRef, rp.strict = true, true
			switch {
			case !f.HasValue, f.Value == "strict":
			case f.Value == "loose":
				rp.strict = false
			default:
				return fmt.Errorf("unknown mode for --abbrev-ref: %s", f.Value)
			}
		}
		return nil
	},
	check: func(_ *revParseCmd, rest []string) error {
		for _, a := range rest {
			if a == "--" {
				return nil
			}
			if unservedRevisionForm(a) {
				return &UnservedError{Command: "rev-parse", Form: a}
			}
		}
		return nil
	},
}

// option runs one option of the table where it stands; word is the
// argument it was read from.
func (rp *revParseCmd) option(f parseopt.Parsed, word string) error {
	if err := rp.openRepo(); err != nil {
		return err
	}
	if err := revParseArgs.apply(rp, f); err != nil {
		return err
	}
	r := rp.repo
	switch f.Option.Long {
	case "end-of-options":
		rp.endOfOptions = true
		if rp.filter&(doFlags|doRevs) != 0 {
			rp.showFile(word)
		}
	case "git-path":
		rp.c.println(gitapi.RelativePath(r.GitPath(f.Value), rp.prefix))
	case "short":
		rp.filter &^= doFlags | doNoRev
		rp.verify = true
		rp.abbrev = r.DefaultAbbrev()
		if f.HasValue {
			// git reads the number with strtoul: leading digits only.
			rp.abbrev = min(max(leadingNumber(f.Value), gitapi.MinAbbrev), gitapi.HexSize)
		}
	case "all":
		return rp.showRefs("refs/")
	case "branches":
		return rp.showRefs("refs/heads/")
	case "tags":
		return rp.showRefs("refs/tags/")
	case "remotes":
		return rp.showRefs("refs/remotes/")
	case "abbrev":
		return rp.unknownFlag(word)
	case "show-object-format":
		switch f.Value {
		case "", "storage", "input", "output":
			rp.c.println("sha1")
		default:
			return fmt.Errorf("unknown mode for --show-object-format: %s", f.Value)
		}
	default:
		return rp.repoInfo(f.Option.Long)
	}
	return nil
}

// repoInfo handles the options that report on the repository (and does
// nothing for the others).
func (rp *revParseCmd) repoInfo(name string) error {
	r := rp.repo
	switch name {
	case "git-dir":
		rp.c.println(r.GitDirShown())
	case "absolute-git-dir":
		rp.c.println(gitapi.RealPath(r.GitDir()))
	case "git-common-dir":
		rp.c.println(gitapi.RelativePath(r.CommonDirShown(), rp.prefix))
	case "show-toplevel":
		if r.WorkTree() == "" {
			return errors.New("this operation must be run in a work tree")
		}
		rp.c.println(r.WorkTree())
	case "show-prefix":
		rp.c.println(rp.prefix)
	case "show-cdup":
		if !r.IsInsideWorkTree() {
			if r.WorkTree() != "" {
				rp.c.println(r.WorkTree())
			}
			return nil
		}
		rp.c.println(strings.Repeat("../", strings.Count(rp.prefix, "/")))
	case "is-inside-git-dir":
		rp.c.println(strconv.FormatBool(r.IsInsideGitDir()))
	case "is-inside-work-tree":
		rp.c.println(strconv.FormatBool(r.IsInsideWorkTree()))
	case "is-bare-repository":
		rp.c.println(strconv.FormatBool(r.IsBare()))
	case "is-shallow-repository":
		_, err := os.Stat(filepath.Join(r.CommonDir(), "shallow"))
		rp.c.println(strconv.FormatBool(err == nil))
	}
	return nil
}

// unknownFlag shows a flag rev-parse does not know, as git does; with
// --verify that is not a single revision.
func (rp *revParseCmd) unknownFlag(arg string) error {
	if rp.showFlag(arg) && rp.verify {
		return rp.noSingleRevision()
	}
	return nil
}

// showRefs prints every ref under prefix (for --all and friends).
func (rp *revParseCmd) showRefs(prefix string) error {
	refs, err := rp.repo.Refs(prefix)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		// git's iterators hand --branches, --tags and --remotes the
		// names without their prefix.
		name := ref.Name
		if prefix != "refs/" {
			name = strings.TrimPrefix(name, prefix)
		}
		rp.showRev(revNormal, ref.ID, name)
	}
	return nil
}

// revisionArg handles a non-flag argument: a range, a parent shorthand,
// a (possibly negated) revision, or a file name.
func (rp *revParseCmd) revisionArg(arg string, hasDashDash bool) error {
	if done, err := rp.tryRange(arg); done || err != nil {
		return err
	}
	if done, err := rp.tryParentShorthand(arg); done || err != nil {
		return err
	}
	name, kind := arg, revNormal
	if rest, ok := strings.CutPrefix(arg, "^"); ok {
		name, kind = rest, revReversed
	}
	id, err := rp.resolve(name)
	if err == nil {
		if rp.verify {
			rp.revsCount++
			rp.last.kind, rp.last.id, rp.last.name = kind, id, name
		} else {
			rp.showRev(kind, id, name)
		}
		return nil
	}
	var ee *gitapi.ExitError
	if errors.As(err, &ee) || !errors.Is(err, gitapi.ErrBadRevision) {
		return err
	}
	if rp.verify {
		return rp.noSingleRevision()
	}
	if hasDashDash {
		return fmt.Errorf("bad revision '%s'", arg)
	}
	rp.asIs = 1
	if !rp.showFile(arg) {
		return nil
	}
	return rp.verifyFilename(arg, true)
}

// resolve looks a revision up, printing git's diagnostics; a fatal
// lookup error (short reflog, missing upstream) ends rev-parse.
func (rp *revParseCmd) resolve(name string) (gitapi.Hash, error) {
	p := &gitapi.RevParser{Repo: rp.repo, LoudDiag: rp.c.warn, Diag: func(line string) {
		if !rp.quiet || gitapi.IsPeelError(line) {
			rp.c.warn(line)
		}
	}}
	id, err := p.Resolve(name)
	if err != nil && p.DieErr != nil {
		var ue *gitapi.UpstreamError
		if rp.quiet && !errors.As(p.DieErr, &ue) {
			return gitapi.ZeroHash, &gitapi.ExitError{Code: exitFatal}
		}
		return gitapi.ZeroHash, p.DieErr
	}
	return id, err
}

// tryRange handles "A..B" and "A...B" (either side defaulting to HEAD).
func (rp *revParseCmd) tryRange(arg string) (bool, error) {
	dots := strings.Index(arg, "..")
	if dots < 0 {
		return false, nil
	}
	left, right := arg[:dots], arg[dots+2:]
	symmetric := strings.HasPrefix(right, ".")
	if symmetric {
		right = right[1:]
	}
	if left == "" && right == "" && !symmetric {
		return false, nil
	}
	if left == "" {
		left = "HEAD"
	}
	if right == "" {
		right = "HEAD"
	}
	diag := &gitapi.RevParser{Repo: rp.repo, Diag: rp.c.warn}
	a, errA := diag.Resolve(left)
	b, errB := diag.Resolve(right)
	if errA != nil || errB != nil || !rp.isCommittish(a) || !rp.isCommittish(b) {
		return false, nil
	}
	rp.showRev(revNormal, b, right)
	if !symmetric {
		rp.showRev(revReversed, a, left)
		return true, nil
	}
	rp.showRev(revNormal, a, left)
	ca, _, _ := rp.repo.Peel(a, gitapi.TypeCommit)
	cb, _, _ := rp.repo.Peel(b, gitapi.TypeCommit)
	bases, err := rp.repo.MergeBases(ca, cb)
	if err != nil {
		return true, err
	}
	for _, base := range bases {
		rp.showRev(revReversed, base, "")
	}
	return true, nil
}

// isCommittish reports whether id peels to a commit.
func (rp *revParseCmd) isCommittish(id gitapi.Hash) bool {
	_, _, err := rp.repo.Peel(id, gitapi.TypeCommit)
	return err == nil
}

// tryParentShorthand handles "X^@" (all parents), "X^!" (X and not its
// parents) and "X^-N" (X and not its Nth parent).
func (rp *revParseCmd) tryParentShorthand(arg string) (bool, error) {
	var base, mode string
	n := 1
	switch {
	case strings.HasSuffix(arg, "^@"):
		base, mode = arg[:len(arg)-2], "@"
	case strings.HasSuffix(arg, "^!"):
		base, mode = arg[:len(arg)-2], "!"
	default:
		at := strings.LastIndex(arg, "^-")
		if at < 0 {
			return false, nil
		}
		base, mode = arg[:at], "-"
		if digits := arg[at+2:]; digits != "" {
			v, err := strconv.Atoi(digits)
			if err != nil || v < 1 {
				return false, nil
			}
			n = v
		}
	}
	quiet := &gitapi.RevParser{Repo: rp.repo, Diag: func(string) {}}
	id, err := quiet.Resolve(base)
	if err != nil {
		return false, nil
	}
	commit, _, err := rp.repo.Peel(id, gitapi.TypeCommit)
	if err != nil {
		return false, nil
	}
	c, err := rp.repo.ReadCommit(commit)
	if err != nil || (mode == "-" && n > len(c.Parents)) {
		return false, nil
	}
	if mode != "@" {
		rp.showRev(revNormal, commit, base)
	}
	for i, parent := range c.Parents {
		switch {
		case mode == "@":
			rp.showRev(revNormal, parent, "")
		case mode == "!" || i == n-1:
			rp.showRev(revReversed, parent, "")
		}
	}
	return true, nil
}

// showDefault shows the --default revision if nothing was shown yet.
func (rp *revParseCmd) showDefault() bool {
	if !rp.hasDefault {
		return false
	}
	rp.hasDefault = false
	id, err := (&gitapi.RevParser{Repo: rp.repo, Diag: func(string) {}}).Resolve(rp.def)
	if err != nil {
		return false
	}
	rp.showRev(revNormal, id, rp.def)
	return true
}

// showRev prints a revision: hex, abbreviated, or symbolic.
func (rp *revParseCmd) showRev(kind revKind, id gitapi.Hash, name string) {
	if rp.filter&doRevs == 0 {
		return
	}
	rp.hasDefault = false
	switch {
	case (rp.symbolicFull || rp.abbrevRef) && name != "":
		p := &gitapi.RevParser{Repo: rp.repo, Diag: func(string) {}}
		if count, full := p.CountRefs(name); count == 1 {
			if rp.abbrevRef {
				full = rp.repo.ShortenRef(full, rp.strict)
			}
			rp.showWithType(kind, full)
		} else if count > 1 {
			rp.c.errorf("refname '%s' is ambiguous", name)
		}
	case rp.symbolic && name != "":
		rp.showWithType(kind, name)
	case rp.abbrev > 0:
		rp.showWithType(kind, rp.repo.UniqueAbbrev(id, rp.abbrev))
	default:
		rp.showWithType(kind, id.String())
	}
}

// showWithType prints s, with "^" when its kind differs from --not's.
func (rp *revParseCmd) showWithType(kind revKind, s string) {
	if kind != rp.showType {
		s = "^" + s
	}
	rp.show(s)
}

// show prints one word, shell-quoted with --sq.
func (rp *revParseCmd) show(s string) {
	if rp.sq {
		rp.c.out.WriteString(gitapi.ShellQuote(s) + " ")
		return
	}
	rp.c.println(s)
}

// showFile prints a non-revision argument if the filter lets it through.
func (rp *revParseCmd) showFile(arg string) bool {
	rp.showDefault()
	if rp.filter&(doNonFlags|doNoRev) != doNonFlags|doNoRev {
		return false
	}
	if rp.outputPrefix {
		arg = prefixFilename(rp.prefix, arg)
	}
	rp.show(arg)
	return true
}

// showFileUnprefixed is showFile without --prefix applied (for "--").
func (rp *revParseCmd) showFileUnprefixed(arg string) bool {
	saved := rp.outputPrefix
	rp.outputPrefix = false
	defer func() { rp.outputPrefix = saved }()
	return rp.showFile(arg)
}

// leadingNumber is the value of the leading decimal digits of s (0 for
// none), as strtoul reads it.
func leadingNumber(s string) int {
	n := 0
	for i := 0; i < len(s) && '0' <= s[i] && s[i] <= '9' && n < 1<<20; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// prefixFilename joins prefix and a relative arg.
func prefixFilename(prefix, arg string) string {
	if filepath.IsAbs(arg) {
		return arg
	}
	return prefix + arg
}

// showFlag prints a flag rev-parse does not know, if the filter lets it.
func (rp *revParseCmd) showFlag(arg string) bool {
	if rp.filter&doFlags == 0 || rp.filter&doNoRev == 0 {
		return false
	}
	rp.show(arg)
	return true
}

// verifyFilename requires arg to name a file when it did not name a
// revision, with git's diagnostics for misspelt "rev:path" forms.
func (rp *revParseCmd) verifyFilename(arg string, diagnose bool) error {
	if strings.HasPrefix(arg, "-") {
		return fmt.Errorf("option '%s' must come before non-option arguments", arg)
	}
	if strings.ContainsAny(arg, "*?[\\") || strings.HasPrefix(arg, ":(") {
		return nil
	}
	base := rp.repo.Cwd()
	if _, err := os.Lstat(gitapi.AbsFrom(base, arg)); err == nil {
		return nil
	}
	if diagnose {
		if err := rp.diagnoseMisspelt(arg); err != nil {
			return err
		}
	}
	return errors.New(gitmsg.AmbiguousArgument(arg))
}

// diagnoseMisspelt explains a "rev:path" or ":path" that named nothing.
func (rp *revParseCmd) diagnoseMisspelt(arg string) error {
	r := rp.repo
	p := &gitapi.RevParser{Repo: r, Diag: rp.c.warn, LoudDiag: rp.c.warn, Diagnosing: true}
	if rest, ok := strings.CutPrefix(arg, ":"); ok {
		if len(rest) >= 2 && rest[1] == ':' && rest[0] >= '0' && rest[0] <= '3' {
			rest = rest[2:]
		}
		path := r.RelativeToTop(rest)
		if _, err := os.Lstat(filepath.Join(r.WorkTree(), path)); err == nil && r.WorkTree() != "" {
			return fmt.Errorf("path '%s' exists on disk, but not in the index", path)
		}
		return fmt.Errorf("path '%s' does not exist (neither on disk nor in the index)", path)
	}
	colon := gitapi.TopLevelColon(arg)
	if colon < 0 {
		// git resolves the name again to diagnose it, which repeats
		// some of its messages.
		p.Resolve(arg)
		return nil
	}
	treeish, spec := arg[:colon], arg[colon+1:]
	// Known gap: when no candidate of an ambiguous short tree-ish is a
	// tree-ish, git lists them a second time here; this prints once.
	p.Diagnosing = true
	base, err := p.RevisionAs(treeish, "treeish", false)
	if err != nil {
		return gitapi.Messagef("invalid object name '%s'.", treeish)
	}
	tree, _, err := r.Peel(base, gitapi.TypeTree)
	if err != nil {
		return nil
	}
	path := r.RelativeToTop(spec)
	if r.WorkTree() != "" {
		if _, err := os.Lstat(filepath.Join(r.WorkTree(), path)); err == nil {
			return fmt.Errorf("path '%s' exists on disk, but not in '%s'", path, treeish)
		}
	}
	if r.Prefix() != "" {
		full := r.Prefix() + path
		if _, err := r.LookupPath(tree, full); err == nil {
			return fmt.Errorf("path '%s' exists, but not '%s'\nhint: Did you mean '%s:%s' aka '%s:./%s'?", full, path, treeish, full, treeish, path)
		}
	}
	return fmt.Errorf("path '%s' does not exist in '%s'", path, treeish)
}

// unservedRevision matches revision forms the parser does not handle:
// reflog entries by date (@{yesterday}), @{push}, and :/text.
var unservedRevision = regexp.MustCompile(`@\{[^}]*[^0-9}\-][^}]*\}|^:/|^\^?:/`)

// upstreamMark reports whether an "@{...}" match is @{u}/@{upstream}.
func upstreamMark(m string) bool {
	spec := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(m, "@{"), "}"))
	return spec == "u" || spec == "upstream"
}

// unservedRevisionForm reports a revision form the parser does not
// handle (@{u} and @{upstream} it does).
func unservedRevisionForm(arg string) bool {
	m := unservedRevision.FindString(arg)
	return m != "" && !upstreamMark(m)
}

// revParseParses reports whether rev-parse parses args: --parseopt and
// --sq-quote as they come, else what revParseArgs parses.
func revParseParses(args []string) bool {
	if len(args) > 0 && (args[0] == "--parseopt" || args[0] == "--sq-quote") {
		return true
	}
	return revParseArgs.parses(args)
}
