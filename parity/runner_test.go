package parity

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestSelfParityPasses(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"quiltimport/one-patch", "merge-resolve/through-git-merge"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := runOne(t, &Runner{Self: true, Noise: NoiseOn}, testFixture(name))
			if res.Status != StatusPass || len(res.Noise) > 0 || !res.NoiseCheck {
				t.Fatalf("self-parity: %s", describe(res))
			}
		})
	}
}

// TestSelfParityRunsTwice counts the runs of the sides: self-parity with
// the noise check and one side for both runs the command twice (the
// second run is the new side); otherwise (as kiln cover's self-parity of
// a script and its instrumented copy) the new side runs too.
func TestSelfParityRunsTwice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		self, sameSide bool
		want           int
	}{{true, true, 2}, {false, true, 3}, {true, false, 3}} {
		log := filepath.Join(t.TempDir(), "runs")
		side := shell("echo run >>" + log + "; echo out")
		other := side
		if !tc.sameSide {
			other = shell("echo run >>" + log + "; echo out; true")
		}
		res := runOne(t, &Runner{Self: tc.self, Old: side, New: other, Noise: NoiseOn}, testFixture("quiltimport/one-patch"))
		if res.Status != StatusPass || !res.NoiseCheck {
			t.Fatalf("self %v, same side %v: %s", tc.self, tc.sameSide, describe(res))
		}
		data, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(string(data), "run\n"); got != tc.want {
			t.Errorf("self %v, same side %v: the sides ran %d times, want %d", tc.self, tc.sameSide, got, tc.want)
		}
	}
}

// TestWrongNewSideIsCaught substitutes ports that each get one thing wrong
// and checks that exactly that thing is reported, with a diff showing it.
func TestWrongNewSideIsCaught(t *testing.T) {
	t.Parallel()
	cases := []struct {
		script string
		field  string
		diff   string
	}{
		{"exit", "exit", "-0\n+3\n"},
		{"stdout", "stdout", "+Applying: an extra line\n"},
		{"ref", "ref:.git:refs/tags/leftover", "+d84df35bd27389a6af7cbbf439becf470a76e10a\n"},
		{"reflog", "reflog:.git:HEAD", "\tquiltimport: another message\n"},
		{"index", "index:.git", "+100755 814f4a422927b82f5f8a43f8fab6d3839e3983f2 0\tfile\n"},
		{"worktree", "worktree:file", " two\n+three\n"},
	}
	for _, c := range cases {
		t.Run(c.script, func(t *testing.T) {
			t.Parallel()
			script, _ := filepath.Abs(filepath.Join("testdata", "wrong", c.script+".sh"))
			r := &Runner{New: Side{Command: []string{"/bin/sh", script}}, Noise: NoiseOff}
			res := runOne(t, r, testFixture("quiltimport/one-patch"))
			if res.Status != StatusFail || !slices.Equal(fields(res.Mismatches), []string{c.field}) {
				t.Fatalf("want one mismatch in %s, got %s", c.field, describe(res))
			}
			if d := res.Mismatches[0].Diff; !strings.Contains(d, c.diff) {
				t.Errorf("diff of %s lacks %q:\n%s", c.field, c.diff, d)
			}
			if code := Summarize([]*Result{res}).ExitCode(); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
		})
	}
}

// TestOverlayRunsTheSideUnderTest checks that a run: fixture reaches the
// new side through git's exec path: git merge -s resolve must run it.
func TestOverlayRunsTheSideUnderTest(t *testing.T) {
	t.Parallel()
	execPath := gitExecPath(t)
	marker := shell(`echo "$@" >overlay-used; exec "` + execPath + `/git-merge-resolve" "$@"`)
	res := runOne(t, &Runner{New: marker, Noise: NoiseOff}, testFixture("merge-resolve/through-git-merge"))
	if !slices.Equal(fields(res.Mismatches), []string{"worktree:overlay-used"}) {
		t.Fatalf("want only the marker file to differ, got %s", describe(res))
	}
	if d := res.Mismatches[0].Diff; !strings.Contains(d, "+") || !strings.Contains(d, "-- HEAD") {
		t.Errorf("marker should hold merge-resolve's arguments (BASE -- HEAD REMOTE):\n%s", d)
	}
}

func gitExecPath(t *testing.T) string {
	t.Helper()
	r := &Runner{}
	if err := r.defaults(); err != nil {
		t.Fatal(err)
	}
	return r.ExecPath
}

// noisy prints a random number and writes one into a file; it writes
// stable.txt deterministically.
const noisy = `od -An -N8 -tu8 /dev/urandom; od -An -N8 -tu8 /dev/urandom >random.txt; echo after >stable.txt`

