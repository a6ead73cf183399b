package apply

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

const nullOID = "0000000000000000000000000000000000000000"

// blobID is the git object id of content stored as a blob.
func blobID(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

func isFullHex(id string) bool {
	if len(id) != 40 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// applyBinary computes the postimage of a binary patch with git's checks:
// full index line, preimage id, and postimage id.
func (a *applier) applyBinary(p *filePatch, pre []byte) ([]byte, bool) {
	name := p.OldName
	if name == "" {
		name = p.NewName
	}
	if !isFullHex(p.OldOID) || !isFullHex(p.NewOID) {
		a.errorf("cannot apply binary patch to '%s' without full index line", name)
		return nil, false
	}
	if p.OldName != "" {
		if id := blobID(pre); id != p.OldOID {
			a.errorf("the patch applies to '%s' (%s), which does not match the current contents.", name, id)
			return nil, false
		}
	} else if len(pre) > 0 {
		a.errorf("the patch applies to an empty '%s' but it is not empty", name)
		return nil, false
	}
	if p.NewOID == nullOID {
		return nil, true
	}
	if blobs, ok := a.src.(BlobSource); ok {
		if content, found := blobs.ReadBlob(p.NewOID); found {
			return content, true
		}
	}
	frag := p.File.BinaryFragment
	if frag == nil {
		a.errorf("missing binary patch data for '%s'", name)
		return nil, false
	}
	post, err := binaryPostimage(frag, pre)
	if err != nil {
		a.errorf("binary patch does not apply to '%s'", name)
		return nil, false
	}
	if id := blobID(post); id != p.NewOID {
		a.errorf("binary patch to '%s' creates incorrect result (expecting %s, got %s)", name, p.NewOID, id)
		return nil, false
	}
	return post, true
}

func binaryPostimage(frag *gitdiff.BinaryFragment, pre []byte) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(frag.Data(), frag.Size+1))
	if err != nil {
		return nil, err
	}
	if frag.Method == gitdiff.BinaryPatchLiteral {
		return data, nil
	}
	return applyDelta(pre, data)
}

var errBadDelta = errors.New("corrupt delta")

// applyDelta applies a git pack delta (source size, target size, then copy
// and insert instructions) to src.
func applyDelta(src, delta []byte) ([]byte, error) {
	srcSize, delta, ok := deltaVarint(delta)
	if !ok || srcSize != uint64(len(src)) {
		return nil, errBadDelta
	}
	dstSize, delta, ok := deltaVarint(delta)
	if !ok || dstSize > uint64(len(src))+uint64(len(delta))*0x10000 {
		return nil, errBadDelta
	}
	var out bytes.Buffer
	for len(delta) > 0 {
		cmd := delta[0]
		delta = delta[1:]
		switch {
		case cmd&0x80 != 0:
			var offset, size uint64
			for bit := 0; bit < 7; bit++ {
				if cmd&(1<<bit) == 0 {
					continue
				}
				if len(delta) == 0 {
					return nil, errBadDelta
				}
				if bit < 4 {
					offset |= uint64(delta[0]) << (8 * bit)
				} else {
					size |= uint64(delta[0]) << (8 * (bit - 4))
				}
				delta = delta[1:]
			}
			if size == 0 {
				size = 0x10000
			}
			if offset+size > uint64(len(src)) || uint64(out.Len())+size > dstSize {
				return nil, errBadDelta
			}
			out.Write(src[offset : offset+size])
		case cmd != 0:
			n := int(cmd)
			if n > len(delta) || uint64(out.Len()+n) > dstSize {
				return nil, errBadDelta
			}
			out.Write(delta[:n])
			delta = delta[n:]
		default:
			return nil, errBadDelta
		}
	}
	if uint64(out.Len()) != dstSize {
		return nil, errBadDelta
	}
	return out.Bytes(), nil
}

func deltaVarint(b []byte) (uint64, []byte, bool) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		if len(b) == 0 {
			return 0, nil, false
		}
		c := b[0]
		b = b[1:]
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, b, true
		}
	}
	return 0, nil, false
}
