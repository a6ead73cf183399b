package index

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
)

// withExtension appends an extension to a git-written index and fixes
// the checksum.
func withExtension(data []byte, sig string, payload []byte) []byte {
	body := bytes.Clone(data[:len(data)-checksumSize])
	body = append(body, sig...)
	body = binary.BigEndian.AppendUint32(body, uint32(len(payload)))
	body = append(body, payload...)
	sum := sha1.Sum(body)
	return append(body, sum[:]...)
}

// TestUnknownOptionalExtensionDropped: git skips an optional extension
// it does not know and leaves it out when it rewrites the index; so do
// we, byte for byte.
func TestUnknownOptionalExtensionDropped(t *testing.T) {
	r := newRepo(t)
	populate(r)
	data := withExtension(r.indexBytes(), "ZZZZ", []byte("opaque"))
	if err := os.WriteFile(r.indexPath(), data, 0o666); err != nil {
		t.Fatal(err)
	}
	restore := r.saveIndex()
	r.git("update-index", "--add", "--cacheinfo", "100644,"+blobA+",zz")
	want := r.indexBytes()
	restore()
	ix, err := OpenLocked(r.indexPath(), r.options())
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.CacheInfo(0o100644, parseID(t, blobA), "zz", 0, UpdateOptions{Add: true}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.indexBytes(), want) {
		t.Errorf("index after rewrite differs from git's")
	}
}

// TestUnreadableIndexes checks the refusals, each with git's reason.
func TestUnreadableIndexes(t *testing.T) {
	r := newRepo(t)
	populate(r)
	good := r.indexBytes()
	flipped := bytes.Clone(good)
	flipped[20] ^= 1
	badVersion := bytes.Clone(good)
	badVersion[7] = 5
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"required-extension", withExtension(good, "zzzz", nil), "index uses zzzz extension, which we do not understand"},
		{"checksum", flipped, "bad index file sha1 signature"},
		{"signature", append([]byte("DIRX"), good[4:]...), "bad signature 0x58524944"},
		{"version", badVersion, "bad index version 5"},
		{"short", good[:20], "index file smaller than expected"},
		{"split-index", withExtension(good, "link", make([]byte, 20)), ErrSplitIndex.Error()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.data)
			if err == nil || err.Error() != c.want {
				t.Fatalf("Parse: %v, want %q", err, c.want)
			}
			if c.name == "split-index" {
				return
			}
			// git refuses the same file, with the same reason.
			if err := os.WriteFile(r.indexPath(), c.data, 0o666); err != nil {
				t.Fatal(err)
			}
			// Only fsck makes git verify the checksum.
			_, stderr, code := r.run("", "fsck")
			if code == 0 || !strings.Contains(stderr, c.want) {
				t.Errorf("git ls-files: exit %d, %q; want a refusal mentioning %q", code, stderr, c.want)
			}
		})
	}
}

// TestSplitIndexRefused: an index git split with --split-index is
// reported as unsupported, never misread.
func TestSplitIndexRefused(t *testing.T) {
	r := newRepo(t)
	populate(r)
	r.git("update-index", "--split-index")
	if _, err := ReadFile(r.indexPath()); !errors.Is(err, ErrSplitIndex) {
		t.Fatalf("ReadFile of a split index: %v, want ErrSplitIndex", err)
	}
}

// TestOffsetTableExtensionsRead: EOIE and IEOT (written by git when
// index.threads or the record* settings ask) are read past, and the
// index we write without them is what git reads as the same entries.
func TestOffsetTableExtensionsRead(t *testing.T) {
	r := newRepo(t)
	populate(r)
	r.git("-c", "index.recordEndOfIndexEntries=true", "-c", "index.recordOffsetTable=true", "update-index", "--force-remove", "a0")
	ix, err := ReadFile(r.indexPath())
	if err != nil {
		t.Fatal(err)
	}
	want := r.git("ls-files", "--stage", "--debug")
	if err := ix.WriteFile(r.indexPath()); err != nil {
		t.Fatal(err)
	}
	if got := r.git("ls-files", "--stage", "--debug"); got != want {
		t.Errorf("after our rewrite git lists\n%s\nwant\n%s", got, want)
	}
}

