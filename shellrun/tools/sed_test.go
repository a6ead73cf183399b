package tools

import (
	"strings"
	"testing"
)

const tagObject = "object 0123\ntype commit\ntag v1\ntagger T <t@e> 1 +0000\n\nmessage\n\nbody\n-----BEGIN PGP SIGNATURE-----\nsig\n-----END PGP SIGNATURE-----\n"

const rawCommit = "tree abc\nparent def\nauthor A U Thor <a@e.com> 1112911993 -0700\ncommitter C O Mitter <c@e.com> 1112911993 -0700\n\nsubject it's\n"

// pickIdent is the script git-sh-setup's pick_ident_script generates for
// "author AUTHOR", built here from its shape.
const pickIdent = `
		/^author /{
			s/'/'\\''/g
			h
			s/^author \([^<]*\) <[^>]*> .*$/\1/
			s/.*/GIT_AUTHOR_NAME='&'/p

			g
			s/^author [^<]* <\([^>]*\)> .*$/\1/
			s/.*/GIT_AUTHOR_EMAIL='&'/p

			g
			s/^author [^<]* <[^>]*> \(.*\)$/@\1/
			s/.*/GIT_AUTHOR_DATE='&'/p
		}
		/^$/q`

func TestSedMatchesGNU(t *testing.T) {
	info := map[string]string{"info": "Author: A U Thor\nEmail: a@e.com\nSubject: Fix: it\nDate: now\nAuthor: again\n"}
	two := map[string]string{"f1": "a\n", "f2": "b\nc\n", "nonl": "x", "d/": ""}
	runCases(t, []toolCase{
		{args: args("sed", "-ne", "s/Author: //p", "info"), files: info},
		{args: args("sed", "-ne", "s/Subject: //p", "info"), files: info},
		{args: args("sed", "-ne", "s/Nothing: //p", "info"), files: info},
		{args: args("sed", "-e", "s/.patch$//"), stdin: "0001-fix.patch\nxpatch\npatch\n"},
		{args: args("sed", "-e", "s/^/    /"), stdin: "a\nb\n"},
		{args: args("sed", "-e", "s/-/ /"), stdin: "git-sub-module\n"},
		{args: args("sed", "-e", "s/-/_/g"), stdin: "add-foo-bar\n"},
		{args: args("sed", "-e", "s/konqueror$/kfmclient/"), stdin: "/usr/bin/konqueror\n"},
		{args: args("sed", "s/-f$/-l/"), stdin: "httpd -f\n"},
		{args: args("sed", "-n", "-e", "1,/^$/d", "-e", "/^-----BEGIN PGP /q", "-e", "p"), stdin: tagObject},
		{args: args("sed", "-n", "-e", "1,/^$/{\n/^object /d\n/^type /d\n/^tag /d\n}", "-e", "/^-----BEGIN PGP SIGNATURE-----/q", "-e", "p"), stdin: tagObject},
		{args: args("sed", "-ne", pickIdent), stdin: rawCommit, env: []string{"LANG=C", "LC_ALL=C"}},
		{args: args("sed", "-e", "1d"), stdin: "x\ny\n"},
		{args: args("sed", "-n", "1p"), stdin: "x\ny\n"},
		{args: args("sed", "-n", "$p"), stdin: "x\ny\n"},
		{args: args("sed", "-n", "$="), stdin: "x\ny\nz"},
		{args: args("sed", "2q"), stdin: "x\ny\nz\n"},
		{args: args("sed", "2q5"), stdin: "x\ny\nz\n"},
		{args: args("sed", "2Q"), stdin: "x\ny\nz\n"},
		{args: args("sed", "p"), stdin: "no newline"},
		{args: args("sed", "x"), stdin: "a"},
		{args: args("sed", "-n", "2h;2G;2p"), stdin: "a\nb"},
		{args: args("sed", "-n", "1H;2x;2p"), stdin: "a\nb"},
		{args: args("sed", "$!d"), stdin: "1\n2\n3\n"},
		{args: args("sed", "2,3!s/^/>/"), stdin: "1\n2\n3\n4\n"},
		{args: args("sed", "-n", "2,1p;/b/,/d/p"), stdin: "a\nb\nc\nd\ne\nb\n"},
		{args: args("sed", "-n", "2,3{n;n;p}"), stdin: "1\n2\n3\n4\n5\n6\n7\n"},
		{args: args("sed", "n;d"), stdin: "1\n2\n3\n"},
		{args: args("sed", "s/x*/-/g"), stdin: "abc\nbaaac\n"},
		{args: args("sed", "s/a*/x/g"), stdin: "baaac\n"},
		{args: args("sed", "s/a/X/2"), stdin: "aaaa\n"},
		{args: args("sed", "s/a/X/2g"), stdin: "aaaa\n"},
		{args: args("sed", `s/\(a\)\(b\)/\2\1&\n\&\\/`), stdin: "xaby\n"},
		{args: args("sed", `s|/|\||g`), stdin: "a/b/c\n"},
		{args: args("sed", "s/A/x/Ig"), stdin: "aAbA\n"},
		{args: args("sed", "-E", "s/(a|b)+/<&>/"), stdin: "xababy\n"},
		{args: args("sed", `s/a\+/+/;s/c\?d/?/`), stdin: "caaad\n"},
		{args: args("sed", `s/[[:digit:]][0-9]*/N/g;s/[^a-z ]/_/`), stdin: "ab 12 c3!\n"},
		{args: args("sed", `s/./X/g`), stdin: "\xc3\xa9t\xe9\n"},
		{args: args("sed", `s/./X/g`), stdin: "\xc3\xa9t\n", env: []string{"LC_ALL=C.UTF-8"}},
		{args: args("sed", `s/./X/g`), stdin: "\xc3\xa9t\xe9\n", env: []string{"LC_ALL=C.UTF-8"}},
		{args: args("sed", "q"), stdin: "0"},
		{args: args("sed", "-n", "p;q"), stdin: "0"},
		{args: args("sed", "p;Q"), stdin: "0"},
		{args: args("sed", "2,3!{p;n;=}"), stdin: "a\nb c\n\nca b a\nabc"},
		{args: args("sed", "-n", "2,3p;4,5{n;p}"), stdin: "1\n2\n3\n4\n5\n6\n7\n"},
		{args: args("sed", "p", "f1", "nosuch", "f2"), files: two},
		{args: args("sed", "q", "f1", "nosuch"), files: two},
		{args: args("sed", "q", "nosuch", "f1"), files: two},
		{args: args("sed", "-n", "$p", "f1", "nosuch"), files: two},
		{args: args("sed", "p", "f1", "d", "f2"), files: two},
		{args: args("sed", "p", "nonl", "f1"), files: two},
		{args: args("sed", "=", "-", "f2"), files: two, stdin: "in\n"},
		{args: args("sed", "-n", "/a/,$p", "--", "f1", "f2"), files: two},
		// Forms the tool refuses, for the real sed to run (or reject).
		{args: args("sed", "s/a/b"), refused: true},
		{args: args("sed", `s/\(/x/`), refused: true},
		{args: args("sed", `s/a/\1/`), refused: true},
		{args: args("sed", `s/\(a\)\1/x/`), refused: true},
		{args: args("sed", "-i", "s/a/b/", "f1"), files: two, refused: true},
		{args: args("sed", "a\\\nx"), refused: true},
		{args: args("sed", "y/ab/ba/"), refused: true},
		{args: args("sed", "s/a/b/w out"), refused: true},
		{args: args("sed", "p x"), refused: true},
		{args: args("sed", "#n\np"), refused: true},
		{args: args("sed", "0,/a/d"), refused: true},
		{args: args("sed", "s/a/\\U&/"), refused: true},
		{args: args("sed", "//p"), refused: true},
		{args: args("sed"), refused: true},
		{args: args("sed", "--version"), refused: true},
	})
}

