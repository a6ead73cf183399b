package translate_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/translate"
)

// bashNounsetSnippets exercise set -u (and the other options of set)
// in bash scripts: what expands an unset parameter ends the script (or
// the subshell) with bash's message and status 1, what does not goes on.
var bashNounsetSnippets = map[string]string{
	// The translation once printed "a=" and "after", status 0.
	"nounset-repro": `set -u
echo "a=$undefined_var"
echo after`,
	"nounset-allowed": `set -u
echo "[$@] [$*] [$#] [$?] [$-]"
echo "[${x-d}] [${x:-d}] [${x+a}] [${x:+a}] [${x=d}] $x"
a=(); echo "[${a[@]}] [${#a[@]}]"
declare -A m; echo "[${m[@]}]"
set -- a; echo "$1 ${2-none} ${2:-empty}"
set +u; echo "off [$undefined] [$-]"; set -o nounset; echo "long [$-]"
f() { local l=1; echo "$l"; }; f
echo "$(echo "[$inner_unset]")"; echo "sub $?"
( echo "$in_subshell" ); echo "subshell $?"
z=1; echo "arith $((z + 1)) $((w = 2)) $w"
trap 'echo "trap $?"' EXIT
[[ -n ${u-} ]] || echo "test ok"
case ${cased:-} in '') echo empty-case ;; esac
echo "last $undefined_at_end"
echo never`,
	// The variables bash sets itself are set.
	"nounset-shell-variables": `set -u
[ "$PPID" -gt 1 ] && [ "$UID" = "$(id -u)" ] && [ "$EUID" = "$(id -u)" ] && echo ids
[ "$HOSTNAME" = "$(uname -n)" ] && echo hostname
[ "$RANDOM" -ge 0 ] && [ "$SECONDS" -ge 0 ] && [ "$BASHPID" -gt 1 ] && echo counters
echo "line $LINENO $HOSTTYPE $OSTYPE $MACHTYPE"
[[ $MACHTYPE == "$HOSTTYPE"-*-"$OSTYPE" ]] && echo "interpreted line $LINENO"
echo "${FUNCNAME-} ${FUNCNAME:-top}"`,
	"nounset-arith": `set -euo pipefail
x=1; echo "$((x + 1))"
echo "$((x + y))"
echo never`,
	"nounset-arith-assign": `set -u
echo "$((n += 1))"
echo never`,
	"nounset-function": `set -u
f() { echo "in f"; echo "f: $unset_in_f"; echo "not reached"; }
f || echo "or"
echo never`,
	"nounset-local": `set -u
f() { local v; echo "[$v]"; }
v=global; f
echo never`,
	"nounset-bang": `set -u
echo "[$!]"
echo never`,
	"nounset-bash-expansion": `set -u
x=abc; echo "${x^^} ${x/b/B} ${x:1:1}"
echo "${y^^}"
echo never`,
	"nounset-test-clause": `set -u
x=1
[[ -n $x ]] && echo "x set"
[[ -n $u ]] && echo yes
echo never`,
	"nounset-for-case": `set -u
for w in a b; do echo "$w"; done
for w in $missing_list; do echo "$w"; done
echo never`,
	// bash's call stack: the translation printed "" for $FUNCNAME, and
	// stopped on it under set -u.
	"funcname": `echo "top [${FUNCNAME-unset}] [${#FUNCNAME[@]}] [${#BASH_SOURCE[@]}] [${BASH_LINENO[*]}]"
echo "${BASH_SOURCE[*]}" >&2
g() { echo "g: $FUNCNAME ${FUNCNAME[1]} ${FUNCNAME[2]} ${#FUNCNAME[@]} [${FUNCNAME[*]}] [${BASH_LINENO[*]}]"; echo "${BASH_SOURCE[*]}" >&2; }
f() {
	echo "f: $FUNCNAME ${FUNCNAME[1]} ${#FUNCNAME[@]}"
	g
	( echo "sub: $FUNCNAME ${#FUNCNAME[@]}" )
	echo "cs: $(echo "$FUNCNAME")"
	x=$FUNCNAME; echo "x $x"
	eval 'echo "eval: $FUNCNAME ${FUNCNAME[1]}"'
}
f
set -u
f a
( echo "top sub [${FUNCNAME-unset}]" )
echo "$FUNCNAME"
echo never`,
	// bash goes on after set's errors.
	"set-options": setOptionsSnippet + `set -Q; echo "after bad option $?"
set -o bogus; echo "after bad name $?"`,
}

