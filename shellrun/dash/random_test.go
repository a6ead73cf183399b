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
