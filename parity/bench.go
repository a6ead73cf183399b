package parity

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// A Scenario is a benchmark: a setup script, as a fixture's, and the
// command lines it times on copies of what setup left: the old script,
// the new implementation, and a reference (say C git) where there is one.
//
// It is a txtar file: "#" lines describe it; "old: WORDS", "new: WORDS",
// "ref: WORDS", "dir: PATH" (where the commands run, relative to the
// work dir) and "env: NAME=value" (added to every command's environment)
// are its directives; the "setup" section builds the state and
// other sections are files written first. In the words, "kiln" stands for
// the running kiln executable. The format is documented for users in
// docs/bench.md.
type Scenario struct {
	Name        string
	Description []string
	Sides       []BenchSide
	Dir         string
	// Env are NAME=value pairs added to the environment of setup and
	// of every side ("env:" directives).
	Env   []string
	Setup string
	Files []txtar.File
}

// BenchSide is one timed command of a scenario.
type BenchSide struct {
	Role string // "old", "new" or "ref"
	Argv []string
}

// LoadScenario reads a scenario file; its name is the file's base name.
func LoadScenario(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	arch := txtar.Parse(data)
	sc := &Scenario{Name: strings.TrimSuffix(filepath.Base(path), ".txtar")}
	for i, line := range strings.Split(string(arch.Comment), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			sc.Description = append(sc.Description, strings.TrimSpace(strings.TrimPrefix(line, "#")))
		default:
			key, value, ok := strings.Cut(line, ":")
			if !ok {
				return nil, fmt.Errorf("%s:%d: want key: value", path, i+1)
			}
			if err := sc.directive(key, strings.TrimSpace(value)); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
			}
		}
	}
	for _, f := range arch.Files {
		if f.Name == "setup" {
			sc.Setup = string(f.Data)
		} else {
			sc.Files = append(sc.Files, f)
		}
	}
	if sc.Setup == "" || len(sc.Sides) == 0 {
		return nil, fmt.Errorf("%s: a scenario needs a setup section and at least one command (old, new or ref)", path)
	}
	return sc, nil
}

func (sc *Scenario) directive(key, value string) error {
	switch key {
	case "old", "new", "ref":
		words, err := SplitWords(value)
		if err != nil || len(words) == 0 {
			return fmt.Errorf("%s: bad command line %q", key, value)
		}
		sc.Sides = append(sc.Sides, BenchSide{Role: key, Argv: words})
	case "dir":
		sc.Dir = value
	case "env":
		if name, _, ok := strings.Cut(value, "="); !ok || name == "" {
			return fmt.Errorf("env: want NAME=value, got %q", value)
		}
		sc.Env = append(sc.Env, value)
	default:
		return fmt.Errorf("unknown directive %q", key)
	}
	return nil
}

// Sample is one timed run of one side.
type Sample struct {
	Wall, CPU time.Duration
	MaxRSSKB  int64
	ExitCode  int
}

// SideResult is what a side cost over a scenario's runs.
type SideResult struct {
	Role    string   `json:"role"`
	Command []string `json:"command"`
	Samples []Sample `json:"-"`
	// Medians and spreads (max - min) over the runs.
	WallMedian   time.Duration `json:"wall_median_ns"`
	WallSpread   time.Duration `json:"wall_spread_ns"`
	CPUMedian    time.Duration `json:"cpu_median_ns"`
	MaxRSSMedian int64         `json:"max_rss_median_kb"`
	// Spawns is the number of processes the command created, itself not
	// counted; -1 when they could not be counted.
	Spawns int `json:"spawns"`
	// ExitCode of the last run; every run must give the same.
	ExitCode int `json:"exit_code"`
}

// BenchResult is a scenario's outcome.
type BenchResult struct {
	Scenario string        `json:"scenario"`
	Runs     int           `json:"runs"`
	Sides    []*SideResult `json:"sides"`
	// Ratios are medians of per-run ratios of paired runs: "old/new",
	// "new/ref", "old/ref".
	Ratios map[string]float64 `json:"ratios"`
	// SpawnMethod says how spawns were counted.
	SpawnMethod string `json:"spawn_method"`
	// CreateCost is the system time creating one file in the sandbox
	// took, measured before the timed runs and after them (see
	// probeCreate); nil when it could not be measured.
	CreateCost []time.Duration `json:"create_cost_ns,omitempty"`
}

// Bencher runs scenarios.
type Bencher struct {
	// Runs is how many timed runs each side gets (alternating).
	Runs int
	// Kiln is the kiln executable "kiln" stands for in commands.
	Kiln string
	// Progress, if set, is told about each run.
	Progress func(scenario string, run, runs int)
	// sandboxes are the scenarios' sandboxes, which Close removes.
	sandboxes []*sandbox
}

