package translate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gitSnippets exercise the git forms the idiomatic stage writes as typed
// gitapi calls, in success and in failure, beside real git under dash:
// outside a repository, an unborn HEAD, missing and ambiguous revisions,
// ranges and words that split (left to the face), unset, valueless and
// non-boolean configuration values, an unmerged index, a configuration
// that does not load, and statuses read by if and $?.
var gitSnippets = map[string]string{
	"typed-revparse-config": `export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@example.com
export GIT_AUTHOR_DATE='1112911993 -0700' GIT_COMMITTER_DATE='1112911993 -0700'
git rev-parse --verify HEAD; echo "outside $?"
git config --get user.name; echo "config outside $?"
git init -q repo && cd repo
printf '[k]\n\tnovalue\n' >>.git/config
git rev-parse --verify HEAD; echo "no head $?"
git rev-parse --verify -q HEAD; echo "quiet $?"
echo a >a && git add a
t=$(git write-tree); echo "tree $t $?"
c=$(echo msg | git commit-tree $t); echo "commit $c"
git update-ref HEAD $c
git rev-parse --verify HEAD; git rev-parse HEAD^{tree}; git rev-parse -q --verify "HEAD^{commit}"
git rev-parse --verify nosuch; echo "missing $?"
git rev-parse nosuch; echo "missing plain $?"
git rev-parse nosuch^{commit}; echo "missing peel $?"
git rev-parse -q "$t^{commit}"; echo "tree as commit $?"
git rev-parse "HEAD..HEAD"; echo "range $?"
two="HEAD HEAD"; git rev-parse --verify $two; echo "two words $?"
none=; git rev-parse --verify $none; echo "no words $?"
git tag dup; git branch dup; git rev-parse dup; echo "ambiguous $?"
git rev-parse --verify -q dup; x=$(git rev-parse --verify dup 2>&1); echo "captured [$x]"
if git rev-parse --verify -q nosuch >/dev/null; then echo yes; else echo "no $?"; fi
git rev-parse --verify -q HEAD >/dev/null && echo "has head"
git config k.v value; git config k.v; git config --get k.v; git config --get k.missing; echo "missing key $?"
git config k.b yes; git config --bool k.b; git config --type=bool k.b; git config --bool --get k.b
git config k.bad maybe; git config --bool k.bad; echo "bad bool $?"; git config k.bad
git config k.novalue; echo "novalue $?"; git config --bool k.novalue
git config --add k.m yes; git config --add k.m 2; git config k.m; git config --bool k.m; echo "multi bool $?"
git config K.V; git config 'k.V'; git config nodot; echo "bad key $?"`,
	"typed-write-tree": `export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@example.com
git write-tree; echo "outside $?"
git init -q repo && cd repo
git write-tree; echo "empty $?"
echo a >a && mkdir d && echo b >d/b && git add a d/b
git write-tree
blob=$(git hash-object -w a)
printf '100644 %s 1\tu\n100644 %s 2\tu\n100644 %s 3\tv\n' $blob $blob $blob | git update-index --index-info
git write-tree; echo "unmerged $?"
t=$(git write-tree 2>/dev/null); echo "captured [$t] $?"
if git write-tree >/dev/null 2>&1; then echo yes; else echo "no $?"; fi
git rm -q --cached u v
git init -q ../broken && cd ../broken && printf '[broken\n' >>.git/config
git write-tree; echo "broken config $?"
git rev-parse --verify HEAD; echo "broken config rev-parse $?"`,
	"typed-diff-index": `export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@example.com
git diff-index --quiet --cached HEAD --; echo "outside $?"
git init -q repo && cd repo
echo a >a && git add a && t=$(git write-tree) && c=$(echo one | git commit-tree $t) && git update-ref HEAD $c
git diff-index --quiet --cached HEAD --; echo "clean cached $?"
git diff-index HEAD --exit-code --quiet; echo "clean $?"
echo bb >a
git diff-index HEAD --exit-code --quiet; echo "dirty work tree $?"
git diff-index --cached HEAD --exit-code --quiet; echo "clean index $?"
git add a
git diff-index --quiet --cached HEAD --; echo "dirty index $?"
git diff-index --cached --quiet --ignore-submodules HEAD --; echo "ignore submodules $?"
if git diff-index --quiet --cached HEAD --; then echo same; else echo differs; fi
echo x >HEAD; git diff-index HEAD --exit-code --quiet; echo "HEAD file $?"; git diff-index --quiet --cached HEAD --; echo "HEAD file dashdash $?"; rm HEAD
cd .. && git init -q unborn && cd unborn && git diff-index --quiet --cached HEAD --; echo "unborn $?"`,
	"typed-commit-refs": `export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@example.com
export GIT_AUTHOR_DATE='1112911993 -0700' GIT_COMMITTER_DATE='1112911993 -0700'
git symbolic-ref -q HEAD; echo "outside $?"
git init -q repo && cd repo
git symbolic-ref HEAD; git symbolic-ref -q HEAD; git rev-parse --git-dir; git rev-parse --show-prefix
git rev-parse --show-cdup; git rev-parse --is-bare-repository; git rev-parse --is-inside-work-tree
echo a >a && git add a && t=$(git write-tree)
c1=$(echo first | git commit-tree $t); echo "c1 $c1"
c2=$(printf 'second\n\nbody\n' | git commit-tree "$t" -p "$c1"); echo "c2 $c2"
c3=$(echo side | git commit-tree -p "$c1" "$t"); echo "c3 $c3"
echo none | git commit-tree nosuch; echo "bad tree $?"
echo none | git commit-tree $t -p nosuch; echo "bad parent $?"
echo none | git commit-tree $t -p $t; echo "tree as parent $?"
printf 'nul\0inside\n' | git commit-tree $t; echo "nul $?"
git update-ref refs/heads/main $c2; git update-ref -m "move it" refs/heads/side $c3
git update-ref refs/heads/main $c3 $c1; echo "wrong old $?"
git update-ref -m "checked" refs/heads/main $c3 $c2; echo "right old $?"
git update-ref refs/heads/main nosuch; echo "bad new $?"
git update-ref refs/heads/main $c3 nosuch; echo "bad old $?"
git update-ref 'refs/heads/bad..name' $c3; echo "bad name $?"
git update-ref -d refs/heads/side $c1; echo "delete wrong old $?"
git update-ref -m "gone" -d refs/heads/side $c3; echo "deleted $?"
git update-ref -d refs/heads/nosuch; echo "delete missing $?"
cat .git/logs/refs/heads/main
git merge-base $c2 $c3; git merge-base --all $c2 $c3; git merge-base main nosuch; echo "bad base $?"
git merge-base $c1 $t; echo "tree base $?"
o=$(echo orphan | git commit-tree $t); git merge-base $o $c2; echo "no base $?"
git merge-base --is-ancestor $c1 $c2 && echo ancestor; git merge-base --is-ancestor $c2 $c1; echo "not ancestor $?"
git cat-file -t $t; git cat-file -t HEAD; git cat-file -t nosuch; echo "no object $?"
git tag -a -m tagged v1 $c2; git cat-file -t v1
git symbolic-ref -q refs/heads/main; echo "not symbolic $?"; git symbolic-ref refs/heads/main; echo "loud $?"
git rev-parse --short $c2; git rev-parse --short nosuch; echo "short missing $?"; git rev-parse --git-path objects
mkdir -p sub/dir && cd sub/dir && git rev-parse --show-prefix && git rev-parse --show-cdup && git rev-parse --git-dir && git rev-parse --show-toplevel >/dev/null && git rev-parse --git-path objects && git rev-parse --git-path hooks/x && cd ../..
cd .git && git rev-parse --is-inside-work-tree; git rev-parse --show-toplevel; echo "toplevel in git dir $?"; git rev-parse --show-cdup; cd ..`,
}

