package suite

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiln-dev/kiln/parity"
)

// DefaultTimeout is how long one run of a suite's command line may take
// when the Runner sets no timeout.
const DefaultTimeout = 10 * time.Minute

// TailLines is how many lines of a test's output, and of its diagnostics,
// a report shows per side.
const TailLines = 15

// Runner runs a suite with the old and with the new side standing in for
// a command and compares the verdicts, test by test.
type Runner struct {
	// Name is the command under test, without "git-": the suite reaches
	// the side as "git Name" (through the exec-path overlay), as
	// "git-Name" and as "Name" (through a directory put first in PATH).
	Name string
	// Command is the shell command line (run by /bin/sh -c) that runs
	// the suite and prints TAP. With Files it runs once per file: "{}" in
	// it stands for the file (shell-quoted), and without "{}" the file is
	// appended.
	Command string
	Files   []string
	// Old and New are the two sides; the zero Side is the installed
	// git-Name.
	Old, New parity.Side
	// Jobs is how many runs go at once (at least 1); each file runs once
	// per side.
	Jobs int
	// Timeout is the limit of one run; zero means DefaultTimeout.
	Timeout time.Duration
	// Dir is the directory the command line runs in; empty means the
	// current one.
	Dir string
	// ExecPath is the installed git's exec path; empty means ask git.
	ExecPath string
	// Path is the PATH runs start from (after the side's own directory);
	// empty means the runner's PATH.
	Path string
	// Progress, if set, is called after each file's two runs, from one
	// goroutine at a time.
	Progress func(done, total int, f *FileResult)
}

// Error is a suite that could not run: kiln parity --suite exits 2.
type Error struct {
	Reason string
}

// Error is the reason.
func (e *Error) Error() string { return e.Reason }

// Run is how one side's run of a command line went.
type Run struct {
	Exit     int    `json:"exit"`
	TimedOut bool   `json:"timed_out,omitempty"`
	Planned  int    `json:"planned"` // -1: no plan line
	SkipAll  string `json:"skip_all,omitempty"`
	Tests    int    `json:"tests"`
	BailOut  string `json:"bail_out,omitempty"`
	Bailed   bool   `json:"bailed_out,omitempty"`
	// Tail is the end of the run's output, for when it printed no TAP.
	Tail   []string `json:"-"`
	stream *Stream
}

// Difference is one test whose verdict (or description) is not the same
// in the two runs.
type Difference struct {
	Number         int      `json:"number"`
	Description    string   `json:"description"`
	NewDescription string   `json:"new_description,omitempty"` // when it differs
	Old            Verdict  `json:"old"`
	New            Verdict  `json:"new"`
	OldDirective   string   `json:"old_directive,omitempty"`
	NewDirective   string   `json:"new_directive,omitempty"`
	OldTail        []string `json:"old_tail"`
	NewTail        []string `json:"new_tail"`
}

// FileResult is the comparison of one command line's two runs (one per
// file of a many-file suite).
type FileResult struct {
	File      string `json:"file,omitempty"`
	Command   string `json:"command"`
	Old       Run    `json:"old_run"`
	New       Run    `json:"new_run"`
	Tests     int    `json:"tests"`
	Identical int    `json:"identical"`
	// Skipped counts the identical tests that both runs skipped: they
	// tested nothing.
	Skipped   int          `json:"skipped"`
	Differing []Difference `json:"differing"`
	// Error says why the suite could not be judged (the old run printed
	// no TAP, bailed out or timed out; a run could not start).
	Error   string  `json:"error,omitempty"`
	Seconds float64 `json:"seconds"`
}

// Label names the result in reports: the file, or the command line.
func (f *FileResult) Label() string {
	if f.File != "" {
		return f.File
	}
	return f.Command
}

// sideSetup is one side, ready to stand in: its overlay and bin dirs.
type sideSetup struct {
	label string
	exec  string // GIT_EXEC_PATH overlay
	bin   string // holds git-NAME and NAME, first in PATH
}

