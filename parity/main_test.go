package parity

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestMain keeps every git the tests run (IsNewFixture, the tests' own
// helpers) away from the user's HOME and configuration.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "parity-test-home-")
	if err != nil {
		panic(err)
	}
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.DevNull,
		"GIT_AUTHOR_NAME": "A U Thor", "GIT_AUTHOR_EMAIL": "author@example.com",
		"GIT_COMMITTER_NAME": "C O Mitter", "GIT_COMMITTER_EMAIL": "committer@example.com",
		"GIT_AUTHOR_DATE": "1112911993 -0700", "GIT_COMMITTER_DATE": "1112911993 -0700",
		"TZ": "UTC", "LC_ALL": "C",
	} {
		os.Setenv(k, v)
	}
	// Sandboxes in memory when possible: see useMemoryTempDir in corpus.
	shm, err := os.MkdirTemp("/dev/shm", "parity-test-")
	if err == nil {
		os.Setenv("TMPDIR", shm)
	}
	code := m.Run()
	os.RemoveAll(home)
	if shm != "" {
		os.RemoveAll(shm)
	}
	os.Exit(code)
}

// testFixture is the path of one of the runner's own fixtures.
func testFixture(name string) string {
	return filepath.Join("testdata", "fixtures", name+".txtar")
}

// writeFixture writes a fixture made up by a test as NAME/CASE.txtar
// under a temporary directory.
func writeFixture(t *testing.T, id, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), filepath.FromSlash(id)+".txtar")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runOne runs one fixture file with r and returns its result.
func runOne(t *testing.T, r *Runner, path string) *Result {
	t.Helper()
	f, err := LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Jobs == 0 {
		r.Jobs = runtime.NumCPU()
	}
	results, err := r.Run(context.Background(), []*Fixture{f})
	if err != nil {
		t.Fatal(err)
	}
	return results[0]
}

// shell is a side running a shell script; the fixture's arguments become
// its positional parameters.
func shell(script string) Side {
	return Side{Command: []string{"/bin/sh", "-c", script, "sh"}}
}

// fields lists the fields of the mismatches.
func fields(ms []Mismatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Field)
	}
	return out
}

func describe(r *Result) string {
	var b strings.Builder
	writeDetails(&b, r)
	return string(r.Status) + "\n" + b.String()
}