// TestTypedGitAgainstGit runs gitSnippets as translated by both stages
// beside dash running real git: the idiomatic stage writes their git
// calls as typed calls (checked in its Go and its report), and both
// stages give git's stdout, stderr and status.
func TestTypedGitAgainstGit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two modules")
	}
	src := t.TempDir()
	var scripts []string
	for name, text := range gitSnippets {
		p := filepath.Join(src, "git-"+name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+text+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, p)
	}
	for _, idiomatic := range []bool{false, true} {
		t.Run(map[bool]string{false: "raw", true: "idiomatic"}[idiomatic], func(t *testing.T) {
			mod, proj := translatedModuleStage(t, scripts, idiomatic)
			for _, o := range proj.Outputs {
				typed := 0
				for _, call := range []string{"s.GitRun(", "s.GitText(", "s.GitTyped("} {
					typed += strings.Count(string(o.Result.Go), call)
				}
				if typed != o.Result.Report.Lowering.GitTyped {
					t.Errorf("%s: %d typed calls in the Go, the report says %d", o.Script, typed, o.Result.Report.Lowering.GitTyped)
				}
				if idiomatic == (typed == 0) {
					t.Errorf("%s: %d typed calls in the %s stage", o.Script, typed, map[bool]string{false: "raw", true: "idiomatic"}[idiomatic])
				}
			}
			bin := filepath.Join(mod, "builtins")
			goCmd(t, mod, "vet", "./...")
			goCmd(t, mod, "build", "-o", bin, "./cmd/builtins")
			for name := range gitSnippets {
				t.Run(name, func(t *testing.T) {
					// Each in a directory of its own named alike: git's
					// messages name paths under it.
					base := t.TempDir()
					dashDir, ourDir := filepath.Join(base, "dash", "w"), filepath.Join(base, "ours", "w")
					for _, d := range []string{dashDir, ourDir} {
						if err := os.MkdirAll(d, 0o755); err != nil {
							t.Fatal(err)
						}
					}
					wantOut, wantErr, wantStatus := runIn(t, dashDir, "dash", filepath.Join(src, "git-"+name))
					gotOut, gotErr, gotStatus := runIn(t, ourDir, bin, name)
					gotOut = strings.ReplaceAll(gotOut, ourDir, dashDir)
					gotErr = strings.ReplaceAll(gotErr, ourDir, dashDir)
					if gotOut != wantOut || gotErr != wantErr || gotStatus != wantStatus {
						t.Errorf("git under dash: status %d\nstdout:\n%s\nstderr:\n%s\ntranslation: status %d\nstdout:\n%s\nstderr:\n%s",
							wantStatus, wantOut, wantErr, gotStatus, gotOut, gotErr)
					}
				})
			}
		})
	}
}
