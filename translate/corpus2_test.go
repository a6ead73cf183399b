package translate_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/kiln-dev/kiln/parity"
	"github.com/kiln-dev/kiln/shellparse"
	"github.com/kiln-dev/kiln/translate"
)

// The second corpus: shell scripts of Debian packages kiln was not built
// on (issue 12, item 3), read from where the packages install them. .ci/run
// installs the packages; docs/corpus.md tabulates the results.

// corpus2Package is one Debian package of the second corpus.
type corpus2Package struct {
	// Name is the Debian package, also its directory under tests/fixtures.
	Name string
	// Scripts are the programs run by name (git-NAME, tg).
	Scripts []string
	// Libraries are files the scripts source by a name only known at run
	// time (`. "$GITFLOW_DIR/git-flow-$SUBCOMMAND"`): translated as
	// libraries, registered by their file name.
	Libraries []string
	// LibDir is where the libraries the scripts source by a literal name
	// are found (gitflow-common next to git-flow).
	LibDir string
}

// corpus2Packages lists the packages' files with dpkg -L. A package that
// is not installed fails the test: .ci/run installs them.
func corpus2Packages(t testing.TB) []*corpus2Package {
	files := func(pkg string) []string {
		out, err := exec.Command("dpkg", "-L", pkg).Output()
		if err != nil {
			t.Fatalf("dpkg -L %s: %v (is the Debian package installed? .ci/run installs it)", pkg, err)
		}
		var regular []string
		for _, f := range strings.Fields(string(out)) {
			if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
				regular = append(regular, f)
			}
		}
		return regular
	}
	extras := &corpus2Package{Name: "git-extras", LibDir: execPath(t)}
	for _, f := range files("git-extras") {
		if filepath.Dir(f) == "/usr/bin" && strings.HasPrefix(filepath.Base(f), "git-") {
			extras.Scripts = append(extras.Scripts, f)
		}
	}
	flow := &corpus2Package{Name: "git-flow", LibDir: "/usr/bin"}
	var subcommands []string
	for _, f := range files("git-flow") {
		switch base := filepath.Base(f); {
		case filepath.Dir(f) != "/usr/bin":
		case base == "git-flow":
			flow.Scripts = append(flow.Scripts, f)
		case base == "gitflow-shFlags", base == "gitflow-common":
			// Sourced by git-flow, and their functions called by the
			// subcommands: translated first.
			flow.Libraries = append(flow.Libraries, f)
		case strings.HasPrefix(base, "git-flow-"):
			// git-flow sources git-flow-$SUBCOMMAND.
			subcommands = append(subcommands, f)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(flow.Libraries))) // gitflow-shFlags, then gitflow-common
	flow.Libraries = append(flow.Libraries, subcommands...)
	topgit := &corpus2Package{Name: "topgit", LibDir: execPath(t)}
	for _, f := range files("topgit") {
		switch {
		case f == "/usr/bin/tg", f == "/usr/share/topgit/hooks/pre-commit":
			topgit.Scripts = append(topgit.Scripts, f)
		case filepath.Dir(f) == "/usr/share/topgit" && strings.HasPrefix(filepath.Base(f), "tg-"):
			// tg sources /usr/share/topgit/tg-$cmd.
			topgit.Libraries = append(topgit.Libraries, f)
		}
	}
	pkgs := []*corpus2Package{extras, flow, topgit}
	for _, p := range pkgs {
		if len(p.Scripts) == 0 {
			t.Fatalf("%s: no scripts found by dpkg -L", p.Name)
		}
	}
	return pkgs
}

// corpus2KnownFailures are the second corpus's files that do not yet
// parse, translate, build or vet, as "PACKAGE/FILE: STAGE" with the
// reason. TestCorpus2TranslatesBuildsAndVets fails when an entry starts
// passing (remove it) as well as when a file not listed fails.
var corpus2KnownFailures = map[string]string{}

// corpus2Build is one package's translation, built.
type corpus2Build struct {
	Pkg *corpus2Package
	// Bin is the multi-call binary of the files that built.
	Bin string
	// Failed maps "PACKAGE/FILE: STAGE" to the error.
	Failed map[string]string
	// Files counts the package's files (scripts and libraries) and
	// Parsed, Translated, Built, Vetted those past each stage.
	Files, Parsed, Translated, Built, Vetted int
}

