package translate_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/shellparse"
	"github.com/kiln-dev/kiln/shellrun"
)

// bashSnippets are small bash scripts, each exercising constructs of
// bash that dash lacks; TestSnippetsAgainstBash runs each under bash,
// through shellrun (what kiln run does) and as its compiled translation,
// and wants the same output and status from all three.
var bashSnippets = map[string]string{
	// ${#x[@]} of an unset or scalar variable: the interpreted text
	// once stopped with "invalid indirect expansion".
	"array-length-kinds": `declare -A m=([a]=1 [b]=2 [c]=""); i=(1 "" 3); i[7]=x; x=abc; e=""; declare -a ea=()
eval 'echo "[${#nope[@]}] [${#i[@]}] [${#x[@]}] [${#e[@]}] [${#ea[@]}]"'
echo "[${#nope[@]}] [${#m[@]}] [${#i[@]}] [${#x[@]}] [${#e[@]}] [${#ea[@]}] [${#m[*]}]"`,
	"indexed-arrays": `a=(one "two words" three)
a+=(four)
a[5]=six
echo "${#a[@]} ${a[1]} ${a[-1]} ${!a[*]}"
for x in "${a[@]}"; do echo "[$x]"; done
printf '<%s>' ${a[1]}; echo
unset 'a[0]'; echo "${a[*]}"
b=("${a[@]:1:2}"); echo "${b[0]}|${b[1]}"
f() { local -a l=(x y); l+=(z); echo "in ${l[*]} ${#l[@]}"; }
l=(outer); f; echo "out ${l[*]}"
declare -a e=(); printf '<%s>' "${e[@]}" end; echo
set -- "${e[@]}"; echo "$# args"`,
	"assoc-arrays": `declare -A m=([k1]=v1 [k2]="v 2")
m[k3]=v3
echo "${m[k1]} ${m[k2]} ${#m[@]} ${#m[*]}"
for k in $(printf '%s\n' "${!m[@]}" | sort); do echo "$k=${m[$k]}"; done
[[ -n ${m[k3]+set} ]] && echo has-k3
unset 'm[k1]'; echo "${!m[*]}" | tr ' ' '\n' | sort
echo "after unset ${#m[@]}"
f() { local -A l=([a]=1 [b]=2 [c]=3); echo "local ${#l[@]}"; }; f
for n in ${#m[@]} x; do echo "for $n"; done`,
	"test-clause-regex": `s="release-2.39.5"
if [[ $s =~ ^release-([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
	echo "major ${BASH_REMATCH[1]} minor ${BASH_REMATCH[2]} all ${BASH_REMATCH[0]}"
fi
[[ $s == release-* && -n $s ]] && echo glob-match
[[ abc < abd ]] && echo less
[[ ! -e /nonexistent ]] || echo never
[[ x =~ y ]]; echo "no match $?"
n=7; (( n > 5 )) && echo big; (( n += 3 )); echo "$n"`,
	"process-substitution": `diff <(printf '1\n2\n') <(printf '1\n3\n') >/dev/null; echo "diff $?"
while read -r l; do echo "line $l"; done < <(printf 'x\ny\n')
echo out > >(cat > f.txt); wait; cat f.txt; rm f.txt
job() { echo "job $1"; }
for ((i=0; i<3; ++i)); do job $i & done | sort
for i in 1 2; do job $i & done | sort -r
echo "$(job 7 &)"
count=0; while read -r _; do count=$((count + 1)); done < <(seq 3); echo "count $count"
total=0
add() { local n=$1; total=$((total + n)); seen+=("$n"); }
while read -r n; do add "$n"; done < <(printf '1\n2\n3\n')
echo "total $total seen ${seen[*]} n=[${n:-}]"
add 10; echo "total $total seen ${#seen[@]}"`,
	"bash-expansions": `x=hello-world.tar.gz
echo "${x/o/0} ${x//o/0} ${x/.tar/}"
echo "${x/#hello/bye} ${x/%gz/xz} ${x/#nomatch/no} ${x/%nomatch/no} ${x/#h*o/H} ${x/%.*/} ${x/#/P}"
set -- "~/file" '*star'; H=/home/u; echo "${1/#~/$H} ${2/#\*/S} ${2/#"*"/Q}"
false; echo "status $? ${x/#h/H}"
case ${x/%.gz/} in *.tar) echo tarball ;; esac
echo "${x^^} ${x^} ${x,,} ${x:6:5} ${x: -2}"
ref=x; echo "${!ref}"
echo $'tab\there' $'nl\\n' $'q\'s' $'\x41\101'
echo {a,b}-{1,2} c{1..3}
y=${x%%.*}; echo "$y"`,
	"declare-local": `declare -r RO=fixed
declare -a arr=(1 2)
declare x=global
f() {
	local -r inner=const
	declare x=local-in-f
	local -a list=(p q)
	echo "$inner $x ${list[1]} $RO"
}
f; echo "x=$x inner=[${inner:-}] list=[${list[*]:-}]"
declare -p arr
g() { declare -g made=by-g; }; g; echo "$made"`,
	"read-mapfile": `read -r -a words <<< "alpha beta  gamma"
echo "${#words[@]} ${words[2]}"
mapfile -t lines < <(printf 'l1\nl2\nl3\n')
echo "${#lines[@]} ${lines[0]} ${lines[2]}"
printf 'a\nb\n' > in.txt
readarray -t from_file < in.txt; echo "${from_file[*]}"; rm in.txt
IFS=: read -r -a parts <<< "x:y:z"; echo "${parts[1]}"
read -e -r -p "" -i init line <<< "typed"; echo "$line"
set -- -x; while [ "$1" != "" ]; do echo "arg $1"; shift; done
[ a == a ] && test b == b && echo double-equals
declare -A when who
for k in a b; do IFS=/ read -r 'when[$k]' 'who[$k]' <<< "t-$k/u-$k"; done
echo "${when[a]} ${who[b]} ${#when[@]}"
IFS=/ read -r 'arr[2]' rest <<< "two/more"; echo "${arr[2]} $rest $?"`,
	"printf-v-q": `printf -v padded '%05d|%s' 42 str; echo "$padded"
printf -v nl 'a\n\n'; echo "[${nl}]"
printf '%q\n' "a b" "it's" '' 'x$y' $'tab\there' '~home' plain
printf -v q '%q' "needs quoting"; eval "echo $q"
printf '%(%Y-%m-%d %H:%M:%S %a %b %e %j)T|%12(%F)T|\n' 1700000000 86400
printf -v day '%(%A)T' 0; echo "$day"`,
	"set-e-conditions": `set -e
if [[ $# -gt 0 ]]; then echo args; else echo "no args"; fi
[[ -z x ]] || echo "or-branch"
while [[ ${n:-0} -lt 2 ]]; do n=$(( ${n:-0} + 1 )); done; echo "n=$n"
f() { local a=(1 2); [[ ${#a[@]} -eq 3 ]] && echo never; echo "in f"; }
f
x=$(false || echo fallback); echo "$x"
[[ -n "" ]]
echo "not reached"`,
	"set-e-bash-test-operand": `set -e
remote=origin
for b in one two; do
  [ "$remote" == "." ] && continue
  test "$b" == one || continue
  echo "kept $b"
done
[ "$remote" != "origin" ] || echo "or-branch"
[ "$remote" == "." ]
echo "not reached"`,
	"shopt-pipefail": `shopt -s checkwinsize; shopt -s histappend nullglob
for f in *.none; do echo "never $f"; done
set -- *.none; echo "$# args"
shopt -s extglob
case "abc123" in +([a-z])+([0-9])) echo extglob-case ;; *) echo no ;; esac
shopt -u nullglob
false | true; echo "no pipefail $?"
set -o pipefail
false | true; echo "pipefail $?"
(exit 3) | (exit 0) | true; echo "pipefail last failing $?"
set +o pipefail
false | true; echo "off again $?"`,
	"getopts": `parse() {
	local OPTIND opt
	while getopts ":ha:b" opt "$@"; do
		case $opt in
		h|b) echo "flag $opt" ;;
		a) echo "a=$OPTARG" ;;
		:) echo "missing arg for $OPTARG" ;;
		\?) echo "unknown $OPTARG" ;;
		esac
	done
	shift $((OPTIND - 1)); echo "rest [$*] OPTIND=$OPTIND"
}
parse -h -a x -b y z
parse -ha x -bq -- -h
parse -a
set -- -b -a val operand
while getopts "ba:" o; do echo "top $o ${OPTARG:-}"; done; echo "after $OPTIND"
OPTIND=1; while getopts "ba:" o -a again; do echo "reset $o $OPTARG"; done
OPTIND=1; while getopts "d:" o -d 5; do [[ $OPTARG -lt 1 ]] && echo small; echo "d $OPTARG"; done
IFS=:; line="a:b c"; [[ -n $line ]]; for w in $line; do echo "<$w>"; done; unset IFS
shopt -s extglob; OPTIND=1
while getopts "xy" o -xy; do case $o in @(x|z)) echo "extglob $o" ;; [y]) echo "bracket $o" ;; \?) echo bad ;; esac; done`,
	"nocasematch": `day=MON
is_mon() { [[ $1 == mon ]]; }
[[ $day == mon ]] && echo "before: never"
shopt -s nocasematch
[[ $day == mon ]] && echo "equal ignoring case"
[[ "$day" == "$(echo Mon)" ]] && echo "command substitution"
[[ $day != mon ]] || echo "not-equal ignoring case"
[[ $day = M?n && ABC == *b* ]] && echo "patterns"
pat='m*'; [[ $day == $pat ]] && echo "pattern from a variable"
x=Hello.TXT; [[ ${x%.*} == hello ]] && echo "expansion with an operator"
[ "$day" = mon ] || echo "[ is not affected"
for opt in F d D x; do
	case $opt in
	d) echo "$opt: d" ;;
	D) echo "$opt: D" ;;
	f|g) echo "$opt: f or g" ;;
	*) echo "$opt: other" ;;
	esac
done
case "$day" in mo*) echo "case glob" ;; esac
shopt -q nocasematch && echo "query on"
for d in Mon TUE; do [[ -n $d ]] && is_mon "$d" && echo "function: $d"; done
shopt -u nocasematch
[[ $day == mon ]] || echo "off again"
case $day in mon) echo never ;; MON) echo "case exact" ;; esac
shopt -q nocasematch || echo "query off"`,
	"jobs-wait": `nJobs="\j"
echo "no jobs: ${nJobs@P}"
wait -n; echo "wait -n without jobs: $?"
job() { sleep "0.$1"; echo "job $1"; [ "$1" != 3 ] || exit 3; }
max=2
for ((i=1; i<=4; ++i)); do
	while (( ${nJobs@P} >= max )); do
		wait -n
	done
	job $i &
done | sort
job 2 &
wait
echo "after wait: ${nJobs@P}"
(exit 5) &
wait -n; echo "status of the job: $?"
sh -c 'exit 4' & p=$!
sh -c 'exit 6' &
wait "$p"; echo "wait for \$!: $?"
wait; echo "wait: $?"
prompt='a\\b \s'; echo "${prompt@P}"`,
	"closed-pipe": `while :; do echo y; done | head -n 1
f() { while :; do printf 'p\n'; done; }; f | head -n 2
for ((;;)); do echo forever; done | head -n 1
set -o pipefail; while :; do echo z; done | head -n 1; echo "pipefail status $?"`,
	"set-cluster": `set -- first second
set -euo pipefail
echo "$1 $2"
x=$(false; echo "after false"); echo "$x"
f() { false; echo "in f after false"; }
y=$(f); echo "$y"
if false | true; then echo never; else echo "pipefail in if: $?"; fi`,
	"local-in-interpreted": `g() {
	local total=0
	for (( i=0; i<3; i++ )); do
		local item="x$i"
		total=$((total + i))
		[[ $item == x2 ]] && local last=$item
	done
	echo "in g: $total $item $last"
}
item=global; last=global-last
g; echo "after g: $item $last"`,
	"here-string-loop": `text=$'one\ntwo\nthree'
while read -r line; do [[ $line == t* ]] && echo "t: $line"; arr+=("$line"); done <<< "$text"
echo "${#arr[@]} read"
while read -r a; do [[ -n $a ]] && read -r b; echo "$a then $b"; done <<EOF
x
y
z
w
EOF`,
	"bash-version-echo": `[[ -n $BASH_VERSION ]] && echo has-version
echo "${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}"
[ "$BASH_VERSION" = "$(bash -c 'echo $BASH_VERSION')" ] && echo same-as-installed
if (( BASH_VERSINFO[0] < 4 )); then echo old; else echo "bash 4+"; fi
echo 'a\tb'
echo -e 'c\td'
echo -n no-newline; echo
echo -E 'e\tf'
echo -ne 'g\n'`,
}

