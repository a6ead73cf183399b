package parity

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// NoiseMode says when the old side runs twice to detect nondeterminism.
type NoiseMode int

const (
	// NoiseAuto runs the noise check for fixtures marked noise: on and for
	// new fixtures (untracked or modified in their git repository).
	NoiseAuto NoiseMode = iota
	// NoiseOn runs it for every fixture.
	NoiseOn
	// NoiseOff runs it for none, not even those marked noise: on.
	NoiseOff
)

// Runner runs fixtures on an old and a new side and compares them.
type Runner struct {
	Old, New Side
	// Self says the new side is the old side (self-parity): there is no
	// port, so the accept: ledger is not checked for unused entries.
	Self  bool
	Noise NoiseMode
	// Jobs is how many fixtures run at once (at least 1).
	Jobs int
	// Timeout is the per-command timeout of fixtures that set none;
	// zero means DefaultTimeout.
	Timeout time.Duration
	// ExecPath is the installed git's exec path; empty means ask git.
	ExecPath string
	// Path is the PATH commands run with; empty means the runner's PATH.
	Path string
	// Progress, if set, is called after each fixture (from one goroutine
	// at a time) with the number done so far.
	Progress func(done, total int, r *Result)
}

// Status is a fixture's verdict.
type Status string

// The verdicts, from best to worst.
const (
	StatusPass  Status = "pass"  // no unaccepted difference
	StatusFail  Status = "fail"  // an unaccepted difference
	StatusError Status = "error" // the fixture could not be judged
)

// Result is the outcome of one fixture. Its JSON form is documented in
// docs/parity.md.
type Result struct {
	Fixture    string     `json:"fixture"`
	File       string     `json:"file"`
	Status     Status     `json:"status"`
	Errors     []string   `json:"errors,omitempty"`
	Mismatches []Mismatch `json:"mismatches,omitempty"`
	Accepted   []Mismatch `json:"accepted,omitempty"`
	Noise      []string   `json:"noise,omitempty"`
	NoiseCheck bool       `json:"noise_checked"`
	Seconds    float64    `json:"seconds"`
}

// Mismatch is one field that differs between the old and the new side.
type Mismatch struct {
	Field  string `json:"field"`
	Old    any    `json:"old"`
	New    any    `json:"new"`
	Diff   string `json:"diff"`
	Reason string `json:"reason,omitempty"` // of an accepted divergence
}

