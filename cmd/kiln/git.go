package main

import (
	"strings"

	"github.com/kiln-dev/kiln/gitapi/gitcmd"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/spf13/cobra"
)

// newGitCmd is `kiln git <subcommand> [args]`: git's plumbing run
// in-process by gitapi, byte for byte like the installed git (stdout,
// stderr, exit status) for the subcommands it implements.
func newGitCmd(io stdio) *cobra.Command {
	return &cobra.Command{
		Use:   "git [-C <dir>] [-c <name>=<value>] <subcommand> [<args>]",
		Short: "Run a git subcommand in-process (" + strings.Join(gitcmd.Commands(), ", ") + ")",
		Long: `kiln git runs a git subcommand with gitapi, kiln's in-process git, and
behaves like the installed git: same stdout, stderr and exit status.

Implemented: ` + strings.Join(gitcmd.Commands(), ", ") + `.`,
		// git's own arguments are not cobra flags.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			// With flag parsing off, cobra leaves --help to us: the
			// same full help as kiln help git, exit 0.
			if len(args) == 1 && (args[0] == "--help" || args[0] == "-h") {
				return cmd.Help()
			}
			code := gitcmd.Run(args, gitapi.Options{}, gitcmd.Stdio{In: io.in, Out: io.out, Err: io.err})
			if code != 0 {
				return silentExit(code)
			}
			return nil
		},
	}
}
