package gitapi

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// HashObject returns the id git gives an object of type typ ("blob",
// "tree", "commit", "tag") with this content.
func HashObject(typ string, data []byte) Hash {
	return Hash(index.HashObject(typ, data))
}

// WriteObject stores an object as git does, as a loose object written to a
// temporary file in its fan-out directory and moved into place read-only,
// and returns its id. An object that is already stored is not written
// again. In a session that packs objects (Session.PackObjects) it is
// kept in memory and stored in a pack when the session flushes.
func (r *Repo) WriteObject(typ string, data []byte) (Hash, error) {
	id := HashObject(typ, data)
	if r.shared.objects.hasForWrite(id) {
		return id, nil
	}
	level, err := r.looseCompression()
	if err != nil {
		return id, err
	}
	if r.session != nil {
		if ok, err := r.session.bufferObject(r, id, typ, data, level); ok || err != nil {
			return id, err
		}
	}
	if err := writeLoose(r.objectDir(), id, typ, data, level); err != nil {
		return id, err
	}
	r.shared.objects.remember(id)
	return id, nil
}

// writeLoose writes one loose object to the objects directory dir, as
// git does: deflated to a temporary file in its fan-out directory, made
// read-only, and linked (or renamed) into place.
func writeLoose(dir string, id Hash, typ string, data []byte, level int) error {
	var buf bytes.Buffer
	zw, err := zlibWriter(&buf, level)
	if err != nil {
		return err
	}
	fmt.Fprintf(zw, "%s %d\x00", typ, len(data))
	zw.Write(data)
	err = zw.Close()
	zlibPools[level+1].Put(zw)
	if err != nil {
		return err
	}
	path := looseObjectPath(dir, id)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return fmt.Errorf("unable to create directory %s: %w", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "tmp_obj_")
	if err != nil {
		return fmt.Errorf("insufficient permission for adding an object to repository database %s", dir)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("unable to write loose object file: %w", err)
	}
	tmp.Chmod(0o444)
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("unable to write loose object file: %w", err)
	}
	// Like git: a hard link never replaces an object another writer
	// stored meanwhile; rename where links are not available.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("unable to write file %s: %w", path, err)
		}
	} else {
		os.Remove(tmp.Name())
	}
	return nil
}

// zlibPools keep zlib writers by level (index level+1, -1..9) for
// reuse: a new writer allocates about a megabyte, more than writing a
// small object costs.
var zlibPools [11]sync.Pool

// zlibWriter is a zlib writer at level writing to w, reused when one is
// free.
func zlibWriter(w io.Writer, level int) (*zlib.Writer, error) {
	if level < -1 || level > 9 {
		return nil, fmt.Errorf("bad zlib compression level %d", level)
	}
	if zw, ok := zlibPools[level+1].Get().(*zlib.Writer); ok {
		zw.Reset(w)
		return zw, nil
	}
	return zlib.NewWriterLevel(w, level)
}

// looseCompression is the zlib level for loose objects:
// core.looseCompression, else core.compression, else git's default (best
// speed). The level changes the file's bytes, never the object's id.
func (r *Repo) looseCompression() (int, error) {
	cfg, err := r.Config()
	if err != nil {
		return 0, err
	}
	for _, key := range []string{"core.loosecompression", "core.compression"} {
		if v, ok := cfg.Get(key); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < -1 || n > 9 {
				return 0, fmt.Errorf("bad zlib compression level %s", v)
			}
			return n, nil
		}
	}
	return zlib.BestSpeed, nil
}
