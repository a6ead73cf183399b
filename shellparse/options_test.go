package shellparse

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseOptionSpec(t *testing.T) {
	spec, err := ParseOptionSpec("git frob [options] <file>\n\n--\nn,dry-run   do nothing\nauthor=name  who to blame\n" +
		"q           be quiet\nS,sign?key-id sign it\nsecret*     hidden\nforce!      no negation\n Actions\nh,help show help\n")
	if err != nil {
		t.Fatal(err)
	}
	want := &OptionSpec{
		Usage: []string{"git frob [options] <file>"},
		Options: []SpecOption{
			{Short: "n", Long: "dry-run", Help: "do nothing"},
			{Long: "author", TakesArg: true, ArgHint: "name", Help: "who to blame"},
			{Short: "q", Help: "be quiet"},
			{Short: "S", Long: "sign", TakesArg: true, OptionalArg: true, ArgHint: "key-id", Help: "sign it"},
			{Long: "secret", Hidden: true, Help: "hidden"},
			{Long: "force", NoNegation: true, Help: "no negation"},
			{Short: "h", Long: "help", Help: "show help"},
		},
		Groups: []string{"Actions"},
	}
	if diff := cmp.Diff(want, spec); diff != "" {
		t.Errorf("spec (-want +got):\n%s", diff)
	}
}

func TestOptionChecks(t *testing.T) {
	src := `#!/bin/sh
OPTIONS_SPEC="\
git frob [options]
--
n,dry-run     do nothing
author=       who to blame
keep          keep going
h,help        show help
"
. git-sh-setup
while test $# != 0
do
	case "$1" in
	-n|--dry-run) dry_run=1 ;;
	--author) shift; author="$1" ;;
	--verbose) verbose=1 ;;
	--st|--strategy) shift ;;
	--tool*) tool=1 ;;
	--) shift; break ;;
	*) usage ;;
	esac
	shift
done
`
	rep := NewScanner(Config{ExecPath: fakeExecPath(t)}).ScanSource("frob.sh", []byte(src))
	sc := rep.Scripts[0]
	if sc.Options == nil || sc.Options.Spec == nil || len(sc.Options.Loops) != 1 {
		t.Fatalf("options = %+v", sc.Options)
	}
	var names []string
	for _, o := range sc.Options.Loops[0].Options {
		names = append(names, o.Name)
	}
	if diff := cmp.Diff([]string{"-n", "--dry-run", "--author", "--verbose", "--st", "--strategy", "--tool*"}, names); diff != "" {
		t.Errorf("loop options (-want +got):\n%s", diff)
	}
	var got []string
	for _, f := range sc.Findings {
		if f.Rule == RuleOptionInconsistency {
			got = append(got, fmt.Sprintf("%d:%d %s", f.Line, f.Col, f.Message))
		}
	}
	want := []string{
		"2:1 option --keep is declared in OPTIONS_SPEC but no option loop handles it",
		"16:2 option --verbose is handled but not declared in OPTIONS_SPEC (line 2)",
		"17:2 hard-coded abbreviation --st of --strategy: parse-options would accept any unique prefix",
		"17:7 option --strategy is handled but not declared in OPTIONS_SPEC (line 2)",
		"18:2 glob --tool* accepts any option that starts with --tool, not only --tool and --tool=<value>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// A spec rev-parse --parseopt would refuse is a finding, not a spec.
func TestBadOptionSpec(t *testing.T) {
	src := "OPTIONS_SPEC=\"\\\ngit frob\n--\n=x broken\n\"\n"
	rep := NewScanner(Config{}).ScanSource("frob.sh", []byte(src))
	sc := rep.Scripts[0]
	if sc.Options == nil || sc.Options.Spec != nil || len(sc.Findings) != 1 ||
		sc.Findings[0].Message != "option spec does not parse: missing opt-spec before option flags" {
		t.Fatalf("options %+v, findings %+v", sc.Options, sc.Findings)
	}
}
