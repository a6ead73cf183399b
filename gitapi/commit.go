package gitapi

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// CommitUTF8Warning is what git prints when a commit message is not valid
// UTF-8 and no other encoding is configured.
const CommitUTF8Warning = "Warning: commit message did not conform to UTF-8.\n" +
	"You may want to amend it after fixing the message, or set the config\n" +
	"variable i18n.commitEncoding to the encoding your project uses.\n"

// ErrNULInMessage is CommitTree's error for a message with a NUL byte.
//
//lint:ignore ST1005 git's message, byte for byte
var ErrNULInMessage = errors.New("a NUL byte in commit log message not allowed.")

// CommitTree writes a commit of tree with these parents and message, as
// `git commit-tree` does: author and committer from GIT_AUTHOR_* and
// GIT_COMMITTER_* (else the configuration), an encoding header when
// i18n.commitEncoding names one other than UTF-8. A message that is not
// UTF-8 under UTF-8 is stored with its invalid bytes read as Latin-1, as
// git does, and warning is then CommitUTF8Warning.
func (r *Repo) CommitTree(tree Hash, parents []Hash, msg []byte) (id Hash, warning string, err error) {
	if typ, _, err := r.ReadObject(tree); err != nil || typ != "tree" {
		return id, "", fmt.Errorf("%s is not a valid 'tree' object", tree)
	}
	if bytes.IndexByte(msg, 0) >= 0 {
		return id, "", ErrNULInMessage
	}
	// Commits take idents strictly, as git's IDENT_STRICT: the errors
	// are IdentErrors.
	author, err := r.StrictAuthorIdent()
	if err != nil {
		return id, "", err
	}
	committer, err := r.StrictCommitterIdent()
	if err != nil {
		return id, "", err
	}
	cfg, err := r.Config()
	if err != nil {
		return id, "", err
	}
	encoding, _ := cfg.Get("i18n.commitencoding")
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&buf, "parent %s\n", p)
	}
	fmt.Fprintf(&buf, "author %s\ncommitter %s\n", author, committer)
	utf8Encoding := encoding == "" || isUTF8Name(encoding)
	if !utf8Encoding {
		fmt.Fprintf(&buf, "encoding %s\n", encoding)
	}
	buf.WriteByte('\n')
	body := msg
	if utf8Encoding && !utf8.Valid(body) {
		body, warning = latin1ToUTF8(body), CommitUTF8Warning
	}
	buf.Write(body)
	id, err = r.WriteObject("commit", buf.Bytes())
	return id, warning, err
}

// isUTF8Name reports whether an encoding name means UTF-8 to git.
func isUTF8Name(name string) bool {
	return strings.EqualFold(name, "utf-8") || strings.EqualFold(name, "utf8")
}

// latin1ToUTF8 keeps valid UTF-8 sequences and re-encodes every other byte
// as the Latin-1 character it would be.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			out = utf8.AppendRune(out, rune(b[0]))
			b = b[1:]
			continue
		}
		out = append(out, b[:n]...)
		b = b[n:]
	}
	return out
}
