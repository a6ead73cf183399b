package subtree

import (
	"bytes"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
)

// TestLogJoinsMatchesGitLog compares the in-process join scan's text
// with git log's own (git-subtree:418-419) for patterns like the
// script's and messages with trailers, blank lines, a multi-line
// subject, trailing blanks and regex characters in the prefix.
func TestLogJoinsMatchesGitLog(t *testing.T) {
	env := gitEnv(t)
	dir := filepath.Join(t.TempDir(), "repo")
	run(t, "", env, "", "git", "init", "-q", "-b", "main", dir)
	for _, msg := range []string{
		"Add 'lib/' from commit 'abc'\n\ngit-subtree-dir: lib\ngit-subtree-mainline: 123\ngit-subtree-split: 456\n",
		"\n\n  first line  \nsecond line\t\n\n\n\nbody one\n\ngit-subtree-dir: lib//\n",
		"Split 'a.b/' into commit 'x'\n\ngit-subtree-dir: a.b\ngit-subtree-split: 789\n",
		"no trailer here\n",
		"Squashed 'lib/' content\n\ngit-subtree-dir: lib\ngit-subtree-split: 999",
		"mention git-subtree-dir: lib in the middle\n",
		"git-subtree-dir: axb\n",
	} {
		run(t, dir, env, msg, "git", "commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", "-")
	}
	r, err := gitapi.Open(gitapi.Options{Dir: dir, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	s := &subtree{environ: env, in: strings.NewReader(""), out: io.Discard, err: io.Discard, repo: r, top: dir}
	for _, grep := range []string{
		"^git-subtree-dir: lib/*$", "^git-subtree-dir: a.b/*$", "^Add 'lib/' from commit '",
		"^git-subtree-dir: none/*$", "^Split 'a.b/' into",
	} {
		cmd := exec.Command("git", "log", "--grep="+grep, "--no-show-signature",
			"--pretty=format:START %H%n%s%n%n%b%nEND%n", "HEAD")
		cmd.Dir, cmd.Env = dir, env
		want, err := cmd.Output()
		if err != nil {
			t.Fatalf("git log: %v", err)
		}
		before := gitapi.FallbackCount()
		got, err := s.logJoins(grep, "HEAD")
		if err != nil {
			t.Fatal(err)
		}
		if gitapi.FallbackCount() != before {
			t.Errorf("%s: git log was spawned", grep)
		}
		if !bytes.Equal([]byte(got), want) {
			t.Errorf("%s:\n%q\ngit log:\n%q", grep, got, want)
		}
	}
}
