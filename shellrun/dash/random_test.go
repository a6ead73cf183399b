package dash

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// randomText draws n bytes from alphabet.
func randomText(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, r.Intn(n+1))
	for i := range b {
		b[i] = alphabet[r.Intn(len(alphabet))]
	}
	return string(b)
}

// TestRandomFieldsAgainstDash runs a few hundred random words, made of
// literal, quoted and expanded parts under random IFS values, through
// dash (in one script) and through Fields, in the glob fixture.
func TestRandomFieldsAgainstDash(t *testing.T) {
	requireDash(t)
	dir := globFixture(t)
	r := rand.New(rand.NewSource(6))
	ifsChoices := []string{" \t\n", ":", ": ", "", " ", "a", "*", ":\\", "\n"}
	const n = 400
	var script strings.Builder
	var env []string
	var words [][]Part
	var ifss []string
	for i := range n {
		ifs := ifsChoices[r.Intn(len(ifsChoices))]
		env = append(env, fmt.Sprintf("I%d=%s", i, ifs))
		var parts []Part
		var word strings.Builder
		for j := range 1 + r.Intn(3) {
			switch r.Intn(3) {
			case 0:
				text := randomText(r, "ab*?[]!-x", 3)
				parts = append(parts, lit(text))
				word.WriteString(text)
			case 1:
				text := randomText(r, "a :*?\\[]", 3)
				parts = append(parts, quo(text))
				word.WriteString("'" + text + "'")
			default:
				text := randomText(r, "ab :\t*?\\[]!-.d1/x", 6)
				name := fmt.Sprintf("V%d_%d", i, j)
				env = append(env, name+"="+text)
				parts = append(parts, exp(text))
				word.WriteString("${" + name + "}")
			}
		}
		words, ifss = append(words, parts), append(ifss, ifs)
		fmt.Fprintf(&script, "IFS=$I%d; for a in %s; do printf '<%%s>' \"$a\"; done; echo\n", i, word.String())
	}
	res := runDash(t, dir, script.String(), env)
	if res.Status != 0 || res.Stderr != "" {
		t.Fatalf("dash: %+v", res)
	}
	lines := strings.Split(res.Stdout, "\n")
	glob := func(p string) []string { return Glob(dir, p) }
	for i, parts := range words {
		if got := bracket(Fields(parts, ifss[i], glob)); got != lines[i] {
			t.Errorf("Fields(%+v, IFS %q) = %s, dash %s", parts, ifss[i], got, lines[i])
		}
	}
}

