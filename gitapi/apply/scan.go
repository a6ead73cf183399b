package apply

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// parseOptions control how patch text is split into per-file patches and
// how path names are derived from the headers.
type parseOptions struct {
	// StripComponents is git apply's -p value. Negative means "not given":
	// git's default of 1, with git's guess for traditional (non-git) diffs.
	StripComponents int
	// Directory is git apply's --directory: a root prepended to every path.
	Directory string
	// InputName labels whitespace warnings ("<stdin>" when empty).
	InputName string
	// WhitespaceErrorsBefore and LinesBefore are the Options fields.
	WhitespaceErrorsBefore, LinesBefore int
	// Prefix, Use and Verbose are Options.Prefix, Options.Use and
	// Options.Verbose: which patches are skipped, and whether that is
	// said.
	Prefix  string
	Use     func(path string) bool
	Verbose bool
}

// filePatch is the change to one file: go-gitdiff's parse of the text
// hunks, plus what git derives itself (path names after -p and
// --directory, tri-state creation and deletion, binary data, and the patch
// line numbers used in git's messages).
type filePatch struct {
	// File is go-gitdiff's parse of this file's section of the patch.
	File *gitdiff.File
	// OldName and NewName are the paths after -p and --directory; empty
	// when the side does not exist (creation or deletion).
	OldName, NewName string
	// OldMode and NewMode are the git modes from the headers, 0 if absent.
	OldMode, NewMode uint32
	// IsRename and IsCopy come from git's extended headers.
	IsRename, IsCopy bool
	// OldOID and NewOID are the abbreviated ids from the index line.
	OldOID, NewOID string
	// gitDiff is set for a "diff --git" patch, whose names are relative
	// to the top of the tree wherever git apply runs.
	gitDiff bool
	// skip is set for a patch git apply leaves out (see decideUse).
	skip bool
	// linesAdded and linesDeleted count the "+" and "-" lines of the
	// text hunks; score is the similarity (or dissimilarity) index.
	linesAdded, linesDeleted, score int

	isNew, isDelete int // -1 unknown (traditional diffs), 0 no, 1 yes
	isBinary        bool
	// binaryForward and binaryReverse are the decoded "GIT binary patch"
	// hunks (nil when absent).
	binaryForward, binaryReverse *gitdiff.BinaryFragment
	hunks                        []hunkInfo
	// wsRule is the whitespace rule in force for this file: the caller's
	// rule plus cr-at-eol once the old side is seen to use CRLF.
	wsRule wsRule
}

// hunkInfo records, for one text fragment, the patch line number of its
// "@@" header and of each of its body lines ("\ No newline" lines excluded).
type hunkInfo struct {
	headerLine  int
	lineNumbers []int
	oldPos      int64
	newPos      int64
	leading     int64
	trailing    int64
}

// parseError is a patch that git apply refuses to parse (exit code 128).
type parseError struct {
	// Message is git's message without the "error: " prefix.
	Message string
}

func (e *parseError) Error() string { return e.Message }

// scanner walks the patch text line by line the way git's find_header and
// parse_fragment do, so that file boundaries and line numbers agree with git.
type scanner struct {
	lines      []string
	opts       parseOptions
	pKnown     bool
	p          int
	rule       wsRule
	action     wsAction
	wsErrors   int
	wsSquelch  int
	output     strings.Builder
	inputLabel string
	// suffixBytes[i] is the input size from line i on (built on first use).
	suffixBytes []int
	// skew is added to line numbers in messages (see num).
	skew int
	// skipped counts the patches left out (see decideUse).
	skipped int
	// stop is the line at which git's last search for a header gave up
	// (see finalStop): the lines before it are the lines git counted.
	stop int
}

// splitLines cuts text into lines that keep their "\n" (the last may
// lack it). The lines share one string, so this allocates twice.
func splitLines(text []byte) []string {
	all := string(text)
	lines := make([]string, 0, strings.Count(all, "\n")+1)
	for all != "" {
		i := strings.IndexByte(all, '\n')
		if i < 0 {
			lines = append(lines, all)
			break
		}
		lines = append(lines, all[:i+1])
		all = all[i+1:]
	}
	return lines
}

