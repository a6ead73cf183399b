package mailinfo

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// BenchmarkParseFormatPatch measures mailinfo of one format-patch mail
// in process.
func BenchmarkParseFormatPatch(b *testing.B) {
	mail, err := os.ReadFile("testdata/plain.eml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(mail)))
	for b.Loop() {
		ParseBytes(mail, DefaultOptions())
	}
}

// BenchmarkSpawnGitMailinfo is the cost the in-process parser replaces:
// one `git mailinfo` process on the same mail.
func BenchmarkSpawnGitMailinfo(b *testing.B) {
	mail, err := os.ReadFile("testdata/plain.eml")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for b.Loop() {
		cmd := exec.Command("git", "mailinfo", "msg", "patch")
		cmd.Dir = dir
		cmd.Env = gitEnv(dir)
		cmd.Stdin = bytes.NewReader(mail)
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
