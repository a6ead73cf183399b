package filterbranch

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchEnv sets the process environment the builtin reads (it runs in
// the process's directory and environment, as git runs its commands).
func benchEnv(tb testing.TB) {
	tb.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		tb.Fatalf("git --exec-path: %v", err)
	}
	execPath := strings.TrimSpace(string(out))
	for k, v := range map[string]string{
		"HOME": tb.TempDir(), "GIT_EXEC_PATH": execPath, "PATH": execPath + ":" + os.Getenv("PATH"),
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.DevNull, "LC_ALL": "C", "TZ": "UTC",
		"FILTER_BRANCH_SQUELCH_WARNING": "1",
		"GIT_AUTHOR_NAME":               "A U Thor", "GIT_AUTHOR_EMAIL": "author@example.com",
		"GIT_COMMITTER_NAME": "C O Mitter", "GIT_COMMITTER_EMAIL": "committer@example.com",
		"GIT_AUTHOR_DATE": "1112911993 -0700", "GIT_COMMITTER_DATE": "1112911993 -0700",
	} {
		tb.Setenv(k, v)
	}
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"} {
		tb.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// benchRepo makes the history of the bench scenario filter-branch-1000:
// n commits, each changing one of 40 files, every third secret.txt too.
func benchRepo(tb testing.TB, n int) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "repo")
	if out, err := exec.Command("git", "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
		tb.Fatalf("git init: %v: %s", err, out)
	}
	var stream strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&stream, "commit refs/heads/main\ncommitter C O Mitter <committer@example.com> %d -0700\n", 1112911993+i)
		fmt.Fprintf(&stream, "data <<EOM\ncommit %d\nEOM\nM 644 inline file%d.txt\ndata <<EOM\nchange %d\nEOM\n", i, i%40, i)
		if i%3 == 0 {
			fmt.Fprintf(&stream, "M 644 inline secret.txt\ndata <<EOM\nsecret %d\nEOM\n", i)
		}
		stream.WriteString("\n")
	}
	for _, args := range [][]string{{"fast-import", "--quiet"}, {"reset", "-q", "--hard"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if args[0] == "fast-import" {
			cmd.Stdin = strings.NewReader(stream.String())
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	return dir
}

// runIn runs the builtin in dir.
func runIn(tb testing.TB, dir string, args ...string) (string, int) {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		tb.Fatal(err)
	}
	defer os.Chdir(wd)
	var stderr bytes.Buffer
	code := Main(args, strings.NewReader(""), io.Discard, &stderr)
	return stderr.String(), code
}

func benchFilter(b *testing.B, n int, args ...string) {
	benchEnv(b)
	orig := benchRepo(b, n)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		repo := filepath.Join(b.TempDir(), "repo")
		if out, err := exec.Command("cp", "-a", orig, repo).CombinedOutput(); err != nil {
			b.Fatalf("cp: %s", out)
		}
		b.StartTimer()
		if stderr, code := runIn(b, repo, args...); code != 0 {
			b.Fatalf("filter-branch: exit %d\n%s", code, stderr)
		}
	}
}

// BenchmarkIndexFilter1000 is the bench scenario filter-branch-1000: an
// index filter removing secret.txt from 1,000 commits.
func BenchmarkIndexFilter1000(b *testing.B) {
	benchFilter(b, 1000, "-f", "--index-filter", "git rm -q --cached --ignore-unmatch secret.txt", "HEAD")
}

// BenchmarkEnvFilter1000 is the bench scenario filter-branch-1000-env:
// an env filter rewriting an email in 1,000 commits.
func BenchmarkEnvFilter1000(b *testing.B) {
	benchFilter(b, 1000, "-f", "--env-filter",
		`if test "$GIT_COMMITTER_EMAIL" = committer@example.com; then GIT_COMMITTER_EMAIL=c@example.org; export GIT_COMMITTER_EMAIL; fi`, "HEAD")
}
