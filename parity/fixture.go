package parity

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// DefaultTimeout is the per-command timeout when a fixture sets none.
const DefaultTimeout = 60 * time.Second

// Fixture is one parity case: a txtar file under tests/fixtures/<name>/.
type Fixture struct {
	// Path is the fixture file as given to LoadFixture.
	Path string
	// Name is the command under test without "git-": the name of the
	// directory holding the fixture.
	Name string
	// Case is the file name without ".txtar".
	Case string
	// Description holds the "#" lines of the comment, without the "#".
	Description []string
	// Args are the arguments of an args: fixture; nil for a run: fixture.
	Args []string
	// Run is the shell line of a run: fixture; empty for an args: fixture.
	Run string
	// Env is the extra environment of the command under test, NAME=VALUE
	// with $SANDBOX and $PATH not yet expanded.
	Env []string
	// Exit is the exit code the old side must give, if HasExit.
	Exit    int
	HasExit bool
	// Normalize rules are applied, in order, to every compared text.
	Normalize []NormalizeRule
	// Accept is the fixture's divergence ledger.
	Accept []Accept
	// Noise forces the old side to run twice.
	Noise bool
	// Standalone says the command under test is the program Name on PATH
	// (topgit's tg), run as "Name ARGS", not a git command.
	Standalone bool
	// Timeout limits each command (setup and each side); zero means the
	// runner's default.
	Timeout time.Duration
	// Setup is the setup script.
	Setup string
	// Stdin is fed to the command under test, if HasStdin.
	Stdin    []byte
	HasStdin bool
	// Files are the other sections: written to the work dir before setup.
	Files []txtar.File
}

// ID names the fixture in reports: "<name>/<case>".
func (f *Fixture) ID() string { return f.Name + "/" + f.Case }

// NormalizeRule is one "normalize: REGEXP => REPLACEMENT" directive.
type NormalizeRule struct {
	Pattern     *regexp.Regexp
	Replacement string
}

// Accept is one "accept: FIELD REASON" directive: a documented, accepted
// divergence. FIELD may contain * wildcards that match any text.
type Accept struct {
	Field  string
	Reason string
}

// matches reports whether field is covered by the accepted divergence.
func (a Accept) matches(field string) bool {
	pattern := "^" + strings.ReplaceAll(regexp.QuoteMeta(a.Field), `\*`, ".*") + "$"
	ok, _ := regexp.MatchString(pattern, field)
	return ok
}

// LoadFixture reads and parses a fixture file.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := ParseFixture(path, data)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ParseFixture parses the txtar text of a fixture; path names the file in
// errors and gives the fixture its name and case.
func ParseFixture(path string, data []byte) (*Fixture, error) {
	ar := txtar.Parse(data)
	f := &Fixture{
		Path: path,
		Name: filepath.Base(filepath.Dir(path)),
		Case: strings.TrimSuffix(filepath.Base(path), ".txtar"),
	}
	if err := f.parseComment(ar.Comment); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := f.takeSections(ar.Files); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return f, nil
}

// parseComment reads the directives; errors start with the line number.
func (f *Fixture) parseComment(comment []byte) error {
	hasArgs, hasRun := false, false
	for i, line := range strings.Split(string(comment), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			f.Description = append(f.Description, strings.TrimSpace(line[1:]))
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("line %d: not a directive (want key: value or # comment): %q", i+1, line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if err := f.directive(key, value, &hasArgs, &hasRun); err != nil {
			return fmt.Errorf("line %d: %s: %v", i+1, key, err)
		}
	}
	if hasArgs == hasRun {
		return fmt.Errorf("need exactly one of the directives args and run")
	}
	return nil
}

func (f *Fixture) directive(key, value string, hasArgs, hasRun *bool) error {
	switch key {
	case "args":
		if *hasArgs {
			return fmt.Errorf("repeated")
		}
		words, err := SplitWords(value)
		if err != nil {
			return err
		}
		f.Args, *hasArgs = append([]string{}, words...), true
	case "run":
		if *hasRun || value == "" {
			return fmt.Errorf("repeated or empty")
		}
		f.Run, *hasRun = value, true
	case "env":
		name, _, ok := strings.Cut(value, "=")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return fmt.Errorf("want NAME=VALUE, got %q", value)
		}
		f.Env = append(f.Env, value)
	case "exit":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 255 {
			return fmt.Errorf("want a number 0-255, got %q", value)
		}
		f.Exit, f.HasExit = n, true
	case "normalize":
		return f.addNormalize(value)
	case "accept":
		field, reason, _ := strings.Cut(value, " ")
		if field == "" || strings.TrimSpace(reason) == "" {
			return fmt.Errorf("want FIELD REASON, got %q", value)
		}
		f.Accept = append(f.Accept, Accept{Field: field, Reason: strings.TrimSpace(reason)})
	case "noise":
		if value != "on" && value != "off" {
			return fmt.Errorf("want on or off, got %q", value)
		}
		f.Noise = value == "on"
	case "standalone":
		if value != "on" && value != "off" {
			return fmt.Errorf("want on or off, got %q", value)
		}
		f.Standalone = value == "on"
	case "timeout":
		d, err := time.ParseDuration(value)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 30s, got %q", value)
		}
		f.Timeout = d
	default:
		return fmt.Errorf("unknown directive")
	}
	return nil
}

func (f *Fixture) addNormalize(value string) error {
	pattern, replacement, ok := strings.Cut(value, " => ")
	if !ok {
		return fmt.Errorf("want REGEXP => REPLACEMENT, got %q", value)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return err
	}
	f.Normalize = append(f.Normalize, NormalizeRule{Pattern: re, Replacement: replacement})
	return nil
}

// takeSections sorts the archive's files into setup, stdin and work files.
func (f *Fixture) takeSections(files []txtar.File) error {
	hasSetup := false
	seen := map[string]bool{}
	for _, file := range files {
		name := filepath.ToSlash(filepath.Clean(file.Name))
		if seen[name] {
			return fmt.Errorf("section %q appears twice", file.Name)
		}
		seen[name] = true
		switch name {
		case "setup":
			f.Setup, hasSetup = string(file.Data), true
		case "stdin":
			f.Stdin, f.HasStdin = bytes.Clone(file.Data), true
		default:
			if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
				return fmt.Errorf("section %q leaves the work dir", file.Name)
			}
			f.Files = append(f.Files, txtar.File{Name: name, Data: file.Data})
		}
	}
	if !hasSetup {
		return fmt.Errorf("missing the -- setup -- section")
	}
	return nil
}

// BrokenFixture is the result of a fixture file that could not be loaded:
// a fixture error, reported like any other result.
func BrokenFixture(path string, err error) *Result {
	f := &Fixture{Path: path, Name: filepath.Base(filepath.Dir(path)), Case: strings.TrimSuffix(filepath.Base(path), ".txtar")}
	return (&Result{Fixture: f.ID(), File: path}).fail(err)
}
