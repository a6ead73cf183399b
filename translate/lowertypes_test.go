package translate_test

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/translate"
	"mvdan.cc/sh/v3/syntax"
)

// typedSnippets exercise the typed locals of the idiomatic stage
// (translate/lowertypes.go): flags, ints and word lists, read in every
// way the script may (quoted, unquoted, by tests, case, arithmetic, the
// environment of programs, subshells, set's listing, text run by eval),
// and the variables the analysis must leave strings. They join
// loweringSnippets, so TestSnippetsAgainstDash runs them under dash and
// as their idiomatic translation.
var typedSnippets = map[string]string{
	// git-merge-octopus's argument loop, with words that have spaces
	// and glob characters (which unquoted $remotes splits and globs).
	"typed-octopus": `touch a1 a2
set -- b1 'b 2' -- h1 'r 1' 'a*' r3 '' 'r	4'
bases= head= remotes= sep_seen=
for arg
do
	case ",$sep_seen,$head,$arg," in
	*,--,) sep_seen=yes ;;
	,yes,,*) head=$arg ;;
	,yes,*) remotes="$remotes$arg " ;;
	*) bases="$bases$arg " ;;
	esac
done
echo "[$remotes] [$bases] [$sep_seen] [$head] ${#remotes}"
case "$remotes" in ?*' '?*) echo octopus ;; esac
for r in $remotes; do echo "r=<$r>"; done
printf '<%s>' $bases; echo
printf '<%s>' x$remotes; echo
n=0 fail=0
if test -n "$sep_seen"; then echo seen; fi
if test -z "$sep_seen"; then echo unseen; fi
if test "$sep_seen" = yes; then echo "yes $?"; fi
if [ "$sep_seen" != yes ]; then echo no; else echo "else $?"; fi
if [ yes = "$sep_seen" ]; then echo "yes first"; fi
sep_seen=
if test "$sep_seen"; then echo set; else echo "not set $?"; fi
if test ! "$sep_seen"; then echo "not"; fi
if test "$sep_seen" = ""; then echo "is empty"; fi
if test "$sep_seen" = no; then echo never; else echo "not no"; fi
for r in $remotes; do n=1; done
case "$n" in 1) echo one ;; esac
test "$n" = 1 && echo "n is 1"
test "$n" != 01 && echo "n is not 01"
test "$n" -eq 01 && echo "n eq 01"
echo "$((n + 2)) $fail"
echo "$n,${sep_seen}x" "${remotes%% *}"
set | grep -E '^(remotes|sep_seen|n)='
case "$sep_seen" in '') echo "flag off" ;; yes) echo "flag on" ;; esac
case "$n" in 01) echo never ;; 1|2) echo "one or two" ;; *) echo other ;; esac
case $n in 0) echo zero ;; 2|3) ;; *) echo "not zero $?" ;; esac
case $fail in 1) echo one ;; esac; echo "case status $?"
remotes=
for r in $remotes; do echo never; done
rm a1 a2
exit $n`,
	// Names inherited exported: programs see the environment's value
	// before the script assigns, and the typed value after.
	"typed-env-export": `printenv remotes sep_seen n
sh -c 'echo "before [$remotes] [$sep_seen] [$n]"'
remotes= sep_seen= n=0
remotes="${remotes}x  y "
sep_seen=yes n=5
printenv remotes sep_seen n
( echo "sub [$remotes] [$sep_seen] [$n]"; printenv n )
v=$(printenv remotes); echo "[$v]"
n=-2; printenv n
echo "$remotes" | cat`,
	// Text known only at run time assigns typed variables by name;
	// their values are parsed back into the Go types.
	"typed-eval-runtime": `remotes= flag= n=0
eval "$SHOW_T"
remotes="${remotes}first " flag=on
eval "$SHOW_T"
eval "$SET_T"
eval "$SHOW_T"
for r in $remotes; do echo "<$r>"; done
if test -n "$flag"; then echo "flag on"; fi
echo "$((n * 2))"
flag= n=3
eval "$SHOW_T"`,
	// Functions mention typed globals: their code has a Go string bound
	// while they run (FuncVars), whose value goes back to the typed
	// local's view when they return; one runs before the top level's
	// first assignment, when the variable is the environment's.
	"typed-functions": `e() { echo "e [$quiet] [$n]"; quiet=yes; }
e
printenv quiet || echo "not exported"
quiet= list= n=0
f() { echo "f sees [$quiet] [$list] [$n]"; quiet=yes; list="${list}f-added "; n=2; }
g() { echo "g [${quiet:+--quiet}] [${list:-empty}] [$n]"; }
g
f
g
if test -n "$quiet"; then echo "top sees quiet"; fi
for w in $list; do echo "<$w>"; done
echo "$n $((n + 1))"
h() { quiet=; list="${list}h "; }
h; test -z "$quiet" && echo "quiet off"
printenv quiet list n
case $n in 2) echo two ;; esac`,
	// An option loop the idiomatic stage keeps as a loop (there is no
	// OPTIONS_SPEC) assigns its flags as any statement does.
	"typed-option-loop": `set -- -f -x --keep a b
force= keep=
while test $# != 0
do
	case "$1" in
	-f) force=t ;;
	--keep) keep=yes ;;
	--) shift; break ;;
	-*) echo "unknown $1" ;;
	*) break ;;
	esac
	shift
done
case "$force" in t) echo forced ;; esac
test -n "$keep" && echo "keep [$keep]"
echo "$# $*"`,
	// Where the analysis must refuse a type, or where IFS or globbing
	// decide what unquoted $x gives: an IFS with a digit, another IFS
	// for a word list, set -f, a flag tested against another word, an
	// int given a number that is not canonical, an exported name, a
	// name eval's text spells, one a function mentions (typed at the
	// top level only), one read or
	// assigned by arithmetic, one read before its first assignment, one
	// given ~ (the home directory, not the word).
	"typed-refused": `touch f1 f2
IFS=1; big=0; big=10; printf '<%s>' $big; echo; IFS=' 	
'
IFS=,; list=; list="${list}a,b "; list="${list}c "; for x in $list; do echo "<$x>"; done; IFS=' 	
'
globs=; globs="${globs}f* "; echo $globs; set -f; echo $globs; set +f
odd=0; odd=007; echo "$odd" "$((odd + 1))"
ex=; ex=yes; export ex; printenv ex
ev=; ev=yes; eval 'echo "eval [$ev]"'
fn=; fn=yes; show() { echo "fn [$fn]"; fn=; }; show; echo "after [$fn]"
rd=0; echo 5 | { read rd; echo "$rd"; }; rd=1; read rd <<EOF
4
EOF
echo "rd $rd"
ar=0; : $((ar += 2)); echo "ar $ar"
echo "early [$early]"; early=; early=yes; echo "[$early]"
tl=; tl=~; echo "[$tl]"
rm f1 f2`,
}