func TestNoiseIsExcludedAndListed(t *testing.T) {
	t.Parallel()
	res := runOne(t, &Runner{Old: shell(noisy), New: shell(noisy), Noise: NoiseOn}, testFixture("noise/random"))
	if res.Status != StatusPass || !slices.Equal(res.Noise, []string{"stdout", "worktree:random.txt"}) {
		t.Fatalf("want a pass with stdout and random.txt as noise, got %s", describe(res))
	}
	wrong := shell(noisy + `; echo wrong >stable.txt`)
	res = runOne(t, &Runner{Old: shell(noisy), New: wrong, Noise: NoiseOn}, testFixture("noise/random"))
	if !slices.Equal(fields(res.Mismatches), []string{"worktree:stable.txt"}) {
		t.Fatalf("noise must not hide a real difference: %s", describe(res))
	}
	res = runOne(t, &Runner{Old: shell(noisy), New: shell(noisy), Noise: NoiseOff}, testFixture("noise/random"))
	if res.Status != StatusFail || res.NoiseCheck {
		t.Fatalf("without the noise check the random output must differ: %s", describe(res))
	}
}

func TestAcceptLedger(t *testing.T) {
	t.Parallel()
	old := shell(`echo "Helo, $1"`)
	fixed := shell(`echo "Hello, $1"`)
	path := testFixture("ledger/accepted")

	res := runOne(t, &Runner{Old: old, New: fixed}, path)
	if res.Status != StatusPass || !slices.Equal(fields(res.Accepted), []string{"stdout"}) {
		t.Fatalf("used accept: want a pass with stdout accepted, got %s", describe(res))
	}
	if !strings.HasPrefix(res.Accepted[0].Reason, "bug-compat:") || !strings.Contains(res.Accepted[0].Diff, "+Hello, hello") {
		t.Errorf("accepted divergence lacks its reason or diff: %+v", res.Accepted[0])
	}

	res = runOne(t, &Runner{Old: old, New: old}, path)
	if res.Status != StatusError || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "unused accept: stdout") {
		t.Fatalf("unused accept: want a fixture error, got %s", describe(res))
	}
	if code := Summarize([]*Result{res}).ExitCode(); code != 2 {
		t.Errorf("unused accept: exit code %d, want 2", code)
	}

	res = runOne(t, &Runner{Old: old, New: old, Self: true}, path)
	if res.Status != StatusPass {
		t.Fatalf("self-parity does not check the ledger, got %s", describe(res))
	}
}

// TestNormalizedCollisionsCompareByContent: two directories whose names
// normalize alike (two process ids) are compared by what they hold, not
// by which id sorts first: tmp-10 sorts before tmp-9, tmp-1 before tmp-2.
func TestNormalizedCollisionsCompareByContent(t *testing.T) {
	t.Parallel()
	old := shell(`mkdir tmp-9 tmp-10 && echo first >tmp-9/a && echo second >tmp-10/a`)
	new := shell(`mkdir tmp-1 tmp-2 && echo first >tmp-1/a && echo second >tmp-2/a`)
	res := runOne(t, &Runner{Old: old, New: new, Noise: NoiseOff}, testFixture("normalize/temp-names"))
	if res.Status != StatusPass {
		t.Fatalf("same contents under normalized names must compare equal, got %s", describe(res))
	}
	differ := shell(`mkdir tmp-1 tmp-2 && echo first >tmp-1/a && echo other >tmp-2/a`)
	res = runOne(t, &Runner{Old: old, New: differ, Noise: NoiseOff}, testFixture("normalize/temp-names"))
	if res.Status != StatusFail {
		t.Fatalf("a changed content must still differ, got %s", describe(res))
	}
}

func TestNormalizeRules(t *testing.T) {
	t.Parallel()
	pidNamed := shell(`echo "made tmp-$$"; echo "tmp-$$" >"tmp-$$"`)
	res := runOne(t, &Runner{Old: pidNamed, New: pidNamed, Noise: NoiseOn}, testFixture("normalize/temp-names"))
	if res.Status != StatusPass || len(res.Noise) != 0 {
		t.Fatalf("normalized PID names must compare equal, got %s", describe(res))
	}
	// The same without the rule: output, file name and content are noise.
	text, err := os.ReadFile(testFixture("normalize/temp-names"))
	if err != nil {
		t.Fatal(err)
	}
	bare := strings.Replace(string(text), "normalize: tmp-[0-9]+ => tmp-PID\n", "", 1)
	res = runOne(t, &Runner{Old: pidNamed, New: pidNamed, Noise: NoiseOn}, writeFixture(t, "normalize/no-rule", bare))
	if !slices.Contains(res.Noise, "stdout") || len(res.Noise) < 3 {
		t.Fatalf("without the rule, stdout and the file should be noise, got %s", describe(res))
	}
}

