package apply

import (
	"fmt"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// image is a file as a list of lines (each with its "\n", except perhaps
// the last), with a mark on lines already produced by an earlier hunk:
// git never lets a later hunk match them.
type image struct {
	lines   []string
	patched []bool
}

func newImage(content []byte) *image {
	img := &image{lines: splitLines(content)}
	img.patched = make([]bool, len(img.lines))
	return img
}

func (img *image) bytes() []byte {
	return []byte(strings.Join(img.lines, ""))
}

// hunkText is a fragment's preimage and postimage as line lists.
type hunkText struct {
	pre, post []string
}

// removeFirst and removeLast drop a context line from both sides, which is
// how git reduces context when fuzzing.
func (h *hunkText) removeFirst() {
	h.pre, h.post = h.pre[1:], h.post[1:]
}

func (h *hunkText) removeLast() {
	h.pre, h.post = h.pre[:len(h.pre)-1], h.post[:len(h.post)-1]
}

// buildHunk splits a fragment into preimage and postimage lines. It also
// tracks, as git does for the blank-at-eof check, how many blank lines the
// hunk adds at its end (blank context lines do not interrupt the run) and
// the patch line of the first of them. With noAdd (--no-add) added lines
// are left out of the postimage.
func buildHunk(frag *gitdiff.TextFragment, info hunkInfo, rule wsRule, noAdd bool) (h hunkText, blankAtEnd, firstBlankLine int) {
	checkEOF := rule&wsBlankAtEOF != 0
	for k, l := range frag.Lines {
		switch l.Op {
		case gitdiff.OpContext:
			h.pre = append(h.pre, l.Line)
			h.post = append(h.post, l.Line)
			if !(checkEOF && l.Line != "" && isBlankLine(l.Line)) {
				blankAtEnd = 0
			}
		case gitdiff.OpDelete:
			h.pre = append(h.pre, l.Line)
			blankAtEnd = 0
		case gitdiff.OpAdd:
			if noAdd {
				blankAtEnd = 0
				continue
			}
			h.post = append(h.post, l.Line)
			if !(checkEOF && isBlankLine(l.Line)) {
				blankAtEnd = 0
				continue
			}
			if blankAtEnd == 0 {
				firstBlankLine = info.lineNumbers[k]
			}
			blankAtEnd++
		}
		if !strings.HasSuffix(l.Line, "\n") {
			// git counts the "\ No newline" line that follows as a
			// line that is neither blank context nor a blank addition.
			blankAtEnd = 0
		}
	}
	return h, blankAtEnd, firstBlankLine
}

// placement is where a hunk went: the expected line (moved up as leading
// context is dropped), the line found (-1 for none), and the context kept.
type placement struct {
	expected, found   int
	leading, trailing int
}

// place searches for the hunk, relaxing the anchors and then reducing
// context while -C allows, as the loop in git's apply_one_fragment.
func (a *applier) place(img *image, h *hunkText, info hunkInfo) placement {
	pl := placement{leading: int(info.leading), trailing: int(info.trailing)}
	if info.newPos > 0 {
		pl.expected = int(info.newPos) - 1
	}
	matchBeginning := info.oldPos == 0 || (info.oldPos == 1 && !a.opts.UnidiffZero)
	matchEnd := !a.opts.UnidiffZero && pl.trailing == 0
	for {
		pl.found = findPosition(img, h, pl.expected, matchBeginning, matchEnd)
		if pl.found >= 0 || (pl.leading <= a.minContext && pl.trailing <= a.minContext) {
			return pl
		}
		if matchBeginning || matchEnd {
			matchBeginning, matchEnd = false, false
			continue
		}
		// Reduce context as git does: the larger side, or both when equal.
		if pl.leading >= pl.trailing {
			h.removeFirst()
			pl.expected--
			pl.leading--
		}
		if pl.trailing > pl.leading {
			h.removeLast()
			pl.trailing--
		}
	}
}

// applyFragment places one hunk into img as git's apply_one_fragment does
// and reports what git prints. It returns false when the hunk finds no
// place.
func (a *applier) applyFragment(img *image, frag *gitdiff.TextFragment, info hunkInfo, nth int, rule wsRule) bool {
	h, blankAtEnd, firstBlankLine := buildHunk(frag, info, rule, a.opts.NoAdd)
	searched := strings.Join(h.pre, "")
	pl := a.place(img, &h, info)
	if pl.found < 0 {
		if a.opts.Verbose {
			a.printf("error: while searching for:\n%s\n", searched)
		}
		return false
	}
	if blankAtEnd > 0 && len(h.pre)+pl.found >= len(img.lines) && a.wsAction != wsNoWarn {
		a.recordWhitespaceError(wsBlankAtEOF, "+", firstBlankLine)
	}
	if offset := pl.found - pl.expected; a.opts.Verbose && offset != 0 {
		a.printf("Hunk #%d succeeded at %d (offset %d %s).\n", nth, pl.found+1, offset, plural(offset, "line", "lines"))
	}
	if pl.leading != int(info.leading) || pl.trailing != int(info.trailing) {
		a.printf("Context reduced to (%d/%d) to apply fragment at %d\n", pl.leading, pl.trailing, pl.found+1)
	}
	img.replace(pl.found, &h)
	return true
}

// findPosition searches for the preimage around line, alternating one line
// further forward and one further back, as git's find_pos.
func findPosition(img *image, h *hunkText, line int, matchBeginning, matchEnd bool) int {
	n := len(img.lines)
	if matchBeginning {
		line = 0
	} else if matchEnd {
		line = n - len(h.pre)
	}
	if line > n || line < 0 {
		// git compares as unsigned, so a negative start lands at the end.
		line = n
	}
	backwards, forwards, current := line, line, line
	for i := 0; ; i++ {
		if img.matches(h, current, matchBeginning, matchEnd) {
			return current
		}
		for {
			if backwards == 0 && forwards == n {
				return -1
			}
			if i&1 != 0 {
				if backwards == 0 {
					i++
					continue
				}
				backwards--
				current = backwards
			} else {
				if forwards == n {
					i++
					continue
				}
				forwards++
				current = forwards
			}
			break
		}
	}
}

// matches is git's match_fragment without whitespace fixing or ignoring:
// the preimage must agree with the image's lines at line, none of them
// already patched, respecting the beginning/end anchors.
func (img *image) matches(h *hunkText, line int, matchBeginning, matchEnd bool) bool {
	if len(h.pre)+line > len(img.lines) {
		return false
	}
	if matchEnd && len(h.pre)+line != len(img.lines) {
		return false
	}
	if matchBeginning && line != 0 {
		return false
	}
	for k, l := range h.pre {
		if img.patched[line+k] || lineHash(img.lines[line+k]) != lineHash(l) {
			return false
		}
	}
	return img.hasPrefixAt(line, h.pre, matchEnd)
}

// lineHash is git's hash_line: whitespace-blind and kept to 24 bits. Lines
// must agree by it one to one before their bytes are compared.
func lineHash(l string) uint32 {
	var h uint32
	for i := 0; i < len(l); i++ {
		if !isGitSpace(l[i]) {
			h = h*3 + uint32(l[i])
		}
	}
	return h & 0xffffff
}

// hasPrefixAt compares the preimage, as one byte string, with the image
// from line on: it must be a prefix of the rest of the image, or all of
// it when the hunk must match at the end. So a preimage line lacking its
// newline matches an image line that has one, as in git.
func (img *image) hasPrefixAt(line int, pre []string, matchEnd bool) bool {
	i, off := line, 0
	for _, p := range pre {
		for p != "" {
			if i >= len(img.lines) {
				return false
			}
			seg := img.lines[i][off:]
			n := min(len(seg), len(p))
			if seg[:n] != p[:n] {
				return false
			}
			p, off = p[n:], off+n
			if off == len(img.lines[i]) {
				i, off = i+1, 0
			}
		}
	}
	return !matchEnd || (i == len(img.lines) && off == 0)
}

// replace swaps the preimage at line for the postimage, marking the new
// lines as patched.
func (img *image) replace(line int, h *hunkText) {
	lines := make([]string, 0, len(img.lines)-len(h.pre)+len(h.post))
	lines = append(lines, img.lines[:line]...)
	lines = append(lines, h.post...)
	lines = append(lines, img.lines[line+len(h.pre):]...)
	patched := make([]bool, 0, len(lines))
	patched = append(patched, img.patched[:line]...)
	for range h.post {
		patched = append(patched, true)
	}
	patched = append(patched, img.patched[line+len(h.pre):]...)
	img.lines, img.patched = lines, patched
}

func (a *applier) printf(format string, args ...any) {
	fmt.Fprintf(&a.out, format, args...)
}
