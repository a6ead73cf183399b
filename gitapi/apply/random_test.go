package apply

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// randomLines draws n lines from a small alphabet, so that contexts repeat
// and the offset search meets ambiguous positions.
func randomLines(r *rand.Rand, n int) []string {
	words := []string{"alpha", "beta", "gamma", "delta", "", "}", "return nil", "  "}
	lines := make([]string, n)
	for i := range lines {
		lines[i] = words[r.IntN(len(words))] + "\n"
	}
	return lines
}

// mutate applies a few random line insertions, deletions and changes.
func mutate(r *rand.Rand, lines []string, edits int) []string {
	out := append([]string(nil), lines...)
	for e := 0; e < edits && len(out) > 1; e++ {
		at := r.IntN(len(out))
		switch r.IntN(3) {
		case 0:
			text := fmt.Sprintf("inserted %d", r.IntN(100)) + []string{"", " ", "\t", "\r"}[r.IntN(4)] + "\n"
			out = append(out[:at], append([]string{text}, out[at:]...)...)
		case 1:
			out = append(out[:at], out[at+1:]...)
		default:
			out[at] = fmt.Sprintf("changed %d\n", r.IntN(100))
		}
	}
	return out
}

// dropFinalNewline removes the last newline one time in four, to exercise
// "\ No newline at end of file" on either side.
func dropFinalNewline(r *rand.Rand, s string) string {
	if r.IntN(4) == 0 {
		return strings.TrimSuffix(s, "\n")
	}
	return s
}

// randomRounds is how many rounds the randomized differential tests run:
// 20 each, or $KILN_APPLY_ROUNDS for a longer search.
func randomRounds() int {
	if n, err := strconv.Atoi(os.Getenv("KILN_APPLY_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 20
}

// TestRandomPatchesMatchGit makes random patches (by git diff) and applies
// them with random -C/-U settings to randomly drifted targets, comparing
// with the installed git apply. The seed is fixed so failures reproduce.
func TestRandomPatchesMatchGit(t *testing.T) {
	for round := 0; round < randomRounds(); round++ {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(7, uint64(round)))
			base := randomLines(r, 20+r.IntN(40))
			changed := mutate(r, base, 1+r.IntN(4))
			target := mutate(r, base, r.IntN(5))
			var diffArgs, args []string
			if r.IntN(4) == 0 {
				diffArgs = append(diffArgs, fmt.Sprintf("-U%d", r.IntN(3)))
			}
			if r.IntN(5) == 0 {
				args = append(args, "--unidiff-zero")
			}
			args = append(args, []string{"-v", "-C0", "-C1", "-C2", "-C3"}[r.IntN(5)])
			patch := gitDiff(t, tree{"f": dropFinalNewline(r, strings.Join(base, ""))},
				tree{"f": dropFinalNewline(r, strings.Join(changed, ""))}, diffArgs...)
			if len(patch) == 0 {
				return
			}
			pre := tree{"f": dropFinalNewline(r, strings.Join(target, ""))}
			want := runRealApply(t, pre, patch, nil, args)
			got := runOurApply(t, pre, patch, optionsFromArgs(t, args, nil))
			compareOutcome(t, args, patch, want, got)
		})
	}
}

// TestMutatedPatchesMatchGit damages patches made by git (lines dropped,
// doubled, cut short, digits changed, prefixes added) and compares how git
// apply and this package reject or apply them: messages, line numbers and
// exit codes included.
func TestMutatedPatchesMatchGit(t *testing.T) {
	for round := 0; round < randomRounds(); round++ {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(12, uint64(round)))
			base := randomLines(r, 15+r.IntN(20))
			changed := mutate(r, base, 1+r.IntN(4))
			patch := gitDiff(t, tree{"f": strings.Join(base, "")}, tree{"f": strings.Join(changed, "")})
			lines := splitLines(patch)
			for m := 0; m < 1+r.IntN(2) && len(lines) > 1; m++ {
				at := r.IntN(len(lines))
				switch r.IntN(5) {
				case 0:
					lines = append(lines[:at], lines[at+1:]...)
				case 1:
					lines = append(lines[:at], append([]string{lines[at]}, lines[at:]...)...)
				case 2:
					lines[at] = strings.Replace(lines[at], fmt.Sprint(r.IntN(10)), fmt.Sprint(r.IntN(10)), 1)
				case 3:
					if len(lines[at]) > 1 {
						lines[at] = lines[at][:r.IntN(len(lines[at]))] + "\n"
					}
				default:
					lines[at] = []string{" ", "-", "+", "\\ No newline at end of file\n", "@@ -1 +1 @@\n"}[r.IntN(5)] + lines[at]
				}
			}
			mutated := []byte(strings.Join(lines, ""))
			pre := tree{"f": strings.Join(base, "")}
			want := runRealApply(t, pre, mutated, nil, nil)
			got := runOurApply(t, pre, mutated, Options{})
			compareOutcome(t, nil, mutated, want, got)
		})
	}
}

