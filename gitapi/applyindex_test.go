package gitapi

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"

	"github.com/kiln-dev/kiln/gitapi/apply"
)

// twinRepos makes two identical repositories with files and a commit.
func twinRepos(t *testing.T, files map[string]string) (gitSide, kilnSide string, env []string) {
	t.Helper()
	root := t.TempDir()
	env = gittest.SandboxEnv(filepath.Join(root, "home"))
	os.MkdirAll(filepath.Join(root, "home"), 0o777)
	var dirs []string
	for _, name := range []string{"git", "kiln"} {
		dir := filepath.Join(root, name)
		runIn(t, root, env, "git", "init", "-q", "-b", "main", dir)
		for path, content := range files {
			p := filepath.Join(dir, path)
			os.MkdirAll(filepath.Dir(p), 0o777)
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		runIn(t, dir, env, "git", "add", ".")
		runIn(t, dir, env, "git", "commit", "-q", "-m", "base")
		dirs = append(dirs, dir)
	}
	return dirs[0], dirs[1], env
}

func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// TestApplyIndexAgainstGit applies patches with `git apply --index -C1`
// and write-tree in one repository, with ApplyIndex and WriteTree in its
// twin, and compares what git then sees of both.
func TestApplyIndexAgainstGit(t *testing.T) {
	lines := ""
	for i := 1; i <= 30; i++ {
		lines += "line " + string(rune('a'+i%26)) + "\n"
	}
	files := map[string]string{"a.txt": lines, "dir/b.txt": "one\ntwo\nthree\n", "gone.txt": "bye\n"}
	patches := []struct{ name, patch string }{
		{"modify-offset-and-new-file", "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -10,3 +10,4 @@\n line k\n line l\n+inserted\n line m\n" +
			"diff --git a/new/c.txt b/new/c.txt\nnew file mode 100755\n--- /dev/null\n+++ b/new/c.txt\n@@ -0,0 +1 @@\n+created\n"},
		{"delete-and-rename", "diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n" +
			"diff --git a/dir/b.txt b/dir/moved.txt\nsimilarity index 100%\nrename from dir/b.txt\nrename to dir/moved.txt\n"},
		{"fails-context", "diff --git a/dir/b.txt b/dir/b.txt\n--- a/dir/b.txt\n+++ b/dir/b.txt\n@@ -1,3 +1,3 @@\n one\n-TWO\n+2\n three\n"},
	}
	for _, p := range patches {
		t.Run(p.name, func(t *testing.T) {
			gitDir, kilnDir, env := twinRepos(t, files)
			patchFile := filepath.Join(t.TempDir(), "p.diff")
			os.WriteFile(patchFile, []byte(p.patch), 0o644)

			cmd := exec.Command("git", "apply", "--index", "-C1", patchFile)
			cmd.Dir, cmd.Env = gitDir, env
			var gitErr strings.Builder
			cmd.Stderr = &gitErr
			gitStatus := 0
			if err := cmd.Run(); err != nil {
				gitStatus = err.(*exec.ExitError).ExitCode()
			}

			r, err := Open(Options{Dir: kilnDir, Env: env})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.ApplyIndex([]byte(p.patch), apply.Options{MinContext: 1, MinContextGiven: true, InputName: patchFile})
			var aerr *apply.Error
			if err != nil && !errorsAs(err, &aerr) {
				t.Fatal(err)
			}
			if res.Stderr != gitErr.String() || res.ExitCode != gitStatus {
				t.Errorf("stderr/status: git %q %d, kiln %q %d", gitErr.String(), gitStatus, res.Stderr, res.ExitCode)
			}
			for _, args := range [][]string{{"ls-files", "-s"}, {"status", "--porcelain"}, {"diff-files", "--name-status"}} {
				if g, k := runIn(t, gitDir, env, "git", args...), runIn(t, kilnDir, env, "git", args...); g != k {
					t.Errorf("git %v:\ngit side:\n%s\nkiln side:\n%s", args, g, k)
				}
			}
			if gitStatus == 0 {
				want := strings.TrimSpace(runIn(t, gitDir, env, "git", "write-tree"))
				got, err := r.WriteTree()
				if err != nil || got.String() != want {
					t.Errorf("write-tree: kiln %s (%v), git %s", got, err, want)
				}
				// git reads the cache tree kiln stored.
				if again := strings.TrimSpace(runIn(t, kilnDir, env, "git", "write-tree")); again != want {
					t.Errorf("git write-tree on kiln's index: %s, want %s", again, want)
				}
			}
		})
	}
}

func errorsAs(err error, target **apply.Error) bool {
	e, ok := err.(*apply.Error)
	if ok {
		*target = e
	}
	return ok
}