// parsePatches splits patch text into per-file patches exactly where git
// apply would and parses each one. What git prints while parsing
// (whitespace warnings, some errors) collects in the returned scanner's
// output.
func parsePatches(text []byte, opts parseOptions, rule wsRule, action wsAction, squelch int) ([]*filePatch, *scanner, error) {
	s := &scanner{lines: splitLines(text), opts: opts, p: 1, rule: rule, action: action, wsSquelch: squelch, wsErrors: opts.WhitespaceErrorsBefore, skew: opts.LinesBefore}
	if opts.StripComponents >= 0 {
		s.p, s.pKnown = opts.StripComponents, true
	}
	s.inputLabel = opts.InputName
	if s.inputLabel == "" {
		s.inputLabel = "<stdin>"
	}
	if opts.Directory != "" && !strings.HasSuffix(opts.Directory, "/") {
		s.opts.Directory += "/"
	}
	var patches []*filePatch
	i := 0
	s.stop = len(s.lines)
	for i < len(s.lines) {
		p, start, next, err := s.nextPatch(i)
		if err == errStopParsing {
			// git stops reading at a broken binary patch but applies
			// the patches before it.
			break
		}
		if err != nil {
			return nil, s, err
		}
		if p == nil {
			s.stop = s.finalStop(i)
			break
		}
		if err := s.attachGitdiff(p, start, next); err != nil {
			return nil, s, err
		}
		i = next
		if p.skip {
			if s.opts.Verbose {
				s.output.WriteString("Skipped patch '" + patchName(p) + "'.\n")
			}
			s.skipped++
			continue
		}
		patches = append(patches, p)
	}
	return patches, s, nil
}

// decideUse is git's prefix_patch and use_patch, done between a file's
// header and its hunks: a non-git diff's names are taken from the
// subdirectory, then a file outside it, or refused by Use, is marked to
// be skipped, and its lines are not checked for whitespace errors.
func (s *scanner) decideUse(p *filePatch) {
	prefix := s.opts.Prefix
	if prefix != "" && !p.gitDiff {
		for _, name := range []*string{&p.OldName, &p.NewName} {
			if *name != "" && !strings.HasPrefix(*name, "/") {
				*name = prefix + *name
			}
		}
	}
	path := p.NewName
	if path == "" {
		path = p.OldName
	}
	rest, inside := strings.CutPrefix(path, prefix)
	use := (prefix == "" || (inside && rest != "")) && (s.opts.Use == nil || s.opts.Use(path))
	if !use {
		p.skip, p.wsRule = true, 0
	}
}

// finalStop is where git's find_header, searching from line i for a
// header that is not there, stops counting lines: at the first line of 6
// bytes or more (other than a "@@ -" line that is no hunk header) with
// fewer than 6 bytes of input after it, else at the end.
func (s *scanner) finalStop(i int) int {
	for ; i < len(s.lines); i++ {
		l := s.lines[i]
		if len(l) >= 6 && !strings.HasPrefix(l, "@@ -") && s.bytesFrom(i+1) < 6 {
			return i
		}
	}
	return i
}

// linesRead is the line number git has reached after this input.
func (s *scanner) linesRead() int { return s.stop + s.skew }

// num is the line number git reports for line index i: git counts one
// line twice after a "diff --git" line that it skips for having no header
// lines after it, and every later number carries that skew.
func (s *scanner) num(i int) int {
	return i + 1 + s.skew
}

// bytesFrom is the size of the input from line i to the end.
func (s *scanner) bytesFrom(i int) int {
	if s.suffixBytes == nil {
		s.suffixBytes = make([]int, len(s.lines)+1)
		for k := len(s.lines) - 1; k >= 0; k-- {
			s.suffixBytes[k] = s.suffixBytes[k+1] + len(s.lines[k])
		}
	}
	return s.suffixBytes[i]
}

func (s *scanner) line(i int) string {
	if i < len(s.lines) {
		return s.lines[i]
	}
	return ""
}

// nextPatch finds the next file header at or after line i and consumes its
// hunks. It returns the patch, the first line after its header, and the
// line after its last hunk.
func (s *scanner) nextPatch(i int) (*filePatch, int, int, error) {
	// git fills one patch record while it searches; names set by a skipped
	// "diff --git" line stay in it for the header that follows.
	carry := &filePatch{}
	for ; i < len(s.lines); i++ {
		l := s.lines[i]
		if len(l) < 6 {
			continue
		}
		if strings.HasPrefix(l, "@@ -") {
			if _, ok := parseHunkHeader(l); ok {
				return nil, 0, 0, &parseError{Message: fmt.Sprintf("patch fragment without header at line %d: %s", s.num(i), strings.TrimSuffix(l, "\n"))}
			}
			continue
		}
		if i+1 >= len(s.lines) {
			break
		}
		if strings.HasPrefix(l, "diff --git ") {
			p, body, err := s.gitHeader(i, carry)
			if err != nil {
				return nil, 0, 0, err
			}
			if p == nil {
				s.skew++
				continue
			}
			s.decideUse(p)
			next, err := s.body(p, body)
			return p, body, next, err
		}
		if !strings.HasPrefix(l, "--- ") || !strings.HasPrefix(s.line(i+1), "+++ ") {
			continue
		}
		// git only asks for 14 more bytes of input than the "+++" line
		// holds, counted from the "---" line, before looking for "@@ -".
		if s.bytesFrom(i) < len(s.line(i+1))+14 || !strings.HasPrefix(s.line(i+2), "@@ -") {
			continue
		}
		p, err := s.traditionalHeader(i, carry)
		if err != nil {
			return nil, 0, 0, err
		}
		s.decideUse(p)
		next, err := s.body(p, i+2)
		return p, i + 2, next, err
	}
	return nil, 0, 0, nil
}

