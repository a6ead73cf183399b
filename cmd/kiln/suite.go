package main

import (
	"fmt"
	goio "io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/parity/suite"
)

// runSuite is kiln parity --suite: a TAP suite run with each side standing
// in for NAME, compared test by test.
func runSuite(opts *parityOptions, timeoutSet bool, args []string, io stdio) error {
	r, err := opts.suiteRunner(timeoutSet, args)
	if err != nil {
		return err
	}
	if isTerminal(io.err) {
		r.Progress = func(done, total int, f *suite.FileResult) {
			fmt.Fprintf(io.err, "\r\033[K[%d/%d] %s", done, total, f.Label())
		}
	}
	ctx, stop, interrupted := interruptContext()
	defer stop()
	results, runErr := r.Compare(ctx)
	if r.Progress != nil {
		fmt.Fprint(io.err, "\r\033[K")
	}
	if runErr != nil {
		if sig := interrupted(); sig != 0 {
			fmt.Fprintf(io.err, "kiln: parity: interrupted, sandboxes removed\n")
			return silentExit(128 + sig)
		}
		return &gitapi.ExitError{Code: exitUsage, Err: fmt.Errorf("parity: --suite: %w", runErr)}
	}
	if opts.junit != "" {
		if err := writeFile(opts.junit, func(w goio.Writer) error { return suite.WriteJUnit(w, r.Name, results) }); err != nil {
			return usageErrorf("parity: --junit: %v", err)
		}
	}
	if opts.json {
		if err := suite.WriteJSON(io.out, r, results); err != nil {
			return err
		}
	} else {
		shown := results
		if opts.failuresOnly {
			shown = nil
			for _, res := range results {
				if res.Error != "" || len(res.Differing) > 0 {
					shown = append(shown, res)
				}
			}
		}
		var b strings.Builder
		if err := suite.WriteText(&b, shown); err != nil {
			return err
		}
		text := b.String()
		if opts.failuresOnly {
			// The summary counts every file, not just those shown.
			text = text[:strings.LastIndex(strings.TrimSuffix(text, "\n"), "\n")+1] + suite.Summarize(results).String() + "\n"
		}
		fmt.Fprint(io.out, text)
	}
	if code := suite.Summarize(results).ExitCode(); code != exitOK {
		return silentExit(code)
	}
	return nil
}

// suiteRunner builds the suite.Runner the flags describe.
func (opts *parityOptions) suiteRunner(timeoutSet bool, args []string) (*suite.Runner, error) {
	switch {
	case opts.suite == "":
		return nil, usageErrorf("parity: --files needs --suite 'COMMAND LINE'")
	case len(args) != 1:
		return nil, usageErrorf("parity: --suite wants exactly one NAME (the command the suite tests), got %d", len(args))
	case opts.self && opts.new != "":
		return nil, usageErrorf("parity: --self and --new exclude each other")
	case opts.noise || opts.noNoise || opts.run != "":
		return nil, usageErrorf("parity: --noise, --no-noise and --run are for fixtures, not --suite")
	case opts.jobs < 1:
		return nil, usageErrorf("parity: -j wants a positive number, got %d", opts.jobs)
	case opts.timeout <= 0:
		return nil, usageErrorf("parity: --timeout wants a positive duration")
	}
	name := strings.TrimPrefix(args[0], "git-")
	if name == "" || strings.ContainsAny(name, "/ \t\n") {
		return nil, usageErrorf("parity: --suite: %q is not a command name", args[0])
	}
	r := &suite.Runner{Name: name, Command: opts.suite, Jobs: opts.jobs, Timeout: suite.DefaultTimeout}
	if timeoutSet {
		r.Timeout = opts.timeout
	}
	files, err := expandFiles(opts.files)
	if err != nil {
		return nil, err
	}
	r.Files = files
	r.Old, r.New, err = opts.sides(func() error {
		if _, ok := builtins[name]; !ok {
			return usageErrorf("parity: kiln has no builtin for %s yet; give the new side with --new CMD, or use --self", name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// expandFiles turns --files values (a directory: its regular files; else
// a glob) into a sorted list of files; a value that matches nothing is a
// usage error.
func expandFiles(patterns []string) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	for _, p := range patterns {
		var matches []string
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			entries, err := os.ReadDir(p)
			if err != nil {
				return nil, usageErrorf("parity: --files: %v", err)
			}
			for _, e := range entries {
				if e.Type().IsRegular() {
					matches = append(matches, filepath.Join(p, e.Name()))
				}
			}
		} else {
			var err error
			if matches, err = filepath.Glob(p); err != nil {
				return nil, usageErrorf("parity: --files %q: %v", p, err)
			}
		}
		if len(matches) == 0 {
			return nil, usageErrorf("parity: --files %q: no such file", p)
		}
		sort.Strings(matches)
		for _, m := range matches {
			if !seen[m] {
				seen[m] = true
				files = append(files, m)
			}
		}
	}
	return files, nil
}
