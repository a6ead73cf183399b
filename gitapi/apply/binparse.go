package apply

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// errStopParsing ends parsing quietly after a message has been printed:
// git's answer to a broken binary patch.
var errStopParsing = errors.New("stop parsing")

// binaryData checks the "literal"/"delta" hunks after "GIT binary patch"
// at line i as git's parse_binary does (line shape, base85, inflated
// size), printing git's messages. go-gitdiff decodes them again later.
func (s *scanner) binaryData(p *filePatch, i int) (int, error) {
	forward, next, err := s.binaryHunk(i)
	if err != nil {
		return 0, err
	}
	if forward == nil {
		fmt.Fprintf(&s.output, "error: unrecognized binary patch at line %d\n", s.num(i-1))
		return 0, errStopParsing
	}
	// The reverse hunk is optional, but must be sound when present.
	reverse, next, err := s.binaryHunk(next)
	p.binaryForward, p.binaryReverse = forward, reverse
	return next, err
}

// binaryHunk reads one hunk at line i, returning nil when line i names no
// method.
func (s *scanner) binaryHunk(i int) (frag *gitdiff.BinaryFragment, next int, err error) {
	header := s.line(i)
	var size string
	frag = &gitdiff.BinaryFragment{}
	switch {
	case strings.HasPrefix(header, "delta "):
		size, frag.Method = header[len("delta "):], gitdiff.BinaryPatchDelta
	case strings.HasPrefix(header, "literal "):
		size, frag.Method = header[len("literal "):], gitdiff.BinaryPatchLiteral
	default:
		return nil, i, nil
	}
	var data []byte
	for i++; ; i++ {
		line := s.line(i)
		if len(line) == 1 {
			// git takes any one-byte line as the closing blank line.
			break
		}
		chunk, bad := decodeBinaryLine(line)
		if bad != "" || chunk == nil {
			if bad != "" {
				fmt.Fprintf(&s.output, "error: %s\n", bad)
			}
			fmt.Fprintf(&s.output, "error: corrupt binary patch at line %d: %s\n", s.num(i), strings.TrimSuffix(line, "\n"))
			return nil, 0, errStopParsing
		}
		data = append(data, chunk...)
	}
	frag.Size = int64(min(leadingUint(size), 1<<62))
	if !inflatesTo(data, leadingUint(size), &s.output) {
		fmt.Fprintf(&s.output, "error: corrupt binary patch at line %d: \n", s.num(i))
		return nil, 0, errStopParsing
	}
	frag.RawData = data
	return frag, i + 1, nil
}

// decodeBinaryLine decodes one data line: a length letter and base85. A
// nil result is a malformed line; bad is a base85 message git prints.
func decodeBinaryLine(line string) (chunk []byte, bad string) {
	n := len(line)
	if n < 7 || (n-2)%5 != 0 {
		return nil, ""
	}
	maxLen := (n - 2) / 5 * 4
	var length int
	switch c := line[0]; {
	case 'A' <= c && c <= 'Z':
		length = int(c-'A') + 1
	case 'a' <= c && c <= 'z':
		length = int(c-'a') + 27
	default:
		return nil, ""
	}
	if maxLen < length || length <= maxLen-4 {
		return nil, ""
	}
	return decode85(line[1:], length)
}

const base85Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"

// decode85 is git's decode_85, with its messages.
func decode85(text string, length int) ([]byte, string) {
	out := make([]byte, 0, length)
	for length > 0 {
		var acc uint64
		for k := 0; k < 5; k++ {
			c := text[0]
			text = text[1:]
			d := strings.IndexByte(base85Alphabet, c)
			if d < 0 || c == 0 {
				return nil, fmt.Sprintf("invalid base85 alphabet %c", c)
			}
			acc = acc*85 + uint64(d)
		}
		if acc > 0xffffffff {
			return nil, fmt.Sprintf("invalid base85 sequence %.5s", text)
		}
		n := min(length, 4)
		for k := 0; k < n; k++ {
			out = append(out, byte(acc>>(24-8*k)))
		}
		length -= n
	}
	return out, ""
}

// inflatesTo reports whether data is a zlib stream of exactly size bytes;
// data errors are reported in zlib's words, as git's inflate wrapper does.
func inflatesTo(data []byte, size uint64, out io.Writer) bool {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, zlib.ErrHeader) {
			fmt.Fprintf(out, "error: inflate: data stream error (incorrect header check)\n")
		}
		return false
	}
	got, err := io.Copy(io.Discard, io.LimitReader(zr, int64(min(size, 1<<40))+1))
	switch {
	case errors.Is(err, zlib.ErrChecksum):
		fmt.Fprintf(out, "error: inflate: data stream error (incorrect data check)\n")
		return false
	case err != nil:
		return false
	}
	return uint64(got) == size
}

// leadingUint is C's strtoul for the digits at the start of s.
func leadingUint(s string) uint64 {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	v, err := strconv.ParseUint(s[:n], 10, 64)
	if err != nil && n > 0 {
		return ^uint64(0)
	}
	return v
}
