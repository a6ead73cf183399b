package quiltimport

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kiln-dev/kiln/shellrun"
)

// The author forms the script accepts, with expr's anchored matching
// (git-quiltimport:51-52 and :133-134): the name is everything before the
// last '<' with trailing spaces dropped, the email what follows that '<' up
// to a '>'.
var (
	authorNameRE  = regexp.MustCompile(`^(?s)z(.*[^ ]) *<.*`)
	authorEmailRE = regexp.MustCompile(`^(?s).*<([^>]*)`)
)

// parseAuthor splits "Name <email>" as the script's expr calls do. expr
// fails when its result is empty or "0", and so does the script.
func parseAuthor(author string) (name, email string, ok bool) {
	m := authorNameRE.FindStringSubmatch("z" + author)
	e := authorEmailRE.FindStringSubmatch("z" + author)
	if m == nil || e == nil || !exprTrue(m[1]) || !exprTrue(e[1]) {
		return "", "", false
	}
	return m[1], e[1], true
}

func exprTrue(s string) bool { return s != "" && s != "0" }

// infoField is $(sed -ne 's/Key: //p' info): every line holding "Key: ",
// with its first occurrence removed, trailing newlines dropped.
func infoField(info []byte, key string) string {
	var out []string
	for _, line := range strings.Split(string(info), "\n") {
		if i := strings.Index(line, key); i >= 0 {
			out = append(out, line[:i]+line[i+len(key):])
		}
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n")
}

// unquotedWords is what an unquoted $word expands to: split at blanks and
// each field globbed against the current directory (a pattern that
// matches nothing stays as written; dot files need a leading dot).
func unquotedWords(word string) []string {
	var out []string
	for _, field := range strings.Fields(word) {
		out = append(out, glob(field)...)
	}
	return out
}

func glob(pattern string) []string {
	if !strings.ContainsAny(pattern, "*?[") {
		return []string{pattern}
	}
	matches, err := filepath.Glob(strings.ReplaceAll(pattern, "[!", "[^"))
	var kept []string
	for _, m := range matches {
		if !hiddenMismatch(pattern, m) {
			kept = append(kept, m)
		}
	}
	if err != nil || len(kept) == 0 {
		return []string{pattern}
	}
	return kept
}

// hiddenMismatch reports a match with a dot file where the pattern's
// component does not start with a dot: the shell does not match those.
func hiddenMismatch(pattern, match string) bool {
	p, m := strings.Split(pattern, "/"), strings.Split(match, "/")
	for i := range m {
		if i < len(p) && strings.HasPrefix(m[i], ".") && !strings.HasPrefix(p[i], ".") {
			return true
		}
	}
	return false
}

// echoLine is dash's echo of the given words, as a string.
func echoLine(words ...string) string {
	var buf bytes.Buffer
	shellrun.DashEcho(&buf, words)
	return buf.String()
}

// subjectFromName is $(echo $patch_name | sed -e 's/.patch$//')
// (git-quiltimport:145): any character followed by "patch" at the end of
// each line is dropped.
func subjectFromName(name string) string {
	lines := strings.Split(strings.TrimSuffix(echoLine(unquotedWords(name)...), "\n"), "\n")
	for i, l := range lines {
		if len(l) >= 6 && strings.HasSuffix(l, "patch") {
			lines[i] = l[:len(l)-6]
		}
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// readLine is the read builtin on a reader that persists across calls.
func readLine(r *bufio.Reader, n int) ([]string, bool) {
	return shellrun.Read(r, n, false)
}

// fileNonEmpty is test -s.
func fileNonEmpty(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Size() > 0
}
