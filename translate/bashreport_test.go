package translate_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/shellparse"
	"github.com/kiln-dev/kiln/shellrun"
	"github.com/kiln-dev/kiln/translate"
)

// gitInBash is a bash script with git calls in bash constructs: a
// process substitution, an array assignment, a [[ ]] test, and plain.
const gitInBash = `#!/bin/bash
git rev-parse --git-dir >/dev/null
while read -r ref; do echo "ref $ref"; done < <(git for-each-ref --format='%(refname)')
branches=($(git for-each-ref --format='%(refname:short)' refs/heads))
echo "${#branches[@]} branches"
[[ $(git rev-parse --abbrev-ref HEAD) == main ]] && echo on-main
`

// TestBashReportCountsEveryGitCall: kiln scan and the translation's
// report count the same git calls in a bash script, those inside
// statements the interpreter runs included, and none of those is
// claimed in-process.
func TestBashReportCountsEveryGitCall(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "git-gitinbash")
	if err := os.WriteFile(path, []byte(gitInBash), 0o755); err != nil {
		t.Fatal(err)
	}
	scan := shellparse.NewScanner(shellparse.Config{}).Scan([]string{path})
	if len(scan.Scripts) != 1 || scan.Scripts[0].Error != "" {
		t.Fatalf("scan: %+v", scan.Scripts)
	}
	scanned := scan.Scripts[0].Stats.ByKind[shellparse.KindGit]
	proj := &translate.Project{Module: "kiln.test/translated"}
	out, err := proj.Add(path, "")
	if err != nil {
		t.Fatal(err)
	}
	r := out.Result.Report
	if scanned != 4 || r.GitCalls != scanned {
		t.Errorf("scan counts %d git calls, the translation's report %d (want 4 both)", scanned, r.GitCalls)
	}
	if r.GitMapped+r.GitMarked != r.GitCalls {
		t.Errorf("%d mapped + %d marked != %d git calls", r.GitMapped, r.GitMarked, r.GitCalls)
	}
	if r.GitInterpreted != 3 {
		t.Errorf("%d git calls counted in interpreted statements, want 3", r.GitInterpreted)
	}
	if got := strings.Count(string(out.Result.Go), "s.Git("); got != r.GitCalls-r.GitInterpreted {
		t.Errorf("%d s.Git calls in the Go, want %d", got, r.GitCalls-r.GitInterpreted)
	}
	if strings.Contains(string(out.Result.Go), `shellrun.From(0, "<(`) || strings.Contains(string(out.Result.Go), `s.Expand("<(`) {
		t.Errorf("a process substitution became a file name:\n%s", out.Result.Go)
	}
}

// TestBashRefusesWithPosition: a bash construct kiln does not run as
// bash does fails the translation (and kiln run) with file:line:col and
// the construct.
func TestBashRefusesWithPosition(t *testing.T) {
	cases := map[string]string{
		"local -i":                    "x=1\nf() {\n  local -i n=1+2\n}\n",
		"associative array m":         "declare -A m=([k]=v)\n\necho ${m[a/b]}\n",
		"coproc":                      "coproc cat\n",
		"-v on an array element":      "a=(1)\n[[ -v a[0] ]]\n",
		"select":                      "select x in a b; do break; done\n",
		"local -i is not supported":   "f() { local -i n; }\n",
		"declare -l is not supported": "declare -l lower=ABC\n",
		"${jobs@K}":                   "jobs='\\j'\n(( ${jobs@K} > 2 ))\n",
		"wait -n":                     "sleep 1 &\nwait -n %1\n",
		"shopt -s nocaseglob2":        "shopt -s extglob\nshopt -s nullglob nocaseglob2\n",
		"=~ in a script that sets shopt nocasematch":                  "shopt -s nocasematch\n[[ a =~ A ]]\n",
		"${x/pattern/string} in a script that sets shopt nocasematch": "x=HELLO\necho ${x/hel/j}\nshopt -s nocasematch\n",
	}
	wantPos := map[string]string{
		"local -i": ":4:9:", "associative array m": ":4:6:",
		"coproc": ":2:1:", "-v on an array element": ":3:4:", "select": ":2:1:",
		"local -i is not supported": ":2:13:", "declare -l is not supported": ":2:9:", "${jobs@K}": ":3:4:", "wait -n": ":3:1:", "shopt -s nocaseglob2": ":3:19:",
		"=~ in a script that sets shopt nocasematch":                  ":3:6:",
		"${x/pattern/string} in a script that sets shopt nocasematch": ":3:6:",
	}
	dir := t.TempDir()
	for construct, body := range cases {
		path := filepath.Join(dir, "git-refused")
		if err := os.WriteFile(path, []byte("#!/bin/bash\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
		proj := &translate.Project{Module: "kiln.test/translated"}
		_, err := proj.Add(path, "")
		var unsupported *shellrun.UnsupportedError
		if !errors.As(err, &unsupported) {
			t.Errorf("%s: translate gave %v, want an UnsupportedError", construct, err)
			continue
		}
		if want := path + wantPos[construct]; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), construct) {
			t.Errorf("%s: %q, want it to start with %q and name the construct", construct, err, want)
		}
	}
}

// TestBashInProcessClaimsHold runs a translation whose git calls its
// report claims in-process, in a real repository, and wants gitapi's
// fallback count at 0 when it ends.
func TestBashInProcessClaimsHold(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "git-claims")
	src := `#!/bin/bash
top=$(git rev-parse --show-toplevel)
head=$(git rev-parse HEAD)
refs=($(git for-each-ref --format='%(refname)'))
[[ -n $head ]] && echo "top ${top##*/} refs ${#refs[@]}"
git rev-parse --abbrev-ref HEAD
`
	if err := os.WriteFile(script, []byte(src), 0o755); err != nil {
		t.Fatal(err)
	}
	mod, proj := translatedModule(t, []string{script})
	r := proj.Outputs[len(proj.Outputs)-1].Result.Report
	if r.GitMapped == 0 || r.GitMapped+r.GitInterpreted != r.GitCalls {
		t.Fatalf("want every native git call claimed in-process: %+v", r)
	}
	harness := `package main

import (
	"fmt"
	"os"

	"github.com/kiln-dev/kiln/gitapi"
	"kiln.test/translated/claims"
)

func main() {
	status := claims.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	fmt.Fprintf(os.Stderr, "fallbacks %d\n", gitapi.FallbackCount())
	os.Exit(status)
}
`
	if err := os.MkdirAll(filepath.Join(mod, "cmd", "claims"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "cmd", "claims", "main.go"), []byte(harness), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(mod, "claimsbin")
	goCmd(t, mod, "build", "-o", bin, "./cmd/claims")
	repo := t.TempDir()
	for _, args := range [][]string{{"init", "-q", "-b", "main", repo}, {"-C", repo, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "one"}} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	out, errOut, status := runIn(t, repo, bin)
	want := "top " + filepath.Base(repo) + " refs 1\nmain\n"
	if status != 0 || out != want {
		t.Fatalf("status %d, stdout %q (want %q), stderr %q", status, out, want, errOut)
	}
	if !strings.Contains(errOut, "fallbacks 0\n") {
		n := strings.TrimPrefix(strings.TrimSpace(errOut), "fallbacks ")
		if _, err := strconv.Atoi(n); err == nil {
			t.Errorf("%s git calls claimed in-process fell back to git", n)
		} else {
			t.Errorf("stderr %q", errOut)
		}
	}
}
