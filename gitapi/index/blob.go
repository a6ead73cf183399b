package index

import (
	"crypto/sha1"
	"io/fs"
	"os"
	"strconv"
)

// HashObject returns the id git gives an object: SHA-1 over
// "<type> <size>\0" and the content.
func HashObject(typ string, data []byte) ID {
	h := sha1.New()
	h.Write([]byte(typ))
	h.Write([]byte{' '})
	h.Write(strconv.AppendInt(nil, int64(len(data)), 10))
	h.Write([]byte{0})
	h.Write(data)
	var id ID
	h.Sum(id[:0])
	return id
}

// emptyBlob is the id of the empty blob; a zero size in the index means
// "smudged" for every other blob.
var emptyBlob = HashObject("blob", nil)

// readWorkTreeBlob returns the blob content git stores for a work tree
// path: the file's bytes, or a symlink's target. Content filters (CRLF
// conversion, clean filters) are not applied: not yet supported.
func (o *Options) readWorkTreeBlob(path string, info fs.FileInfo) ([]byte, error) {
	if info.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(o.workPath(path))
		return []byte(target), err
	}
	return os.ReadFile(o.workPath(path))
}