// nounsetBoth are set -u snippets that run the same under dash and
// bash (each with its own message and status): they join snippets and
// bashNounsetSnippets.
var nounsetBoth = map[string]string{
	"nounset-positional": `set -u
set -- one
echo "$1"
echo "$2"
echo never`,
	// The script's own text on standard error is not the interpreter's
	// set -u message: it stays as written (it was once rewritten).
	"nounset-own-message": `set -u
t='echo "x: unbound variable" >&2'
eval "$t"
echo "after $?"`,
	// set -u in eval's literal text keeps the variables in the State in
	// the idiomatic stage: a Go variable printed "[]" for y.
	"nounset-eval-text": `x=1
eval 'set -u'
echo "[$x]"
echo "[$y]"
echo never`,
	"nounset-eval-var": `x=1
t='set -o nounset'
eval "$t"
echo "[$x]"
echo "[$y]"
echo never`,
	"nounset-length": `set -o nounset
x=abc; echo "${#x} ${x#a} ${x%c}"
echo "${#y}"
echo never`,
}

func init() {
	for name, src := range nounsetBoth {
		snippets[name] = src
		bashNounsetSnippets[name] = src
	}
}

// TestNounsetAgainstBash runs each snippet of bashNounsetSnippets under
// the installed bash and as its compiled translation, raw and
// idiomatic, and wants the same output and status.
func TestNounsetAgainstBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed")
	}
	for _, stage := range []string{"raw", "idiomatic"} {
		t.Run(stage, func(t *testing.T) {
			dir, bin := buildSnippets(t, bashNounsetSnippets, "#!/bin/bash", stage == "idiomatic")
			for name := range bashNounsetSnippets {
				t.Run(name, func(t *testing.T) {
					script := filepath.Join(dir, "git-"+name)
					wantOut, wantErr, wantStatus := runIn(t, t.TempDir(), "bash", script)
					link := linkAs(t, bin, "git-"+name)
					gotOut, gotErr, gotStatus := runIn(t, t.TempDir(), link)
					wantErr = strings.ReplaceAll(wantErr, script, "$0")
					gotErr = strings.ReplaceAll(gotErr, link, "$0")
					if gotOut != wantOut || gotErr != wantErr || gotStatus != wantStatus {
						t.Errorf("bash: status %d\nstdout:\n%s\nstderr:\n%s\ntranslation: status %d\nstdout:\n%s\nstderr:\n%s",
							wantStatus, wantOut, wantErr, gotStatus, gotOut, gotErr)
					}
				})
			}
		})
	}
}

// TestSourcedNounsetKeepsVariables: a script sourcing a translated
// library that turns on set -u keeps its variables in the State in the
// idiomatic stage (a Go local cannot be unset), and its expansions name
// their lines.
func TestSourcedNounsetKeepsVariables(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "git-strict-lib"), []byte("#!/bin/sh\nset -u\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "git-uses-strict")
	src := "#!/bin/sh\n. git-strict-lib\nx=1\necho \"$x\"\necho \"$x $y\"\n"
	if err := os.WriteFile(script, []byte(src), 0o755); err != nil {
		t.Fatal(err)
	}
	proj := &translate.Project{ExecPath: dir, Module: "kiln.test/strict", Idiomatic: true}
	out, err := proj.Add(script, "")
	if err != nil {
		t.Fatal(err)
	}
	l := out.Result.Report.Lowering
	if len(l.Lowered) != 0 {
		t.Errorf("lowered %v although the library turns on set -u", l.Lowered)
	}
	if why := l.Kept["x"]; !strings.Contains(why, "set -u") {
		t.Errorf("x kept because %q, want the library's set -u", why)
	}
	if !strings.Contains(string(out.Result.Go), "s.At(5)") {
		t.Errorf("the echo of line 5 does not name its line:\n%s", out.Result.Go)
	}
}

// TestRunTimeNounsetOverGoVariables: set -u or set -a reached with
// options known only at run time, while the idiomatic translation keeps
// variables in Go (which cannot be unset, and whose assignments skip
// allexport), says so once on standard error; it went on silently.
func TestRunTimeNounsetOverGoVariables(t *testing.T) {
	src := map[string]string{"runtime-nounset": `x=1
opts=-u
set $opts
set $opts
echo "[$x]"
all=-a
set $all
y=2
echo "[$y]"
set a b
echo "$#"`}
	_, bin := buildSnippets(t, src, "#!/bin/sh", true)
	link := linkAs(t, bin, "git-runtime-nounset")
	out, errOut, status := runIn(t, t.TempDir(), link)
	if out != "[1]\n[2]\n2\n" || status != 0 {
		t.Errorf("status %d, stdout:\n%s", status, out)
	}
	// The idiomatic stage names lines for set -u's messages only where
	// the script's own text turns it on (Config.UnforeseenNounset): it
	// says so when options known only at run time turn it on.
	for _, want := range []string{"set -o nounset over the variables the idiomatic translation keeps in Go (", "set -o allexport over the variables",
		"set -o nounset from text known only at run time: the messages of unset parameters may name an earlier line"} {
		if strings.Count(errOut, want) != 1 {
			t.Errorf("stderr does not say once %q:\n%s", want, errOut)
		}
	}
}
