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
	// An unquoted ${x:+word} or ${x:-word} whose word has quoted parts:
	// the quoted parts stay whole fields (git-submodule:132 and :349
	// pass --reference "$path" so).
	"alternate-quoted-word": `p="./up stream/lib"; e=; r="--reference=$p"
printf '<%s>' ${p:+--reference "$p"} end; echo
printf '<%s>' ${r:+"$r"} ${e:+"$e"} ${u+"$u"} end; echo
printf '<%s>' ${e:-"a b" c} ${u-'x  y'} ${p:-"never"} end; echo
printf '<%s>' x${p:+"1 2"}y ${p:+-C\ $p} ${p+a\ b*} end; echo
set -- "one arg" two
printf '<%s>' ${1:+"$1"} ${3:+"$3"} ${1+"$@"} end; echo
IFS=:; q="a:b"; printf '<%s>' ${q:+"$q" $q} end; echo`,
	// kill is dash's builtin (its messages, the blank line after "No
	// such process"), and $! is the pid of the program a background
	// job started (git-instaweb:124 saves it, :146 kills it).
	"kill-and-background-pid": `kill 99999999; echo "kill $?"
kill -s BOGUS 1; echo "bad signal $?"
kill; echo "no pid $?"
kill -0 $$; echo "self $?"
sleep 30 & pid=$!
case $pid in ''|*[!0-9]*) echo "no pid: [$pid]" ;; *) echo "has a pid" ;; esac
kill "$pid" && echo killed`,
	// Text run by eval keeps the script's IFS, and so does the script
	// after it (git-mergetool:543 evals after git-mergetool--lib:5 set
	// IFS to a newline).
	"eval-keeps-ifs": `IFS='
'
v="a b
c d"
eval 'set -- x'
for w in $v; do echo "[$w]"; done
eval 'for w in $v; do echo "eval [$w]"; done'
unset IFS
eval 'set -- y'
for w in $v; do echo "<$w>"; done`,
	// A redirection without a command creates (or truncates) its file
	// and applies to nothing after it.
	"redirection-only": `echo old >f
>f
echo "after" 
cat f; echo "size [$(cat f)]"
>>g 2>&1; echo "status $?"; ls g
>no/such/dir; echo "failed $?"
echo end`,
	// Tools and builtins still see a regular file as a file (cat's
	// "input file is output file").
	"output-file-identity": `echo x >f
cat f >>f; echo "cat $?"
cat f`,
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
	// set -u: expanding an unset variable ends the script with dash's
	// message and status 2, before the command runs; the translation
	// once printed "a=" and went on.
	"nounset": `set -u
echo "a=$undefined_var"
echo after`,
	// ${x?message} ends the script before its command runs (the
	// translation once ran echo with "" and went on).
	"required-parameter": `echo "a=${undefined_var?is needed}"
echo after`,
	// An arithmetic error ends the script before its command runs.
	"arith-error": `echo "a=$((1 / 0))"
echo after`,
	// Under set -C, >| still overwrites (the translation once treated
	// it as >).
	"noclobber-override": `set -C
echo first >f
echo second >f; echo "status $?"
echo third >|f; cat f`,
}

// TestFidelityAgainstDash compiles each fidelity snippet's translation
// and runs it beside dash on the same script.
func TestFidelityAgainstDash(t *testing.T) {
	dir, bin := buildDashSnippets(t, fidelitySnippets)
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

// TestHashObjectRunsInProcess: the translation of a script calling
// `git hash-object -w "$file"` reports the call in-process, and the built
// port keeps it so: no git process is started (a git first on PATH logs
// every start), and the output is the script's under dash.
func TestHashObjectRunsInProcess(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "git-hashfile")
	src := "#!/bin/sh\nprintf 'one\\r\\ntwo\\n' >\"$1\"\nid=$(git hash-object -w \"$1\")\necho \"$id\"\ngit hash-object -t blob \"$1\" \"$1\"\n"
	if err := os.WriteFile(script, []byte(src), 0o755); err != nil {
		t.Fatal(err)
	}
	mod, proj := translatedModule(t, []string{script})
	r := proj.Outputs[len(proj.Outputs)-1].Result.Report
	if r.GitCalls != 2 || r.GitMapped != 2 {
		t.Fatalf("report: %d git calls, %d in-process; want 2 and 2", r.GitCalls, r.GitMapped)
	}
	bin := filepath.Join(mod, "builtins")
	goCmd(t, mod, "build", "-o", bin, "./cmd/builtins")

	logged := filepath.Join(dir, "git-starts")
	wrap := filepath.Join(dir, "wrap")
	if err := os.MkdirAll(wrap, 0o755); err != nil {
		t.Fatal(err)
	}
	real, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	logger := "#!/bin/sh\necho \"$*\" >>" + logged + "\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(wrap, "git"), []byte(logger), 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(argv ...string) (string, string, int) {
		work := t.TempDir()
		init := exec.Command("git", "init", "-q", work)
		init.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + work}
		if out, err := init.CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		os.Remove(logged)
		return runIn(t, work, argv...)
	}
	t.Setenv("PATH", wrap+string(os.PathListSeparator)+os.Getenv("PATH"))
	wantOut, wantErr, wantStatus := run("dash", script, "file with spaces")
	if data, _ := os.ReadFile(logged); len(data) == 0 {
		t.Fatal("the logging git did not see the script's calls")
	}
	// Run as git runs it, as git-hashfile: the script's PATH is the
	// caller's, where the logging git comes first.
	link := filepath.Join(dir, "git-hashfile-port")
	if err := os.MkdirAll(link, 0o755); err != nil {
		t.Fatal(err)
	}
	link = filepath.Join(link, "git-hashfile")
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	gotOut, gotErr, gotStatus := run(link, "file with spaces")
	if gotOut != wantOut || gotErr != wantErr || gotStatus != wantStatus {
		t.Errorf("dash: status %d stdout %q stderr %q\ntranslation: status %d stdout %q stderr %q",
			wantStatus, wantOut, wantErr, gotStatus, gotOut, gotErr)
	}
	if data, err := os.ReadFile(logged); err == nil {
		t.Errorf("the translation started git: %s", data)
	}
}
