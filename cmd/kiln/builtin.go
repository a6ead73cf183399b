package main

import (
	"sort"
	"strings"

	"github.com/kiln-dev/kiln/builtins/filterbranch"
	"github.com/kiln-dev/kiln/builtins/quiltimport"
	"github.com/spf13/cobra"
)

func init() {
	builtins["filter-branch"] = func(args []string, io stdio) int {
		return filterbranch.Main(args, io.in, io.out, io.err)
	}
	builtins["quiltimport"] = func(args []string, io stdio) int {
		return quiltimport.Main(args, io.in, io.out, io.err)
	}
}

// builtinNames lists the finished builtins, sorted.
func builtinNames() []string {
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// newBuiltinCmd is `kiln builtin NAME [ARGS...]`: a finished builtin, as
// if run as git-NAME (which is also how the kiln binary runs it when
// linked under that name).
func newBuiltinCmd(io stdio) *cobra.Command {
	return &cobra.Command{
		Use:   "builtin NAME [ARGS...]",
		Short: "Run a finished Go builtin (" + strings.Join(builtinNames(), ", ") + ")",
		Long: `Builtin runs one of kiln's finished Go ports of git's shell porcelain,
exactly as git-NAME would run: same arguments, output and exit status.
The kiln binary linked (or copied) as git-NAME runs it too.

Finished: ` + strings.Join(builtinNames(), ", ") + `.`,
		// The builtin's own options are not cobra's.
		DisableFlagParsing: true,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
				return usageErrorf("usage: kiln builtin NAME [ARGS...] (NAME one of: %s)", strings.Join(builtinNames(), ", "))
			}
			run, ok := builtins[strings.TrimPrefix(args[0], "git-")]
			if !ok {
				return usageErrorf("no builtin %q (finished: %s)", args[0], strings.Join(builtinNames(), ", "))
			}
			if code := run(args[1:], io); code != 0 {
				return silentExit(code)
			}
			return nil
		},
	}
}
