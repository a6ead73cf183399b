package gitmsg_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitmsg"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestMessagesMatchGit makes each kind of failed ref update with the
// library and the same one with real git: the error carries the ref,
// the kind and, for a lock, the lock file, and the text gitmsg makes
// of it is what git prints (a fatal line for update-ref and
// symbolic-ref, an error line for a deletion).
func TestMessagesMatchGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "repo")
	f.Git(t, "repo", "commit", "-q", "--allow-empty", "-m", "one")
	f.Git(t, "repo", "commit", "-q", "--allow-empty", "-m", "two")
	f.Git(t, "repo", "branch", "packed", "HEAD~1")
	f.Git(t, "repo", "pack-refs", "--all")
	f.Git(t, "repo", "branch", "dir/sub")
	r, err := gitapi.Open(gitapi.Options{Dir: filepath.Join(f.Root, "repo"), Env: f.Env})
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Resolve("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	parent, err := r.Resolve("HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := r.Resolve("HEAD^{tree}")
	if err != nil {
		t.Fatal(err)
	}
	missing, _ := gitapi.ParseHash(strings.Repeat("ab", 20))
	gitDir := filepath.Join(f.Root, "repo/.git")
	for _, c := range []struct {
		name string
		lock string // a lock file in place during the call
		u    gitapi.RefUpdate
		git  []string // the same call with git
		kind gitapi.RefUpdateKind
		// text is how the failure is printed, as git prints it.
		text func(e *gitapi.RefUpdateError) string
	}{
		{name: "held-lock", lock: "refs/heads/main.lock", u: gitapi.RefUpdate{Name: "refs/heads/main", New: parent},
			git: []string{"update-ref", "refs/heads/main", parent.String()}, kind: gitapi.RefLocked, text: fatal},
		{name: "mismatch", u: gitapi.RefUpdate{Name: "refs/heads/main", New: parent, Old: &parent},
			git: []string{"update-ref", "refs/heads/main", parent.String(), parent.String()}, kind: gitapi.RefMismatch, text: fatal},
		{name: "exists", u: gitapi.RefUpdate{Name: "refs/heads/main", New: parent, Old: &gitapi.ZeroHash},
			git: []string{"update-ref", "refs/heads/main", parent.String(), gitapi.ZeroHash.String()}, kind: gitapi.RefExists, text: fatal},
		{name: "unresolvable", u: gitapi.RefUpdate{Name: "refs/heads/new", New: parent, Old: &head},
			git: []string{"update-ref", "refs/heads/new", parent.String(), head.String()}, kind: gitapi.RefUnresolvable, text: fatal},
		{name: "missing-object", u: gitapi.RefUpdate{Name: "refs/heads/main", New: missing},
			git: []string{"update-ref", "refs/heads/main", missing.String()}, kind: gitapi.RefMissingObject, text: fatal},
		{name: "non-commit", u: gitapi.RefUpdate{Name: "HEAD", New: tree},
			git: []string{"update-ref", "HEAD", tree.String()}, kind: gitapi.RefNonCommit, text: fatal},
		{name: "name-conflict", u: gitapi.RefUpdate{Name: "refs/heads/dir", New: head},
			git: []string{"update-ref", "refs/heads/dir", head.String()}, kind: gitapi.RefNameConflict, text: fatal},
		{name: "bad-name", u: gitapi.RefUpdate{Name: "refs/heads/a..b", New: head},
			git: []string{"update-ref", "refs/heads/a..b", head.String()}, kind: gitapi.RefBadName, text: fatal},
		{name: "packed-lock", lock: "packed-refs.lock", u: gitapi.RefUpdate{Name: "refs/heads/packed", Delete: true},
			git: []string{"update-ref", "-d", "refs/heads/packed"}, kind: gitapi.RefPackedLocked,
			text: func(e *gitapi.RefUpdateError) string { return "error: " + gitmsg.RefUpdateReason(e) + "\n" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.lock != "" {
				if err := os.WriteFile(filepath.Join(gitDir, c.lock), nil, 0o666); err != nil {
					t.Fatal(err)
				}
				defer os.Remove(filepath.Join(gitDir, c.lock))
			}
			err := r.Update(c.u)
			var e *gitapi.RefUpdateError
			if !errors.As(err, &e) || e.Kind != c.kind || e.Ref != c.u.Name {
				t.Fatalf("Update: %v (%T %+v), want a *RefUpdateError of kind %d for %s", err, err, e, c.kind, c.u.Name)
			}
			if c.lock != "" {
				var le *gitapi.LockError
				if !errors.As(err, &le) || le.Kind != gitapi.LockHeld || le.Path != filepath.Join(gitDir, c.lock) {
					t.Errorf("Update under a held lock: cause %v (%T), want the held lock %s", e.Cause, e.Cause, c.lock)
				}
			}
			git := f.RunGit(t, "repo", nil, "", c.git)
			if got := c.text(e); got != git.Stderr || git.Status == 0 {
				t.Errorf("printed:\n%s\ngit prints (status %d):\n%s", got, git.Status, git.Stderr)
			}
		})
	}

	// symbolic-ref under a held lock: an error line with the lock's
	// message alone.
	if err := os.WriteFile(filepath.Join(gitDir, "HEAD.lock"), nil, 0o666); err != nil {
		t.Fatal(err)
	}
	err = r.SetSymbolicRef("HEAD", "refs/heads/other", "")
	var e *gitapi.RefUpdateError
	if !errors.As(err, &e) || e.Kind != gitapi.RefLocked || e.Ref != "HEAD" {
		t.Fatalf("SetSymbolicRef under a held lock: %v (%T)", err, err)
	}
	git := f.RunGit(t, "repo", nil, "", []string{"symbolic-ref", "HEAD", "refs/heads/other"})
	if got := "error: " + gitmsg.Text(e.Cause) + "\n"; got != git.Stderr || git.Status != 1 {
		t.Errorf("printed:\n%s\ngit prints:\n%s", got, git.Stderr)
	}
}

// fatal is update-ref's fatal line for a failed update.
func fatal(e *gitapi.RefUpdateError) string { return "fatal: " + gitmsg.Text(e) + "\n" }

// TestLockText checks the texts of the lock failures that need no
// other process: a directory that cannot be made and a file system
// refusal, worded as git words them.
func TestLockText(t *testing.T) {
	for _, c := range []struct {
		e    *gitapi.LockError
		want string
	}{
		{&gitapi.LockError{Path: "/r/x.lock", Kind: gitapi.LockNoDirectory, Cause: os.ErrPermission}, "unable to create directory for '/r/x.lock'"},
		{&gitapi.LockError{Path: "/r/x.lock", Kind: gitapi.LockFailed, Cause: &os.PathError{Op: "open", Path: "/r/x.lock", Err: os.ErrPermission}}, "Unable to create '/r/x.lock': Permission denied"},
	} {
		if got := gitmsg.Text(c.e); got != c.want {
			t.Errorf("Text(%v) = %q, want %q", c.e, got, c.want)
		}
	}
}
