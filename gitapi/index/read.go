package index

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

const (
	headerSize   = 12
	checksumSize = sha1.Size
	// entryFixedSize is the on-disk size of an entry before its flags'
	// optional second half and its path.
	entryFixedSize = 62

	flagAssumeValid  = 0x8000
	flagExtended     = 0x4000
	flagStageMask    = 0x3000
	flagStageShift   = 12
	flagNameMask     = 0x0fff
	extSkipWorktree  = 0x4000
	extIntentToAdd   = 0x2000
	extKnownFlagMask = extSkipWorktree | extIntentToAdd
)

// ErrSplitIndex is returned for an index using the split-index "link"
// extension, which this package does not read (writing such an index
// back without its shared part would lose entries).
var ErrSplitIndex = errors.New("index uses the split-index (link) extension, which is not supported")

// CorruptError describes why an index file could not be parsed. Its
// message follows git's wording where git has one.
type CorruptError struct {
	Msg string
}

// Error returns the reason, in git's words.
func (e *CorruptError) Error() string { return e.Msg }

func corruptf(format string, args ...any) error {
	return &CorruptError{Msg: fmt.Sprintf(format, args...)}
}

// ReadFile reads the index at path. A missing file is an empty new index
// (Version 0), as git treats it. The file's mtime becomes the index
// Timestamp used for racy-git checks.
func ReadFile(path string) (*Index, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Index{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	data := make([]byte, info.Size())
	if _, err := readFull(f, data); err != nil {
		return nil, err
	}
	ix, err := Parse(data)
	if err != nil {
		return nil, err
	}
	ix.Timestamp = fileTimestamp(info)
	return ix, nil
}

func readFull(f *os.File, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := f.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Parse decodes an index file's bytes, verifying the trailing checksum
// (git itself verifies it only in fsck; a mismatch means corruption).
func Parse(data []byte) (*Index, error) {
	if len(data) < headerSize+checksumSize {
		return nil, corruptf("index file smaller than expected")
	}
	if string(data[:4]) != "DIRC" {
		// git prints the signature as its host reads the raw bytes.
		return nil, corruptf("bad signature 0x%08x", binary.NativeEndian.Uint32(data))
	}
	version := binary.BigEndian.Uint32(data[4:])
	if version < 2 || version > 4 {
		return nil, corruptf("bad index version %d", version)
	}
	body := data[:len(data)-checksumSize]
	if sum := sha1.Sum(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, corruptf("bad index file sha1 signature")
	}
	count := binary.BigEndian.Uint32(data[8:])
	ix := &Index{Version: version}
	off := headerSize
	prev := ""
	for i := uint32(0); i < count; i++ {
		e, n, err := parseEntry(body[off:], version, prev)
		if err != nil {
			return nil, err
		}
		ix.Entries = append(ix.Entries, e)
		prev = e.Path
		off += n
	}
	if err := ix.checkOrder(); err != nil {
		return nil, err
	}
	if err := ix.parseExtensions(body[off:]); err != nil {
		return nil, err
	}
	return ix, nil
}

// parseEntry decodes one entry from buf, returning its on-disk length.
func parseEntry(buf []byte, version uint32, prev string) (*Entry, int, error) {
	if len(buf) < entryFixedSize {
		return nil, 0, corruptf("index file corrupt: truncated entry")
	}
	u := func(i int) uint32 { return binary.BigEndian.Uint32(buf[i*4:]) }
	e := &Entry{
		Stat: Stat{
			CtimeSec: u(0), CtimeNsec: u(1), MtimeSec: u(2), MtimeNsec: u(3),
			Dev: u(4), Ino: u(5), UID: u(7), GID: u(8), Size: u(9),
		},
		Mode: u(6),
	}
	copy(e.ID[:], buf[40:60])
	flags := binary.BigEndian.Uint16(buf[60:])
	e.AssumeValid = flags&flagAssumeValid != 0
	e.Stage = int(flags&flagStageMask) >> flagStageShift
	nameStart := entryFixedSize
	if flags&flagExtended != 0 {
		if version < 3 {
			return nil, 0, corruptf("index file corrupt: extended flag in a version %d index", version)
		}
		if len(buf) < nameStart+2 {
			return nil, 0, corruptf("index file corrupt: truncated entry")
		}
		ext := binary.BigEndian.Uint16(buf[nameStart:])
		if ext&^extKnownFlagMask != 0 {
			return nil, 0, corruptf("unknown index entry format 0x%08x", uint32(ext)<<16)
		}
		e.SkipWorktree = ext&extSkipWorktree != 0
		e.IntentToAdd = ext&extIntentToAdd != 0
		nameStart += 2
	}
	if version == 4 {
		return parseCompressedName(e, buf, nameStart, prev)
	}
	end := bytes.IndexByte(buf[nameStart:], 0)
	if end < 0 {
		return nil, 0, corruptf("index file corrupt: unterminated path")
	}
	e.Path = string(buf[nameStart : nameStart+end])
	size := (nameStart + end + 8) &^ 7
	if size > len(buf) {
		return nil, 0, corruptf("index file corrupt: truncated entry")
	}
	return e, size, nil
}

// parseCompressedName reads a version 4 path: a varint count of bytes to
// drop from the previous path, then the NUL-terminated suffix.
func parseCompressedName(e *Entry, buf []byte, at int, prev string) (*Entry, int, error) {
	strip, n, ok := decodeVarint(buf[at:])
	if !ok || strip > uint64(len(prev)) {
		return nil, 0, corruptf("malformed name field in the index, near path '%s'", prev)
	}
	at += n
	end := bytes.IndexByte(buf[at:], 0)
	if end < 0 {
		return nil, 0, corruptf("index file corrupt: unterminated path")
	}
	e.Path = prev[:len(prev)-int(strip)] + string(buf[at:at+end])
	return e, at + end + 1, nil
}

// checkOrder enforces that entries are sorted by path and then stage,
// which lookups rely on. A stage 0 entry beside conflict stages of the
// same path is accepted: git writes such indexes ("update-index
// --index-info" adding stages) and reads them without complaint.
func (ix *Index) checkOrder() error {
	for i := 1; i < len(ix.Entries); i++ {
		a, b := ix.Entries[i-1], ix.Entries[i]
		if a.Path > b.Path {
			return corruptf("unordered stage entries in index")
		}
		if a.Path != b.Path {
			continue
		}
		if a.Stage > b.Stage {
			return corruptf("unordered stage entries for '%s'", a.Path)
		}
	}
	return nil
}

// parseExtensions reads the extensions between the entries and the
// checksum. Extensions whose signature starts with an upper-case letter
// are optional: unknown ones are skipped, as git skips them. Any other
// unknown extension makes the index unreadable, as in git.
func (ix *Index) parseExtensions(buf []byte) error {
	for len(buf) > 0 {
		if len(buf) < 8 {
			return corruptf("index file corrupt: truncated extension header")
		}
		sig := string(buf[:4])
		size := binary.BigEndian.Uint32(buf[4:])
		if uint64(size) > uint64(len(buf)-8) {
			return corruptf("index file corrupt: extension %.4s larger than the file", sig)
		}
		data := buf[8 : 8+size]
		buf = buf[8+size:]
		if err := ix.parseExtension(sig, data); err != nil {
			return err
		}
	}
	return nil
}

func (ix *Index) parseExtension(sig string, data []byte) error {
	switch sig {
	case "TREE":
		t, err := parseCacheTree(data)
		if err != nil {
			return err
		}
		ix.CacheTree = t
	case "REUC":
		r, err := parseResolveUndo(data)
		if err != nil {
			return err
		}
		ix.ResolveUndo = r
	case "UNTR":
		ix.Untracked = bytes.Clone(data)
	case "FSMN":
		ix.FSMonitor = bytes.Clone(data)
	case "link":
		return ErrSplitIndex
	default:
		if sig[0] < 'A' || sig[0] > 'Z' {
			return corruptf("index uses %s extension, which we do not understand", quoteSig(sig))
		}
		// EOIE, IEOT and unknown optional extensions: only hints for
		// readers, dropped on write as git drops what it does not use.
	}
	return nil
}

// quoteSig prints a signature the way git's %.4s would, stopping at NUL.
func quoteSig(sig string) string {
	if i := bytes.IndexByte([]byte(sig), 0); i >= 0 {
		return sig[:i]
	}
	return sig
}

// decodeVarint reads git's offset varint: 7 bits per byte, high bit set
// on all but the last, with each continuation adding one before the
// shift so that every value has exactly one encoding.
func decodeVarint(buf []byte) (uint64, int, bool) {
	if len(buf) == 0 {
		return 0, 0, false
	}
	c := buf[0]
	val := uint64(c & 127)
	n := 1
	for c&128 != 0 {
		val++
		if val == 0 || val>>(64-7) != 0 || n >= len(buf) {
			return 0, 0, false
		}
		c = buf[n]
		n++
		val = val<<7 + uint64(c&127)
	}
	return val, n, true
}

// encodeVarint appends value in git's offset varint encoding.
func encodeVarint(dst []byte, value uint64) []byte {
	var tmp [16]byte
	pos := len(tmp) - 1
	tmp[pos] = byte(value & 127)
	for value >>= 7; value != 0; value >>= 7 {
		value--
		pos--
		tmp[pos] = 128 | byte(value&127)
	}
	return append(dst, tmp[pos:]...)
}
