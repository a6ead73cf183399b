package gitcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/libc"
	"github.com/kiln-dev/kiln/gitapi/parseopt"

	"github.com/kiln-dev/kiln/gitapi/apply"
)

var applySpec = &parseopt.Spec{
	Usage: []string{"git apply [<options>] [<patch>...]"},
	Options: []parseopt.Option{
		{Long: "exclude", TakesArg: true, NoNegate: true, ArgHint: "path", Help: "don't apply changes matching the given path"},
		{Long: "include", TakesArg: true, NoNegate: true, ArgHint: "path", Help: "apply changes matching the given path"},
		{Short: 'p', TakesArg: true, ArgHint: "num", Help: "remove <num> leading slashes from traditional diff paths"},
		{Long: "no-add", Help: "ignore additions made by the patch"},
		{Long: "stat", Help: "instead of applying the patch, output diffstat for the input"},
		{Long: "allow-binary-replacement", Hidden: true, Help: "no-op (backward compatibility)"},
		{Long: "binary", Hidden: true, Help: "no-op (backward compatibility)"},
		{Long: "numstat", Help: "show number of added and deleted lines in decimal notation"},
		{Long: "summary", Help: "instead of applying the patch, output a summary for the input"},
		{Long: "check", Help: "instead of applying the patch, see if the patch is applicable"},
		{Long: "index", Help: "make sure the patch is applicable to the current index"},
		{Short: 'N', Long: "intent-to-add", Help: "mark new files with `git add --intent-to-add`"},
		{Long: "cached", Help: "apply a patch without touching the working tree"},
		{Long: "unsafe-paths", Help: "accept a patch that touches outside the working area"},
		{Long: "apply", Help: "also apply the patch (use with --stat/--summary/--check)"},
		{Short: '3', Long: "3way", Help: "attempt three-way merge, fall back on normal patch if that fails"},
		{Long: "build-fake-ancestor", TakesArg: true, ArgHint: "file", Help: "build a temporary index based on embedded index information"},
		{Short: 'z', Help: "paths are separated with NUL character"},
		{Short: 'C', TakesArg: true, ArgHint: "n", Help: "ensure at least <n> lines of context match"},
		{Long: "whitespace", TakesArg: true, ArgHint: "action", Help: "detect new or modified lines that have whitespace errors"},
		{Long: "ignore-space-change", Help: "ignore changes in whitespace when finding context"},
		{Long: "ignore-whitespace", Help: "ignore changes in whitespace when finding context"},
		{Short: 'R', Long: "reverse", Help: "apply the patch in reverse"},
		{Long: "unidiff-zero", Help: "don't expect at least one line of context"},
		{Long: "reject", Help: "leave the rejected hunks in corresponding *.rej files"},
		{Long: "allow-overlap", Help: "allow overlapping hunks"},
		{Short: 'v', Long: "verbose", Help: "be more verbose"},
		{Short: 'q', Long: "quiet", Help: "be more quiet"},
		{Long: "inaccurate-eof", Help: "tolerate incorrectly detected missing new-line at the end of file"},
		{Long: "recount", Help: "do not trust the line counts in the hunk headers"},
		{Long: "directory", TakesArg: true, ArgHint: "root", Help: "prepend <root> to all filenames"},
		{Long: "allow-empty", Help: "don't return error for empty patches"},
	},
}

// applyServedOptions are the options the face implements; a negated one
// (--no-index, ...) is served too, except where noted in applyParses.
var applyServedOptions = map[string]bool{
	"exclude": true, "include": true, "p": true, "allow-binary-replacement": true, "binary": true,
	"check": true, "index": true, "cached": true, "C": true, "whitespace": true, "unidiff-zero": true,
	"verbose": true, "quiet": true, "directory": true, "allow-empty": true, "no-add": true,
	"stat": true, "numstat": true, "summary": true, "z": true,
}

// applyRun is one `git apply`: its options as the apply package takes
// them, and where the patch applies.
type applyRun struct {
	opts       apply.Options
	index      bool // --index
	cached     bool // --cached (the index only)
	explicitWS bool // --whitespace given or apply.whitespace set
	verbosity  int  // -v counts up, -q down; the last one's sign wins
	limits     []nameLimit
}

// nameLimit is one --include or --exclude pattern.
type nameLimit struct {
	pattern string
	exclude bool
}

