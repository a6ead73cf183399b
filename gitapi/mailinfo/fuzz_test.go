package mailinfo

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes Parse panic or produce an info
// block that cannot be written, whatever the options.
func FuzzParse(f *testing.F) {
	mails, _ := filepath.Glob("testdata/*.eml")
	for _, path := range mails {
		if mail, err := os.ReadFile(path); err == nil {
			f.Add(mail, uint8(0))
		}
	}
	f.Fuzz(func(t *testing.T, mail []byte, flags uint8) {
		opts := Options{
			KeepSubject:          flags&1 != 0,
			KeepNonPatchBrackets: flags&2 != 0,
			AddMessageID:         flags&4 != 0,
			Scissors:             flags&8 != 0,
			NoInbodyHeaders:      flags&16 != 0,
			QuotedCR:             QuotedCRAction((flags >> 5) % 3),
		}
		if flags&128 != 0 {
			opts.MetaEncoding = "UTF-8"
		}
		info := ParseBytes(mail, opts)
		if err := info.WriteInfo(io.Discard); err != nil {
			t.Fatal(err)
		}
		if code := info.ExitCode(); code != 0 && code != 1 {
			t.Fatalf("exit code %d", code)
		}
	})
}
