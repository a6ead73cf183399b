package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update-scripts", false, "rewrite cmp'd golden files in tests/testdata from actual output")

// TestMain lets the test binary act as the kiln command (and any builtin
// name) inside testscript scripts.
func TestMain(m *testing.M) {
	main := func() {
		os.Exit(run(os.Args, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
	}
	cmds := map[string]func(){"kiln": main}
	for name := range builtins {
		cmds["git-"+name] = main
	}
	testscript.Main(m, cmds)
}

// TestScripts runs the end-to-end scripts in tests/testdata against real git.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../tests/testdata",
		UpdateScripts:       *updateScripts,
		RequireExplicitExec: false,
		RequireUniqueNames:  true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"cmpwork":     cmpWork,
			"sarif-valid": sarifValid,
		},
		Setup: func(e *testscript.Env) error {
			// Real git runs in these scripts: keep it away from any
			// user or system configuration.
			e.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			e.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
			e.Setenv("LC_ALL", "C")
			e.Setenv("TZ", "UTC")
			root, err := filepath.Abs("../..")
			if err != nil {
				return err
			}
			e.Setenv("KILN_ROOT", root)
			// Scripts that build Go (kiln cover --go-binary) use this
			// process's build and module caches.
			for _, kv := range goEnv() {
				name, value, _ := strings.Cut(kv, "=")
				e.Setenv(name, value)
			}
			e.Setenv("GOFLAGS", "-mod=mod")
			e.Setenv("GOPROXY", "off")
			return nil
		},
	})
}

// cmpWork compares a file (or stdout/stderr) with an expected file in
// which the literal text $WORK stands for the script's work directory;
// unlike cmpenv, nothing else is expanded, so $NAME in JSON stays as is.
func cmpWork(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpwork stdout|stderr|file expected")
	}
	got := ts.ReadFile(args[0]) // ReadFile knows stdout and stderr
	want := strings.ReplaceAll(ts.ReadFile(args[1]), "$WORK", ts.Getenv("WORK"))
	if got != want {
		ts.Logf("diff %s %s (-want +got):\n%s", args[0], args[1], cmp.Diff(want, got))
		ts.Fatalf("%s and %s differ", args[0], args[1])
	}
}

// goEnv is the go command's cache locations, asked once.
var goEnv = sync.OnceValue(func() []string {
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		return nil
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		return nil
	}
	return []string{"GOCACHE=" + lines[0], "GOMODCACHE=" + lines[1], "GOPATH=" + lines[2]}
})
