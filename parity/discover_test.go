package parity

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestIsNewFixture(t *testing.T) {
	repo := t.TempDir()
	gitIn(t, repo, "init", "-q")
	path := filepath.Join(repo, "case.txtar")
	write := func(text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("args: x\n")
	if !IsNewFixture(path) {
		t.Error("untracked fixture is not new")
	}
	gitIn(t, repo, "add", "case.txtar")
	gitIn(t, repo, "commit", "-q", "-m", "add")
	if IsNewFixture(path) {
		t.Error("committed fixture is new")
	}
	write("args: y\n")
	if !IsNewFixture(path) {
		t.Error("modified fixture is not new")
	}
	outside := filepath.Join(t.TempDir(), "case.txtar")
	if err := os.WriteFile(outside, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if !IsNewFixture(outside) {
		t.Error("fixture outside any repository is not new")
	}
}

func TestFindFixtures(t *testing.T) {
	root := filepath.Join("testdata", "fixtures")
	got, err := FindFixtures(root, []string{"quiltimport", testFixture("noise/random"), filepath.Join(root, "quiltimport"), "noise/random"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{testFixture("quiltimport/one-patch"), testFixture("noise/random")}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	all, err := FindFixtures(root, nil)
	if err != nil || len(all) < 5 {
		t.Errorf("all fixtures: %q, %v", all, err)
	}
	if _, err := FindFixtures(root, []string{"no-such-command"}); err == nil {
		t.Error("unknown name: no error")
	}
}

func TestPackageOf(t *testing.T) {
	root := filepath.Join("tests", "fixtures")
	for path, want := range map[string]string{
		filepath.Join(root, "bisect", "log.txtar"):                    "",
		filepath.Join(root, "git-extras", "summary", "default.txtar"): "git-extras",
		filepath.Join(root, "topgit", "tg", "info.txtar"):             "topgit",
		filepath.Join("elsewhere", "x", "y", "z.txtar"):               "",
	} {
		if got := PackageOf(root, path); got != want {
			t.Errorf("PackageOf(%q) = %q, want %q", path, got, want)
		}
	}
}
