package index

import (
	"bytes"
	"testing"
)

// TestPutWithFillStatMatchesAdd: an entry built by hand the way "git
// apply --index" builds one (blob id, FillStat, Put) gives the index
// "git update-index --add" gives.
func TestPutWithFillStatMatchesAdd(t *testing.T) {
	r := committedRepo(t)
	r.write("dir/new.txt", "new\n")
	restore := r.saveIndex()
	r.git("update-index", "--add", "dir/new.txt")
	want := r.indexBytes()
	restore()

	ix, err := OpenLocked(r.indexPath(), r.options())
	if err != nil {
		t.Fatal(err)
	}
	e := &Entry{Path: "dir/new.txt", Mode: 0o644, ID: HashObject("blob", []byte("new\n"))}
	if err := ix.FillStat(e); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(e, false, false); err == nil {
		t.Fatal("Put of a new path without okToAdd succeeded")
	}
	if err := ix.Put(e, true, false); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.indexBytes(), want) {
		t.Errorf("index differs from git update-index --add")
	}
}
