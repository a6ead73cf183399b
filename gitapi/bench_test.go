package gitapi

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// openResolveConfig is the hot path a builtin starts with: open the
// repository, resolve HEAD, read a configuration value.
func openResolveConfig(b *testing.B, f *fixture) {
	r, err := Open(Options{Dir: filepath.Join(f.root, "repo/sub"), Env: f.env})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Resolve("HEAD"); err != nil {
		b.Fatal(err)
	}
	cfg, err := r.Config()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cfg.Bool("core.bare", false); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOpenResolveConfig measures the hot path with the process
// cache warm (every open after the first, the normal case in-process).
func BenchmarkOpenResolveConfig(b *testing.B) {
	f := sharedFixture(b)
	openResolveConfig(b, f)
	b.ResetTimer()
	for b.Loop() {
		openResolveConfig(b, f)
	}
}

// BenchmarkOpenResolveConfigCold measures the hot path with the process
// cache emptied before each iteration (config parsed, packs opened).
func BenchmarkOpenResolveConfigCold(b *testing.B) {
	f := sharedFixture(b)
	for b.Loop() {
		cacheMu.Lock()
		clear(cache)
		cacheMu.Unlock()
		openResolveConfig(b, f)
	}
}

// BenchmarkSpawnGitRevParse is the cost gitapi replaces: one
// `git rev-parse HEAD` process (which also opens the repository and
// reads its configuration).
func BenchmarkSpawnGitRevParse(b *testing.B) {
	f := sharedFixture(b)
	for b.Loop() {
		cmd := exec.Command("git", "rev-parse", "HEAD")
		cmd.Dir = filepath.Join(f.root, "repo/sub")
		cmd.Env = f.env
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
