package apply

import (
	"fmt"
	"strings"
	"testing"
)

// numbered returns lines "<prefix> from" .. "<prefix> to", one per line.
func numbered(prefix string, from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%s %d\n", prefix, i)
	}
	return b.String()
}

// edit replaces the line equal to old (without newline) by repl.
func edit(content, old, repl string) string {
	return strings.Replace(content, old+"\n", repl, 1)
}

// binaryBlob is deterministic content that git treats as binary.
func binaryBlob(seed byte, n int) string {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x = x*1103515245 + 12345
		b[i] = byte(x >> 16)
	}
	b[0] = 0
	return string(b)
}

// applyCase is one differential test: the patch is made from base ->
// changed (by git diff with diffArgs, by the diff program with plainArgs,
// or taken literally from patch), then applied to target.
type applyCase struct {
	name      string
	base      tree
	changed   tree
	diffArgs  []string
	plainArgs []string
	patch     string
	target    tree
	args      []string
	config    []string
	// variants adds the --check and -C1 runs the brief asks of every case;
	// off for cases whose point is one exact flag set.
	noVariants bool
}

var file40 = numbered("line", 1, 40)

func applyCases() []applyCase {
	repeated := strings.Repeat("a\nb\nc\n", 3)
	binA, binB := binaryBlob(1, 3000), binaryBlob(1, 3000)[:2000]+"changed tail"+binaryBlob(2, 900)
	return []applyCase{
		{name: "exact", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")}},
		{name: "offset-down", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": numbered("top", 1, 5) + file40}, args: []string{"-v"}},
		{name: "offset-up", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 30", "LINE 30\n")},
			target: tree{"f": numbered("line", 8, 40)}, args: []string{"-v"}},
		{name: "offset-one-line", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 30", "LINE 30\n")},
			target: tree{"f": "extra\n" + file40}, args: []string{"-v"}},
		{name: "multi-hunk-offsets", base: tree{"f": file40},
			changed: tree{"f": edit(edit(edit(file40, "line 5", "LINE 5\n"), "line 20", "LINE 20\nnew\n"), "line 35", "")},
			target:  tree{"f": "x\ny\n" + edit(file40, "line 12", "")}, args: []string{"-v"}},
		{name: "fuzz-needed-default-fails", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": edit(file40, "line 17", "changed 17\n")}, noVariants: true},
		{name: "fuzz-1-leading", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": edit(file40, "line 17", "changed 17\n")}, args: []string{"-C2"}},
		{name: "fuzz-1-trailing", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": edit(file40, "line 23", "changed 23\n")}, args: []string{"-C2"}},
		{name: "fuzz-2-both", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": edit(edit(file40, "line 17", "x\n"), "line 23", "y\n")}, args: []string{"-C1", "-v"}},
		{name: "fuzz-2-leading-only", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": edit(edit(file40, "line 17", "x\n"), "line 18", "y\n")}, args: []string{"-C0"}},
		{name: "fuzz-with-offset", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": "a\nb\nc\n" + edit(file40, "line 22", "z\n")}, args: []string{"-C1", "-v"}},
		{name: "fuzz-not-below-C", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": edit(file40, "line 19", "x\n")}, args: []string{"-C3"}, noVariants: true},
		{name: "ambiguous-nearest", base: tree{"f": "head\n" + repeated + "tail\n"},
			changed: tree{"f": "head\n" + strings.Replace(repeated, "b\n", "B\n", 1) + "tail\n"},
			target:  tree{"f": "x\n" + repeated + repeated}, args: []string{"-v"}},
		// Two equally distant candidates (2 lines before and 2 after the
		// expected place): git tries forward first.
		{name: "ambiguous-forward-first", base: tree{"f": numbered("p", 1, 10) + "k1\nk2\nk3\nk4\nk5\nk6\n" + numbered("q", 1, 6)},
			changed:  tree{"f": numbered("p", 1, 10) + "k1\nk2\nk3\nK4\nk5\nk6\n" + numbered("q", 1, 6)},
			diffArgs: []string{"-U1"},
			target:   tree{"f": numbered("p", 1, 10) + "k3\nk4\nk5\nx\nk3\nk4\nk5\n" + numbered("q", 1, 6)},
			args:     []string{"-v"}},
		{name: "ambiguous-backward-nearer", base: tree{"f": numbered("p", 1, 10) + "k1\nk2\nk3\nk4\nk5\nk6\n" + numbered("q", 1, 6)},
			changed:  tree{"f": numbered("p", 1, 10) + "k1\nk2\nk3\nK4\nk5\nk6\n" + numbered("q", 1, 6)},
			diffArgs: []string{"-U1"},
			target:   tree{"f": numbered("p", 1, 11) + "k3\nk4\nk5\nx\ny\nk3\nk4\nk5\n" + numbered("q", 1, 6)},
			args:     []string{"-v"}},
		{name: "context-mismatch", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 20", "LINE 20\n")},
			target: tree{"f": edit(file40, "line 20", "other\n")}},
		{name: "second-hunk-fails", base: tree{"f": file40},
			changed: tree{"f": edit(edit(file40, "line 5", "LINE 5\n"), "line 30", "LINE 30\n")},
			target:  tree{"f": edit(file40, "line 30", "other\n")}, args: []string{"-v"}},
		{name: "new-file", base: tree{"a": "a\n"}, changed: tree{"a": "a\n", "dir/new": "hello\nworld\n"}},
		{name: "new-file-exists", base: tree{"a": "a\n"}, changed: tree{"a": "a\n", "new": "hello\n"},
			target: tree{"a": "a\n", "new": "already\n"}},
		{name: "new-empty-file", base: tree{"a": "a\n"}, changed: tree{"a": "a\n", "empty": ""}},
		{name: "delete", base: tree{"a": "a\n", "d/gone": file40}, changed: tree{"a": "a\n"}},
		{name: "delete-modified", base: tree{"a": "a\n", "gone": "one\ntwo\n"}, changed: tree{"a": "a\n"},
			target: tree{"a": "a\n", "gone": "one\ntwo\nthree\n"}},
		{name: "modify-missing", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 2", "x\n")}, target: tree{"g": "g\n"}},
		{name: "rename-pure", base: tree{"old": file40}, changed: tree{"sub/new": file40}, diffArgs: []string{"-M"}, args: []string{"-v"}},
		{name: "rename-changed", base: tree{"old": file40}, changed: tree{"new": edit(file40, "line 3", "LINE 3\n")}, diffArgs: []string{"-M"}},
		{name: "rename-target-exists", base: tree{"old": file40}, changed: tree{"new": file40}, diffArgs: []string{"-M"},
			target: tree{"old": file40, "new": "in the way\n"}},
		{name: "copy", base: tree{"src": file40}, changed: tree{"src": file40, "dst": edit(file40, "line 9", "nine\n")},
			diffArgs: []string{"-C", "--find-copies-harder"}, args: []string{"-v"}},
		{name: "mode-only", base: tree{"s": "#!/bin/sh\n"}, changed: tree{"s*": "#!/bin/sh\n"}},
		{name: "mode-and-content", base: tree{"s*": "#!/bin/sh\necho\n"}, changed: tree{"s": "#!/bin/sh\necho hi\n"}},
		{name: "mode-mismatch-warning", base: tree{"s": "x\ny\n"}, changed: tree{"s": "x\nz\n"}, target: tree{"s*": "x\ny\n"}},
		{name: "symlink-change", base: tree{"l@": "target-one"}, changed: tree{"l@": "target-two"}},
		{name: "binary-literal-new", base: tree{"a": "a\n"}, changed: tree{"a": "a\n", "bin": binA}, diffArgs: []string{"--binary"}},
		{name: "binary-delta", base: tree{"bin": binA}, changed: tree{"bin": binB}, diffArgs: []string{"--binary"}},
		{name: "binary-delete", base: tree{"bin": binA, "a": "a\n"}, changed: tree{"a": "a\n"}, diffArgs: []string{"--binary"}},
		{name: "binary-wrong-preimage", base: tree{"bin": binA}, changed: tree{"bin": binB}, diffArgs: []string{"--binary"},
			target: tree{"bin": binaryBlob(9, 3000)}},
		{name: "binary-no-data", base: tree{"bin": binA}, changed: tree{"bin": binB}},
		{name: "no-newline-old", base: tree{"f": "a\nb\nc"}, changed: tree{"f": "a\nb\nc\nd\n"}},
		{name: "no-newline-new", base: tree{"f": "a\nb\nc\n"}, changed: tree{"f": "a\nb\nC"}},
		{name: "no-newline-both", base: tree{"f": "a\nb\nc"}, changed: tree{"f": "a\nB\nc"}},
		{name: "no-newline-target-has-newline", base: tree{"f": file40 + "last"}, changed: tree{"f": edit(file40, "line 39", "x\n") + "last"},
			target: tree{"f": file40 + "last\nmore\n"}},
		{name: "crlf", base: tree{"f": "one\r\ntwo\r\nthree\r\nfour\r\n"}, changed: tree{"f": "one\r\ntwo\r\nTHREE\r\nfour\r\n"}},
		{name: "crlf-added-to-lf", base: tree{"f": "one\ntwo\n"}, changed: tree{"f": "one\ntwo\r\nthree\r\n"}},
		{name: "p0", base: tree{"d/f": file40}, changed: tree{"d/f": edit(file40, "line 9", "x\n")}, diffArgs: []string{"--no-prefix"}, args: []string{"-p0"}},
		{name: "p2", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", "x\n")},
			diffArgs: []string{"--src-prefix=a/top/", "--dst-prefix=b/top/"}, args: []string{"-p2"}},
		{name: "p2-new-and-rename", base: tree{"f": file40}, changed: tree{"g": file40, "n": "new\n"},
			diffArgs: []string{"-M", "--src-prefix=a/top/", "--dst-prefix=b/top/"}, args: []string{"-p2"}},
		{name: "directory", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", "x\n")},
			target: tree{"sub/f": file40}, args: []string{"--directory=sub"}},
		{name: "plain-diff-files", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", "x\n")},
			plainArgs: []string{"-u", "old/f", "new/f"}, target: tree{"f": file40}},
		{name: "plain-diff-recursive", base: tree{"f": file40, "d/g": "g\n"}, changed: tree{"f": edit(file40, "line 9", "x\n"), "d/g": "G\n", "h": "h\n"},
			plainArgs: []string{"-ruN", "old", "new"}},
		{name: "plain-diff-no-slash", patch: "--- f.orig\t2020-01-01 00:00:00.000000000 +0000\n+++ f\t2020-01-02 00:00:00.000000000 +0000\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
			target: tree{"f": "a\nb\nc\n"}},
		{name: "multi-file-one-fails", base: tree{"a": file40, "b": file40, "c": file40},
			changed: tree{"a": edit(file40, "line 3", "x\n"), "b": edit(file40, "line 3", "x\n"), "c": edit(file40, "line 3", "x\n")},
			target:  tree{"a": file40, "b": edit(file40, "line 3", "conflict\n"), "c": file40}},
		{name: "trailing-whitespace", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", "x  \ny\t\n")}},
		{name: "whitespace-squelched", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", strings.Repeat("ws \n", 7))}},
		{name: "whitespace-space-before-tab", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", " \tindented\n")}},
		{name: "whitespace-blank-at-eof", base: tree{"f": "a\nb\n"}, changed: tree{"f": "a\nb\n\n\n"}},
		{name: "whitespace-nowarn-config", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", "x  \n")},
			config: []string{"apply.whitespace=nowarn"}},
		{name: "whitespace-rule-config", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", "        spaces\nx \n")},
			config: []string{"core.whitespace=indent-with-non-tab,-blank-at-eol"}},
		{name: "becomes-empty", base: tree{"f": "a\nb\n"}, changed: tree{"f": ""}},
		{name: "unidiff-zero", base: tree{"f": file40}, changed: tree{"f": edit(edit(file40, "line 1", "first\nline 1\n"), "line 30", "")},
			diffArgs: []string{"-U0"}, args: []string{"--unidiff-zero"}, target: tree{"f": "z\n" + file40}},
		{name: "U0-without-flag", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 30", "")},
			diffArgs: []string{"-U0"}},
		{name: "same-file-twice", patch: "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-B\n+X\n c\n",
			target: tree{"f": "a\nb\nc\n"}},
		{name: "garbage", patch: "this is not a patch\n", target: tree{"f": "a\n"}},
		{name: "corrupt-hunk", patch: "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n", target: tree{"f": "a\nb\nc\n"}},
		{name: "quoted-name", base: tree{"sp ace\tx": "a\nb\n"}, changed: tree{"sp ace\tx": "a\nB\n"}, args: []string{"-v"}},
		{name: "traditional-creates-missing", patch: "--- a/n\n+++ b/n\n@@ -0,0 +1,2 @@\n+x\n+y\n", target: tree{"f": "f\n"}},
		{name: "traditional-add-to-existing", patch: "--- a/n\n+++ b/n\n@@ -0,0 +1,2 @@\n+x\n+y\n", target: tree{"n": "z\n"}},
		{name: "traditional-epoch-delete", patch: "--- a/f\t2020-01-01 00:00:00.000000000 +0000\n+++ b/f\t1970-01-01 00:00:00.000000000 +0000\n@@ -1,2 +0,0 @@\n-a\n-b\n",
			target: tree{"f": "a\nb\n", "g": "g\n"}},
		{name: "delete-then-modify", patch: "diff --git a/f b/f\ndeleted file mode 100644\n--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
			target: tree{"f": "a\nb\n"}},
		{name: "delete-missing", base: tree{"a": "a\n", "gone": "x\n"}, changed: tree{"a": "a\n"}, target: tree{"a": "a\n"}},
		{name: "rename-source-missing", base: tree{"old": file40}, changed: tree{"new": file40}, diffArgs: []string{"-M"}, target: tree{"other": "o\n"}},
		{name: "type-change-refused", patch: "diff --git a/l b/l\nold mode 100644\nnew mode 120000\n", target: tree{"l": "x\n"}},
		{name: "wrong-type", base: tree{"l@": "t"}, changed: tree{"l@": "u"}, target: tree{"l": "t"}},
		{name: "whitespace-error-action", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", "x \n")}, args: []string{"--whitespace=error"}},
		{name: "whitespace-error-all", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 9", strings.Repeat("w \n", 7))}, args: []string{"--whitespace=error-all"}},
		{name: "whitespace-crlf-context", base: tree{"f": "a\r\nb\r\nc\r\n"}, changed: tree{"f": "a\r\nb\r\nnew\r\nc\r\n"}},
		{name: "p-too-large", base: tree{"f": "a\n"}, changed: tree{"f": "b\n"}, args: []string{"-p3"}},
		{name: "p-too-large-mode-only", base: tree{"f": "a\n"}, changed: tree{"f*": "a\n"}, args: []string{"-p3"}},
		{name: "empty-input", patch: "", target: tree{"f": "a\n"}},
		{name: "mail-preamble", patch: "From 123 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.com>\nSubject: [PATCH] x\n\nbody\n---\n f | 2 +-\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n-- \n2.39.5\n\n",
			target: tree{"f": "a\nb\nc\n"}},
		{name: "patched-lines-not-rematched", patch: "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n+a\n b\n@@ -1,2 +1,3 @@\n a\n+a\n b\n",
			target: tree{"f": "a\nb\nc\na\nb\n"}, args: []string{"-v"}},
		{name: "binary-delete-wrong-content", base: tree{"bin": binA, "a": "a\n"}, changed: tree{"a": "a\n"}, diffArgs: []string{"--binary"},
			target: tree{"bin": binB, "a": "a\n"}},
		{name: "fragment-without-header", patch: "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", target: tree{"f": "a\nb\nc\n"}},
		{name: "plain-diff-space-separated-stamp", patch: "--- a/my file  2020-01-01 00:00:00.000000000 +0000\n+++ b/my file  2020-01-02 00:00:00 +0100\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
			target: tree{"my file": "a\nb\nc\n"}},
		{name: "plain-diff-short-stamp", patch: "--- f\t20-01-01 10:00:00\n+++ f\t20-01-02 10:00:00\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
			target: tree{"f": "a\nb\nc\n"}},
		{name: "plain-diff-epoch-create-zone", patch: "--- f\t1969-12-31 19:00:00.000000000 -0500\n+++ f\t2020-01-02 10:00:00 +0000\n@@ -0,0 +1,2 @@\n+x\n+y\n",
			target: tree{"g": "g\n"}},
		{name: "p0-metadata-only", base: tree{"d/s": "s\n", "d/gone": ""}, changed: tree{"d/s*": "s\n", "d/empty": ""},
			diffArgs: []string{"--no-prefix"}, args: []string{"-p0"}},
		{name: "p0-rename", base: tree{"old": file40}, changed: tree{"new": edit(file40, "line 3", "x\n")},
			diffArgs: []string{"-M", "--no-prefix"}, args: []string{"-p0", "-v"}},
		{name: "only-garbage", patch: "diff --git a/f b/f\nindex 1234567..89abcde 100644\n", target: tree{"f": "a\n"}},
		{name: "only-garbage-then-more", patch: "diff --git a/f b/f\nindex 1234567..89abcde 100644\nsome text\nmore\n", target: tree{"f": "a\n"}},
		{name: "plain-binary-differ", patch: "diff -ru old/b new/b\nBinary files old/b and new/b differ\n", target: tree{"b": "\x00x"}},
		{name: "no-newline-marker-mid-hunk", patch: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
			target: tree{"f": "a\nb"}},
		{name: "gnu-empty-context-line", patch: "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n\n-b\n+B\n",
			target: tree{"f": "a\n\nb\n"}},
		{name: "U0-insert-top", base: tree{"f": file40}, changed: tree{"f": "new first\n" + file40},
			diffArgs: []string{"-U0"}, args: []string{"--unidiff-zero"}, target: tree{"f": "zero\n" + file40}},
		{name: "U0-insert-top-no-flag", base: tree{"f": file40}, changed: tree{"f": "new first\n" + file40},
			diffArgs: []string{"-U0"}, target: tree{"f": "zero\n" + file40}},
		{name: "U0-delete-first", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 1", "")},
			diffArgs: []string{"-U0"}, args: []string{"--unidiff-zero", "-v"}, target: tree{"f": "zero\n" + file40}},
		{name: "U0-delete-first-no-flag", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 1", "")},
			diffArgs: []string{"-U0"}, args: []string{"-v"}, target: tree{"f": "zero\n" + file40}},
		{name: "whitespace-error-skips-checks", base: tree{"f": file40, "g": file40},
			changed: tree{"f": edit(file40, "line 9", "x \n"), "g": edit(file40, "line 9", "y\n")},
			target:  tree{"f": file40, "g": edit(file40, "line 9", "conflict\n")}, args: []string{"--whitespace=error", "-v"}},
		{name: "whitespace-error-blank-at-eof", base: tree{"f": "a\nb\n"}, changed: tree{"f": "a\nb\n\n"}, args: []string{"--whitespace=error", "-v"}},
		{name: "quilt-style-from-file", patch: "Fix the thing.\n\nIndex: f\n===================================================================\n--- a/f\t2020-01-01 00:00:00.000000000 +0000\n+++ b/f\t2020-01-02 00:00:00.000000000 +0000\n@@ -2,5 +2,5 @@\n line 2\n line 3\n-line 4\n+line four \n line 5\n line 6\n",
			target: tree{"f": "line 0\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\n"}, args: []string{"-v", patchFileArg}},
		{name: "whitespace-blank-at-eof-no-newline", base: tree{"f": "a\nb\n"}, changed: tree{"f": "a\nb\n\n  "}},
		{name: "allow-empty", patch: "no patch here\n", target: tree{"f": "a\n"}, args: []string{"--allow-empty"}},
		{name: "allow-empty-after-broken-binary", patch: "diff --git a/b b/b\nindex 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644\nGIT binary patch\nliteral 3\n!!\n\n",
			target: tree{"f": "a\n"}, args: []string{"--allow-empty"}},
		{name: "swap-renames", base: tree{"x": file40, "y": numbered("other", 1, 30)}, changed: tree{"y": file40, "x": numbered("other", 1, 30)},
			diffArgs: []string{"-M", "-B"}},
	}
}

// TestApplyMatchesGit runs each case through the installed git apply and
// through this package, comparing files, modes, stderr and exit code.
func TestApplyMatchesGit(t *testing.T) {
	for _, c := range applyCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			patch := []byte(c.patch)
			switch {
			case c.plainArgs != nil:
				patch = plainDiff(t, c.base, c.changed, c.plainArgs...)
			case c.patch == "":
				patch = gitDiff(t, c.base, c.changed, c.diffArgs...)
			}
			target := c.target
			if target == nil {
				target = c.base
			}
			variants := [][]string{c.args}
			if !c.noVariants {
				variants = append(variants, append([]string{"--check"}, c.args...), append([]string{"-C1"}, c.args...))
			}
			for _, args := range variants {
				want := runRealApply(t, target, patch, c.config, args)
				got := runOurApply(t, target, patch, optionsFromArgs(t, args, c.config))
				compareOutcome(t, args, patch, want, got)
			}
		})
	}
}

func compareOutcome(t *testing.T, args []string, patch []byte, want, got outcome) {
	t.Helper()
	if want.code != got.code || want.stderr != got.stderr || want.files.String() != got.files.String() {
		t.Errorf("git apply %s\npatch:\n%s\ngit: exit %d, stderr:\n%s\nours: exit %d, stderr:\n%s\ngit files:\n%s\nour files:\n%s",
			strings.Join(args, " "), patch, want.code, want.stderr, got.code, got.stderr, want.files, got.files)
	}
}