// TestUntrackedCacheKeptUntilPathsChange: UNTR survives a stat-only
// rewrite byte for byte, and is dropped (not left stale) once a path is
// added; "git status" is unchanged either way.
func TestUntrackedCacheKeptUntilPathsChange(t *testing.T) {
	r := newRepo(t)
	populate(r)
	r.git("config", "core.untrackedCache", "true")
	r.write("untracked", "u\n")
	r.git("status", "--porcelain")
	ix, err := OpenLocked(r.indexPath(), r.options())
	if err != nil {
		t.Fatal(err)
	}
	if ix.Untracked == nil {
		t.Fatal("git wrote no UNTR extension")
	}
	raw := bytes.Clone(ix.Untracked)
	ix.Refresh(RefreshOptions{Quiet: true})
	if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	again, err := ReadFile(r.indexPath())
	if err != nil || !bytes.Equal(again.Untracked, raw) {
		t.Fatalf("UNTR not kept across a stat-only write (err %v)", err)
	}
	r.write("newfile", "n\n")
	ix, err = OpenLocked(r.indexPath(), r.options())
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.UpdatePath("newfile", r, UpdateOptions{Add: true}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	if again, _ := ReadFile(r.indexPath()); again.Untracked != nil {
		t.Errorf("UNTR kept after a path was added")
	}
	r.git("update-index", "--force-remove", "newfile")
	want := r.git("-c", "core.untrackedCache=false", "status", "--porcelain")
	if got := r.git("status", "--porcelain"); got != want || !strings.Contains(got, "?? newfile") {
		t.Errorf("git status after our writes: %q, want %q", got, want)
	}
}

// TestNewIndexVersion: a new index is written as git writes it: v2, or
// the configured default, and v3 only with extended flags.
func TestNewIndexVersion(t *testing.T) {
	for _, v := range []uint32{0, 2, 3, 4} {
		r := newRepo(t)
		r.write("f", "f\n")
		r.write("d/g", "g\n")
		if v != 0 {
			r.env = append(r.env, "GIT_INDEX_VERSION="+string(rune('0'+v)))
		}
		r.git("update-index", "--add", "f", "d/g")
		want := r.indexBytes()
		os.Remove(r.indexPath())
		opts := r.options()
		opts.DefaultVersion = v
		ix, err := OpenLocked(r.indexPath(), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"f", "d/g"} {
			if err := ix.UpdatePath(p, r, UpdateOptions{Add: true}); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Commit(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.indexBytes(), want) {
			t.Errorf("GIT_INDEX_VERSION=%d: new index differs from git's", v)
		}
	}
}

func TestVarintRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 255, 16383, 16384, 1 << 32, 1<<63 - 1} {
		buf := encodeVarint(nil, v)
		got, n, ok := decodeVarint(buf)
		if !ok || got != v || n != len(buf) {
			t.Errorf("varint %d: encoded %x, decoded %d (%d bytes, ok %v)", v, buf, got, n, ok)
		}
	}
}

// TestLockedIndexMessage: a held index.lock is refused with git's text,
// and the index is left alone.
func TestLockedIndexMessage(t *testing.T) {
	r := newRepo(t)
	populate(r)
	if err := os.WriteFile(r.indexPath()+".lock", nil, 0o666); err != nil {
		t.Fatal(err)
	}
	r.write("new", "n\n")
	_, gitErr, code := r.run("", "update-index", "--add", "new")
	if code != 128 {
		t.Fatalf("git exit %d", code)
	}
	_, err := OpenLocked(r.indexPath(), r.options())
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("OpenLocked: %v, want *LockedError", err)
	}
	if got := "fatal: " + err.Error() + "\n"; got != gitErr {
		t.Errorf("got %q\nwant %q", got, gitErr)
	}
	if _, err := os.Stat(r.indexPath() + ".lock"); err != nil {
		t.Errorf("the other process's lock was removed: %v", err)
	}
}