// TestSnippetsAgainstBash runs each bash snippet under the installed
// bash, through shellrun.Run (kiln run's engine) and as its compiled
// translation (raw and idiomatic stage), and wants the same stdout,
// stderr and status.
func TestSnippetsAgainstBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed")
	}
	dir := t.TempDir()
	var scripts []string
	for name, src := range bashSnippets {
		p := filepath.Join(dir, "git-"+name)
		if err := os.WriteFile(p, []byte("#!/bin/bash\n"+src+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, p)
	}
	for _, stage := range []string{"raw", "idiomatic"} {
		t.Run(stage, func(t *testing.T) {
			mod, proj := translatedModuleStage(t, scripts, stage == "idiomatic")
			for _, o := range proj.Outputs {
				if !regexp.MustCompile(`Bash:\s+true`).Match(o.Result.Go) {
					t.Errorf("%s: the translation does not run on bash semantics", o.Result.Report.Script)
				}
			}
			bin := filepath.Join(mod, "builtins")
			goCmd(t, mod, "vet", "./...")
			goCmd(t, mod, "build", "-o", bin, "./cmd/builtins")
			for name := range bashSnippets {
				t.Run(name, func(t *testing.T) {
					script := filepath.Join(dir, "git-"+name)
					wantOut, wantErr, wantStatus := runIn(t, t.TempDir(), "bash", script)
					if stage == "raw" {
						// kiln run does not depend on the stage.
						runOut, runErr, runStatus := runShellrun(t, t.TempDir(), script)
						if runOut != wantOut || runErr != wantErr || runStatus != wantStatus {
							t.Errorf("bash: status %d\nstdout:\n%s\nstderr:\n%s\nkiln run: status %d\nstdout:\n%s\nstderr:\n%s",
								wantStatus, wantOut, wantErr, runStatus, runOut, runErr)
						}
					}
					gotOut, gotErr, gotStatus := runIn(t, t.TempDir(), bin, name)
					if gotOut != wantOut || gotErr != wantErr || gotStatus != wantStatus {
						t.Errorf("bash: status %d\nstdout:\n%s\nstderr:\n%s\ntranslation: status %d\nstdout:\n%s\nstderr:\n%s",
							wantStatus, wantOut, wantErr, gotStatus, gotOut, gotErr)
					}
				})
			}
		})
	}
}

// runShellrun runs a script as kiln run does: parsed as bash, on bash
// semantics when its shebang says bash.
func runShellrun(t *testing.T, dir, script string) (stdout, stderr string, status int) {
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	lang, _, _ := shellparse.Classify(src)
	file, err := shellparse.Parse(script, src, shellparse.LangBash)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	status, _, err = shellrun.Run(context.Background(), file, nil, shellrun.Options{
		Dir: dir, Env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LC_ALL=C"},
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Bash: lang == shellparse.LangBash,
	})
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return out.String(), errb.String(), status
}
