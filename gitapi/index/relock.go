package index

import (
	"os"
	"syscall"
)

// FileID is what stat tells of an index file: enough to know that the
// file is still the one a process wrote or read.
type FileID struct {
	Ino, Size         uint64
	MtimeSec, MtimeNs int64
	CtimeSec, CtimeNs int64
}

// StatFileID stats the file at path; ok is false when it cannot.
func StatFileID(path string) (FileID, bool) {
	info, err := os.Stat(path)
	if err != nil {
		return FileID{}, false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return FileID{}, false
	}
	return FileID{
		Ino: st.Ino, Size: uint64(st.Size),
		MtimeSec: st.Mtim.Sec, MtimeNs: st.Mtim.Nsec,
		CtimeSec: st.Ctim.Sec, CtimeNs: st.Ctim.Nsec,
	}, true
}

// Relock takes "<path>.lock" again for an index that was read from or
// written to its file by this process and has been committed or rolled
// back since, so that it can be changed and committed once more without
// reading the file: for a caller that knows (by StatFileID) that the
// file is still the one it holds in memory. Entries keep what this
// process learnt of them (those it wrote are not checked again as
// racily clean), as git's in-memory index does between its steps.
func (ix *Index) Relock() error {
	if ix.lock != nil {
		return os.ErrExist
	}
	l, err := acquireLock(ix.path)
	if err != nil {
		return err
	}
	ix.lock = l
	return nil
}
