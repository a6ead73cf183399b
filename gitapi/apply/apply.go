package apply

import (
	"errors"
	"fmt"
	"strings"
)

// Source reads the files a patch applies to: the work tree, the index, or
// anything else. Paths are slash-separated and relative to the tree root.
type Source interface {
	// Stat returns the git mode of path (ModeRegular, ModeExecutable,
	// ModeSymlink, ModeGitlink, or ModeDir for a directory) and ok=false
	// when nothing exists at path.
	Stat(path string) (mode uint32, ok bool, err error)
	// ReadFile returns the content of a file (a symlink's target).
	ReadFile(path string) ([]byte, error)
}

// BlobSource is optionally implemented by a Source backed by a repository:
// git takes a binary postimage from the object store when it has it.
type BlobSource interface {
	// ReadBlob returns the blob with the full hex id, and whether it exists.
	ReadBlob(id string) ([]byte, bool)
}

// ModeDir is what Source.Stat returns for a directory.
const ModeDir = modeDir

// Location says which of git's trees the Source stands for; it only
// changes the wording of git's messages.
type Location int

const (
	// WorkTree is plain "git apply".
	WorkTree Location = iota
	// Index is "git apply --cached": the Source is the index.
	Index
	// IndexAndWorkTree is "git apply --index": the Source is the index and
	// must also implement WorkTreeSource. Write the Result to both.
	IndexAndWorkTree
)

// WorkTreeSource is what "git apply --index" needs to know about the work
// tree beside an index-backed Source.
type WorkTreeSource interface {
	// WorkTreeStat returns the git mode of path in the work tree (ModeDir
	// for a directory) and ok=false when nothing is there.
	WorkTreeStat(path string) (mode uint32, ok bool, err error)
	// MatchesIndex reports whether the work tree file at path is clean
	// with respect to its index entry.
	MatchesIndex(path string) (bool, error)
}

// Options are git apply's options that this package implements. The zero
// value is plain "git apply".
type Options struct {
	// StripComponents is -pN, used when StripGiven. Otherwise git's
	// default applies: 1, or 0 when a traditional diff's names have no
	// slash (git's guess).
	StripComponents int
	StripGiven      bool
	// Directory is --directory=<root>.
	Directory string
	// MinContext is -C N, used when MinContextGiven. Otherwise hunks keep
	// all their context (git's default).
	MinContext      int
	MinContextGiven bool
	// AllowEmpty is --allow-empty: input without patches is not an error.
	AllowEmpty bool
	// UnidiffZero is --unidiff-zero.
	UnidiffZero bool
	// NoAdd is --no-add: the lines a hunk adds are dropped, the lines it
	// removes still removed.
	NoAdd bool
	// WhitespaceErrorsBefore and MoreInputs chain the inputs of one git
	// apply with several patch files: git counts whitespace errors (and
	// squelches their messages) over all of them, and sums them up only
	// after the last. Pass the previous Result.WhitespaceErrors and set
	// MoreInputs for every input but the last.
	WhitespaceErrorsBefore int
	MoreInputs             bool
	// LinesBefore continues git's patch line numbers (in messages) after
	// the earlier inputs: the previous Result.LinesRead.
	LinesBefore int
	// Report asks for --stat, --numstat or --summary instead of applying
	// (without --apply or --check): the patch is parsed, not checked,
	// and the reports are in Result.Stdout.
	Report Report
	// Verbose is -v: "Checking patch", hunk offsets, "Applied patch".
	Verbose bool
	// Check is --check: compute without writing; also silences
	// whitespace warnings unless Whitespace.Action is set.
	Check bool
	// Location selects the message wording (work tree or index).
	Location Location
	// Whitespace holds core.whitespace and apply.whitespace.
	Whitespace Whitespace
	// InputName labels whitespace warnings: the patch file name as given
	// on the command line, or "" for "<stdin>".
	InputName string
	// Prefix is the subdirectory git apply runs in ("dir/", or "" at the
	// top): it is prepended to the names of non-git diffs, and files
	// outside it are skipped, as git does.
	Prefix string
	// Use, when set, decides from a file's name (the new one, else the
	// old) whether its patch is applied (git's --include/--exclude);
	// patches it refuses are skipped.
	Use func(path string) bool
}