// TestMultiFilePatchesMatchGit makes random multi-file patches (edits,
// deletions, renames, mode changes, a new file), sometimes damages them,
// and applies them with random options to drifted trees, comparing with
// git apply.
func TestMultiFilePatchesMatchGit(t *testing.T) {
	for round := 0; round < randomRounds(); round++ {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(21, uint64(round)))
			base := tree{}
			for _, name := range []string{"a", "d/b", "c"} {
				base[name] = strings.Join(randomLines(r, 10+r.IntN(20)), "")
			}
			changed := tree{}
			for _, name := range []string{"a", "d/b", "c"} {
				content := base[name]
				switch r.IntN(6) {
				case 0: // delete
				case 1:
					changed["ren/"+name] = content
				case 2:
					changed[name+"*"] = content
				default:
					changed[name] = strings.Join(mutate(r, splitLines([]byte(content)), 1+r.IntN(3)), "")
				}
			}
			if r.IntN(2) == 0 {
				changed["new"] = "fresh\n"
			}
			patch := gitDiff(t, base, changed, "-M")
			lines := splitLines(patch)
			for m := 0; m < r.IntN(3) && len(lines) > 1; m++ {
				at := r.IntN(len(lines))
				switch r.IntN(4) {
				case 0:
					lines = append(lines[:at], lines[at+1:]...)
				case 1:
					lines = append(lines[:at], append([]string{lines[at]}, lines[at:]...)...)
				case 2:
					lines[at] = strings.Replace(lines[at], "a", "b", 1)
				default:
					lines[at] = strings.Replace(lines[at], "100", "10", 1)
				}
			}
			mutated := []byte(strings.Join(lines, ""))
			target := tree{}
			for _, k := range []string{"a", "d/b", "c"} {
				v := base[k]
				if r.IntN(5) == 0 {
					v = strings.Join(mutate(r, splitLines([]byte(v)), 2), "")
				}
				target[k] = v
			}
			args := [][]string{nil, {"-v"}, {"-C1"}, {"-p0"}, {"-p2"}, {"--check", "-v"}}[r.IntN(6)]
			want := runRealApply(t, target, mutated, nil, args)
			got := runOurApply(t, target, mutated, optionsFromArgs(t, args, nil))
			compareOutcome(t, args, mutated, want, got)
		})
	}
}

// TestWhitespaceRulesMatchGit adds lines made of spaces, tabs, CRs and
// text under random core.whitespace rules and compares git's warnings.
func TestWhitespaceRulesMatchGit(t *testing.T) {
	for round := 0; round < randomRounds(); round++ {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(31, uint64(round)))
			items := []string{"trailing-space", "space-before-tab", "indent-with-non-tab", "tab-in-indent", "cr-at-eol", "blank-at-eol", "blank-at-eof", "-trailing-space", "-space-before-tab", "-blank-at-eol", "-blank-at-eof", "tabwidth=4"}
			var rule []string
			for k := 0; k < r.IntN(4); k++ {
				rule = append(rule, items[r.IntN(len(items))])
			}
			piece := []string{" ", "\t", "x", "  ", "        ", "\r", "y z"}
			var added strings.Builder
			for k := 0; k < 1+r.IntN(8); k++ {
				for m := 0; m < r.IntN(5); m++ {
					added.WriteString(piece[r.IntN(len(piece))])
				}
				added.WriteString("\n")
			}
			base := tree{"f": file40}
			changed := tree{"f": edit(file40, "line 20", added.String())}
			if r.IntN(3) == 0 {
				changed = tree{"f": file40 + added.String()}
			}
			patch := gitDiff(t, base, changed)
			var config []string
			if len(rule) > 0 {
				config = []string{"core.whitespace=" + strings.Join(rule, ",")}
			}
			want := runRealApply(t, base, patch, config, nil)
			got := runOurApply(t, base, patch, optionsFromArgs(t, nil, config))
			compareOutcome(t, []string{"config", strings.Join(rule, ",")}, patch, want, got)
		})
	}
}

