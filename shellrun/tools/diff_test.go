package tools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// toolCase is one invocation run both with the real program and with Run.
type toolCase struct {
	args  []string // program name first
	stdin string
	// files are created before the run; a name ending in / is a
	// directory.
	files map[string]string
	// env is added to the base environment (PATH and LC_ALL=C).
	env []string
	// refused says Run must decline the invocation.
	refused bool
}

// outcome is everything a run leaves behind.
type outcome struct {
	Stdout, Stderr string
	Status         int
	Tree           []string
}

func caseEnv(tc toolCase) []string {
	env := []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=/nonexistent"}
	return append(env, tc.env...)
}

func setupFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(files[n]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot lists every entry under dir with its kind, mode and content.
func snapshot(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		entry := fmt.Sprintf("%s %v", rel, info.Mode())
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			entry += " " + string(data)
		}
		out = append(out, entry)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func runReal(t *testing.T, tc toolCase) outcome {
	t.Helper()
	dir := t.TempDir()
	setupFiles(t, dir, tc.files)
	cmd := exec.Command("/usr/bin/"+tc.args[0], tc.args[1:]...)
	cmd.Args[0] = tc.args[0]
	cmd.Dir, cmd.Env = dir, caseEnv(tc)
	cmd.Stdin = strings.NewReader(tc.stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	status := 0
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
		status = ee.ExitCode()
	}
	return outcome{stdout.String(), stderr.String(), status, snapshot(t, dir)}
}

func runOurs(t *testing.T, tc toolCase) (outcome, bool) {
	t.Helper()
	dir := t.TempDir()
	setupFiles(t, dir, tc.files)
	var stdout, stderr bytes.Buffer
	env := Env{Dir: dir, Stdin: strings.NewReader(tc.stdin), Stdout: &stdout, Stderr: &stderr, Environ: caseEnv(tc)}
	status, handled := Run(context.Background(), tc.args[0], tc.args[1:], env)
	return outcome{stdout.String(), stderr.String(), status, snapshot(t, dir)}, handled
}

// runCases runs each case both ways and compares what they left.
func runCases(t *testing.T, cases []toolCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			handles := Handles(tc.args[0], tc.args[1:])
			ours, handled := runOurs(t, tc)
			if tc.refused {
				// Handles sees only the arguments; a refusal due to
				// the locale shows only in Run.
				if handled || handles && tc.env == nil {
					t.Fatalf("handled (Handles=%v, Run=%v), want refused", handles, handled)
				}
				return
			}
			if !handled || !handles {
				t.Fatalf("refused (Handles=%v, Run=%v), want handled", handles, handled)
			}
			real := runReal(t, tc)
			if diff := cmp.Diff(real, ours); diff != "" {
				t.Errorf("differs from the real %s (-real +ours):\n%s", tc.args[0], diff)
			}
		})
	}
}

func args(s ...string) []string { return s }
