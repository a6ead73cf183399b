package gitcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// mailinfoCase is one git mailinfo run: in dir (under a fresh
// repository "repo" with a subdirectory "sub", or "plain" outside any
// repository), with config lines set in the repository.
type mailinfoCase struct {
	name   string
	dir    string
	config []string // key=value pairs for git config
	args   []string
	stdin  string
	files  []string // files to compare after the run, relative to dir
}

// runMailinfoCase runs c with git and with gitapi in the same place and
// compares stdout, stderr, status and the files written.
func runMailinfoCase(t *testing.T, c mailinfoCase) {
	t.Helper()
	f := gittest.NewDir(t)
	f.Git(t, ".", "init", "-q", "repo")
	os.MkdirAll(filepath.Join(f.Root, "repo/sub"), 0o777)
	os.MkdirAll(filepath.Join(f.Root, "plain"), 0o777)
	for _, kv := range c.config {
		k, v, hasValue := strings.Cut(kv, "=")
		if !hasValue {
			// A valueless key ("[i18n] commitEncoding"), which git
			// config cannot write.
			section, name, _ := strings.Cut(k, ".")
			f.AppendFile(t, "repo/.git/config", "["+section+"]\n\t"+name+"\n")
			continue
		}
		f.Git(t, "repo", "config", k, v)
	}
	dir := c.dir
	if dir == "" {
		dir = "repo"
	}
	files := c.files
	if files == nil {
		files = []string{"msg", "patch"}
	}
	snapshot := func() map[string]string {
		got := map[string]string{}
		for _, name := range files {
			p := filepath.Join(f.Root, dir, name)
			if data, err := os.ReadFile(p); err == nil {
				got[name] = string(data)
				os.Remove(p)
			} else {
				got[name] = "<missing>"
			}
		}
		return got
	}
	want := f.RunGit(t, dir, nil, c.stdin, c.args)
	wantFiles := snapshot()
	got := runKiln(f, dir, nil, c.stdin, c.args)
	gotFiles := snapshot()
	if got != want {
		t.Errorf("git:   status %d\nstdout:\n%s\nstderr:\n%s\nkiln:  status %d\nstdout:\n%s\nstderr:\n%s",
			want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
	}
	for name, w := range wantFiles {
		if gotFiles[name] != w {
			t.Errorf("file %s: git %q, kiln %q", name, w, gotFiles[name])
		}
	}
}

const plainMail = "From: A U Thor <author@example.com>\nSubject: [PATCH v2 1/2] [topic] fix it\n" +
	"Date: Thu, 7 Apr 2005 15:13:13 -0700\nMessage-Id: <123@example.com>\n\n" +
	"Body line.\n-- >8 --\nSubject: after scissors\n\nReal body.\r\n---\n a | 1 +\n\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1,2 @@\n a\n+b\n"

// TestMailinfoCommandAgainstGit compares `git mailinfo`'s command line:
// flags, usage errors, configuration defaults and bad values, paths from
// a subdirectory and outside a repository, unwritable outputs.
func TestMailinfoCommandAgainstGit(t *testing.T) {
	latin := "From: =?UTF-8?q?J=C3=B6rg?= <j@example.com>\nSubject: =?ISO-8859-1?q?caf=E9?=\n\nbody\n"
	cases := []mailinfoCase{
		{name: "plain", args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "k", args: []string{"mailinfo", "-k", "msg", "patch"}, stdin: plainMail},
		{name: "b", args: []string{"mailinfo", "-b", "msg", "patch"}, stdin: plainMail},
		{name: "m", args: []string{"mailinfo", "--message-id", "msg", "patch"}, stdin: plainMail},
		{name: "scissors", args: []string{"mailinfo", "--scissors", "msg", "patch"}, stdin: plainMail},
		{name: "scissors-config", config: []string{"mailinfo.scissors=true"}, args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "no-scissors-over-config", config: []string{"mailinfo.scissors=true"}, args: []string{"mailinfo", "--no-scissors", "msg", "patch"}, stdin: plainMail},
		{name: "bad-scissors-config", config: []string{"mailinfo.scissors=maybe"}, args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "quoted-cr-strip", args: []string{"mailinfo", "--quoted-cr=strip", "msg", "patch"}, stdin: plainMail},
		{name: "quoted-cr-nowarn-separate", args: []string{"mailinfo", "--quoted-cr", "nowarn", "msg", "patch"}, stdin: plainMail},
		{name: "quoted-cr-bad", args: []string{"mailinfo", "--quoted-cr=bad", "msg", "patch"}, stdin: plainMail},
		{name: "quoted-cr-config", config: []string{"mailinfo.quotedCr=strip"}, args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "quoted-cr-config-bad", config: []string{"mailinfo.quotedCr=bogus"}, args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "quoted-cr-config-bad-before-usage", config: []string{"mailinfo.quotedCr=bogus"}, args: []string{"mailinfo", "msg"}, stdin: plainMail},
		{name: "quoted-cr-command-line-bad", args: []string{"-c", "mailinfo.quotedCr=bogus", "mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "commit-encoding-command-line-valueless", args: []string{"-c", "i18n.commitEncoding", "mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "commit-encoding-valueless", config: []string{"i18n.commitEncoding"}, args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "scissors-valueless", config: []string{"mailinfo.scissors"}, args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "u-default-encoding", args: []string{"mailinfo", "-u", "msg", "patch"}, stdin: latin},
		{name: "commit-encoding", config: []string{"i18n.commitEncoding=ISO-8859-1"}, args: []string{"mailinfo", "msg", "patch"}, stdin: latin},
		{name: "n", args: []string{"mailinfo", "-n", "msg", "patch"}, stdin: latin},
		{name: "encoding-ignored", args: []string{"mailinfo", "--encoding=ISO-8859-1", "msg", "patch"}, stdin: latin},
		{name: "u-after-n", args: []string{"mailinfo", "-nu", "msg", "patch"}, stdin: latin},
		{name: "no-inbody-headers", args: []string{"mailinfo", "--no-inbody-headers", "msg", "patch"}, stdin: "From: a <a@b>\nSubject: s\n\nFrom: b <b@c>\nSubject: t\n\nbody\n"},
		{name: "too-few", args: []string{"mailinfo", "msg"}, files: []string{}},
		{name: "too-many", args: []string{"mailinfo", "a", "b", "c"}, files: []string{"a", "b"}},
		{name: "help", args: []string{"mailinfo", "-h"}, files: []string{}},
		{name: "help-all", args: []string{"mailinfo", "--help-all"}, files: []string{}},
		{name: "unknown-switch", args: []string{"mailinfo", "-x", "msg", "patch"}},
		{name: "no-u", args: []string{"mailinfo", "--no-u", "msg", "patch"}},
		{name: "no-encoding", args: []string{"mailinfo", "--no-encoding", "msg", "patch"}},
		{name: "encoding-eats-arg", args: []string{"mailinfo", "--encoding", "msg", "patch"}},
		{name: "empty", args: []string{"mailinfo", "msg", "patch"}, stdin: "\n\n"},
		{name: "subdir", dir: "repo/sub", args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "subdir-empty", dir: "repo/sub", args: []string{"mailinfo", "m", "p"}, stdin: "", files: []string{"m", "p"}},
		{name: "outside-repo", dir: "plain", args: []string{"mailinfo", "msg", "patch"}, stdin: plainMail},
		{name: "outside-repo-empty", dir: "plain", args: []string{"mailinfo", "msg", "patch"}, stdin: ""},
		{name: "inside-git-dir", dir: "repo/.git", args: []string{"mailinfo", "msg", "patch"}, stdin: ""},
		{name: "global-C", dir: "plain", args: []string{"-C", "../repo/sub", "mailinfo", "msg", "patch"}, stdin: "", files: []string{"../repo/sub/msg", "../repo/sub/patch"}},
		{name: "absolute-paths-subdir", dir: "repo/sub", args: []string{"mailinfo", "/nonexistent/msg", "patch"}, stdin: plainMail},
		{name: "msg-dir-missing", args: []string{"mailinfo", "nodir/msg", "patch"}, stdin: plainMail},
		{name: "patch-dir-missing-subdir", dir: "repo/sub", args: []string{"mailinfo", "msg", "nodir/patch"}, stdin: plainMail},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runMailinfoCase(t, c)
		})
	}
}

// TestMailinfoCorpusAgainstGit runs every mail of the mailinfo package's
// corpus through `git mailinfo` and the face, with and without -k -b -m
// --scissors.
func TestMailinfoCorpusAgainstGit(t *testing.T) {
	mails, err := filepath.Glob("../mailinfo/testdata/*.eml")
	if err != nil || len(mails) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, path := range mails {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, flags := range [][]string{nil, {"-k", "-m", "--scissors"}, {"-b", "-n", "--quoted-cr=strip"}} {
			args := append(append([]string{"mailinfo"}, flags...), "msg", "patch")
			name := filepath.Base(path) + " " + strings.Join(flags, " ")
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				runMailinfoCase(t, mailinfoCase{args: args, stdin: string(data)})
			})
		}
	}
}
