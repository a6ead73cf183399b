package mailinfo

import "bytes"

type transferEncoding int

const (
	teNone transferEncoding = iota
	teQP
	teBase64
)

// parser is the state of one mailinfo run; its methods follow the order
// in which git walks a mail: headers, then body lines through the MIME
// boundaries, each line either going to the message or, from the first
// line that starts a patch, to the patch.
type parser struct {
	opts Options
	in   *mailReader

	mainHeaders   [hdrCount][]byte // from the mail's (and parts') headers
	inbodyHeaders [hdrCount][]byte // from "From:" etc. lines atop the body

	// boundaries is the stack of multipart boundaries ("--" + boundary);
	// boundaries[0] stays nil so that depth 0 means "not multipart".
	boundaries       [maxBoundaries][]byte
	depth            int
	charset          string
	transferEncoding transferEncoding
	formatFlowed     bool
	delsp            bool

	headerStage  bool   // still looking for in-body headers
	inbodyAccum  []byte // an in-body header being unfolded
	inPatch      bool   // a patch line was seen; the rest goes to patch
	message      []byte
	patch        []byte
	patchLines   int
	messageID    []byte
	haveQuotedCR bool

	name, email []byte
	inputError  bool
	diagnostics []string
}

func (p *parser) run() *Info {
	for {
		c := p.in.getc()
		if c < 0 {
			return &Info{Empty: true, Message: []byte{}, Patch: []byte{}}
		}
		if !isSpace(byte(c)) {
			break
		}
	}
	p.in.ungetc()

	var line []byte
	for p.readHeaderLine(&line) {
		p.checkHeader(line, &p.mainHeaders, true)
	}
	p.handleBody(line)
	return p.info()
}

// readHeaderLine reads one header, unfolding continuation lines. At the
// end of the headers it reports false, leaving the first body line (with
// trailing white space trimmed and '\n' re-added) in *line.
func (p *parser) readHeaderLine(line *[]byte) bool {
	if !p.in.lineLF(line) {
		return false
	}
	*line = rtrim(*line)
	if len(*line) == 0 || !isRFC2822Header(*line) {
		*line = append(*line, '\n')
		return false
	}
	var cont []byte
	for {
		peek := p.in.getc()
		if peek < 0 {
			break
		}
		p.in.ungetc()
		if peek != ' ' && peek != '\t' {
			break
		}
		if !p.in.lineLF(&cont) {
			break
		}
		cont[0] = ' '
		*line = append(*line, rtrim(cont)...)
	}
	return true
}

// isRFC2822Header reports whether line looks like a header: an mbox
// "From " line or a field name of printable non-colon characters
// followed by ':'.
func isRFC2822Header(line []byte) bool {
	if bytes.HasPrefix(line, []byte("From ")) || bytes.HasPrefix(line, []byte(">From ")) {
		return true
	}
	for _, c := range cstr(line) {
		if c == ':' {
			return true
		}
		if (33 <= c && c <= 57) || (59 <= c && c <= 126) {
			continue
		}
		break
	}
	return false
}

func (p *parser) isBoundary(line []byte) bool {
	b := p.boundaries[p.depth]
	return b != nil && bytes.HasPrefix(line, b)
}

// findBoundary skips lines up to the next boundary of the current part.
func (p *parser) findBoundary(line *[]byte) bool {
	for p.in.lineLF(line) {
		if p.isBoundary(*line) {
			return true
		}
	}
	return false
}

// handleBoundary handles a boundary line: an end boundary pops the stack
// and moves on to the enclosing part's next boundary; a part boundary
// reads the part's headers. It reports false when the body is over, and
// otherwise leaves the part's first line in *line.
func (p *parser) handleBoundary(line *[]byte) bool {
	// git hands a newline to the message or patch for the first end
	// boundary and an empty line for each further one.
	newline := []byte("\n")
	for {
		b := p.boundaries[p.depth]
		if !(len(*line) >= len(b)+2 && bytes.HasPrefix((*line)[len(b):], []byte("--"))) {
			break
		}
		p.boundaries[p.depth] = nil
		p.depth--
		if p.depth < 0 {
			p.errorf("Detected mismatched boundaries, can't recover")
			p.inputError = true
			p.depth = 0
			return false
		}
		p.filter(newline)
		newline = []byte{}
		if p.inputError {
			return false
		}
		if !p.findBoundary(line) {
			return false
		}
	}
	p.transferEncoding = teNone
	p.charset = ""
	for p.readHeaderLine(line) {
		p.checkHeader(*line, &p.mainHeaders, false)
	}
	if !p.in.lineLF(line) {
		return false
	}
	*line = append(*line, '\n')
	return true
}

