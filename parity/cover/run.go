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
}

// Result is what a coverage run measured, with the parity results that
// prove the instrumentation transparent (or the builtin faithful).
type Result struct {
	Files   []*FileCoverage
	Parity  []*parity.Result
	OldSide parity.Side
	NewSide parity.Side
}

// Execute instruments the exec path and runs the fixtures.
func (r *Run) Execute(ctx context.Context, fixtures []*parity.Fixture) (*Result, error) {
	execPath := r.ExecPath
	if execPath == "" {
		out, err := exec.Command("git", "--exec-path").Output()
		if err != nil {
			return nil, fmt.Errorf("git --exec-path: %v", err)
		}
		execPath = strings.TrimSpace(string(out))
	}
	dir, err := BuildExecDir(execPath, filepath.Join(r.WorkDir, "exec"), filepath.Join(r.WorkDir, "hits"))
	if err != nil {
		return nil, err
	}
	instrumented := parity.Side{ExecPath: dir.Dir}
	// The installed scripts run through an overlay too, so that both
	// sides see GIT_EXEC_PATH=$SANDBOX/exec (git-instaweb writes it into
	// a file).
	installed := parity.Side{ExecPath: execPath}
	runner := &parity.Runner{Old: installed, New: instrumented, Self: true, Noise: parity.NoiseOff,
		Jobs: max(r.Jobs, 1), ExecPath: execPath}
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
	return &Result{Files: files, Parity: results, OldSide: runner.Old, NewSide: runner.New}, nil
}

// builtinWrapper writes a script that runs the -cover kiln as
// git-<name> with GOCOVERDIR set: parity gives commands a fixed
// environment, so the variable is set here rather than inherited. kiln
// dispatches on argv[0], hence the link under the builtin's name.
func (r *Run) builtinWrapper(fixtures []*parity.Fixture) (string, error) {
	if len(fixtures) == 0 {
		return "", fmt.Errorf("no fixtures")
	}
	name := fixtures[0].Name
	for _, f := range fixtures {
		if f.Name != name {
			return "", fmt.Errorf("a Go builtin covers one command's fixtures: %s and %s", name, f.Name)
		}
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
