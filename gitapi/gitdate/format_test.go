package gitdate

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestFormatsMatchGitLog writes commits with various author dates and
// compares git log's renderings with the Date methods.
func TestFormatsMatchGitLog(t *testing.T) {
	repo := t.TempDir()
	run := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(gitEnv(repo, "America/New_York"), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %q: %v", args, err)
		}
		return string(out)
	}
	run(nil, "init", "-q")
	tree := strings.TrimSpace(run(nil, "write-tree"))
	for _, input := range []string{
		"1112911993 -0700", "1112911993 +0530", "1112911993 +0000", "1112911993 -0001",
		"4102444799 +1400", "4102444799 -1200", "0 +0000", "100000000 +0100",
		"Sat, 29 Feb 2020 23:59:60 +0000", "2005-12-31 23:00:00 -0100", "1112911993 +1345",
	} {
		date, err := ParseAt(input, time.Now(), time.UTC)
		if err != nil {
			date, err = ParseAt("@"+input, time.Now(), time.UTC)
			if err != nil {
				t.Fatalf("%q: %v", input, err)
			}
		}
		commit := strings.TrimSpace(run([]string{"GIT_AUTHOR_DATE=@" + date.String()}, "commit-tree", "-m", "m", tree))
		want := run(nil, "show", "-s", "--format=%ad%n%ai%n%aI%n%aD%n%at", commit) +
			run(nil, "show", "-s", "--format=%ad", "--date=short", commit) +
			run(nil, "show", "-s", "--format=%ad", "--date=raw", commit)
		got := strings.Join([]string{date.Default(), date.ISO8601(), date.ISO8601Strict(), date.RFC2822(),
			date.UnixString(), date.Short(), date.String()}, "\n") + "\n"
		if got != want {
			t.Errorf("%q:\n git: %q\nkiln: %q", input, want, got)
		}
	}
}
