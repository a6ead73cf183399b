package gitapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestConfigReadAgainAfterEdit: a configuration cached for the process
// is read again when a file it came from changes, or a file it looked
// for appears (an include's target, the global file), as git reads them
// afresh in each process; each value is compared with real git's.
func TestConfigReadAgainAfterEdit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "repo")
	cfgPath := filepath.Join(f.Root, "repo/.git/config")
	check := func(key string) {
		t.Helper()
		r := openIn(t, f, "repo")
		c, err := r.Config()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := c.Get(key)
		want := f.RunGit(t, "repo", nil, "", []string{"config", "--get", key}).Stdout
		if got != strings.TrimSuffix(want, "\n") {
			t.Errorf("%s: gitapi %q, git %q", key, got, want)
		}
	}
	appendTo := func(path, text string) {
		t.Helper()
		fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o666)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fh.WriteString(text); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	check("x.y")
	appendTo(cfgPath, "[x]\n\ty = 1\n")
	check("x.y")
	// Rewrites of the same size in quick succession, in place: the
	// file's times may not tick between them.
	orig, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		text := strings.Replace(string(orig), "y = 1", "y = "+string(rune('0'+i)), 1)
		if err := os.WriteFile(cfgPath, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
		check("x.y")
	}
	// Replaced by another file (cp, mv over it).
	tmp := cfgPath + ".new"
	if err := os.WriteFile(tmp, []byte(strings.Replace(string(orig), "y = 1", "y = 7", 1)), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, cfgPath); err != nil {
		t.Fatal(err)
	}
	check("x.y")
	// An include whose target appears later, then changes.
	appendTo(cfgPath, "[include]\n\tpath = extra.cfg\n")
	check("inc.v")
	appendTo(filepath.Join(f.Root, "repo/.git/extra.cfg"), "[inc]\n\tv = a\n")
	check("inc.v")
	appendTo(filepath.Join(f.Root, "repo/.git/extra.cfg"), "[inc]\n\tv = b\n")
	check("inc.v")
	// The global file, missing at first.
	check("glob.v")
	appendTo(filepath.Join(f.Root, ".gitconfig"), "[glob]\n\tv = g\n")
	check("glob.v")
	// An onbranch include follows HEAD.
	appendTo(cfgPath, "[includeIf \"onbranch:other\"]\n\tpath = other.cfg\n")
	appendTo(filepath.Join(f.Root, "repo/.git/other.cfg"), "[br]\n\tv = other\n")
	check("br.v")
	f.Git(t, "repo", "symbolic-ref", "HEAD", "refs/heads/other")
	check("br.v")
}

// TestConfigSourceRacy: a file changed within the racy window of being
// read is compared by content, since a rewrite of the same size within
// the same tick of the file clock leaves its stat as it was; one read
// long after its last change is trusted by its stat.
func TestConfigSourceRacy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte("[x]\n\ty = 1\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	data, src, err := readConfigSource(path)
	if err != nil || !src.racy || string(data) != "[x]\n\ty = 1\n" {
		t.Fatalf("just written: racy %v, data %q, err %v", src.racy, data, err)
	}
	if !src.current() {
		t.Fatal("unchanged file not current")
	}
	if err := os.WriteFile(path, []byte("[x]\n\ty = 2\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	// As if the clock had not ticked: the stat the same as recorded.
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	src.stamp = stampOf(fi)
	if src.current() {
		t.Error("racy file rewritten with the same stat taken as current")
	}
	// Read long after the change: not racy, the stat alone decides.
	old := newConfigSource(path, stampOf(fi), []byte("[x]\n\ty = 2\n"), time.Now().Add(2*configRacyWindowCoarse))
	if old.racy || !old.current() {
		t.Errorf("old file: racy %v, current %v", old.racy, old.current())
	}
	// Other times, same content: changed.
	src.data = []byte("[x]\n\ty = 2\n")
	src.stamp.mtimeSec -= 100
	src.stamp.ctimeSec -= 100
	if src.current() {
		t.Error("file with other times taken as current")
	}
	missing := missingConfigSource(path + ".none")
	if !missing.current() {
		t.Error("missing file not current")
	}
	if err := os.WriteFile(path+".none", nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if missing.current() {
		t.Error("file that appeared taken as current")
	}
}