// Run builds the scenario's state once, then times each side Runs times,
// alternating sides, each run on a fresh copy at the same path, and
// counts each side's spawns in one more, untimed, traced run.
//
// Nothing is deleted until Close: the copy a run leaves is moved aside,
// not removed, and the sandbox stays. On ext4 without a journal (as the
// root file system of some virtual machines is) the kernel will not reuse
// an inode freed in the last minute (six while its inode table block is
// dirty), and every file created tests each recently freed inode of its
// block group in turn (fs/ext4/ialloc.c, find_inode_bit and
// recently_deleted): with the thousands of inodes a deleted copy frees,
// each file a timed run created cost it close to a millisecond of system
// time, a cost the previous run, or the previous scenario's cleanup, put
// on it. Kept until Close, every run creates its files as the first did.
func (b *Bencher) Run(ctx context.Context, sc *Scenario) (*BenchResult, error) {
	sb, err := newSandbox()
	if err != nil {
		return nil, err
	}
	b.sandboxes = append(b.sandboxes, sb)
	env := append(baseEnv(sb.root, os.Getenv("PATH")), sc.Env...)
	if err := b.setup(ctx, sb, sc, env); err != nil {
		return nil, err
	}
	res := &BenchResult{Scenario: sc.Name, Runs: b.Runs, Ratios: map[string]float64{}}
	for _, side := range sc.Sides {
		res.Sides = append(res.Sides, &SideResult{Role: side.Role, Command: b.argv(side.Argv)})
	}
	dir := sb.path(filepath.Join("work", sc.Dir))
	res.probeCreate(sb)
	for run := 0; run < b.Runs; run++ {
		if b.Progress != nil {
			b.Progress(sc.Name, run+1, b.Runs)
		}
		for i := range sc.Sides {
			// Rotate the order so that no side always runs first.
			sr := res.Sides[(i+run)%len(sc.Sides)]
			if err := sb.restoreFresh(ctx, env); err != nil {
				return nil, err
			}
			s, err := timed(ctx, sr.Command, dir, env)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", sc.Name, sr.Role, err)
			}
			sr.Samples = append(sr.Samples, s)
		}
	}
	res.probeCreate(sb)
	res.SpawnMethod = "strace -f (fork, vfork, clone without CLONE_THREAD)"
	for _, sr := range res.Sides {
		summarize(sr)
		if err := sb.restoreFresh(ctx, env); err != nil {
			return nil, err
		}
		if sr.Spawns, err = countSpawns(ctx, sr.Command, dir, env, sb.path(".run/strace.out")); err != nil {
			res.SpawnMethod = "not counted: " + err.Error()
			sr.Spawns = -1
		}
	}
	res.Ratios = pairedRatios(res.Sides)
	return res, nil
}

// probeFiles is how many files probeCreate creates.
const probeFiles = 200