// Change is the outcome for one file of the patch.
type Change struct {
	// OldName is the path read (empty for a creation); NewName the path
	// written (empty for a deletion). They differ for renames and copies.
	OldName, NewName string
	// OldMode and NewMode are git modes; 0 for an absent side.
	OldMode, NewMode uint32
	// IsNew, IsDelete, IsRename and IsCopy say what happens to the paths.
	IsNew, IsDelete, IsRename, IsCopy bool
	// Content is the postimage (nil for a deletion).
	Content []byte
}

// Result is what applying a patch would do, and what git prints.
type Result struct {
	// Changes lists the files in patch order; empty when applying failed.
	Changes []Change
	// Stderr is git apply's standard error, byte for byte.
	Stderr string
	// Stdout holds the reports of Options.Report.
	Stdout string
	// WhitespaceErrors counts the whitespace errors so far, this input's
	// and Options.WhitespaceErrorsBefore.
	WhitespaceErrors int
	// LinesRead is the last patch line number so far, as git counts the
	// lines of the inputs (Options.LinesBefore included).
	LinesRead int
	// ExitCode is git apply's exit status: 0, 1 (does not apply) or 128
	// (unusable patch).
	ExitCode int
}

// Error is returned when git apply would fail; the Result still carries
// the messages.
type Error struct {
	// ExitCode is git apply's exit status (1 or 128).
	ExitCode int
	// Stderr is git apply's standard error, as in Result.Stderr.
	Stderr string
}

// Error is the status and the first line git apply printed.
func (e *Error) Error() string {
	first, _, _ := strings.Cut(e.Stderr, "\n")
	return fmt.Sprintf("apply failed (exit %d): %s", e.ExitCode, first)
}

// Sink receives the changes of a successful Result.
type Sink interface {
	// Remove deletes path.
	Remove(path string) error
	// WriteFile creates or replaces path with content and git mode.
	WriteFile(path string, content []byte, mode uint32) error
}

// Write hands the changes to sink as git writes them: all removals (of
// deleted and renamed-away paths) first, then every file written, so a
// rename onto a path deleted by the same patch works.
func (r *Result) Write(sink Sink) error {
	if r.ExitCode != 0 {
		return errors.New("apply: refusing to write a failed result")
	}
	for _, c := range r.Changes {
		if c.IsDelete || c.IsRename {
			if err := sink.Remove(c.OldName); err != nil {
				return err
			}
		}
	}
	for _, c := range r.Changes {
		if c.IsDelete {
			continue
		}
		if err := sink.WriteFile(c.NewName, c.Content, c.NewMode); err != nil {
			return err
		}
	}
	return nil
}

// Apply parses patch text and computes, against src, what git apply would
// do. Nothing is written: call Result.Write unless opts.Check. When any
// file fails the Result has no changes (git's all-or-nothing without
// --reject) and the error is an *Error.
func Apply(patch []byte, src Source, opts Options) (*Result, error) {
	parsed, res, err := parse(patch, opts)
	if res != nil {
		return res, err
	}
	a := &applier{src: src, opts: opts, wsAction: parsed.action, scan: parsed.scan, fn: map[string]*fileState{}}
	if opts.Location == IndexAndWorkTree {
		wt, ok := src.(WorkTreeSource)
		if !ok {
			return nil, errors.New("apply: Location IndexAndWorkTree needs a Source implementing WorkTreeSource")
		}
		a.workTree = wt
	}
	a.minContext = int(^uint(0) >> 1)
	if opts.MinContextGiven && opts.MinContext >= 0 {
		// git keeps -C in an unsigned int: a negative value means no
		// reduction, like not giving it.
		a.minContext = opts.MinContext
	}
	a.out.WriteString(parsed.scan.output.String())
	res, err = a.run(parsed.patches)
	if res != nil {
		res.LinesRead = parsed.scan.linesRead()
	}
	if opts.Report.any() && res != nil {
		res.Stdout = opts.Report.report(parsed.patches)
	}
	return res, err
}

