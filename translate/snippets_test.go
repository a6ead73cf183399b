package translate_test

import (
	"bytes"
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiln-dev/kiln/translate"
	"mvdan.cc/sh/v3/syntax"
)

// snippets are small scripts, each exercising constructs the translator
// handles natively; TestSnippetsAgainstDash runs each under dash and as
// its compiled translation and wants the same output and status.
var snippets = map[string]string{
	"if-elif-else": `x=2
if [ "$x" = 1 ]; then echo one; elif [ "$x" = 2 ]; then echo two; else echo other; fi
if false; then echo no; fi; echo "status $?"`,
	"while-until-break-continue": `i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	case $i in 2) continue ;; 7) break ;; esac
	echo "i=$i"
done
until [ $i -le 3 ]; do i=$((i - 2)); echo "down $i"; done
while false; do :; done; echo "while status $?"`,
	"for-and-globs": `mkdir d && touch d/b.txt d/a.txt d/.hidden d/c.log
for f in d/*.txt d/*.none; do echo "f=$f"; done
set -- "x y" z
for a; do echo "[$a]"; done
for a in "$@"; do echo "<$a>"; done
rm -r d`,
	"case-patterns": `for w in abc a.c '*' --foo=bar -x ''; do
	case "$w" in
	a?c) echo "$w: a?c" ;;
	'*') echo "$w: star" ;;
	--foo=*) echo "$w: foo ${w#--foo=}" ;;
	-[xy]) echo "$w: short" ;;
	'') echo "empty" ;;
	*) echo "$w: other" ;;
	esac
done`,
	"and-or-not": `true && echo a || echo b
false && echo c || echo d
! false && echo e
false || false || echo f
test -n "" && echo g; echo "last $?"`,
	"functions-locals-return": `f() {
	local v=inner
	echo "f: $# $1 $v"
	return 3
}
v=outer
f one two; echo "status $? v=$v"
g() { echo "g $*"; f "$@"; }
g p q
h() { if [ "$1" = stop ]; then return; fi; echo "h $1"; }
h go; h stop; echo done`,
	"params": `x=hello.tar.gz
echo "${x%.gz} ${x%%.*} ${x#*.} ${x##*.} ${#x}"
unset u; e=
echo "[${u:-def}] [${e:-def}] [${e-def}] [${u+set}] [${x:+alt}]"
: ${n:=assigned}; echo "$n"
set -- a b c; echo "$# $1 $3 $*"; shift; echo "$# $@"
echo "$((3 * (4 + 1))) $((7 / 2)) $((7 % 3))"`,
	"splitting": `v="  a  b	c "
printf '<%s>' $v; echo
IFS=:; w="x::y:"; printf '<%s>' $w; echo; unset IFS
printf '<%s>' "$v"; echo
e=; printf '<%s>' $e "" x; echo`,
	"subshell-capture-pipe": `x=1
(x=2; echo "in $x"; exit 4); echo "out $x status $?"
y=$(echo captured; echo more)
echo "$y"
z=$(printf 'a\n\n\n'); echo "[$z]"
echo one two three | tr ' ' '\n' | sort -r
echo "pipe status $?"`,
	"redirections-heredoc": `echo first >out.txt
echo second >>out.txt
cat <out.txt
{ echo err >&2; echo to-out; } 2>&1
name=world
cat <<EOF
hello $name $(echo sub)
\$not expanded
EOF
cat <<'EOF'
literal $name
EOF
	cat <<-EOF
	tabs stripped $name
	EOF
rm out.txt`,
	"read-loop": `printf 'a b c\nd e\n\nlast' >in.txt
while read x y; do echo "x=$x y=$y"; done <in.txt
exec 3<in.txt
read l1 <&3; read l2 <&3; echo "$l1|$l2"
rm in.txt`,
	"trap-exit": `trap 'echo trapped $?' 0
echo body
exit 5`,
	"eval-and-dynamic": `cmd=echo
$cmd dynamic
eval 'e1=1; echo "eval $e1"'
echo "after $e1"
set -- x y; eval "last=\${$#}"; echo "$last"`,
	"set-e": `set -e
f() { false; echo "not here"; }
if f; then echo "f ok"; else echo "f failed"; fi
false || echo "or ok"
true
echo before
false
echo never`,
	"printf-test": `printf '%s-%d-%05.1f|%x\n' str 42 3.14159 255
printf '%b\n' 'a\tb'
[ 3 -lt 10 ] && echo lt
test abc = abc -a -z "" && echo and
[ -d . ] && [ ! -f . ] && echo dir`,
	"getopts": `set -- -b -a val -q -a
while getopts "a:b" o; do echo "o=$o ${OPTARG:-}"; done; echo "after $OPTIND"
OPTIND=1; while getopts ":a:" o -x -a; do echo "silent $o $OPTARG"; done`,
	"exit-in-function": `die() { echo "dying: $*" >&2; exit 7; }
echo start
die bad thing
echo unreachable`,
	"nounset-allowed": `set -u
echo "[$@] [$*] [$#] [$?] [$-]"
echo "[${x-d}] [${x:-d}] [${x+a}] [${x:+a}] [${x=d}] $x"
unset x; echo "arith $((x + 1)) $((y))"
set -- a; echo "$1 ${2-none} ${2:-empty}"
set +u; echo "off [$undefined] [$-]"; set -o nounset; echo "long [$-]"
f() { local l; l=set; echo "$l"; }; f
echo "$(echo "[$inner_unset]")"; echo "sub $?"
( echo "$in_subshell" ); echo "subshell $?"
v=$(echo "$in_capture"); echo "capture $? [$v]"
for i in 1; do :; done; echo "$i"; unset i
x=1; echo "required ${x?}"
trap 'echo "trap $?"' EXIT
case ${cased-} in '') echo empty-case ;; esac
echo "last $undefined_at_end"
echo never`,
	"nounset-in-function": `set -eu
f() { echo "in f"; echo "f: $unset_in_f"; echo "not reached"; }
trap 'echo "exit trap $?"' EXIT
f || echo "or"
echo never`,
	"nounset-trim": `set -u
echo "${z#a}" >out.txt
echo never`,
	"nounset-ppid": `set -u
[ "$PPID" -gt 1 ] && echo ppid
echo "[$LINENO]"`,
	"nounset-bang": `set -u
echo "before"
echo "[$!]"
echo never`,
	"nounset-exported-unset": `set -u
export e
readonly r
f() { local l; echo "[$l]"; }
if [ "$e" ]; then echo y; fi
echo never`,
	// A bare set lists the variables (gitflow-shFlags:185 reads its
	// own from the list).
	"set-listing": `x=; y="''a'"; z="'"; n='a
b'
export e; readonly r
set
f() { local l=local; set | grep '^l='; }; f
FLAGS_one=1 FLAGS_two=2
for v in $(set | awk -F= '/^FLAGS_/ {print $1}'); do echo "flag $v"; done`,
	// dash exits on set's error.
	"set-options": setOptionsSnippet + `set -Q; echo never`,
}