// probeCreate measures what creating a file in the sandbox costs: the
// system time of creating probeFiles empty files in a new directory,
// divided by their number. Where creating a file costs far more than
// usual (tens of microseconds) the sides that create many are slowed by
// the machine, not by their own work (see Bencher.Run). The files stay
// until Close; a failure leaves CreateCost as it was.
func (res *BenchResult) probeCreate(sb *sandbox) {
	dir := sb.path(filepath.Join(".run", "probe"+strconv.Itoa(len(res.CreateCost)+1)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return
	}
	// The time is the thread's, so the thread must not change.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var before, after syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &before); err != nil {
		return
	}
	for i := 0; i < probeFiles; i++ {
		fd, err := syscall.Open(filepath.Join(dir, strconv.Itoa(i)), syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
		if err != nil {
			return
		}
		syscall.Close(fd)
	}
	if err := syscall.Getrusage(rusageThread, &after); err != nil {
		return
	}
	res.CreateCost = append(res.CreateCost, time.Duration(after.Stime.Nano()-before.Stime.Nano())/probeFiles)
}

// rusageThread is Linux's RUSAGE_THREAD: getrusage of the calling thread.
const rusageThread = 1

// Close removes the sandboxes of the scenarios run, with every copy their
// runs left.
func (b *Bencher) Close() {
	for _, sb := range b.sandboxes {
		sb.remove()
	}
	b.sandboxes = nil
}

// restoreFresh restores the pristine state with its indexes refreshed,
// the last run's copy moved aside (see Bencher.Run).
func (sb *sandbox) restoreFresh(ctx context.Context, env []string) error {
	if err := sb.setAside(); err != nil {
		return err
	}
	if err := sb.copyPristine(ctx); err != nil {
		return err
	}
	sb.refreshIndexes(ctx, env)
	return nil
}

func (b *Bencher) argv(words []string) []string {
	out := append([]string{}, words...)
	if out[0] == "kiln" && b.Kiln != "" {
		out[0] = b.Kiln
	}
	return out
}

func (b *Bencher) setup(ctx context.Context, sb *sandbox, sc *Scenario, env []string) error {
	if err := sb.writeFiles(&Fixture{Files: sc.Files}); err != nil {
		return err
	}
	script := sb.path(".run/setup.sh")
	if err := os.WriteFile(script, []byte(sc.Setup), 0o644); err != nil {
		return err
	}
	out, err := runCommand(ctx, command{argv: []string{"/bin/sh", script}, dir: sb.path("work"), env: env,
		stdout: sb.path(".run/setup.out"), stderr: sb.path(".run/setup.err"), timeout: 10 * time.Minute})
	if err != nil {
		return err
	}
	if out.exitCode != 0 {
		msg, _ := os.ReadFile(sb.path(".run/setup.err"))
		return fmt.Errorf("%s: setup failed (exit %d): %s", sc.Name, out.exitCode, lastLines(string(msg), 5))
	}
	return sb.save(ctx)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// timed runs argv once and measures it: wall time, user+system CPU and
// peak resident memory of the process tree (the kernel folds reaped
// descendants into what wait returns).
func timed(ctx context.Context, argv []string, dir string, env []string) (Sample, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return Sample{}, err
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	s := Sample{Wall: wall, CPU: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		MaxRSSKB: ru.Maxrss, ExitCode: cmd.ProcessState.ExitCode()}
	if s.ExitCode != 0 {
		return s, fmt.Errorf("exit %d: %s", s.ExitCode, lastLines(stderr.String(), 3))
	}
	return s, nil
}

// processCall matches strace's lines for calls that can create a process,
// whole or split by another process's output: "PID clone(...) = RET",
// "PID clone(... <unfinished ...>" and "PID <... clone resumed>...) = RET".
var processCall = regexp.MustCompile(`^(\d+)\s+(?:<\.\.\. )?(fork|vfork|clone3?)(\(| resumed>)`)

// callResult is the return value at the end of a finished call's line.
var callResult = regexp.MustCompile(`\)\s+= (-1|\?|\d+)`)

// countCreations counts the processes an strace -f log shows created:
// successful fork, vfork and clone/clone3 calls without CLONE_THREAD (a
// thread is no process; its flags are on the call's first line).
func countCreations(log string) int {
	threadCall := map[string]bool{} // pid -> its pending call makes a thread
	n := 0
	for _, line := range strings.Split(log, "\n") {
		m := processCall.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		pid, resumed := m[1], m[3] == " resumed>"
		isThread := strings.Contains(line, "CLONE_THREAD")
		if resumed {
			isThread = threadCall[pid]
			delete(threadCall, pid)
		}
		if strings.Contains(line, "<unfinished ...>") {
			threadCall[pid] = isThread
			continue
		}
		ret := callResult.FindStringSubmatch(line)
		if ret != nil && !isThread && ret[1] != "-1" && ret[1] != "?" {
			n++
		}
	}
	return n
}

// countSpawns runs argv under strace -f and counts the processes it
// creates.
func countSpawns(ctx context.Context, argv []string, dir string, env []string, out string) (int, error) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		return -1, errors.New("strace not found")
	}
	args := append([]string{"-f", "-qq", "-e", "trace=process", "-o", out, "--"}, argv...)
	cmd := exec.CommandContext(ctx, strace, args...)
	cmd.Dir, cmd.Env = dir, env
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return -1, err
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return -1, err
	}
	return countCreations(string(data)), nil
}

func summarize(sr *SideResult) {
	var walls, cpus []time.Duration
	var rss []int64
	for _, s := range sr.Samples {
		walls, cpus, rss = append(walls, s.Wall), append(cpus, s.CPU), append(rss, s.MaxRSSKB)
		sr.ExitCode = s.ExitCode
	}
	sr.WallMedian, sr.WallSpread = medianSpread(walls)
	sr.CPUMedian, _ = medianSpread(cpus)
	sort.Slice(rss, func(i, j int) bool { return rss[i] < rss[j] })
	if len(rss) > 0 {
		sr.MaxRSSMedian = rss[len(rss)/2]
	}
}

func medianSpread(d []time.Duration) (median, spread time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	s := append([]time.Duration{}, d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		median = s[len(s)/2]
	} else {
		median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return median, s[len(s)-1] - s[0]
}

// pairedRatios is, for each pair of roles, the median over runs of the
// ratio of their wall times in the same run.
func pairedRatios(sides []*SideResult) map[string]float64 {
	byRole := map[string]*SideResult{}
	for _, s := range sides {
		byRole[s.Role] = s
	}
	out := map[string]float64{}
	for _, pair := range [][2]string{{"old", "new"}, {"new", "ref"}, {"old", "ref"}} {
		a, b := byRole[pair[0]], byRole[pair[1]]
		if a == nil || b == nil {
			continue
		}
		var ratios []float64
		for i := range a.Samples {
			if i < len(b.Samples) && b.Samples[i].Wall > 0 {
				ratios = append(ratios, float64(a.Samples[i].Wall)/float64(b.Samples[i].Wall))
			}
		}
		sort.Float64s(ratios)
		if len(ratios) > 0 {
			out[pair[0]+"/"+pair[1]] = ratios[len(ratios)/2]
		}
	}
	return out
}

// FormatMillis prints a duration in milliseconds with one decimal.
func FormatMillis(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
}
