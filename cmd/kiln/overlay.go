package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/parity"
	"github.com/spf13/cobra"
)

// overlayOptions are the flags of `kiln install-overlay`.
type overlayOptions struct {
	execPath string
}

func newInstallOverlayCmd(io stdio) *cobra.Command {
	opts := &overlayOptions{}
	cmd := &cobra.Command{
		Use:   "install-overlay DIR",
		Short: "Write an exec dir where git runs kiln's finished builtins",
		Long: `Install-overlay fills DIR with links to every command of the installed git's
exec path, except that each finished builtin (` + strings.Join(builtinNames(), ", ") + `)
links to this kiln binary. Then

    GIT_EXEC_PATH=DIR git quiltimport ...

runs kiln's builtin where git would have run its script. Running it again
updates DIR.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return installOverlay(opts, args[0], io)
		},
	}
	cmd.Flags().StringVar(&opts.execPath, "exec-path", "", "the installed git's exec path (default: git --exec-path)")
	return cmd
}

func installOverlay(opts *overlayOptions, dir string, io stdio) error {
	execPath, err := execPathFlag(opts.execPath)
	if err != nil {
		return err
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if same(dir, execPath) {
		return usageErrorf("%s is git's own exec path: give another directory", dir)
	}
	kiln, err := os.Executable()
	if err != nil {
		return err
	}
	programs := map[string]string{}
	for _, name := range builtinNames() {
		programs[name] = kiln
	}
	if err := parity.WriteOverlay(dir, execPath, programs); err != nil {
		return &gitapi.ExitError{Code: exitFailure, Err: err}
	}
	fmt.Fprintf(io.out, "%s: git's commands from %s, with kiln for %s\nuse: GIT_EXEC_PATH=%s git <command>\n",
		dir, execPath, strings.Join(builtinNames(), ", "), dir)
	return nil
}

// same reports whether two paths name the same directory.
func same(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ia, ib)
}
