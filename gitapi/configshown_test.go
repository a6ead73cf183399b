package gitapi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
)

// TestConfigOriginAsShown: a bad value names its file as git does from
// where git runs (".git/config" at the top, the absolute path with an
// absolute GIT_DIR), whichever of the two opened the repository first in
// the process.
func TestConfigOriginAsShown(t *testing.T) {
	dir := t.TempDir()
	env := []string{"HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH")}
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, env
		out, _ := cmd.CombinedOutput()
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("config", "a.n", "zz")
	gitDir := filepath.Join(dir, ".git")
	intErr := func(env []string) string {
		r, err := gitapi.Open(gitapi.Options{Dir: dir, Env: env})
		if err != nil {
			t.Fatal(err)
		}
		c, err := r.Config()
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Int("a.n", 0)
		if err == nil {
			t.Fatal("a.n=zz read as a number")
		}
		return err.Error()
	}
	absEnv := append([]string{"GIT_DIR=" + gitDir}, env...)
	abs := intErr(absEnv)
	rel := intErr(env)
	for _, c := range []struct {
		got  string
		env  []string
		file string
	}{{abs, absEnv, gitDir + "/config"}, {rel, env, ".git/config"}} {
		if !strings.Contains(c.got, "in file "+c.file+":") {
			t.Errorf("%q: want the file named %s", c.got, c.file)
		}
		args := []string{"config", "--int", "a.n"}
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, c.env
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), "in file "+c.file+":") {
			t.Errorf("git says %q: the test expects the file named %s", out, c.file)
		}
	}
}
