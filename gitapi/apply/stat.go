package apply

import (
	"fmt"
	"strings"
)

// Report selects git apply's reports on the patch (--stat, --numstat,
// --summary), printed on stdout instead of applying it.
type Report struct {
	Stat, Numstat, Summary bool
	// NulTerminated is -z: --numstat names unquoted, ended by NUL.
	NulTerminated bool
}

// any reports whether a report was asked for.
func (r Report) any() bool { return r.Stat || r.Numstat || r.Summary }

// report writes the asked reports of patches in git's order: diffstat,
// numstat, summary.
func (r Report) report(patches []*filePatch) string {
	var b strings.Builder
	if r.Stat {
		writeDiffstat(&b, patches)
	}
	if r.Numstat {
		for _, p := range patches {
			writeNumstat(&b, p, r.NulTerminated)
		}
	}
	if r.Summary {
		for _, p := range patches {
			writeSummary(&b, p)
		}
	}
	return b.String()
}

// displayName is the name git's reports show: the new one, else the old.
func displayName(p *filePatch) string {
	if p.NewName != "" {
		return p.NewName
	}
	return p.OldName
}

func writeNumstat(b *strings.Builder, p *filePatch, nul bool) {
	if p.isBinary {
		b.WriteString("-\t-\t")
	} else {
		fmt.Fprintf(b, "%d\t%d\t", p.linesAdded, p.linesDeleted)
	}
	if nul {
		b.WriteString(displayName(p) + "\x00")
		return
	}
	b.WriteString(quoteC(displayName(p)) + "\n")
}

// writeDiffstat is git apply's --stat: one scaled line per file (names
// cut to 50 columns, the graph to 70 columns with the name), then the
// totals.
func writeDiffstat(b *strings.Builder, patches []*filePatch) {
	maxLen, maxChange := 0, 0
	adds, dels := 0, 0
	for _, p := range patches {
		maxChange = max(maxChange, p.linesAdded+p.linesDeleted)
		for _, name := range []string{p.OldName, p.NewName} {
			if name != "" {
				maxLen = max(maxLen, len(quoteC(name)))
			}
		}
	}
	for _, p := range patches {
		adds += p.linesAdded
		dels += p.linesDeleted
		writeStatLine(b, p, min(maxLen, 50), maxChange)
	}
	writeStatSummary(b, len(patches), adds, dels)
}

func writeStatLine(b *strings.Builder, p *filePatch, width, maxChange int) {
	name := quoteC(displayName(p))
	if len(name) > width {
		cut := len(name) + 3 - width
		if slash := strings.IndexByte(name[cut:], '/'); slash >= 0 {
			cut += slash
		}
		name = "..." + name[cut:]
	}
	if p.isBinary {
		fmt.Fprintf(b, " %-*s |  Bin\n", width, name)
		return
	}
	fmt.Fprintf(b, " %-*s |", width, name)
	graph := maxChange
	if width+maxChange > 70 {
		graph = 70 - width
	}
	add, del := p.linesAdded, p.linesDeleted
	if maxChange > 0 {
		total := ((add+del)*graph + maxChange/2) / maxChange
		add = (add*graph + maxChange/2) / maxChange
		del = total - add
	}
	fmt.Fprintf(b, "%5d %s%s\n", p.linesAdded+p.linesDeleted, strings.Repeat("+", max(add, 0)), strings.Repeat("-", max(del, 0)))
}

// writeStatSummary is git's print_stat_summary line.
func writeStatSummary(b *strings.Builder, files, adds, dels int) {
	if files == 0 {
		b.WriteString(" 0 files changed\n")
		return
	}
	fmt.Fprintf(b, " %d %s changed", files, plural(files, "file", "files"))
	if adds > 0 || dels == 0 {
		fmt.Fprintf(b, ", %d %s", adds, plural(adds, "insertion(+)", "insertions(+)"))
	}
	if dels > 0 || adds == 0 {
		fmt.Fprintf(b, ", %d %s", dels, plural(dels, "deletion(-)", "deletions(-)"))
	}
	b.WriteString("\n")
}

// writeSummary is git apply's --summary line(s) for one file: creation,
// deletion, rename or copy, rewrite, mode change. Like git, a side whose
// existence the patch leaves unknown counts as created or deleted.
func writeSummary(b *strings.Builder, p *filePatch) {
	switch {
	case p.isNew != 0:
		writeModeName(b, "create", p.NewMode, p.NewName)
	case p.isDelete != 0:
		writeModeName(b, "delete", p.OldMode, p.OldName)
	case p.IsRename || p.IsCopy:
		writeRenameCopy(b, p)
	case p.score != 0:
		fmt.Fprintf(b, " rewrite %s (%d%%)\n", p.NewName, p.score)
		writeModeChange(b, p, false)
	default:
		writeModeChange(b, p, true)
	}
}

func writeModeName(b *strings.Builder, what string, mode uint32, name string) {
	if mode != 0 {
		fmt.Fprintf(b, " %s mode %06o %s\n", what, mode, name)
		return
	}
	fmt.Fprintf(b, " %s %s\n", what, name)
}

func writeModeChange(b *strings.Builder, p *filePatch, withName bool) {
	if p.OldMode == 0 || p.NewMode == 0 || p.OldMode == p.NewMode {
		return
	}
	if withName {
		fmt.Fprintf(b, " mode change %06o => %06o %s\n", p.OldMode, p.NewMode, p.NewName)
		return
	}
	fmt.Fprintf(b, " mode change %06o => %06o\n", p.OldMode, p.NewMode)
}

// writeRenameCopy shows a rename or copy with the leading directories
// both names share factored out: "dir/{a => b}".
func writeRenameCopy(b *strings.Builder, p *filePatch) {
	what := "copy"
	if p.IsRename {
		what = "rename"
	}
	common := 0
	for {
		oldSlash := strings.IndexByte(p.OldName[common:], '/')
		newSlash := strings.IndexByte(p.NewName[common:], '/')
		if oldSlash < 0 || newSlash < 0 || oldSlash != newSlash || p.OldName[common:common+oldSlash] != p.NewName[common:common+newSlash] {
			break
		}
		common += oldSlash + 1
	}
	if common > 0 {
		fmt.Fprintf(b, " %s %s{%s => %s} (%d%%)\n", what, p.OldName[:common], p.OldName[common:], p.NewName[common:], p.score)
	} else {
		fmt.Fprintf(b, " %s %s => %s (%d%%)\n", what, p.OldName, p.NewName, p.score)
	}
	writeModeChange(b, p, false)
}