// apply implements `git apply` for the served forms; an unserved one met
// here (through configuration, or Run called directly) is passed to
// gitapi.Fallback.
func (c *command) apply(args []string) int {
	run, rest, err := c.parseApply(args)
	if err == nil {
		err = c.checkApplyState(run, args)
	}
	if err != nil {
		return c.exitStatus(err)
	}
	if !run.reporting() && !run.cached && c.repo != nil && c.repo.WorkTree() != "" {
		// Work tree content goes through attributes (smudge/clean
		// filters, eol) and core.autocrlf, which gitapi does not apply
		// yet: git applies the patch where they may.
		if may, err := c.repo.MayConvertAny(); err != nil || may {
			if c.loudErr != nil {
				c.err = c.loudErr // git itself keeps -q's silence
			}
			return c.fallback("apply", args)
		}
	}
	if run.reporting() {
		return c.reportPatch(run, rest)
	}
	return c.applyInputs(run, rest)
}

// parseApply reads git apply's configuration, then its options, as git
// does; an error stops git there.
func (c *command) parseApply(args []string) (*applyRun, []string, error) {
	run := &applyRun{}
	if err := c.applyConfig(run, args); err != nil {
		return nil, nil, err
	}
	o, rest, err := applyArgs.parseOnto(*run, args)
	if err == nil {
		err = applyArgs.check(&o, rest)
	}
	var ue *UnservedError
	switch {
	case errors.As(err, &ue):
		return nil, nil, stop(c.fallback("apply", args))
	case err != nil:
		return nil, nil, stop(c.badArgs(applySpec, err))
	}
	run = &o
	if len(run.limits) > 0 {
		run.opts.Use = run.use
	}
	return run, rest, nil
}

// checkApplyState is git's check_apply_state for the served options:
// --index and --cached need a repository. It also takes the subdirectory
// prefix and, for -q, silences stderr as git does from then on.
func (c *command) checkApplyState(run *applyRun, args []string) error {
	switch {
	case run.index && c.repo == nil:
		c.errorf("'%s' outside a repository", "--index")
		return stop(exitFatal)
	case run.cached && c.repo == nil:
		c.errorf("'%s' outside a repository", "--cached")
		return stop(exitFatal)
	case (run.index || run.cached) && c.repo.WorkTree() == "":
		return stop(c.fallback("apply", args))
	}
	if c.repo != nil && c.repo.WorkTree() != "" {
		run.opts.Prefix = c.repo.Prefix()
	}
	if run.verbosity < 0 {
		// Only fatal errors (a held index lock) are still printed.
		c.loudErr, c.err = c.err, io.Discard
	}
	return nil
}

// reporting reports whether --stat, --numstat or --summary was given.
func (run *applyRun) reporting() bool {
	r := run.opts.Report
	return r.Stat || r.Numstat || r.Summary
}

// inputOptions are the applier's options for args[i] (the patch named
// name, "" for stdin), after wsBefore whitespace errors in earlier ones.
func (run *applyRun) inputOptions(args []string, i int, name string, wsBefore int) apply.Options {
	opts := run.opts
	opts.InputName, opts.WhitespaceErrorsBefore = name, wsBefore
	opts.MoreInputs = i < len(args)-1
	if !run.explicitWS && !defaultWhitespaceSettled(args, i) {
		opts.Whitespace.Action = "warn"
	}
	return opts
}

// defaultWhitespaceSettled reports whether git has settled its default
// whitespace action (quiet with --check or a report) when it reads
// args[i]: it does so before each patch file and after the arguments
// (for stdin without any), not before a "-", which keeps "warn".
func defaultWhitespaceSettled(args []string, i int) bool {
	if len(args) == 0 {
		return true
	}
	for _, a := range args[:i+1] {
		if a != "-" {
			return true
		}
	}
	return false
}

// fallback hands the whole call to the installed git (counted), for a
// form or a state of the repository the face does not handle that shows
// only once the command runs: configuration (apply.whitespace=fix), a
// populated submodule whose dirtiness git asks the submodule about.
func (c *command) fallback(name string, args []string) int {
	c.out.Flush()
	return gitapi.Fallback(context.Background(), append([]string{name}, args...), c.opts, Stdio{In: c.in, Out: c.out, Err: c.err})
}

// applyConfig reads apply.whitespace, apply.ignoreWhitespace and
// core.whitespace as git apply does before parsing its options; an error
// stops git there (or hands a setting not served to git).
func (c *command) applyConfig(run *applyRun, args []string) error {
	cfg, err := c.anyConfig()
	if err != nil {
		return stop(c.fatalErr(err))
	}
	for _, key := range []string{"apply.whitespace", "apply.ignorewhitespace"} {
		if e, ok := cfg.Last(key); ok && !e.HasValue {
			return stop(c.fatalErr(&gitapi.PrefixedError{ErrorLine: fmt.Sprintf("missing value for '%s'", key), Err: entryBadVariable(e)}))
		}
	}
	if v, ok := cfg.Get("apply.whitespace"); ok {
		switch v {
		case "warn", "nowarn", "error", "error-all":
			run.opts.Whitespace.Action, run.explicitWS = v, true
		case "fix", "strip":
			return stop(c.fallback("apply", args))
		default:
			c.errorf("unrecognized whitespace option '%s'", v)
			return stop(exitFatal)
		}
	}
	if v, ok := cfg.Get("apply.ignorewhitespace"); ok {
		switch v {
		case "no", "false", "never", "none":
		case "change":
			return stop(c.fallback("apply", args))
		default:
			c.errorf("unrecognized whitespace ignore option '%s'", v)
			return stop(exitFatal)
		}
	}
	run.opts.Whitespace.Rule, _ = cfg.Get("core.whitespace")
	return nil
}

