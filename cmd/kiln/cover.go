package main

import (
	"fmt"
	goio "io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/parity"
	"github.com/kiln-dev/kiln/parity/cover"
	"github.com/kiln-dev/kiln/shellparse"
	"github.com/spf13/cobra"
)

// coverOptions are kiln cover's flags.
type coverOptions struct {
	jobs         int
	run          string
	fixturesRoot string
	annotate     bool
	lcov         string
	cobertura    string
	html         string
	json         bool
	merge        bool
	goSide       bool
	goBinary     string
	module       string
	allFiles     bool
	show         bool
}

func newCoverCmd(io stdio) *cobra.Command {
	opts := &coverOptions{}
	cmd := &cobra.Command{
		Use:   "cover [flags] NAME|SCRIPT [FIXTURES...]",
		Short: "Statement and branch coverage that parity fixtures reach in a script and its builtin",
		Long: `kiln cover runs the parity fixtures of a command against an instrumented copy
of its script and of every shell file of git's exec path it may source or run
(git-sh-setup, git-mergetool--lib, mergetools/*, other scripts), and reports:

  statements: every simple command, assignment and compound statement;
  branches:   if/elif/else arms (an implicit else too), case arms (and no
              match), the right operand of && and || taken or not, loops
              run zero or one-or-more times, functions called or not;

then lists what no fixture reached. Probes are shell builtins only; each
fixture also runs on the installed script, and a fixture whose instrumented
run differs in anything parity compares fails (the instrumentation must be
transparent).

NAME runs tests/fixtures/NAME (or the FIXTURES given); SCRIPT, a path, is
instrumented in place of git-NAME (NAME from its file name, fixtures from
FIXTURES or tests/fixtures/NAME). With --go, kiln's builtin of that name,
built with go build -cover from the module at --module, is the new side and
the report adds its statement coverage, per provenance comment
(// git-NAME:87-92) next to the script lines it replaces. --go-binary PATH
takes any program built with go build -cover instead (a port of your own,
a kiln translation): it runs as git-NAME, and the report covers every
package of the module at --module. --merge adds the
--json reports given as arguments instead of running.

Exit status: 0 when every fixture passed, 1 when one did not, 2 on bad usage.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.fixturesRoot = checkoutDefault(cmd, "fixtures", opts.fixturesRoot)
			return runCover(opts, args, io)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&opts.jobs, "jobs", "j", runtime.NumCPU(), "run `N` fixtures in parallel")
	f.StringVar(&opts.run, "run", "", "only fixtures whose NAME/CASE matches `REGEXP`")
	f.StringVar(&opts.fixturesRoot, "fixtures", "tests/fixtures", "where NAME finds its fixtures (the default is found from any directory of the checkout)")
	f.BoolVar(&opts.annotate, "annotate", false, "print each file annotated with hit counts and branch arms")
	f.StringVar(&opts.lcov, "lcov", "", "write an LCOV tracefile to `FILE`")
	f.StringVar(&opts.cobertura, "cobertura", "", "write a Cobertura XML report to `FILE`")
	f.StringVar(&opts.html, "html", "", "write a self-contained HTML report to `FILE`")
	f.BoolVar(&opts.json, "json", false, "print the report as JSON (what --merge reads)")
	f.BoolVar(&opts.merge, "merge", false, "merge the JSON reports given as arguments instead of running")
	f.BoolVar(&opts.goSide, "go", false, "also cover kiln's Go builtin of that name (built with -cover)")
	f.StringVar(&opts.goBinary, "go-binary", "", "with --go: any `PROGRAM` built with go build -cover, run as git-NAME, instead of kiln's builtin")
	f.StringVar(&opts.module, "module", ".", "with --go: the root of the module whose packages are covered (kiln's, or --go-binary's)")
	f.BoolVar(&opts.allFiles, "all-files", false, "report every instrumented file, not only those run")
	f.BoolVar(&opts.show, "show-instrumented", false, "print the instrumented copy of the script instead of running anything")
	return cmd
}

func runCover(opts *coverOptions, args []string, io stdio) error {
	if opts.merge {
		return mergeCover(opts, args, io)
	}
	if opts.show {
		return showInstrumented(args[0], io)
	}
	work, err := os.MkdirTemp("", "kiln-cover-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	run, fixtures, err := opts.plan(args, work)
	if err != nil {
		return err
	}
	ctx, stop, interrupted := interruptContext()
	defer stop()
	res, err := run.Execute(ctx, fixtures)
	if err != nil {
		if sig := interrupted(); sig != 0 {
			return silentExit(128 + sig)
		}
		return &gitapi.ExitError{Code: exitUsage, Err: fmt.Errorf("cover: %v", err)}
	}
	rep := res.Report(opts.allFiles)
	if run.Builtin != "" {
		pkgDir := "builtins" // kiln's own, built here
		if opts.goBinary != "" {
			pkgDir = "" // any binary built with -cover: every package of its module
		}
		if err := rep.AddGo(run.GoCoverDir, opts.module, pkgDir); err != nil {
			return fmt.Errorf("cover: %v", err)
		}
	}
	if err := opts.write(rep, io); err != nil {
		return err
	}
	if rep.Passed != rep.Fixtures {
		failed := &strings.Builder{}
		for _, p := range res.Parity {
			if p.Status != parity.StatusPass {
				_ = parity.WriteText(failed, []*parity.Result{p}, parity.Summarize([]*parity.Result{p}))
			}
		}
		fmt.Fprintf(io.err, "kiln: cover: %d of %d fixtures differ between %s and %s:\n%s",
			rep.Fixtures-rep.Passed, rep.Fixtures, res.OldSide, res.NewSide, failed)
		return silentExit(exitFailure)
	}
	return nil
}

// plan resolves NAME|SCRIPT [FIXTURES] into a run and its fixtures.
func (opts *coverOptions) plan(args []string, work string) (*cover.Run, []*parity.Fixture, error) {
	if opts.jobs < 1 {
		return nil, nil, usageErrorf("cover: -j wants a positive number, got %d", opts.jobs)
	}
	run := &cover.Run{Jobs: opts.jobs, WorkDir: work}
	target, fixtureArgs := args[0], args[1:]
	name := target
	if strings.Contains(target, "/") {
		abs, err := filepath.Abs(target)
		if err != nil {
			return nil, nil, err
		}
		if info, err := os.Stat(abs); err != nil || !info.Mode().IsRegular() {
			return nil, nil, usageErrorf("cover: %s: not a script file", target)
		}
		run.Script = abs
		name = strings.TrimPrefix(filepath.Base(abs), "git-")
		name = strings.TrimSuffix(name, ".sh")
	}
	if len(fixtureArgs) == 0 {
		fixtureArgs = []string{name}
	}
	fixtures, err := opts.loadFixtures(fixtureArgs, name)
	if err != nil {
		return nil, nil, err
	}
	if opts.goBinary != "" && !opts.goSide {
		return nil, nil, usageErrorf("cover: --go-binary needs --go")
	}
	if opts.goSide {
		if _, ok := builtins[name]; !ok && opts.goBinary == "" {
			return nil, nil, usageErrorf("cover: --go: kiln has no builtin %q (finished: %s)", name, strings.Join(builtinNames(), ", "))
		}
		if err := opts.goBuild(run, work); err != nil {
			return nil, nil, err
		}
	}
	return run, fixtures, nil
}

// goBuild prepares the Go side: the -cover kiln and its counter dir.
func (opts *coverOptions) goBuild(run *cover.Run, work string) error {
	run.GoCoverDir = filepath.Join(work, "gocover")
	if err := os.MkdirAll(run.GoCoverDir, 0o755); err != nil {
		return err
	}
	if opts.goBinary != "" {
		abs, err := filepath.Abs(opts.goBinary)
		if err != nil {
			return err
		}
		run.Builtin = abs
		return nil
	}
	run.Builtin = filepath.Join(work, "kiln-cover")
	if err := cover.BuildCoverKiln(opts.module, run.Builtin); err != nil {
		return usageErrorf("cover: --go: %v", err)
	}
	return nil
}

// loadFixtures loads the fixtures, which must all test name.
func (opts *coverOptions) loadFixtures(args []string, name string) ([]*parity.Fixture, error) {
	var filter *regexp.Regexp
	if opts.run != "" {
		re, err := regexp.Compile(opts.run)
		if err != nil {
			return nil, usageErrorf("cover: --run: %v", err)
		}
		filter = re
	}
	paths, err := parity.FindFixtures(opts.fixturesRoot, args)
	if err != nil {
		return nil, usageErrorf("cover: %v", err)
	}
	var fixtures []*parity.Fixture
	for _, path := range paths {
		f, err := parity.LoadFixture(path)
		if err != nil {
			return nil, usageErrorf("cover: %v", err)
		}
		if f.Name != name {
			return nil, usageErrorf("cover: fixture %s tests %s, not %s", path, f.Name, name)
		}
		if filter == nil || filter.MatchString(f.ID()) {
			fixtures = append(fixtures, f)
		}
	}
	if len(fixtures) == 0 {
		return nil, usageErrorf("cover: no fixtures for %s", name)
	}
	return fixtures, nil
}

func mergeCover(opts *coverOptions, args []string, io stdio) error {
	var reports []*cover.Report
	for _, path := range args {
		r, err := cover.ReadReport(path)
		if err != nil {
			return usageErrorf("cover: --merge: %v", err)
		}
		reports = append(reports, r)
	}
	rep, err := cover.Merge(reports)
	if err != nil {
		return usageErrorf("cover: %v", err)
	}
	return opts.write(rep, io)
}

// write prints the text (or JSON, or annotated) report and writes the
// report files asked for.
func (opts *coverOptions) write(rep *cover.Report, io stdio) error {
	files := []struct {
		path  string
		write func(w goio.Writer) error
	}{{opts.lcov, rep.WriteLCOV}, {opts.cobertura, rep.WriteCobertura}, {opts.html, rep.WriteHTML}}
	for _, f := range files {
		if f.path == "" {
			continue
		}
		if err := writeFile(f.path, f.write); err != nil {
			return fmt.Errorf("cover: %v", err)
		}
	}
	switch {
	case opts.json:
		return rep.WriteJSON(io.out)
	case opts.annotate:
		return rep.WriteAnnotated(io.out)
	}
	return rep.WriteText(io.out)
}

func writeFile(path string, write func(w goio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// showInstrumented prints the instrumented copy of a script (a path, or
// the name of an installed one); its probes write to /dev/null.
func showInstrumented(target string, io stdio) error {
	path := target
	if !strings.Contains(target, "/") {
		execPath, err := gitExecPath()
		if err != nil {
			return err
		}
		path = filepath.Join(execPath, "git-"+strings.TrimPrefix(target, "git-"))
	}
	src, err := shellparse.ReadScript(path)
	if err != nil {
		return usageErrorf("cover: %v", err)
	}
	ins, err := cover.Instrument(filepath.Base(path), src, 1, "/dev/null", cover.IsBash(src))
	if err != nil {
		return usageErrorf("cover: %v", err)
	}
	_, err = io.out.Write(ins.Text)
	return err
}
