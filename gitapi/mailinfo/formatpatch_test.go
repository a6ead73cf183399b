package mailinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// git runs git in dir with the sandboxed environment and returns stdout.
func git(t *testing.T, dir string, env []string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(gitEnv(dir), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %q: %v", args, err)
	}
	return out
}

// makeHistory builds a repository whose commits exercise format-patch's
// header encoding: a non-ASCII author and subject, a long subject that
// gets folded, a binary change and a multi-paragraph message.
func makeHistory(t *testing.T) string {
	dir := t.TempDir()
	git(t, dir, nil, "init", "-q", "-b", "main")
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit := func(env []string, msg string) {
		git(t, dir, nil, "add", "-A")
		git(t, dir, env, "commit", "-q", "-m", msg)
	}
	write("hello.txt", "hello\n")
	commit(nil, "initial")
	write("hello.txt", "hello world\n")
	commit([]string{"GIT_AUTHOR_NAME=Jürgen Müller", "GIT_AUTHOR_EMAIL=jm@example.com"},
		"Grüße: greet the whole world\n\nThe greeting was too short; make it longer.\n\nSigned-off-by: Jürgen Müller <jm@example.com>")
	write("data.bin", "\x00\x01\x02binary\xff\n")
	commit(nil, "add a binary file with a rather long subject line that format-patch will have to fold over")
	write("hello.txt", "hello world\n-- >8 --\nnot a scissors line in a patch\n")
	commit(nil, "[tag] keep brackets\n\nFrom: In Body <inbody@example.com>\n\nBody text.")
	return dir
}

func TestFormatPatchMailsMatchGit(t *testing.T) {
	repo := makeHistory(t)
	variants := map[string][]string{
		"default":      {"-1", "HEAD~2"},
		"folded":       {"-1", "HEAD~1"},
		"brackets":     {"-1", "HEAD"},
		"keep-subject": {"-k", "-1", "HEAD~2"},
		"numbered":     {"--numbered", "-1", "HEAD~2"},
		"attach":       {"--attach", "-1", "HEAD~2"},
		"inline":       {"--inline", "-1", "HEAD~1"},
		"series-mbox":  {"HEAD~3..HEAD"},
		"cover-letter": {"--cover-letter", "HEAD~2..HEAD"},
		"no-encode":    {"--no-encode-email-headers", "-1", "HEAD~2"},
	}
	for name, args := range variants {
		mail := git(t, repo, nil, append([]string{"format-patch", "--stdout"}, args...)...)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			compareWithGit(t, mail)
		})
	}
}