// applyArgs parses git apply's options onto what its configuration set.
// Options outside applyServedOptions, --whitespace=fix/strip, a negative
// -p, negated --directory/--whitespace, reports after --check and
// reports over several patches are left to git.
var applyArgs = &argParser[applyRun]{
	spec: applySpec,
	bools: map[string]func(run *applyRun) *bool{
		"check":        func(run *applyRun) *bool { return &run.opts.Check },
		"index":        func(run *applyRun) *bool { return &run.index },
		"cached":       func(run *applyRun) *bool { return &run.cached },
		"unidiff-zero": func(run *applyRun) *bool { return &run.opts.UnidiffZero },
		"allow-empty":  func(run *applyRun) *bool { return &run.opts.AllowEmpty },
		"no-add":       func(run *applyRun) *bool { return &run.opts.NoAdd },
		"stat":         func(run *applyRun) *bool { return &run.opts.Report.Stat },
		"numstat":      func(run *applyRun) *bool { return &run.opts.Report.Numstat },
		"summary":      func(run *applyRun) *bool { return &run.opts.Report.Summary },
		"z":            func(run *applyRun) *bool { return &run.opts.Report.NulTerminated },
	},
	set: (*applyRun).set,
	check: func(run *applyRun, rest []string) error {
		r := run.opts.Report
		switch {
		case run.opts.Check && (r.Stat || r.Numstat || r.Summary):
			// The reports are served on their own, not after --check
			// (--apply is not served at all).
			return &UnservedError{Command: "apply", Form: "--check with a report"}
		case len(rest) > 1 && run.reporting():
			// Reports over several patches add up across them.
			return &UnservedError{Command: "apply", Form: "a report over several patches"}
		}
		return nil
	},
}

// set applies one of git apply's options with a value (or left to git).
func (run *applyRun) set(f parseopt.Parsed) error {
	name := f.Option.Long
	if name == "" {
		name = string(f.Option.Short)
	}
	switch {
	case !applyServedOptions[name],
		name == "p" && libc.Atoi(f.Value) < 0,                    // the applier takes it for none
		f.Unset && (name == "directory" || name == "whitespace"): // git's callbacks do not expect it
		return unserved("apply", f)
	}
	switch name {
	case "p":
		run.opts.StripComponents, run.opts.StripGiven = libc.Atoi(f.Value), true
	case "C":
		n, ok := strtolInt(f.Value)
		if !ok {
			return &parseopt.Error{Message: "switch `C' expects a numerical value"}
		}
		run.opts.MinContext, run.opts.MinContextGiven = n, true
	case "whitespace":
		switch f.Value {
		case "warn", "nowarn", "error", "error-all":
			run.opts.Whitespace.Action, run.explicitWS = f.Value, true
		case "fix", "strip":
			return &UnservedError{Command: "apply", Form: "--whitespace=" + f.Value}
		default:
			return &parseopt.Error{Message: fmt.Sprintf("unrecognized whitespace option '%s'", f.Value)}
		}
	case "directory":
		run.opts.Directory = f.Value
	case "include", "exclude":
		run.limits = append(run.limits, nameLimit{f.Value, f.Option.Long == "exclude"})
	case "verbose", "quiet":
		run.verbosity = nextVerbosity(run.verbosity, f)
		run.opts.Verbose = run.verbosity > 0
	}
	return nil
}

// nextVerbosity is git's OPT__VERBOSITY: -v after -q starts again at 1,
// -q after -v at -1, --no-verbose and --no-quiet reset to 0.
func nextVerbosity(v int, f parseopt.Parsed) int {
	switch {
	case f.Unset:
		return 0
	case f.Option.Short == 'v' && v >= 0:
		return v + 1
	case f.Option.Short == 'v':
		return 1
	case v <= 0:
		return v - 1
	}
	return -1
}

// use is git's --include/--exclude: the first pattern matching the path
// decides; with no match, a path is used unless some --include was given.
func (run *applyRun) use(path string) bool {
	hasInclude := false
	for _, l := range run.limits {
		if wildmatchAnySlash(l.pattern, path) {
			return !l.exclude
		}
		hasInclude = hasInclude || !l.exclude
	}
	return !hasInclude
}

