package subtree

import (
	"bytes"
	"io"
	"strings"
)

// logJoins is the text of `git log --grep=GREP --no-show-signature
// --pretty=format:'START %H%n%s%n%n%b%nEND%n' REV` (git-subtree:418,
// 476); a failing log is the end of its pipe, as for the script.
func (s *subtree) logJoins(grep, rev string) (string, error) {
	var out bytes.Buffer
	s.git(nil, &out, s.err, "log", "--grep="+grep, "--no-show-signature",
		"--pretty=format:START %H%n%s%n%n%b%nEND%n", rev)
	return out.String(), nil
}

// splitRevs is `git rev-list --topo-order --reverse --parents REV
// UNREVS...` (git-subtree:958-963), which the script runs twice: once to
// count, once to walk; its errors show twice.
func (s *subtree) splitRevs(rev string, unrevs []string) ([]revLine, error) {
	var out, errs bytes.Buffer
	args := append([]string{"rev-list", "--topo-order", "--reverse", "--parents", rev}, unrevs...)
	s.git(nil, &out, &errs, args...)
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
	var out bytes.Buffer
	s.git(nil, &out, s.err, append([]string{"rev-list"}, words...)...)
	return strings.Fields(out.String())
}

// logRange is `git log --no-show-signature --pretty=tformat:'PREFIX%h %s'
// A..B` (git-subtree:614-615).
func (s *subtree) logRange(prefix, rng string) string {
	var out bytes.Buffer
	s.git(nil, &out, s.err, "log", "--no-show-signature", "--pretty=tformat:"+prefix+"%h %s", rng)
	return out.String()
}
