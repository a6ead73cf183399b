package translate_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/translate"
)

// idiomaticScripts are the scripts whose idiomatic translations must
// pass all the parity fixtures their raw translations pass: all 13.
var idiomaticScripts = []string{"merge-octopus", "merge-resolve", "merge-one-file", "quiltimport", "request-pull",
	"web--browse", "bisect", "difftool--helper", "filter-branch", "submodule", "subtree", "instaweb", "mergetool"}

// TestIdiomaticParity translates the corpus with --idiomatic's lowering
// (the module vets and builds) and runs the raw stage's parity fixtures
// of these scripts against it.
func TestIdiomaticParity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the idiomatic corpus and runs parity fixtures")
	}
	bin, _ := builtIdiomatic.get(t, true)
	runParity(t, bin, idiomaticParityScripts())
}

// idiomaticParityScripts are the scripts TestIdiomaticParity runs the
// fixtures of. The module always holds all thirteen (it must vet and
// build); make test runs the fixtures of the first eight, whose raw
// stage the same run also checks, and KILN_IDIOMATIC=full (make
// check-idiomatic) adds filter-branch, submodule, subtree, instaweb and
// mergetool, which would take make test past its time budget.
func idiomaticParityScripts() []string {
	if os.Getenv("KILN_IDIOMATIC") == "full" {
		return idiomaticScripts
	}
	return idiomaticScripts[:8]
}

// TestIdiomaticLowering checks what the lowering claims of the scripts
// it covers: no noise pattern is left in their Go (counted on the text
// too, not only by the generator), variables are lowered, and every
// lowered variable is written as a Go variable: its name never reaches
// the State.
func TestIdiomaticLowering(t *testing.T) {
	proj := &translate.Project{ExecPath: execPath(t), Module: "kiln.test/translated", Idiomatic: true}
	raw := &translate.Project{ExecPath: execPath(t), Module: "kiln.test/translated"}
	noise := regexp.MustCompile(`s\.SetStatus\(s\.Status\)|s\.(Exit|Return)\(.*\)\n\s*if s\.Unwinding\(\)|s\.SetStatus\(0\)\n\s*s\.SetStatus\(0\)\n`)
	for _, name := range idiomaticScripts {
		path := filepath.Join(execPath(t), "git-"+name)
		out, err := proj.Add(path, "")
		if err != nil {
			t.Fatal(err)
		}
		rawOut, err := raw.Add(path, "")
		if err != nil {
			t.Fatal(err)
		}
		src := string(out.Result.Go)
		l := out.Result.Report.Lowering
		rl := rawOut.Result.Report.Lowering
		if l.Noise != 0 {
			t.Errorf("%s: %d noise patterns in the idiomatic stage, want 0", name, l.Noise)
		}
		if m := noise.FindAllString(src, -1); len(m) > 0 {
			t.Errorf("%s: noise in the idiomatic Go: %q", name, m)
		}
		if strings.Contains(src, "DO NOT EDIT") {
			t.Errorf("%s: the idiomatic stage is marked generated", name)
		}
		for _, v := range l.Lowered {
			if strings.Contains(src, `s.Get("`+v+`")`) ||
				strings.Contains(src, `s.Set("`+v+`"`) {
				t.Errorf("%s: %s is lowered but still reached by name in the State", name, v)
			}
		}
		t.Logf("%-16s raw: %4d Go lines (%.2f/line), %3d refs kept, noise %3d | idiomatic: %4d Go lines (%.2f/line), refs %3d lowered (%3.0f%%) %3d kept, git typed %d face %d fallback %d, noise %d; lowered %v",
			name, rl.GoLines, rl.GoPerScriptLine(), rl.VarRefsKept, rl.Noise, l.GoLines, l.GoPerScriptLine(),
			l.VarRefsLowered, l.LoweredPercent(), l.VarRefsKept, l.GitTyped, l.GitFace, l.GitFallback, l.Noise, l.Lowered)
		for v, why := range l.Kept {
			t.Logf("  %s keeps %s: %s", name, v, why)
		}
	}
	if os.Getenv("KILN_SHOW_IDIOMATIC") != "" {
		for _, o := range proj.Outputs {
			t.Logf("%s\n%s", o.Script, o.Result.Go)
		}
	}
}

// TestCorpus2IdiomaticParity: --idiomatic works on scripts kiln was not
// built on: three git-extras programs (bash scripts), translated with the
// lowering, pass their parity fixtures.
func TestCorpus2IdiomaticParity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module and runs parity fixtures")
	}
	names := []string{"count", "alias", "authors"}
	var scripts, fixtures []string
	for _, n := range names {
		scripts = append(scripts, filepath.Join("/usr/bin", "git-"+n))
		fixtures = append(fixtures, filepath.Join("git-extras", n))
	}
	for _, s := range scripts {
		if _, err := os.Stat(s); err != nil {
			t.Fatalf("%v (the git-extras Debian package is needed: .ci/run installs it)", err)
		}
	}
	dir, proj := translatedModuleStage(t, scripts, true)
	for _, o := range proj.Outputs {
		if o.Result.Report.Lowering.Noise != 0 {
			t.Errorf("%s: %d noise patterns", o.Script, o.Result.Report.Lowering.Noise)
		}
	}
	goCmd(t, dir, "vet", "./...")
	bin := filepath.Join(dir, "builtins")
	goCmd(t, dir, "build", "-o", bin, "./cmd/builtins")
	runParity(t, bin, fixtures)
}