var (
	corpus2Once   sync.Once
	corpus2Builds []*corpus2Build
)

// corpus2Translated translates each package once per test binary into a
// module of its own, vets it and builds its multi-call binary. A file
// whose package fails go build or go vet is left out and the rest
// rebuilt, so one failure costs only that file.
func corpus2Translated(t *testing.T) []*corpus2Build {
	corpus2Once.Do(func() {
		for _, p := range corpus2Packages(t) {
			corpus2Builds = append(corpus2Builds, buildCorpus2Package(t, p))
		}
	})
	if corpus2Builds == nil {
		t.Fatal("the second corpus could not be built (see the first test's failure)")
	}
	return corpus2Builds
}

func buildCorpus2Package(t *testing.T, p *corpus2Package) *corpus2Build {
	b := &corpus2Build{Pkg: p, Failed: map[string]string{}}
	dir, err := os.MkdirTemp(sharedDir, p.Name+"-")
	if err != nil {
		t.Fatal(err)
	}
	module := "kiln.test/" + strings.ReplaceAll(p.Name, "-", "")
	writeModuleFiles(t, dir, module)
	key := func(file, stage string) string { return p.Name + "/" + filepath.Base(file) + ": " + stage }
	// KILN_CORPUS2_STAGE=idiomatic (make check-corpus2 STAGE=idiomatic)
	// builds the lowered stage instead of the raw one.
	proj := &translate.Project{ExecPath: p.LibDir, Module: module, Idiomatic: corpus2Stage() == "idiomatic"}
	// Libraries first, so the scripts' `.` of them resolves.
	type entry struct {
		file    string
		library bool
	}
	var entries []entry
	for _, f := range p.Libraries {
		entries = append(entries, entry{f, true})
	}
	for _, f := range p.Scripts {
		entries = append(entries, entry{f, false})
	}
	for _, e := range entries {
		b.Files++
		src, err := os.ReadFile(e.file)
		if err != nil {
			t.Fatal(err)
		}
		lang, ok, reason := shellparse.Classify(src)
		if !ok {
			b.Failed[key(e.file, "parse")] = reason
			continue
		}
		if _, err := shellparse.Parse(e.file, src, lang); err != nil {
			b.Failed[key(e.file, "parse")] = err.Error()
			continue
		}
		b.Parsed++
		if e.library {
			_, err = proj.AddLibrary(e.file, "")
		} else {
			_, err = proj.Add(e.file, "")
		}
		if err != nil {
			b.Failed[key(e.file, "translate")] = err.Error()
			continue
		}
		b.Translated++
	}
	if proj.Idiomatic {
		for _, o := range proj.Outputs {
			if n := o.Result.Report.Lowering.Noise; n != 0 {
				t.Errorf("%s: the idiomatic stage writes %d noise patterns", o.Script, n)
			}
		}
	}
	// Which file each Go package translates (libraries sourced by a
	// literal name count under their own file).
	owner := map[string]string{}
	outputs := map[string]*translate.Output{}
	for _, o := range proj.Outputs {
		owner[o.Package] = o.Script
		outputs[o.Package] = o
	}
	for _, stage := range []string{"build", "vet"} {
		for range 10 {
			writeCorpus2Module(t, dir, module, outputs)
			var cmd *exec.Cmd
			if stage == "build" {
				cmd = exec.Command("go", "build", "./...")
			} else {
				cmd = exec.Command("go", "vet", "./...")
			}
			cmd.Dir, cmd.Env = dir, append(os.Environ(), "GOFLAGS=-mod=mod")
			out, err := cmd.CombinedOutput()
			if err == nil {
				break
			}
			bad := failingPackages(string(out), module)
			dropped := false
			for _, pkg := range bad {
				if o, ok := outputs[pkg]; ok {
					b.Failed[key(o.Script, stage)] = firstLines(string(out), pkg, 3)
					delete(outputs, pkg)
					dropped = true
				}
			}
			if !dropped {
				t.Fatalf("%s: go %s fails outside the translated packages: %v\n%s", p.Name, stage, err, out)
			}
		}
		if stage == "build" {
			b.Built = countFiles(p, outputs)
		} else {
			b.Vetted = countFiles(p, outputs)
		}
	}
	writeCorpus2Module(t, dir, module, outputs)
	bin := filepath.Join(dir, "builtins")
	build := exec.Command("go", "build", "-o", bin, "./cmd/builtins")
	build.Dir, build.Env = dir, append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%s: go build of the vetted packages: %v\n%s", p.Name, err, out)
	}
	b.Bin = bin
	return b
}

