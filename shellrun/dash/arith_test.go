package dash

import (
	"fmt"
	"strings"
	"testing"
)

var arithCases = []struct {
	expr string
	vars []string // NAME=value set before the expansion
}{
	{"1+2", nil}, {"  7  ", nil}, {"", nil}, {"  ", nil}, {"2*3+4", nil}, {"2+3*4", nil}, {"(2+3)*4", nil},
	{"10/3", nil}, {"-10/3", nil}, {"10%3", nil}, {"-7%3", nil}, {"7%-3", nil}, {"1/0", nil}, {"1%0", nil},
	{"1<<4", nil}, {"256>>4", nil}, {"-256>>4", nil}, {"1<<65", nil}, {"1<<-1", nil}, {"1<<64", nil},
	{"1<2", nil}, {"2<=2", nil}, {"3>4", nil}, {"3>=4", nil}, {"3==3", nil}, {"3!=3", nil},
	{"6&3", nil}, {"6|3", nil}, {"6^3", nil}, {"~5", nil}, {"!5", nil}, {"!0", nil}, {"-(-3)", nil},
	{"+-+1", nil}, {"3 - - 2", nil}, {"3--2", nil}, {"- 1", nil}, {"--1", nil}, {"!!7", nil},
	{"2||0", nil}, {"0||0", nil}, {"2&&3", nil}, {"0&&5", nil}, {"0 && 1/0+1", nil}, {"1 || 1/0*2", nil},
	{"1 ? 2 : 1/0", nil}, {"0 ? 1/0 : 3", nil}, {"1 ? 2 : 3 ? 4 : 5", nil}, {"0 ? 2 : 0 ? 4 : 5", nil},
	{"1 ? 2", nil}, {"1 ?", nil}, {"? 1", nil}, {"2 > 1 == 1", nil}, {"1|2^3&4", nil}, {"1 < 2 < 3", nil},
	{"1+", nil}, {"+", nil}, {"(1", nil}, {"1)", nil}, {"()", nil}, {"1 2", nil}, {"a b", nil},
	{"1 @ 2", nil}, {"@", nil}, {"09", nil}, {"010", nil}, {"0x1F", nil}, {"0X1f", nil}, {"0x", nil},
	{"1a", nil}, {"99999999999999999999", nil}, {"-9223372036854775807-1", nil},
	{"9223372036854775807+1", nil}, {"1**2", nil}, {"1=2", nil}, {"(x)=2", nil}, {"1 == = 2", nil},
	{"$x", nil}, {"1 ; 2", nil}, {"1,2", nil},
	// Variables.
	{"x", nil}, {"x", []string{"x="}}, {"x", []string{"x=5"}}, {"x+1", []string{"x= 5 "}},
	{"x", []string{"x=abc"}}, {"x", []string{"x=-"}}, {"x", []string{"x=99999999999999999999"}},
	{"x+y", []string{"x=0x10", "y=010"}}, {"x", []string{"x=y", "y=3"}}, {"x", []string{"x=1+1"}},
	{"x", []string{"x=-3"}}, {"x", []string{"x=08"}}, {"x", []string{"x=  "}},
	{"x=5", nil}, {"x = 5", nil}, {"x=y=3", nil}, {"x+=2", []string{"x=5"}}, {"x-=2", []string{"x=5"}},
	{"x*=3", []string{"x=5"}}, {"x/=2", []string{"x=5"}}, {"x%=2", []string{"x=5"}}, {"x<<=2", []string{"x=5"}},
	{"x>>=1", []string{"x=5"}}, {"x&=4", []string{"x=5"}}, {"x|=2", []string{"x=5"}}, {"x^=1", []string{"x=5"}},
	{"x/=0", []string{"x=5"}}, {"x+=y", []string{"x=abc", "y=1"}}, {"x==5", []string{"x=5"}},
	{"0 && (x=5)", nil}, {"1 || (x=5)", nil}, {"1 && (x=5)", nil}, {"0 ? (x=1) : (y=2)", nil},
	{"(x=2) + (y=x*3)", nil}, {"x=1/0", nil}, {"x = y = 1/0", nil}, {"(x=3", nil},
	{"_a1+B", []string{"_a1=4", "B=2"}}, {"0 && x", []string{"x=abc"}}, {"x ? 1 : 2", []string{"x=0"}},
	{"x++", []string{"x=1"}}, {"-x", []string{"x=-9223372036854775808"}},
}

func TestArithAgainstDash(t *testing.T) {
	requireDash(t)
	dir := t.TempDir()
	for _, tc := range arithCases {
		// The expression comes from $E so that dash's parser sees none
		// of it, as with any expansion inside $(( )).
		script := `r=$(($E)); echo "$r x=${x-unset} y=${y-unset}"`
		want := runDash(t, dir, script, append([]string{"E=" + tc.expr}, tc.vars...))
		vars := map[string]string{}
		for _, v := range tc.vars {
			name, value, _ := strings.Cut(v, "=")
			vars[name] = value
		}
		n, err := Arith(tc.expr, func(name string) string { return vars[name] },
			func(name, value string) { vars[name] = value })
		got := shellResult{Status: 0}
		if err != nil {
			got = shellResult{"", testPrefix + err.Error() + "\n", 2}
		} else {
			got.Stdout = fmt.Sprintf("%d x=%s y=%s\n", n, varOr(vars, "x"), varOr(vars, "y"))
		}
		if got != want {
			t.Errorf("$((%s)) with %q:\n got %#v\ndash %#v", tc.expr, tc.vars, got, want)
		}
	}
}

func varOr(vars map[string]string, name string) string {
	if v, ok := vars[name]; ok {
		return v
	}
	return "unset"
}

func TestArithSetsOnlyWhatItEvaluates(t *testing.T) {
	var set []string
	get := func(string) string { return "" }
	record := func(n, v string) { set = append(set, n+"="+v) }
	if _, err := Arith("0 ? (a=1) : (b=2)", get, record); err != nil {
		t.Fatal(err)
	}
	if _, err := Arith("(c=1) + 1/0", get, record); err == nil {
		t.Fatal("1/0 accepted")
	}
	if _, err := Arith("d = 1/0", get, record); err == nil {
		t.Fatal("1/0 accepted")
	}
	if got := strings.Join(set, " "); got != "b=2 c=1" {
		t.Errorf("assignments made: %q, want b=2 c=1", got)
	}
}
