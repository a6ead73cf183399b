package quiltimport

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/shellrun"
	"github.com/kiln-dev/kiln/shellrun/tools"
)

// parseAuthor splits "Name <email>" with the script's expr calls
// (git-quiltimport:51-52 and :133-134): the name is everything before the
// last '<' with trailing spaces dropped, the email what follows that '<' up
// to a '>'. expr fails when its result is empty or zero, and so does the
// script.
func parseAuthor(author string) (name, email string, ok bool) {
	name, nameOK := exprMatch("z"+author, `z\(.*[^ ]\) *<.*`)
	email, emailOK := exprMatch("z"+author, `.*<\([^>]*\)`)
	if !nameOK || !emailOK {
		return "", "", false
	}
	return name, email, true
}

// exprMatch is $(expr STRING : PATTERN), and whether expr succeeded.
func exprMatch(s, pattern string) (string, bool) {
	out, status, ok := tools.Filter("expr", []string{s, ":", pattern}, nil)
	return commandSubst(out), ok && status == 0
}

// sedFilter is $(... | sed ARGS) on input.
func sedFilter(input []byte, args ...string) string {
	out, _, _ := tools.Filter("sed", args, input)
	return commandSubst(out)
}

// commandSubst is what $(...) makes of a command's output: trailing
// newlines dropped.
func commandSubst(out []byte) string { return strings.TrimRight(string(out), "\n") }

// infoField is $(sed -ne 's/Key: //p' info) (git-quiltimport:113-114,
// :141-142).
func infoField(info []byte, key string) string {
	return sedFilter(info, "-ne", "s/"+key+"//p")
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
// (git-quiltimport:145).
func subjectFromName(name string) string {
	return sedFilter([]byte(echoLine(unquotedWords(name)...)), "-e", "s/.patch$//")
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
