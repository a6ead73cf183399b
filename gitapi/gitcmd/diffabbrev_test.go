package gitcmd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestAutoAbbrevAgainstGit: without core.abbrev, git abbreviates to more
// than 7 digits once a repository has 2^14 packed objects; ls-tree,
// for-each-ref, rev-parse and show-ref follow it.
func TestAutoAbbrevAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "big")
	var stream strings.Builder
	const blobs = 1<<14 + 10
	for i := 1; i <= blobs; i++ {
		content := fmt.Sprintf("blob %d\n", i)
		fmt.Fprintf(&stream, "blob\nmark :%d\ndata %d\n%s\n", i, len(content), content)
	}
	stream.WriteString("commit refs/heads/main\ncommitter C <c@example.com> 1112912053 +0200\ndata 4\nbig\n")
	stream.WriteString("M 100644 :1 a\nM 100644 :2 sub/b\n\n")
	f.GitStdin(t, "big", stream.String(), "fast-import", "--quiet")
	f.Git(t, "big", "tag", "-a", "-m", "t", "t1")
	runDiffCases(t, f, []diffCase{
		{dir: "big", args: "rev-parse --short HEAD"},
		{dir: "big", args: "ls-tree --abbrev -r HEAD"},
		{dir: "big", argv: []string{"for-each-ref", "--format=%(objectname:short) %(*objectname:short)"}},
		{dir: "big", args: "show-ref --abbrev"},
		{dir: "big", args: "-c core.abbrev=auto rev-parse --short HEAD"},
		{dir: "big", args: "-c core.abbrev=9 ls-tree --abbrev HEAD"},
	})
}