// setOptionsSnippet exercises the options of set the State keeps (-a,
// -C, -e, -u, -f) and one that changes nothing a script sees (-b), with
// $- after each; the dash and bash snippets end it with set's errors.
const setOptionsSnippet = `set -a
exported=yes
sh -c 'echo "child sees [$exported]"'
set +a
private=no
sh -c 'echo "child sees [$private]"'
set -C
echo first >f.txt
echo second >f.txt; echo "clobber status $?"
echo third >|f.txt; cat f.txt
echo dev >/dev/null && echo "devnull ok"
set +C; echo fourth >f.txt; cat f.txt; rm f.txt
set -eu; echo "[$-]"; set +eu
set -f; echo "[$-]" *; set +f
set -b; echo "[$-]"; set +b
`

// TestSnippetsAgainstDash compiles each snippet's translation and runs it
// beside dash on the same script.
func TestSnippetsAgainstDash(t *testing.T) {
	t.Run("raw", func(t *testing.T) { snippetsAgainstDash(t, snippets, false) })
	all := map[string]string{}
	for name, src := range snippets {
		all[name] = src
	}
	for name, src := range loweringSnippets {
		all[name] = src
	}
	t.Run("idiomatic", func(t *testing.T) { snippetsAgainstDash(t, all, true) })
}

