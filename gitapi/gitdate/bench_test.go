package gitdate

import (
	"os/exec"
	"testing"
	"time"
)

// BenchmarkParseRFC2822 measures parsing the date form mailinfo hands to
// commit-tree.
func BenchmarkParseRFC2822(b *testing.B) {
	now := time.Now()
	for b.Loop() {
		if _, err := ParseAt("Thu, 07 Apr 2005 22:13:13 +0200", now, time.UTC); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpawnGitVar is the per-spawn cost the in-process parser
// replaces: one `git var GIT_AUTHOR_IDENT` with the same date.
func BenchmarkSpawnGitVar(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		cmd := exec.Command("git", "var", "GIT_AUTHOR_IDENT")
		cmd.Dir = dir
		cmd.Env = append(gitEnv(dir, "UTC"), "GIT_AUTHOR_DATE=Thu, 07 Apr 2005 22:13:13 +0200")
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
