package translate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/translate"
)

// optionScript is an OPTIONS_SPEC script whose loop is plain but for
// the arm of -n, which is given as a parameter.
func optionScript(dryRunArm string) string {
	return `#!/bin/sh
OPTIONS_KEEPDASHDASH=
OPTIONS_STUCKLONG=
OPTIONS_SPEC="\
git t [options]
--
n,dry-run     dry run
author=       the author
keep-going    go on
"
. git-sh-setup

dry_run=
while test $# != 0
do
	case "$1" in
	--author)
		shift
		author="$1"
		;;
	-n)
		` + dryRunArm + `
		;;
	--keep-going)
		KEEP=yes
		;;
	--)
		shift
		break;;
	*)
		usage
		;;
	esac
	shift
done
echo "$dry_run $author $KEEP $*"
`
}

// translateOptionScript translates an option script with --idiomatic.
func translateOptionScript(t *testing.T, text string) *translate.Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), "git-t")
	if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
	proj := &translate.Project{ExecPath: execPath(t), Module: "kiln.test/translated", Idiomatic: true}
	out, err := proj.Add(path, "")
	if err != nil {
		t.Fatal(err)
	}
	return out.Result
}

// TestOptionLoopLowered: a plain option loop becomes the options struct,
// its parser, and code that assigns the script's variables from it; the
// raw stage keeps the loop.
func TestOptionLoopLowered(t *testing.T) {
	res := translateOptionScript(t, optionScript("dry_run=1"))
	src := string(res.Go)
	for _, want := range []string{
		"type options struct {\n\tdryRun    bool    // -n: dry run\n\tauthor    *string // --author: the author\n\tkeepGoing bool    // --keep-going: go on\n}",
		"opts, rest, unknown := parseOptions(s.Args())",
		"if opts.dryRun {\n\t\t\tdryRun = \"1\"\n\t\t}",
		"shellrun.SetGiven(&author, opts.author)",
		"if opts.keepGoing {\n\t\t\tkeep = \"yes\"\n\t\t}",
		"s.SetArgs(rest...)",
		"case p.Option.Long == \"dry-run\" && !p.Unset:\n\t\t\topts.dryRun = true",
		"{Short: 'n', Long: \"dry-run\", Help: \"dry run\"},",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("idiomatic Go lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(src, "option loop kept") || strings.Contains(src, "switch word := s.Arg(1)") {
		t.Errorf("the loop is still written:\n%s", src)
	}
	if ol := res.Report.Lowering.OptionLoops; ol == nil || ol.Lowered != 1 || ol.Kept != 0 {
		t.Errorf("OptionLoops = %+v, want 1 lowered", ol)
	}
}

// TestOptionLoopKept: an arm that runs a command keeps the loop, marked
// with the reason, and counted.
func TestOptionLoopKept(t *testing.T) {
	res := translateOptionScript(t, optionScript("dry_run=1; echo dry"))
	src := string(res.Go)
	want := "// kiln:review option loop kept: the arm of -n runs more than assignments"
	if !strings.Contains(src, want) || !strings.Contains(src, "switch word := s.Arg(1)") {
		t.Errorf("idiomatic Go lacks %q and the loop:\n%s", want, src)
	}
	if strings.Contains(src, "type options struct") {
		t.Errorf("an options struct is written for a kept loop:\n%s", src)
	}
	if ol := res.Report.Lowering.OptionLoops; ol == nil || ol.Lowered != 0 || ol.Kept != 1 {
		t.Errorf("OptionLoops = %+v, want 1 kept", ol)
	}
}

// TestOptionLoopBesideNamelessAssign: an assignment without a literal
// name (bash's `local "$1"`, `declare -a "arr"`) beside an option loop
// is no OPTIONS_SPEC; the analysis once dereferenced its missing name
// and panicked (git-extras, make check-corpus2 STAGE=idiomatic).
func TestOptionLoopBesideNamelessAssign(t *testing.T) {
	res := translateOptionScript(t, `#!/bin/bash
f() {
	local "$1"
	declare -a "arr"
	echo ok
}
f x
while test $# != 0; do case "$1" in -a) echo a;; esac; shift; done
`)
	if !strings.Contains(string(res.Go), "func f(") {
		t.Errorf("no function f in the translation:\n%s", res.Go)
	}
}
