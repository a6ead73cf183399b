package subtree

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
)

// gitEnv is a clean git environment for tests, with the installed git's
// exec path set and first in PATH as `git subtree` runs the script.
func gitEnv(t testing.TB) []string {
	t.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatalf("git --exec-path: %v", err)
	}
	execPath := strings.TrimSpace(string(out))
	home := t.TempDir()
	return []string{
		"HOME=" + home, "PATH=" + execPath + ":" + os.Getenv("PATH"), "GIT_EXEC_PATH=" + execPath,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull, "LC_ALL=C", "TZ=UTC",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_AUTHOR_DATE=1112911993 +0000", "GIT_COMMITTER_DATE=1112911993 +0000",
	}
}

// run runs a command in dir with env, failing the test on error.
func run(t testing.TB, dir string, env []string, stdin string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env, cmd.Stdin = dir, env, strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return string(out)
}

// historyRepo makes a repository of n commits in one fast-import
// stream, every third touching lib/, with a merge of a side branch and
// a subtree add of lib's own history half way.
func historyRepo(t testing.TB, env []string, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	run(t, "", env, "", "git", "init", "-q", "-b", "main", dir)
	var stream strings.Builder
	mark := 0
	commit := func(branch, path string, i int, from string, merge string) {
		mark++
		fmt.Fprintf(&stream, "commit refs/heads/%s\nmark :%d\n", branch, mark)
		fmt.Fprintf(&stream, "author A U Thor <author@example.com> %d +0200\n", 1112911993+i)
		fmt.Fprintf(&stream, "committer C O Mitter <committer@example.com> %d -0700\n", 1112911993+i)
		msg := fmt.Sprintf("commit %d\n\nbody of %d\n", i, i)
		fmt.Fprintf(&stream, "data %d\n%s", len(msg), msg)
		if from != "" {
			fmt.Fprintf(&stream, "from %s\n", from)
		}
		if merge != "" {
			fmt.Fprintf(&stream, "merge %s\n", merge)
		}
		data := fmt.Sprintf("change %d\n", i)
		fmt.Fprintf(&stream, "M 100644 inline %s\ndata %d\n%s\n", path, len(data), data)
	}
	for i := 0; i < n; i++ {
		path := fmt.Sprintf("src/f%d.c", i%7)
		if i%3 == 0 {
			path = fmt.Sprintf("lib/f%d.c", i%5)
		}
		switch {
		case i == n/2:
			// a side branch off the previous commit, merged back
			commit("side", "lib/side.c", i, fmt.Sprintf(":%d", mark), "")
			commit("main", path, i, fmt.Sprintf(":%d", mark-1), fmt.Sprintf(":%d", mark))
		default:
			commit("main", path, i, "", "")
		}
	}
	run(t, dir, env, stream.String(), "git", "fast-import", "--quiet")
	run(t, dir, env, "", "git", "reset", "-q", "--hard", "main")
	run(t, dir, env, "", "git", "config", "core.checkStat", "minimal")
	return dir
}

// copyRepo copies a repository directory.
func copyRepo(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	run(t, "", nil, "", "cp", "-a", src, dst)
	return dst
}

