package parity

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Side is one implementation of the command under test. The zero Side is
// the installed script, run as git runs it.
type Side struct {
	// Command, when set, replaces the command under test: for an args:
	// fixture it runs instead of "git <name>", with the fixture's
	// arguments appended; for a run: fixture a wrapper script that execs
	// it becomes git-<name> in the exec-path overlay.
	Command []string
	// Program, when set, is an executable installed as git-<name> in the
	// exec-path overlay (a symbolic link, so a multi-call binary such as
	// kiln sees the name in argv[0]); "git <name>" then runs it.
	Program string
	// ExecPath, when set, replaces the installed git's exec path for this
	// side: it always runs through an overlay built from ExecPath (kiln
	// cover's instrumented copy of the exec path).
	ExecPath string
}

// same reports whether two sides run the same command.
func (s Side) same(o Side) bool {
	return slices.Equal(s.Command, o.Command) && s.Program == o.Program && s.ExecPath == o.ExecPath
}

// String describes the side for reports.
func (s Side) String() string {
	switch {
	case len(s.Command) > 0:
		return QuoteWords(s.Command)
	case s.Program != "":
		return s.Program + " (as git-<name>)"
	case s.ExecPath != "":
		return "script from " + s.ExecPath
	default:
		return "installed script"
	}
}

// invocation is how a side runs one fixture: the argv and whether it needs
// the exec-path overlay.
func (s Side) invocation(f *Fixture) (argv []string, overlay bool) {
	if f.Run != "" {
		return []string{"/bin/sh", "-c", f.Run}, !f.Standalone
	}
	if f.Standalone {
		if len(s.Command) > 0 {
			return append(append([]string{}, s.Command...), f.Args...), false
		}
		return append([]string{f.Name}, f.Args...), false
	}
	if len(s.Command) > 0 {
		return append(append([]string{}, s.Command...), f.Args...), false
	}
	argv = append([]string{"git", f.Name}, f.Args...)
	return argv, s.Program != "" || s.ExecPath != ""
}

// standaloneDir is where a side of a standalone: fixture stands as the
// program NAME, ahead of the rest of PATH: a link to Program, or a
// wrapper script running Command. The zero side needs none.
const standaloneDir = "exec/standalone"

// buildStandalone puts the side in dir as the program name; it reports
// false for the zero side, which runs the installed program.
func (s Side) buildStandalone(dir, name string) (bool, error) {
	if s.Program == "" && len(s.Command) == 0 {
		return false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, err
	}
	target := filepath.Join(dir, name)
	if s.Program != "" {
		return true, replaceLink(s.Program, target)
	}
	script := fmt.Sprintf("#!/bin/sh\nexec %s \"$@\"\n", QuoteWords(s.Command))
	return true, os.WriteFile(target, []byte(script), 0o755)
}

// buildOverlay fills dir with the installed git's exec-path entries as
// symbolic links, with git-<name> replaced by the side. Run with
// GIT_EXEC_PATH=dir, git then finds the side wherever it would have found
// the installed command (git merge -s resolve, git merge-index, ...).
func (s Side) buildOverlay(dir, execPath, name string) error {
	programs := map[string]string{}
	if s.Program != "" {
		programs[name] = s.Program
	}
	if err := WriteOverlay(dir, execPath, programs); err != nil {
		return err
	}
	if len(s.Command) == 0 {
		return nil
	}
	// A command line becomes a wrapper script in git-<name>'s place.
	target := filepath.Join(dir, "git-"+name)
	if err := os.Remove(target); err != nil && !os.IsNotExist(err) {
		return err
	}
	script := fmt.Sprintf("#!/bin/sh\nexec %s \"$@\"\n", QuoteWords(s.Command))
	return os.WriteFile(target, []byte(script), 0o755)
}
