package gitapi

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	repo                   *Repo
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
		id   Hash
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

// errExit carries an exit status out of rev-parse's argument loop.
type errExit struct{ status int }

func (e *errExit) Error() string { return "exit " + strconv.Itoa(e.status) }

// revParse implements `git rev-parse`.
func (c *command) revParse(args []string) int {
	if len(args) > 0 && args[0] == "--parseopt" {
		return c.parseopt(args[1:])
	}
	if len(args) > 1 && args[0] == "--sq-quote" {
		var b strings.Builder
		for _, a := range args[1:] {
			b.WriteString(" " + ShellQuote(a))
		}
		c.println(b.String())
		return exitOK
	}
	rp := &revParseCmd{c: c, filter: doRevs | doNoRev | doFlags | doNonFlags}
	err := rp.run(args)
	var ee *errExit
	if errors.As(err, &ee) {
		return ee.status
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
			rp.repo, rp.prefix = r, r.prefix
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
		return &errExit{1}
	}
	return gitErrorf("Needed a single revision")
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
		rp.c.println(relativePath(r.gitPath(p), rp.prefix))
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
			rp.abbrev = min(max(leadingNumber(v), minAbbrev), hexSize)
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
		rp.c.println(r.gitDirShown)
	case "--absolute-git-dir":
		rp.c.println(realOrClean(r.gitDir))
	case "--git-common-dir":
		rp.c.println(relativePath(r.commonDirInternal(), rp.prefix))
	case "--show-toplevel":
		if r.workTree == "" {
			return errors.New("this operation must be run in a work tree")
		}
		rp.c.println(r.workTree)
	case "--show-prefix":
		rp.c.println(rp.prefix)
	case "--show-cdup":
		if !r.IsInsideWorkTree() {
			if r.workTree != "" {
				rp.c.println(r.workTree)
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
		_, err := os.Stat(filepath.Join(r.commonDir, "shallow"))
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
	var ee *errExit
	if errors.As(err, &ee) || !errors.Is(err, ErrBadRevision) {
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
func (rp *revParseCmd) resolve(name string) (Hash, error) {
	p := &revParser{repo: rp.repo, loudDiag: rp.c.warn, diag: func(line string) {
		if !rp.quiet || isPeelError(line) {
			rp.c.warn(line)
		}
	}}
	id, err := p.resolve(name)
	if err != nil && p.dieErr != nil {
		var ue *UpstreamError
		if rp.quiet && !errors.As(p.dieErr, &ue) {
			return ZeroHash, &errExit{exitFatal}
		}
		return ZeroHash, p.dieErr
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
	diag := &revParser{repo: rp.repo, diag: rp.c.warn}
	a, errA := diag.resolve(left)
	b, errB := diag.resolve(right)
	if errA != nil || errB != nil || !rp.isCommittish(a) || !rp.isCommittish(b) {
		return false, nil
	}
	rp.showRev(revNormal, b, right)
	if !symmetric {
		rp.showRev(revReversed, a, left)
		return true, nil
	}
	rp.showRev(revNormal, a, left)
	ca, _, _ := rp.repo.peel(a, TypeCommit)
	cb, _, _ := rp.repo.peel(b, TypeCommit)
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
func (rp *revParseCmd) isCommittish(id Hash) bool {
	_, _, err := rp.repo.peel(id, TypeCommit)
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
	quiet := &revParser{repo: rp.repo, diag: func(string) {}}
	id, err := quiet.resolve(base)
	if err != nil {
		return false, nil
	}
	commit, _, err := rp.repo.peel(id, TypeCommit)
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
	id, err := (&revParser{repo: rp.repo, diag: func(string) {}}).resolve(rp.def)
	if err != nil {
		return false
	}
	rp.showRev(revNormal, id, rp.def)
	return true
}

// showRev prints a revision: hex, abbreviated, or symbolic.
func (rp *revParseCmd) showRev(kind revKind, id Hash, name string) {
	if rp.filter&doRevs == 0 {
		return
	}
	rp.hasDefault = false
	switch {
	case (rp.symbolicFull || rp.abbrevRef) && name != "":
		p := &revParser{repo: rp.repo, diag: func(string) {}}
		if count, full := p.countRefs(name); count == 1 {
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
		rp.c.out.WriteString(ShellQuote(s) + " ")
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
	for i := 0; i < len(s) && isDigit(s[i]) && n < 1<<20; i++ {
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
	base := rp.repo.cwd
	if _, err := os.Lstat(absFrom(base, arg)); err == nil {
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
	p := &revParser{repo: r, diag: rp.c.warn, loudDiag: rp.c.warn, diagnosing: true}
	if rest, ok := strings.CutPrefix(arg, ":"); ok {
		if len(rest) >= 2 && rest[1] == ':' && rest[0] >= '0' && rest[0] <= '3' {
			rest = rest[2:]
		}
		path := r.relativeToTop(rest)
		if _, err := os.Lstat(filepath.Join(r.workTree, path)); err == nil && r.workTree != "" {
			return fmt.Errorf("path '%s' exists on disk, but not in the index", path)
		}
		return fmt.Errorf("path '%s' does not exist (neither on disk nor in the index)", path)
	}
	colon := topLevelColon(arg)
	if colon < 0 {
		// git resolves the name again to diagnose it, which repeats
		// some of its messages.
		p.resolve(arg)
		return nil
	}
	treeish, spec := arg[:colon], arg[colon+1:]
	// Known gap: when no candidate of an ambiguous short tree-ish is a
	// tree-ish, git lists them a second time here; this prints once.
	p.diagnosing = true
	base, err := p.revisionAs(treeish, "treeish", false)
	if err != nil {
		return gitErrorf("invalid object name '%s'.", treeish)
	}
	tree, _, err := r.peel(base, TypeTree)
	if err != nil {
		return nil
	}
	path := r.relativeToTop(spec)
	if r.workTree != "" {
		if _, err := os.Lstat(filepath.Join(r.workTree, path)); err == nil {
			return fmt.Errorf("path '%s' exists on disk, but not in '%s'", path, treeish)
		}
	}
	if r.prefix != "" {
		full := r.prefix + path
		if _, err := r.lookupPath(tree, full); err == nil {
			return fmt.Errorf("path '%s' exists, but not '%s'\nhint: Did you mean '%s:%s' aka '%s:./%s'?", full, path, treeish, full, treeish, path)
		}
	}
	return fmt.Errorf("path '%s' does not exist in '%s'", path, treeish)
}

// countRefs counts the refs git's rules find for name and returns the
// first full name (after symbolic refs), as dwim_ref does.
func (p *revParser) countRefs(name string) (int, string) {
	if expanded, ok := p.expandBranchMark(name); ok {
		name = expanded
	}
	if name == "@" {
		name = "HEAD"
	}
	if CheckRefName(name, true) != nil {
		return 0, ""
	}
	count, full := 0, ""
	for _, rule := range refRules {
		candidate := fmt.Sprintf(rule, name)
		if rule == "%s" && !refNameIsSafe(candidate) {
			continue
		}
		if _, final, err := p.repo.ResolveRef(candidate); err == nil {
			if count == 0 {
				full = final
			}
			count++
		}
	}
	return count, full
}

// expandBranchMark replaces "@{-N}" by the branch it names and
// "X@{upstream}" by the upstream's full ref name.
func (p *revParser) expandBranchMark(name string) (string, bool) {
	at := strings.Index(name, "@{")
	if at < 0 || !strings.HasSuffix(name, "}") {
		return "", false
	}
	spec := name[at+2 : len(name)-1]
	switch {
	case at == 0 && strings.HasPrefix(spec, "-"):
		n, err := strconv.Atoi(spec[1:])
		if err != nil || n <= 0 {
			return "", false
		}
		return p.repo.priorCheckout(n)
	case strings.EqualFold(spec, "u") || strings.EqualFold(spec, "upstream"):
		up, err := p.repo.Upstream(name[:at])
		return up, err == nil
	}
	return "", false
}

// DefaultAbbrev is the abbreviation length git uses: core.abbrev, or
// one that grows with the number of objects (7 for small repositories).
func (r *Repo) DefaultAbbrev() int {
	cfg, err := r.Config()
	if err != nil {
		return 7
	}
	v, ok := cfg.Get("core.abbrev")
	if !ok || strings.EqualFold(v, "auto") {
		return r.autoAbbrev()
	}
	if b, err := parseBool(v, true); err == nil && !b && v != "" && !isDigit(v[0]) {
		return hexSize
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < minAbbrev || n > hexSize {
		return 7
	}
	return n
}

// ShortenRef returns the shortest name that git's rules resolve back to
// the full ref name unambiguously (`rev-parse --abbrev-ref`); strict
// also rejects names other rules would find.
func (r *Repo) ShortenRef(full string, strict bool) string {
	for i := len(refRules) - 1; i > 0; i-- {
		prefix, _, _ := strings.Cut(refRules[i], "%s")
		short, ok := strings.CutPrefix(full, prefix)
		if !ok || short == "" {
			continue
		}
		limit := i
		if strict {
			limit = len(refRules)
		}
		unique := true
		for j := 0; j < limit; j++ {
			if j == i {
				continue
			}
			if _, _, err := r.ResolveRef(fmt.Sprintf(refRules[j], short)); err == nil {
				unique = false
				break
			}
		}
		if unique {
			return short
		}
	}
	return full
}

// UniqueAbbrev returns the shortest prefix of id, at least n digits, that
// names no other object.
func (r *Repo) UniqueAbbrev(id Hash, n int) string {
	hex := id.String()
	for l := n; l < hexSize; l++ {
		ids, err := r.shared.objects.withPrefix(hex[:l])
		if err == nil && len(ids) <= 1 {
			return hex[:l]
		}
	}
	return hex
}

// gitPath is `git rev-parse --git-path`: a path inside the git directory,
// redirected as git redirects it (the index to $GIT_INDEX_FILE, objects
// to $GIT_OBJECT_DIRECTORY, shared paths to the common directory).
func (r *Repo) gitPath(p string) string {
	if p == "index" {
		if f, ok := r.env.nonEmpty("GIT_INDEX_FILE"); ok {
			return f
		}
	}
	if p == "objects" || strings.HasPrefix(p, "objects/") {
		if d, ok := r.env.nonEmpty("GIT_OBJECT_DIRECTORY"); ok {
			return d + strings.TrimPrefix(p, "objects")
		}
	}
	if r.commonDir != r.gitDir && isCommonPath(p) {
		return filepath.Join(r.commonDirInternal(), p)
	}
	return joinGitPath(r.gitDirInternal, p)
}

// joinGitPath joins as git's strbuf does ("." stays a prefix).
func joinGitPath(dir, p string) string {
	if dir == "." {
		return p
	}
	return strings.TrimSuffix(dir, "/") + "/" + p
}

// commonDirInternal is the common directory as git holds it.
func (r *Repo) commonDirInternal() string {
	if r.commonDir == r.gitDir {
		return r.gitDirInternal
	}
	return r.commonDir
}

// isCommonPath reports whether a git-directory path is shared by linked
// worktrees (lives in the common directory).
func isCommonPath(p string) bool {
	for _, shared := range []string{"objects", "refs", "packed-refs", "config", "hooks", "info", "logs", "remotes", "branches", "rr-cache", "shallow", "worktrees", "common", "lost-found"} {
		if p == shared || strings.HasPrefix(p, shared+"/") {
			return !(p == "logs/HEAD" || strings.HasPrefix(p, "refs/bisect") || strings.HasPrefix(p, "refs/worktree") || strings.HasPrefix(p, "refs/rewritten") || p == "info/sparse-checkout")
		}
	}
	return false
}

// relativePath is git's relative_path: in relative to prefix when both
// are relative (or both absolute) and share a root, else in unchanged.
func relativePath(in, prefix string) string {
	if prefix == "" || filepath.IsAbs(in) != filepath.IsAbs(prefix) {
		return in
	}
	inParts := strings.Split(strings.Trim(in, "/"), "/")
	preParts := strings.Split(strings.Trim(prefix, "/"), "/")
	common := 0
	for common < len(inParts) && common < len(preParts) && inParts[common] == preParts[common] {
		common++
	}
	if filepath.IsAbs(in) && common == 0 {
		return in
	}
	rel := strings.Repeat("../", len(preParts)-common) + strings.Join(inParts[common:], "/")
	if rel == "" {
		return "./"
	}
	return rel
}
