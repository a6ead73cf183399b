package apply

import (
	"os"
	"path/filepath"
	"testing"
)

// typicalPatch is a 3-hunk patch (made by git) against a 500-line file,
// and the file it applies to with every hunk at an offset.
func typicalPatch(b *testing.B) (patch []byte, target string) {
	b.Helper()
	base := numbered("line", 1, 500)
	changed := edit(edit(edit(base, "line 50", "fifty\n"), "line 250", "two fifty\nextra\n"), "line 450", "")
	patch = gitDiff(b, tree{"f": base}, tree{"f": changed})
	return patch, numbered("intro", 1, 7) + base
}

// BenchmarkApply is the in-process cost: parse and apply, no writing.
func BenchmarkApply(b *testing.B) {
	patch, target := typicalPatch(b)
	src := memSource{"f": {mode: ModeRegular, content: []byte(target)}}
	opts := Options{}
	opts.Check = true
	b.ResetTimer()
	for b.Loop() {
		if _, err := Apply(patch, src, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGitApplySpawn is the same work done by spawning the installed
// "git apply --check", for comparison.
func BenchmarkGitApplySpawn(b *testing.B) {
	patch, target := typicalPatch(b)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte(target), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, stderr, code := runGit(b, dir, patch, "apply", "--check"); code != 0 {
			b.Fatalf("git apply: %s", stderr)
		}
	}
}
