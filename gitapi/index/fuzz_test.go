package index

import (
	"bytes"
	"crypto/sha1"
	"testing"
)

// seedIndex builds an index in-process with every feature the parser
// knows: stages, extended flags, a cache tree and resolve-undo data.
func seedIndex(version uint32) []byte {
	ix := &Index{Version: version}
	id := HashObject("blob", []byte("x"))
	for _, p := range []string{"a", "b/c", "b/d/e", "f"} {
		ix.Entries = append(ix.Entries, &Entry{Path: p, Mode: ModeRegular, ID: id, Stat: Stat{MtimeSec: 7, Size: 1}})
	}
	ix.Entries = append(ix.Entries, &Entry{Path: "g", Mode: ModeExecutable, ID: id, Stage: 2},
		&Entry{Path: "g", Mode: ModeSymlink, ID: id, Stage: 3})
	ix.Entries[1].SkipWorktree = true
	ix.Entries[2].IntentToAdd = true
	ix.CacheTree = &CacheTree{EntryCount: -1, Subtrees: []*CacheTree{{Name: "b", EntryCount: 2, ID: id}}}
	ix.ResolveUndo = []ResolveUndo{{Path: "h", Modes: [3]uint32{ModeRegular, 0, ModeRegular}, IDs: [3]ID{id, {}, id}}}
	return ix.Encode()
}

// FuzzParse: no input makes Parse panic, and whatever it accepts
// encodes to bytes it parses again to the same encoding.
func FuzzParse(f *testing.F) {
	for _, v := range []uint32{2, 3, 4} {
		f.Add(seedIndex(v))
	}
	f.Add([]byte("DIRC"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := Parse(data)
		if err != nil {
			return
		}
		once := ix.Encode()
		again, err := Parse(once)
		if err != nil {
			t.Fatalf("re-parse of our own encoding: %v", err)
		}
		if twice := again.Encode(); !bytes.Equal(once, twice) {
			t.Fatalf("encoding not stable")
		}
	})
}

// FuzzParseUnchecked fuzzes past the checksum by fixing it up, so that
// mutations reach the entry and extension parsers.
func FuzzParseUnchecked(f *testing.F) {
	for _, v := range []uint32{2, 3, 4} {
		seed := seedIndex(v)
		f.Add(seed[:len(seed)-checksumSize])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sum := sha1.Sum(body)
		ix, err := Parse(append(bytes.Clone(body), sum[:]...))
		if err != nil {
			return
		}
		if _, err := Parse(ix.Encode()); err != nil {
			t.Fatalf("re-parse of our own encoding: %v", err)
		}
	})
}