// Compare runs every command line with each side and compares them. When
// ctx is cancelled it kills the runs, removes the sandbox and returns
// ctx's error. Set-up problems (no installed git-Name for a zero Side, an
// unwritable temporary directory) are returned as errors too.
func (r *Runner) Compare(ctx context.Context) ([]*FileResult, error) {
	if err := r.defaults(); err != nil {
		return nil, err
	}
	root, err := os.MkdirTemp("", "kiln-suite-")
	if err != nil {
		return nil, err
	}
	defer removeAll(root)
	sides := [2]*sideSetup{{label: "old"}, {label: "new"}}
	for i, side := range []parity.Side{r.Old, r.New} {
		if err := r.prepare(side, sides[i], filepath.Join(root, sides[i].label)); err != nil {
			return nil, err
		}
	}
	lines := r.commandLines()
	results := make([]*FileResult, len(lines))
	runs := make([][2]Run, len(lines))
	errs := make([][2]error, len(lines))
	type job struct{ line, side int }
	jobs := make(chan job)
	var mu sync.Mutex
	left := make([]int, len(lines))
	done := 0
	starts := make([]time.Time, len(lines))
	for i := range lines {
		left[i] = 2
		results[i] = &FileResult{Command: lines[i].command, File: lines[i].file}
	}
	var wg sync.WaitGroup
	for range max(r.Jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				dir := filepath.Join(root, "runs", fmt.Sprintf("%d-%s", j.line, sides[j.side].label))
				run, err := r.runOnce(ctx, lines[j.line].command, sides[j.side], dir)
				removeAll(dir)
				if ctx.Err() != nil {
					continue
				}
				mu.Lock()
				runs[j.line][j.side], errs[j.line][j.side] = run, err
				left[j.line]--
				if left[j.line] == 0 {
					res := results[j.line]
					compareRuns(res, runs[j.line], errs[j.line])
					res.Seconds = time.Since(starts[j.line]).Seconds()
					done++
					if r.Progress != nil {
						r.Progress(done, len(lines), res)
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range lines {
		mu.Lock()
		starts[i] = time.Now()
		mu.Unlock()
		for s := range 2 {
			select {
			case jobs <- job{i, s}:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

func (r *Runner) defaults() error {
	if r.Name == "" || strings.ContainsAny(r.Name, "/ \t\n") {
		return &Error{Reason: fmt.Sprintf("bad command name %q", r.Name)}
	}
	if r.Timeout <= 0 {
		r.Timeout = DefaultTimeout
	}
	if r.Path == "" {
		r.Path = os.Getenv("PATH")
	}
	if r.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		r.Dir = wd
	}
	if r.ExecPath == "" {
		cmd := exec.Command("git", "--exec-path")
		cmd.Env = []string{"PATH=" + r.Path, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull}
		out, err := cmd.Output()
		if err != nil {
			return &Error{Reason: fmt.Sprintf("git --exec-path: %v", err)}
		}
		r.ExecPath = strings.TrimSpace(string(out))
	}
	return nil
}

// prepare writes a side's exec-path overlay and its bin directory, in
// which git-NAME is what the overlay has and NAME runs it (under the name
// git-NAME, so that a multi-call binary such as kiln knows what to run).
func (r *Runner) prepare(side parity.Side, s *sideSetup, dir string) error {
	s.exec, s.bin = filepath.Join(dir, "exec"), filepath.Join(dir, "bin")
	if side.Program == "" && len(side.Command) == 0 {
		execPath := r.ExecPath
		if side.ExecPath != "" {
			execPath = side.ExecPath
		}
		if _, err := os.Stat(filepath.Join(execPath, "git-"+r.Name)); err != nil {
			return &Error{Reason: fmt.Sprintf("%s side: the installed git has no git-%s in %s", s.label, r.Name, execPath)}
		}
	}
	if err := side.WriteOverlay(s.exec, r.ExecPath, r.Name); err != nil {
		return fmt.Errorf("%s side: exec-path overlay: %w", s.label, err)
	}
	if err := os.MkdirAll(s.bin, 0o755); err != nil {
		return err
	}
	if err := os.Symlink(filepath.Join(s.exec, "git-"+r.Name), filepath.Join(s.bin, "git-"+r.Name)); err != nil {
		return err
	}
	wrapper := "#!/bin/sh\nexec " + parity.QuoteWords([]string{filepath.Join(s.bin, "git-"+r.Name)}) + " \"$@\"\n"
	return os.WriteFile(filepath.Join(s.bin, r.Name), []byte(wrapper), 0o755)
}

type commandLine struct{ command, file string }

// commandLines is the command line, or one per file.
func (r *Runner) commandLines() []commandLine {
	if len(r.Files) == 0 {
		return []commandLine{{command: r.Command}}
	}
	var lines []commandLine
	for _, f := range r.Files {
		q := parity.QuoteWords([]string{f})
		c := r.Command + " " + q
		if strings.Contains(r.Command, "{}") {
			c = strings.ReplaceAll(r.Command, "{}", q)
		}
		lines = append(lines, commandLine{command: c, file: f})
	}
	return lines
}

// runOnce runs a command line with one side standing in, in a fresh
// sandbox under dir, and reads its output as TAP. Output and errors go to
// one file, in the order they were written.
func (r *Runner) runOnce(ctx context.Context, line string, s *sideSetup, dir string) (Run, error) {
	env, err := parity.SandboxEnv(dir, s.bin+string(os.PathListSeparator)+r.Path)
	if err != nil {
		return Run{}, err
	}
	out := filepath.Join(dir, "output")
	env = parity.WithEnv(env,
		"GIT_EXEC_PATH="+s.exec,
		// git's test-lib.sh takes the exec path under test from
		// GIT_TEST_EXEC_PATH, and writes its trash directories and
		// results under TEST_OUTPUT_DIRECTORY.
		"GIT_TEST_EXEC_PATH="+s.exec,
		"TEST_OUTPUT_DIRECTORY="+filepath.Join(dir, "test-output"),
	)
	if err := os.MkdirAll(filepath.Join(dir, "test-output"), 0o755); err != nil {
		return Run{}, err
	}
	file, err := os.Create(out)
	if err != nil {
		return Run{}, err
	}
	defer file.Close()
	cmd := exec.Command("/bin/sh", "-c", line)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = r.Dir, env, file, file
	code, timedOut, err := parity.RunInGroup(ctx, cmd, r.Timeout)
	if err != nil {
		return Run{}, err
	}
	if _, err := file.Seek(0, 0); err != nil {
		return Run{}, err
	}
	stream, err := Parse(file)
	if err != nil {
		return Run{}, err
	}
	hideRunDir(stream, dir)
	run := Run{Exit: code, TimedOut: timedOut, Planned: stream.Planned, SkipAll: stream.SkipAll,
		Tests: len(stream.Tests), BailOut: stream.BailOut, Bailed: stream.Bailed, stream: stream}
	run.Tail = tail(stream.Trailing)
	return run, nil
}

// hideRunDir replaces the run's private directory by "$RUN" in the output
// a report shows, so that the two sides' tails read alike.
func hideRunDir(s *Stream, dir string) {
	names := []string{dir}
	if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
		names = append(names, real)
	}
	hide := func(lines []string) {
		for i, l := range lines {
			for _, n := range names {
				l = strings.ReplaceAll(l, n, "$RUN")
			}
			lines[i] = l
		}
	}
	for i := range s.Tests {
		hide(s.Tests[i].Output)
		hide(s.Tests[i].Diagnostics)
	}
	hide(s.Trailing)
}

// compareRuns fills in a result from its old and new runs.
func compareRuns(res *FileResult, runs [2]Run, errs [2]error) {
	for i, label := range []string{"old", "new"} {
		if errs[i] != nil {
			res.Error = fmt.Sprintf("%s run: %v", label, errs[i])
			return
		}
	}
	res.Old, res.New = runs[0], runs[1]
	if problem := res.Old.problem(); problem != "" {
		res.Error = "the suite cannot run with the old side: " + problem
		return
	}
	old, new := byNumber(res.Old.stream), byNumber(res.New.stream)
	numbers := map[int]bool{}
	for n := range old {
		numbers[n] = true
	}
	for n := range new {
		numbers[n] = true
	}
	sorted := make([]int, 0, len(numbers))
	for n := range numbers {
		sorted = append(sorted, n)
	}
	sort.Ints(sorted)
	for _, n := range sorted {
		res.Tests++
		o, okOld := old[n]
		w, okNew := new[n]
		if okOld && okNew && o.Verdict == w.Verdict && o.Description == w.Description {
			res.Identical++
			if o.Verdict == VerdictSkip {
				res.Skipped++
			}
			continue
		}
		d := Difference{Number: n, Old: VerdictMissing, New: VerdictMissing, OldTail: []string{}, NewTail: []string{}}
		if okOld {
			d.Description, d.Old, d.OldDirective, d.OldTail = o.Description, o.Verdict, o.Directive, testTail(o)
		}
		if okNew {
			d.New, d.NewDirective, d.NewTail = w.Verdict, w.Directive, testTail(w)
			if !okOld {
				d.Description = w.Description
			} else if w.Description != o.Description {
				d.NewDescription = w.Description
			}
		} else {
			d.NewTail = res.New.Tail // what the new run printed after its last test
		}
		res.Differing = append(res.Differing, d)
	}
}

// problem says why a run's TAP cannot be the reference, or "".
func (r Run) problem() string {
	switch {
	case r.TimedOut:
		return fmt.Sprintf("killed after the timeout; output ends:\n%s", strings.Join(r.Tail, "\n"))
	case r.Bailed:
		return "it bailed out: " + r.BailOut
	case !r.stream.HasTAP():
		return fmt.Sprintf("no TAP in its output (exit %d); output ends:\n%s", r.Exit, strings.Join(r.Tail, "\n"))
	case r.Planned > len(r.stream.Tests):
		return fmt.Sprintf("it planned %d tests and ran %d (exit %d); output ends:\n%s", r.Planned, len(r.stream.Tests), r.Exit, strings.Join(r.Tail, "\n"))
	}
	return ""
}

// byNumber indexes a run's tests by number; of two tests with one number
// the first counts.
func byNumber(s *Stream) map[int]Test {
	m := map[int]Test{}
	for _, t := range s.Tests {
		if _, dup := m[t.Number]; !dup {
			m[t.Number] = t
		}
	}
	return m
}

// testTail is what a report shows of a test's output: the last TailLines
// lines before its test point, then the last TailLines of its diagnostics.
func testTail(t Test) []string {
	return append(tail(t.Output), tail(t.Diagnostics)...)
}

// tail is the last TailLines lines, never nil.
func tail(lines []string) []string {
	if len(lines) > TailLines {
		lines = lines[len(lines)-TailLines:]
	}
	return append([]string{}, lines...)
}

// removeAll removes a directory tree, making directories writable first
// if a suite left read-only ones behind.
func removeAll(dir string) {
	if err := os.RemoveAll(dir); err == nil {
		return
	}
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(path, 0o755)
		}
		return nil
	})
	_ = os.RemoveAll(dir)
}

// Summary counts the results of a suite comparison.
type Summary struct {
	Files     int `json:"files"`
	Tests     int `json:"tests"`
	Identical int `json:"identical"`
	Skipped   int `json:"skipped"` // identical, but skipped by both runs
	Differing int `json:"differing"`
	Errors    int `json:"errors"` // files that could not be judged
}

// Summarize adds up the results.
func Summarize(results []*FileResult) Summary {
	s := Summary{Files: len(results)}
	for _, r := range results {
		s.Tests += r.Tests
		s.Identical += r.Identical
		s.Skipped += r.Skipped
		s.Differing += len(r.Differing)
		if r.Error != "" {
			s.Errors++
		}
	}
	return s
}

// ExitCode is kiln parity --suite's exit status: 2 if a suite could not
// run, 1 if any test differs, 0 otherwise.
func (s Summary) ExitCode() int {
	switch {
	case s.Errors > 0:
		return 2
	case s.Differing > 0:
		return 1
	}
	return 0
}

// String is the summary line kiln parity --suite prints.
func (s Summary) String() string {
	return fmt.Sprintf("%s, %s: %d identical (%d skipped by both), %d differing, %s",
		plural(s.Files, "file"), plural(s.Tests, "test"), s.Identical, s.Skipped, s.Differing, plural(s.Errors, "error"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
