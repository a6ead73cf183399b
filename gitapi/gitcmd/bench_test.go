package gitcmd

import (
	"bytes"
	"testing"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// benchMail is a format-patch mail of the forward patch.
func benchMail(br *gittest.BenchRepo) []byte {
	return []byte("From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n" +
		"From: A U Thor <author@example.com>\nDate: Thu, 7 Apr 2005 15:13:13 -0700\n" +
		"Subject: [PATCH 1/3] big: change three places\n\nThe body of the message,\nover two lines.\n\n" +
		"Signed-off-by: A U Thor <author@example.com>\n---\n big.txt | 9 ++++++---\n 1 file changed\n\n" +
		string(br.Forward) + "-- \n2.39.5\n\n")
}

// BenchmarkMailinfo is `kiln git mailinfo msg patch < mail`: the argv
// face, files written, info on stdout.
func BenchmarkMailinfo(b *testing.B) {
	br := gittest.NewBenchRepo(b)
	mail := benchMail(br)
	opts := gitapi.Options{Dir: br.Dir, Env: br.Env}
	var out, errb bytes.Buffer
	for b.Loop() {
		out.Reset()
		if Run([]string{"mailinfo", "../msg", "../patch"}, opts, Stdio{In: bytes.NewReader(mail), Out: &out, Err: &errb}) != 0 {
			b.Fatalf("mailinfo: %s", errb.String())
		}
	}
}

// BenchmarkSpawnMailinfo spawns `git mailinfo` on the same mail.
func BenchmarkSpawnMailinfo(b *testing.B) {
	br := gittest.NewBenchRepo(b)
	mail := benchMail(br)
	for b.Loop() {
		gittest.SpawnGit(b, br.Dir, br.Env, mail, "mailinfo", "../msg", "../patch")
	}
}
