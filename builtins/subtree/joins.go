package subtree

import (
	"fmt"
	"strings"
)

// joinScan walks the log text of git-subtree:418-419 and 476-477 (START
// %H, subject, body, END per commit) line by line, as the script's
// `while read a b junk` loop does.
type joinScan struct {
	text string
}

// next is one `read a b junk`: false at the end of the text.
func (j *joinScan) next() (a, b, junk string, ok bool) {
	if j.text == "" {
		return "", "", "", false
	}
	line, complete := readLogical(&j.text)
	if !complete {
		return "", "", "", false
	}
	fields := splitRead(line, 3)
	return fields[0], fields[1], fields[2], true
}

// splitTrailer is process_subtree_split_trailer (git-subtree:375-401): the
// commit a git-subtree-split trailer names, fetched from repository if
// it is not here.
func (s *subtree) splitTrailer(b, sq, repository string) (string, error) {
	failMsg := "fatal: could not rev-parse split hash " + b + " from commit " + sq
	sub, code := s.gitOutput("rev-parse", "--verify", "--quiet", b+"^{commit}")
	if code == 0 {
		return sub, nil
	}
	if repository != "" {
		s.git(s.in, s.out, s.err, "fetch", repository, b)
		sub, code = s.gitOutput("rev-parse", "--verify", "--quiet", b+"^{commit}")
		if code != 0 {
			return "", s.die(failMsg)
		}
		return sub, nil
	}
	return "", s.die(failMsg + "\nhint: hash might be a tag, try fetching it from the subtree repository:\nhint:    git fetch <subtree-repository> " + b)
}

// findLatestSquash is find_latest_squash (git-subtree:404-454): "SQ SUB"
// for the newest squash or rejoin of dir reachable from HEAD, or "".
func (s *subtree) findLatestSquash(dir, repository string) (string, error) {
	s.debug(fmt.Sprintf("Looking for latest squash (dir=%s, repository=%s)...", dir, repository))
	s.indent++
	defer func() { s.indent-- }()
	text, err := s.logJoins("^git-subtree-dir: "+dir+"/*$", "HEAD")
	if err != nil {
		return "", err
	}
	var sq, main, sub string
	scan := &joinScan{text: text}
	for {
		a, b, junk, ok := scan.next()
		if !ok {
			return "", nil
		}
		s.debug(a + " " + b + " " + junk)
		s.debug("{{" + sq + "/" + main + "/" + sub + "}}")
		switch a {
		case "START":
			sq = b
		case "git-subtree-mainline:":
			main = b
		case "git-subtree-split:":
			if sub, err = s.splitTrailer(b, sq, repository); err != nil {
				return "", err
			}
		case "END":
			if sub != "" {
				if main != "" {
					// a rejoin: its second parent stands for the squash
					out, code := s.gitOutput("rev-parse", "--verify", sq+"^2")
					if code != 0 {
						return "", s.die("")
					}
					sq = out
				}
				s.debug("Squash found: " + sq + " " + sub)
				return sq + " " + sub, nil
			}
			sq, main, sub = "", "", ""
		}
	}
}

// findExistingSplits is find_existing_splits (git-subtree:457-511): the
// cache learns every earlier split and squash of dir behind rev, and
// the revisions to leave out of the walk come back.
func (s *subtree) findExistingSplits(dir, rev, repository string) ([]string, error) {
	s.debug("Looking for prior splits...")
	s.indent++
	defer func() { s.indent-- }()
	grep := "^git-subtree-dir: " + dir + "/*$"
	if s.opts.ignoreJoins {
		grep = "^Add '" + dir + "/' from commit '"
	}
	text, err := s.logJoins(grep, rev)
	if err != nil {
		return nil, err
	}
	var unrevs []string
	var sq, main, sub string
	scan := &joinScan{text: text}
	for {
		a, b, _, ok := scan.next()
		if !ok {
			return unrevs, nil
		}
		switch a {
		case "START":
			sq = b
		case "git-subtree-mainline:":
			main = b
		case "git-subtree-split:":
			if sub, err = s.splitTrailer(b, sq, repository); err != nil {
				return nil, err
			}
		case "END":
			s.debug("Main is: '" + main + "'")
			if main == "" && sub != "" {
				s.debug("  Squash: " + sq + " from " + sub)
				if err := s.cacheSet(sq, sub); err != nil {
					return nil, err
				}
			}
			if main != "" && sub != "" {
				s.debug("  Prior: " + main + " -> " + sub)
				if err := s.cacheSet(main, sub); err != nil {
					return nil, err
				}
				if err := s.cacheSet(sub, sub); err != nil {
					return nil, err
				}
				for _, r := range []string{main, sub} {
					// try_remove_previous (git-subtree:366-372)
					if s.gitQuiet("rev-parse", r+"^") == 0 {
						unrevs = append(unrevs, "^"+r+"^")
					}
				}
			}
			main, sub = "", ""
		}
	}
}

// readLogical takes one line off text as read does without -r: a
// backslash quotes the next character (kept as \x01-marked so splitting
// leaves it alone) and a backslash-newline joins lines. complete is false
// for a last line without newline, which read reports as end of input.
func readLogical(text *string) (line []rune, complete bool) {
	t := *text
	var out []rune
	i := 0
	for i < len(t) {
		c := t[i]
		switch {
		case c == '\\' && i+1 < len(t) && t[i+1] == '\n':
			i += 2
		case c == '\\' && i+1 < len(t):
			out = append(out, quotedRune|rune(t[i+1]))
			i += 2
		case c == '\\':
			i++
		case c == '\n':
			*text = t[i+1:]
			return out, true
		default:
			out = append(out, rune(c))
			i++
		}
	}
	*text = ""
	return out, false
}

// quotedRune marks a byte a backslash quoted.
const quotedRune = 1 << 20

func isIFS(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }

// splitRead assigns a read line to n variables with the default IFS: the
// last one takes the rest, without its surrounding blanks.
func splitRead(line []rune, n int) []string {
	fields := make([]string, n)
	i := 0
	for k := 0; k < n; k++ {
		for i < len(line) && isIFS(line[i]) {
			i++
		}
		if k == n-1 {
			end := len(line)
			for end > i && isIFS(line[end-1]) {
				end--
			}
			fields[k] = unquote(line[i:end])
			break
		}
		start := i
		for i < len(line) && !isIFS(line[i]) {
			i++
		}
		fields[k] = unquote(line[start:i])
	}
	return fields
}

func unquote(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteByte(byte(r &^ quotedRune))
	}
	return b.String()
}

// shellRead is what `read VAR` leaves of one line of text.
func shellRead(line string) string {
	text := line + "\n"
	rs, _ := readLogical(&text)
	return splitRead(rs, 1)[0]
}