// TestBinaryPatchesMatchGit makes binary patches with git diff --binary
// (literal and delta, creations, deletions), sometimes damages their data
// or applies them to other content, and compares with git apply.
func TestBinaryPatchesMatchGit(t *testing.T) {
	for round := 0; round < randomRounds(); round++ {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(41, uint64(round)))
			blob := func() string { return binaryBlob(byte(r.IntN(5)), 50+r.IntN(4000)) }
			a := blob()
			var b string
			switch r.IntN(3) {
			case 0:
				b = blob()
			case 1:
				cut := r.IntN(len(a))
				b = a[:cut] + "inserted" + a[cut:]
			default:
				b = a[:len(a)/2]
			}
			base, changed := tree{"bin": a}, tree{"bin": b}
			switch r.IntN(4) {
			case 0:
				base = tree{"x": "x\n"}
				changed = tree{"x": "x\n", "bin": b}
			case 1:
				changed = tree{}
			}
			patch := gitDiff(t, base, changed, "--binary")
			lines := splitLines(patch)
			if r.IntN(3) == 0 && len(lines) > 6 {
				at := 5 + r.IntN(len(lines)-5)
				switch r.IntN(3) {
				case 0:
					lines = append(lines[:at], lines[at+1:]...)
				case 1:
					lines[at] = strings.Replace(lines[at], lines[at][len(lines[at])/2:len(lines[at])/2+1], "A", 1)
				default:
					lines[at] = "literal 5\n"
				}
			}
			mutated := []byte(strings.Join(lines, ""))
			target := base
			if r.IntN(4) == 0 {
				target = tree{"bin": blob(), "x": "x\n"}
			}
			want := runRealApply(t, target, mutated, nil, nil)
			got := runOurApply(t, target, mutated, Options{})
			if want.code != got.code || want.stderr != got.stderr || want.files.String() != got.files.String() {
				t.Errorf("git: exit %d\n%s\nours: exit %d\n%s\n%s", want.code, want.stderr, got.code, got.stderr, mutated)
			}
		})
	}
}

// TestPlainDiffsMatchGit applies random "diff -ru[N]" output (the diff
// program's, not git's) with random -p and --directory, comparing with
// git apply.
func TestPlainDiffsMatchGit(t *testing.T) {
	for round := 0; round < randomRounds(); round++ {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(51, uint64(round)))
			names := []string{"a", "d/b", "my file", "d/e/f"}
			base, changed := tree{}, tree{}
			for _, name := range names {
				content := strings.Join(randomLines(r, 5+r.IntN(15)), "")
				switch r.IntN(5) {
				case 0:
					changed[name] = content
				case 1:
					base[name] = content
				default:
					base[name] = content
					changed[name] = strings.Join(mutate(r, splitLines([]byte(content)), 1+r.IntN(3)), "")
				}
			}
			flags := [][]string{{"-ruN", "old", "new"}, {"-ru", "old", "new"}, {"-ruN", "-U1", "old", "new"}}[r.IntN(3)]
			patch := plainDiff(t, base, changed, flags...)
			if len(patch) == 0 {
				return
			}
			args := [][]string{nil, {"-p1"}, {"-p0"}, {"-p2"}, {"--directory=x"}, {"-v"}, {"-C1"}}[r.IntN(7)]
			target := base
			if args != nil && args[0] == "--directory=x" {
				target = tree{}
				for k, v := range base {
					target["x/"+k] = v
				}
			}
			want := runRealApply(t, target, patch, nil, args)
			got := runOurApply(t, target, patch, optionsFromArgs(t, args, nil))
			compareOutcome(t, args, patch, want, got)
		})
	}
}
