package index

import (
	"bytes"
	"os"
	"testing"
)

// TestConfigTweaksMatchGit: what git does to every index it reads
// (add or drop the untracked cache per core.untrackedCache, drop
// fsmonitor data without core.fsmonitor) makes "git update-index
// --refresh" rewrite an otherwise clean index; Open and Commit do the
// same, byte for byte.
func TestConfigTweaksMatchGit(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(r *testRepo)
		config []string
		set    func(o *Options)
	}{
		{"untracked-cache-added", nil, []string{"core.untrackedCache", "true"},
			func(o *Options) { o.UntrackedCache = UntrackedCacheWrite }},
		{"untracked-cache-added-show-all", func(r *testRepo) { r.git("config", "status.showUntrackedFiles", "all") },
			[]string{"core.untrackedCache", "true"},
			func(o *Options) { o.UntrackedCache, o.ShowAllUntracked = UntrackedCacheWrite, true }},
		{"untracked-cache-removed", func(r *testRepo) { r.git("-c", "core.untrackedCache=true", "status", "--porcelain") },
			[]string{"core.untrackedCache", "false"},
			func(o *Options) { o.UntrackedCache = UntrackedCacheRemove }},
		{"untracked-cache-kept", func(r *testRepo) { r.git("-c", "core.untrackedCache=true", "status", "--porcelain") },
			nil, func(o *Options) {}},
		{"fsmonitor-dropped", func(r *testRepo) {
			hook := r.dir + "/.git/fsm-hook"
			if err := os.WriteFile(hook, []byte("#!/bin/sh\nprintf 'tok\\0/\\0'\n"), 0o755); err != nil {
				r.t.Fatal(err)
			}
			r.git("-c", "core.fsmonitor="+hook, "status", "--porcelain")
		}, nil, func(o *Options) {}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := committedRepo(t)
			if c.setup != nil {
				c.setup(r)
			}
			if c.config != nil {
				r.git(append([]string{"config"}, c.config...)...)
			}
			restore := r.saveIndex()
			before := r.indexBytes()
			r.git("update-index", "--refresh")
			want := r.indexBytes()
			restore()
			opts := r.options()
			c.set(&opts)
			ix, err := OpenLocked(r.indexPath(), opts)
			if err != nil {
				t.Fatal(err)
			}
			ix.Refresh(RefreshOptions{})
			if ix.Modified() != !bytes.Equal(want, before) {
				t.Errorf("Modified() = %v, but git rewrote the index: %v", ix.Modified(), !bytes.Equal(want, before))
			}
			if err := ix.Commit(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.indexBytes(), want) {
				got, _ := Parse(r.indexBytes())
				exp, _ := Parse(want)
				t.Errorf("index differs from git's: UNTR %q / %q, FSMN %q / %q", got.Untracked, exp.Untracked, got.FSMonitor, exp.FSMonitor)
			}
		})
	}
}