// FuzzSedParse checks that compiling any script never panics and that a
// script the parser accepts runs without panicking.
func FuzzSedParse(f *testing.F) {
	for _, s := range []string{pickIdent, "1,/^$/d", `s/\(a\)*/\1/g`, "2,3!{p;n;=}", "s/[[:x/y/", `\(\|\)`, "$!N", "s/a/b/3gpI"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, script string, ere bool) {
		cmds, err := compileSed(script, reSyntax{ere: ere, sedEscapes: true})
		if err != nil {
			return
		}
		for _, c := range cmds {
			if c.name == '{' && (c.blockEnd <= 0 || c.blockEnd > len(cmds)) {
				t.Fatalf("block without its end in %q", script)
			}
		}
	})
}

// FuzzSedMatchesGNU runs every script the tool accepts both ways, on a
// few lines of input, and compares the results with GNU sed's.
func FuzzSedMatchesGNU(f *testing.F) {
	for _, s := range []string{pickIdent, "1,/^$/d", `s/\(a\)*/\1/g`, "2,3!{p;n;=}", "$!d;s/b/&&/2g", `/a/,/c/{s/./X/2;p}`, "n;n;h;G;x;H;g", `s/[^ab]\+$/<&>/`} {
		f.Add(s, "a\nb c\n\nca b a\nabc", false)
	}
	f.Fuzz(func(t *testing.T, script, input string, quiet bool) {
		argv := []string{"sed", "-e", script}
		if quiet {
			argv = []string{"sed", "-n", "-e", script}
		}
		if strings.ContainsRune(script, 0) || !Handles("sed", argv[1:]) {
			return // no program argument holds a NUL
		}
		tc := toolCase{args: argv, stdin: input}
		real, ours := runReal(t, tc), outcome{}
		ours, handled := runOurs(t, tc)
		if !handled {
			t.Fatalf("Handles accepted %q but Run refused it", script)
		}
		if real.Stdout != ours.Stdout || real.Stderr != ours.Stderr || real.Status != ours.Status {
			t.Errorf("script %q on %q:\nreal %q %q %d\nours %q %q %d", script, input,
				real.Stdout, real.Stderr, real.Status, ours.Stdout, ours.Stderr, ours.Status)
		}
	})
}
