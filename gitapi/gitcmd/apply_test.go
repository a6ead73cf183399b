package gitcmd

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"

	"github.com/google/go-cmp/cmp"
)

// applyBase is the shell script that builds the repository every apply
// case starts from (run by sh in an empty directory, with real git).
const applyBase = `
git init -q -b main .
i=1; while [ $i -le 40 ]; do echo "line $i" >> a.txt; i=$((i+1)); done
mkdir -p dir/deep sub
printf 'one\ntwo\nthree\n' > dir/b.txt
printf 'deep\n' > dir/deep/c.txt
printf 'bye\n' > gone.txt
printf '#!/bin/sh\necho hi\n' > run.sh && chmod +x run.sh
printf 'x\ny\nz\n' > sub/s.txt
printf '\000\001\002binary\n' > bin.dat
ln -s a.txt link
git add . && git commit -q -m base
`

// applyCase is one git apply run on a fresh copy of applyBase: prepare
// changes the copy (sh script) before the run, patch is the patch text
// (or mutate, a script whose `git diff --binary -M HEAD` makes it).
type applyCase struct {
	name    string
	prepare string
	mutate  string
	patch   string
	patch2  string // a second patch, named PATCH2 in args
	dir     string // where to run, relative to the repository
	args    []string
	stdin   bool // feed the patch on stdin instead of a file
	env     []string
}

// applyWorld holds the temp dirs of one case: the git side, the kiln side
// and the patch file.
type applyWorld struct {
	root, gitSide, kilnSide, patchFile string
	env                                []string
}

func newApplyWorld(t *testing.T) *applyWorld {
	t.Helper()
	f := gittest.NewDir(t)
	w := &applyWorld{root: f.Root, gitSide: filepath.Join(f.Root, "g"), kilnSide: filepath.Join(f.Root, "k"),
		patchFile: filepath.Join(f.Root, "p.diff"), env: f.Env}
	for _, d := range []string{w.gitSide, w.kilnSide} {
		os.MkdirAll(d, 0o777)
		w.sh(t, d, applyBase)
	}
	return w
}

// sh runs a shell script in dir with the sandbox environment.
func (w *applyWorld) sh(t *testing.T, dir, script string) string {
	t.Helper()
	cmd := exec.Command("sh", "-ec", script)
	cmd.Dir, cmd.Env = dir, w.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sh %q: %v\n%s", script, err, out)
	}
	return string(out)
}

// makePatch builds a patch with real git: mutate on a scratch copy of the
// base, then the binary diff against HEAD with renames.
func (w *applyWorld) makePatch(t *testing.T, mutate string) string {
	t.Helper()
	scratch := filepath.Join(w.root, "scratch")
	os.MkdirAll(scratch, 0o777)
	w.sh(t, scratch, applyBase)
	w.sh(t, scratch, mutate)
	w.sh(t, scratch, "git add -A")
	return w.sh(t, scratch, "git diff --cached --binary -M HEAD")
}

// treeState is what a case leaves behind: the work tree (modes and
// contents) and the index as `git ls-files -s` lists it.
func (w *applyWorld) treeState(t *testing.T, top string) map[string]string {
	t.Helper()
	state := workTreeFiles(top, func(mode fs.FileMode, data []byte) string {
		return fmt.Sprintf("%o %q", mode.Perm()&0o111, strings.ReplaceAll(string(data), top, "TOP"))
	})
	for _, wt := range []string{top, filepath.Join(top, ".wt")} {
		if _, err := os.Stat(wt); err != nil {
			continue
		}
		rel, _ := filepath.Rel(top, wt)
		state["<index "+rel+">"] = w.git(t, wt, "ls-files", "-s")
		state["<diff-files "+rel+">"] = w.git(t, wt, "diff-files", "--name-status")
	}
	_, err := os.Stat(filepath.Join(top, ".git/index.lock"))
	state["<index.lock>"] = fmt.Sprint(err == nil)
	return state
}

// git runs real git in dir for its output, whatever its status.
func (w *applyWorld) git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, w.env
	out, err := cmd.Output()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

