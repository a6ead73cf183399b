package gitapi

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestHeldRefMatchesGit makes the same run of updates of HEAD with real
// `git update-ref -m MSG HEAD ID`, one per update, in one copy of a
// repository and with a HeldRef committed once in another, and requires
// the same ref files and reflogs byte for byte, HEAD on a branch and
// detached, a repeated value included. While updates are held, the
// ref's lock is taken (git cannot update it); after Commit it is gone.
func TestHeldRefMatchesGit(t *testing.T) {
	for _, detached := range []bool{false, true} {
		name := "branch"
		if detached {
			name = "detached"
		}
		t.Run(name, func(t *testing.T) {
			f := gittest.NewFixture(t)
			if detached {
				f.Git(t, "repo", "checkout", "-q", "--detach", "HEAD~1")
			}
			var ids []string
			for _, rev := range []string{"HEAD~1", "HEAD~2", "HEAD~2", "main", "HEAD~1"} {
				ids = append(ids, f.Git(t, "repo", "rev-parse", rev))
			}
			if out, err := exec.Command("cp", "-a", filepath.Join(f.Root, "repo"), filepath.Join(f.Root, "held")).CombinedOutput(); err != nil {
				t.Fatalf("cp: %s", out)
			}
			for i, id := range ids {
				f.Git(t, "repo", "update-ref", "-m", "step "+strings.Repeat("x", i), "HEAD", id)
			}
			r := openIn(t, f, "held")
			h := r.HoldRef("HEAD")
			for i, id := range ids {
				hash, err := ParseHash(id)
				if err != nil {
					t.Fatal(err)
				}
				if err := h.Update(r, hash, "step "+strings.Repeat("x", i)); err != nil {
					t.Fatalf("update %d: %v", i, err)
				}
			}
			if res := f.RunGit(t, "held", nil, "", []string{"update-ref", "HEAD", ids[0]}); res.Status == 0 {
				t.Errorf("git updated HEAD while its update was held")
			}
			if err := r.UpdateRef("HEAD", mustHash(t, ids[0]), nil, ""); err == nil {
				t.Errorf("UpdateRef updated HEAD while its update was held")
			} else if e := (*RefUpdateError)(nil); !errors.As(err, &e) || e.Kind != RefLocked {
				t.Errorf("UpdateRef while held: %v, want a RefLocked error", err)
			}
			if err := h.Commit(); err != nil {
				t.Fatal(err)
			}
			files := []string{"HEAD", "logs/HEAD", "refs/heads/main", "logs/refs/heads/main", "refs/heads/main.lock", "HEAD.lock"}
			for _, file := range files {
				want, wantErr := os.ReadFile(filepath.Join(f.Root, "repo/.git", file))
				got, gotErr := os.ReadFile(filepath.Join(f.Root, "held/.git", file))
				if (wantErr == nil) != (gotErr == nil) || string(got) != string(want) {
					t.Errorf("%s: held %q (%v), git %q (%v)", file, got, gotErr, want, wantErr)
				}
			}
			// Committed, the ref takes updates again.
			if err := h.Update(r, mustHash(t, ids[1]), "again"); err != nil {
				t.Fatal(err)
			}
			if err := h.Commit(); err != nil {
				t.Fatal(err)
			}
			if got := f.Git(t, "held", "rev-parse", "HEAD"); got != ids[1] {
				t.Errorf("after a second commit HEAD is %s, want %s", got, ids[1])
			}
		})
	}
}

// TestHeldRefRefusesWhatUpdateRefuses checks that the first held update
// makes Update's checks: a missing object, a branch's lock already taken.
func TestHeldRefRefusesWhatUpdateRefuses(t *testing.T) {
	f := gittest.NewFixture(t)
	r := openIn(t, f, "repo")
	var missing Hash
	missing[0] = 1
	var e *RefUpdateError
	if err := r.HoldRef("HEAD").Update(r, missing, "m"); !errors.As(err, &e) || e.Kind != RefMissingObject {
		t.Errorf("missing object: %v, want RefMissingObject", err)
	}
	lock := filepath.Join(f.Root, "repo/.git/refs/heads/main.lock")
	if err := os.WriteFile(lock, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	head, err := r.Resolve("HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.HoldRef("HEAD").Update(r, head, "m"); !errors.As(err, &e) || e.Kind != RefLocked {
		t.Errorf("lock taken: %v, want RefLocked", err)
	}
}

func mustHash(t *testing.T, s string) Hash {
	t.Helper()
	h, err := ParseHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
