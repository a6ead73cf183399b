package cover

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/parity"
)

// Run is one coverage run: the fixtures run with the installed scripts on
// the old side and their instrumented copies on the new side (or, with a
// Go builtin, the instrumented scripts on the old side and the builtin
// built with -cover on the new side).
type Run struct {
	// Jobs is how many fixtures run at once.
	Jobs int
	// ExecPath is the installed git's exec path; empty means ask git.
	ExecPath string
	// Builtin, when set, is kiln built with -cover: it runs as the new
	// side (as git-<name>), writing its counters to GoCoverDir.
	Builtin    string
	GoCoverDir string
	// WorkDir holds the instrumented exec path and the hits file.
	WorkDir string
	// Script, when set, is a script file that stands for git-<name> of
	// the fixtures' command instead of the installed one.
	Script string
}

// Result is what a coverage run measured, with the parity results that
// prove the instrumentation transparent (or the builtin faithful).
type Result struct {
	Files  []*FileCoverage
	Parity []*parity.Result
	// ExecPath is the installed git's exec path, Script the script run
	// as git-<Name> instead of the installed one (if any).
	ExecPath, Script, Name string
	OldSide                parity.Side
	NewSide                parity.Side
}

// Execute instruments the exec path and runs the fixtures.
func (r *Run) Execute(ctx context.Context, fixtures []*parity.Fixture) (*Result, error) {
	if r.ExecPath == "" {
		out, err := exec.Command("git", "--exec-path").Output()
		if err != nil {
			return nil, fmt.Errorf("git --exec-path: %v", err)
		}
		r.ExecPath = strings.TrimSpace(string(out))
	}
	execPath := r.ExecPath
	installed := parity.Side{ExecPath: execPath}
	if r.Script != "" {
		// The given script in git-<name>'s place, in a plain overlay
		// (the old side) and instrumented (the new side).
		plain := filepath.Join(r.WorkDir, "plain")
		name, err := singleName(fixtures)
		if err != nil {
			return nil, err
		}
		// An executable copy: git runs git-<name> only if it may.
		script := filepath.Join(r.WorkDir, "git-"+name)
		data, err := os.ReadFile(r.Script)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(script, data, 0o755); err != nil {
			return nil, err
		}
		if err := parity.WriteOverlay(plain, execPath, map[string]string{name: script}); err != nil {
			return nil, err
		}
		installed, execPath = parity.Side{ExecPath: plain}, plain
	}
	dir, err := BuildExecDir(execPath, filepath.Join(r.WorkDir, "exec"), filepath.Join(r.WorkDir, "hits"))
	if err != nil {
		return nil, err
	}
	instrumented := parity.Side{ExecPath: dir.Dir}
	// The installed scripts run through an overlay too, so that both
	// sides see GIT_EXEC_PATH=$SANDBOX/exec (git-instaweb writes it into
	// a file).
	// NoiseAuto: fixtures marked noise: on (the current time in a
	// commit) are compared without their noisy fields, as parity does.
	// Their old side runs twice: with a Go builtin, the instrumented
	// script's counts include both runs.
	runner := &parity.Runner{Old: installed, New: instrumented, Self: true, Noise: parity.NoiseAuto,
		Jobs: max(r.Jobs, 1), ExecPath: r.ExecPath}
	if r.Builtin != "" {
		wrapper, err := r.builtinWrapper(fixtures)
		if err != nil {
			return nil, err
		}
		runner.Old, runner.New, runner.Self = instrumented, parity.Side{Program: wrapper}, false
	}
	results, err := runner.Run(ctx, fixtures)
	if err != nil {
		return nil, err
	}
	files, err := dir.Cover()
	if err != nil {
		return nil, err
	}
	res := &Result{Files: files, Parity: results, OldSide: runner.Old, NewSide: runner.New,
		ExecPath: runner.ExecPath, Script: r.Script}
	res.Name, _ = singleName(fixtures)
	return res, nil
}

// builtinWrapper writes a script that runs the -cover kiln as
// git-<name> with GOCOVERDIR set: parity gives commands a fixed
// environment, so the variable is set here rather than inherited. kiln
// dispatches on argv[0], hence the link under the builtin's name.
func (r *Run) builtinWrapper(fixtures []*parity.Fixture) (string, error) {
	name, err := singleName(fixtures)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(r.WorkDir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return "", err
	}
	link := filepath.Join(bin, "git-"+name)
	if err := os.Symlink(r.Builtin, link); err != nil {
		return "", err
	}
	wrapper := filepath.Join(r.WorkDir, "git-"+name+".cover")
	script := "#!/bin/sh\nGOCOVERDIR=" + parity.QuoteWords([]string{r.GoCoverDir}) +
		" exec " + parity.QuoteWords([]string{link}) + " \"$@\"\n"
	return wrapper, os.WriteFile(wrapper, []byte(script), 0o755)
}

// singleName is the one command all the fixtures test.
func singleName(fixtures []*parity.Fixture) (string, error) {
	if len(fixtures) == 0 {
		return "", fmt.Errorf("no fixtures")
	}
	name := fixtures[0].Name
	for _, f := range fixtures {
		if f.Name != name {
			return "", fmt.Errorf("fixtures of one command wanted, got %s and %s", name, f.Name)
		}
	}
	return name, nil
}

// Report turns the run into a report. Only the files some fixture ran
// are kept, and the command's own script; all keeps every instrumented
// file.
func (res *Result) Report(all bool) *Report {
	rep := &Report{ExecPath: res.ExecPath, Fixtures: len(res.Parity)}
	for _, p := range res.Parity {
		if p.Status == parity.StatusPass {
			rep.Passed++
		}
	}
	rep.Files = res.Files
	if !all {
		rep.Files = Keep(res.Files, map[string]bool{"git-" + res.Name: true})
	}
	if res.Script != "" {
		rep.Paths = map[string]string{"git-" + res.Name: res.Script}
	}
	return rep
}
