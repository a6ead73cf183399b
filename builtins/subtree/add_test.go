package subtree

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
)

// addRepo is a repository with one commit and a branch lib of an
// unrelated history (a file, a subdirectory, an executable and a
// symbolic link) to add under a prefix.
func addRepo(t *testing.T, env []string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	run(t, "", env, "", "git", "init", "-q", "-b", "main", dir)
	run(t, dir, env, "", "sh", "-c", `set -e
echo main >main.txt
git add main.txt
git commit -q -m main
git checkout -q --orphan lib
git rm -q -r --cached .
rm main.txt
mkdir d
echo a >a.c
echo b >d/b.c
printf '#!/bin/sh\n' >run.sh
chmod +x run.sh
ln -s a.c link
git add a.c d run.sh link
git commit -q -m "lib one"
git checkout -q main
git clean -q -fdx`)
	return dir
}

// state is what an add leaves that the tests compare: refs, HEAD's
// reflog, ORIG_HEAD, the index, the work tree's files and modes, and
// which merge state files are left.
func state(t *testing.T, dir string, env []string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(run(t, dir, env, "", "git", "for-each-ref", "--format=%(refname) %(objectname)"))
	b.WriteString(run(t, dir, env, "", "git", "reflog", "--format=%H %gs", "HEAD"))
	b.WriteString(run(t, dir, env, "", "git", "reflog", "--format=%H %gs", "main"))
	b.WriteString(run(t, dir, env, "", "git", "ls-files", "-s"))
	b.WriteString(run(t, dir, env, "", "sh", "-c", "cat .git/ORIG_HEAD; ls .git; find . -path ./.git -prune -o -printf '%p %M %l\\n' | sort"))
	return b.String()
}

// TestAddMatchesScript adds the lib history with the script and with the
// builtin: in-process (plain, --squash, a nested prefix) and where a
// stale SQUASH_MSG makes the builtin leave the reset to git.
func TestAddMatchesScript(t *testing.T) {
	env := gitEnv(t)
	orig := addRepo(t, env)
	for _, tc := range []struct {
		name   string
		setup  string
		args   []string
		spawns int64 // git commands run through the fallback
	}{
		{"plain", "", []string{"add", "-P", "lib", "lib"}, 0},
		{"squash", "", []string{"add", "--squash", "-P", "vendor/lib", "lib"}, 0},
		{"message", "", []string{"add", "-m", "vendored", "-P", "lib/", "lib"}, 0},
		{"stale squash message", "echo stale >.git/SQUASH_MSG", []string{"add", "-P", "lib", "lib"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, neu := copyRepo(t, orig), copyRepo(t, orig)
			for _, dir := range []string{old, neu} {
				run(t, dir, env, "", "git", "update-index", "-q", "--refresh")
			}
			if tc.setup != "" {
				run(t, old, env, "", "sh", "-c", tc.setup)
				run(t, neu, env, "", "sh", "-c", tc.setup)
			}
			cmd := exec.Command("git", append([]string{"subtree"}, tc.args...)...)
			cmd.Dir, cmd.Env = old, env
			var wantOut, wantErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &wantOut, &wantErr
			if err := cmd.Run(); err != nil {
				t.Fatalf("git subtree: %v\n%s", err, wantErr.String())
			}
			before := gitapi.FallbackCount()
			gotOut, gotErr, code := runBuiltin(t, neu, env, tc.args...)
			if spawns := gitapi.FallbackCount() - before; spawns != tc.spawns {
				t.Errorf("%d git commands spawned, want %d", spawns, tc.spawns)
			}
			if code != 0 || gotOut != wantOut.String() || gotErr != wantErr.String() {
				t.Errorf("builtin: exit %d, stdout %q, stderr %q; script: %q, %q", code, gotOut, gotErr, wantOut.String(), wantErr.String())
			}
			if got, want := state(t, neu, env), state(t, old, env); got != want {
				t.Errorf("state:\n%s\nscript:\n%s", got, want)
			}
			if _, err := os.Stat(filepath.Join(neu, ".git", "SQUASH_MSG")); err == nil {
				t.Error("SQUASH_MSG left behind")
			}
		})
	}
}