// countFiles counts the package's own files among the outputs.
func countFiles(p *corpus2Package, outputs map[string]*translate.Output) int {
	own := map[string]bool{}
	for _, f := range append(append([]string{}, p.Scripts...), p.Libraries...) {
		own[f] = true
	}
	n := 0
	for _, o := range outputs {
		if own[o.Script] {
			n++
		}
	}
	return n
}

func writeModuleFiles(t *testing.T, dir, module string) {
	gomod := "module " + module + "\n\ngo 1.26.0\n\nrequire github.com/kiln-dev/kiln v0.0.0\n\nreplace github.com/kiln-dev/kiln => " + repoRoot(t) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(repoRoot(t), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeCorpus2Module writes the packages left in outputs and their
// multi-call main, removing the directories of packages dropped.
func writeCorpus2Module(t *testing.T, dir, module string, outputs map[string]*translate.Output) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != "cmd" && outputs[e.Name()] == nil {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	var list []*translate.Output
	for _, o := range outputs {
		list = append(list, o)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Package < list[j].Package })
	for _, o := range list {
		pkgDir := filepath.Join(dir, o.Package)
		if err := os.MkdirAll(pkgDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkgDir, o.Package+".go"), o.Result.Go, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	main, err := translate.MultiCall(module, list)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "cmd", "builtins"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cmd", "builtins", "main.go"), main, 0o644); err != nil {
		t.Fatal(err)
	}
}

// failingPackages reads the translated packages go build or go vet
// complains about: "# MODULE/PKG" headers and "PKG/PKG.go:LINE" positions.
func failingPackages(out, module string) []string {
	seen := map[string]bool{}
	var pkgs []string
	add := func(p string) {
		if p != "" && p != "cmd" && !seen[p] {
			seen[p] = true
			pkgs = append(pkgs, p)
		}
	}
	header := regexp.MustCompile(`(?m)^# ` + regexp.QuoteMeta(module) + `/([a-z0-9]+)`)
	for _, m := range header.FindAllStringSubmatch(out, -1) {
		add(m[1])
	}
	pos := regexp.MustCompile(`(?m)^(?:vet: )?(?:\./)?([a-z0-9]+)/[a-z0-9]+\.go:\d+`)
	for _, m := range pos.FindAllStringSubmatch(out, -1) {
		add(m[1])
	}
	return pkgs
}

// firstLines returns up to n lines of out that mention pkg.
func firstLines(out, pkg string, n int) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, pkg+"/") && len(lines) < n {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return strings.Join(lines, "; ")
}

// TestCorpus2TranslatesBuildsAndVets: every script and library of
// git-extras, git-flow and topgit parses, translates, and its translation
// builds and passes go vet, except the known failures, each with its
// reason.
func TestCorpus2TranslatesBuildsAndVets(t *testing.T) {
	builds := corpus2Translated(t)
	got := map[string]string{}
	for _, b := range builds {
		for k, v := range b.Failed {
			got[k] = v
		}
		t.Logf("%-10s %s stage: files %3d parsed %3d translated %3d built %3d vetted %3d", b.Pkg.Name, corpus2Stage(), b.Files, b.Parsed, b.Translated, b.Built, b.Vetted)
	}
	checkKnown(t, "corpus2KnownFailures", corpus2KnownFailures, got)
}