func (p *parser) handleBody(line []byte) {
	var prev []byte
	if p.boundaries[p.depth] != nil && !p.findBoundary(&line) {
		return
	}
	for {
		if p.isBoundary(line) {
			if len(prev) > 0 {
				p.filter(prev)
				prev = nil
			}
			p.summarizeQuotedCR()
			p.haveQuotedCR = false
			if !p.handleBoundary(&line) {
				return
			}
		}
		prev = p.handleBodyLine(line, prev)
		if p.inputError {
			break
		}
		if !p.in.wholeLine(&line) {
			break
		}
	}
	if len(prev) > 0 {
		p.filter(prev)
	}
	p.summarizeQuotedCR()
	p.flushInbodyAccum()
}

// handleBodyLine undoes the transfer encoding of one raw body line and
// passes the complete lines on; it returns the pending partial line.
func (p *parser) handleBodyLine(line, prev []byte) []byte {
	switch p.transferEncoding {
	case teQP:
		line = decodeQ(line, false)
	case teBase64:
		line = decodeB(line)
	default:
		return p.filterFlowed(append([]byte(nil), line...), prev)
	}
	line = append(prev, line...)
	prev = nil
	for len(line) > 0 {
		n := bytes.IndexByte(line, '\n') + 1
		if n == 0 {
			// A partial line: keep it for the next raw line.
			return append(prev, line...)
		}
		prev = p.filterFlowed(append([]byte(nil), line[:n]...), prev)
		line = line[n:]
	}
	return prev
}

// filterFlowed handles CRLF line ends and, for format=flowed text,
// joins soft-broken lines (kept in prev until a hard break).
func (p *parser) filterFlowed(line, prev []byte) []byte {
	n := len(line)
	if !p.formatFlowed {
		if n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
			p.haveQuotedCR = true
			if p.opts.QuotedCR == QuotedCRStrip {
				line = append(line[:n-2], '\n')
			}
		}
		p.filter(line)
		return prev
	}
	if n > 0 && line[n-1] == '\n' {
		n--
		if n > 0 && line[n-1] == '\r' {
			n--
		}
	}
	if n == 3 && bytes.HasPrefix(line, []byte("-- ")) {
		// The signature separator stays as it is.
		if len(prev) > 0 {
			p.filter(prev)
			prev = nil
		}
		p.filter(line)
		return prev
	}
	if n > 0 && line[0] == ' ' {
		line = line[1:]
		n--
	}
	if n > 0 && line[n-1] == ' ' {
		if p.delsp {
			n--
		}
		return append(prev, line[:n]...)
	}
	p.filter(append(prev, line...))
	return nil
}

func (p *parser) summarizeQuotedCR() {
	if p.haveQuotedCR && p.opts.QuotedCR == QuotedCRWarn {
		p.diagnostics = append(p.diagnostics, "warning: quoted CRLF detected")
	}
}

// filter sends a line to the message until a line starts the patch.
func (p *parser) filter(line []byte) {
	if !p.inPatch {
		if !p.handleMessageLine(&line) {
			return
		}
		p.inPatch = true
	}
	p.patch = append(p.patch, line...)
	p.patchLines++
}

// handleMessageLine adds a line to the commit message, or takes it as an
// in-body header or scissors line. It reports true when the line starts
// the patch instead.
func (p *parser) handleMessageLine(line *[]byte) bool {
	if p.headerStage && (len(*line) == 0 || string(*line) == "\n") {
		if len(p.inbodyAccum) > 0 {
			p.flushInbodyAccum()
			p.headerStage = false
		}
		return false
	}
	if !p.opts.NoInbodyHeaders && p.headerStage {
		p.headerStage = p.checkInbodyHeader(*line)
		if p.headerStage {
			return false
		}
	} else {
		p.headerStage = false
	}
	converted, ok := p.convertToUTF8(*line, p.charset)
	if !ok {
		return false
	}
	*line = converted
	if p.opts.Scissors && isScissorsLine(*line) {
		// Everything above the scissors is discarded, in-body headers
		// included.
		p.message = p.message[:0]
		p.headerStage = true
		p.inbodyHeaders = [hdrCount][]byte{}
		return false
	}
	if isPatchBreak(*line) {
		if p.messageID != nil {
			p.message = append(p.message, "Message-Id: "...)
			p.message = append(p.message, cstr(p.messageID)...)
			p.message = append(p.message, '\n')
		}
		return true
	}
	p.message = append(p.message, *line...)
	return false
}

