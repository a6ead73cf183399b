package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kiln-dev/kiln/shellparse"
	"github.com/kiln-dev/kiln/translate"
	"github.com/spf13/cobra"
)

// scanOptions are the flags of `kiln scan`.
type scanOptions struct {
	json     bool
	sarif    bool
	lang     string
	execPath string
	verbose  bool
	failOn   []string
}

func newScanCmd(io stdio) *cobra.Command {
	opts := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "scan [flags] [SCRIPT|NAME ...]",
		Short: "Audit shell scripts: every spawn, dependency and option",
		Long: `Scan audits shell scripts: every command invocation with its position,
enclosing function and kind (git, external, builtin, function, dynamic),
the processes each costs, what the script sources, the programs it needs,
and how it parses its options.

With no argument it audits every shell script in $(git --exec-path). A NAME
such as quiltimport means git-quiltimport there; anything else is a path.

Exit status: 2 when any script could not be read or parsed (the others are
still reported); otherwise 1 when there are findings of a rule named by
--fail-on, and 0.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(opts, args, io)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print the report as JSON (schema: docs/scan.md)")
	f.BoolVar(&opts.sarif, "sarif", false, "print the findings as a SARIF 2.1.0 log")
	f.StringVar(&opts.lang, "lang", "", "parse as `posix` or bash instead of following the shebang")
	f.StringVar(&opts.execPath, "exec-path", "", "git's exec path (default: git --exec-path)")
	f.BoolVarP(&opts.verbose, "verbose", "v", false, "list every invocation (the default when scripts are named)")
	f.StringSliceVar(&opts.failOn, "fail-on", nil, "exit 1 when there are findings of these `rules` (spawn-in-loop, dynamic-command, unresolved-source, option-inconsistency, or all)")
	cmd.MarkFlagsMutuallyExclusive("json", "sarif")
	return cmd
}

func runScan(opts *scanOptions, args []string, io stdio) error {
	cfg := shellparse.Config{ExecPath: opts.execPath, Classify: translate.Classify}
	if opts.lang != "" {
		lang, err := shellparse.ParseLang(opts.lang)
		if err != nil {
			return usageErrorf("%v", err)
		}
		cfg.Lang = lang
	}
	if cfg.ExecPath == "" {
		p, err := gitExecPath()
		if err != nil && len(args) == 0 {
			return usageErrorf("%v", err)
		}
		cfg.ExecPath = p
	}
	for _, r := range opts.failOn {
		if !slices.Contains(failOnRules, r) {
			return usageErrorf("--fail-on: unknown rule %q (want one of %s)", r, strings.Join(failOnRules, ", "))
		}
	}
	paths, skipped, err := scanTargets(cfg.ExecPath, args)
	if err != nil {
		return usageErrorf("%v", err)
	}
	rep := shellparse.NewScanner(cfg).Scan(paths)
	rep.Skipped = append(rep.Skipped, skipped...)
	switch {
	case opts.json:
		err = writeJSON(io.out, rep)
	case opts.sarif:
		err = writeJSON(io.out, shellparse.SARIF(rep, kilnVersion()))
	default:
		err = writeScanText(io.out, rep, opts.verbose || len(args) > 0)
	}
	if err != nil {
		return err
	}
	failed := false
	for _, sc := range rep.Scripts {
		if sc.Error != "" {
			fmt.Fprintln(io.err, sc.Error)
			failed = true
		}
	}
	if len(args) > 0 {
		// A file named on the command line that is surely no shell
		// script is bad input, as kiln translate and kiln run say too.
		for _, sk := range rep.Skipped {
			if src, err := shellparse.ReadScript(sk.Path); err == nil && shellparse.NotScript(src) {
				fmt.Fprintf(io.err, "kiln: scan: %s: %s\n", sk.Path, sk.Reason)
				failed = true
			}
		}
	}
	if failed {
		return silentExit(exitUsage)
	}
	if n := countFailing(rep, opts.failOn); n > 0 {
		fmt.Fprintf(io.err, "kiln scan: %d finding(s) of --fail-on rules\n", n)
		return silentExit(exitFailure)
	}
	return nil
}

// countFailing counts the findings whose rule --fail-on names.
func countFailing(rep *shellparse.Report, rules []string) int {
	n := 0
	for _, r := range rules {
		if r == "all" {
			r = ""
		}
		for rule, count := range rep.Summary.Findings {
			if r == "" || r == rule {
				n += count
			}
		}
	}
	return n
}

// failOnRules are the values --fail-on accepts.
var failOnRules = []string{shellparse.RuleSpawnInLoop, shellparse.RuleDynamicCommand,
	shellparse.RuleUnresolvedSource, shellparse.RuleOptionInconsistency, "all"}

// gitExecPath asks the installed git for its exec path.
func gitExecPath() (string, error) {
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return "", fmt.Errorf("cannot find git's exec path (is git installed?): %v", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// execPathFlag is an --exec-path flag's value, or git's own exec path.
func execPathFlag(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	p, err := gitExecPath()
	if err != nil {
		return "", usageErrorf("%v", err)
	}
	return p, nil
}

// scriptPath resolves a script argument: anything with a slash, or an
// existing file, is a path; a NAME is git-NAME in the exec path.
func scriptPath(execPath, arg string) (string, error) {
	if strings.Contains(arg, "/") || fileExists(arg) || execPath == "" {
		return arg, nil
	}
	name := arg
	if !strings.HasPrefix(name, "git-") {
		name = "git-" + name
	}
	p := filepath.Join(execPath, name)
	if !fileExists(p) {
		return "", fmt.Errorf("%s: no such script, and no %s in %s", arg, name, execPath)
	}
	return p, nil
}

// scanTargets turns arguments into paths: none means git's whole corpus, a
// NAME means git-NAME in the exec path, anything else is a path.
func scanTargets(execPath string, args []string) ([]string, []shellparse.Skipped, error) {
	if len(args) == 0 {
		return shellparse.Corpus(execPath)
	}
	var paths []string
	for _, a := range args {
		p, err := scriptPath(execPath, a)
		if err != nil {
			return nil, nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeScanText prints one summary row per script, the findings, the
// invocations when detailed, and the totals.
func writeScanText(w io.Writer, rep *shellparse.Report, detailed bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCRIPT\tLANG\tLINES\tCALLS\tGIT\tEXTERNAL\tBUILTIN\tFUNCTION\tDYNAMIC\tSPAWNS\tIN LOOPS\tFINDINGS")
	for _, sc := range rep.Scripts {
		name := displayPath(rep.ExecPath, sc.Path)
		if sc.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\t%d\terror\t\t\t\t\t\t\t\t\n", name, sc.Lang, sc.Lines)
			continue
		}
		k := sc.Stats.ByKind
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", name, sc.Lang, sc.Lines,
			sc.Stats.Invocations, k[shellparse.KindGit], k[shellparse.KindExternal], k[shellparse.KindBuiltin],
			k[shellparse.KindFunction], k[shellparse.KindDynamic], sc.Stats.Spawns, sc.Stats.SpawnsInLoops, len(sc.Findings))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if detailed {
		for _, sc := range rep.Scripts {
			writeScriptDetail(w, rep.ExecPath, sc)
		}
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", displayPath(rep.ExecPath, s.Path), s.Reason)
	}
	writeSummary(w, rep.Summary)
	return nil
}

func displayPath(execPath, p string) string {
	if execPath != "" {
		if rel, err := filepath.Rel(execPath, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}

func writeScriptDetail(w io.Writer, execPath string, sc *shellparse.Script) {
	if sc.Error != "" {
		return
	}
	name := displayPath(execPath, sc.Path)
	fmt.Fprintf(w, "\n== %s (%s, %d lines)\n", name, sc.Lang, sc.Lines)
	if sc.SourcedBy != "" {
		fmt.Fprintf(w, "sourced by %s\n", displayPath(execPath, sc.SourcedBy))
	}
	for _, s := range sc.Sources {
		target := s.Resolved
		if target == "" {
			target = "unresolved: " + s.Reason
		}
		fmt.Fprintf(w, "source %d:%d %s -> %s\n", s.Line, s.Col, s.Text, target)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "POS\tFUNC\tKIND\tCOMMAND\tSPAWNS\tCONTEXT\tCATEGORY")
	for _, inv := range sc.Invocations {
		fmt.Fprintf(tw, "%d:%d\t%s\t%s\t%s\t%d\t%s\t%s\n", inv.Line, inv.Col, inv.Func, inv.Kind,
			commandText(inv), inv.Spawns, contextText(inv), inv.Category)
	}
	tw.Flush()
	var ext, builtin []string
	for _, d := range sc.Dependencies {
		switch {
		case d.Builtin:
			builtin = append(builtin, d.Name)
		case d.Path == "":
			ext = append(ext, d.Name+" (not found)")
		default:
			ext = append(ext, d.Name)
		}
	}
	fmt.Fprintf(w, "programs: %s\n", strings.Join(ext, " "))
	fmt.Fprintf(w, "builtins: %s\n", strings.Join(builtin, " "))
	if o := sc.Options; o != nil {
		if o.Spec != nil {
			var names []string
			for _, opt := range o.Spec.Options {
				names = append(names, specText(opt))
			}
			fmt.Fprintf(w, "options (%s, line %d): %s\n", o.Spec.Var, o.Spec.Line, strings.Join(names, " "))
		}
		for _, l := range o.Loops {
			var names []string
			for _, opt := range l.Options {
				names = append(names, opt.Pattern)
			}
			fmt.Fprintf(w, "option loop %d:%d %s: %s\n", l.Line, l.Col, l.Func, strings.Join(names, " "))
		}
	}
	for _, f := range sc.Findings {
		fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", name, f.Line, f.Col, f.Rule, f.Message)
	}
}

func specText(opt shellparse.SpecOption) string {
	var names []string
	if opt.Short != "" {
		names = append(names, "-"+opt.Short)
	}
	if opt.Long != "" {
		names = append(names, "--"+opt.Long)
	}
	s := strings.Join(names, "|")
	if opt.TakesArg {
		s += "=" + opt.ArgHint
	}
	return s
}

func commandText(inv *shellparse.Invocation) string {
	s := inv.Name
	if inv.Kind == shellparse.KindGit {
		sub := inv.Subcommand
		if sub == "" {
			sub = "(dynamic)"
		}
		s = strings.Join(append([]string{"git", sub}, inv.Flags...), " ")
	}
	if len(inv.Via) > 0 {
		s += " [via " + strings.Join(inv.Via, ",") + "]"
	}
	return s
}

func contextText(inv *shellparse.Invocation) string {
	var ctx []string
	for _, c := range []struct {
		on   bool
		name string
	}{{inv.InLoop, "loop"}, {inv.InPipeline, "pipe"}, {inv.InSubst, "subst"}, {inv.InSubshell, "subshell"}, {inv.InBackground, "bg"}} {
		if c.on {
			ctx = append(ctx, c.name)
		}
	}
	return strings.Join(ctx, ",")
}

func writeSummary(w io.Writer, sum shellparse.Summary) {
	k := sum.ByKind
	fmt.Fprintf(w, "\n%d scripts (%d with errors), %d lines, %d invocations: %d git, %d external, %d builtin, %d function, %d dynamic\n",
		sum.Scripts, sum.Errors, sum.Lines, sum.Invocations, k[shellparse.KindGit], k[shellparse.KindExternal],
		k[shellparse.KindBuiltin], k[shellparse.KindFunction], k[shellparse.KindDynamic])
	fmt.Fprintf(w, "spawns per run (loops counted once): %d, of which in loops: %d\n", sum.Spawns, sum.SpawnsInLoops)
	fmt.Fprintf(w, "git calls by category: %s\n", countsText(sum.ByCategory))
	fmt.Fprintf(w, "git subcommands: %s\n", countsText(sum.GitCommands))
	fmt.Fprintf(w, "findings: %s\n", countsText(sum.Findings))
}

// countsText prints counts largest first: "rev-parse 40, config 12".
func countsText(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