// checkKnown compares failures against a known-failure list: a failure
// not listed fails, and so does a listed one that passes now.
func checkKnown(t *testing.T, list string, known, got map[string]string) {
	t.Helper()
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := known[k]; !ok {
			t.Errorf("%s fails and is not in %s:\n%s", k, list, got[k])
		}
	}
	keys = keys[:0]
	for k := range known {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := got[k]; !ok {
			t.Errorf("%s passes now: remove it from %s (it said: %s)", k, list, known[k])
		}
	}
	if len(got) > 0 {
		t.Logf("%d known failures", len(got))
	}
}

// corpus2ParityKnownFailures are the second corpus's parity fixtures
// (PACKAGE/COMMAND/CASE) the raw translations do not pass yet, with the
// reason. TestCorpus2RawTranslationParity fails when a fixture not listed
// fails and when a listed one passes (remove it: the list only shrinks).
var corpus2ParityKnownFailures = map[string]string{}

// corpus2ParityFlaky are fixtures whose result with the raw translation
// depends on timing, with the reason: they are run and reported, but
// neither their failing nor their passing is checked.
var corpus2ParityFlaky = map[string]string{}

// corpus2FastFixtures are the fixtures `go test` runs by default: one or
// two per package. KILN_CORPUS2=full (make check-corpus2) runs them all.
var corpus2FastFixtures = map[string]bool{
	"git-extras/missing/two-branches": true,
	"git-extras/undo/soft":            true,
	"git-flow/flow/feature-start":     true,
	"git-flow/flow/help":              true,
}

// TestCorpus2RawTranslationParity runs the second corpus's parity fixtures
// (tests/fixtures/<package>/) with the raw translation as the new side:
// git-NAME in the exec path, or the program itself ahead on PATH for
// standalone: fixtures (tg). Without KILN_CORPUS2=full only
// corpus2FastFixtures run.
func TestCorpus2RawTranslationParity(t *testing.T) {
	full := os.Getenv("KILN_CORPUS2") == "full"
	builds := corpus2Translated(t)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	root := filepath.Join(repoRoot(t), "tests", "fixtures")
	got := map[string]string{}
	known := map[string]string{}
	for _, b := range builds {
		paths, err := parity.FindFixtures(root, []string{b.Pkg.Name})
		if err != nil {
			t.Fatal(err)
		}
		var fixtures []*parity.Fixture
		for _, p := range paths {
			id := corpus2FixtureID(root, p)
			if !full && !corpus2FastFixtures[id] {
				continue
			}
			f, err := parity.LoadFixture(p)
			if err != nil {
				t.Fatal(err)
			}
			fixtures = append(fixtures, f)
			if reason, ok := corpus2ParityKnownFailures[id]; ok {
				known[id] = reason
			}
		}
		r := &parity.Runner{New: parity.Side{Program: b.Bin}, Noise: parity.NoiseAuto, Jobs: runtime.NumCPU()}
		results, err := r.Run(context.Background(), fixtures)
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range results {
			id := corpus2FixtureID(root, res.File)
			if reason, ok := corpus2ParityFlaky[id]; ok {
				t.Logf("%s: %s (flaky: %s)", id, res.Status, reason)
				continue
			}
			if res.Status != parity.StatusPass {
				var sb strings.Builder
				_ = parity.WriteText(&sb, []*parity.Result{res}, parity.Summarize([]*parity.Result{res}))
				got[id] = sb.String()
			}
		}
		t.Logf("%-10s %s stage: %s", b.Pkg.Name, corpus2Stage(), parity.Summarize(results))
	}
	checkKnown(t, "corpus2ParityKnownFailures", known, got)
}

// corpus2FixtureID names a fixture file PACKAGE/COMMAND/CASE.
func corpus2FixtureID(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return strings.TrimSuffix(filepath.ToSlash(rel), ".txtar")
}

// corpus2Stage names the stage the second corpus is translated to:
// KILN_CORPUS2_STAGE=idiomatic (make check-corpus2 STAGE=idiomatic) gives
// the lowered stage of kiln translate --idiomatic, anything else the raw one.
func corpus2Stage() string {
	if os.Getenv("KILN_CORPUS2_STAGE") == "idiomatic" {
		return "idiomatic"
	}
	return "raw"
}
