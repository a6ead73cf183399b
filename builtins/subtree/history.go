package subtree

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
)

// The script's history walks, in-process on gitapi.RevList; where a
// revision does not resolve, git itself runs the same command (through
// the counted fallback) so its error reads as git's.

// resolveCommit is a revision as rev-list takes it: the commit it names.
func (s *subtree) resolveCommit(rev string) (gitapi.Hash, bool) {
	id, err := s.repo.Resolve(rev)
	if err != nil {
		return id, false
	}
	id, _, err = s.repo.Peel(id, "commit")
	return id, err == nil
}

// revs turns rev-list arguments (REV, ^REV, A..B) into RevList's; ok is
// false when one does not resolve.
func (s *subtree) revs(args []string) ([]gitapi.RevListRev, bool) {
	var out []gitapi.RevListRev
	for _, a := range args {
		if left, right, ok := strings.Cut(a, ".."); ok && !strings.Contains(right, ".") {
			l, ok1 := s.resolveCommit(left)
			r, ok2 := s.resolveCommit(right)
			if !ok1 || !ok2 {
				return nil, false
			}
			out = append(out, gitapi.RevListRev{ID: l, Exclude: true}, gitapi.RevListRev{ID: r})
			continue
		}
		exclude := strings.HasPrefix(a, "^")
		id, ok := s.resolveCommit(strings.TrimPrefix(a, "^"))
		if !ok {
			return nil, false
		}
		out = append(out, gitapi.RevListRev{ID: id, Exclude: exclude})
	}
	return out, true
}

