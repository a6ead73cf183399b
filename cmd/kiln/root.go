package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/spf13/cobra"
)

// Exit codes shared by every subcommand.
const (
	exitOK      = 0 // success, nothing to report
	exitFailure = 1 // findings or a failed check (parity mismatch, ...)
	exitUsage   = 2 // bad usage or bad input (unparsable script, unreadable file)
)

// stdio is the set of streams a command runs with; tests pass buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// usageErrorf returns an error that makes kiln exit with exitUsage.
func usageErrorf(format string, args ...any) error {
	return &gitapi.ExitError{Code: exitUsage, Err: fmt.Errorf(format, args...)}
}

// silentExit makes kiln exit with code without printing anything more: the
// command has already reported what went wrong.
func silentExit(code int) error { return &gitapi.ExitError{Code: code} }

// builtinMain is the entry point of a finished builtin: it gets the
// arguments after the command name and returns the exit code.
type builtinMain func(args []string, io stdio) int

// builtins maps a finished builtin's name (without "git-") to its entry point.
var builtins = map[string]builtinMain{}

// run is main without os.Exit, so tests can call it.
func run(argv []string, io stdio) int {
	if name, ok := builtinName(argv[0]); ok {
		return builtins[name](argv[1:], io)
	}
	root := newRootCmd(io)
	root.SetArgs(argv[1:])
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *gitapi.ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(io.err, "kiln: %v\n", ee.Err)
		}
		return ee.Code
	}
	// Anything else from cobra is a usage problem: unknown command or
	// flag, wrong number of arguments.
	fmt.Fprintf(io.err, "kiln: %v\nRun 'kiln --help' for usage.\n", err)
	return exitUsage
}

// builtinName reports which builtin argv0 names, if any: the binary linked
// as git-quiltimport runs the quiltimport builtin.
func builtinName(argv0 string) (string, bool) {
	base := strings.TrimSuffix(filepath.Base(argv0), ".exe")
	name, ok := strings.CutPrefix(base, "git-")
	if !ok {
		return "", false
	}
	_, ok = builtins[name]
	return name, ok
}

func newRootCmd(io stdio) *cobra.Command {
	root := &cobra.Command{
		Use:   "kiln",
		Short: "Port shell porcelain to fast Go builtins, and prove each port right",
		Long: `kiln audits legacy shell porcelain (kiln scan), runs it in-process (kiln run),
translates it to Go (kiln translate), proves a port against the original
script on the same fixtures (kiln parity), and measures what the fixtures
cover (kiln cover) and what each side costs (kiln bench).

Exit status: 0 success, 1 findings or failure, 2 usage or input error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       kilnVersion(),
	}
	// kiln --version prints what kiln version prints.
	root.SetVersionTemplate("kiln {{.Version}}\n")
	root.SetIn(io.in)
	root.SetOut(io.out)
	root.SetErr(io.err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("%s", flagMessage(err))
	})
	root.AddCommand(
		newVersionCmd(io),
		newGitCmd(io),
		newScanCmd(io),
		newRunCmd(io),
		newBuiltinCmd(io),
		newCoverCmd(io),
		newBenchCmd(io),
		newInstallOverlayCmd(io),
		newParityCmd(io),
		newTranslateCmd(io),
	)
	return root
}

// flagMessage is a flag error in words, without the Go parser's own
// text (`strconv.ParseInt: parsing "abc": invalid syntax`, `time: invalid
// duration "x"`) that the flag package appends to its message.
func flagMessage(err error) string {
	msg := err.Error()
	var num *strconv.NumError
	if errors.As(err, &num) {
		head := strings.TrimSuffix(msg, num.Error())
		switch {
		case num.Func == "ParseBool":
			return head + "want true or false"
		case errors.Is(num.Err, strconv.ErrRange):
			return head + "number out of range"
		case strings.HasPrefix(num.Func, "ParseFloat"):
			return head + "not a number"
		}
		return head + "not a whole number"
	}
	if i := strings.Index(msg, " flag: time: "); i >= 0 {
		return msg[:i+len(" flag: ")] + "not a duration (such as 90s, 2m or 1h)"
	}
	return msg
}
