package quiltimport

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchScenario runs the setup section of tests/bench/NAME.txtar in a
// temporary directory with the bench's fixed identities and returns the
// directory the scenario's commands run in (its repo).
func benchScenario(b *testing.B, name string) string {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "tests", "bench", name+".txtar"))
	if err != nil {
		b.Fatal(err)
	}
	_, setup, ok := strings.Cut(string(data), "\n-- setup --\n")
	if !ok {
		b.Fatalf("%s: no setup section", name)
	}
	if i := strings.Index(setup, "\n-- "); i >= 0 {
		setup = setup[:i+1]
	}
	for _, kv := range []string{"HOME=" + b.TempDir(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull,
		"LC_ALL=C", "TZ=UTC", "GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_AUTHOR_DATE=1112911993 -0700", "GIT_COMMITTER_NAME=C O Mitter",
		"GIT_COMMITTER_EMAIL=committer@example.com", "GIT_COMMITTER_DATE=1112911993 -0700"} {
		k, v, _ := strings.Cut(kv, "=")
		b.Setenv(k, v)
	}
	state := b.TempDir()
	cmd := exec.Command("/bin/sh", "-c", setup)
	cmd.Dir = state
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("setup: %v: %s", err, out)
	}
	return state
}

// benchImport times the builtin on a fresh copy of the scenario's state
// per iteration, as kiln bench runs its new side.
func benchImport(b *testing.B, name string, args ...string) {
	state := benchScenario(b, name)
	cwd, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	defer os.Chdir(cwd)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		work := filepath.Join(b.TempDir(), "w")
		if out, err := exec.Command("cp", "-a", state, work).CombinedOutput(); err != nil {
			b.Fatalf("cp: %s", out)
		}
		repo := filepath.Join(work, "repo")
		refresh := exec.Command("git", "update-index", "-q", "--refresh")
		refresh.Dir = repo
		if out, err := refresh.CombinedOutput(); err != nil {
			b.Fatalf("update-index: %v: %s", err, out)
		}
		if err := os.Chdir(repo); err != nil {
			b.Fatal(err)
		}
		var stderr bytes.Buffer
		b.StartTimer()
		status := Main(args, strings.NewReader(""), io.Discard, &stderr)
		b.StopTimer()
		if status != 0 {
			b.Fatalf("status %d: %s", status, stderr.String())
		}
	}
}

func BenchmarkQuiltimport100(b *testing.B) {
	benchImport(b, "quiltimport-100", "--patches", "../patches")
}

func BenchmarkQuiltimportSeries103(b *testing.B) {
	benchImport(b, "quiltimport-series-103", "--patches", "../patches", "--author", "Quilt Author <quilt@example.com>")
}