// typedSnippetEnv is the environment the typed snippets start with.
var typedSnippetEnv = map[string][]string{
	"typed-env-export":   {"remotes=env-r", "sep_seen=env", "n=7"},
	"typed-eval-runtime": {`SHOW_T=echo "t [$remotes] [$flag] [$n] [${n-unset}]"`, `SET_T=remotes="a  b c "; flag=on; n=12`},
	"typed-refused":      {"early=env"},
	"typed-functions":    {"quiet=env", "n=env"},
}

func init() {
	maps.Copy(loweringSnippets, typedSnippets)
	maps.Copy(snippetEnv, typedSnippetEnv)
}

// TestTypedLocals checks which variables the idiomatic stage gives a Go
// type: merge-octopus's argument loop (remotes and bases word lists,
// sep_seen a flag, NON_FF_MERGE and OCTOPUS_FAILURE ints), and none of
// the variables typed-refused must keep as strings.
func TestTypedLocals(t *testing.T) {
	proj := &translate.Project{ExecPath: execPath(t), Module: "kiln.test/translated", Idiomatic: true}
	out, err := proj.Add(filepath.Join(execPath(t), "git-merge-octopus"), "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"remotes": "[]string", "bases": "[]string", "sep_seen": "bool",
		"NON_FF_MERGE": "int", "OCTOPUS_FAILURE": "int"}
	if got := out.Result.Report.Lowering.Typed; !maps.Equal(got, want) {
		t.Errorf("merge-octopus typed %v, want %v", got, want)
	}
	src := string(out.Result.Go)
	for _, line := range []string{"var sepSeen bool", "var nonFfMerge, octopusFailure int", "var bases, remotes []string",
		`s.BindWords("remotes", &remotes)`, "remotes = append(remotes, arg)", "sepSeen = true",
		"range s.SplitWords(remotes)", "octopusFailure = 1"} {
		if !strings.Contains(src, line) {
			t.Errorf("merge-octopus's Go has no %q", line)
		}
	}

	cases := []struct {
		name  string
		typed map[string]string
	}{
		{"typed-octopus", map[string]string{"remotes": "[]string", "bases": "[]string", "sep_seen": "bool", "n": "int", "fail": "int"}},
		{"typed-env-export", map[string]string{"remotes": "[]string", "sep_seen": "bool", "n": "int"}},
		{"typed-eval-runtime", map[string]string{"remotes": "[]string", "flag": "bool", "n": "int"}},
		{"typed-option-loop", map[string]string{"force": "bool", "keep": "bool"}},
		{"typed-functions", map[string]string{"quiet": "bool", "n": "int", "list": "[]string"}},
		// dry is a flag in the shell, but the option loop becomes an
		// options struct, which assigns it from the option's string.
		{"lower-options", nil},
		// big, list and globs are typed: unquoted $x splits at the
		// IFS of the moment and globs unless set -f, as the shell; fn
		// is typed at the top level, a Go string in show.
		{"typed-refused", map[string]string{"big": "int", "list": "[]string", "globs": "[]string", "fn": "bool"}},
	}
	for _, c := range cases {
		file, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(loweringSnippets[c.name]), c.name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := translate.Translate(file, translate.Options{Name: "git-" + c.name, Package: "main", Idiomatic: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Report.Lowering.Typed; !maps.Equal(got, c.typed) {
			t.Errorf("%s: typed %v, want %v", c.name, got, c.typed)
		}
	}
}
