package quiltimport

import "os"

// rewriteFile is a file of rebase-apply written again in place: opened
// without truncation and cut to what was written when closed, it ends
// with the content the shell's `>FILE` leaves. On ext4 a file truncated
// to nothing and written again is flushed to disk when closed (its
// auto_da_alloc), and a new file costs an inode each time; a rewrite in
// place costs neither. Only this run writes in its rebase-apply.
type rewriteFile struct {
	f      *os.File
	n      int64
	closed bool
}

// openRewrite opens path for a rewrite, creating it as the shell would.
func openRewrite(path string) (*rewriteFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o666)
	if err != nil {
		return nil, err
	}
	return &rewriteFile{f: f}, nil
}

func (w *rewriteFile) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.n += int64(n)
	return n, err
}

// Close cuts the file to what was written and closes it; it is safe to
// call more than once.
func (w *rewriteFile) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.f.Truncate(w.n)
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}
