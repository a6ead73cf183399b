package main

import (
	"flag"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update-scripts", false, "rewrite cmp'd golden files in tests/testdata from actual output")

// TestMain lets the test binary act as the kiln command (and any builtin
// name) inside testscript scripts.
func TestMain(m *testing.M) {
	main := func() int {
		return run(os.Args, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	}
	cmds := map[string]func() int{"kiln": main}
	for name := range builtins {
		cmds["git-"+name] = main
	}
	os.Exit(testscript.RunMain(m, cmds))
}

// TestScripts runs the end-to-end scripts in tests/testdata against real git.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../tests/testdata",
		UpdateScripts:       *updateScripts,
		RequireExplicitExec: false,
		RequireUniqueNames:  true,
		Setup: func(e *testscript.Env) error {
			// Real git runs in these scripts: keep it away from any
			// user or system configuration.
			e.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			e.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
			e.Setenv("LC_ALL", "C")
			e.Setenv("TZ", "UTC")
			return nil
		},
	})
}
