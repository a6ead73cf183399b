package gitapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestSessionPackObjects writes objects in a session that packs them:
// no loose file is made, every reader of the process sees them before
// they are stored, a ref update stores them as one pack that real git
// reads (cat-file, verify-pack, fsck --strict), and FlushFor on the
// objects directory and Discard store fewer than 100 as loose objects.
func TestSessionPackObjects(t *testing.T) {
	f := gittest.NewFixture(t)
	env := append(append([]string{}, f.Env...), "GIT_AUTHOR_DATE=1112911993 -0700", "GIT_COMMITTER_DATE=1112911993 -0700")
	s := NewSession()
	s.PackObjects()
	dir := filepath.Join(f.Root, "repo")
	r, err := Open(Options{Dir: dir, Env: env, Session: s})
	if err != nil {
		t.Fatal(err)
	}
	objects := filepath.Join(r.GitDir(), "objects")
	packsBefore, _ := filepath.Glob(filepath.Join(objects, "pack", "*.pack"))

	content := []byte("packed by a session\n")
	blob, err := r.WriteObject(TypeBlob, content)
	if err != nil {
		t.Fatal(err)
	}
	content[0] = 'X' // the buffer keeps its own copy
	if want := f.GitStdin(t, "repo", "packed by a session\n", "hash-object", "--stdin"); blob.String() != want {
		t.Fatalf("blob id %s, git says %s", blob, want)
	}
	tree, err := r.WriteObject(TypeTree, append([]byte("100644 packed.txt\x00"), blob[:]...))
	if err != nil {
		t.Fatal(err)
	}
	head, _ := r.Resolve("HEAD")
	commit, _, err := r.CommitTree(tree, []Hash{head}, []byte("packed\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []Hash{blob, tree, commit} {
		if _, err := os.Stat(looseObjectPath(objects, id)); err == nil {
			t.Errorf("%s written loose", id)
		}
	}
	// Readers without the session see the buffered objects, and
	// reading them twice gives the same content.
	plain := openIn(t, f, "repo")
	for i := 0; i < 2; i++ {
		typ, data, err := plain.ReadObject(blob)
		if err != nil || typ != TypeBlob || string(data) != "packed by a session\n" {
			t.Fatalf("ReadObject(blob) = %s, %q, %v", typ, data, err)
		}
		data[0] = 'Y'
	}
	if !plain.HasObject(commit) {
		t.Errorf("HasObject(commit) = false before the flush")
	}
	if got, err := plain.Resolve(commit.String()[:12]); err != nil || got != commit {
		t.Errorf("Resolve(short id) = %s, %v; want %s", got, err, commit)
	}
	if packs, _ := filepath.Glob(filepath.Join(objects, "pack", "*.pack")); len(packs) != len(packsBefore) {
		t.Fatalf("a pack was written before a flush: %v", packs)
	}
	var filler []Hash
	for i := 0; i < packMinObjects; i++ {
		id, err := r.WriteObject(TypeBlob, []byte(strings.Repeat("filler\n", i+1)))
		if err != nil {
			t.Fatal(err)
		}
		filler = append(filler, id)
	}

	// A ref naming the commit stores the objects first.
	if err := r.UpdateRef("refs/heads/packed", commit, &ZeroHash, "packed"); err != nil {
		t.Fatal(err)
	}
	packsAfter, _ := filepath.Glob(filepath.Join(objects, "pack", "*.pack"))
	if len(packsAfter) != len(packsBefore)+1 {
		t.Fatalf("packs after the ref update: %v (before: %v)", packsAfter, packsBefore)
	}
	if got := f.Git(t, "repo", "cat-file", "-p", "packed:packed.txt"); got != "packed by a session" {
		t.Errorf("git cat-file of the packed blob: %q", got)
	}
	if got := f.Git(t, "repo", "log", "-1", "--format=%s", "packed"); got != "packed" {
		t.Errorf("git log of the packed commit: %q", got)
	}
	for _, p := range packsAfter {
		f.Git(t, "repo", "verify-pack", strings.TrimSuffix(p, ".pack")+".idx")
	}
	f.Git(t, "repo", "fsck", "--strict", "--no-dangling")
	for _, id := range append(filler, blob, tree, commit) {
		if _, err := os.Stat(looseObjectPath(objects, id)); err == nil {
			t.Errorf("%s written loose as well", id)
		}
	}
	if got := f.Git(t, "repo", "cat-file", "-p", filler[3].String()); got != strings.TrimSpace(strings.Repeat("filler\n", 4)) {
		t.Errorf("git cat-file of a packed filler blob: %q", got)
	}
	// The pack stands in for loose objects: git's object count for the
	// abbreviation length does not see it in this process.
	newPack, _ := r.shared.objects.openPacks(false)
	loose := 0
	for _, p := range newPack {
		if p.loose {
			loose++
		}
	}
	if loose != 1 {
		t.Errorf("%d packs marked as written for loose objects, want 1", loose)
	}

	// Interpreted text listing the objects directory sees the pack.
	again, err := r.WriteObject(TypeBlob, []byte("second\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FlushFor(filepath.Join(objects, "pack")); err != nil {
		t.Fatal(err)
	}
	if got := f.Git(t, "repo", "cat-file", "-t", again.String()); got != "blob" {
		t.Errorf("git cat-file -t after FlushFor: %q", got)
	}
	if _, err := os.Stat(looseObjectPath(objects, again)); err != nil {
		t.Errorf("one object flushed: not loose: %v", err)
	}
	// Discard stores what is left; it never drops objects.
	last, _ := r.WriteObject(TypeBlob, []byte("third\n"))
	s.Discard()
	if got := f.Git(t, "repo", "cat-file", "-t", last.String()); got != "blob" {
		t.Errorf("git cat-file -t after Discard: %q", got)
	}
	if packs, _ := filepath.Glob(filepath.Join(objects, "pack", "*.pack")); len(packs) != len(packsAfter) {
		t.Errorf("packs after the small flushes: %v, want %v", packs, packsAfter)
	}
	// An object already stored is not written again.
	if _, err := r.WriteObject(TypeBlob, []byte(strings.Repeat("filler\n", 1))); err != nil {
		t.Fatal(err)
	}
	if n := len(s.buffers); n != 0 {
		t.Errorf("a stored object was buffered again (%d buffers)", n)
	}
}