// readPatch reads the patch from stdin ("-") or a file named relative to
// the working directory; name is the file as git names it in messages
// ("" for stdin).
func (c *command) readPatch(arg string) (patch []byte, name string, err error) {
	if arg == "-" {
		data, err := io.ReadAll(c.in)
		if err != nil {
			return nil, "", stop(c.fatal("failed to read patch"))
		}
		return data, "", nil
	}
	name = c.shownPath(arg)
	data, err := os.ReadFile(gitapi.AbsFrom(gitapi.WorkingDir(c.opts.Dir), arg))
	if err != nil {
		c.errorf("can't open patch '%s': %s", name, libc.Strerror(err))
		return nil, name, stop(exitFatal)
	}
	return data, name, nil
}

// applyInputs applies each patch in turn, as git does with several patch
// files: each is parsed, checked and written before the next is read,
// whitespace errors are counted over all of them, and the first failure
// stops git, leaving the work tree changes of the patches before it; the
// index is written only when every patch applied.
func (c *command) applyInputs(run *applyRun, args []string) int {
	inputs := args
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	t := &applyTarget{c: c, run: run}
	defer t.release()
	wsErrors, lines := 0, 0
	for i, arg := range inputs {
		patch, name, err := c.readPatch(arg)
		if err != nil {
			return c.exitStatus(err)
		}
		opts := run.inputOptions(args, i, name, wsErrors)
		opts.LinesBefore = lines
		tree, err := t.open(&opts, patch)
		if err != nil {
			return c.exitStatus(err)
		}
		res, err := apply.Apply(patch, tree, opts)
		if err := c.applied(res, err, opts.Check, tree); err != nil {
			return c.exitStatus(err)
		}
		wsErrors, lines = res.WhitespaceErrors, res.LinesRead
	}
	return t.commit()
}

// reportPatch prints --stat, --numstat or --summary of the one patch:
// it is parsed only, nothing read or locked (git reads the index for
// --index, but only uses it to check).
func (c *command) reportPatch(run *applyRun, args []string) int {
	arg := "-"
	if len(args) == 1 {
		arg = args[0]
	}
	patch, name, err := c.readPatch(arg)
	if err != nil {
		return c.exitStatus(err)
	}
	res, err := apply.Apply(patch, apply.Dir{Root: gitapi.WorkingDir(c.opts.Dir)}, run.inputOptions(args, 0, name, 0))
	var aerr *apply.Error
	if err != nil && !errors.As(err, &aerr) {
		return c.fatalErr(err)
	}
	if run.verbosity >= 0 {
		c.out.WriteString(res.Stdout)
	}
	io.WriteString(c.err, res.Stderr)
	return res.ExitCode
}

// lockFailed reports a failure to take the index lock as git does: git
// parses the patch first, so a parse error (or no patch at all) is what
// it reports then, and otherwise its parse warnings precede the fatal
// error, which even -q prints.
func (c *command) lockFailed(opts apply.Options, patch []byte, lockErr error) int {
	res, done := apply.Parse(patch, opts)
	io.WriteString(c.err, res.Stderr)
	if done {
		return res.ExitCode
	}
	if c.loudErr != nil {
		c.err = c.loudErr
	}
	return c.fatalErr(lockErr)
}

// leadingInt matches the number at the start of a C integer argument.
var leadingInt = regexp.MustCompile(`^[+-]?[0-9]+`)

// strtolInt is parse-options' OPT_INTEGER: strtol over the whole
// (non-empty) argument, clamped to a long, then kept in a C int.
func strtolInt(s string) (int, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	m := leadingInt.FindString(t)
	if s == "" || m == "" || m != t {
		return 0, false
	}
	n, err := strconv.ParseInt(m, 10, 64)
	var ne *strconv.NumError
	if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
		n = 1<<63 - 1
		if strings.HasPrefix(m, "-") {
			n = -1 << 63
		}
	}
	return int(int32(n)), true
}

// wildmatchAnySlash is wildmatch without WM_PATHNAME, as git apply's
// --include/--exclude use it: '*' and '?' match '/' too.
func wildmatchAnySlash(pattern, text string) bool {
	var b strings.Builder
	b.WriteString("(?s)^")
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '\\':
			if i+1 < len(pattern) {
				i++
				b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
			}
		case '[':
			end := classEnd(pattern, i)
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := pattern[i+1 : end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i = end
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(text)
}

// classEnd finds the "]" closing a bracket expression opened at i (a "]"
// right after "[" or "[!" is literal), or -1.
func classEnd(pattern string, i int) int {
	j := i + 1
	if j < len(pattern) && (pattern[j] == '!' || pattern[j] == '^') {
		j++
	}
	if j < len(pattern) && pattern[j] == ']' {
		j++
	}
	for ; j < len(pattern); j++ {
		if pattern[j] == ']' {
			return j
		}
	}
	return -1
}
