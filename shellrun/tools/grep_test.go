package tools

import "testing"

func TestGrepMatchesGNU(t *testing.T) {
	files := map[string]string{"f1": "a\nB\n", "f2": "b\nab\nc", "d/": "", "bin": "a\x00b\nx\n"}
	runCases(t, []toolCase{
		{args: args("grep", "-q", "^mergetool$"), stdin: "vimdiff\nmergetool\n"},
		{args: args("grep", "-q", "^nope$"), stdin: "vimdiff\nmergetool\n"},
		{args: args("grep", "^-----BEGIN PGP SIGNATURE-----"), stdin: tagObject},
		{args: args("grep", "-q", "^[0-9][0-9]*$"), stdin: "1700000000\n"},
		{args: args("grep", "--", "-f *$"), stdin: "lighttpd -f\napache2\n"},
		{args: args("grep", `mod_cgi\.c`), stdin: "mod_cgi.c\nmod_cgixc\n"},
		{args: args("grep", "-Ei", `^PROGRAM(FILES(\(X86\))?|W6432)=`), stdin: "ProgramFiles(x86)=C:\nPATH=x\nPROGRAMW6432=y\n"},
		{args: args("grep", "-v", "a"), stdin: "a\nb\nc"},
		{args: args("grep", "-c", ""), stdin: "a\nb"},
		{args: args("grep", "-c", "x"), stdin: ""},
		{args: args("grep", "-x", "-e", "a", "-e", "ab"), stdin: "ab\nabc\na\n"},
		{args: args("grep", "-F", "a.b"), stdin: "a.b\naxb\n"},
		{args: args("grep", "-Fx", "a.b"), stdin: "a.b\n a.b\n"},
		{args: args("grep", "-i", "b"), stdin: "B\nb\nc\n"},
		{args: args("grep", "-in", "B", "f1", "f2"), files: files},
		{args: args("grep", "-h", "b", "f1", "f2"), files: files},
		{args: args("grep", "-H", "a", "f1"), files: files},
		{args: args("grep", "-c", "a", "f1", "f2"), files: files},
		{args: args("grep", "-l", "b", "f1", "f2", "-"), files: files, stdin: "b\n"},
		{args: args("grep", "-e", "a", "nosuch", "f1"), files: files},
		{args: args("grep", "-s", "a", "nosuch"), files: files},
		{args: args("grep", "-q", "a", "f1", "nosuch"), files: files},
		{args: args("grep", "-q", "a", "nosuch", "f1"), files: files},
		{args: args("grep", "x", "d"), files: files},
		{args: args("grep", "x", "bin"), files: files},
		{args: args("grep", "-c", "a"), stdin: "a\x00b\nx\na\n"},
		{args: args("grep", "-q", "^x"), stdin: "a\x00x\n"},
		{args: args("grep", "-q", "x"), stdin: "b\nx\na\x00\n"},
		{args: args("grep", "-q", "x"), stdin: "b\na\x00\nx\n"},
		{args: args("grep", "-qv", "b"), stdin: "b\nb"},
		{args: args("grep", "-q", "x", "f1", "-", "nosuch"), files: files, stdin: "x\n"},
		{args: args("grep", "-q", "x", "f1", "-", "nosuch"), files: files, stdin: "y\n"},
		{args: args("grep", "-q", "x", "-", "-"), stdin: "y\n"},
		{args: args("grep", "a\nc"), stdin: "a\nb\nc\n"},
		{args: args("grep", "\xe9"), stdin: "caf\xe9\n"},
		{args: args("grep", "."), stdin: "caf\xe9\n", env: []string{"LC_ALL=C.UTF-8"}},
		{args: args("grep", "x"), stdin: "x\xe9\n", env: []string{"LC_ALL=C.UTF-8"}},
		// Refused: the real grep runs (or reports the error).
		{args: args("grep", "-w", "a"), refused: true},
		{args: args("grep", "-o", "a"), refused: true},
		{args: args("grep", `\(`), refused: true},
		{args: args("grep", "-E", "a{1"), refused: true},
		{args: args("grep", "-r", "a"), refused: true},
		{args: args("grep"), refused: true},
	})
}
