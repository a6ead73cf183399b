package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/shellparse"
	"github.com/kiln-dev/kiln/shellrun"
	"github.com/spf13/cobra"
)

// runOptions are the flags of `kiln run`.
type runOptions struct {
	stats    bool
	execPath string
}

func newRunCmd(io stdio) *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run [flags] SCRIPT|NAME [ARGS...]",
		Short: "Run a shell script with its git calls served in-process",
		Long: `Run interprets a shell script in-process (mvdan.cc/sh/v3's interpreter) and
serves each git call it makes with gitapi, falling back to the installed
git, counted, for what gitapi does not implement yet. Libraries such as
git-sh-setup are found through git's exec path, as git runs its scripts.

A NAME such as quiltimport means git-quiltimport in the exec path. Flags go
before the script; everything after it is the script's arguments. The exit
status is the script's.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScript(cmd.Context(), opts, args, io)
		},
	}
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().BoolVar(&opts.stats, "stats", false, "print to stderr how many git calls ran in-process, fell back, how many tools (sed, expr, ...) ran in-process, and what else was spawned")
	cmd.Flags().StringVar(&opts.execPath, "exec-path", "", "git's exec path (default: git --exec-path)")
	return cmd
}

func runScript(ctx context.Context, opts *runOptions, args []string, io stdio) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	execPath, err := execPathFlag(opts.execPath)
	if err != nil {
		return err
	}
	path, err := scriptPath(execPath, args[0])
	if err != nil {
		return usageErrorf("%v", err)
	}
	src, err := shellparse.ReadScript(path)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if shellparse.NotScript(src) {
		_, _, reason := shellparse.Classify(src)
		return usageErrorf("%s: %s", path, reason)
	}
	// The interpreter implements bash, a superset of what git's POSIX
	// scripts use (its POSIX mode rejects local and export forms). A
	// script whose shebang says bash gets bash's builtins and variables.
	lang, _, _ := shellparse.Classify(src)
	file, err := shellparse.Parse(path, src, shellparse.LangBash)
	if err != nil {
		return &gitapi.ExitError{Code: exitUsage, Err: err}
	}
	status, stats, err := shellrun.Run(ctx, file, args[1:], shellrun.Options{
		ExecPath: execPath, Stdin: io.in, Stdout: io.out, Stderr: io.err, Bash: lang == shellparse.LangBash,
	})
	if opts.stats {
		fmt.Fprintf(io.err, "kiln run: git calls: %d in-process, %d fell back to git; tools in-process: %d; other processes: %d\n",
			stats.InProcess.Load(), stats.Fallback.Load(), stats.Tools.Load(), stats.Spawned.Load())
	}
	if err != nil {
		return &gitapi.ExitError{Code: exitUsage, Err: err}
	}
	if status != 0 {
		return silentExit(status)
	}
	return nil
}
