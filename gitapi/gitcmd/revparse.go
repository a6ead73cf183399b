package gitcmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
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
	last                   struct {
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
	rp := &revParseCmd{c: c, filter: doRevs | doNoRev | doFlags | doNonFlags}
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

// run processes the arguments in order, as git does.
func (rp *revParseCmd) run(args []string) error {
	if len(args) == 0 {
		_, err := rp.c.openRepo()
		return err
	}
	hasDashDash := false
	for _, a := range args {
		if a == "--" {
			hasDashDash = true
			break
		}
	}
	asIs := 0
	endOfOptions := false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if asIs > 0 {
			if rp.showFile(arg) && asIs < 2 {
				if err := rp.verifyFilename(arg, false); err != nil {
					return err
				}
			}
			continue
		}
		if arg == "--local-env-vars" {
			for _, v := range localEnvVars {
				rp.c.println(v)
			}
			continue
		}
		if rp.repo == nil {
			r, err := rp.c.openRepo()
			if err != nil {
				return err
			}
			rp.repo, rp.prefix = r, r.Prefix()
		}
		if !endOfOptions && strings.HasPrefix(arg, "-") {
			consumed, err := rp.option(args, i, &asIs, &endOfOptions)
			if err != nil {
				return err
			}
			i += consumed
			continue
		}
		if err := rp.revisionArg(arg, hasDashDash, &asIs); err != nil {
			return err
		}
	}
	return rp.finish()
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

// option handles one flag at args[i] and returns how many following
// arguments it consumed.
func (rp *revParseCmd) option(args []string, i int, asIs *int, endOfOptions *bool) (int, error) {
	arg := args[i]
	next := func(what string) (string, error) {
		if i+1 >= len(args) {
			return "", fmt.Errorf("%s requires an argument", what)
		}
		return args[i+1], nil
	}
	r := rp.repo
	switch {
	case arg == "--":
		*asIs = 2
		if rp.filter&(doFlags|doRevs) != 0 {
			rp.showFileUnprefixed(arg)
		}
	case arg == "--end-of-options":
		*endOfOptions = true
		if rp.filter&(doFlags|doRevs) != 0 {
			rp.showFile(arg)
		}
	case arg == "--git-path":
		p, err := next("--git-path")
		if err != nil {
			return 0, err
		}
		rp.c.println(gitapi.RelativePath(r.GitPath(p), rp.prefix))
		return 1, nil
	case arg == "--default":
		p, err := next("--default")
		if err != nil {
			return 0, err
		}
		rp.def, rp.hasDefault = p, true
		return 1, nil
	case arg == "--prefix":
		p, err := next("--prefix")
		if err != nil {
			return 0, err
		}
		rp.prefix, rp.outputPrefix = p, true
		return 1, nil
	case arg == "--revs-only":
		rp.filter &^= doNoRev
	case arg == "--no-revs":
		rp.filter &^= doRevs
	case arg == "--flags":
		rp.filter &^= doNonFlags
	case arg == "--no-flags":
		rp.filter &^= doFlags
	case arg == "--verify":
		rp.filter &^= doFlags | doNoRev
		rp.verify = true
	case arg == "-q" || arg == "--quiet":
		rp.quiet = true
	case arg == "--short" || strings.HasPrefix(arg, "--short="):
		rp.filter &^= doFlags | doNoRev
		rp.verify = true
		rp.abbrev = rp.repo.DefaultAbbrev()
		if v, ok := strings.CutPrefix(arg, "--short="); ok {
			// git reads the number with strtoul: leading digits only.
			rp.abbrev = min(max(leadingNumber(v), gitapi.MinAbbrev), gitapi.HexSize)
		}
	case arg == "--sq":
		rp.sq = true
	case arg == "--not":
		rp.showType ^= revReversed
	case arg == "--symbolic":
		rp.symbolic = true
	case arg == "--symbolic-full-name":
		rp.symbolicFull = true
	case arg == "--abbrev-ref" || strings.HasPrefix(arg, "--abbrev-ref="):
		rp.abbrevRef, rp.strict = true, true
		if mode, ok := strings.CutPrefix(arg, "--abbrev-ref="); ok {
			switch mode {
			case "strict":
			case "loose":
				rp.strict = false
			default:
				return 0, fmt.Errorf("unknown mode for --abbrev-ref: %s", mode)
			}
		}
	case arg == "--all" || arg == "--branches" || arg == "--tags" || arg == "--remotes":
		return 0, rp.showRefs(map[string]string{"--all": "refs/", "--branches": "refs/heads/",
			"--tags": "refs/tags/", "--remotes": "refs/remotes/"}[arg])
	default:
		return 0, rp.repoInfo(arg)
	}
	return 0, nil
}

// repoInfo handles the flags that report on the repository; any other
// flag is shown as is, like git.
func (rp *revParseCmd) repoInfo(arg string) error {
	r := rp.repo
	switch arg {
	case "--git-dir":
		rp.c.println(r.GitDirShown())
	case "--absolute-git-dir":
		rp.c.println(gitapi.RealPath(r.GitDir()))
	case "--git-common-dir":
		rp.c.println(gitapi.RelativePath(r.CommonDirShown(), rp.prefix))
	case "--show-toplevel":
		if r.WorkTree() == "" {
			return errors.New("this operation must be run in a work tree")
		}
		rp.c.println(r.WorkTree())
	case "--show-prefix":
		rp.c.println(rp.prefix)
	case "--show-cdup":
		if !r.IsInsideWorkTree() {
			if r.WorkTree() != "" {
				rp.c.println(r.WorkTree())
			}
			return nil
		}
		rp.c.println(strings.Repeat("../", strings.Count(rp.prefix, "/")))
	case "--is-inside-git-dir":
		rp.c.println(strconv.FormatBool(r.IsInsideGitDir()))
	case "--is-inside-work-tree":
		rp.c.println(strconv.FormatBool(r.IsInsideWorkTree()))
	case "--is-bare-repository":
		rp.c.println(strconv.FormatBool(r.IsBare()))
	case "--is-shallow-repository":
		_, err := os.Stat(filepath.Join(r.CommonDir(), "shallow"))
		rp.c.println(strconv.FormatBool(err == nil))
	case "--show-object-format", "--show-object-format=storage", "--show-object-format=input", "--show-object-format=output":
		rp.c.println("sha1")
	default:
		if rp.showFlag(arg) && rp.verify {
			return rp.noSingleRevision()
		}
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
func (rp *revParseCmd) revisionArg(arg string, hasDashDash bool, asIs *int) error {
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
	*asIs = 1
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
	return fmt.Errorf("ambiguous argument '%s': unknown revision or path not in the working tree.\n"+
		"Use '--' to separate paths from revisions, like this:\n"+
		"'git <command> [<revision>...] -- [<file>...]'", arg)
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

// upstreamMark reports whether an "@{...}" match is @{u}/@{upstream}.
func upstreamMark(m string) bool {
	spec := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(m, "@{"), "}"))
	return spec == "u" || spec == "upstream"
}

// revParseParses reports whether rev-parse args are all served.
func revParseParses(args []string) bool {
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
