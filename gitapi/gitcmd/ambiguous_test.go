package gitcmd

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// objectWithPrefix finds content, built by makeContent from a counter,
// whose object id of type typ starts with prefix.
func objectWithPrefix(t *testing.T, typ, prefix string, makeContent func(int) string) string {
	t.Helper()
	for i := 0; i < 1<<22; i++ {
		content := makeContent(i)
		sum := sha1.Sum([]byte(fmt.Sprintf("%s %d\x00%s", typ, len(content), content)))
		if hex.EncodeToString(sum[:])[:len(prefix)] == prefix {
			return content
		}
	}
	t.Fatalf("no %s with prefix %s", typ, prefix)
	return ""
}

// TestAmbiguousAgainstGit compares the report of an ambiguous short id
// whose candidates are a tag, a commit and blobs.
func TestAmbiguousAgainstGit(t *testing.T) {
	f := gittest.NewFixture(t)
	blob := f.Git(t, "repo", "hash-object", "-w", "--stdin")
	prefix := blob[:4]
	for _, typ := range []string{"blob", "blob"} {
		content := objectWithPrefix(t, typ, prefix, func(i int) string { return fmt.Sprintf("blob %d\n", i) })
		f.GitStdin(t, "repo", content, "hash-object", "-w", "--stdin")
	}
	tree := f.Git(t, "repo", "rev-parse", "HEAD^{tree}")
	head := f.Git(t, "repo", "rev-parse", "HEAD")
	commit := objectWithPrefix(t, "commit", prefix, func(i int) string {
		return fmt.Sprintf("tree %s\nauthor A U Thor <a@example.com> 1112911993 -0700\ncommitter C <c@example.com> 1112912053 +0200\n\nsubject %d\nmore\n\nbody\n", tree, i)
	})
	f.GitStdin(t, "repo", commit, "hash-object", "-t", "commit", "-w", "--stdin")
	tag := objectWithPrefix(t, "tag", prefix, func(i int) string {
		return fmt.Sprintf("object %s\ntype commit\ntag t%d\ntagger T <t@example.com> 1112999993 +1400\n\nmessage\n", head, i)
	})
	f.GitStdin(t, "repo", tag, "hash-object", "-t", "tag", "-w", "--stdin")
	runDiffCases(t, f, []diffCase{
		{dir: "repo", args: "rev-parse " + prefix},
		{dir: "repo", args: "rev-parse --verify " + prefix},
		{dir: "repo", args: "rev-parse -q --verify " + prefix},
		{dir: "repo", args: "rev-parse " + prefix + "^{tree}"},
		{dir: "repo", args: "rev-parse --short " + blob},
		{dir: "repo", args: "rev-parse " + prefix + "^{commit}"},
		{dir: "repo", args: "rev-parse " + prefix + "^{blob}"},
		{dir: "repo", args: "rev-parse " + prefix + "~0"},
		{dir: "repo", args: "rev-parse -q --verify " + prefix + "~0"},
		{dir: "repo", args: "rev-parse --verify " + prefix + "^{commit}"},
		{dir: "repo", args: "rev-parse " + prefix + ":a"},
		{dir: "repo", args: "rev-parse " + prefix + "^{/subject}"},
		{dir: "repo", args: "rev-parse " + prefix + "^{tag}"},
	})
}