// cacheFiles lists the split cache's files and contents, the process id
// directory left out.
func cacheFiles(t testing.TB, repo string) []string {
	t.Helper()
	var files []string
	root := filepath.Join(repo, ".git", "subtree-cache")
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		_, rel, _ = strings.Cut(rel, "/")
		data, err := os.ReadFile(p)
		files = append(files, rel+"="+string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// runBuiltin runs the builtin in dir with env, as git would run it.
func runBuiltin(t testing.TB, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	s := &subtree{argv0: "git-subtree", environ: env, in: strings.NewReader(""), out: &out, err: &errb}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	code = exitStatus(s.run(args))
	return out.String(), errb.String(), code
}

// TestSplitMatchesScript splits the same history with the script and
// the builtin, with -b, --rejoin and a second split after the rejoin:
// same output, same commits and branches, the same cache files.
func TestSplitMatchesScript(t *testing.T) {
	env := gitEnv(t)
	orig := historyRepo(t, env, 60)
	for _, steps := range [][][]string{
		{{"split", "-P", "lib", "-b", "split"}},
		{{"split", "-P", "lib", "--annotate=(s) ", "-b", "split"}},
		{{"split", "-P", "lib", "--rejoin"}, {"split", "-P", "lib", "-b", "again"}},
		{{"split", "-P", "lib", "--rejoin", "--squash"}, {"split", "-P", "lib"}},
	} {
		name := strings.Join(steps[0], " ")
		t.Run(name, func(t *testing.T) {
			old, neu := copyRepo(t, orig), copyRepo(t, orig)
			for _, args := range steps {
				cmd := exec.Command("git", append([]string{"subtree"}, args...)...)
				cmd.Dir, cmd.Env = old, env
				var wantOut, wantErr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &wantOut, &wantErr
				wantCode := 0
				if err := cmd.Run(); err != nil {
					wantCode = cmd.ProcessState.ExitCode()
				}
				before := gitapi.FallbackCount()
				gotOut, gotErr, gotCode := runBuiltin(t, neu, env, args...)
				if spawns := gitapi.FallbackCount() - before; spawns != 0 {
					t.Errorf("%v: %d git commands spawned, want none", args, spawns)
				}
				if gotOut != wantOut.String() || gotCode != wantCode {
					t.Errorf("%v: stdout %q exit %d, script: %q exit %d", args, gotOut, gotCode, wantOut.String(), wantCode)
				}
				if gotErr != wantErr.String() {
					t.Errorf("%v: stderr %q, script: %q", args, gotErr, wantErr.String())
				}
				// One run's cache directory (the script's has its own
				// process id each run, the test process one for all).
				if got, want := strings.Join(cacheFiles(t, neu), "\n"), strings.Join(cacheFiles(t, old), "\n"); got != want {
					t.Errorf("%v: cache files differ:\n%s\nscript:\n%s", args, got, want)
				}
				for _, dir := range []string{old, neu} {
					if err := os.RemoveAll(filepath.Join(dir, ".git", "subtree-cache")); err != nil {
						t.Fatal(err)
					}
				}
			}
			refs := func(dir string) string {
				return run(t, dir, env, "", "git", "for-each-ref", "--format=%(refname) %(objectname)")
			}
			if got, want := refs(neu), refs(old); got != want {
				t.Errorf("refs:\n%s\nscript:\n%s", got, want)
			}
		})
	}
}

// BenchmarkSplit1000 splits lib/ out of 1,000 commits (the bench
// scenario subtree-split-1000's history), a fresh copy each time.
func BenchmarkSplit1000(b *testing.B) {
	env := gitEnv(b)
	orig := historyRepo(b, env, 1000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		repo := copyRepo(b, orig)
		b.StartTimer()
		if _, stderr, code := runBuiltin(b, repo, env, "split", "-q", "-P", "lib", "-b", "split"); code != 0 {
			b.Fatalf("split: exit %d\n%s", code, stderr)
		}
	}
}

// TestSplitLatin1Message splits a commit whose message is ISO-8859-1
// (with its encoding header): like the script, which reads it through
// git log as UTF-8, the copy is UTF-8 and nothing is warned.
func TestSplitLatin1Message(t *testing.T) {
	env := gitEnv(t)
	orig := filepath.Join(t.TempDir(), "repo")
	run(t, "", env, "", "git", "init", "-q", "-b", "main", orig)
	run(t, orig, env, "", "sh", "-c", `set -e
mkdir lib
echo a >lib/a
git add lib
printf 'caf\351 latin\n' >../msg
git -c i18n.commitEncoding=ISO-8859-1 commit -q -F ../msg`)
	old, neu := copyRepo(t, orig), copyRepo(t, orig)
	cmd := exec.Command("git", "subtree", "split", "-P", "lib")
	cmd.Dir, cmd.Env = old, env
	var wantOut, wantErr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &wantOut, &wantErr
	if err := cmd.Run(); err != nil {
		t.Fatalf("git subtree: %v\n%s", err, wantErr.String())
	}
	gotOut, gotErr, code := runBuiltin(t, neu, env, "split", "-P", "lib")
	if code != 0 || gotOut != wantOut.String() || gotErr != wantErr.String() {
		t.Errorf("builtin: exit %d, stdout %q, stderr %q; script: %q, %q", code, gotOut, gotErr, wantOut.String(), wantErr.String())
	}
}
