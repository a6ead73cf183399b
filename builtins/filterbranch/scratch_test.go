package filterbranch

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestScratchFilesSeenAsScript runs filters that look at the files the
// builtin keeps in memory between steps (the temporary index and its
// lock, ../commit, the map files) with the script and with the builtin:
// what the filters see, and the rewritten refs, are the same.
func TestScratchFilesSeenAsScript(t *testing.T) {
	benchEnv(t)
	orig := benchRepo(t, 8)
	for _, filter := range [][]string{
		{"--index-filter", `git rm -q --cached --ignore-unmatch secret.txt
			{ head -1 ../commit; test -f ../index.lock && echo locked; test -f ../index && echo index
			  ls ../map | wc -l; for p in $parents; do cat ../map/$p; map $p; done; git ls-files | wc -l; } >>"$OUT"`},
		{"--index-filter", `git rm -q --cached --ignore-unmatch secret.txt; echo ../map/* | wc -w >>"$OUT"; cp ../index ../i2 && GIT_INDEX_FILE=../i2 git ls-files >>"$OUT"`},
		{"--index-filter", `git rm -q --cached --ignore-unmatch secret.txt; sh -c 'git ls-files; cat ../commit | wc -l' >>"$OUT"`},
		{"--env-filter", `test -f ../commit && wc -c <../commit >>"$OUT"; for p in $parents; do test -f ../map/$p && echo mapped >>"$OUT"; done`},
		{"--commit-filter", `git commit-tree "$@" | tee -a "$OUT"; ls "$workdir"/../map | wc -l >>"$OUT"`},
	} {
		t.Run(filter[1], func(t *testing.T) {
			dir := t.TempDir()
			seen := map[string]string{}
			refs := map[string]string{}
			for _, side := range []string{"script", "builtin"} {
				repo := filepath.Join(dir, side)
				if out, err := exec.Command("cp", "-a", orig, repo).CombinedOutput(); err != nil {
					t.Fatalf("cp: %s", out)
				}
				out := filepath.Join(dir, side+".seen")
				t.Setenv("OUT", out)
				args := append([]string{"-f"}, append(filter, "HEAD")...)
				if side == "script" {
					cmd := exec.Command("git", append([]string{"filter-branch"}, args...)...)
					cmd.Dir = repo
					if b, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("script: %v\n%s", err, b)
					}
				} else if stderr, code := runIn(t, repo, args...); code != 0 {
					t.Fatalf("builtin: exit %d\n%s", code, stderr)
				}
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				seen[side] = string(data)
				cmd := exec.Command("git", "for-each-ref")
				cmd.Dir = repo
				b, err := cmd.Output()
				if err != nil {
					t.Fatal(err)
				}
				refs[side] = string(b)
			}
			if seen["builtin"] != seen["script"] {
				t.Errorf("the filters saw\n%s\nwith the script:\n%s", seen["builtin"], seen["script"])
			}
			if refs["builtin"] != refs["script"] {
				t.Errorf("refs\n%s\nwith the script:\n%s", refs["builtin"], refs["script"])
			}
		})
	}
}
