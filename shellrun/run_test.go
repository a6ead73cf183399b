package shellrun

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"mvdan.cc/sh/v3/syntax"
)

// testEnv is a clean, deterministic environment that keeps real git away
// from the user's configuration.
func testEnv(t *testing.T) []string {
	t.Helper()
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"LC_ALL=C", "TZ=UTC",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_AUTHOR_DATE=1112911993 -0700", "GIT_COMMITTER_DATE=1112911993 -0700",
	}
}

func parse(t *testing.T, name, src string) *syntax.File {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// runBoth runs src with dash and with Run in dir, and returns both
// outputs (stdout then stderr) and statuses.
func runBoth(t *testing.T, dir, src string) (dash, ours string, dashStatus, ourStatus int) {
	t.Helper()
	dashPath, err := exec.LookPath("dash")
	if err != nil {
		t.Fatalf("dash is needed to compare with: %v", err)
	}
	script := filepath.Join(dir, "script.sh")
	if err := os.WriteFile(script, []byte(src), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dashPath, script)
	cmd.Dir, cmd.Env = dir, testEnv(t)
	var dout, derr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &dout, &derr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			dashStatus = ee.ExitCode()
		} else {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	ourStatus, _, err = Run(context.Background(), parse(t, script, src), nil,
		Options{Env: testEnv(t), Dir: dir, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	if err != nil {
		t.Fatal(err)
	}
	return dout.String() + "|" + derr.String(), out.String() + "|" + errb.String(), dashStatus, ourStatus
}

func TestDashEcho(t *testing.T) {
	for _, src := range []string{
		`echo a\\tb 'c\nd'`,
		`echo -n no newline; echo`,
		`echo -e x`,
		`echo 'stop\chere' never`,
		`echo '\0101\0' '\101' 'back\\slash' '\q'`,
		`echo "" ""`,
		`echo`,
	} {
		dash, ours, ds, os := runBoth(t, t.TempDir(), src+"\n")
		if dash != ours || ds != os {
			t.Errorf("%s:\ndash %q (%d)\nours %q (%d)", src, dash, ds, ours, os)
		}
	}
}

func TestDescriptorInput(t *testing.T) {
	dir := t.TempDir()
	list := "one 1 x y\n  two\t2\n back\\\nslash raw\\\\ \nlast no newline"
	if err := os.WriteFile(filepath.Join(dir, "list"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `n=0
while read a b rest <&3
do
	n=$((n+1))
	echo "[$a] [$b] [$rest]"
	read from_stdin || echo "stdin still empty"
done 3<list
echo "status $? after $n; last [$a] [$b] [$rest]"
while read -r line <&4; do echo "raw [$line]"; done 4<list
! true 3<list; echo "negated $?"
cat <&0 3<missing; echo "after missing $?"
`
	dash, ours, ds, os := runBoth(t, dir, src)
	if diff := cmp.Diff(dash, ours); diff != "" || ds != os {
		t.Errorf("dash (-) vs kiln (+), status %d vs %d:\n%s", ds, os, diff)
	}
}

func TestUnsupportedDescriptorIsRefused(t *testing.T) {
	f := parse(t, "x.sh", "echo start\nexec 3>log\necho hi >&3\n")
	var out bytes.Buffer
	_, _, err := Run(context.Background(), f, nil, Options{Env: testEnv(t), Dir: t.TempDir(), Stdout: &out, Stderr: &out})
	want := "x.sh:2:6: file descriptor 3: only `N<file` and `read ... <&N` are supported above 2"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	if out.Len() != 0 {
		t.Errorf("the script ran: %q", out.String())
	}
}

func TestTrapOnExit(t *testing.T) {
	dash, ours, ds, os := runBoth(t, t.TempDir(), "trap 'echo bye' 0 1 2 15\ntrap 'echo never' INT\necho hi\nexit 3\n")
	if dash != ours || ds != os {
		t.Errorf("dash %q (%d), ours %q (%d)", dash, ds, ours, os)
	}
}

// TestGitCalls runs git through the script: calls gitapi implements run
// in-process, the rest fall back to git, and both are counted.
func TestGitCalls(t *testing.T) {
	dir := t.TempDir()
	git := exec.Command("git", "init", "-q", "-b", "main", dir)
	git.Env = testEnv(t)
	if out, err := git.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	src := `git rev-parse --git-dir
git commit -q --allow-empty -m first
git rev-parse --verify -q HEAD >/dev/null && echo has-head
sed -n 1p .git/HEAD
`
	var out, errb bytes.Buffer
	status, stats, err := Run(context.Background(), parse(t, "s.sh", src), nil,
		Options{Env: testEnv(t), Dir: dir, Stdout: &out, Stderr: &errb})
	if err != nil || status != 0 {
		t.Fatalf("status %d, err %v, stderr %s", status, err, errb.String())
	}
	if got, want := out.String(), ".git\nhas-head\nref: refs/heads/main\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if got, want := counts(stats), (statCounts{InProcess: 2, Fallback: 1, Tools: 1}); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
}

// TestToolsInProcess runs the corpus's text tools through a script: the
// output is dash's, the calls are counted as tools, a prefix assignment
// (LANG=C LC_ALL=C sed, as git-sh-setup:267) reaches the tool, head, sed
// q and grep -q stop reading an endless pipe, and a program of the same name
// first on PATH is run instead.
func TestToolsInProcess(t *testing.T) {
	dir := t.TempDir()
	src := `printf 'Author: A U Thor\nEmail: a@e\n' >info
sed -ne 's/Author: //p' info
name=$(expr "zA U Thor <a@e>" : 'z\(.*[^ ]\) *<.*') && echo "$name"
echo 0001-x.patch | sed -e 's/.patch$//'
LANG=C LC_ALL=C sed -n '$=' info
printf 'abc refs/heads/main\n' | cut -d' ' -f2
echo ab | tr a-z A-Z
mkdir -p d/e && rm -rf d && echo gone
expr 1 + 1 >/dev/null; echo "status $?"
expr 0 : 1; echo "status $?"
printf '1\n2\n3\n' >lines
{ head -n 1; echo then; cat; } <lines
yes | head -n 2
yes n | sed 2q
yes | grep -q y && echo found
`
	dash, ours, ds, st := runBoth(t, dir, src)
	if dash != ours || ds != st {
		t.Errorf("dash %q (%d), ours %q (%d)", dash, ds, ours, st)
	}
	var out, errb bytes.Buffer
	_, stats, err := Run(context.Background(), parse(t, "s.sh", src), nil,
		Options{Env: testEnv(t), Dir: t.TempDir(), Stdout: &out, Stderr: &errb})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts(stats), (statCounts{Tools: 15, Spawned: 3}); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}

	bin := t.TempDir()
	fake := "#!/bin/sh\necho fake sed\n"
	if err := os.WriteFile(filepath.Join(bin, "sed"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(testEnv(t), "PATH="+bin+":"+os.Getenv("PATH"))
	out.Reset()
	_, stats, err = Run(context.Background(), parse(t, "s.sh", "echo x | sed p\n"), nil,
		Options{Env: env, Dir: t.TempDir(), Stdout: &out, Stderr: &errb})
	if err != nil || out.String() != "fake sed\n" || stats.Tools.Load() != 0 || stats.Spawned.Load() != 1 {
		t.Errorf("with a sed first on PATH: out %q, stats %+v, err %v", out.String(), counts(stats), err)
	}
}

// statCounts is a Stats read at one moment, comparable with ==.
type statCounts struct{ InProcess, Fallback, Tools, Spawned int64 }

func counts(s *Stats) statCounts {
	return statCounts{s.InProcess.Load(), s.Fallback.Load(), s.Tools.Load(), s.Spawned.Load()}
}

// TestBrokenPipeGit: a reader that closes early ends git, spawned or
// in-process, as SIGPIPE does under dash: no message, status 141.
func TestBrokenPipeGit(t *testing.T) {
	src := `git init -q repo && cd repo
awk 'BEGIN { for (i = 0; i < 20000; i++) print "line " i }' >big
git add big
git commit -q -F big
git log | head -1 | cut -c1-6
{ git log; echo "log: $?" >&2; } | head -1 >/dev/null
{ git cat-file blob HEAD:big; echo "cat-file: $?" >&2; } | head -1
cd .. && rm -rf repo
`
	dash, ours, ds, st := runBoth(t, t.TempDir(), src)
	if dash != ours || ds != st {
		t.Errorf("dash %q (%d), ours %q (%d)", dash, ds, ours, st)
	}
}

// TestSourceMissing: `. NAME` of a file that cannot be found stops the
// script as dash does ("$0: LINE: .: NAME: not found", status 2), in a
// subshell only that subshell; files that are found are read.
func TestSourceMissing(t *testing.T) {
	for _, src := range []string{
		"echo before\n. git-parse-remote\necho after\n",
		"mkdir -p d && echo 'y=found' >d/lib && echo 'x=read' >lib.sh\n. ./lib.sh; echo \"x=$x\"\n" +
			"PATH=$PWD/d:$PATH . lib; echo \"y=$y\"\n(. ./no-such-file; echo not-here); echo \"subshell $?\"\n" +
			"f() { . nothing-here; echo \"not after\"; }\nf || echo \"nor here\"\necho after\n",
	} {
		dash, ours, ds, st := runBoth(t, t.TempDir(), src)
		if dash != ours || ds != st {
			t.Errorf("%s:\ndash %q (%d)\nours %q (%d)", src, dash, ds, ours, st)
		}
	}
}

// TestSubshellOptionsStayInside: set in a subshell (pipeline stages at
// once) changes neither the parent's options nor $-, and is race-free.
func TestSubshellOptionsStayInside(t *testing.T) {
	var out strings.Builder
	s := NewState(Config{Name: "t", Stdout: &out, Env: []string{}})
	s.SetOption("-e")
	stage := func(s *State) { s.SetOption("-u", "-x"); s.Echo(s.Get("-")) }
	s.Pipe(stage, stage)
	s.Subshell(func(s *State) { s.SetOption("+e", "-f") })
	s.Echo(s.Get("-"))
	if got := out.String(); !strings.HasSuffix(got, "e\n") || strings.Count(got, "\n") != 2 {
		t.Errorf("output %q, want the last stage's flags, then the parent's: e", got)
	}
}
