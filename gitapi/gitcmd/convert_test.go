package gitcmd

import (
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestHashObjectFileConversions: `git hash-object -w FILE` runs
// in-process where no attributes or core.autocrlf can change the file's
// content, and goes to git (counted) where they can; both give git's id
// and write the object git writes.
func TestHashObjectFileConversions(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "repo")
	f.Write(t, "repo/plain.txt", "line one\r\nline two\r\n")
	f.Write(t, "repo/dir/deep.txt", "deep\r\n")
	f.Write(t, "repo/space name.txt", "spaces\n")
	for _, c := range []struct {
		name     string
		setup    func()
		args     []string
		dir      string
		fallback bool
	}{
		{name: "no attributes", args: []string{"hash-object", "-w", "plain.txt"}, dir: "repo"},
		{name: "several files, a space", args: []string{"hash-object", "-w", "plain.txt", "space name.txt", "dir/deep.txt"}, dir: "repo"},
		{name: "from a subdirectory", args: []string{"hash-object", "-w", "deep.txt"}, dir: "repo/dir"},
		{name: "missing file", args: []string{"hash-object", "-w", "missing"}, dir: "repo"},
		{name: "core.autocrlf", args: []string{"-c", "core.autocrlf=true", "hash-object", "-w", "plain.txt"}, dir: "repo", fallback: true},
		{name: "a .gitattributes in a subdirectory", setup: func() { f.Write(t, "repo/dir/.gitattributes", "*.txt text\n") },
			args: []string{"hash-object", "-w", "deep.txt"}, dir: "repo/dir", fallback: true},
		{name: "the subdirectory's does not apply at the top", args: []string{"hash-object", "-w", "plain.txt"}, dir: "repo"},
		{name: "info/attributes", setup: func() { f.Write(t, "repo/.git/info/attributes", "*.txt text\n") },
			args: []string{"hash-object", "-w", "plain.txt"}, dir: "repo", fallback: true},
		{name: "a clean filter", setup: func() {
			f.Write(t, "repo/.gitattributes", "*.txt filter=up\n")
			f.Git(t, "repo", "config", "filter.up.clean", "tr a-z A-Z")
		}, args: []string{"hash-object", "-w", "plain.txt"}, dir: "repo", fallback: true},
	} {
		if c.setup != nil {
			c.setup()
		}
		before := gitapi.FallbackCount()
		got := runKiln(f, c.dir, nil, "", c.args)
		if fell := gitapi.FallbackCount() != before; fell != c.fallback {
			t.Errorf("%s: fell back to git %v, want %v", c.name, fell, c.fallback)
		}
		want := f.RunGit(t, c.dir, nil, "", c.args)
		if got != want {
			t.Errorf("%s:\ngit:  status %d stdout %q stderr %q\nkiln: status %d stdout %q stderr %q",
				c.name, want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
		}
	}
	f.Git(t, "repo", "fsck", "--strict", "--no-dangling")
}
