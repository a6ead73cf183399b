package parity

import (
	"fmt"
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/diff"
)

// normalizer rewrites compared text: sandbox paths become "$SANDBOX", then
// the fixture's normalize: rules apply in order.
type normalizer struct {
	sandboxPaths []string // longest first
	rules        []NormalizeRule
}

func newNormalizer(sb *sandbox, rules []NormalizeRule) *normalizer {
	paths := append([]string{sb.root}, sb.aliases...)
	sort.Slice(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
	return &normalizer{sandboxPaths: paths, rules: rules}
}

func (n *normalizer) text(s string) string {
	for _, p := range n.sandboxPaths {
		s = strings.ReplaceAll(s, p, "$SANDBOX")
	}
	for _, r := range n.rules {
		s = r.Pattern.ReplaceAllString(s, r.Replacement)
	}
	return s
}

// differingFields lists, sorted, the fields whose values differ between a
// and b, a field present in only one of them included.
func differingFields(a, b Snapshot) []string {
	var names []string
	for name, va := range a {
		if vb, ok := b[name]; !ok || !cmp.Equal(va, vb) {
			names = append(names, name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func valueOf(s Snapshot, name string) any {
	return s[name] // nil when absent
}

// describeDiff renders the difference of one field readably: a unified
// line diff for text (output, file contents, config), a go-cmp diff for
// structured values (refs, reflogs, index entries, object sets).
func describeDiff(name string, old, new any) string {
	oldText, oldIsText := textOf(old)
	newText, newIsText := textOf(new)
	if oldIsText && newIsText {
		var b strings.Builder
		if om, nm := metaOf(old), metaOf(new); om != nm {
			fmt.Fprintf(&b, "old: %s\nnew: %s\n", om, nm)
		}
		if oldText != newText {
			b.WriteString(lineDiff(name, oldText, newText))
			if oldText != "" && newText != "" && strings.HasSuffix(oldText, "\n") != strings.HasSuffix(newText, "\n") {
				fmt.Fprintf(&b, "(old ends in newline: %v, new: %v)\n", strings.HasSuffix(oldText, "\n"), strings.HasSuffix(newText, "\n"))
			}
		}
		return b.String()
	}
	return "--- old\n+++ new\n" + cmp.Diff(old, new)
}

// lineDiff is a unified diff of two texts, without the "diff" header line.
func lineDiff(name, old, new string) string {
	d := string(diff.Diff("old "+name, []byte(withNewline(old)), "new "+name, []byte(withNewline(new))))
	if strings.HasPrefix(d, "diff ") {
		_, d, _ = strings.Cut(d, "\n")
	}
	return d
}

// withNewline makes the last line of a text complete, so the line diff
// does not complain about it; describeDiff reports that difference itself.
func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// textOf renders a value as text for a line diff, if it has a natural
// line form: a string, the content of a text file, or a list (one element
// a line, reflogs and index entries in git's own formats). An absent
// field (nil) counts as empty text.
func textOf(v any) (string, bool) {
	var b strings.Builder
	switch v := v.(type) {
	case nil:
	case string:
		return v, true
	case FileEntry:
		if v.Text == nil {
			return "", false
		}
		return *v.Text, true
	case []string:
		for _, s := range v {
			fmt.Fprintln(&b, s)
		}
	case []ReflogEntry:
		for _, e := range v {
			fmt.Fprintf(&b, "%s %s %s %s\t%s\n", e.Old, e.New, e.Identity, e.Time, e.Message)
		}
	case []IndexEntry:
		for _, e := range v {
			fmt.Fprintf(&b, "%s %s %d\t%s%s\n", e.Mode, e.OID, e.Stage, e.Path, e.flags())
		}
	case []ResolveUndoEntry:
		for _, e := range v {
			fmt.Fprintf(&b, "%s %v %v\n", e.Path, e.Modes, e.OIDs)
		}
	default:
		return "", false
	}
	return b.String(), true
}

// metaOf describes what a line diff does not show: a file's type and mode,
// or that a field is missing.
func metaOf(v any) string {
	switch v := v.(type) {
	case nil:
		return "(absent)"
	case FileEntry:
		return v.Type + " " + v.Mode
	}
	return "present"
}
