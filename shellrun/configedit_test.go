package shellrun

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
)

// TestScriptSeesOwnConfigEdit: a script that edits its repository's
// configuration itself (printf >> .git/config, a copy moved over it by
// an in-process tool, a program started) is seen by its next git call
// in-process, with or without a session, as by the same script run by
// dash with real git.
func TestScriptSeesOwnConfigEdit(t *testing.T) {
	const script = `git config --get x.y; echo "status $?"
printf '[x]\n\ty = 1\n' >> .git/config
git config --get x.y
printf '[x]\n\ty = 2\n' >> .git/config
git config --get x.y
sed 's/y = 2/y = 3/' .git/config > cfg.tmp
mv cfg.tmp .git/config
git config --get-all x.y
printf '[x]\n\ty = 4\n' | dd of=.git/config conv=notrunc oflag=append status=none
git config --get-all x.y
`
	run := func(dir string, env []string, session *gitapi.Session) string {
		var out, errb bytes.Buffer
		s := NewState(Config{Name: "s", Env: env, Dir: dir, Stdout: &out, Stderr: &errb, Session: session})
		s.Main(func(s *State) {
			s.Git("config", "--get", "x.y")
			s.Echo("status", s.Get("?"))
			s.Redirect(func(s *State) { s.Command("printf", `[x]\n\ty = 1\n`) }, Append(1, ".git/config"))
			s.Git("config", "--get", "x.y")
			s.Redirect(func(s *State) { s.Command("printf", `[x]\n\ty = 2\n`) }, Append(1, ".git/config"))
			s.Git("config", "--get", "x.y")
			s.Redirect(func(s *State) { s.Command("sed", "s/y = 2/y = 3/", ".git/config") }, To(1, "cfg.tmp"))
			s.Command("mv", "cfg.tmp", ".git/config")
			s.Git("config", "--get-all", "x.y")
			s.Pipe(func(s *State) { s.Command("printf", `[x]\n\ty = 4\n`) },
				func(s *State) {
					s.Command("dd", "of=.git/config", "conv=notrunc", "oflag=append", "status=none")
				})
			s.Git("config", "--get-all", "x.y")
		})
		return out.String() + errb.String()
	}
	env := testEnv(t)
	newRepo := func() string {
		dir := t.TempDir()
		cmd := exec.Command("git", "init", "-q", dir)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		return dir
	}
	dir := newRepo()
	cmd := exec.Command("dash", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	want, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("dash: %v\n%s", err, want)
	}
	if !strings.Contains(string(want), "1\n2\n") {
		t.Fatalf("dash with git says %q: the test expects the edits seen", want)
	}
	for _, session := range []*gitapi.Session{nil, gitapi.NewSession()} {
		got := run(newRepo(), env, session)
		if got != string(want) {
			t.Errorf("session %v:\nkiln %q\ngit  %q", session != nil, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "cfg.tmp")); err == nil {
		t.Error("cfg.tmp left behind by dash")
	}
}
