package apply

import (
	"io/fs"
	"testing"
)

// memSource is an in-memory Source and Sink.
type memSource map[string]memFile

type memFile struct {
	mode    uint32
	content []byte
}

func (m memSource) Stat(name string) (uint32, bool, error) {
	f, ok := m[name]
	return f.mode, ok, nil
}

func (m memSource) ReadFile(name string) ([]byte, error) {
	f, ok := m[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return f.content, nil
}

func (m memSource) Remove(name string) error {
	delete(m, name)
	return nil
}

func (m memSource) WriteFile(name string, content []byte, mode uint32) error {
	m[name] = memFile{mode: mode, content: content}
	return nil
}

// FuzzApply feeds arbitrary patch text and file content to Apply: it must
// never panic, and a success must be writable.
func FuzzApply(f *testing.F) {
	f.Add([]byte("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"), []byte("a\nb\nc\n"), 1)
	f.Add([]byte("diff --git a/f b/g\nsimilarity index 90%\nrename from f\nrename to g\n--- a/f\n+++ b/g\n@@ -2 +2 @@\n-b\n+x\n\\ No newline at end of file\n"), []byte("a\nb"), 0)
	f.Add([]byte("diff --git a/f b/f\nindex 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644\nGIT binary patch\nliteral 5\nMcmZ?wbaG<=000hy8~^|S\n\nliteral 0\nHcmV?d00001\n\n"), []byte("x"), 3)
	f.Add([]byte("diff --git a/f b/f\nold mode 100644\nnew mode 100755\n"), []byte(""), -1)
	f.Fuzz(func(t *testing.T, patch, content []byte, minContext int) {
		src := memSource{"f": {mode: ModeRegular, content: content}, "d": {mode: ModeDir}}
		opts := Options{}
		opts.MinContext, opts.MinContextGiven = minContext%4, minContext%2 == 0
		opts.Verbose = true
		res, err := Apply(patch, src, opts)
		if res == nil {
			t.Fatalf("nil result (err %v)", err)
		}
		if (err == nil) != (res.ExitCode == 0) {
			t.Fatalf("error %v with exit code %d", err, res.ExitCode)
		}
		if err == nil {
			if werr := res.Write(src); werr != nil {
				t.Fatalf("write: %v", werr)
			}
		}
	})
}