// Parse is what git apply does before it takes the index lock: the patch
// is parsed, and done is set when git apply ends there (a parse error, no
// patches, or none allowed by --allow-empty), with the Result it ends
// with. Otherwise the Result holds what parsing printed (whitespace
// warnings), which git prints before it would fail to take the lock.
func Parse(patch []byte, opts Options) (res *Result, done bool) {
	parsed, res, _ := parse(patch, opts)
	if res != nil {
		return res, true
	}
	return &Result{Stderr: parsed.scan.output.String()}, false
}

// parsed is the outcome of Apply's parsing step.
type parsed struct {
	patches []*filePatch
	scan    *scanner
	action  wsAction
}

// parse reads the settings and the patch text; a non-nil Result ends
// Apply there.
func parse(patch []byte, opts Options) (parsed, *Result, error) {
	rule, err := parseRule(opts.Whitespace.Rule)
	if err != nil {
		res, err := failed("fatal: "+err.Error()+"\n", 128)
		return parsed{}, res, err
	}
	action, err := whitespaceAction(opts)
	if err != nil {
		res, err := failed("error: "+err.Error()+"\n", 128)
		return parsed{}, res, err
	}
	popts := parseOptions{StripComponents: -1, Directory: opts.Directory, InputName: opts.InputName,
		Prefix: opts.Prefix, Use: opts.Use, Verbose: opts.Verbose, WhitespaceErrorsBefore: opts.WhitespaceErrorsBefore,
		LinesBefore: opts.LinesBefore}
	if opts.StripGiven {
		popts.StripComponents = opts.StripComponents
	}
	squelch := 5
	if opts.Whitespace.Action == "error-all" {
		squelch = 0
	}
	patches, s, err := parsePatches(patch, popts, rule, action, squelch)
	var perr *parseError
	if errors.As(err, &perr) {
		res, err := failed(s.output.String()+"error: "+perr.Message+"\n", 128)
		return parsed{}, res, err
	}
	// Skipped patches are not "no patches": git goes on with none. An
	// allowed empty last input still closes the whitespace count.
	if len(patches) == 0 && s.skipped == 0 {
		if opts.AllowEmpty && !opts.MoreInputs && s.wsErrors > 0 {
			return parsed{scan: s, action: action}, nil, nil
		}
		if opts.AllowEmpty {
			return parsed{}, &Result{Stderr: s.output.String()}, nil
		}
		res, err := failed(s.output.String()+"error: No valid patches in input (allow with \"--allow-empty\")\n", 128)
		return parsed{}, res, err
	}
	return parsed{patches: patches, scan: s, action: action}, nil, nil
}

func failed(stderr string, code int) (*Result, error) {
	return &Result{Stderr: stderr, ExitCode: code}, &Error{ExitCode: code, Stderr: stderr}
}

// whitespaceAction resolves git's set_default_whitespace_mode: with no
// explicit action, warn when applying and stay quiet with --check or a
// report.
func whitespaceAction(opts Options) (wsAction, error) {
	switch opts.Whitespace.Action {
	case "":
		if opts.Check || opts.Report.any() {
			return wsNoWarn, nil
		}
		return wsWarn, nil
	case "warn":
		return wsWarn, nil
	case "nowarn":
		return wsNoWarn, nil
	case "error", "error-all":
		return wsError, nil
	}
	return 0, fmt.Errorf("unrecognized whitespace option '%s'", opts.Whitespace.Action)
}