// runApplyCase runs c with git on one copy and with gitapi on the other
// and compares output, status and what each left behind.
func runApplyCase(t *testing.T, c applyCase) {
	t.Helper()
	w := newApplyWorld(t)
	patch := c.patch
	if c.mutate != "" {
		patch = w.makePatch(t, c.mutate)
	}
	if err := os.WriteFile(w.patchFile, []byte(patch), 0o666); err != nil {
		t.Fatal(err)
	}
	patch2File := filepath.Join(w.root, "p2.diff")
	if err := os.WriteFile(patch2File, []byte(c.patch2), 0o666); err != nil {
		t.Fatal(err)
	}
	args := []string{"apply"}
	for _, a := range c.args {
		a = strings.ReplaceAll(a, "PATCH2", patch2File)
		args = append(args, strings.ReplaceAll(a, "PATCH", w.patchFile))
	}
	stdin := ""
	if c.stdin {
		stdin = patch
	}
	env := append(append([]string{}, w.env...), c.env...)
	run := func(top string, kiln bool) (gittest.Result, map[string]string) {
		if c.prepare != "" {
			w.sh(t, top, c.prepare)
		}
		dir := filepath.Join(top, c.dir)
		var res gittest.Result
		if kiln {
			var out, errb strings.Builder
			status := Run(args, gitapi.Options{Dir: dir, Env: env}, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
			res = gittest.Result{Stdout: out.String(), Stderr: errb.String(), Status: status}
		} else {
			cmd := exec.Command("git", args...)
			cmd.Dir, cmd.Env, cmd.Stdin = dir, env, strings.NewReader(stdin)
			var out, errb strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			res = gittest.Result{Stdout: out.String(), Stderr: errb.String()}
			if ee, ok := err.(*exec.ExitError); ok {
				res.Status = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
		}
		res.Stderr = strings.ReplaceAll(res.Stderr, top, "TOP")
		return res, w.treeState(t, top)
	}
	want, wantState := run(w.gitSide, false)
	t.Logf("git: status %d, %d bytes of stderr", want.Status, len(want.Stderr))
	got, gotState := run(w.kilnSide, true)
	if got != want {
		t.Errorf("patch:\n%s\ngit:   status %d\nstdout:\n%s\nstderr:\n%s\nkiln:  status %d\nstdout:\n%s\nstderr:\n%s",
			patch, want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
	}
	if diff := cmp.Diff(wantState, gotState); diff != "" {
		t.Errorf("trees differ (-git +kiln):\n%s", diff)
	}
}

// Patches and changes shared by the cases.
const (
	modifyA      = `sed -i 's/^line 20$/line twenty/' a.txt`
	offsetPatch  = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -15,3 +15,4 @@\n line 10\n line 11\n+inserted\n line 12\n"
	fuzzPatch    = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -9,5 +9,6 @@\n line nine\n line 10\n line 11\n+inserted\n line 12\n line 13\n"
	failPatch    = "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-TWO\n+2\n three\n"
	tradPatch    = "--- s.txt.orig\t2024-01-01 00:00:00.000000000 +0000\n+++ s.txt\t2024-01-01 00:00:01.000000000 +0000\n@@ -1,3 +1,3 @@\n x\n-y\n+why\n z\n"
	wsPatch      = "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,4 @@\n one\n+trailing  \n two\n three\n"
	newInSub     = "diff --git a/sub/new.txt b/sub/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/sub/new.txt\n@@ -0,0 +1 @@\n+new\n"
	manyFiles    = `sed -i 's/^line 5$/five/' a.txt; echo more >> dir/b.txt; echo deeper >> dir/deep/c.txt; echo zz >> sub/s.txt`
	dirtyB       = `echo dirty >> dir/b.txt`
	addUntracked = `echo stray > new.txt`
)

// TestApplyCommandAgainstGit compares `git apply` in the work tree, with
// --index and with --cached, on success and on failure (which must leave
// the index and the work tree untouched).
func TestApplyCommandAgainstGit(t *testing.T) {
	cases := []applyCase{
		{name: "modify", mutate: modifyA, args: []string{"PATCH"}},
		{name: "modify-index", mutate: modifyA, args: []string{"--index", "PATCH"}},
		{name: "modify-cached", mutate: modifyA, args: []string{"--cached", "PATCH"}},
		{name: "modify-check", mutate: modifyA, args: []string{"--check", "PATCH"}},
		{name: "modify-check-index", mutate: modifyA, args: []string{"--check", "--index", "PATCH"}},
		{name: "modify-stdin", mutate: modifyA, args: []string{"--index"}, stdin: true},
		{name: "modify-dash", mutate: modifyA, args: []string{"--index", "-"}, stdin: true},
		{name: "modify-verbose", mutate: manyFiles, args: []string{"-v", "--index", "PATCH"}},
		{name: "offset", patch: offsetPatch, args: []string{"-v", "PATCH"}},
		{name: "offset-index", patch: offsetPatch, args: []string{"--index", "PATCH"}},
		{name: "fuzz-refused", patch: fuzzPatch, args: []string{"PATCH"}},
		{name: "fuzz-C1", patch: fuzzPatch, args: []string{"-C1", "-v", "PATCH"}},
		{name: "fuzz-C-separate", patch: fuzzPatch, args: []string{"-C", "2", "--index", "PATCH"}},
		{name: "fails", patch: failPatch, args: []string{"PATCH"}},
		{name: "fails-index", patch: failPatch, args: []string{"--index", "PATCH"}},
		{name: "fails-cached", patch: failPatch, args: []string{"--cached", "PATCH"}},
		{name: "fails-check", patch: failPatch, args: []string{"--check", "-v", "PATCH"}},
		{name: "partial-failure-untouched", mutate: manyFiles, prepare: `sed -i 's/^deep$/DEEP/' dir/deep/c.txt; git add dir/deep/c.txt`, args: []string{"--index", "PATCH"}},
		{name: "new-and-delete", mutate: `echo fresh > dir/new.txt; chmod +x dir/new.txt; git rm -q gone.txt`, args: []string{"--index", "PATCH"}},
		{name: "new-and-delete-cached", mutate: `echo fresh > dir/new.txt; git rm -q gone.txt`, args: []string{"--cached", "PATCH"}},
		{name: "new-and-delete-worktree", mutate: `echo fresh > newdir/x 2>/dev/null || (mkdir newdir && echo fresh > newdir/x); git rm -q dir/deep/c.txt`, args: []string{"PATCH"}},
		{name: "rename-modify", mutate: `git mv dir/b.txt dir/moved.txt; echo four >> dir/moved.txt`, args: []string{"--index", "PATCH"}},
		{name: "rename-cached", mutate: `git mv a.txt renamed.txt`, args: []string{"--cached", "PATCH"}},
		{name: "mode-change", mutate: `chmod -x run.sh; chmod +x dir/b.txt`, args: []string{"--index", "PATCH"}},
		{name: "mode-change-worktree", mutate: `chmod -x run.sh`, args: []string{"PATCH"}},
		{name: "binary-modify", mutate: `printf '\003\004binary changed\n' > bin.dat`, args: []string{"--index", "PATCH"}},
		{name: "binary-new", mutate: `printf '\000new binary\n' > new.bin`, args: []string{"PATCH"}},
		{name: "binary-cached", mutate: `printf '\003\004binary changed\n' > bin.dat`, args: []string{"--cached", "PATCH"}},
		{name: "symlink-retarget", mutate: `rm link; ln -s dir/b.txt link`, args: []string{"--index", "PATCH"}},
		{name: "symlink-cached", mutate: `rm link; ln -s dir/b.txt link`, args: []string{"--cached", "PATCH"}},
		{name: "index-dirty-worktree", mutate: `echo four >> dir/b.txt`, prepare: dirtyB, args: []string{"--index", "PATCH"}},
		{name: "cached-ignores-worktree", mutate: `echo four >> dir/b.txt`, prepare: dirtyB, args: []string{"--cached", "PATCH"}},
		{name: "not-in-index", mutate: `echo four >> dir/b.txt`, prepare: `git rm -q --cached dir/b.txt`, args: []string{"--index", "PATCH"}},
		{name: "new-exists-worktree", patch: newInSub, prepare: `echo there > sub/new.txt`, args: []string{"--index", "PATCH"}},
		{name: "new-exists-index", patch: newInSub, prepare: `echo there > sub/new.txt; git add sub/new.txt`, args: []string{"--cached", "PATCH"}},
		{name: "delete-missing", mutate: `git rm -q gone.txt`, prepare: `rm gone.txt`, args: []string{"PATCH"}},
		{name: "untracked-stays", mutate: modifyA, prepare: addUntracked, args: []string{"--index", "PATCH"}},
		{name: "no-patches", patch: "just text\n", args: []string{"PATCH"}},
		{name: "allow-empty", patch: "just text\n", args: []string{"--allow-empty", "PATCH"}},
		{name: "empty-stdin", args: nil, stdin: true},
		{name: "missing-file", args: []string{"nosuch.diff"}},
		{name: "missing-file-subdir", dir: "sub", args: []string{"nosuch.diff"}},
		{name: "trad-p0", patch: strings.ReplaceAll(tradPatch, "s.txt", "sub/s.txt"), args: []string{"-p0", "PATCH"}},
		{name: "trad-guess", patch: strings.ReplaceAll(tradPatch, "s.txt", "sub/s.txt"), args: []string{"PATCH"}},
		{name: "trad-subdir", dir: "sub", patch: tradPatch, args: []string{"-v", "--index", "PATCH"}},
		{name: "subdir-skips-outside", dir: "sub", mutate: manyFiles, args: []string{"-v", "--index", "PATCH"}},
		{name: "subdir-cached", dir: "sub", mutate: manyFiles, args: []string{"--cached", "PATCH"}},
		{name: "subdir-all-skipped", dir: "dir/deep", mutate: modifyA, args: []string{"PATCH"}},
		{name: "subdir-ws-not-checked-when-skipped", dir: "sub", patch: wsPatch, args: []string{"PATCH"}},
		{name: "directory", patch: strings.ReplaceAll(failPatch, "dir/b.txt", "b.txt")[0:0] + "diff --git a/s.txt b/s.txt\n--- a/s.txt\n+++ b/s.txt\n@@ -1,3 +1,3 @@\n x\n-y\n+why\n z\n", args: []string{"--directory=sub", "--index", "PATCH"}},
		{name: "include", mutate: manyFiles, args: []string{"-v", "--include=dir/*", "PATCH"}},
		{name: "exclude", mutate: manyFiles, args: []string{"-v", "--exclude=*.txt", "--include=a*", "PATCH"}},
		{name: "exclude-first-wins", mutate: manyFiles, args: []string{"--exclude", "dir/deep/*", "--include", "dir/*", "--index", "PATCH"}},
		{name: "whitespace-warn", patch: wsPatch, args: []string{"PATCH"}},
		{name: "whitespace-check-quiet", patch: wsPatch, args: []string{"--check", "PATCH"}},
		{name: "whitespace-check-dash-warns", patch: wsPatch, args: []string{"--check", "-"}, stdin: true},
		{name: "whitespace-check-stdin-quiet", patch: wsPatch, args: []string{"--check"}, stdin: true},
		{name: "whitespace-error", patch: wsPatch, args: []string{"--whitespace=error", "--index", "PATCH"}},
		{name: "whitespace-nowarn", patch: wsPatch, args: []string{"--whitespace=nowarn", "PATCH"}},
		{name: "whitespace-config-error", patch: wsPatch, env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=apply.whitespace", "GIT_CONFIG_VALUE_0=error"}, args: []string{"PATCH"}},
		{name: "whitespace-config-bad", patch: wsPatch, env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=apply.whitespace", "GIT_CONFIG_VALUE_0=bogus"}, args: []string{"nosuch"}},
		{name: "whitespace-config-fix-falls-back", patch: wsPatch, env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=apply.whitespace", "GIT_CONFIG_VALUE_0=fix"}, args: []string{"--index", "PATCH"}},
		{name: "whitespace-config-valueless", patch: wsPatch, prepare: `printf '[apply]\n\twhitespace\n' >> .git/config`, args: []string{"PATCH"}},
		{name: "whitespace-command-line-valueless", patch: wsPatch, env: []string{"GIT_CONFIG_PARAMETERS='apply.whitespace'"}, args: []string{"PATCH"}},
		{name: "ignore-whitespace-config-bad", patch: wsPatch, env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=apply.ignoreWhitespace", "GIT_CONFIG_VALUE_0=maybe"}, args: []string{"PATCH"}},
		{name: "ignore-whitespace-config-change-falls-back", patch: fuzzPatch, env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=apply.ignoreWhitespace", "GIT_CONFIG_VALUE_0=change"}, args: []string{"-C1", "PATCH"}},
		{name: "core-whitespace", patch: wsPatch, env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=core.whitespace", "GIT_CONFIG_VALUE_0=-trailing-space"}, args: []string{"PATCH"}},
		{name: "unidiff-zero", patch: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -2 +2 @@\n-two\n+2\n", args: []string{"--unidiff-zero", "--index", "PATCH"}},
		{name: "index-lock-held", mutate: modifyA, prepare: `touch .git/index.lock`, args: []string{"--index", "PATCH"}},
		{name: "index-lock-held-corrupt-patch", patch: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-two\n", prepare: `touch .git/index.lock`, args: []string{"--index", "PATCH"}},
		{name: "index-lock-held-no-patches", patch: "text\n", prepare: `touch .git/index.lock`, args: []string{"--cached", "PATCH"}},
		{name: "index-lock-held-allow-empty", patch: "text\n", prepare: `touch .git/index.lock`, args: []string{"--allow-empty", "--index", "PATCH"}},
		{name: "index-lock-held-whitespace", patch: wsPatch, prepare: `touch .git/index.lock`, args: []string{"--index", "PATCH"}},
		{name: "usage-C", args: []string{"-Cx", "PATCH"}},
		{name: "usage-C-eats-file", args: []string{"-C", "PATCH"}},
		{name: "usage-whitespace", args: []string{"--whitespace=bogus", "PATCH"}},
		{name: "usage-unknown", args: []string{"--bogus"}},
		{name: "usage-help", args: []string{"-h"}},
		{name: "usage-help-all", args: []string{"--help-all"}},
		{name: "usage-ambiguous", args: []string{"--i", "PATCH"}},
		{name: "usage-no-exclude", args: []string{"--no-exclude", "PATCH"}},
		{name: "p-atoi", patch: strings.ReplaceAll(tradPatch, "s.txt", "x/sub/s.txt"), args: []string{"-p2x", "PATCH"}},
		{name: "noop-binary-flag", mutate: modifyA, args: []string{"--binary", "--no-index", "PATCH"}},
		{name: "delete-missing-index", mutate: `git rm -q gone.txt`, prepare: `rm gone.txt`, args: []string{"--index", "PATCH"}},
		{name: "delete-missing-cached", mutate: `git rm -q gone.txt`, prepare: `rm gone.txt`, args: []string{"--cached", "PATCH"}},
		{name: "copy", patch: "diff --git a/dir/b.txt b/dir/copy.txt\nsimilarity index 75%\ncopy from dir/b.txt\ncopy to dir/copy.txt\n--- a/dir/b.txt\n+++ b/dir/copy.txt\n@@ -1,3 +1,4 @@\n one\n two\n three\n+four\n", args: []string{"-v", "--index", "PATCH"}},
		{name: "copy-cached", patch: "diff --git a/dir/b.txt b/dir/copy.txt\nsimilarity index 75%\ncopy from dir/b.txt\ncopy to dir/copy.txt\n--- a/dir/b.txt\n+++ b/dir/copy.txt\n@@ -1,3 +1,4 @@\n one\n two\n three\n+four\n", args: []string{"--cached", "PATCH"}},
		{name: "filemode-false-new-exec", prepare: `git config core.filemode false`, mutate: `echo x > tool.sh; chmod +x tool.sh; chmod -x run.sh`, args: []string{"--index", "PATCH"}},
		{name: "no-newline-at-eof", mutate: `printf 'one\ntwo\nthree' > dir/b.txt`, args: []string{"--index", "PATCH"}},
		{name: "crlf-file", prepare: `printf 'a\r\nb\r\n' > crlf.txt; git add crlf.txt`, patch: "diff --git a/crlf.txt b/crlf.txt\n--- a/crlf.txt\n+++ b/crlf.txt\n@@ -1,2 +1,3 @@\n a\r\n b\r\n+c\r\n", args: []string{"--index", "PATCH"}},
		{name: "quoted-name", mutate: `echo sp > "with space.txt"; printf 'tab' > "$(printf 'tab\tname')"`, args: []string{"-v", "--index", "PATCH"}},
		{name: "new-in-index-not-worktree", patch: newInSub, prepare: `echo there > sub/new.txt; git add sub/new.txt; rm sub/new.txt`, args: []string{"--index", "PATCH"}},
		{name: "file-dir-clash", patch: "diff --git a/gone.txt/x b/gone.txt/x\nnew file mode 100644\n--- /dev/null\n+++ b/gone.txt/x\n@@ -0,0 +1 @@\n+x\n", args: []string{"--index", "PATCH"}},
		{name: "file-dir-clash-cached", patch: "diff --git a/gone.txt/x b/gone.txt/x\nnew file mode 100644\n--- /dev/null\n+++ b/gone.txt/x\n@@ -0,0 +1 @@\n+x\n", args: []string{"--cached", "PATCH"}},
		{name: "index-file-env", mutate: modifyA, prepare: `cp .git/index .git/other-index`, env: []string{"GIT_INDEX_FILE=.git/other-index"}, args: []string{"--index", "PATCH"}},
		{name: "whitespace-error-all", patch: strings.Repeat(wsPatch, 1)[0:0] + "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,9 @@\n one\n+a \n+b \n+c \n+d \n+e \n+f \n two\n three\n", args: []string{"--whitespace=error-all", "PATCH"}},
		{name: "whitespace-squelch", patch: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,9 @@\n one\n+a \n+b \n+c \n+d \n+e \n+f \n two\n three\n", args: []string{"PATCH"}},
		{name: "corrupt-patch", patch: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-two\n", args: []string{"PATCH"}},
		{name: "global-C-option", mutate: modifyA, dir: "sub", args: []string{"--index", "PATCH"}},
		{name: "no-add", mutate: manyFiles + `; sed -i '/^line 30$/d' a.txt; printf 'one\n\n\n' > dir/b.txt`, args: []string{"--no-add", "PATCH"}},
		{name: "no-add-index-new-file", mutate: `echo fresh > dir/new.txt; git rm -q gone.txt`, args: []string{"--no-add", "--index", "PATCH"}},
		// Git-sh-setup's create_virtual_base: diff -u ... | git apply --no-add
		{name: "no-add-virtual-base", prepare: `printf 'a\nb\nc\n' > one`, patch: "--- a/one\n+++ b/one\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n", args: []string{"--no-add"}, stdin: true},
		{name: "add-negates-no-add", mutate: modifyA, args: []string{"--no-add", "--add", "PATCH"}},
		{name: "quiet-whitespace", patch: wsPatch, args: []string{"-q", "PATCH"}},
		{name: "quiet-whitespace-error", patch: wsPatch, args: []string{"-q", "--whitespace=error", "PATCH"}},
		{name: "quiet-fails", patch: failPatch, args: []string{"-q", "--index", "PATCH"}},
		{name: "quiet-fuzz", patch: fuzzPatch, args: []string{"-q", "-C1", "PATCH"}},
		{name: "quiet-missing-file", args: []string{"-q", "nosuch"}},
		{name: "quiet-no-patches", patch: "text\n", args: []string{"-q", "PATCH"}},
		{name: "quiet-lock-held", mutate: modifyA, prepare: `touch .git/index.lock`, args: []string{"-q", "--index", "PATCH"}},
		{name: "quiet-then-verbose", mutate: manyFiles, args: []string{"-q", "-v", "PATCH"}},
		{name: "verbose-then-quiet", mutate: manyFiles, args: []string{"-v", "-v", "-q", "PATCH"}},
		{name: "quiet-write-error", patch: "diff --git a/gone.txt/x b/gone.txt/x\nnew file mode 100644\n--- /dev/null\n+++ b/gone.txt/x\n@@ -0,0 +1 @@\n+x\n", args: []string{"-q", "--index", "PATCH"}},
		{name: "patch-name-from-subdir", dir: "sub", patch: wsPatch, args: []string{"../../p.diff"}},
		{name: "linked-worktree", prepare: `git worktree add -q -b wt .wt`, dir: ".wt", mutate: manyFiles, args: []string{"--index", "PATCH"}},
		{name: "linked-worktree-subdir", prepare: `git worktree add -q -b wt .wt`, dir: ".wt/dir", mutate: manyFiles, args: []string{"-v", "--cached", "PATCH"}},
		{name: "stat", mutate: manyFiles + `; git mv dir/b.txt dir/renamed.txt; chmod +x sub/s.txt; git rm -q gone.txt; echo n > new.txt; printf '\001\002' > bin.dat`, args: []string{"--stat", "PATCH"}},
		{name: "numstat", mutate: manyFiles + `; git mv dir/b.txt dir/renamed.txt; printf '\001\002' > bin.dat; echo q > "$(printf 'q\tname')"`, args: []string{"--numstat", "PATCH"}},
		{name: "numstat-z", mutate: `echo q > "$(printf 'q\tname')"; git mv run.sh run2.sh`, args: []string{"--numstat", "-z", "PATCH"}},
		{name: "summary", mutate: `git mv dir/b.txt dir/renamed.txt; git mv dir/deep/c.txt top.txt; chmod +x sub/s.txt; git rm -q gone.txt; echo n > new.txt; chmod +x new.txt; rm link; echo regular > link`, args: []string{"--summary", "PATCH"}},
		{name: "summary-rewrite", patch: "diff --git a/dir/b.txt b/dir/b.txt\ndissimilarity index 90%\nold mode 100644\nnew mode 100755\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n-one\n-two\n-three\n+1\n+2\n+3\n", args: []string{"--summary", "--stat", "--numstat", "PATCH"}},
		{name: "summary-traditional", patch: strings.ReplaceAll(tradPatch, "s.txt", "sub/s.txt"), args: []string{"--summary", "--numstat", "PATCH"}},
		{name: "summary-score-over-100", patch: "diff --git a/dir/b.txt b/dir/c.txt\nsimilarity index 250%\nrename from dir/b.txt\nrename to dir/c.txt\n", args: []string{"--summary", "PATCH"}},
		{name: "stat-long-names", mutate: `mkdir -p very/long/directory/name/that/goes/on/and/on; for i in 1 2 3; do seq 1 $((i*40)) > very/long/directory/name/that/goes/on/and/on/file-with-a-long-name-$i.txt; done; seq 1 200 > a.txt`, args: []string{"--stat", "PATCH"}},
		{name: "stat-does-not-apply", patch: failPatch, args: []string{"--stat", "--index", "PATCH"}},
		{name: "stat-whitespace-quiet", patch: wsPatch, args: []string{"--stat", "PATCH"}},
		{name: "stat-whitespace-error", patch: wsPatch, args: []string{"--stat", "--whitespace=error", "PATCH"}},
		{name: "stat-quiet", patch: wsPatch, args: []string{"--stat", "-q", "PATCH"}},
		{name: "stat-subdir-skipped", dir: "sub", mutate: manyFiles, args: []string{"--stat", "--summary", "PATCH"}},
		{name: "stat-empty", patch: "nothing\n", args: []string{"--stat", "--allow-empty", "PATCH"}},
		{name: "beyond-symlink-create", prepare: `ln -s dir dlink; git add dlink`, patch: "diff --git a/dlink/new.txt b/dlink/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/dlink/new.txt\n@@ -0,0 +1 @@\n+x\n", args: []string{"PATCH"}},
		{name: "beyond-symlink-create-index", prepare: `ln -s dir dlink; git add dlink`, patch: "diff --git a/dlink/new.txt b/dlink/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/dlink/new.txt\n@@ -0,0 +1 @@\n+x\n", args: []string{"--index", "PATCH"}},
		{name: "beyond-symlink-create-cached", prepare: `ln -s dir dlink; git add dlink`, patch: "diff --git a/dlink/new.txt b/dlink/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/dlink/new.txt\n@@ -0,0 +1 @@\n+x\n", args: []string{"--cached", "PATCH"}},
		{name: "beyond-symlink-modify", prepare: `ln -s dir dlink`, patch: strings.ReplaceAll(failPatch, "-TWO\n+2", "-two\n+2") + "", args: []string{"--directory=dlink", "-p2", "PATCH"}},
		{name: "beyond-symlink-delete-reads", prepare: `ln -s dir dlink`, patch: "diff --git a/dlink/b.txt b/dlink/b.txt\ndeleted file mode 100644\n--- a/dlink/b.txt\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-one\n-two\n-three\n", args: []string{"PATCH"}},
		{name: "symlink-replaced-by-dir", patch: "diff --git a/link b/link\ndeleted file mode 120000\n--- a/link\n+++ /dev/null\n@@ -1 +0,0 @@\n-a.txt\n\\ No newline at end of file\ndiff --git a/link/x b/link/x\nnew file mode 100644\n--- /dev/null\n+++ b/link/x\n@@ -0,0 +1 @@\n+x\n", args: []string{"--index", "PATCH"}},
		{name: "new-symlink-then-beyond", patch: "diff --git a/nl b/nl\nnew file mode 120000\n--- /dev/null\n+++ b/nl\n@@ -0,0 +1 @@\n+dir\n\\ No newline at end of file\ndiff --git a/nl/y b/nl/y\nnew file mode 100644\n--- /dev/null\n+++ b/nl/y\n@@ -0,0 +1 @@\n+y\n", args: []string{"PATCH"}},
		{name: "two-files", patch: offsetPatch, patch2: newInSub, args: []string{"-v", "--index", "PATCH", "PATCH2"}},
		{name: "two-files-cached", patch: offsetPatch, patch2: newInSub, args: []string{"--cached", "PATCH", "PATCH2"}},
		{name: "two-files-check", patch: offsetPatch, patch2: failPatch, args: []string{"--check", "--index", "PATCH", "PATCH2"}},
		{name: "two-files-second-fails", patch: offsetPatch, patch2: failPatch, args: []string{"--index", "PATCH", "PATCH2"}},
		{name: "two-files-second-fails-worktree", patch: offsetPatch, patch2: failPatch, args: []string{"PATCH", "PATCH2"}},
		{name: "two-files-second-missing", patch: offsetPatch, args: []string{"--index", "PATCH", "nosuch.diff"}},
		{name: "two-files-second-empty", patch: offsetPatch, patch2: "text\n", args: []string{"--index", "PATCH", "PATCH2"}},
		{name: "same-patch-twice", patch: offsetPatch, args: []string{"PATCH", "PATCH"}},
		{name: "same-patch-twice-check", patch: offsetPatch, args: []string{"--check", "PATCH", "PATCH"}},
		{name: "rename-then-modify", patch: "diff --git a/dir/b.txt b/dir/moved.txt\nsimilarity index 100%\nrename from dir/b.txt\nrename to dir/moved.txt\n", patch2: "diff --git a/dir/moved.txt b/dir/moved.txt\n--- a/dir/moved.txt\n+++ b/dir/moved.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n", args: []string{"--index", "PATCH", "PATCH2"}},
		{name: "whitespace-across-files", patch: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,7 @@\n one\n+a \n+b \n+c \n+d \n two\n three\n", patch2: "diff --git a/sub/s.txt b/sub/s.txt\n--- a/sub/s.txt\n+++ b/sub/s.txt\n@@ -1,3 +1,6 @@\n x\n+e \n+f \n+g \n y\n z\n", args: []string{"PATCH", "PATCH2"}},
		{name: "whitespace-error-across-files", patch: wsPatch, patch2: newInSub, args: []string{"--whitespace=error", "--index", "PATCH", "PATCH2"}},
		{name: "whitespace-error-second-file", patch: newInSub, patch2: wsPatch, args: []string{"--whitespace=error", "--index", "PATCH", "PATCH2"}},
		{name: "whitespace-error-all-across-files", patch: wsPatch, patch2: strings.ReplaceAll(wsPatch, "dir/b.txt", "dir/b.txt"), args: []string{"--whitespace=error-all", "--check", "PATCH", "PATCH2"}},
		{name: "dash-then-file-check", patch: wsPatch, patch2: strings.ReplaceAll(wsPatch, "trailing  ", "again  "), stdin: true, args: []string{"--check", "-", "PATCH2"}},
		{name: "file-then-dash-check", patch: wsPatch, patch2: strings.ReplaceAll(wsPatch, "trailing  ", "again  "), stdin: true, args: []string{"--check", "PATCH2", "-"}},
		{name: "two-files-allow-empty-last", patch: wsPatch, patch2: "text\n", args: []string{"--allow-empty", "PATCH", "PATCH2"}},
		{name: "two-files-second-corrupt", patch: offsetPatch + "trailing garbage\nmore\n", patch2: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-two\n", args: []string{"PATCH", "PATCH2"}},
		{name: "two-files-line-skew", patch: "diff --git a/x b/x\n" + offsetPatch + "no newline at end", patch2: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,4 @@\n one\n+x \n two\n three\n@@ -9 +9 @@\n", args: []string{"PATCH", "PATCH2"}},
		{name: "two-files-trailing-short", patch: offsetPatch + "long trailing line\nab\n", patch2: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-two\n", args: []string{"PATCH", "PATCH2"}},
		{name: "two-files-trailing-fragment-like", patch: offsetPatch + "@@ -x bogus\n", patch2: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-two\n", args: []string{"PATCH", "PATCH2"}},
		{name: "two-files-trailing-many", patch: offsetPatch + "a\nlonger line here\nb\nanother long line\n", patch2: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-two\n", args: []string{"PATCH", "PATCH2"}},
		{name: "three-files-ws-lines", patch: wsPatch + "x\n", patch2: wsPatch, stdin: true, args: []string{"PATCH", "-", "PATCH2"}},
		{name: "two-files-lock-held", patch: offsetPatch, patch2: newInSub, prepare: `touch .git/index.lock`, args: []string{"--index", "PATCH", "PATCH2"}},
		{name: "odd-C-negative", patch: fuzzPatch, args: []string{"-C-5", "PATCH"}},
		{name: "odd-C-empty", patch: fuzzPatch, args: []string{"-C", "", "PATCH"}},
		{name: "odd-C-huge", patch: fuzzPatch, args: []string{"-C99999999999", "PATCH"}},
		{name: "odd-directory-empty", patch: offsetPatch, args: []string{"--directory=", "PATCH"}},
		{name: "odd-directory-slash", patch: "diff --git a/s.txt b/s.txt\n--- a/s.txt\n+++ b/s.txt\n@@ -1,3 +1,3 @@\n x\n-y\n+why\n z\n", args: []string{"--directory=sub/", "PATCH"}},
		{name: "odd-binary-garbage", patch: "\x00\x01\x02garbage\n\xff\xfe\n", args: []string{"PATCH"}},
		{name: "odd-directory-path", patch: "diff --git a/dir b/dir\n--- a/dir\n+++ b/dir\n@@ -1 +1 @@\n-a\n+b\n", args: []string{"--index", "PATCH"}},
		{name: "file-over-index-dir", patch: "diff --git a/dir b/dir\nnew file mode 100644\n--- /dev/null\n+++ b/dir\n@@ -0,0 +1 @@\n+x\n", args: []string{"--index", "PATCH"}},
		{name: "file-over-index-dir-cached", patch: "diff --git a/dir b/dir\nnew file mode 100644\n--- /dev/null\n+++ b/dir\n@@ -0,0 +1 @@\n+x\n", args: []string{"--cached", "PATCH"}},
		{name: "file-over-index-dir-check", patch: "diff --git a/dir b/dir\nnew file mode 100644\n--- /dev/null\n+++ b/dir\n@@ -0,0 +1 @@\n+x\n", args: []string{"--check", "--index", "PATCH"}},
		{name: "odd-dot-git-path", patch: "diff --git a/.git/evil b/.git/evil\nnew file mode 100644\n--- /dev/null\n+++ b/.git/evil\n@@ -0,0 +1 @@\n+x\n", args: []string{"PATCH"}},
		{name: "odd-absolute-path", patch: "--- /tmp/kiln-nonexistent-abs\n+++ /tmp/kiln-nonexistent-abs\n@@ -1 +1 @@\n-a\n+b\n", args: []string{"-p0", "PATCH"}},
		{name: "odd-crlf-patch", patch: strings.ReplaceAll(failPatch, "\n", "\r\n"), args: []string{"PATCH"}},
		{name: "odd-file-dir-clash-worktree", patch: "diff --git a/gone.txt/x b/gone.txt/x\nnew file mode 100644\n--- /dev/null\n+++ b/gone.txt/x\n@@ -0,0 +1 @@\n+x\n", args: []string{"PATCH"}},
		{name: "odd-mode-only-missing", patch: "diff --git a/nofile b/nofile\nold mode 100644\nnew mode 100755\n", args: []string{"--index", "PATCH"}},
		{name: "odd-index-worktree-missing", mutate: `echo four >> dir/b.txt`, prepare: `rm dir/b.txt`, args: []string{"--index", "PATCH"}},
		{name: "odd-delete-changed", mutate: `git rm -q gone.txt`, prepare: `echo changed > gone.txt`, args: []string{"PATCH"}},
		{name: "odd-delete-nonempty-result", patch: "diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n", prepare: `echo more >> gone.txt; git add gone.txt`, args: []string{"--cached", "PATCH"}},
		{name: "odd-rename-onto-existing", patch: "diff --git a/dir/b.txt b/sub/s.txt\nsimilarity index 100%\nrename from dir/b.txt\nrename to sub/s.txt\n", args: []string{"--index", "PATCH"}},
		{name: "odd-swap-rename", mutate: `git mv dir/b.txt tmp; git mv sub/s.txt dir/b.txt; git mv tmp sub/s.txt`, args: []string{"-v", "--index", "PATCH"}},
		{name: "odd-swap-rename-cached", mutate: `git mv dir/b.txt tmp; git mv sub/s.txt dir/b.txt; git mv tmp sub/s.txt`, args: []string{"--cached", "PATCH"}},
		{name: "odd-type-change", mutate: `rm gone.txt; ln -s a.txt gone.txt; rm link; echo file > link`, args: []string{"--index", "PATCH"}},
		{name: "odd-type-change-cached", mutate: `rm gone.txt; ln -s a.txt gone.txt`, args: []string{"--cached", "PATCH"}},
		{name: "odd-mode-only-cached", mutate: `chmod +x dir/b.txt`, args: []string{"--cached", "PATCH"}},
		{name: "odd-two-hunks-same-place", patch: "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,2 +1,2 @@\n-one\n+1\n two\n@@ -1,2 +1,2 @@\n-one\n+uno\n two\n", args: []string{"PATCH"}},
		{name: "odd-gitlink", patch: "diff --git a/sm b/sm\nnew file mode 160000\nindex 0000000..1111111\n--- /dev/null\n+++ b/sm\n@@ -0,0 +1 @@\n+Subproject commit 1111111111111111111111111111111111111111\n", args: []string{"--index", "PATCH"}},
		{name: "odd-gitlink-cached", patch: "diff --git a/sm b/sm\nnew file mode 160000\nindex 0000000..1111111\n--- /dev/null\n+++ b/sm\n@@ -0,0 +1 @@\n+Subproject commit 1111111111111111111111111111111111111111\n", args: []string{"--cached", "PATCH"}},
		{name: "odd-gitlink-worktree", patch: "diff --git a/sm b/sm\nnew file mode 160000\nindex 0000000..1111111\n--- /dev/null\n+++ b/sm\n@@ -0,0 +1 @@\n+Subproject commit 1111111111111111111111111111111111111111\n", args: []string{"PATCH"}},
		{name: "odd-gitlink-update-cached", prepare: `git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,sm`, patch: "diff --git a/sm b/sm\nindex 1111111..2222222 160000\n--- a/sm\n+++ b/sm\n@@ -1 +1 @@\n-Subproject commit 1111111111111111111111111111111111111111\n+Subproject commit 2222222222222222222222222222222222222222\n", args: []string{"--cached", "PATCH"}},
		{name: "odd-gitlink-corrupt-cached", patch: "diff --git a/sm b/sm\nnew file mode 160000\n--- /dev/null\n+++ b/sm\n@@ -0,0 +1 @@\n+Subproject nonsense\n", args: []string{"--cached", "PATCH"}},
		{name: "odd-touched-index", mutate: `echo four >> dir/b.txt`, prepare: `touch -d '2001-01-01 00:00:00' dir/b.txt`, args: []string{"--index", "PATCH"}},
		{name: "odd-touched-refreshed-index", mutate: `echo four >> dir/b.txt`, prepare: `touch -d '2001-01-01 00:00:00' dir/b.txt; git update-index --refresh >/dev/null`, args: []string{"--index", "PATCH"}},
		{name: "odd-unmerged", mutate: `echo four >> dir/b.txt`, prepare: `h=$(git rev-parse :dir/b.txt); printf '100644 %s 1\tdir/b.txt\n100644 %s 2\tdir/b.txt\n' $h $h | { git update-index --force-remove dir/b.txt; git update-index --index-info; }`, args: []string{"--index", "PATCH"}},
		{name: "odd-unmerged-cached", mutate: `echo four >> dir/b.txt`, prepare: `h=$(git rev-parse :dir/b.txt); printf '100644 %s 1\tdir/b.txt\n100644 %s 2\tdir/b.txt\n' $h $h | { git update-index --force-remove dir/b.txt; git update-index --index-info; }`, args: []string{"--cached", "PATCH"}},
		{name: "odd-skip-worktree", mutate: `echo four >> dir/b.txt`, prepare: `git update-index --skip-worktree dir/b.txt; rm dir/b.txt`, args: []string{"--index", "PATCH"}},
		{name: "odd-assume-unchanged", mutate: `echo four >> dir/b.txt`, prepare: `git update-index --assume-unchanged dir/b.txt; echo changed > dir/b.txt`, args: []string{"--index", "PATCH"}},
		{name: "combo-subdir-directory", dir: "sub", patch: "diff --git a/s.txt b/s.txt\n--- a/s.txt\n+++ b/s.txt\n@@ -1,3 +1,3 @@\n x\n-y\n+why\n z\n", args: []string{"--directory=sub", "-v", "PATCH"}},
		{name: "combo-subdir-include", dir: "dir", mutate: manyFiles, args: []string{"--include=dir/deep/*", "-v", "PATCH"}},
		{name: "combo-p2-git-diff", patch: "diff --git a/x/dir/b.txt b/x/dir/b.txt\n--- a/x/dir/b.txt\n+++ b/x/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n", args: []string{"-p2", "--index", "PATCH"}},
		{name: "combo-p0-git-diff-fails", patch: offsetPatch, args: []string{"-p0", "PATCH"}},
		{name: "combo-rename-p2", patch: "diff --git a/x/dir/b.txt b/x/dir/moved.txt\nsimilarity index 100%\nrename from x/dir/b.txt\nrename to x/dir/moved.txt\n", args: []string{"-p2", "--index", "PATCH"}},
		{name: "verbose-twice-no-verbose", mutate: modifyA, args: []string{"-v", "--no-verbose", "PATCH"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runApplyCase(t, c)
		})
	}
}

// TestApplyOutsideRepository compares git apply outside any repository:
// plain application to the directory, and --index/--cached refused.
func TestApplyOutsideRepository(t *testing.T) {
	f := gittest.NewDir(t)
	f.Write(t, "plain/s.txt", "x\ny\nz\n")
	f.Write(t, "p.diff", strings.ReplaceAll(tradPatch, "s.txt", "plain/s.txt"))
	for _, args := range [][]string{
		{"apply", "--index", "../p.diff"},
		{"apply", "--cached", "--index", "../p.diff"},
		{"apply", "--cached", "../p.diff"},
		{"apply", "-q", "--index", "../p.diff"},
		{"apply", "-q", "nosuch.diff"},
		{"apply", "--check", "-v", "-p1", "../p.diff"},
	} {
		want := f.RunGit(t, "plain", nil, "", args)
		got := runKiln(f, "plain", nil, "", args)
		if got != want {
			t.Errorf("%v: git %+v, kiln %+v", args, want, got)
		}
	}
	args := []string{"apply", "-p1", "../p.diff"}
	f.Write(t, "plain/s.txt", "x\ny\nz\n")
	want := f.RunGit(t, "plain", nil, "", args)
	wantText, _ := os.ReadFile(filepath.Join(f.Root, "plain/s.txt"))
	f.Write(t, "plain/s.txt", "x\ny\nz\n")
	got := runKiln(f, "plain", nil, "", args)
	gotText, _ := os.ReadFile(filepath.Join(f.Root, "plain/s.txt"))
	if got != want || string(gotText) != string(wantText) {
		t.Errorf("apply outside: git %+v %q, kiln %+v %q", want, wantText, got, gotText)
	}
}

// TestApplyFormsServed pins which git apply forms are served in-process.
func TestApplyFormsServed(t *testing.T) {
	for args, want := range map[string]bool{
		"apply --index -C1 p.diff":          true,
		"apply --cached p.diff":             true,
		"apply --check -v -p2 -":            true,
		"apply":                             true,
		"apply --include=a --exclude=b p":   true,
		"apply --directory=x --allow-empty": true,
		"apply --whitespace=error p":        true,
		"apply --bogus":                     true,
		"apply --whitespace=fix p":          false,
		"apply -R p":                        false,
		"apply --reject p":                  false,
		"apply --3way p":                    false,
		"apply --stat p":                    true,
		"apply --numstat -z p":              true,
		"apply --summary --stat p":          true,
		"apply --stat --check p":            false,
		"apply --nums --che p":              false,
		"apply --check --no-check --stat p": true,
		"apply -p-1 p":                      false,
		"apply --numstat --apply p":         false,
		"apply --no-add p":                  true,
		"apply -q p":                        true,
		"apply --recount p":                 false,
		"apply a.diff b.diff":               true,
		"apply --stat a.diff b.diff":        false,
	} {
		if got := Serves(strings.Fields(args)); got != want {
			t.Errorf("Serves(%s) = %v, want %v", args, got, want)
		}
	}
}

// TestWildmatchAnySlash checks the --include/--exclude matcher on the
// cases where it differs from pathname matching.
func TestWildmatchAnySlash(t *testing.T) {
	for _, tt := range []struct {
		pattern, text string
		want          bool
	}{
		{"*.txt", "dir/b.txt", true},
		{"dir/*", "dir/deep/c.txt", true},
		{"a?txt", "a/txt", true},
		{"[ab]*", "b.txt", true},
		{"[!ab]*", "b.txt", false},
		{`\*`, "*", true},
		{"a.txt", "a_txt", false},
	} {
		if got := wildmatchAnySlash(tt.pattern, tt.text); got != tt.want {
			t.Errorf("wildmatchAnySlash(%q, %q) = %v, want %v", tt.pattern, tt.text, got, tt.want)
		}
	}
}

// TestApplyRandomAgainstGit applies patches made by real git from seeded
// random changes of the base repository, with random flags, after random
// changes of the target (dirty files, missing files, staged changes), and
// compares everything with git.
func TestApplyRandomAgainstGit(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2026))
	files := []string{"a.txt", "dir/b.txt", "dir/deep/c.txt", "gone.txt", "run.sh", "sub/s.txt"}
	pick := func() string { return files[rng.IntN(len(files))] }
	mutations := []func() string{
		func() string { return fmt.Sprintf("sed -i '%dd' a.txt", 1+rng.IntN(40)) },
		func() string {
			return fmt.Sprintf("sed -i 's/^line %d$/changed %d/' a.txt", 1+rng.IntN(40), rng.IntN(99))
		},
		func() string { return fmt.Sprintf("echo appended%d >> %s", rng.IntN(99), pick()) },
		func() string { return "git rm -q " + pick() },
		func() string { return fmt.Sprintf("git mv %s moved%d.txt", pick(), rng.IntN(99)) },
		func() string { return "chmod +x " + pick() },
		func() string { return fmt.Sprintf("mkdir -p new%d && echo n > new%d/f", rng.IntN(9), rng.IntN(9)) },
	}
	prepares := []string{"", "", "echo dirty >> dir/b.txt", "rm -f sub/s.txt", "echo staged >> a.txt && git add a.txt",
		"echo stray > moved1.txt", "sed -i 's/^line 1.$/edited/' a.txt", "sed -i 's/^line 2.$/edited/' a.txt && git add a.txt",
		"git rm -q --cached gone.txt", "echo new > dir/b.txt && git add dir/b.txt", "rm run.sh && git rm -q --cached run.sh",
		"chmod +x a.txt", "mkdir -p new1 && echo other > new1/f"}
	flagSets := [][]string{{}, {"--index"}, {"--cached"}, {"--check"}, {"--check", "--index"}, {"-v", "--index"}, {"-C1", "--index"}, {"--cached", "-v"}}
	for i := 0; i < 40; i++ {
		var script []string
		for n := 1 + rng.IntN(3); n > 0; n-- {
			script = append(script, "{ "+mutations[rng.IntN(len(mutations))]()+"; } 2>/dev/null || true")
		}
		c := applyCase{
			name:    fmt.Sprintf("random-%02d", i),
			mutate:  strings.Join(script, "\n"),
			prepare: prepares[rng.IntN(len(prepares))],
			args:    append(append([]string{}, flagSets[rng.IntN(len(flagSets))]...), "--allow-empty", "PATCH"),
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runApplyCase(t, c)
		})
	}
}
