package translate_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// fidelitySnippets are scripts that once behaved differently as their
// translation than under dash (issue 12's fidelity bugs);
// TestFidelityAgainstDash runs each under dash and as its compiled
// translation, in a work dir of its own, and wants the same output and
// status.
var fidelitySnippets = map[string]string{
	// A reader that closes early ends the writer as SIGPIPE does: git
	// (spawned or in-process) silently with status 141, a subshell
	// writing with builtins at once, without its exit trap.
	"broken-pipe": `git init -q repo && cd repo
awk 'BEGIN { for (i = 0; i < 20000; i++) print "line " i }' >big
git add big
git -c user.name=a -c user.email=b@c commit -q -F big
git log | head -1 | cut -c1-6
echo "after $?"
{ git log; echo "log: $?" >&2; } | head -1 >/dev/null
{ git cat-file blob HEAD:big; echo "cat-file: $?" >&2; } | head -1
{ while :; do echo y; done; echo never >&2; } | head -1
(trap 'echo trap >&2' 0; while :; do printf 'x\n'; done) | head -1; echo "printf $?"
x=$( (while :; do echo z; done) | head -2); echo "$x"
cd .. && rm -rf repo`,
	// `. NAME` of a file on no PATH directory stops the script with
	// dash's message and status 2, in a function or a subshell too; a
	// file that is found is read, by PATH or by its path.
	"source-missing": `echo before
mkdir d && echo 'y=found' >d/lib && echo 'x=read' >lib.sh
. ./lib.sh; echo "x=$x"
PATH=$PWD/d:$PATH . lib; echo "y=$y"
(. ./no-such-file; echo not-here); echo "subshell $?"
f() { . git-parse-remote; echo "not after"; }
f || echo "nor here"
echo after`,
}

// TestFidelityAgainstDash compiles each fidelity snippet's translation
// and runs it beside dash on the same script.
func TestFidelityAgainstDash(t *testing.T) {
	if _, err := exec.LookPath("dash"); err != nil {
		t.Fatal("dash is needed (install it: apt-get install dash)")
	}
	dir := t.TempDir()
	var scripts []string
	for name, src := range fidelitySnippets {
		p := filepath.Join(dir, "git-"+name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+src+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, p)
	}
	mod, _ := translatedModule(t, scripts)
	bin := filepath.Join(mod, "builtins")
	goCmd(t, mod, "vet", "./...")
	goCmd(t, mod, "build", "-o", bin, "./cmd/builtins")
	for name := range fidelitySnippets {
		t.Run(name, func(t *testing.T) {
			script := filepath.Join(dir, "git-"+name)
			wantOut, wantErr, wantStatus := runIn(t, t.TempDir(), "dash", script)
			gotOut, gotErr, gotStatus := runIn(t, t.TempDir(), bin, name)
			// $0 in the shell's messages: the script's path under dash,
			// the exec path's under the translation.
			dollar0 := regexp.MustCompile(`(?m)^\S*/(git-` + regexp.QuoteMeta(name) + `: )`)
			wantErr = dollar0.ReplaceAllString(wantErr, "$1")
			gotErr = dollar0.ReplaceAllString(gotErr, "$1")
			if gotOut != wantOut || gotErr != wantErr || gotStatus != wantStatus {
				t.Errorf("dash: status %d\nstdout:\n%s\nstderr:\n%s\ntranslation: status %d\nstdout:\n%s\nstderr:\n%s",
					wantStatus, wantOut, wantErr, gotStatus, gotOut, gotErr)
			}
		})
	}
}