// checkInbodyHeader reports whether line is (part of) an in-body header.
func (p *parser) checkInbodyHeader(line []byte) bool {
	first := at(line, 0)
	if len(p.inbodyAccum) > 0 && (first == ' ' || first == '\t') {
		if p.opts.Scissors && isScissorsLine(line) {
			p.flushInbodyAccum()
			return false
		}
		p.inbodyAccum = bytes.TrimSuffix(p.inbodyAccum, []byte("\n"))
		p.inbodyAccum = append(p.inbodyAccum, line...)
		return true
	}
	p.flushInbodyAccum()
	if bytes.HasPrefix(line, []byte(">From")) && isSpace(at(line, 5)) {
		return isFormatPatchSeparator(line[1:])
	}
	if bytes.HasPrefix(line, []byte("[PATCH]")) && isSpace(at(line, 7)) {
		p.inbodyHeaders[hdrSubject] = append([]byte(nil), line...)
		return true
	}
	for i, name := range headerNames {
		if p.inbodyHeaders[i] == nil {
			if _, ok := skipHeader(line, name); ok {
				p.inbodyAccum = append(p.inbodyAccum, line...)
				return true
			}
		}
	}
	return false
}

func (p *parser) flushInbodyAccum() {
	if len(p.inbodyAccum) == 0 {
		return
	}
	p.checkHeader(p.inbodyAccum, &p.inbodyHeaders, false)
	p.inbodyAccum = nil
}

// isFormatPatchSeparator recognises the "From <sha1> Mon Sep 17 00:00:00
// 2001" line that starts each mail of git format-patch.
func isFormatPatchSeparator(line []byte) bool {
	const tail = " Mon Sep 17 00:00:00 2001\n"
	if len(line) != len("From ")+40+len(tail) || !bytes.HasPrefix(line, []byte("From ")) {
		return false
	}
	for _, c := range line[5:45] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return string(line[45:]) == tail
}

// isPatchBreak reports whether line starts the patch: a "diff -" or CVS
// "Index: " line, "--- <file>", or a "---" separator line.
func isPatchBreak(line []byte) bool {
	if bytes.HasPrefix(line, []byte("diff -")) || bytes.HasPrefix(line, []byte("Index: ")) {
		return true
	}
	if len(line) < 4 || !bytes.HasPrefix(line, []byte("---")) {
		return false
	}
	if line[3] == ' ' && !isSpace(at(line, 4)) {
		return true
	}
	for _, c := range line[3:] {
		if c == '\n' {
			return true
		}
		if !isSpace(c) {
			break
		}
	}
	return false
}

// isScissorsLine recognises a "-- >8 --" cut line: dashes and scissors
// marks (>8 8< >% %<) filling more than a third of the visible line.
func isScissorsLine(line []byte) bool {
	line = cstr(line)
	scissors, gap, perforation := 0, 0, 0
	first, last := -1, -1
	inPerforation := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if isSpace(c) {
			if inPerforation {
				perforation++
				gap++
			}
			continue
		}
		last = i
		if first < 0 {
			first = i
		}
		if c == '-' {
			inPerforation = true
			perforation++
			continue
		}
		if pair := string(line[i:min(i+2, len(line))]); pair == ">8" || pair == "8<" || pair == ">%" || pair == "%<" {
			inPerforation = true
			perforation += 2
			scissors += 2
			i++
			continue
		}
		inPerforation = false
	}
	visible := 0
	if first >= 0 {
		visible = last - first + 1
	}
	return scissors > 0 && visible >= 8 && visible < perforation*3 && gap*2 < perforation
}

// info assembles the result the way git prints it: in-body headers win
// over mail headers, but only when there is a patch.
func (p *parser) info() *Info {
	info := &Info{Message: p.message, Patch: p.patch}
	if info.Message == nil {
		info.Message = []byte{}
	}
	if info.Patch == nil {
		info.Patch = []byte{}
	}
	for i, name := range headerNames {
		hdr := p.mainHeaders[i]
		if p.patchLines > 0 && p.inbodyHeaders[i] != nil {
			hdr = p.inbodyHeaders[i]
		}
		if hdr == nil {
			continue
		}
		if bytes.IndexByte(hdr, 0) >= 0 {
			p.errorf("a NUL byte in '%s' is not allowed.", name)
			p.inputError = true
		}
		switch i {
		case hdrSubject:
			info.HasSubject = true
			if !p.opts.KeepSubject {
				hdr = cleanupSpace(p.cleanupSubject(hdr))
			}
			info.Subject = hdr
		case hdrFrom:
			info.HasAuthor = true
			p.handleFrom(cleanupSpace(hdr))
			info.Author, info.Email = nonNil(p.name), nonNil(p.email)
		default:
			info.HasDate = true
			info.Date = cleanupSpace(hdr)
		}
	}
	info.Diagnostics = p.diagnostics
	info.Failed = p.inputError
	return info
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