// body consumes the hunks (or binary data) starting at line i.
func (s *scanner) body(p *filePatch, i int) (int, error) {
	var oldLines, newLines, context int64
	for strings.HasPrefix(s.line(i), "@@ -") && len(s.line(i)) > 4 {
		h, next, err := s.hunk(p, i)
		if err != nil {
			return 0, err
		}
		p.hunks = append(p.hunks, h.hunkInfo)
		p.linesAdded += h.added
		p.linesDeleted += h.deleted
		oldLines += h.oldCount
		newLines += h.newCount
		context += h.leading + h.trailing
		i = next
	}
	if p.isNew < 0 && (oldLines > 0 || len(p.hunks) > 1) {
		p.isNew = 0
	}
	if p.isDelete < 0 && (newLines > 0 || len(p.hunks) > 1) {
		p.isDelete = 0
	}
	if p.isNew > 0 && oldLines > 0 {
		return 0, &parseError{Message: fmt.Sprintf("new file %s depends on old contents", p.NewName)}
	}
	if p.isDelete > 0 && newLines > 0 {
		return 0, &parseError{Message: fmt.Sprintf("deleted file %s still has contents", p.OldName)}
	}
	if p.isDelete == 0 && newLines == 0 && context > 0 {
		s.output.WriteString(fmt.Sprintf("** warning: file %s becomes empty but is not deleted\n", p.NewName))
	}
	if len(p.hunks) > 0 {
		return i, nil
	}
	return s.binaryBody(p, i)
}

// binaryBody consumes "GIT binary patch" data or a "Binary files differ"
// line; a patch with neither and no metadata change is garbage to git.
func (s *scanner) binaryBody(p *filePatch, i int) (int, error) {
	l := s.line(i)
	switch {
	case l == "GIT binary patch\n":
		p.isBinary = true
		return s.binaryData(p, i+1)
	case strings.HasSuffix(l, " differ\n") && (strings.HasPrefix(l, "Binary files ") || strings.HasPrefix(l, "Files ")):
		p.isBinary = true
		return i + 1, nil
	}
	if !p.metadataChanges() {
		return 0, &parseError{Message: fmt.Sprintf("patch with only garbage at line %d", s.num(i))}
	}
	return i, nil
}

func (p *filePatch) metadataChanges() bool {
	return p.IsRename || p.IsCopy || p.isNew > 0 || p.isDelete != 0 ||
		(p.OldMode != 0 && p.NewMode != 0 && p.OldMode != p.NewMode)
}

type hunkCounts struct {
	oldPos, oldCount, newPos, newCount int64
}

// parseHunkHeader reads "@@ -a,b +c,d @@" as git's parse_fragment_header.
func parseHunkHeader(l string) (hunkCounts, bool) {
	var h hunkCounts
	if !strings.HasSuffix(l, "\n") || !strings.HasPrefix(l, "@@ -") {
		return h, false
	}
	rest, ok := parseRange(l[4:], " +", &h.oldPos, &h.oldCount)
	if !ok {
		return h, false
	}
	if _, ok = parseRange(rest, " @@", &h.newPos, &h.newCount); !ok {
		return h, false
	}
	return h, true
}