// TestRandomMatchAgainstDash does the same for case patterns.
func TestRandomMatchAgainstDash(t *testing.T) {
	requireDash(t)
	r := rand.New(rand.NewSource(7))
	const n = 600
	var script strings.Builder
	var env []string
	var patterns, subjects []string
	for i := range n {
		pattern := randomText(r, "ab*?[]!-\\", 6)
		if trailing := len(pattern) - len(strings.TrimRight(pattern, `\`)); trailing%2 == 1 {
			pattern += "b" // a trailing backslash would quote the ')'
		}
		subject := randomText(r, "ab[]!-\\", 4)
		patterns, subjects = append(patterns, pattern), append(subjects, subject)
		env = append(env, fmt.Sprintf("S%d=%s", i, subject))
		fmt.Fprintf(&script, "case $S%d in %s) echo y;; *) echo n;; esac\n", i, shellPattern(pattern))
	}
	res := runDash(t, t.TempDir(), script.String(), env)
	if res.Status != 0 || res.Stderr != "" {
		t.Fatalf("dash: %+v", res)
	}
	lines := strings.Split(res.Stdout, "\n")
	for i := range patterns {
		if got := Match(patterns[i], subjects[i]); got != (lines[i] == "y") {
			t.Errorf("Match(%q, %q) = %v, dash %s", patterns[i], subjects[i], got, lines[i])
		}
	}
}

// TestRandomPrintfAgainstDash formats random conversion specifications
// of every kind with valid arguments, dash and Printf each, line by line.
func TestRandomPrintfAgainstDash(t *testing.T) {
	requireDash(t)
	r := rand.New(rand.NewSource(8))
	numbers := []string{"0", "1", "-1", "7", "42", "-42", "255", "1000000", "0x1f", "017", "'A",
		"9223372036854775807", "-9223372036854775808", "3.14159", "-2.5", "0.5", "1e10", "1e-5",
		"123456.789", "0.000123", "-0", "1.5e300", "2.5", "0.125", "99.995", "inf", "-inf", "nan"}
	const n = 500
	var script strings.Builder
	var env []string
	var cases [][]string
	for i := range n {
		var spec strings.Builder
		spec.WriteByte('%')
		for _, flag := range "-+ 0#" {
			if r.Intn(4) == 0 {
				spec.WriteRune(flag)
			}
		}
		if r.Intn(2) == 0 {
			fmt.Fprint(&spec, r.Intn(25))
		}
		if r.Intn(2) == 0 {
			fmt.Fprintf(&spec, ".%d", r.Intn(12))
		}
		verb := "diouxXeEfFgGscaA"[r.Intn(16)]
		spec.WriteByte(verb)
		arg := numbers[r.Intn(len(numbers))]
		switch {
		case strings.IndexByte("diouxX", verb) >= 0 && strings.ContainsAny(arg, ".einf"):
			arg = "12"
		case strings.IndexByte("eEfFgGaA", verb) >= 0 && strings.HasPrefix(arg, "0") && len(arg) > 1 && arg[1] != '.':
			arg = "0.75" // strtod reads 017 and 0x1f otherwise than strtoimax
		}
		format := "[" + spec.String() + "]"
		cases = append(cases, []string{format, arg})
		env = append(env, fmt.Sprintf("F%d=%s", i, format), fmt.Sprintf("A%d=%s", i, arg))
		fmt.Fprintf(&script, "printf \"$F%d\" \"$A%d\"; echo\n", i, i)
	}
	res := runDash(t, t.TempDir(), script.String(), env)
	if res.Status != 0 {
		t.Fatalf("dash: %+v", res)
	}
	lines := strings.Split(res.Stdout, "\n")
	dir := t.TempDir()
	for i, args := range cases {
		stdio, out, errb := captureIO(dir)
		Printf(args, stdio, testPrefix)
		if out.String() != lines[i] {
			t.Errorf("printf %q: got %q, dash %q (%s)", args, out.String(), lines[i], errb)
		}
	}
}

// TestRandomTestAgainstDash runs random sequences of test's operators
// and operands through dash's test and [ and through Test; each case is
// a line of one script, so dash's prefix carries its line number.
func TestRandomTestAgainstDash(t *testing.T) {
	requireDash(t)
	dir := testFixture(t)
	r := rand.New(rand.NewSource(9))
	words := []string{"!", "(", ")", "-a", "-o", "-n", "-z", "=", "!=", "-eq", "-lt", "x", "", "1", "02",
		"-f", "-d", "file", "dir", "-nt", "<", "]"}
	const n = 600
	var script strings.Builder
	var cases [][]string
	var names []string
	for range n {
		args := make([]string, r.Intn(7))
		quoted := make([]string, len(args))
		for j := range args {
			args[j] = words[r.Intn(len(words))]
			quoted[j] = "'" + args[j] + "'"
		}
		if k := len(args) - 1; k >= 0 && (args[k] == "-a" || args[k] == "-o") {
			// dash then reads past the end of its argument list; what
			// it finds there depends on earlier commands (and can
			// crash it). Test treats it as the end.
			continue
		}
		name := "test"
		if r.Intn(2) == 0 {
			name = "["
			args = append(args, "]")
			quoted = append(quoted, "]")
		}
		cases, names = append(cases, args), append(names, name)
		fmt.Fprintf(&script, "%s %s 2>&1; echo \"=$?\"\n", name, strings.Join(quoted, " "))
	}
	res := runDash(t, dir, script.String(), nil)
	if res.Status != 0 {
		t.Fatalf("dash: status %d, %s", res.Status, res.Stderr)
	}
	want := splitResults(res.Stdout)
	if len(want) != len(cases) {
		t.Fatalf("dash gave %d results for %d cases", len(want), len(cases))
	}
	for i, args := range cases {
		var got strings.Builder
		stdio := IO{Dir: dir, Stdout: &got, Stderr: &got}
		status := Test(args, names[i], stdio, fmt.Sprintf("kiln-test: %d: ", i+1))
		fmt.Fprintf(&got, "=%d\n", status)
		if got.String() != want[i] {
			t.Errorf("%s %q: got %q, dash %q", names[i], args, got.String(), want[i])
		}
	}
}

// TestRandomArithAgainstDash evaluates random token sequences, each in a
// subshell of one dash script, and compares values, assignments and
// errors with Arith.
func TestRandomArithAgainstDash(t *testing.T) {
	requireDash(t)
	r := rand.New(rand.NewSource(10))
	tokens := []string{"1", "0", "2", "7", "010", "0x1f", "x", "y", "z", "+", "-", "*", "/", "%", "<<", ">>",
		"<", "<=", ">", ">=", "==", "!=", "&", "^", "|", "&&", "||", "!", "~", "?", ":", "(", ")", "=",
		"+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|=", " "}
	const n = 600
	var script strings.Builder
	var env []string
	var exprs []string
	for i := range n {
		var e strings.Builder
		for range 1 + r.Intn(7) {
			e.WriteString(tokens[r.Intn(len(tokens))])
		}
		exprs = append(exprs, e.String())
		env = append(env, fmt.Sprintf("E%d=%s", i, e.String()))
		fmt.Fprintf(&script, "(x=3 y=-2; r=$(($E%d)); echo \"$r x=$x y=$y z=${z-unset}\") 2>&1; echo \"=$?\"\n", i)
	}
	res := runDash(t, t.TempDir(), script.String(), env)
	if res.Status != 0 {
		t.Fatalf("dash: status %d, %s", res.Status, res.Stderr)
	}
	want := splitResults(res.Stdout)
	if len(want) != n {
		t.Fatalf("dash gave %d results for %d cases", len(want), n)
	}
	for i, expr := range exprs {
		vars := map[string]string{"x": "3", "y": "-2"}
		v, err := Arith(expr, func(n string) string { return vars[n] }, func(n, v string) { vars[n] = v })
		got := fmt.Sprintf("%d x=%s y=%s z=%s\n", v, vars["x"], vars["y"], varOr(vars, "z"))
		status := 0
		if err != nil {
			got, status = fmt.Sprintf("kiln-test: %d: %s\n", i+1, err), 2
		}
		got = fmt.Sprintf("%s=%d\n", got, status)
		if got != want[i] {
			t.Errorf("$((%s)): got %q, dash %q", expr, got, want[i])
		}
	}
}

// splitResults splits the output of a script whose cases each print
// some lines and then =STATUS on a line of its own.
func splitResults(out string) []string {
	var results []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		cur.WriteString(line)
		if strings.HasPrefix(line, "=") {
			results = append(results, cur.String())
			cur.Reset()
		}
	}
	return results
}