// loweringSnippets exercise what the idiomatic stage lowers: statuses
// read or not after an if, a case, a loop or an assignment, lowered
// tests whose status an arm reads, variables lowered, from the
// environment, kept for eval, and code after exit.
var loweringSnippets = map[string]string{
	"lower-options": `PATH="$(git --exec-path):$PATH"
OPTIONS_KEEPDASHDASH=
OPTIONS_STUCKLONG=
OPTIONS_SPEC="\
t [options] args
--
n,dry-run     dry run
author=       the author
p,patches=    path
keep          keep it
"
NONGIT_OK=Yes
set -- -n --auth 'A U <a@e>' x --patches=p1 --no-dry-run -p -x --no-keep --keep -- "two words" -n
. git-sh-setup
dry= author=unset
while test $# != 0
do
	case "$1" in
	--author) shift; author="$1" ;;
	-n) dry=1 ;;
	-p) shift; PATCHES="$1" ;;
	--keep) keep=yes; also=1 ;;
	--) shift; break ;;
	*) echo "no arm: $1 ($#) dry=$dry patches=$PATCHES" ;;
	esac
	shift
done
echo "dry=$dry author=$author patches=$PATCHES keep=$keep also=$also"
echo "$# args:"; printf '<%s>' "$@"; echo`,
	"lower-options-error": `PATH="$(git --exec-path):$PATH"
OPTIONS_STUCKLONG=
OPTIONS_SPEC="\
t [options]
--
n,dry-run     dry run
"
NONGIT_OK=Yes
set -- -n --nope
. git-sh-setup
echo "not reached"
dry=
while test $# != 0
do
	case "$1" in
	-n) dry=1 ;;
	--) shift; break ;;
	esac
	shift
done
echo "dry=$dry $#"`,
	"lower-self-assign": `f() {
	list="$list"
	list="$list a"
	echo "f: $list"
}
list=x
f
f
y="$y"
y=${y}
echo "y=[$y] ${y-unset} list=$list"`,
	"lower-status": `a=1
if [ "$a" = 2 ]; then echo two; fi
echo "if status $?"
if [ "$a" = 1 ]; then echo "then status $?"; else echo "else status $?"; fi
if [ "$a" != 1 ]; then echo no; else echo "else status $?"; fi
if test -z "$a"; then echo empty; elif test -n "$a"; then echo "elif $?"; fi
case "$a" in 2) echo two ;; esac; echo "case status $?"
false; for i in $nothing; do :; done; echo "for status $?"
false; b=2; echo "assign status $? $b"
while false; do :; done; echo "while status $?"
if [ "$a" = 1 ]; then false; fi; echo "last $?"`,
	"lower-shape": `a=1 b= c=x
if [ -n "$a" ] && [ -z "$b" ]; then echo "and $?"; else echo "and else $?"; fi
if [ -n "$b" ] || [ "$c" = x ] && [ -z "$a" ]; then echo "grouped $?"; else echo "grouped else $?"; fi
if [ -n "$b" ] || [ -n "$c" ]; then echo "or"; fi
n=0; while [ -z "$b" ] && [ "$n" != 3 ]; do n=$(echo "$n" | tr 012 123); done; echo "while $n"
x=$(echo one) && [ -n "$x" ] && [ "$x" != two ] || echo "not reached"; echo "run $?"
x=$(echo one) && [ -z "$x" ] && [ -n "$a" ]; echo "run fails $?"
false && [ -n "$a" ] && [ -n "$c" ]; echo "run after false $?"
(exit 3) && [ -n "$a" ] && [ -n "$c" ]; echo "run after 3 $?"
x=$(echo one) && [ -n "$x" ] && [ -z "$x" ] || echo "die $?"
true && y=2; echo "assign after and $? $y"
case "$c" in x) ;; esac; echo "one arm empty $?"
case "$c" in y|"$a") echo hit ;; esac; echo "one arm missed $?"
case "$c" in y|x) echo "one arm $?" ;; esac
case "$(echo z)" in z*) echo "one arm subst" ;; esac
if [ "$a" = 2 ]; then echo two; else if [ "$a" = 1 ]; then echo "else if $?"; fi; fi; echo "after $?"
if [ "$a" = 2 ]; then echo two; elif [ "$c" = y ]; then echo y; else echo "elif else $?"; fi
v=$(printf 'b\na\n' | sort | head -n 1); echo "pipe text [$v] $?"
v=$(printf 'x\n' | grep -q y); echo "pipe text fails $?"
while read -r line; do last=$line; done <<EOF2
one
two
EOF2
echo "read loop $? $last"
while read -r line; do false; done <<EOF2
one
EOF2
echo "read loop status $?"`,
	"lower-set-e-conds": `set -e
a=1 b=
if test -z "$b"; then echo "empty $?"; else echo "not empty $?"; fi
if [ "$a" = 2 ]; then echo two; elif test -n "$a"; then echo "elif $?"; fi
test -n "$b" && echo "not here"
test -z "$b" || echo "not here either"
test -n "$b" || echo "or $?"
while read -r line; do echo "line $line"; done <<EOF2
x
EOF2
if cd /nonexistent 2>/dev/null; then echo cd; else echo "no cd $?"; fi
if git rev-parse --verify -q nosuch >/dev/null; then echo rev; else echo "no rev $?"; fi
if git rev-parse --verify -q nosuch; then echo rev; else echo "no rev plain $?"; fi
test -n "$b"
echo never`,
	"lower-nargs": `set -- a "b c"
while [ "$#" -gt 0 ]; do echo "arg $1"; shift; done
set -- x
if test $# = 1; then echo one; fi
if test $# -ne 01; then echo no; else echo "else $?"; fi
until [ $# -eq 0 ]; do shift; done; echo "left $#"`,
	"lower-locals": `f() {
	local n=0 list
	for w in "$@"; do list="$list${list:+,}$w"; done
	echo "f: $list ${n:-none} ${missing:-dflt}"
	local unused=1
	return 4
}
f a b c; echo "status $? list=[$list]"
f; echo "again [$list]"
g() { local v; echo "g sees [$v]"; v=set; echo "$v"; }
v=global; g; echo "$v"
q= r=yes
echo x ${q:+--quiet} ${r:+-v} ${r:+"a  b"} y
printf '<%s>' ${r:+a  b} ${q:-c  d}; echo
printf '<%s>' ${r:+-C "$r  x"} ${q:+-q "$q"} ${q:-"c  d" e} ${r:-"f  g"}; echo`,
	"lower-env-export": `echo "start [$head] [$EDITOR]"
printenv head w
head=changed w=assigned
echo "$head $w"
printenv head w
(printenv head)
got=$(printenv head); echo "substituted [$got]"
EDITOR=my-editor; echo "$EDITOR"
git var GIT_EDITOR
f() {
	local v
	echo "f sees [$v]"
	v=local-$1
	printenv v
	if [ "$1" = 1 ]; then f 2; fi
	echo "f $1 has [$v]"
}
f 1
printenv v`,
	"lower-func-globals": `count=0
bump() {
	count=$((count + 1))
	last=$1
	if [ "$1" = deep ]; then bump deeper; fi
	printenv last
}
show() { echo "count=$count last=$last depth=$depth"; }
nested() {
	depth=outer
	inner
	echo "nested sees depth=$depth"
}
inner() { depth=inner; show; }
bump a; show
bump deep; show
nested; show
echo "top: $last $depth"
printenv last depth
getone() { read line; echo "read [$line]"; }
echo hello | getone
echo "after pipe [$line]"
getone <<EOF2
world
EOF2
echo "after redirect [$line]"
n=0
while read word; do n=$((n + 1)); echo "$n: $word"; done <<EOF2
one
two
EOF2
echo "n=$n word=[$word]"
( n=$((n + 10)); echo "sub n=$n" ); echo "n=$n"`,
	"lower-eval-known": `OPTS_SPEC="t [options]
--
q,quiet    be quiet
n=         a number
"
set -- -q -n 5 rest "two words"
set_args="$(echo "$OPTS_SPEC" | git rev-parse --parseopt -- "$@" || echo exit $?)"
eval "$set_args"
quiet= num=
while test $# -gt 0
do
	case "$1" in
	-q) quiet=1 ;;
	-n) shift; num=$1 ;;
	--) shift; break ;;
	esac
	shift
done
echo "quiet=$quiet num=$num rest=$*"
words='echo "words: $quiet:$num"'
eval "$words" | cat
first="a b"
set $first; echo "$1+$2"
( set -- --bogus; bad="$(echo "$OPTS_SPEC" | git rev-parse --parseopt -- "$@" || echo exit $?)"; eval "$bad"; echo not reached ); echo "status $?"`,
	"lower-assign-default": `: ${a:=one}
echo "a=$a"
b=
echo "${b:=two} b=$b"
c=three
echo "${c:=four} c=$c"
echo "${d:=$(echo five)} d=$d"
echo "${c:=$(echo never >&2)} c=$c"
f=${p:="x y"}
echo "f=$f p=$p"
sh -c 'echo "child: [$q]"'
: ${q:=assigned}
sh -c 'echo "child: [$q]"'
echo "${r:=}" "r=[${r-unset}]"`,
	"lower-short-forms": `fatal() {
	echo "fatal: $*" >&2
	exit 3
}
note() { echo "note: $*"; }
mkdir -p d && touch d/f
if [ -d d ]; then note "d is a dir"; fi
if ! test -f d; then note "d is no file"; fi
if test -e d/none; then note never; else note "no d/none $?"; fi
[ -r d/f ] && note readable
n=0
while ! test -e d/g2; do touch d/g$n; n=$((n + 1)); done
note "made $(ls d | wc -l) files"
rm -r d
test -d d || fatal "d is gone"
note unreachable`,
	"lower-never-exits": `quiet() { echo "quiet $1"; return 0; }
shifty() { shift; echo "shifted $#"; }
for i in 1 2 3 4; do
	case $i in 2) continue ;; 4) break ;; esac
	quiet "$i"
done
echo "for status $?"
for i in a b; do quiet x; continue; done; echo "continue status $?"
while :; do false; break; done; echo "break status $?"
shifty one
shifty 2>/dev/null
echo not reached`,
	"lower-vars": `# a comment
list= sep=
for w in x y z
do
	list="$list$sep$w" # trailing comment
	sep=,
done
echo "$list after $w"
name=${list#x,}
echo "[$name] ${#name} ${name%,z}"
if test "$list" = "x,y,z"; then echo equal; fi
if ! test "$list" = "x"; then echo "not x"; fi
if [ "$from_env" ]; then echo "env $from_env"; fi
from_env=changed; echo "$from_env"
e=1; eval 'echo "eval sees $e"'
exit 3
echo never`,
	// Text known only at run time (here from the environment, as a
	// user's filter comes) reaches lowered variables by name: reads,
	// assignments, unset (the State's unset mark), the forms that tell
	// unset from empty, dynamic names, merge-octopus's pretty name.
	"lower-eval-run-unset": `x=1 y= z=3
eval "$SHOW"
eval "$UNSET_X"
eval "$SHOW"
echo "go reads [$x] [$y] [$z]"
x=
eval "$SHOW"
name=z
eval "unset $name"
eval "$SHOW"
echo "z [$z]"
z=back
eval "$SHOW"
eval "$UNSET_X; x=again"
echo "x [$x] w [$w]"
w=go; y=$w
eval "$SHOW"
eval "$UNSET_X"
printenv x || echo "x not in the environment"
x=later
printenv x || echo "x still not exported"`,
	"lower-eval-run-funcs": `f() {
	local l
	eval "$SHOW_L"
	l=
	g=
	eval "$SHOW_L"
	eval "$UNSET_G"
	echo "f: [$l] [$g]"
}
h() {
	g=$1
	eval "$SHOW_L"
}
f
eval "$SHOW_L"
echo "top [$g]"
h set
echo "top [$g]"
g=top; eval "$SHOW_L"`,
	"lower-eval-run-dynamic": `pretty_name=none SHA1=abc123
echo "$pretty_name"
GITHEAD_abc123=named
eval pretty_name=\${GITHEAD_$SHA1:-$SHA1}
echo "$pretty_name"
SHA1=def456
eval pretty_name=\${GITHEAD_$SHA1:-$SHA1}
echo "$pretty_name"
target=pretty_name
eval "$target=dynamic"
echo "$pretty_name"
eval "$target=\"\$SHA1 \$target\""
echo "$pretty_name"
for v in a b; do eval "var_$v=\$v"; done
echo "$var_a$var_b"`,
	// Subshells, command substitutions, pipeline stages and background
	// jobs work on copies of the lowered variables they may assign
	// (lowerreach.go, forkCopies): nothing they assign reaches the
	// script's, and what a function assigns there by name is what
	// their code reads.
	"lower-fork-copies": `f() { x=2; }
x=1
( f; echo "sub $x" ); echo "top $x"
y=1
printf 'p\nq\n' | while read y; do echo "pipe $y"; done; echo "top $y"
z=$(z=3; echo "$z"); echo "cap $z"
n=1
echo | { n=$((n + 5)); echo "arith $n"; }; echo "top $n"
for i in a b; do :; done
(for i in c d; do :; done; echo "loop $i"); echo "top $i"
g() { sq="$1"; }
sq=none
printf 'START 1\nEND\n' | while read a b; do case $a in START) g "$b" ;; END) echo "found $sq" ;; esac; done; echo "top sq=$sq a=[$a]"
cmd=$(echo w=5)
w=0
( eval "$cmd"; echo "eval $w" ); echo "top $w"
v=$( w=6; h() { w=7; }; h; echo "$w" ); echo "cap $v $w"
bg=1
{ sleep 1; echo "bg $bg"; } &
bg=2
wait
echo "top $bg"
u=
echo "$(echo "${u:=dflt}") [$u]"
(printf '%s\n' "${u:=sub}"); echo "top [$u]"`,
	// A top-level trap's literal text is translated in place: its
	// variables are the top level's Go variables, read when the
	// handler runs, after the function that exits has handed its
	// values back (trapTextNames). A trap set in a function keeps the
	// names it spells in the State.
	"lower-trap-literal": `d=one
trap 'echo "trap $d $e $only_f"; f' 0
f() { echo "f $d"; only_f=set-in-f; }
g() { d=three; f; exit 3; }
e=x
d=two
g`,
	// eval "$v" of a v only ever given literal text runs known text:
	// its plain reads and assignments go through the State's binding;
	// what it reaches otherwise (unset gone) stays in the State
	// (knownTextNames; TestReachLowers).
	"lower-eval-known-var": `grl='echo "grl $rev $unrevs"; found=yes'
rev=r1 unrevs=u1 found=no
eval "$grl"
echo "found $found"
rev=r2
eval "$grl" | while read a b c; do echo "piped $b $c"; done
un='unset gone'
gone=here
eval "$un"
echo "gone [$gone]"
gone=back
echo "gone [$gone]"`,
	// Literal text only ever given to programs as their arguments is
	// not shell text the script runs: its $NAME keep nothing
	// (programText; TestReachLowers has the counter-cases).
	"lower-program-text": `prog='echo "child [${head-unset}] [$w]"'
head=top
sh -c "$prog"
/bin/echo '${w-x} $w'
w=1
echo "w $w head $head"
printf '%s\n' "$prog"`,
	// : ${x:="$1"} throws its expansion away: only the assignment
	// counts, which takes the word as one string (discardedExps). As
	// echo's argument the expansion is split by the State: z is kept.
	"lower-colon-assign-default": `f() {
	bp=$(echo "")
	: ${bp:="$1"}
	echo "[$bp]"
	: ${bp:="$2"}
	echo "[$bp]"
}
f "a  b" c
f "" "x  *  y"
z=
echo ${z:="1  2"} "[$z]"`,
	// unset of a lowered variable marks its Go variable unset (the
	// State's mark): the environment loses it, and an assignment sets
	// it again, not exported (markFlows, unsetKept). b comes exported
	// from the environment.
	"lower-unset": `pick() { case "$1" in ok) return 0 ;; *) return 1 ;; esac; }
echo "start $b"
b=$(echo bad)
printenv b
if ! pick "$b"; then unset b; fi
printenv b || echo "b not in the environment"
echo "[$b] [${#b}]"
b=again
printenv b || echo "b not exported after unset"
echo "$b"
f() { unset c; }
c=1; f; echo "c [$c]"; c=2
(unset c; echo "sub [$c]"); echo "top [$c]"`,
	// x=${x#p} right after a read of x (or an assignment of new text)
	// cannot store the unset mark eval'd text may have left: it is
	// lowered although the script evaluates text known only at run
	// time (unguardedSelfAssigns).
	"lower-self-assign-guarded": `cmd=$(echo 'unset ref')
printf 'refs/tags/a\nrefs/tags/b\n' | while read ref; do
	ref="${ref#refs/tags/}"
	echo "tag $ref"
	eval "$cmd"
	echo "after eval [$ref]"
done
s=$(echo 'unset w')
w=x-y
eval "$s"
w=prefix-$w
w=${w#prefix-}
echo "[$w]"`,
	"lower-trap-in-func": `h() { t=1; trap 'echo "t=$t"' 0; }
h
t=2
echo "t now $t"`,
}

