package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kiln-dev/kiln/shellparse"
	"github.com/kiln-dev/kiln/translate"
	"github.com/spf13/cobra"
)

// translateOptions are the flags of `kiln translate`.
type translateOptions struct {
	out       string
	pkg       string
	module    string
	quote     bool
	html      string
	json      bool
	execPath  string
	lang      string
	force     bool
	kilnDir   string
	idiomatic bool
}

func newTranslateCmd(io stdio) *cobra.Command {
	opts := &translateOptions{}
	cmd := &cobra.Command{
		Use:   "translate [flags] [SCRIPT|NAME ...]",
		Short: "Translate shell scripts to Go builtins, every git call mapped to gitapi",
		Long: `Translate turns a shell script into a Go package: each shell function a Go
function, control flow in Go, builtins and git calls as calls of kiln's
shellrun runtime and gitapi. What it cannot translate keeps working through
the embedded shell interpreter and is marked "// kiln:review <reason>".

The libraries a script sources (git-sh-setup, git-sh-i18n,
git-mergetool--lib) are translated once, into packages of their own that the
script's package calls.

With -o DIR each package is written to DIR/<package>/<package>.go, with its
report in DIR/<package>/translation.json, and DIR/cmd/builtins is a main
package running them all (as git-NAME, or as "builtins NAME ARGS"); --module gives DIR's import path
(default: read from DIR's go.mod). A DIR without go.mod gets one requiring
kiln (--kiln-dir replaces it with a local checkout). Raw output is marked
generated; DIR/translation.json records each file's hash, and a file edited
since it was written is not overwritten without --force. Scripts translated
into DIR before stay in cmd/builtins. Without -o, one script's Go is printed.

--idiomatic writes the second stage, lowered from the same analysis: no
status placeholders nothing reads, variables nothing reaches by name as Go
variables, string tests as Go comparisons, the script's comments. It is
meant to be edited, so it carries no DO NOT EDIT header; the report gives
its Go lines per script line, variable references lowered and kept, git
calls typed, on the face and on the fallback, and the noise left.
With no argument every script of $(git --exec-path) is translated.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTranslate(opts, args, io)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.out, "output", "o", "", "write the packages under `DIR`")
	f.StringVar(&opts.pkg, "package", "", "Go package `NAME` of the (one) script's output")
	f.StringVar(&opts.module, "module", "", "import `PATH` of the output directory (default: from its go.mod)")
	f.BoolVar(&opts.quote, "quote", false, "put the original shell lines above each block")
	f.StringVar(&opts.html, "html", "", "write a side-by-side view (shell | Go) to `FILE`")
	f.BoolVar(&opts.json, "json", false, "print the reports as JSON")
	f.StringVar(&opts.execPath, "exec-path", "", "git's exec path (default: git --exec-path)")
	f.StringVar(&opts.lang, "lang", "", "translate the scripts as `posix` (dash) or bash instead of following their shebang")
	f.StringVar(&opts.kilnDir, "kiln-dir", "", "with -o: a local kiln checkout `DIR` the new go.mod replaces kiln with")
	f.BoolVar(&opts.force, "force", false, "overwrite generated files changed since they were generated")
	f.BoolVar(&opts.idiomatic, "idiomatic", false, "write the lowered stage: Go meant to be kept and edited (see docs/translate.md)")
	return cmd
}

func runTranslate(opts *translateOptions, args []string, io stdio) error {
	execPath, err := execPathFlag(opts.execPath)
	if err != nil {
		return err
	}
	scripts := args
	if len(scripts) == 0 {
		if scripts, err = translate.CorpusScripts(execPath); err != nil {
			return err
		}
	}
	if opts.pkg != "" && len(scripts) != 1 {
		return usageErrorf("translate: --package needs exactly one script")
	}
	if opts.out == "" && len(scripts) > 1 && !opts.json {
		return usageErrorf("translate: give -o DIR to translate more than one script")
	}
	module := opts.module
	if module == "" && opts.out != "" {
		module = moduleOf(opts.out)
	}
	if module == "" {
		module = "kiln.local/translated"
	}
	proj := &translate.Project{ExecPath: execPath, Module: module, Quote: opts.quote, Idiomatic: opts.idiomatic}
	if opts.lang != "" {
		lang, err := shellparse.ParseLang(opts.lang)
		if err != nil {
			return usageErrorf("translate: %v", err)
		}
		proj.Lang = lang
	}
	var mains []*translate.Output
	var paths []string
	for _, a := range scripts {
		path, err := scriptPath(execPath, a)
		if err != nil {
			return usageErrorf("translate: %v", err)
		}
		paths = append(paths, path)
	}
	if opts.out != "" && opts.pkg == "" {
		// Scripts translated into DIR before stay in cmd/builtins.
		if data, err := os.ReadFile(filepath.Join(opts.out, manifestName)); err == nil {
			var man manifest
			if json.Unmarshal(data, &man) == nil {
				for _, p := range man.Scripts {
					if !slices.Contains(paths, p) {
						if _, err := os.Stat(p); err == nil {
							if _, err := proj.Add(p, ""); err != nil {
								return usageErrorf("translate: %v", err)
							}
						}
					}
				}
			}
		}
	}
	for _, path := range paths {
		out, err := proj.Add(path, opts.pkg)
		if err != nil {
			return usageErrorf("translate: %v", err)
		}
		mains = append(mains, out)
	}
	if opts.out != "" {
		if err := writeOutputs(opts.out, module, proj.Outputs, paths, opts.force, opts.idiomatic); err != nil {
			return err
		}
		if err := writeGoMod(opts.out, module, opts.kilnDir, io); err != nil {
			return err
		}
	}
	if opts.html != "" {
		if err := os.WriteFile(opts.html, translate.HTML(mains), 0o644); err != nil {
			return err
		}
	}
	switch {
	case opts.json:
		var reports []*translate.Report
		for _, o := range proj.Outputs {
			reports = append(reports, o.Result.Report)
		}
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		return enc.Encode(reports)
	case opts.out == "":
		_, err := io.out.Write(mains[0].Result.Go)
		return err
	}
	printReports(io, proj.Outputs)
	return nil
}

// moduleOf finds the import path of dir from the nearest go.mod above it.
func moduleOf(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if mod, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
					rel, _ := filepath.Rel(d, abs)
					return strings.TrimSuffix(filepath.ToSlash(filepath.Join(strings.TrimSpace(mod), rel)), "/.")
				}
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// generatedHeader marks the raw translation as generated code.
const generatedHeader = "// Code generated by kiln translate. DO NOT EDIT.\n\n"

// manifestName is the file under -o DIR recording the hash of every file
// kiln translate wrote there.
const manifestName = "translation.json"

// EditedError reports a generated file changed since kiln translate wrote
// it; it is not overwritten without --force.
type EditedError struct {
	// Path is the edited file.
	Path string
}

func (e *EditedError) Error() string {
	return fmt.Sprintf("translate: %s was changed since it was generated; not overwriting it (use --force)", e.Path)
}

// manifest is DIR/translation.json: the sha256 of each generated file,
// by its slash path relative to DIR.
type manifest struct {
	Files map[string]string `json:"files"`
	// Scripts are the scripts translated into DIR, so that translating
	// another one keeps them in cmd/builtins.
	Scripts []string `json:"scripts,omitempty"`
}

func fileHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// writeOutputs writes each package and its report, and the multi-call
// main package that runs them (DIR/cmd/builtins). A file whose content
// no longer has the hash recorded when it was written is not overwritten
// unless force is set.
func writeOutputs(dir, module string, outputs []*translate.Output, scripts []string, force, idiomatic bool) error {
	main, err := translate.MultiCall(module, outputs)
	if err != nil {
		return err
	}
	man := manifest{Files: map[string]string{}}
	if data, err := os.ReadFile(filepath.Join(dir, manifestName)); err == nil {
		if err := json.Unmarshal(data, &man); err != nil {
			return fmt.Errorf("translate: %s: %v", filepath.Join(dir, manifestName), err)
		}
		if man.Files == nil {
			man.Files = map[string]string{}
		}
	}
	files := map[string][]byte{"cmd/builtins/main.go": append([]byte(generatedHeader), main...)}
	order := []string{"cmd/builtins/main.go"}
	for _, o := range outputs {
		rep, err := json.MarshalIndent(o.Result.Report, "", "  ")
		if err != nil {
			return err
		}
		goFile := o.Package + "/" + o.Package + ".go"
		repFile := o.Package + "/translation.json"
		if idiomatic {
			// The lowered stage is meant to be edited: no header.
			files[goFile] = o.Result.Go
		} else {
			files[goFile] = append([]byte(generatedHeader), o.Result.Go...)
		}
		files[repFile] = append(rep, '\n')
		order = append(order, goFile, repFile)
	}
	if !force {
		for _, rel := range order {
			path := filepath.Join(dir, filepath.FromSlash(rel))
			old, err := os.ReadFile(path)
			if err != nil {
				continue
			}
			if want, ok := man.Files[rel]; !ok || fileHash(old) != want {
				if !bytes.Equal(old, files[rel]) {
					return &EditedError{Path: path}
				}
			}
		}
	}
	for _, rel := range order {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[rel], 0o644); err != nil {
			return err
		}
		man.Files[rel] = fileHash(files[rel])
	}
	for _, p := range scripts {
		if !slices.Contains(man.Scripts, p) {
			man.Scripts = append(man.Scripts, p)
		}
	}
	data, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, manifestName), append(data, '\n'), 0o644)
}

// writeGoMod makes DIR a module of its own when it has no go.mod: module
// path, kiln required at the running version (or replaced by the checkout
// kilnDir), and the requirements resolved by go mod tidy; a failed tidy is
// reported on stderr, not an error.
func writeGoMod(dir, module, kilnDir string, io stdio) error {
	gomod := filepath.Join(dir, "go.mod")
	if _, err := os.Stat(gomod); err == nil {
		return nil
	}
	version := "v0.0.0"
	if bi, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(bi.Main.Version, "v") {
		version = bi.Main.Version
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo 1.22\n\nrequire github.com/kiln-dev/kiln %s\n", module, version)
	if kilnDir != "" {
		abs, err := filepath.Abs(kilnDir)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "\nreplace github.com/kiln-dev/kiln => %s\n", abs)
		if sum, err := os.ReadFile(filepath.Join(abs, "go.sum")); err == nil {
			if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
				return err
			}
		}
	}
	if err := os.WriteFile(gomod, []byte(b.String()), 0o644); err != nil {
		return err
	}
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = dir
	if out, err := tidy.CombinedOutput(); err != nil {
		// Not fatal: the module is written; only its requirements wait.
		fmt.Fprintf(io.err, "kiln: translate: wrote %s, but go mod tidy failed there (run it once kiln is fetchable, or give --kiln-dir): %v\n%s", gomod, err, out)
	}
	return nil
}

// printReports prints one line per translated package, then the
// lowering measures of each.
func printReports(io stdio, outputs []*translate.Output) {
	tw := tabwriter.NewWriter(io.out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "SCRIPT\tSTATEMENTS\tNATIVE\tINTERPRETED\tSPAWNS\tGIT CALLS\tIN-PROCESS\tMARKED\tACCOUNTED\tREVIEWS")
	for _, o := range outputs {
		r := o.Result.Report
		native := 100.0
		if r.Statements > 0 {
			native = 100 * float64(r.Native) / float64(r.Statements)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%d\t%d\t%d\t%d (%.0f%%)\t%d\t%.0f%%\t%d\n", r.Script, r.Statements, native,
			r.Interpreted, r.Spawns, r.GitCalls, r.GitMapped, r.GitMappedPercent(), r.GitMarked, r.GitAccounted(), len(r.Reviews))
	}
	tw.Flush()
	fmt.Fprintln(io.out)
	printLowering(io, outputs)
}

// printLowering prints the lowering measures: Go lines per script
// line, variable references lowered and kept, the lowered variables
// given a Go type other than string (by type), git calls typed, on the
// face and on the fallback, noise, and option loops lowered and kept.
func printLowering(io stdio, outputs []*translate.Output) {
	tw := tabwriter.NewWriter(io.out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "SCRIPT\tSTAGE\tGO/SCRIPT LINES\tVAR REFS LOWERED\tKEPT\tTYPED\tGIT TYPED\tFACE\tFALLBACK\tNOISE\tOPTION LOOPS")
	for _, o := range outputs {
		r := o.Result.Report
		l := &r.Lowering
		stage := "raw"
		if r.Idiomatic {
			stage = "idiomatic"
		}
		loops := "-"
		if ol := l.OptionLoops; ol != nil {
			loops = fmt.Sprintf("%d lowered, %d kept", ol.Lowered, ol.Kept)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d = %.2f\t%d (%.0f%%)\t%d\t%s\t%d (%.0f%%)\t%d\t%d\t%d\t%s\n", r.Script, stage,
			l.GoLines, l.ScriptLines, l.GoPerScriptLine(), l.VarRefsLowered, l.LoweredPercent(), l.VarRefsKept,
			typedKinds(l.Typed), l.GitTyped, l.TypedPercent(), l.GitFace, l.GitFallback, l.Noise, loops)
	}
	tw.Flush()
}

// typedKinds counts typed variables by Go type ("2 bool, 1 []string"),
// or "-".
func typedKinds(typed map[string]string) string {
	count := map[string]int{}
	for _, kind := range typed {
		count[kind]++
	}
	var out []string
	for _, kind := range []string{"bool", "int", "[]string"} {
		if count[kind] > 0 {
			out = append(out, fmt.Sprintf("%d %s", count[kind], kind))
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ", ")
}
