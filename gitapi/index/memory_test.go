package index

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCloneIsDeep changes a clone every way an index command does and
// checks the original's bytes did not move; the clone encodes as the
// original did before the changes.
func TestCloneIsDeep(t *testing.T) {
	ix := &Index{
		Version: 2,
		Entries: []*Entry{{Path: "a", Mode: ModeRegular, ID: ID{1}}, {Path: "d/b", Mode: ModeExecutable, ID: ID{2}}},
		CacheTree: &CacheTree{EntryCount: 2, ID: ID{3}, Subtrees: []*CacheTree{
			{Name: "d", EntryCount: 1, ID: ID{4}},
		}},
		ResolveUndo: []ResolveUndo{{Path: "a", Modes: [3]uint32{ModeRegular}}},
		Untracked:   []byte("untracked"),
	}
	before := ix.Encode()
	c := ix.Clone()
	if !bytes.Equal(c.Encode(), before) {
		t.Fatalf("clone encodes differently")
	}
	c.Entries[0].ID = ID{9}
	c.Entries = c.Entries[:1]
	c.CacheTree.Subtrees[0].EntryCount = -1
	c.CacheTree.ID = ID{8}
	c.ResolveUndo[0].Path = "z"
	c.Untracked[0] = 'U'
	if !bytes.Equal(ix.Encode(), before) {
		t.Errorf("changing the clone changed the original")
	}
}

// TestFileLockWrite writes an index through FileLock: the lock is taken
// (a second LockFile fails with LockedError), the file written is the
// index's encoding, and the lock is gone after.
func TestFileLockWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	fl, err := LockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockFile(path); err == nil {
		t.Fatal("second LockFile succeeded")
	} else if _, ok := err.(*LockedError); !ok {
		t.Fatalf("second LockFile: %v, want a LockedError", err)
	}
	ix := &Index{Version: 2, Entries: []*Entry{{Path: "a", Mode: ModeRegular, ID: ID{1}}}}
	ix.KeptInMemory(time.Now())
	if err := fl.Write(ix); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, ix.Encode()) {
		t.Errorf("file is not the index's encoding")
	}
	if _, err := os.Stat(path + ".lock"); err == nil {
		t.Errorf("lock left behind")
	}
}