// snippetEnv is the environment a snippet starts with, besides PATH,
// HOME and LC_ALL: lower-env-export's variables come exported from it,
// so dash exports the values the script gives them.
var snippetEnv = map[string][]string{
	"lower-env-export":     {"head=from-env", "w=from-env-w", "v=from-env-v", "EDITOR=env-editor"},
	"lower-func-globals":   {"last=from-env"},
	"lower-assign-default": {"q="},
	"lower-unset":          {"b=from-env"},
	"lower-eval-run-unset": {`SHOW=echo "x=[${x-unset}] y=[${y-unset}] z=[${z+set}] w=[${w=dflt}]"`, "UNSET_X=unset x", "x=env"},
	"lower-eval-run-funcs": {`SHOW_L=echo "l=[${l-unset}] g=[${g-unset}]"`, "UNSET_G=unset g"},
}

func snippetsAgainstDash(t *testing.T, snippets map[string]string, idiomatic bool) {
	dir, bin := buildDashSnippetsStage(t, snippets, idiomatic)
	for name := range snippets {
		t.Run(name, func(t *testing.T) {
			work := t.TempDir()
			script := filepath.Join(dir, "git-"+name)
			wantOut, wantErr, wantStatus := runInEnv(t, work, snippetEnv[name], "dash", script)
			link := linkAs(t, bin, "git-"+name)
			gotOut, gotErr, gotStatus := runInEnv(t, work, snippetEnv[name], link)
			// The shell's messages name $0: the script's path, the
			// translation's argv[0].
			wantErr = strings.ReplaceAll(wantErr, script, "$0")
			gotErr = strings.ReplaceAll(gotErr, link, "$0")
			if gotOut != wantOut || gotErr != wantErr || gotStatus != wantStatus {
				t.Errorf("dash: status %d\nstdout:\n%s\nstderr:\n%s\ntranslation: status %d\nstdout:\n%s\nstderr:\n%s",
					wantStatus, wantOut, wantErr, gotStatus, gotOut, gotErr)
			}
		})
	}
}

