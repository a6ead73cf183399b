package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/parity"
	"github.com/spf13/cobra"
)

// benchOptions are the flags of `kiln bench`.
type benchOptions struct {
	json      bool
	verbose   bool
	runs      int
	plot      string
	scenarios string
}

func newBenchCmd(io stdio) *cobra.Command {
	opts := &benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench [flags] SCENARIO ...",
		Short: "Time old script, new builtin and reference, and count their spawns",
		Long: `Bench builds each scenario's state once (tests/bench/SCENARIO.txtar), then
runs its old script, new implementation and reference (C git, where there
is one) on fresh copies, alternating, and reports per command the median
and spread of wall time, user+system CPU, peak memory, and the processes
it spawned, counted by tracing (strace -f), plus the old/new and new/ref
ratios of paired runs. Speed is measured here, never asserted in tests.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.scenarios = checkoutDefault(cmd, "scenarios", opts.scenarios)
			return runBench(cmd.Context(), opts, args, io)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print the results as JSON")
	f.BoolVarP(&opts.verbose, "verbose", "v", false, "also list every run's wall and CPU time")
	f.IntVar(&opts.runs, "runs", 5, "timed runs per side")
	f.StringVar(&opts.plot, "plot", "", "write an SVG bar chart of median wall times to `FILE`")
	f.StringVar(&opts.scenarios, "scenarios", "tests/bench", "directory of scenario files")
	return cmd
}

func runBench(ctx context.Context, opts *benchOptions, args []string, io stdio) error {
	if opts.runs < 1 {
		return usageErrorf("--runs must be at least 1")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var scenarios []*parity.Scenario
	for _, a := range args {
		path := a
		if !strings.HasSuffix(a, ".txtar") {
			path = filepath.Join(opts.scenarios, a+".txtar")
		}
		sc, err := parity.LoadScenario(path)
		if errors.Is(err, fs.ErrNotExist) {
			return usageErrorf("bench: no scenario %q (looked for %s)", a, path)
		}
		if err != nil {
			return usageErrorf("bench: %v", err)
		}
		scenarios = append(scenarios, sc)
	}
	kiln, err := os.Executable()
	if err != nil {
		return err
	}
	b := &parity.Bencher{Runs: opts.runs, Kiln: kiln}
	defer b.Close()
	prog, err := newProgress(io.err)
	if err != nil {
		return err
	}
	b.Progress = func(name string, run, runs int) {
		prog.step(fmt.Sprintf("kiln bench: %s: run %d/%d", name, run, runs))
	}
	var results []*parity.BenchResult
	for _, sc := range scenarios {
		res, err := b.Run(ctx, sc)
		prog.done()
		if err != nil {
			return &gitapi.ExitError{Code: exitFailure, Err: err}
		}
		results = append(results, res)
	}
	if opts.plot != "" {
		if err := os.WriteFile(opts.plot, []byte(benchSVG(results)), 0o644); err != nil {
			return err
		}
	}
	if opts.json {
		return writeJSON(io.out, results)
	}
	return writeBenchText(io.out, results, opts.verbose)
}

func writeBenchText(w io.Writer, results []*parity.BenchResult, verbose bool) error {
	for _, res := range results {
		fmt.Fprintf(w, "%s (%d runs per side)\n", res.Scenario, res.Runs)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SIDE\tWALL ms\tSPREAD ms\tCPU ms\tMAX RSS MB\tSPAWNS\tCOMMAND")
		for _, s := range res.Sides {
			spawns := fmt.Sprint(s.Spawns)
			if s.Spawns < 0 {
				spawns = "?"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1f\t%s\t%s\n", s.Role, parity.FormatMillis(s.WallMedian),
				parity.FormatMillis(s.WallSpread), parity.FormatMillis(s.CPUMedian), float64(s.MaxRSSMedian)/1024,
				spawns, parity.QuoteWords(displayCommand(s.Command)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		keys := make([]string, 0, len(res.Ratios))
		for k := range res.Ratios {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %.2fx", k, res.Ratios[k]))
		}
		fmt.Fprintf(w, "wall-time ratios, median of paired runs: %s\n", strings.Join(parts, ", "))
		if len(res.CreateCost) == 2 {
			fmt.Fprintf(w, "creating a file in the sandbox: %s us of system time before the runs, %s us after\n",
				formatMicros(res.CreateCost[0]), formatMicros(res.CreateCost[1]))
		}
		if verbose {
			writeRuns(w, res)
		}
		fmt.Fprintf(w, "spawns counted with %s\n\n", res.SpawnMethod)
	}
	return nil
}

// formatMicros prints a duration in microseconds with one decimal.
func formatMicros(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Microsecond), 'f', 1, 64)
}

// writeRuns lists each side's runs in order, wall/CPU milliseconds.
func writeRuns(w io.Writer, res *parity.BenchResult) {
	for _, s := range res.Sides {
		var runs []string
		for _, sm := range s.Samples {
			runs = append(runs, parity.FormatMillis(sm.Wall)+"/"+parity.FormatMillis(sm.CPU))
		}
		fmt.Fprintf(w, "%s runs, wall/CPU ms: %s\n", s.Role, strings.Join(runs, " "))
	}
}

// displayCommand shows the kiln executable as "kiln".
func displayCommand(argv []string) []string {
	out := append([]string{}, argv...)
	if exe, err := os.Executable(); err == nil && out[0] == exe {
		out[0] = "kiln"
	}
	return out
}

// benchSVG draws the median wall time of each side of each scenario as
// horizontal bars, one group per scenario.
func benchSVG(results []*parity.BenchResult) string {
	const barH, gap, labelW, plotW = 18, 6, 260, 420
	max := 0.0
	rows := 0
	for _, r := range results {
		for _, s := range r.Sides {
			if ms := float64(s.WallMedian.Milliseconds()); ms > max {
				max = ms
			}
			rows++
		}
	}
	if max == 0 {
		max = 1
	}
	height := rows*(barH+gap) + len(results)*barH + 20
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", labelW+plotW+80, height)
	colors := map[string]string{"old": "#c0504d", "new": "#4f81bd", "ref": "#9bbb59"}
	y := 10
	for _, r := range results {
		fmt.Fprintf(&sb, `<text x="0" y="%d" font-weight="bold">%s</text>`+"\n", y+12, r.Scenario)
		y += barH
		for _, s := range r.Sides {
			ms := float64(s.WallMedian) / 1e6
			w := int(ms / max * plotW)
			fmt.Fprintf(&sb, `<text x="10" y="%d">%s</text>`+"\n", y+13, s.Role)
			fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", labelW, y, w+1, barH, colors[s.Role])
			fmt.Fprintf(&sb, `<text x="%d" y="%d">%.0f ms</text>`+"\n", labelW+w+6, y+13, ms)
			y += barH + gap
		}
	}
	sb.WriteString("</svg>\n")
	return sb.String()
}
