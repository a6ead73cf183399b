package gitapi

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// typeOrder is the order git lists ambiguous candidates in: tags,
// commits, trees, blobs.
var typeOrder = map[string]int{TypeTag: 0, TypeCommit: 1, TypeTree: 2, TypeBlob: 3}

// ambiguityDiag is git's report of an ambiguous short object id: an
// error line and a hint per candidate.
func (r *Repo) ambiguityDiag(prefix string, ids []Hash) []string {
	type candidate struct {
		id   Hash
		typ  string
		data []byte
	}
	cands := make([]candidate, 0, len(ids))
	for _, id := range ids {
		typ, data, _ := r.ReadObject(id)
		cands = append(cands, candidate{id, typ, data})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].typ != cands[j].typ {
			return typeOrder[cands[i].typ] < typeOrder[cands[j].typ]
		}
		return bytes.Compare(cands[i].id[:], cands[j].id[:]) < 0
	})
	lines := []string{
		fmt.Sprintf("error: short object ID %s is ambiguous", prefix),
		"hint: The candidates are:",
	}
	abbrev := r.DefaultAbbrev()
	for _, c := range cands {
		desc := r.UniqueAbbrev(c.id, abbrev) + " " + c.typ
		switch c.typ {
		case TypeCommit:
			desc += fmt.Sprintf(" %s - %s", shortIdentDate(headerValue(c.data, "author"), true), subject(c.data))
		case TypeTag:
			desc += fmt.Sprintf(" %s - %s", shortIdentDate(headerValue(c.data, "tagger"), false), headerValue(c.data, "tag"))
		}
		lines = append(lines, "hint:   "+desc)
	}
	return lines
}

// matchesHint reports whether id is of the kind a disambiguation hint
// asks for: a committish (commit, or tag of one), a treeish (tree,
// commit, or tag of either) or a blob (or tag of one).
func (r *Repo) matchesHint(id Hash, hint string) bool {
	_, typ, err := r.Peel(id, "")
	if err != nil {
		return false
	}
	switch hint {
	case "committish":
		return typ == TypeCommit
	case "treeish":
		return typ == TypeCommit || typ == TypeTree
	case "blob":
		return typ == TypeBlob
	}
	return true
}

// headerValue returns the value of the first header line key of a raw
// commit or tag.
func headerValue(data []byte, key string) string {
	header, _, _ := bytes.Cut(data, []byte("\n\n"))
	for _, line := range strings.Split(string(header), "\n") {
		if v, ok := strings.CutPrefix(line, key+" "); ok {
			return v
		}
	}
	return ""
}

// subject is the first paragraph of a commit message on one line.
func subject(data []byte) string {
	_, msg, _ := bytes.Cut(data, []byte("\n\n"))
	para, _, _ := strings.Cut(strings.TrimLeft(string(msg), "\n"), "\n\n")
	return strings.Join(strings.Fields(strings.ReplaceAll(para, "\n", " ")), " ")
}

// shortIdentDate formats the date of an ident line as YYYY-MM-DD, in the
// ident's own zone (inZone) or in UTC.
func shortIdentDate(ident string, inZone bool) string {
	fields := strings.Fields(ident)
	if len(fields) < 2 {
		return ""
	}
	secs, err := strconv.ParseInt(fields[len(fields)-2], 10, 64)
	if err != nil {
		return ""
	}
	t := time.Unix(secs, 0).UTC()
	if zone, err := parseZone(fields[len(fields)-1]); err == nil && inZone {
		offset := (zone/100*60 + zone%100) * 60
		t = t.In(time.FixedZone("", offset))
	}
	return t.Format("2006-01-02")
}

// parseZone reads "+hhmm" or "-hhmm" as the number git writes (-0130 is
// -130).
func parseZone(z string) (int, error) {
	if len(z) != 5 || (z[0] != '+' && z[0] != '-') {
		return 0, fmt.Errorf("bad zone %q", z)
	}
	n, err := strconv.Atoi(z[1:])
	if err != nil {
		return 0, err
	}
	if z[0] == '-' {
		n = -n
	}
	return n, nil
}