// linkAs is a symbolic link named name, in a new directory, to the
// multi-call binary bin: run through it, the translation's $0 is the
// link's path.
func linkAs(t *testing.T, bin, name string) string {
	t.Helper()
	link := filepath.Join(t.TempDir(), name)
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	return link
}

func runIn(t *testing.T, dir string, argv ...string) (stdout, stderr string, status int) {
	return runInEnv(t, dir, nil, argv...)
}

// runInEnv is runIn with variables added to the environment.
func runInEnv(t *testing.T, dir string, env []string, argv ...string) (stdout, stderr string, status int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LC_ALL=C"}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", argv, err)
	}
	return out.String(), errb.String(), status
}

// FuzzTranslate: any script the parser accepts translates, without a
// panic, to Go that go/parser accepts.
func FuzzTranslate(f *testing.F) {
	for _, src := range snippets {
		f.Add(src)
	}
	f.Add("a=$(b | c) && d <<E\n$x\nE\n")
	f.Add("case $x in (a|b) ;; *) exit ;; esac; for i do break 3; done")
	f.Add("f() ( g; ); ! { h; } >x 2>&1 &")
	f.Fuzz(func(t *testing.T, src string) {
		file, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(src), "fuzz")
		if err != nil {
			return
		}
		res, err := translate.Translate(file, translate.Options{Name: "git-fuzz", Package: "fuzz"})
		if err != nil {
			t.Fatalf("translate: %v\n%s", err, src)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "fuzz.go", res.Go, 0); err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, res.Go)
		}
	})
}

