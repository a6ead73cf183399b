package corpus

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestQuiltimportBenchScenariosIdentical runs the old side
// (git-quiltimport) and the new side (kiln's builtin) of the quiltimport
// bench scenarios once each on copies of the scenario's state and
// requires the same history afterwards: the same commit ids for every
// patch that carries its date, and, for the header-less patches (whose
// author date is the time of the import, so differs between runs), the
// same tree (in order), author, committer and message; the same reflog
// messages of HEAD and the branch, and the same index entries.
func TestQuiltimportBenchScenariosIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the bench series with git-quiltimport and with the builtin")
	}
	kiln := isolatedKiln(t)
	for _, tc := range []struct {
		name      string
		undated   int // header-less patches at the end of the series
		wantCount string
	}{
		{"quiltimport-100", 0, "101\n"},
		{"quiltimport-series-103", 10, "104\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, root, state, env := scenarioState(t, tc.name)
			git := func(dir string, args ...string) string {
				t.Helper()
				cmd := exec.Command("git", args...)
				cmd.Dir, cmd.Env = dir, env
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("git %s: %v", strings.Join(args, " "), err)
				}
				return string(out)
			}
			type result struct{ refs, dated, undated, count, status, reflog, index string }
			results := map[string]result{}
			for _, side := range sc.Sides {
				if side.Role == "ref" {
					continue
				}
				work := filepath.Join(root, side.Role)
				if out, err := exec.Command("cp", "-a", state, work).CombinedOutput(); err != nil {
					t.Fatalf("cp: %s", out)
				}
				dir := filepath.Join(work, sc.Dir)
				git(dir, "update-index", "-q", "--refresh")
				argv := append([]string{}, side.Argv...)
				if argv[0] == "kiln" {
					argv[0] = kiln
				}
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Dir, cmd.Env = dir, env
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s: %v: %s", side.Role, err, lastLines(string(out)))
				}
				var r result
				r.refs = git(dir, "for-each-ref", "--format=%(refname)")
				r.count = git(dir, "rev-list", "--count", "HEAD")
				r.status = git(dir, "status", "--porcelain", "--untracked-files=no")
				// The reflogs' messages (their ids change with the
				// header-less patches' dates), and the index's entries.
				r.reflog = git(dir, "log", "-g", "--format=%gs", "HEAD") + git(dir, "log", "-g", "--format=%gs", "refs/heads/main")
				r.index = git(dir, "ls-files", "-s")
				r.dated = git(dir, "rev-parse", "HEAD~"+strconv.Itoa(tc.undated))
				if tc.undated > 0 {
					r.undated = git(dir, "log", "-"+strconv.Itoa(tc.undated), "--format=%T%n%an <%ae>%n%cn <%ce> %cd%n%B", "--date=raw", "HEAD")
				}
				results[side.Role] = r
			}
			old, new := results["old"], results["new"]
			if old.count != tc.wantCount {
				t.Errorf("old side made %q commits, want %q", old.count, tc.wantCount)
			}
			if old != new {
				t.Errorf("results differ:\nold: %+v\nnew: %+v", old, new)
			}
		})
	}
}