// Run runs the fixtures, Jobs at a time, and returns their results in the
// order given. When ctx is cancelled it stops starting fixtures, kills the
// running commands, removes the sandboxes and returns ctx's error along
// with the results of the fixtures that finished before.
func (r *Runner) Run(ctx context.Context, fixtures []*Fixture) ([]*Result, error) {
	if err := r.defaults(); err != nil {
		return nil, err
	}
	results := make([]*Result, len(fixtures))
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range max(r.Jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res := r.runFixture(ctx, fixtures[i])
				if ctx.Err() != nil {
					return // interrupted: its result means nothing
				}
				mu.Lock()
				results[i] = res
				done++
				if r.Progress != nil {
					r.Progress(done, len(fixtures), res)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range fixtures {
		if ctx.Err() != nil {
			break
		}
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		var finished []*Result
		for _, res := range results {
			if res != nil {
				finished = append(finished, res)
			}
		}
		return finished, err
	}
	return results, nil
}

// defaults fills in the exec path and PATH if they are not set.
func (r *Runner) defaults() error {
	if r.Path == "" {
		r.Path = os.Getenv("PATH")
	}
	if r.ExecPath == "" {
		cmd := exec.Command("git", "--exec-path")
		cmd.Env = []string{"PATH=" + r.Path, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull}
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("git --exec-path: %v", err)
		}
		r.ExecPath = strings.TrimSpace(string(out))
	}
	return nil
}

// fixtureRun is the state of one fixture's run.
type fixtureRun struct {
	*Runner
	ctx     context.Context
	f       *Fixture
	sb      *sandbox
	norm    *normalizer
	timeout time.Duration
}

func (r *Runner) runFixture(ctx context.Context, f *Fixture) *Result {
	start := time.Now()
	res := &Result{Fixture: f.ID(), File: f.Path}
	defer func() { res.Seconds = time.Since(start).Seconds() }()
	sb, err := newSandbox()
	if err != nil {
		return res.fail(err)
	}
	defer sb.remove()
	fr := &fixtureRun{Runner: r, ctx: ctx, f: f, sb: sb, norm: newNormalizer(sb, f.Normalize), timeout: f.Timeout}
	if fr.timeout == 0 {
		fr.timeout = r.Timeout
	}
	if fr.timeout == 0 {
		fr.timeout = DefaultTimeout
	}
	if err := fr.setup(); err != nil {
		return res.fail(err)
	}
	res.NoiseCheck = r.noiseFor(f)
	if err := fr.compare(res); err != nil {
		return res.fail(err)
	}
	res.judge()
	return res
}

// fail records a fixture error.
func (res *Result) fail(err error) *Result {
	res.Errors = append(res.Errors, err.Error())
	res.judge()
	return res
}

func (res *Result) judge() {
	switch {
	case len(res.Errors) > 0:
		res.Status = StatusError
	case len(res.Mismatches) > 0:
		res.Status = StatusFail
	default:
		res.Status = StatusPass
	}
}

func (r *Runner) noiseFor(f *Fixture) bool {
	switch r.Noise {
	case NoiseOn:
		return true
	case NoiseOff:
		return false
	}
	return f.Noise || IsNewFixture(f.Path)
}

// setup writes the fixture's files, runs its setup script with the real
// git and saves the result as the pristine state.
func (fr *fixtureRun) setup() error {
	sb := fr.sb
	if err := sb.writeFiles(fr.f); err != nil {
		return err
	}
	script := sb.path(".run/setup.sh")
	if err := os.WriteFile(script, []byte(fr.f.Setup), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(sb.path(".run/stdin"), fr.f.Stdin, 0o644); err != nil {
		return err
	}
	out, err := runCommand(fr.ctx, command{
		argv: []string{"/bin/sh", script}, dir: sb.path("work"),
		env:    baseEnv(sb.root, fr.Path),
		stdout: sb.path(".run/setup.out"), stderr: sb.path(".run/setup.err"),
		timeout: fr.timeout,
	})
	if err != nil {
		return err
	}
	if out.timedOut || out.exitCode != 0 {
		return fmt.Errorf("setup failed (%s): %s", describeExit(out, fr.timeout), fr.tail(".run/setup.err"))
	}
	return sb.save(fr.ctx)
}

// tail returns the end of an output file, normalized, for error messages.
func (fr *fixtureRun) tail(rel string) string {
	data, _ := os.ReadFile(fr.sb.path(rel))
	text := strings.TrimSpace(fr.norm.text(string(data)))
	if len(text) > 2000 {
		text = "..." + text[len(text)-2000:]
	}
	if text == "" {
		return "(no output on stderr)"
	}
	return text
}

func describeExit(out outcome, timeout time.Duration) string {
	if out.timedOut {
		return fmt.Sprintf("killed after timeout %s", timeout)
	}
	return fmt.Sprintf("exit %d", out.exitCode)
}

// compare runs the old side (twice with the noise check) and the new side
// and fills in the result's mismatches, accepted divergences and noise.
// In self-parity with the noise check and one side for both, the old
// side's second run stands for the new side: the same command, run
// twice, not three times.
func (fr *fixtureRun) compare(res *Result) error {
	old, err := fr.runOld()
	if err != nil {
		return err
	}
	firstEnd := time.Now()
	noise := map[string]bool{}
	var again Snapshot
	if res.NoiseCheck {
		if fr.f.Noise {
			// A fixture marked noisy often stamps the current time in
			// seconds: two runs within one second would agree and hide
			// it, so start the second run over a second after the first
			// ended (not started: on a loaded machine a slow first run
			// can stamp its time late, in the second the next run
			// starts in).
			if err := sleepCtx(fr.ctx, time.Until(firstEnd.Add(noiseSpacing))); err != nil {
				return err
			}
		}
		again, _, err = fr.runSide(fr.Old, "old (second run)")
		if err != nil {
			return err
		}
		res.Noise = differingFields(old, again)
		for _, name := range res.Noise {
			noise[name] = true
		}
	}
	if fr.Self && res.NoiseCheck && fr.Old.same(fr.New) {
		// In self-parity the second run of the old side is a run of the
		// new side: a third run would only repeat the noise check.
		fr.classify(res, old, again, noise)
		return nil
	}
	newSnap, _, err := fr.runSide(fr.New, "new")
	if err != nil {
		return err
	}
	fr.classify(res, old, newSnap, noise)
	return nil
}

// runOld runs the old side once and checks it against the fixture's
// exit: directive; an old side that misbehaves is a fixture error.
func (fr *fixtureRun) runOld() (Snapshot, error) {
	old, out, err := fr.runSide(fr.Old, "old")
	if err != nil {
		return nil, err
	}
	if out.timedOut {
		return nil, fmt.Errorf("old side killed after timeout %s", fr.timeout)
	}
	if fr.f.HasExit && out.exitCode != fr.f.Exit {
		return nil, fmt.Errorf("old side exited %d, the fixture says exit: %d; its stderr:\n%s", out.exitCode, fr.f.Exit, fr.tail(".run/stderr"))
	}
	return old, nil
}

// classify sorts the fields where old and new differ, noise left out,
// into accepted divergences and mismatches, and checks the ledger.
func (fr *fixtureRun) classify(res *Result, old, new Snapshot, noise map[string]bool) {
	used := make([]bool, len(fr.f.Accept))
	for _, name := range differingFields(old, new) {
		if noise[name] {
			continue
		}
		m := Mismatch{Field: name, Old: valueOf(old, name), New: valueOf(new, name)}
		m.Diff = describeDiff(name, m.Old, m.New)
		if i := acceptFor(fr.f.Accept, name); i >= 0 {
			used[i] = true
			m.Reason = fr.f.Accept[i].Reason
			res.Accepted = append(res.Accepted, m)
			continue
		}
		res.Mismatches = append(res.Mismatches, m)
	}
	fr.checkLedger(res, used, noise)
}

// noiseSpacing is how long after the first old run of a fixture marked
// noise: on ends the second one starts.
const noiseSpacing = 1100 * time.Millisecond

// sleepCtx sleeps for d, or until ctx is cancelled.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// checkLedger reports accept: directives that matched no difference: a
// ledger entry nobody needs any more must go, or the ledger rots. A noise
// field counts as a use (its old-vs-new comparison was not made). In
// self-parity there is no port, so there is nothing to check.
func (fr *fixtureRun) checkLedger(res *Result, used []bool, noise map[string]bool) {
	if fr.Self {
		return
	}
	for i, a := range fr.f.Accept {
		for name := range noise {
			if a.matches(name) {
				used[i] = true
			}
		}
		if !used[i] {
			res.Errors = append(res.Errors, fmt.Sprintf("unused accept: %s (no such difference; remove it from the ledger)", a.Field))
		}
	}
}

func acceptFor(accepts []Accept, field string) int {
	for i, a := range accepts {
		if a.matches(field) {
			return i
		}
	}
	return -1
}

// runSide restores the pristine state, runs one side and snapshots what
// it did; the sandbox is cleared again afterwards.
func (fr *fixtureRun) runSide(side Side, label string) (Snapshot, outcome, error) {
	sb := fr.sb
	if err := sb.restore(fr.ctx); err != nil {
		return nil, outcome{}, err
	}
	defer sb.clear()
	fr.refreshIndexes()
	env := baseEnv(sb.root, fr.Path)
	argv, overlay := side.invocation(fr.f)
	if overlay {
		execPath := fr.ExecPath
		if side.ExecPath != "" {
			execPath = side.ExecPath
		}
		if err := side.buildOverlay(sb.path("exec"), execPath, fr.f.Name); err != nil {
			return nil, outcome{}, fmt.Errorf("%s side: exec-path overlay: %v", label, err)
		}
		env = withEnv(env, "GIT_EXEC_PATH="+sb.path("exec"))
	}
	if fr.f.Standalone {
		dir := sb.path(standaloneDir)
		built, err := side.buildStandalone(dir, fr.f.Name)
		if err != nil {
			return nil, outcome{}, fmt.Errorf("%s side: %v", label, err)
		}
		if built {
			env = withEnv(env, "PATH="+dir+string(os.PathListSeparator)+fr.Path)
			if fr.f.Run == "" && len(side.Command) == 0 {
				argv[0] = filepath.Join(dir, fr.f.Name)
			}
		}
	}
	for _, e := range fr.f.Env {
		env = withEnv(env, expandFixtureEnv(e, sb.root, fr.Path))
	}
	c := command{
		argv: argv, dir: sb.path("work"), env: env,
		stdout: sb.path(".run/stdout"), stderr: sb.path(".run/stderr"),
		timeout: fr.timeout,
	}
	if fr.f.HasStdin {
		c.stdin = sb.path(".run/stdin")
	}
	out, err := runCommand(fr.ctx, c)
	if err != nil {
		var pathErr *exec.Error
		if errors.As(err, &pathErr) || errors.Is(err, os.ErrNotExist) {
			return nil, outcome{}, fmt.Errorf("%s side: %v", label, err)
		}
		return nil, outcome{}, err
	}
	snap, err := fr.snapshot(out)
	if err != nil {
		return nil, outcome{}, fmt.Errorf("%s side: snapshot: %v", label, err)
	}
	return snap, out, nil
}

// refreshIndexes refreshes the indexes of the restored work dir (see
// sandbox.refreshIndexes).
func (fr *fixtureRun) refreshIndexes() {
	fr.sb.refreshIndexes(fr.ctx, baseEnv(fr.sb.root, fr.Path))
}

func (fr *fixtureRun) snapshot(out outcome) (Snapshot, error) {
	snap := Snapshot{"exit": fmt.Sprint(out.exitCode)}
	if out.timedOut {
		snap["exit"] = describeExit(out, fr.timeout)
	}
	for _, stream := range []string{"stdout", "stderr"} {
		data, err := os.ReadFile(fr.sb.path(filepath.Join(".run", stream)))
		if err != nil {
			return nil, err
		}
		snap[stream] = fr.norm.text(string(data))
	}
	s := &snapshotter{ctx: fr.ctx, sb: fr.sb, norm: fr.norm, env: baseEnv(fr.sb.root, fr.Path), snap: snap}
	if err := s.take(); err != nil {
		return nil, err
	}
	return snap, nil
}