// logJoins is the text of `git log --grep=GREP --no-show-signature
// --pretty=format:'START %H%n%s%n%n%b%nEND%n' REV` (git-subtree:418,
// 476); a failing log is the end of its pipe, as for the script.
func (s *subtree) logJoins(grep, rev string) (string, error) {
	re, reErr := breRegexp(grep)
	if !s.basicGrep() {
		reErr = errOtherPatternType
	}
	revs, ok := s.revs([]string{rev})
	var commits []gitapi.RevListCommit
	var err error
	if ok && reErr == nil {
		commits, err = s.repo.RevList(gitapi.RevListOptions{Revs: revs})
	}
	if !ok || reErr != nil || err != nil {
		var out bytes.Buffer
		s.git(nil, &out, s.err, "log", "--grep="+grep, "--no-show-signature",
			"--pretty=format:START %H%n%s%n%n%b%nEND%n", rev)
		return out.String(), nil
	}
	var b strings.Builder
	first := true
	for _, c := range commits {
		msg, err := s.message(c.ID)
		if err != nil {
			return "", s.die("fatal: " + err.Error())
		}
		if !grepMessage(re, msg) {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		subject, body := subjectBody(msg)
		b.WriteString("START " + c.ID.String() + "\n" + subject + "\n\n" + body + "\nEND\n")
	}
	return b.String(), nil
}

// message is a commit's raw message (%B).
func (s *subtree) message(id gitapi.Hash) (string, error) {
	c, err := s.repo.ReadCommit(id)
	return c.Message, err
}

// grepMessage is git log --grep on a message: some line matches.
func grepMessage(re *regexp.Regexp, msg string) bool {
	for _, line := range strings.Split(strings.TrimSuffix(msg, "\n"), "\n") {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// breRegexp translates a POSIX basic regular expression (git log
// --grep's default) into Go's syntax.
func breRegexp(bre string) (*regexp.Regexp, error) {
	var b strings.Builder
	atStart := true
	for i := 0; i < len(bre); i++ {
		c := bre[i]
		switch {
		case c == '\\' && i+1 < len(bre):
			i++
			n := bre[i]
			switch n {
			case '(', ')', '{', '}', '|', '+', '?':
				b.WriteByte(n)
				atStart = n == '(' || n == '|'
				continue
			default:
				b.WriteString(regexp.QuoteMeta(string(n)))
			}
		case c == '[':
			j := i + 1
			if j < len(bre) && bre[j] == '^' {
				j++
			}
			if j < len(bre) && bre[j] == ']' {
				j++
			}
			for j < len(bre) && bre[j] != ']' {
				j++
			}
			if j >= len(bre) {
				b.WriteString(`\[`)
			} else {
				class := bre[i : j+1]
				b.WriteString(strings.ReplaceAll(class, `\`, `\\`))
				i = j
			}
		case c == '*' && atStart:
			b.WriteString(`\*`)
		case c == '^' && atStart:
			b.WriteByte('^')
			continue
		case strings.IndexByte("+?(){}|", c) >= 0:
			b.WriteString(regexp.QuoteMeta(string(c)))
		default:
			b.WriteByte(c)
		}
		atStart = false
	}
	return regexp.Compile(b.String())
}

// isGitSpace is git's isspace.
func isGitSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimLine is a line without its trailing blanks (pretty.c's is_blank_line).
func trimLine(line string) string {
	n := len(line)
	for n > 0 && isGitSpace(line[n-1]) {
		n--
	}
	return line[:n]
}

// oneLine splits off the first line of s, newline included.
func oneLine(s string) (line, rest string) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i+1], s[i+1:]
	}
	return s, ""
}

// skipBlankLines drops leading lines of blanks only.
func skipBlankLines(s string) string {
	for s != "" {
		line, rest := oneLine(s)
		if trimLine(line) != "" {
			break
		}
		s = rest
	}
	return s
}

// subjectBody is %s and %b: the first paragraph's lines joined with
// spaces, and what follows it after blank lines.
func subjectBody(msg string) (subject, body string) {
	rest := skipBlankLines(msg)
	var parts []string
	for rest != "" {
		line, after := oneLine(rest)
		rest = after
		t := trimLine(line)
		if t == "" {
			break
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " "), skipBlankLines(rest)
}

// splitRevs is `git rev-list --topo-order --reverse --parents REV
// UNREVS...` (git-subtree:958-963), which the script runs twice: once to
// count, once to walk; its errors show twice.
func (s *subtree) splitRevs(rev string, unrevs []string) ([]revLine, error) {
	args := append([]string{rev}, unrevs...)
	if revs, ok := s.revs(args); ok {
		commits, err := s.repo.RevList(gitapi.RevListOptions{Revs: revs, TopoOrder: true, Reverse: true})
		if err != nil {
			return nil, s.die("fatal: " + err.Error())
		}
		lines := make([]revLine, len(commits))
		for i, c := range commits {
			parents := make([]string, len(c.Parents))
			for j, p := range c.Parents {
				parents[j] = p.String()
			}
			lines[i] = revLine{rev: c.ID.String(), parents: parents}
		}
		return lines, nil
	}
	var out, errs bytes.Buffer
	s.git(nil, &out, &errs, append([]string{"rev-list", "--topo-order", "--reverse", "--parents"}, args...)...)
	io.WriteString(s.err, errs.String()+errs.String())
	var lines []revLine
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		lines = append(lines, revLine{rev: f[0], parents: f[1:]})
	}
	return lines, nil
}

// listOnto is `git rev-list ONTO` (git-subtree:943); its failure only
// shows, the loop reading it sees no line.
func (s *subtree) listOnto(words []string) []string {
	if revs, ok := s.revs(words); ok {
		if commits, err := s.repo.RevList(gitapi.RevListOptions{Revs: revs}); err == nil {
			out := make([]string, len(commits))
			for i, c := range commits {
				out[i] = c.ID.String()
			}
			return out
		}
	}
	var out bytes.Buffer
	s.git(nil, &out, s.err, append([]string{"rev-list"}, words...)...)
	return strings.Fields(out.String())
}

// logRange is `git log --no-show-signature --pretty=tformat:'PREFIX%h %s'
// A..B` (git-subtree:614-615).
func (s *subtree) logRange(prefix, rng string) string {
	revs, ok := s.revs([]string{rng})
	var commits []gitapi.RevListCommit
	var err error
	if ok {
		commits, err = s.repo.RevList(gitapi.RevListOptions{Revs: revs})
	}
	if !ok || err != nil {
		var out bytes.Buffer
		s.git(nil, &out, s.err, "log", "--no-show-signature", "--pretty=tformat:"+prefix+"%h %s", rng)
		return out.String()
	}
	var b strings.Builder
	abbrev := s.repo.DefaultAbbrev()
	for _, c := range commits {
		msg, err := s.message(c.ID)
		if err != nil {
			continue
		}
		subject, _ := subjectBody(msg)
		b.WriteString(prefix + s.repo.UniqueAbbrev(c.ID, abbrev) + " " + subject + "\n")
	}
	return b.String()
}

// errOtherPatternType: the configuration makes git log --grep read its
// pattern as other than a basic regular expression; git runs the log.
var errOtherPatternType = errors.New("grep.patternType is not basic")

// basicGrep reports whether git log --grep takes its pattern as a POSIX
// basic regular expression here, as with no grep.patternType or
// grep.extendedRegexp configured.
func (s *subtree) basicGrep() bool {
	cfg, err := s.repo.Config()
	if err != nil {
		return false
	}
	if v, ok := cfg.Get("grep.patterntype"); ok && v != "basic" && v != "default" {
		return false
	}
	if _, ok := cfg.Get("grep.extendedregexp"); ok {
		if ext, err := cfg.Bool("grep.extendedregexp", false); err != nil || ext {
			return false
		}
	}
	return true
}
