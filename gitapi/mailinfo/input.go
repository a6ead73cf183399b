package mailinfo

// mailReader reads the mail the way git's stdio-based reader does. The
// details matter for byte-identical output: a read that hits the end of
// input sets an end-of-file flag, and a later line read while the flag is
// set fails without touching the caller's buffer (so the last header line
// can be handed to the body code a second time, as git does).
type mailReader struct {
	data []byte
	pos  int
	eof  bool
}

// getc returns the next byte, or -1 (and sets the end-of-file flag).
func (r *mailReader) getc() int {
	if r.pos >= len(r.data) {
		r.eof = true
		return -1
	}
	c := r.data[r.pos]
	r.pos++
	return int(c)
}

// ungetc pushes back the byte getc returned and clears end-of-file.
func (r *mailReader) ungetc() {
	r.pos--
	r.eof = false
}

// wholeLine reads one line including its '\n' into *line. It reports false
// at end of input; *line is left alone when end-of-file was already seen and
// emptied otherwise.
func (r *mailReader) wholeLine(line *[]byte) bool {
	if r.eof {
		return false
	}
	if r.pos >= len(r.data) {
		r.eof = true
		*line = (*line)[:0]
		return false
	}
	rest := r.data[r.pos:]
	n := len(rest)
	for i, c := range rest {
		if c == '\n' {
			n = i + 1
			break
		}
	}
	if n == len(rest) && rest[n-1] != '\n' {
		r.eof = true
	}
	*line = append((*line)[:0], rest[:n]...)
	r.pos += n
	return true
}

// lineLF is wholeLine without the trailing '\n'.
func (r *mailReader) lineLF(line *[]byte) bool {
	if !r.wholeLine(line) {
		return false
	}
	if n := len(*line); n > 0 && (*line)[n-1] == '\n' {
		*line = (*line)[:n-1]
	}
	return true
}
