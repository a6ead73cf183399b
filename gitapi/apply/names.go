package apply

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Git modes as they appear in patch headers.
const (
	ModeRegular    uint32 = 0o100644
	ModeExecutable uint32 = 0o100755
	ModeSymlink    uint32 = 0o120000
	ModeGitlink    uint32 = 0o160000
	modeDir        uint32 = 0o040000
	modeTypeMask   uint32 = 0o170000
)

func isGitSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func isDevNull(s string) bool {
	return strings.HasPrefix(s, "/dev/null") && len(s) > 9 && isGitSpace(s[9])
}

// squashSlashes collapses runs of "/" so that names compare as git's do.
func squashSlashes(name string) string {
	for strings.Contains(name, "//") {
		name = strings.ReplaceAll(name, "//", "/")
	}
	return name
}

// unquoteC decodes a C-style quoted name at the start of s (which begins
// with '"'), returning the name and the rest of s after the closing quote.
func unquoteC(s string) (string, string, bool) {
	if !strings.HasPrefix(s, "\"") {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), s[i+1:], true
		case c == '\n':
			return "", s, false
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", s, false
		}
		if esc := strings.IndexByte("abtnvfr\\\"", s[i]); esc >= 0 {
			b.WriteByte("\a\b\t\n\v\f\r\\\""[esc])
			continue
		}
		if i+2 < len(s) && isOctal(s[i]) && isOctal(s[i+1]) && isOctal(s[i+2]) && s[i] <= '3' {
			v, _ := strconv.ParseUint(s[i:i+3], 8, 8)
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		return "", s, false
	}
	return "", s, false
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// quoteC quotes a path the way git's quote_c_style does with the default
// core.quotePath, or returns it unchanged when no quoting is needed.
func quoteC(name string) string {
	need := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			need = true
			break
		}
	}
	if !need {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		c := name[i]
		if esc := strings.IndexByte("\a\b\t\n\v\f\r\\\"", c); esc >= 0 {
			b.WriteByte('\\')
			b.WriteByte("abtnvfr\\\""[esc])
		} else if c < 0x20 || c >= 0x7f {
			fmt.Fprintf(&b, "\\%03o", c)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// skipComponents drops p leading components ("a/", "b/") from name; it
// fails on absolute names and names with too few components.
func skipComponents(p int, name string) (string, bool) {
	if p == 0 {
		if strings.HasPrefix(name, "/") {
			return "", false
		}
		return name, true
	}
	for i := 0; i < len(name); i++ {
		if name[i] == '/' {
			p--
			if p <= 0 {
				if i == 0 {
					return "", false
				}
				return name[i+1:], true
			}
		}
	}
	return "", false
}

// gitHeaderName finds the name on a "diff --git" line when both sides are
// the same path, as git's git_header_name; renames yield "".
func gitHeaderName(p int, line string) string {
	line = strings.TrimPrefix(line, "diff --git ")
	line = strings.TrimSuffix(line, "\n")
	if strings.HasPrefix(line, "\"") {
		first, rest, ok := unquoteC(line)
		if !ok {
			return ""
		}
		first, ok = skipComponents(p, first)
		if !ok {
			return ""
		}
		rest = strings.TrimLeft(rest, " \t\r")
		if rest == "" {
			return ""
		}
		second := rest
		if strings.HasPrefix(rest, "\"") {
			if second, _, ok = unquoteC(rest); !ok {
				return ""
			}
		}
		if second, ok = skipComponents(p, second); !ok || second != first {
			return ""
		}
		return first
	}
	name, ok := skipComponents(p, line)
	if !ok {
		return ""
	}
	if q := strings.IndexByte(name, '"'); q >= 0 {
		second, _, ok := unquoteC(name[q:])
		if !ok {
			return ""
		}
		if second, ok = skipComponents(p, second); !ok {
			return ""
		}
		if len(second) < q && strings.HasPrefix(name, second) && isGitSpace(name[len(second)]) {
			return second
		}
		return ""
	}
	// Unquoted on both sides: accept a split where both halves agree.
	for n := 0; n < len(name); n++ {
		if name[n] != ' ' && name[n] != '\t' {
			continue
		}
		second, ok := skipComponents(p, name[n+1:])
		if !ok {
			continue
		}
		if second == name[:n] {
			return second
		}
	}
	return ""
}

// findName extracts a path from a "---"/"+++"/"rename from" line after
// dropping p components; terminateAtTab stops an unquoted name at a tab.
// def is preferred when the found name merely extends it ("file.orig").
func findName(root, line, def string, p int, terminateAtTab bool) string {
	line = strings.TrimSuffix(line, "\n")
	if strings.HasPrefix(line, "\"") {
		if name, _, ok := unquoteC(line); ok {
			if name, ok = stripForFind(p, name); ok {
				return squashSlashes(root + name)
			}
		}
	}
	// git ends the name at white space other than a space (and a tab
	// unless terminateAtTab is false): a CR of a CRLF patch ends it.
	stops := "\r\v\f"
	if terminateAtTab {
		stops += "\t"
	}
	if t := strings.IndexAny(line, stops); t >= 0 {
		line = line[:t]
	}
	return findNameCommon(root, line, def, p)
}

// stripForFind drops p components the way git's find_name_gnu does (no
// absolute-path check, unlike the "diff --git" line).
func stripForFind(p int, name string) (string, bool) {
	for ; p > 0; p-- {
		i := strings.IndexByte(name, '/')
		if i < 0 {
			return "", false
		}
		name = name[i+1:]
	}
	return name, true
}

func findNameCommon(root, name, def string, p int) string {
	start := -1
	if p == 0 {
		start = 0
	}
	for i := 0; i < len(name); i++ {
		if name[i] == '/' {
			p--
			if p == 0 {
				start = i + 1
			}
		}
	}
	if start < 0 || start >= len(name) {
		if def == "" {
			return ""
		}
		return squashSlashes(def)
	}
	found := name[start:]
	if def != "" && len(def) < len(found) && strings.HasPrefix(found, def) {
		return squashSlashes(def)
	}
	return squashSlashes(root + found)
}

var epochStamp = regexp.MustCompile(`^[0-2][0-9]:([0-5][0-9]):00(\.0+)? ([-+][0-2][0-9]:?[0-5][0-9])\n`)

// hasEpochTimestamp reports GNU diff's creation/deletion marker: a time
// stamp after the last tab that is the Unix epoch in some time zone.
func hasEpochTimestamp(line string) bool {
	nl := strings.IndexByte(line, '\n')
	if nl < 0 {
		return false
	}
	t := strings.LastIndexByte(line[:nl], '\t')
	if t < 0 {
		return false
	}
	stamp := line[t+1:]
	epochHour := 0
	switch {
	case strings.HasPrefix(stamp, "1969-12-31 "):
		epochHour = 24
	case strings.HasPrefix(stamp, "1970-01-01 "):
	default:
		return false
	}
	stamp = stamp[len("1970-01-01 "):]
	m := epochStamp.FindStringSubmatch(stamp)
	if m == nil {
		return false
	}
	hour, _ := strconv.Atoi(stamp[:2])
	minute, _ := strconv.Atoi(m[1])
	zone := m[3]
	sign := 1
	if zone[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(zone[1:], ":", "")
	zh, _ := strconv.Atoi(digits[:2])
	zm, _ := strconv.Atoi(digits[2:])
	offset := sign * (zh*60 + zm)
	return hour*60+minute-offset == epochHour*60
}

// guessStrip is git's guess_p_value for a traditional header line when -p
// was not given (run from the top of the tree): names without a slash mean
// -p0, anything else leaves the default.
func guessStrip(nameLine string) int {
	if isDevNull(nameLine) {
		return -1
	}
	name := findNameTraditional("", nameLine, "", 0)
	if name == "" {
		return -1
	}
	if !strings.Contains(name, "/") {
		return 0
	}
	return -1
}

// traditionalHeader reads the "--- "/"+++ " pair of a non-git diff at i.
func (s *scanner) traditionalHeader(i int, carry *filePatch) (*filePatch, error) {
	first := strings.TrimPrefix(s.lines[i], "--- ")
	second := strings.TrimPrefix(s.lines[i+1], "+++ ")
	if !s.pKnown {
		p, q := guessStrip(first), guessStrip(second)
		if p < 0 {
			p = q
		}
		if p >= 0 && p == q {
			s.p, s.pKnown = p, true
		}
	}
	root := s.opts.Directory
	p := &filePatch{isNew: -1, isDelete: -1, wsRule: s.rule, OldName: carry.OldName, NewName: carry.NewName}
	var name string
	switch {
	case isDevNull(first):
		p.isNew, p.isDelete = 1, 0
		name = findNameTraditional(root, second, "", s.p)
		p.NewName = name
	case isDevNull(second):
		p.isNew, p.isDelete = 0, 1
		name = findNameTraditional(root, first, "", s.p)
		p.OldName = name
	default:
		firstName := findNameTraditional(root, first, "", s.p)
		name = findNameTraditional(root, second, firstName, s.p)
		switch {
		case hasEpochTimestamp(first):
			p.isNew, p.isDelete = 1, 0
			p.NewName = name
		case hasEpochTimestamp(second):
			p.isNew, p.isDelete = 0, 1
			p.OldName = name
		default:
			p.OldName, p.NewName = name, name
		}
	}
	if name == "" {
		return nil, &parseError{Message: fmt.Sprintf("unable to find filename in patch at line %d", s.num(i))}
	}
	return p, nil
}

// gitHeader reads a "diff --git" header and its extended header lines. It
// returns nil when the line has no header lines after it (git skips it)
// and otherwise the index of the first line after the header.
func (s *scanner) gitHeader(i int, carry *filePatch) (*filePatch, int, error) {
	root := s.opts.Directory
	p := &filePatch{wsRule: s.rule, OldName: carry.OldName, NewName: carry.NewName, gitDiff: true}
	def := gitHeaderName(s.p, s.lines[i])
	if def != "" {
		def = root + def
	}
	j := i + 1
	for ; j < len(s.lines) && strings.HasSuffix(s.lines[j], "\n"); j++ {
		done, err := s.gitHeaderLine(p, j, s.num(i+1), def)
		if err != nil {
			return nil, 0, err
		}
		if done {
			break
		}
	}
	if p.OldName == "" && p.NewName == "" {
		if def == "" {
			return nil, 0, &parseError{Message: fmt.Sprintf("git diff header lacks filename information when removing %d leading pathname %s (line %d)",
				s.p, plural(s.p, "component", "components"), s.num(j))}
		}
		p.OldName, p.NewName = def, def
	}
	if (p.NewName == "" && p.isDelete == 0) || (p.OldName == "" && p.isNew == 0) {
		return nil, 0, &parseError{Message: fmt.Sprintf("git diff header lacks filename information (line %d)", s.num(j))}
	}
	if j == i+1 {
		// No header lines at all: git checks the names above, then
		// skips this line, keeping the names for the next header.
		carry.OldName, carry.NewName = p.OldName, p.NewName
		return nil, 0, nil
	}
	return p, j, nil
}

// setScore reads a (dis)similarity index as git does: the leading
// number, ignored above 100.
func (p *filePatch) setScore(v string) {
	if n := leadingUint(strings.TrimLeft(v, " \t\n\v\f\r")); n <= 100 {
		p.score = int(n)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// gitHeaderLine applies one extended header line; done reports the end of
// the header (a hunk or an unrecognised line).
//
// lineNo is what git reports for errors on any of these lines: the number
// of the first line after "diff --git", whichever line is at fault.
func (s *scanner) gitHeaderLine(p *filePatch, j, lineNo int, def string) (done bool, err error) {
	line := s.lines[j]
	// git's mode messages print the rest of the input from the mode on.
	after := func() string { return strings.Join(s.lines[j+1:], "") }
	root := s.opts.Directory
	renameStrip := s.p - 1
	if renameStrip < 0 {
		renameStrip = 0
	}
	cut := func(prefix string) (string, bool) {
		if strings.HasPrefix(line, prefix) {
			return line[len(prefix):], true
		}
		return "", false
	}
	if _, ok := cut("@@ -"); ok {
		return true, nil
	}
	if v, ok := cut("--- "); ok {
		return false, s.verifyName(&p.OldName, v, p.isNew == 1, "old", lineNo)
	}
	if v, ok := cut("+++ "); ok {
		return false, s.verifyName(&p.NewName, v, p.isDelete == 1, "new", lineNo)
	}
	if v, ok := cut("old mode "); ok {
		return false, parseModeLine(v, lineNo, &p.OldMode, after)
	}
	if v, ok := cut("new mode "); ok {
		return false, parseModeLine(v, lineNo, &p.NewMode, after)
	}
	if v, ok := cut("deleted file mode "); ok {
		p.isDelete, p.OldName = 1, def
		return false, parseModeLine(v, lineNo, &p.OldMode, after)
	}
	if v, ok := cut("new file mode "); ok {
		p.isNew, p.NewName = 1, def
		return false, parseModeLine(v, lineNo, &p.NewMode, after)
	}
	for _, h := range []struct {
		prefix       string
		copy, isFrom bool
	}{{"copy from ", true, true}, {"copy to ", true, false}, {"rename old ", false, true},
		{"rename new ", false, false}, {"rename from ", false, true}, {"rename to ", false, false}} {
		if v, ok := cut(h.prefix); ok {
			name := findName(root, v, "", renameStrip, false)
			if h.copy {
				p.IsCopy = true
			} else {
				p.IsRename = true
			}
			if h.isFrom {
				p.OldName = name
			} else {
				p.NewName = name
			}
			return false, nil
		}
	}
	if v, ok := cut("similarity index "); ok {
		p.setScore(v)
		return false, nil
	}
	if v, ok := cut("dissimilarity index "); ok {
		p.setScore(v)
		return false, nil
	}
	if v, ok := cut("index "); ok {
		return false, parseIndexLine(p, v, lineNo, after)
	}
	return true, nil
}

func (s *scanner) verifyName(name *string, line string, isNull bool, side string, lineNo int) error {
	if *name == "" && !isNull {
		*name = findName(s.opts.Directory, line, "", s.p, true)
		return nil
	}
	if *name != "" {
		if isNull {
			return &parseError{Message: fmt.Sprintf("git apply: bad git-diff - expected /dev/null, got %s on line %d", *name, lineNo)}
		}
		if another := findName(s.opts.Directory, line, "", s.p, true); another != *name {
			return &parseError{Message: fmt.Sprintf("git apply: bad git-diff - inconsistent %s filename on line %d", side, lineNo)}
		}
		return nil
	}
	if !isDevNull(line) {
		return &parseError{Message: fmt.Sprintf("git apply: bad git-diff - expected /dev/null on line %d", lineNo)}
	}
	return nil
}

// parseModeLine reads an octal mode as git 2.39's parse_mode_line: the
// value is kept as written (no canonicalisation) and, as C's strtoul into
// an unsigned int, saturates on overflow and then wraps to 32 bits.
func parseModeLine(v string, lineNo int, mode *uint32, after func() string) error {
	n := 0
	for n < len(v) && isOctal(v[n]) {
		n++
	}
	if n == 0 || n >= len(v) || !isGitSpace(v[n]) {
		return &parseError{Message: fmt.Sprintf("invalid mode on line %d: %s%s", lineNo, v, after())}
	}
	m, err := strconv.ParseUint(v[:n], 8, 64)
	if err != nil {
		m = ^uint64(0)
	}
	*mode = uint32(m)
	return nil
}

// parseIndexLine reads "index <old>..<new>[ <mode>]".
func parseIndexLine(p *filePatch, v string, lineNo int, after func() string) error {
	dots := strings.Index(v, "..")
	if dots < 0 || dots > 64 {
		return nil
	}
	oldID := v[:dots]
	rest := strings.TrimSuffix(v[dots+2:], "\n")
	newID, mode, hasMode := strings.Cut(rest, " ")
	if len(newID) > 64 {
		return nil
	}
	p.OldOID, p.NewOID = oldID, newID
	if hasMode {
		return parseModeLine(mode+"\n", lineNo, &p.OldMode, after)
	}
	return nil
}
