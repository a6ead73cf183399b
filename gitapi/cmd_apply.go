package gitapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/apply"
)

// git apply is served for what the apply package implements: applying to
// the work tree, the index or both, --check, -p, -C, --directory,
// --include/--exclude, --allow-empty, --unidiff-zero, --no-add, -v, -q,
// the whitespace actions that only warn or refuse, and the reports
// (--stat, --numstat, --summary) on their own. The rest
// (--whitespace=fix, -R, --reject, --3way, reports over several patches, ...)
// goes to Fallback.
func init() {
	commands["apply"] = (*command).apply
	servedForms["apply"] = applyServes
}

var applySpec = &OptionSpec{
	Usage: []string{"git apply [<options>] [<patch>...]"},
	Options: []Option{
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
// (--no-index, ...) is served too, except where noted in applyServes.
var applyServedOptions = map[string]bool{
	"exclude": true, "include": true, "p": true, "allow-binary-replacement": true, "binary": true,
	"check": true, "index": true, "cached": true, "C": true, "whitespace": true, "unidiff-zero": true,
	"verbose": true, "quiet": true, "directory": true, "allow-empty": true, "no-add": true,
	"stat": true, "numstat": true, "summary": true, "z": true,
}

// applyServes reports whether `git apply args` is a form the face
// implements: served options, patch files or stdin.
// Usage errors are served (the face prints git's).
func applyServes(args []string) bool {
	found, rest, err := applySpec.Parse(args, ParseOptFlags{})
	if err != nil {
		return true
	}
	reports := map[string]bool{}
	for _, f := range found {
		name := optionName(f.Option)
		if !applyServedOptions[name] {
			return false
		}
		if name == "stat" || name == "numstat" || name == "summary" || name == "check" {
			reports[name] = !f.Unset
		}
		if f.Option.Long == "whitespace" && (f.Value == "fix" || f.Value == "strip") {
			return false
		}
		// A negative -p is not served (the applier takes it for none).
		if f.Option.Short == 'p' && atoiPrefix(f.Value) < 0 {
			return false
		}
		// git's callbacks for these do not expect negation.
		if f.Unset && (f.Option.Long == "directory" || f.Option.Long == "whitespace") {
			return false
		}
	}
	// The reports are served on their own, not after --check (--apply
	// is not served at all).
	if reports["check"] && (reports["stat"] || reports["numstat"] || reports["summary"]) {
		return false
	}
	// Reports over several patches add up across them: not served.
	return len(rest) <= 1 || !(reports["stat"] || reports["numstat"] || reports["summary"])
}

// optionName is an option's long name, or its short letter.
func optionName(o *Option) string {
	if o.Long != "" {
		return o.Long
	}
	return string(o.Short)
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
// Fallback.
func (c *command) apply(args []string) int {
	if !applyServes(args) {
		return c.fallback("apply", args)
	}
	run, rest, status, done := c.parseApply(args)
	if done {
		return status
	}
	if status, done := c.checkApplyState(run, args); done {
		return status
	}
	if !run.reporting() && !run.cached && c.repo != nil && c.repo.workTree != "" {
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
// does; done is set when git would stop there.
func (c *command) parseApply(args []string) (run *applyRun, rest []string, status int, done bool) {
	run = &applyRun{}
	if status, done := c.applyConfig(run, args); done {
		return nil, nil, status, true
	}
	found, rest, err := applySpec.Parse(args, ParseOptFlags{})
	if err != nil {
		return nil, nil, c.usage(applySpec, err), true
	}
	for _, f := range found {
		if status, done := c.applyOption(run, f); done {
			return nil, nil, status, true
		}
	}
	if len(run.limits) > 0 {
		run.opts.Use = run.use
	}
	return run, rest, 0, false
}

// checkApplyState is git's check_apply_state for the served options:
// --index and --cached need a repository. It also takes the subdirectory
// prefix and, for -q, silences stderr as git does from then on.
func (c *command) checkApplyState(run *applyRun, args []string) (status int, done bool) {
	switch {
	case run.index && c.repo == nil:
		c.errorf("'%s' outside a repository", "--index")
		return exitFatal, true
	case run.cached && c.repo == nil:
		c.errorf("'%s' outside a repository", "--cached")
		return exitFatal, true
	case (run.index || run.cached) && c.repo.workTree == "":
		return c.fallback("apply", args), true
	}
	if c.repo != nil && c.repo.workTree != "" {
		run.opts.Prefix = c.repo.prefix
	}
	if run.verbosity < 0 {
		// Only fatal errors (a held index lock) are still printed.
		c.loudErr, c.err = c.err, io.Discard
	}
	return 0, false
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
	return Fallback(context.Background(), append([]string{name}, args...), c.opts, Stdio{In: c.in, Out: c.out, Err: c.err})
}

// applyConfig reads apply.whitespace, apply.ignoreWhitespace and
// core.whitespace as git apply does before parsing its options; done is
// set when git would stop (or the setting is not served).
func (c *command) applyConfig(run *applyRun, args []string) (status int, done bool) {
	cfg, err := c.anyConfig()
	if err != nil {
		return c.fatalErr(err), true
	}
	for _, key := range []string{"apply.whitespace", "apply.ignorewhitespace"} {
		if e, ok := cfg.last(key); ok && !e.hasValue {
			return c.fatalErr(&prefixedError{errorLine: fmt.Sprintf("missing value for '%s'", key), err: entryBadVariable(e)}), true
		}
	}
	if v, ok := cfg.Get("apply.whitespace"); ok {
		switch v {
		case "warn", "nowarn", "error", "error-all":
			run.opts.Whitespace.Action, run.explicitWS = v, true
		case "fix", "strip":
			return c.fallback("apply", args), true
		default:
			c.errorf("unrecognized whitespace option '%s'", v)
			return exitFatal, true
		}
	}
	if v, ok := cfg.Get("apply.ignorewhitespace"); ok {
		switch v {
		case "no", "false", "never", "none":
		case "change":
			return c.fallback("apply", args), true
		default:
			c.errorf("unrecognized whitespace ignore option '%s'", v)
			return exitFatal, true
		}
	}
	run.opts.Whitespace.Rule, _ = cfg.Get("core.whitespace")
	return 0, false
}

// applyOption records one parsed option; done is set on a usage error.
func (c *command) applyOption(run *applyRun, f ParsedOption) (status int, done bool) {
	switch optionName(f.Option) {
	case "p":
		run.opts.StripComponents, run.opts.StripGiven = atoiPrefix(f.Value), true
	case "C":
		n, ok := strtolInt(f.Value)
		if !ok {
			c.errorf("switch `C' expects a numerical value")
			return exitUsage, true
		}
		run.opts.MinContext, run.opts.MinContextGiven = n, true
	case "whitespace":
		switch f.Value {
		case "warn", "nowarn", "error", "error-all":
			run.opts.Whitespace.Action, run.explicitWS = f.Value, true
		default:
			c.errorf("unrecognized whitespace option '%s'", f.Value)
			return exitUsage, true
		}
	case "directory":
		run.opts.Directory = f.Value
	case "include", "exclude":
		run.limits = append(run.limits, nameLimit{f.Value, f.Option.Long == "exclude"})
	case "check":
		run.opts.Check = !f.Unset
	case "index":
		run.index = !f.Unset
	case "cached":
		run.cached = !f.Unset
	case "unidiff-zero":
		run.opts.UnidiffZero = !f.Unset
	case "verbose", "quiet":
		run.verbosity = nextVerbosity(run.verbosity, f)
		run.opts.Verbose = run.verbosity > 0
	case "allow-empty":
		run.opts.AllowEmpty = !f.Unset
	case "no-add":
		run.opts.NoAdd = !f.Unset
	case "stat":
		run.opts.Report.Stat = !f.Unset
	case "numstat":
		run.opts.Report.Numstat = !f.Unset
	case "summary":
		run.opts.Report.Summary = !f.Unset
	case "z":
		run.opts.Report.NulTerminated = !f.Unset
	}
	return 0, false
}

// nextVerbosity is git's OPT__VERBOSITY: -v after -q starts again at 1,
// -q after -v at -1, --no-verbose and --no-quiet reset to 0.
func nextVerbosity(v int, f ParsedOption) int {
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
func (c *command) readPatch(arg string) (patch []byte, name string, status int, ok bool) {
	if arg == "-" {
		data, err := io.ReadAll(c.in)
		if err != nil {
			return nil, "", c.fatal("failed to read patch"), false
		}
		return data, "", 0, true
	}
	name = c.shownPath(arg)
	data, err := os.ReadFile(absFrom(dirOrCwd(c.opts.Dir), arg))
	if err != nil {
		c.errorf("can't open patch '%s': %s", name, errnoText(err))
		return nil, name, exitFatal, false
	}
	return data, name, 0, true
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
		patch, name, status, ok := c.readPatch(arg)
		if !ok {
			return status
		}
		opts := run.inputOptions(args, i, name, wsErrors)
		opts.LinesBefore = lines
		tree, status, ok := t.open(&opts, patch)
		if !ok {
			return status
		}
		res, err := apply.Apply(patch, tree, opts)
		if status, ok := c.applied(res, err, opts.Check, tree); !ok {
			return status
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
	patch, name, status, ok := c.readPatch(arg)
	if !ok {
		return status
	}
	res, err := apply.Apply(patch, apply.Dir{Root: dirOrCwd(c.opts.Dir)}, run.inputOptions(args, 0, name, 0))
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

// atoiPrefix is C's atoi: leading blanks, a sign, then digits; anything
// else ends the number ("1x" is 1, "x" is 0).
func atoiPrefix(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	m := leadingInt.FindString(s)
	n, err := strconv.ParseInt(m, 10, 64)
	if err != nil {
		return 0
	}
	return int(int32(n))
}

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