// BenchmarkTranslateCorpus translates all 13 scripts and the libraries
// they source.
func BenchmarkTranslateCorpus(b *testing.B) {
	scripts := corpusScripts(b, execPath(b))
	exec := execPath(b)
	b.ResetTimer()
	for b.Loop() {
		proj := &translate.Project{ExecPath: exec, Module: "kiln.bench/translated"}
		for _, s := range scripts {
			if _, err := proj.Add(s, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(scripts)), "scripts")
}

// TestReportsAccountForEveryGitCall: the report's git counts add up for
// every corpus script, and each unmapped call carries a review marker.
func TestReportsAccountForEveryGitCall(t *testing.T) {
	proj := &translate.Project{ExecPath: execPath(t), Module: "kiln.test/translated"}
	for _, s := range corpusScripts(t, execPath(t)) {
		if _, err := proj.Add(s, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range proj.Outputs {
		r := o.Result.Report
		if r.GitMapped+r.GitMarked != r.GitCalls {
			t.Errorf("%s: %d mapped + %d marked != %d git calls", r.Script, r.GitMapped, r.GitMarked, r.GitCalls)
		}
		markers := strings.Count(string(o.Result.Go), "// kiln:review")
		if markers != len(r.Reviews) {
			t.Errorf("%s: %d markers in the Go, %d in the report", r.Script, markers, len(r.Reviews))
		}
		if got := strings.Count(string(o.Result.Go), "s.Git("); got != r.GitCalls-r.GitInterpreted {
			t.Errorf("%s: %d s.Git calls in the Go, report says %d git calls, %d of them interpreted", r.Script, got, r.GitCalls, r.GitInterpreted)
		}
		if !strings.Contains(string(o.Result.Go), fmt.Sprintf("// %s:", r.Script)) {
			t.Errorf("%s: no provenance comments", r.Script)
		}
	}
}

// buildDashSnippets writes each snippet as a sh script git-NAME in a
// temporary directory, translates them into one module, vets it and builds
// its multi-call binary: the scripts' directory and the binary, for tests
// that run both beside dash.
func buildDashSnippets(t *testing.T, snippets map[string]string) (dir, bin string) {
	t.Helper()
	return buildDashSnippetsStage(t, snippets, false)
}

// buildDashSnippetsStage is buildDashSnippets of the raw or the
// idiomatic stage.
func buildDashSnippetsStage(t *testing.T, snippets map[string]string, idiomatic bool) (dir, bin string) {
	t.Helper()
	if _, err := exec.LookPath("dash"); err != nil {
		t.Fatal("dash is needed (install it: apt-get install dash)")
	}
	return buildSnippets(t, snippets, "#!/bin/sh", idiomatic)
}

// buildSnippets writes each snippet as a script git-NAME starting with
// the shebang line, translates them (raw or idiomatic) into one module,
// vets it and builds its multi-call binary.
func buildSnippets(t *testing.T, snippets map[string]string, shebang string, idiomatic bool) (dir, bin string) {
	t.Helper()
	dir = t.TempDir()
	var scripts []string
	for name, src := range snippets {
		p := filepath.Join(dir, "git-"+name)
		if err := os.WriteFile(p, []byte(shebang+"\n"+src+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, p)
	}
	mod, _ := translatedModuleStage(t, scripts, idiomatic)
	bin = filepath.Join(mod, "builtins")
	goCmd(t, mod, "vet", "./...")
	goCmd(t, mod, "build", "-o", bin, "./cmd/builtins")
	return dir, bin
}