func parseRange(s, expect string, pos, count *int64) (string, bool) {
	n := leadingDigits(s)
	if n == 0 {
		return "", false
	}
	*pos, _ = strconv.ParseInt(s[:n], 10, 64)
	s = s[n:]
	*count = 1
	if strings.HasPrefix(s, ",") {
		m := leadingDigits(s[1:])
		if m == 0 {
			return "", false
		}
		*count, _ = strconv.ParseInt(s[1:1+m], 10, 64)
		s = s[1+m:]
	}
	if !strings.HasPrefix(s, expect) {
		return "", false
	}
	return s[len(expect):], true
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && n < 18 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

type scannedHunk struct {
	hunkInfo
	oldCount, newCount int64
	// added and deleted count the hunk's "+" and "-" lines.
	added, deleted int
}

// hunk consumes one fragment starting at its header line i, checking added
// lines for whitespace errors as git's parse_fragment does.
func (s *scanner) hunk(p *filePatch, i int) (scannedHunk, int, error) {
	corrupt := func(at int) error {
		return &parseError{Message: fmt.Sprintf("corrupt patch at line %d", s.num(at))}
	}
	counts, ok := parseHunkHeader(s.line(i))
	if !ok {
		return scannedHunk{}, 0, corrupt(i)
	}
	h := scannedHunk{hunkInfo: hunkInfo{headerLine: s.num(i), oldPos: counts.oldPos, newPos: counts.newPos}, oldCount: counts.oldCount, newCount: counts.newCount}
	oldLeft, newLeft := counts.oldCount, counts.newCount
	var added, deleted int
	j := i + 1
	for ; j < len(s.lines) && (oldLeft != 0 || newLeft != 0); j++ {
		l := s.lines[j]
		if !strings.HasSuffix(l, "\n") {
			return h, 0, corrupt(j)
		}
		switch l[0] {
		case '\n', ' ':
			oldLeft--
			newLeft--
			if added == 0 && deleted == 0 {
				h.leading++
			}
			h.trailing++
			s.noteOldLine(p, l)
		case '-':
			s.noteOldLine(p, l)
			deleted++
			oldLeft--
			h.trailing = 0
		case '+':
			s.checkWhitespace(p, l, s.num(j))
			added++
			newLeft--
			h.trailing = 0
		case '\\':
			if len(l) < 12 || !strings.HasPrefix(l, "\\ ") {
				return h, 0, corrupt(j)
			}
			continue
		default:
			return h, 0, corrupt(j)
		}
		h.lineNumbers = append(h.lineNumbers, s.num(j))
	}
	if oldLeft != 0 || newLeft != 0 || (added == 0 && deleted == 0) {
		return h, 0, corrupt(j)
	}
	h.added, h.deleted = added, deleted
	// A "\\ No newline" line right after the counts run out belongs to the
	// hunk; git takes it without counting it in its line numbers (and
	// only when more than 12 bytes of input remain).
	if j < len(s.lines) && s.bytesFrom(j) > 12 && strings.HasPrefix(s.lines[j], "\\ ") {
		j++
		s.skew--
	}
	return h, j, nil
}

// noteOldLine mirrors git's check_old_for_crlf: once the old side of a file
// is seen with CRLF endings, a CR at end of line is not a whitespace error.
func (s *scanner) noteOldLine(p *filePatch, l string) {
	if strings.HasSuffix(l, "\r\n") {
		p.wsRule |= wsCRAtEOL
	}
}

func (s *scanner) checkWhitespace(p *filePatch, l string, lineNo int) {
	if s.action == wsNoWarn {
		return
	}
	result := wsCheck(l[1:], p.wsRule)
	s.recordWhitespaceError(result, strings.TrimSuffix(l[1:], "\n"), lineNo)
}

func (s *scanner) recordWhitespaceError(result wsRule, text string, lineNo int) {
	if result == 0 {
		return
	}
	s.wsErrors++
	if s.wsSquelch > 0 && s.wsSquelch < s.wsErrors {
		return
	}
	fmt.Fprintf(&s.output, "%s:%d: %s.\n%s\n", s.inputLabel, lineNo, wsErrorString(result), text)
}

// attachGitdiff has go-gitdiff parse this patch's hunks (lines start to
// end, after the header) and fills in the rest of its File. The header was
// read here with git's rules, so go-gitdiff sees a neutral one instead: its
// own header parsing differs from git's for -p other than 1 and for some
// names. Binary data was decoded here too, with git's checks and messages.
func (s *scanner) attachGitdiff(p *filePatch, start, end int) error {
	f := &gitdiff.File{IsBinary: p.isBinary, BinaryFragment: p.binaryForward, ReverseBinaryFragment: p.binaryReverse}
	if len(p.hunks) > 0 {
		section := "diff --git a/x b/x\n--- a/x\n+++ b/x\n" + strings.Join(s.lines[start:end], "")
		files, _, err := gitdiff.Parse(strings.NewReader(section))
		if err != nil || len(files) != 1 {
			return &parseError{Message: fmt.Sprintf("corrupt patch at line %d", s.num(start))}
		}
		f = files[0]
	}
	if len(f.TextFragments) != len(p.hunks) {
		return &parseError{Message: fmt.Sprintf("corrupt patch at line %d", s.num(start))}
	}
	for k, frag := range f.TextFragments {
		if len(frag.Lines) != len(p.hunks[k].lineNumbers) {
			return &parseError{Message: fmt.Sprintf("corrupt patch at line %d", p.hunks[k].headerLine)}
		}
	}
	f.OldName, f.NewName = p.OldName, p.NewName
	f.IsNew, f.IsDelete, f.IsRename, f.IsCopy = p.isNew > 0, p.isDelete > 0, p.IsRename, p.IsCopy
	f.OldMode, f.NewMode = os.FileMode(p.OldMode), os.FileMode(p.NewMode)
	f.OldOIDPrefix, f.NewOIDPrefix = p.OldOID, p.NewOID
	p.File = f
	return nil
}
