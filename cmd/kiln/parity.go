package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/parity"
	"github.com/spf13/cobra"
)

// parityOptions are kiln parity's flags.
type parityOptions struct {
	old, new     string
	self         bool
	noise        bool
	noNoise      bool
	jobs         int
	run          string
	timeout      time.Duration
	json         bool
	junit        string
	fixturesRoot string
	failuresOnly bool
	suite        string
	files        []string
}

func newParityCmd(io stdio) *cobra.Command {
	opts := &parityOptions{}
	cmd := &cobra.Command{
		Use:   "parity [flags] [NAME|FIXTURE-DIR|FIXTURE.txtar ...]\n  kiln parity --suite 'COMMAND LINE' [--files DIR|GLOB ...] [flags] NAME",
		Short: "Run old and new implementations on the same fixtures and report every difference",
		Long: `kiln parity runs the old implementation of a command (by default the installed
git script, as git runs it) and the new one (by default kiln's builtin of that
name) on identical copies of each fixture repository, and reports every
difference: exit code, stdout, stderr, refs, reflogs, index, work tree, state
files under the git dir, config and reachable objects.

A NAME resolves to the fixtures in <fixtures root>/NAME; with no argument every
fixture under the root runs. The fixture format and the --json schema are in
docs/parity.md.

Exit status: 0 when every fixture passes (accepted divergences and noise are
reported but pass), 1 when any fixture has an unaccepted difference, 2 on bad
usage or a fixture error (bad syntax, failing setup, old side not giving the
fixture's exit:, unused accept:). Interrupted: 130 (SIGINT) or 143 (SIGTERM).

With --suite, kiln parity runs an existing TAP-producing test suite instead
of fixtures: COMMAND LINE (a /bin/sh command line, run in the current
directory) runs twice, once with the old implementation of NAME standing in
and once with the new, and the verdict of each test (ok, not ok, skip, todo)
is compared by test number and description. Standing in means: GIT_EXEC_PATH
(and GIT_TEST_EXEC_PATH, for git's own test-lib.sh) is an overlay of the
installed exec path with git-NAME replaced, and a directory holding git-NAME
and NAME comes first in PATH. HOME, TMPDIR and TEST_OUTPUT_DIRECTORY are
private to each run and removed afterwards. --files runs COMMAND LINE once per
test file ("{}" in it stands for the file, else the file is appended), -j at a
time. Exit status: 0 same verdicts, 1 a test differs, 2 the suite cannot run
(the old run printed no TAP, bailed out or timed out). Default --timeout per
run: 10m. See docs/parity.md.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.fixturesRoot = checkoutDefault(cmd, "fixtures", opts.fixturesRoot)
			if opts.suite != "" || len(opts.files) > 0 {
				return runSuite(opts, cmd.Flags().Changed("timeout"), args, io)
			}
			return runParity(opts, args, io)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.old, "old", "", "old side: a shell-words `CMD` instead of the installed script")
	f.StringVar(&opts.new, "new", "", "new side: a shell-words `CMD` instead of kiln's builtin")
	f.BoolVar(&opts.self, "self", false, "self-parity: the new side is the old side")
	f.BoolVar(&opts.noise, "noise", false, "run the old side twice for every fixture to find nondeterministic fields")
	f.BoolVar(&opts.noNoise, "no-noise", false, "never run the noise check, not even for new fixtures")
	f.IntVarP(&opts.jobs, "jobs", "j", runtime.NumCPU(), "run `N` fixtures (with --suite: runs) in parallel")
	f.StringVar(&opts.run, "run", "", "only fixtures whose NAME/CASE matches `REGEXP`")
	f.DurationVar(&opts.timeout, "timeout", parity.DefaultTimeout, "per-command timeout of fixtures without timeout:; with --suite, of each run (default there 10m)")
	f.BoolVar(&opts.json, "json", false, "print the report as JSON (schema: docs/parity.md)")
	f.StringVar(&opts.junit, "junit", "", "also write a JUnit XML report to `FILE`")
	f.StringVar(&opts.fixturesRoot, "fixtures", "tests/fixtures", "where NAME arguments and the default run find fixtures (the default is found from any directory of the checkout)")
	f.BoolVarP(&opts.failuresOnly, "quiet", "q", false, "list only fixtures that did not pass")
	f.StringVar(&opts.suite, "suite", "", "compare the verdicts of a TAP test suite run by `COMMAND-LINE`, with old and new standing in for NAME")
	f.StringArrayVar(&opts.files, "files", nil, "with --suite: run COMMAND-LINE once per file of `DIR` or GLOB (repeatable)")
	return cmd
}

func runParity(opts *parityOptions, args []string, io stdio) error {
	runner, err := opts.runner(args)
	if err != nil {
		return err
	}
	fixtures, broken, err := opts.load(args)
	if err != nil {
		return err
	}
	if !opts.self && opts.new == "" {
		if err := requireBuiltins(fixtures); err != nil {
			return err
		}
	}
	prog, err := newProgress(io.err)
	if err != nil {
		return err
	}
	runner.Progress = func(done, total int, r *parity.Result) {
		prog.step(fmt.Sprintf("kiln parity: [%d/%d] %s %s", done, total, r.Status, r.Fixture))
	}
	ctx, stop, interrupted := interruptContext()
	defer stop()
	results, runErr := runner.Run(ctx, fixtures)
	prog.done()
	results = append(broken, results...)
	if err := opts.report(results, runner, io); err != nil {
		return err
	}
	if runErr != nil {
		if sig := interrupted(); sig != 0 {
			fmt.Fprintf(io.err, "kiln: parity: interrupted, sandboxes removed\n")
			return silentExit(128 + sig)
		}
		return &gitapi.ExitError{Code: exitUsage, Err: runErr}
	}
	if code := parity.Summarize(results).ExitCode(); code != exitOK {
		return silentExit(code)
	}
	return nil
}

// runner builds the parity.Runner the flags describe.
func (opts *parityOptions) runner(args []string) (*parity.Runner, error) {
	r := &parity.Runner{Jobs: opts.jobs, Timeout: opts.timeout, Self: opts.self}
	switch {
	case opts.noise && opts.noNoise:
		return nil, usageErrorf("parity: --noise and --no-noise exclude each other")
	case opts.self && opts.new != "":
		return nil, usageErrorf("parity: --self and --new exclude each other")
	case opts.jobs < 1:
		return nil, usageErrorf("parity: -j wants a positive number, got %d", opts.jobs)
	case opts.timeout <= 0:
		return nil, usageErrorf("parity: --timeout wants a positive duration")
	case opts.noise:
		r.Noise = parity.NoiseOn
	case opts.noNoise:
		r.Noise = parity.NoiseOff
	}
	var err error
	if r.Old, r.New, err = opts.sides(nil); err != nil {
		return nil, err
	}
	return r, nil
}

// sides are the old and new sides from --old, --new and --self: by
// default the new side is this kiln (its builtin of the name), which
// defaultNew, if not nil, checks exists.
func (opts *parityOptions) sides(defaultNew func() error) (old, new parity.Side, err error) {
	if old, err = commandSide("--old", opts.old); err != nil {
		return old, new, err
	}
	switch {
	case opts.self:
		return old, old, nil
	case opts.new != "":
		new, err = commandSide("--new", opts.new)
		return old, new, err
	case defaultNew != nil:
		if err := defaultNew(); err != nil {
			return old, new, err
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return old, new, usageErrorf("parity: cannot find the kiln executable for the new side: %v", err)
	}
	return old, parity.Side{Program: exe}, nil
}

// commandSide turns a --old/--new value into a side; empty means the
// installed script.
func commandSide(flag, value string) (parity.Side, error) {
	if value == "" {
		return parity.Side{}, nil
	}
	words, err := parity.SplitWords(value)
	if err != nil || len(words) == 0 {
		return parity.Side{}, usageErrorf("parity: %s wants a command, got %q", flag, value)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return parity.Side{}, err
	}
	return parity.Side{Command: parity.ResolveCommand(words, cwd)}, nil
}

// load finds and parses the fixtures; unparsable ones come back as error
// results, so the other fixtures still run.
func (opts *parityOptions) load(args []string) ([]*parity.Fixture, []*parity.Result, error) {
	var filter *regexp.Regexp
	if opts.run != "" {
		re, err := regexp.Compile(opts.run)
		if err != nil {
			return nil, nil, usageErrorf("parity: --run: %v", err)
		}
		filter = re
	}
	paths, err := parity.FindFixtures(opts.fixturesRoot, args)
	if err != nil {
		return nil, nil, usageErrorf("parity: %v", err)
	}
	var fixtures []*parity.Fixture
	var broken []*parity.Result
	for _, path := range paths {
		f, err := parity.LoadFixture(path)
		if err != nil {
			broken = append(broken, parity.BrokenFixture(path, err))
			continue
		}
		if filter == nil || filter.MatchString(f.ID()) {
			fixtures = append(fixtures, f)
		}
	}
	if len(fixtures) == 0 && len(broken) == 0 {
		return nil, nil, usageErrorf("parity: no fixture matches --run %q", opts.run)
	}
	return fixtures, broken, nil
}

// requireBuiltins checks that kiln has a builtin for every command the
// fixtures test, since the new side defaults to it.
func requireBuiltins(fixtures []*parity.Fixture) error {
	missing := map[string]bool{}
	for _, f := range fixtures {
		if _, ok := builtins[f.Name]; !ok {
			missing[f.Name] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, 0, len(missing))
	for n := range missing {
		names = append(names, n)
	}
	sort.Strings(names)
	return usageErrorf("parity: kiln has no builtin for %s yet; give the new side with --new CMD, or use --self for self-parity", strings.Join(names, ", "))
}

func (opts *parityOptions) report(results []*parity.Result, r *parity.Runner, io stdio) error {
	if opts.junit != "" {
		file, err := os.Create(opts.junit)
		if err != nil {
			return usageErrorf("parity: --junit: %v", err)
		}
		err = parity.WriteJUnit(file, results)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return usageErrorf("parity: --junit: %v", err)
		}
	}
	if opts.json {
		return parity.WriteJSON(io.out, r.Old, r.New, results)
	}
	shown := results
	if opts.failuresOnly {
		shown = nil
		for _, res := range results {
			if res.Status != parity.StatusPass {
				shown = append(shown, res)
			}
		}
	}
	return parity.WriteText(io.out, shown, parity.Summarize(results))
}

// interruptContext returns a context cancelled by SIGINT or SIGTERM, and
// a function telling which signal arrived (0 if none).
func interruptContext() (context.Context, func(), func() int) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	got := make(chan int, 1)
	go func() {
		s, ok := <-sigs
		if !ok {
			return
		}
		got <- int(s.(syscall.Signal))
		cancel()
	}()
	stop := func() {
		signal.Stop(sigs)
		close(sigs)
		cancel()
	}
	which := func() int {
		select {
		case s := <-got:
			got <- s
			return s
		default:
			return 0
		}
	}
	return ctx, stop, which
}
