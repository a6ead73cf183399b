package parity

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseIndex builds indexes with git (versions 2, 3 and 4, conflict
// stages, resolve-undo, assume-unchanged, skip-worktree, intent-to-add)
// and checks the parser against git ls-files.
func TestParseIndex(t *testing.T) {
	for _, version := range []string{"2", "4"} {
		t.Run("v"+version, func(t *testing.T) {
			repo := t.TempDir()
			git := func(args ...string) string { return gitIn(t, repo, args...) }
			write := func(name, text string) {
				if err := os.WriteFile(filepath.Join(repo, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			git("init", "-q", "-b", "main")
			git("config", "index.version", version)
			write("conflict", "base\n")
			write("resolved", "base\n")
			write("kept", "x\n")
			write("hidden", "x\n")
			git("add", ".")
			git("commit", "-q", "-m", "base")
			git("checkout", "-q", "-b", "side")
			write("conflict", "side\n")
			write("resolved", "side\n")
			git("commit", "-q", "-a", "-m", "side")
			git("checkout", "-q", "main")
			write("conflict", "main\n")
			write("resolved", "main\n")
			git("commit", "-q", "-a", "-m", "main")
			cmd := gitCmd(repo, "merge", "-q", "side")
			if cmd.Run() == nil {
				t.Fatal("merge should conflict")
			}
			write("resolved", "both\n")
			git("add", "resolved")
			git("update-index", "--assume-unchanged", "kept")
			git("update-index", "--skip-worktree", "hidden")
			write("ita", "new\n")
			git("add", "-N", "ita")

			data, err := os.ReadFile(filepath.Join(repo, ".git", "index"))
			if err != nil {
				t.Fatal(err)
			}
			idx, err := parseIndex(data, 20)
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			flags := map[string]string{}
			for _, e := range idx.entries {
				got.WriteString(e.Mode + " " + e.OID + " " + string(rune('0'+e.Stage)) + "\t" + e.Path + "\n")
				flags[e.Path] = e.flags()
			}
			if want := git("ls-files", "-s"); got.String() != want {
				t.Errorf("entries:\n%s\nwant (git ls-files -s):\n%s", got.String(), want)
			}
			wantFlags := map[string]string{
				"conflict": "", "resolved": "", "kept": " (assume-unchanged)",
				"hidden": " (skip-worktree)", "ita": " (intent-to-add)",
			}
			for path, want := range wantFlags {
				if flags[path] != want {
					t.Errorf("%s: flags %q, want %q", path, flags[path], want)
				}
			}
			if len(idx.resolveUndo) != 1 || idx.resolveUndo[0].Path != "resolved" ||
				idx.resolveUndo[0].Modes != [3]string{"100644", "100644", "100644"} || idx.resolveUndo[0].OIDs[2] == "" {
				t.Errorf("resolve-undo: %+v", idx.resolveUndo)
			}
		})
	}
}

func TestParseIndexRejectsGarbage(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("DIRC"), []byte("NOPE00000000000000000000000000000000"),
		append([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x05"), make([]byte, 30)...)} {
		if _, err := parseIndex(data, 20); err == nil {
			t.Errorf("parseIndex(%q): no error", data)
		}
	}
}
