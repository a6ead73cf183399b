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
printf '[k]\n\tnovalue\n' >>.git/config; git config k.novalue; echo "novalue $?"; git config --bool k.novalue
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
printf '[broken' >>.git/config
git write-tree; echo "broken config $?"
git rev-parse --verify HEAD; echo "broken config rev-parse $?"`,
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
				typed := strings.Count(string(o.Result.Go), "s.GitTyped(")
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
					work := t.TempDir()
					wantOut, wantErr, wantStatus := runIn(t, work, "dash", filepath.Join(src, "git-"+name))
					gotOut, gotErr, gotStatus := runIn(t, work, bin, name)
					if gotOut != wantOut || gotErr != wantErr || gotStatus != wantStatus {
						t.Errorf("git under dash: status %d\nstdout:\n%s\nstderr:\n%s\ntranslation: status %d\nstdout:\n%s\nstderr:\n%s",
							wantStatus, wantOut, wantErr, gotStatus, gotOut, gotErr)
					}
				})
			}
		})
	}
}
