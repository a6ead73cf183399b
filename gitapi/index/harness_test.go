package index

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// gitEnv isolates the real git from the user's configuration.
func gitEnv(home string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GIT_") || strings.HasPrefix(kv, "HOME=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"HOME="+home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_AUTHOR_DATE=1112911993 -0700",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_COMMITTER_DATE=1112911993 -0700",
		"TZ=UTC", "LC_ALL=C",
	)
}

// testRepo is a repository made by the real git in a temp dir.
type testRepo struct {
	t   testing.TB
	dir string
	env []string
}

func newRepo(t testing.TB, initArgs ...string) *testRepo {
	t.Helper()
	dir := t.TempDir()
	r := &testRepo{t: t, dir: dir, env: gitEnv(t.TempDir())}
	r.git(append([]string{"init", "-q"}, initArgs...)...)
	return r
}

// run runs git and returns stdout, stderr and the exit code.
func (r *testRepo) run(stdin string, args ...string) (string, string, int) {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatalf("git %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitIn("", args...)
}

func (r *testRepo) gitIn(stdin string, args ...string) string {
	r.t.Helper()
	out, errs, code := r.run(stdin, args...)
	if code != 0 {
		r.t.Fatalf("git %v: exit %d\n%s", args, code, errs)
	}
	return out
}

func (r *testRepo) write(path, content string) {
	r.t.Helper()
	full := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o777); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o666); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) indexPath() string { return filepath.Join(r.dir, ".git", "index") }

func (r *testRepo) indexBytes() []byte {
	r.t.Helper()
	data, err := os.ReadFile(r.indexPath())
	if err != nil {
		r.t.Fatal(err)
	}
	return data
}

func (r *testRepo) options() Options { return DefaultOptions(r.dir) }

// WriteObject stores a loose object the way git does (zlib-deflated
// "<type> <size>\0<content>" under objects/xx/...). Tests only: package
// code gets its ObjectWriter from gitapi.
func (r *testRepo) WriteObject(typ string, data []byte) (ID, error) {
	id := HashObject(typ, data)
	path := r.objectPath(id)
	if _, err := os.Stat(path); err == nil {
		return id, nil
	}
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	fmt.Fprintf(zw, "%s %d\x00", typ, len(data))
	zw.Write(data)
	zw.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return id, err
	}
	return id, os.WriteFile(path, buf.Bytes(), 0o444)
}

func (r *testRepo) objectPath(id ID) string {
	h := hex.EncodeToString(id[:])
	return filepath.Join(r.dir, ".git", "objects", h[:2], h[2:])
}

// HasObject looks for a loose object (test repositories are not packed).
func (r *testRepo) HasObject(id ID) bool {
	_, err := os.Stat(r.objectPath(id))
	return err == nil
}

func parseID(t testing.TB, s string) ID {
	t.Helper()
	var id ID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		t.Fatalf("bad object id %q", s)
	}
	copy(id[:], b)
	return id
}

// saveIndex returns a function restoring the index file's bytes and
// mtime, so that git and this package can each act on the same state.
func (r *testRepo) saveIndex() func() {
	r.t.Helper()
	data := r.indexBytes()
	info, err := os.Stat(r.indexPath())
	if err != nil {
		r.t.Fatal(err)
	}
	return func() {
		r.t.Helper()
		if err := os.WriteFile(r.indexPath(), data, 0o666); err != nil {
			r.t.Fatal(err)
		}
		if err := os.Chtimes(r.indexPath(), info.ModTime(), info.ModTime()); err != nil {
			r.t.Fatal(err)
		}
	}
}

// currentStdin hands a case's stdin to its "ours" function.
var currentStdin sync.Map

func (r *testRepo) stdinOf() string {
	v, _ := currentStdin.Load(r.t.Name())
	s, _ := v.(string)
	return s
}
