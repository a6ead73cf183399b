package index

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// IndexInfo is "git update-index --index-info": each line of r (NUL
// terminated with nulTerminated, as for -z) is one of
//
//	<mode> SP <id> TAB <path>                 (git apply --index-info)
//	<mode> SP <type> SP <id> TAB <path>       (git ls-tree)
//	<mode> SP <id> SP <stage> TAB <path>      (git ls-files --stage)
//
// and mode 0 removes the path. Paths may be C-quoted unless
// nulTerminated. Paths git refuses are reported on stderr as
// "Ignoring path <path>" and skipped, as git does. The returned *Error
// carries git's fatal message.
func (ix *Index) IndexInfo(r io.Reader, nulTerminated bool, stderr io.Writer) error {
	sep := byte('\n')
	if nulTerminated {
		sep = 0
	}
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadBytes(sep)
		if len(line) > 0 {
			line = bytes.TrimSuffix(line, []byte{sep})
			if lineErr := ix.indexInfoLine(line, nulTerminated, stderr); lineErr != nil {
				return lineErr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (ix *Index) indexInfoLine(line []byte, nulTerminated bool, stderr io.Writer) error {
	bad := &Error{Fatal: "malformed index info " + string(line)}
	sp := bytes.IndexByte(line, ' ')
	mode, ok := parseOctal(line[:max(sp, 0)])
	if sp <= 0 || !ok {
		return bad
	}
	tab := bytes.IndexByte(line[sp:], '\t')
	const hexLen = 40
	if tab < 0 || tab < hexLen+1 {
		return bad
	}
	tab += sp
	path := line[tab+1:]
	idEnd := tab
	stage := 0
	if line[tab-2] == ' ' && line[tab-1] >= '0' && line[tab-1] <= '3' {
		stage = int(line[tab-1] - '0')
		idEnd = tab - 2
	}
	var id ID
	if idEnd-hexLen-1 < sp || line[idEnd-hexLen-1] != ' ' {
		return bad
	}
	if _, err := hex.Decode(id[:], line[idEnd-hexLen:idEnd]); err != nil {
		return bad
	}
	name := string(path)
	if !nulTerminated && len(path) > 0 && path[0] == '"' {
		unq, ok := unquoteC(path)
		if !ok {
			return &Error{Fatal: "git update-index: bad quoting of path name"}
		}
		name = unq
	}
	if !VerifyPath(name, mode) {
		fmt.Fprintf(stderr, "Ignoring path %s\n", name)
		return nil
	}
	if mode == 0 {
		ix.RemovePath(name)
		return nil
	}
	if err := ix.CacheInfo(mode, id, name, stage, UpdateOptions{Add: true, Replace: true, Remove: true}); err != nil {
		lines := []string{err.Error()}
		if ue := (*Error)(nil); errors.As(err, &ue) {
			lines = ue.Errors
		}
		return &Error{Errors: lines, Fatal: "git update-index: unable to update " + name}
	}
	return nil
}

// parseOctal reads a whole field of octal digits that fits 32 bits.
func parseOctal(b []byte) (uint32, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '7' {
			return 0, false
		}
		v = v*8 + uint64(c-'0')
		if v > 0xffffffff {
			return 0, false
		}
	}
	return uint32(v), true
}

// unquoteC undoes git's C-style path quoting; text after the closing
// quote is ignored, as git ignores it.
func unquoteC(q []byte) (string, bool) {
	var out []byte
	i := 1
	for i < len(q) {
		c := q[i]
		i++
		switch c {
		case '"':
			return string(out), true
		case '\\':
		default:
			out = append(out, c)
			continue
		}
		if i >= len(q) {
			return "", false
		}
		c = q[i]
		i++
		switch c {
		case 'a':
			out = append(out, '\a')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, '\v')
		case '\\', '"':
			out = append(out, c)
		case '0', '1', '2', '3':
			if i+1 >= len(q) || !isOctal(q[i]) || !isOctal(q[i+1]) {
				return "", false
			}
			out = append(out, (c-'0')<<6|(q[i]-'0')<<3|(q[i+1]-'0'))
			i += 2
		default:
			return "", false
		}
	}
	return "", false
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
