package index

import (
	"bytes"
	"os"
	"testing"
)

// TestDefaultVersionMatchesGit creates a new index with git under each
// setting and with DefaultVersion's choice, and compares bytes and the
// warning.
func TestDefaultVersionMatchesGit(t *testing.T) {
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	cases := []struct {
		name     string
		env      []string
		config   []string
		settings VersionSettings
	}{
		{"unset", nil, nil, VersionSettings{}},
		{"env-4", []string{"GIT_INDEX_VERSION=4"}, nil, VersionSettings{Env: str("4")}},
		{"env-bad", []string{"GIT_INDEX_VERSION=7"}, nil, VersionSettings{Env: str("7")}},
		{"env-junk", []string{"GIT_INDEX_VERSION=4x"}, nil, VersionSettings{Env: str("4x")}},
		{"config-4", nil, []string{"index.version", "4"}, VersionSettings{IndexVersion: num(4)}},
		{"config-bad", nil, []string{"index.version", "9"}, VersionSettings{IndexVersion: num(9)}},
		// feature.manyFiles also turns core.untrackedCache on.
		{"many-files", nil, []string{"feature.manyFiles", "true"}, VersionSettings{ManyFiles: true}},
		{"env-beats-config", []string{"GIT_INDEX_VERSION=2"}, []string{"index.version", "4"},
			VersionSettings{Env: str("2"), IndexVersion: num(4)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRepo(t)
			if c.config != nil {
				r.git(append([]string{"config"}, c.config...)...)
			}
			if c.name != "many-files" {
				r.git("config", "core.untrackedCache", "false")
			}
			r.env = append(r.env, c.env...)
			r.write("d/f", "f\n")
			_, gitErr, _ := r.run("", "update-index", "--add", "d/f")
			want := r.indexBytes()
			os.Remove(r.indexPath())

			version, warning := c.settings.DefaultVersion()
			gotErr := ""
			if warning != "" {
				gotErr = "warning: " + warning + "\n"
			}
			if gotErr != gitErr {
				t.Errorf("warning %q, git printed %q", gotErr, gitErr)
			}
			opts := r.options()
			opts.DefaultVersion = version
			if c.name == "many-files" {
				opts.UntrackedCache = UntrackedCacheWrite
			}
			ix, err := Open(r.indexPath(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := ix.UpdatePath("d/f", r, UpdateOptions{Add: true}); err != nil {
				t.Fatal(err)
			}
			if err := ix.WriteFile(r.indexPath()); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.indexBytes(), want) {
				t.Errorf("new index differs from git's (version %d)", version)
			}
		})
	}
}
