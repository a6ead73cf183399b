package gitapi

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestTypedErrors checks that failures carry what names them and wrap
// their sentinel: a revision naming nothing, a missing ref, a missing
// object, and a ref whose lock another process holds (git's text for
// that is gitmsg's, compared with git's there).
func TestTypedErrors(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "repo")
	f.Git(t, "repo", "commit", "-q", "--allow-empty", "-m", "one")
	r := openIn(t, f, "repo")

	_, err := r.Resolve("no-such-rev")
	var re *RevisionError
	if !errors.As(err, &re) || re.Rev != "no-such-rev" || !errors.Is(err, ErrBadRevision) {
		t.Errorf("Resolve of a bad revision: %v (%T)", err, err)
	}
	_, _, err = r.ResolveRef("refs/heads/nope")
	var rnf *RefNotFoundError
	if !errors.As(err, &rnf) || rnf.Ref != "refs/heads/nope" || !errors.Is(err, ErrRefNotFound) {
		t.Errorf("ResolveRef of a missing ref: %v (%T)", err, err)
	}
	missing, _ := ParseHash(strings.Repeat("ab", 20))
	_, _, err = r.ReadObject(missing)
	var onf *ObjectNotFoundError
	if !errors.As(err, &onf) || onf.ID != missing || !errors.Is(err, ErrObjectNotFound) {
		t.Errorf("ReadObject of a missing object: %v (%T)", err, err)
	}

	head, err := r.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(f.Root, "repo/.git/refs/heads/main.lock")
	if err := os.WriteFile(lock, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	err = r.UpdateRef("refs/heads/main", head, nil, "test")
	var le *LockError
	if !errors.As(err, &le) || le.Kind != LockHeld || le.Path != lock || !errors.Is(err, fs.ErrExist) {
		t.Fatalf("UpdateRef under a held lock: %v (%T)", err, err)
	}
	var ue *RefUpdateError
	if !errors.As(err, &ue) || ue.Ref != "refs/heads/main" || ue.Target != "refs/heads/main" || ue.Kind != RefLocked {
		t.Errorf("UpdateRef under a held lock: %v is no *RefUpdateError of kind RefLocked for the ref", err)
	}
}
