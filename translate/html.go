package translate

import (
	"bytes"
	"fmt"
	"html"
	"strings"
)

// HTML renders a side-by-side view of translations: for each
// provenance block, the shell lines on the left and the Go they became on
// the right. The page is self-contained.
func HTML(outputs []*Output) []byte {
	var b bytes.Buffer
	b.WriteString(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>kiln translate</title>
<style>
body{font-family:sans-serif;margin:1em}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td{vertical-align:top;border-top:1px solid #ddd;padding:2px 6px}
pre{margin:0;font-size:12px;white-space:pre-wrap}
td.ln{width:3em;color:#888;text-align:right}
tr.review td.go{background:#fff3cd}
</style></head><body>
`)
	for _, o := range outputs {
		writeSideBySide(&b, o)
	}
	b.WriteString("</body></html>\n")
	return b.Bytes()
}

func writeSideBySide(b *bytes.Buffer, o *Output) {
	r := o.Result.Report
	fmt.Fprintf(b, "<h2>%s → package %s</h2>\n", html.EscapeString(r.Script), html.EscapeString(o.Package))
	fmt.Fprintf(b, "<p>%d statements, %d native, %d through the interpreter; %d git calls, %d in-process, %d marked; %d review markers.</p>\n",
		r.Statements, r.Native, r.Interpreted, r.GitCalls, r.GitMapped, r.GitMarked, len(r.Reviews))
	shell := strings.Split(string(o.Shell), "\n")
	goLines := strings.Split(string(o.Result.Go), "\n")
	b.WriteString("<table>\n")
	blocks := o.Result.Blocks
	for i, blk := range blocks {
		end := len(goLines)
		if i+1 < len(blocks) {
			end = blocks[i+1].GoLine - 1
		}
		goText := strings.Join(goLines[blk.GoLine-1:end], "\n")
		class := ""
		if strings.Contains(goText, "kiln:review") {
			class = ` class="review"`
		}
		from, to := clamp(blk.From, len(shell)), clamp(blk.To, len(shell))
		fmt.Fprintf(b, "<tr%s><td class=\"ln\">%d</td><td><pre>%s</pre></td><td class=\"ln\">%d</td><td class=\"go\"><pre>%s</pre></td></tr>\n",
			class, blk.From, html.EscapeString(strings.Join(shell[from-1:to], "\n")), blk.GoLine, html.EscapeString(goText))
	}
	b.WriteString("</table>\n")
}

func clamp(line, n int) int {
	if line < 1 {
		return 1
	}
	if line > n {
		return n
	}
	return line
}
