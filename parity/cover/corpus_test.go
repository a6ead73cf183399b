package cover

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/parity"
)

// corpusRoot is the fixture corpus.
var corpusRoot = filepath.Join("..", "..", "tests", "fixtures")

// cleanGitEnv keeps this process's own git calls away from the user's
// configuration, and puts sandboxes in memory where it can.
func cleanGitEnv(t *testing.T) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	if dir, err := os.MkdirTemp("/dev/shm", "kiln-cover-"); err == nil {
		t.Cleanup(func() { os.RemoveAll(dir) })
		t.Setenv("TMPDIR", dir)
	}
}

func loadFixtures(t *testing.T, args ...string) []*parity.Fixture {
	t.Helper()
	paths, err := parity.FindFixtures(corpusRoot, args)
	if err != nil {
		t.Fatal(err)
	}
	var fixtures []*parity.Fixture
	for _, path := range paths {
		if parity.PackageOf(corpusRoot, path) != "" {
			continue // another package's script: not in the exec path kiln cover instruments
		}
		f, err := parity.LoadFixture(path)
		if err != nil {
			t.Fatal(err)
		}
		fixtures = append(fixtures, f)
	}
	return fixtures
}

// TestCorpusTransparent runs every fixture of the corpus with the
// installed scripts as the old side and their instrumented copies (the
// sourced libraries and mergetools instrumented too) as the new side:
// every fixture must pass, so the instrumentation changes nothing a
// fixture can observe. It also checks that each script's own statements
// were reached, and logs the coverage table.
func TestCorpusTransparent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole fixture corpus twice")
	}
	cleanGitEnv(t)
	fixtures := loadFixtures(t)
	run := &Run{Jobs: runtime.NumCPU(), WorkDir: t.TempDir()}
	res, err := run.Execute(context.Background(), fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Parity {
		if r.Status != parity.StatusPass {
			var b strings.Builder
			_ = parity.WriteText(&b, []*parity.Result{r}, parity.Summarize([]*parity.Result{r}))
			t.Errorf("%s: instrumented copy differs:\n%s", r.Fixture, b.String())
		}
	}
	byName := map[string]*FileCoverage{}
	for _, fc := range res.Files {
		byName[fc.Name] = fc
	}
	var b strings.Builder
	for _, name := range scriptNames(fixtures) {
		fc := byName["git-"+name]
		if fc == nil {
			t.Errorf("git-%s was not instrumented", name)
			continue
		}
		tot := fc.Totals()
		if tot.StmtsHit == 0 {
			t.Errorf("git-%s: its fixtures reached none of its statements", name)
		}
		b.WriteString(formatTotalsLine(fc.Name, tot) + "\n")
	}
	var tools Totals
	for _, fc := range res.Files {
		switch {
		case sourcedLibraries[fc.Name]:
			b.WriteString(formatTotalsLine(fc.Name, fc.Totals()) + "\n")
		case strings.HasPrefix(fc.Name, toolsDir+"/"):
			tools.Add(fc.Totals())
		}
	}
	b.WriteString(formatTotalsLine(toolsDir+"/*", tools) + "\n")
	t.Logf("%d fixtures: %s\n%s", len(res.Parity), parity.Summarize(res.Parity), b.String())
}

// scriptNames lists the commands the fixtures test, in order.
func scriptNames(fixtures []*parity.Fixture) []string {
	var names []string
	seen := map[string]bool{}
	for _, f := range fixtures {
		if !seen[f.Name] {
			seen[f.Name] = true
			names = append(names, f.Name)
		}
	}
	return names
}

// TestBuiltinCoverage builds kiln with -cover and runs the quiltimport
// fixtures with the instrumented script as the old side and the builtin
// as the new side: every fixture must pass, and the builtin's statements
// must be at least 90% covered, with every provenance range of the
// builtin measured on both sides.
func TestBuiltinCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kiln and runs the quiltimport fixtures")
	}
	// Sandboxes stay on the disk: under /dev/shm, a mount point, git's
	// "not a git repository" message names the filesystem boundary and
	// the builtin's does not.
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	work := t.TempDir()
	moduleRoot, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	run := &Run{Jobs: runtime.NumCPU(), WorkDir: work, Builtin: filepath.Join(work, "kiln-cover"),
		GoCoverDir: filepath.Join(work, "gocover")}
	if err := os.MkdirAll(run.GoCoverDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := BuildCoverKiln(moduleRoot, run.Builtin); err != nil {
		t.Fatal(err)
	}
	res, err := run.Execute(context.Background(), loadFixtures(t, "quiltimport"))
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report(false)
	if rep.Passed != rep.Fixtures {
		for _, r := range res.Parity {
			if r.Status != parity.StatusPass {
				t.Errorf("%s: %s (%v)", r.Fixture, r.Status, r.Errors)
			}
		}
	}
	// Only quiltimport's package: the other builtins are not run by
	// these fixtures (make cover-builtins measures each on its own).
	if err := rep.AddGo(run.GoCoverDir, moduleRoot, "builtins/quiltimport"); err != nil {
		t.Fatal(err)
	}
	goTotal := rep.GoTotals()
	if goTotal.Stmts == 0 || goTotal.StmtPercent() < 90 {
		t.Errorf("builtins/quiltimport: %.1f%% of %d statements covered, want at least 90%%", goTotal.StmtPercent(), goTotal.Stmts)
	}
	if len(rep.Provenance) == 0 {
		t.Error("no provenance range found in builtins/quiltimport")
	}
	for _, p := range rep.Provenance {
		if p.ScriptHit.Stmts == 0 {
			t.Errorf("provenance %+v: no script statement in its range", p)
		}
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	t.Log(b.String())
}