// TestTimeoutKillsProcessGroup runs a new side that leaves a background
// process behind and then hangs: the timeout must fail that side and kill
// the whole process group, grandchild included.
func TestTimeoutKillsProcessGroup(t *testing.T) {
	t.Parallel()
	pidFile := filepath.Join(t.TempDir(), "pid")
	path := writeFixture(t, "timeout/hang", "args: x\nexit: 0\ntimeout: 2s\n-- setup --\n:\n")
	hang := shell(`sleep 300 & echo $! >` + pidFile + `; wait`)
	res := runOne(t, &Runner{Old: shell(`:`), New: hang, Noise: NoiseOff}, path)
	if !slices.Equal(fields(res.Mismatches), []string{"exit"}) || !strings.Contains(res.Mismatches[0].Diff, "+killed after timeout 2s") {
		t.Fatalf("want the timeout reported as the new side's exit, got %s", describe(res))
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if alive(pid) {
		t.Errorf("background sleep %d survived the timeout", pid)
	}
}

// alive reports whether pid is a running (not zombie) process.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}

// TestInterruptRemovesSandboxes cancels a run (as SIGINT does) while a
// side hangs: Run must return promptly with the context's error, kill the
// side and leave no sandbox behind.
func TestInterruptRemovesSandboxes(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	started := filepath.Join(t.TempDir(), "started")
	path := writeFixture(t, "interrupt/hang", "args: x\n-- setup --\n:\n")
	hang := shell(`sleep 300 & echo $! >` + started + `.tmp; mv ` + started + `.tmp ` + started + `; wait`)
	f, err := LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for {
			if _, err := os.Stat(started); err == nil {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	r := &Runner{Old: hang, New: hang, Noise: NoiseOff, Jobs: 1}
	if _, err := r.Run(ctx, []*Fixture{f}); err != context.Canceled {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("sandbox left behind: %v", left)
	}
	data, _ := os.ReadFile(started)
	if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err != nil || alive(pid) {
		t.Errorf("background process %q survived the interrupt", data)
	}
}

// TestSafety proves the runner leaves the user's HOME, the current
// repository and TMPDIR untouched, and does not read the user's git
// configuration, even when the sides write to $HOME and to the repository
// they run in.
func TestSafety(t *testing.T) {
	home, repo, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("TMPDIR", tmp)
	// The user's global config is ~/.gitconfig, as it is without tests.
	t.Setenv("GIT_CONFIG_GLOBAL", "")
	os.Unsetenv("GIT_CONFIG_GLOBAL")
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Leaked User\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, repo, "init", "-q")
	path := filepath.Join(repo, "fixtures", "safety", "vandal.txtar")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("args: x\nexit: 0\n-- setup --\n:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, repo, "add", ".")
	gitIn(t, repo, "commit", "-q", "-m", "base")
	t.Chdir(repo)
	if IsNewFixture(path) {
		t.Fatalf("a committed fixture counts as new")
	}
	before := treeState(t, home) + treeState(t, repo)

	vandal := shell(`git config user.name; git config --global user.name Vandal; echo x >"$HOME/marker"; ` +
		`git init -q . && git commit -q --allow-empty -m vandal; git tag vandal`)
	honest := shell(`echo "C O Mitter"; git config --global user.name Vandal; echo x >"$HOME/marker"; ` +
		`git init -q . && git commit -q --allow-empty -m vandal; git tag vandal`)
	// Noise auto: IsNewFixture runs git status in the current repository.
	res := runOne(t, &Runner{Old: vandal, New: honest, Noise: NoiseAuto}, path)
	if res.Status != StatusPass {
		t.Fatalf("the sides must see the sandbox's identity, not the user's: %s", describe(res))
	}
	if after := treeState(t, home) + treeState(t, repo); after != before {
		t.Errorf("HOME or the current repository changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("sandboxes left in TMPDIR: %v", left)
	}
}

func gitCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	return cmd
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := gitCmd(dir, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// treeState lists every file under dir with its mode, size, modification
// time and content.
func treeState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		b.WriteString(path + " " + info.Mode().String() + " " + strconv.FormatInt(info.Size(), 10) + " " + info.ModTime().String())
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			b.Write(data)
		}
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestProgramSideRunsAsGitName checks the default new side's mechanism:
// the program is linked as git-NAME into the overlay and reached through
// "git NAME ARGS", so a multi-call binary sees its builtin's name.
func TestProgramSideRunsAsGitName(t *testing.T) {
	t.Parallel()
	program, _ := filepath.Abs(filepath.Join("testdata", "program", "multicall.sh"))
	res := runOne(t, &Runner{New: Side{Program: program}, Noise: NoiseOff}, testFixture("quiltimport/one-patch"))
	m := map[string]Mismatch{}
	for _, mm := range res.Mismatches {
		m[mm.Field] = mm
	}
	want := "+argv0=git-quiltimport args=--author A U Thor <author@example.com>\n"
	if !strings.Contains(m["stdout"].Diff, want) {
		t.Errorf("stdout diff lacks %q: %s", want, describe(res))
	}
	if text, _ := textOf(m["worktree:program-ran"].New); text != "exec-path=$SANDBOX/exec\n" {
		t.Errorf("the program did not run with the overlay as exec path: %q\n%s", text, describe(res))
	}
}

// TestEveryGitDirIsCaptured checks that bare repositories, submodules'
// git dirs and linked worktrees are found, compared without noise, and
// that a change in each is reported under its own field.
func TestEveryGitDirIsCaptured(t *testing.T) {
	t.Parallel()
	path := testFixture("repos/many")
	res := runOne(t, &Runner{Old: shell(":"), New: shell(":"), Noise: NoiseOn}, path)
	if res.Status != StatusPass || len(res.Noise) != 0 {
		t.Fatalf("self-parity with several repositories: %s", describe(res))
	}
	change := shell(`git -C upstream.git tag t1 main && git -C sub tag t2 && git tag -d packed >/dev/null && cd wt && echo x >x && git add x`)
	res = runOne(t, &Runner{Old: shell(":"), New: change, Noise: NoiseOff}, path)
	want := []string{
		"ref:.git/modules/sub:refs/tags/t2",
		"ref:.git:refs/tags/packed",
		"ref:upstream.git:refs/tags/t1",
		"state:.git:worktrees/wt/index",
		"worktree:wt/x",
	}
	if got := fields(res.Mismatches); !slices.Equal(got, want) {
		t.Fatalf("mismatches %q, want %q\n%s", got, want, describe(res))
	}
}

// TestSideRemovingTheWorkTree checks that a side deleting the whole work
// dir, or leaving read-only directories, is compared, not a runner error.
func TestSideRemovingTheWorkTree(t *testing.T) {
	t.Parallel()
	path := testFixture("noise/random")
	res := runOne(t, &Runner{Old: shell(":"), New: shell(`cd .. && rm -rf work`), Noise: NoiseOff}, path)
	if res.Status != StatusFail || !slices.Equal(fields(res.Mismatches), []string{"worktree:stable.txt"}) {
		t.Fatalf("want stable.txt reported missing, got %s", describe(res))
	}
	readOnly := shell(`mkdir -p locked/in && echo x >locked/in/f && chmod 555 locked/in locked`)
	res = runOne(t, &Runner{Old: readOnly, New: readOnly, Noise: NoiseOn}, path)
	if res.Status != StatusPass || len(res.Noise) != 0 {
		t.Fatalf("read-only directories: %s", describe(res))
	}
}

// TestStandaloneFixture checks standalone: on: the command under test is
// the program NAME on PATH (here the system's echo), not git NAME; a
// program side stands as NAME ahead of PATH, for the command itself and
// for a run: line, and the zero side runs the installed program.
func TestStandaloneFixture(t *testing.T) {
	t.Parallel()
	program, _ := filepath.Abs(filepath.Join("testdata", "program", "multicall.sh"))
	args := writeFixture(t, "echo/args", "standalone: on\nargs: one two\n-- setup --\ngit init -q .\n")
	if res := runOne(t, &Runner{Self: true, Noise: NoiseOff}, args); res.Status != StatusPass {
		t.Fatalf("self-parity of the installed echo: %s", describe(res))
	}
	res := runOne(t, &Runner{New: Side{Program: program}, Noise: NoiseOff}, args)
	m := map[string]Mismatch{}
	for _, mm := range res.Mismatches {
		m[mm.Field] = mm
	}
	if d := m["stdout"].Diff; !strings.Contains(d, "-one two\n") || !strings.Contains(d, "+argv0=echo args=one two\n") {
		t.Errorf("want the installed echo against the program run as echo, got %s", describe(res))
	}
	run := writeFixture(t, "echo/run", "standalone: on\nrun: exec echo three\n-- setup --\ngit init -q .\n")
	res = runOne(t, &Runner{New: Side{Program: program}, Noise: NoiseOff}, run)
	if d := fieldDiff(res, "stdout"); !strings.Contains(d, "+argv0=echo args=three\n") {
		t.Errorf("a run: line should find the program as echo on PATH, got %s", describe(res))
	}
}

func fieldDiff(res *Result, field string) string {
	for _, m := range res.Mismatches {
		if m.Field == field {
			return m.Diff
		}
	}
	return ""
}
