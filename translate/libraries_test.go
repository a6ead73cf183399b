package translate_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/translate"
)

// libraryCase is a script installed with the libraries it sources by a
// name known only at run time (as git-flow sources
// "$GITFLOW_DIR/git-flow-$SUBCOMMAND" and tg "$cmddir/tg-$cmd").
type libraryCase struct {
	// Script is the text of git-NAME, the case's name.
	Script string
	// Libs are the library files installed beside it, by name.
	Libs map[string]string
	// Runs are argument lists to run it with.
	Runs [][]string
}

// libraryCases are run under dash from the directory they are installed
// in, and as their translation: one program, in a directory of its own
// where no library file is, run through a symbolic link named git-NAME
// in yet another (as the parity overlay runs it).
var libraryCases = map[string]libraryCase{
	// The script finds its libraries next to itself (git-flow:49, :162,
	// :168): the translation carries them, and they stand beside it.
	"libfind": {
		Script: `dir=$(dirname "$(readlink -e "$0")")
sub=$1; shift
if [ ! -e "$dir/lib-$sub" ]; then
	echo "no subcommand $sub"
	exit 1
fi
[ -f "$dir/lib-$sub" ] && [ -r "$dir/lib-$sub" ] && [ -s "$dir/lib-$sub" ] && echo "lib-$sub: a file"
[ -d "$dir/lib-$sub" ] || echo "lib-$sub: not a directory"
[ -e "$dir/lib-none" ] || echo "lib-none: absent"
[ -e "/nonexistent/lib-$sub" ] || echo "lib-$sub elsewhere: absent"
. "$dir/lib-$sub"
type "cmd_$sub" >/dev/null 2>&1 && echo "cmd_$sub: defined"
type cmd_nope >/dev/null 2>&1 || echo "cmd_nope: not defined"
type "cmd_$sub"
command -v "cmd_$sub"
"cmd_$sub" "$@"`,
		Libs: map[string]string{
			"lib-a": `cmd_a() { echo "a: $#: $*"; }`,
			"lib-b": `cmd_b() { echo "b: $#"; }`,
		},
		Runs: [][]string{{"a", "x", "y z"}, {"b"}, {"c"}},
	},
	// A library calls a function of the script that sourced it, which
	// exits (tg-delete:38 calling tg's die, tg:15).
	"libexit": {
		Script: `die() {
	echo "fatal: $*" >&2
	exit 3
}
dir=$(dirname "$(readlink -e "$0")")
echo before
. "$dir/lib-$1"
echo "not after the library"`,
		Libs: map[string]string{
			"lib-or":    "false || die \"in an or-list\"\necho \"not after die\"",
			"lib-plain": "echo in lib\ndie plain\necho \"not after die\"",
			"lib-func":  "f() {\n\tdie \"in a function\"\n\techo \"not after die in f\"\n}\nf\necho \"not after f\"",
			"lib-if":    "if true; then\n\tdie \"in an if\"\nfi\necho \"not after the if\"",
		},
		Runs: [][]string{{"or"}, {"plain"}, {"func"}, {"if"}},
	},
	// A function defined by eval (no library) exits: the translation
	// cannot know the name is a function and checks after the call.
	"evalfunc": {
		Script: `eval 'die() { echo "dying: $*"; exit 4; }'
echo start
die now
echo "not after die"`,
		Runs: [][]string{{}},
	},
	// The script turns on set -e, then sources a library: the library
	// runs under it (tg:340 before tg sources tg-$cmd). A function of
	// the script's failing in the library's condition does not end it
	// (tg-create:74 `! ref_exists "$name" || die ...`); a failing
	// command outside a condition does.
	"liberrexit": {
		Script: `missing() {
	test -e "$1"
}
set -e
dir=$(dirname "$(readlink -e "$0")")
. "$dir/lib-$1"
echo "after the library"`,
		Libs: map[string]string{
			"lib-cond": "! missing /nonexistent || echo \"exists\"\nif missing /nonexistent; then echo yes; else echo no; fi\nmissing /nonexistent && echo yes\necho \"the library goes on\"",
			"lib-fail": "echo \"in lib-fail\"\nmissing /nonexistent\necho \"not after the failure\"",
		},
		Runs: [][]string{{"cond"}, {"fail"}},
	},
}

// TestLibrariesAgainstDash translates each case's libraries (as
// AddLibrary, by file name) and script, and wants each run's output and
// status to be dash's on the installed files.
func TestLibrariesAgainstDash(t *testing.T) {
	installed := t.TempDir()
	module := "kiln.test/libs"
	dir, err := os.MkdirTemp(sharedDir, "libs-")
	if err != nil {
		t.Fatal(err)
	}
	writeModuleFiles(t, dir, module)
	proj := &translate.Project{Module: module}
	var names []string
	for name := range libraryCases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := libraryCases[name]
		var libs []string
		for lib := range c.Libs {
			libs = append(libs, lib)
		}
		sort.Strings(libs)
		for _, lib := range libs {
			p := filepath.Join(installed, lib)
			if err := os.WriteFile(p, []byte(c.Libs[lib]+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			if _, err := proj.AddLibrary(p, ""); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(installed, "git-"+name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+c.Script+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := proj.Add(p, ""); err != nil {
			t.Fatal(err)
		}
	}
	outputs := map[string]*translate.Output{}
	for _, o := range proj.Outputs {
		outputs[o.Package] = o
	}
	writeCorpus2Module(t, dir, module, outputs)
	bin := filepath.Join(dir, "builtins")
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "build", "-o", bin, "./cmd/builtins")
	links := t.TempDir()
	for _, name := range names {
		if err := os.Symlink(bin, filepath.Join(links, "git-"+name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range names {
		for _, args := range libraryCases[name].Runs {
			run := strings.Join(args, "_")
			if run == "" {
				run = "no-args"
			}
			t.Run(name+"/"+run, func(t *testing.T) {
				work := t.TempDir()
				wantOut, wantErr, wantStatus := runIn(t, work, append([]string{"dash", filepath.Join(installed, "git-"+name)}, args...)...)
				gotOut, gotErr, gotStatus := runIn(t, work, append([]string{filepath.Join(links, "git-"+name)}, args...)...)
				if gotOut != wantOut || gotErr != wantErr || gotStatus != wantStatus {
					t.Errorf("dash: status %d\nstdout:\n%s\nstderr:\n%s\ntranslation: status %d\nstdout:\n%s\nstderr:\n%s",
						wantStatus, wantOut, wantErr, gotStatus, gotOut, gotErr)
				}
			})
		}
	}
}
