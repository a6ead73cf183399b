package gitapi

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
)

// packObject is one object to store in a pack: its id, git's type name
// and its content.
type packObject struct {
	id   Hash
	typ  string
	data []byte
}

// packTypeCodes are the pack format's object type numbers.
var packTypeCodes = map[string]byte{TypeCommit: 1, TypeTree: 2, TypeBlob: 3, TypeTag: 4}

// writePack stores objs, none of them a delta, as one version-2 pack
// with its version-2 index in dir/pack, named after the pack's checksum
// as git names the packs it writes. Both files are written to temporary
// names, synced, made read-only, and renamed into place, the pack
// before its index: a reader looking for indexes never finds one whose
// pack is missing. It returns the pack's path and the index's bytes.
func writePack(dir string, objs []packObject, level int) (string, []byte, error) {
	packDir := filepath.Join(dir, "pack")
	if err := os.MkdirAll(packDir, 0o777); err != nil {
		return "", nil, fmt.Errorf("unable to create directory %s: %w", packDir, err)
	}
	var pack bytes.Buffer
	pack.WriteString("PACK")
	binary.Write(&pack, binary.BigEndian, uint32(2))
	binary.Write(&pack, binary.BigEndian, uint32(len(objs)))
	type entry struct {
		id     Hash
		crc    uint32
		offset uint64
	}
	entries := make([]entry, 0, len(objs))
	var deflated bytes.Buffer
	for _, o := range objs {
		code, ok := packTypeCodes[o.typ]
		if !ok {
			return "", nil, fmt.Errorf("cannot pack an object of type %q", o.typ)
		}
		start := pack.Len()
		// The header: the type and the size, seven bits a byte after
		// the first four, the high bit saying another byte follows.
		size := uint64(len(o.data))
		b := code<<4 | byte(size&0x0f)
		size >>= 4
		for size != 0 {
			pack.WriteByte(b | 0x80)
			b = byte(size & 0x7f)
			size >>= 7
		}
		pack.WriteByte(b)
		deflated.Reset()
		zw, err := zlibWriter(&deflated, level)
		if err != nil {
			return "", nil, err
		}
		zw.Write(o.data)
		err = zw.Close()
		zlibPools[level+1].Put(zw)
		if err != nil {
			return "", nil, err
		}
		pack.Write(deflated.Bytes())
		entries = append(entries, entry{o.id, crc32.ChecksumIEEE(pack.Bytes()[start:]), uint64(start)})
	}
	packSum := sha1.Sum(pack.Bytes())
	pack.Write(packSum[:])

	sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].id[:], entries[j].id[:]) < 0 })
	var idx bytes.Buffer
	idx.Write([]byte{0xff, 't', 'O', 'c'})
	binary.Write(&idx, binary.BigEndian, uint32(2))
	var fanout [256]uint32
	for _, e := range entries {
		fanout[e.id[0]]++
	}
	for i := 1; i < 256; i++ {
		fanout[i] += fanout[i-1]
	}
	binary.Write(&idx, binary.BigEndian, fanout[:])
	for _, e := range entries {
		idx.Write(e.id[:])
	}
	for _, e := range entries {
		binary.Write(&idx, binary.BigEndian, e.crc)
	}
	// Offsets past 2 GiB go to the table of 8-byte offsets, the 4-byte
	// slot holding its position with the high bit set.
	var large []uint64
	for _, e := range entries {
		if e.offset < 1<<31 {
			binary.Write(&idx, binary.BigEndian, uint32(e.offset))
			continue
		}
		binary.Write(&idx, binary.BigEndian, uint32(len(large))|1<<31)
		large = append(large, e.offset)
	}
	if len(large) > 0 {
		binary.Write(&idx, binary.BigEndian, large)
	}
	idx.Write(packSum[:])
	idxSum := sha1.Sum(idx.Bytes())
	idx.Write(idxSum[:])

	base := filepath.Join(packDir, fmt.Sprintf("pack-%x", packSum))
	if err := writeReadOnly(packDir, "tmp_pack_", base+".pack", pack.Bytes()); err != nil {
		return "", nil, err
	}
	if err := writeReadOnly(packDir, "tmp_idx_", base+".idx", idx.Bytes()); err != nil {
		return "", nil, err
	}
	return base + ".pack", idx.Bytes(), nil
}

// writeReadOnly writes data to a temporary file in dir, syncs it, makes
// it read-only and renames it to path.
func writeReadOnly(dir, pattern, path string, data []byte) error {
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return fmt.Errorf("unable to create temporary file: %w", err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(0o444)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	return nil
}
