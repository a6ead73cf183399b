package dash

import (
	"strings"
	"testing"
)

// FuzzFields checks that field splitting and globbing never panic, that a
// word with nothing unquoted to split gives exactly one field, and that
// without globbing the fields hold only bytes of the word.
func FuzzFields(f *testing.F) {
	f.Add("a b", "x*", "q", " \t\n")
	f.Add(" :a::", "[!a-", `\*`, ":")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, expanded, literal, quoted, ifs string) {
		parts := []Part{{Text: expanded, Expanded: true}, {Text: literal}, {Text: quoted, Quoted: true}}
		fields := Fields(parts, ifs, nil)
		joined := strings.Join(fields, "")
		for i := 0; i < len(joined); i++ {
			if !strings.Contains(expanded+literal+quoted, joined[i:i+1]) {
				t.Fatalf("field byte %q comes from nowhere", joined[i])
			}
		}
		one := Fields([]Part{{Text: literal}, {Text: quoted, Quoted: true}}, ifs, nil)
		if len(one) != 1 || one[0] != literal+quoted {
			t.Fatalf("unsplittable word gave %q", one)
		}
		dir := t.TempDir()
		Fields(parts, ifs, func(p string) []string { return Glob(dir, p) })
	})
}

// FuzzMatch checks that matching never panics, that QuoteMeta makes any
// text match itself, and that trimming returns a part of its subject.
func FuzzMatch(f *testing.F) {
	f.Add("a*[!b-]?", "axyzc")
	f.Add("[[:alpha:]", "[")
	f.Add(`\`, `\`)
	f.Fuzz(func(t *testing.T, pattern, s string) {
		Match(pattern, s)
		if !Match(QuoteMeta(s), s) {
			t.Fatalf("QuoteMeta(%q) does not match itself", s)
		}
		for _, longest := range []bool{false, true} {
			if r := TrimPrefix(s, pattern, longest); !strings.HasSuffix(s, r) {
				t.Fatalf("TrimPrefix(%q, %q) = %q", s, pattern, r)
			}
			if r := TrimSuffix(s, pattern, longest); !strings.HasPrefix(s, r) {
				t.Fatalf("TrimSuffix(%q, %q) = %q", s, pattern, r)
			}
		}
	})
}

// FuzzArith checks that arithmetic never panics or loops, whatever the
// expression.
func FuzzArith(f *testing.F) {
	f.Add("x+=1?2:3")
	f.Add("((1)")
	f.Add("1<<-1/0")
	f.Fuzz(func(t *testing.T, expr string) {
		vars := map[string]string{"x": "3", "y": "junk"}
		Arith(expr, func(n string) string { return vars[n] }, func(n, v string) { vars[n] = v })
	})
}

// FuzzPrintf checks that printf and echo never panic and that printf's
// status is one dash can return. Formats asking for more than 9999
// columns are skipped: dash would print them, at a cost the fuzzer
// cannot afford.
func FuzzPrintf(f *testing.F) {
	f.Add("%-+ 0#5.3d|%b|%c|%.1a", "12", `a\c`)
	f.Add("%*.*e%", "-3", "0x1p-1074")
	f.Fuzz(func(t *testing.T, format, arg1, arg2 string) {
		if longNumber(format) || longNumber(arg1) || longNumber(arg2) ||
			strings.Contains(format, "*") && (len(arg1) > 4 || len(arg2) > 4) {
			return
		}
		var out strings.Builder
		stdio := IO{Stdout: &out, Stderr: &out}
		if status := Printf([]string{format, arg1, arg2}, stdio, "p: "); status < 0 || status > 2 {
			t.Fatalf("status %d", status)
		}
		Echo([]string{format, arg1}, &out)
	})
}

// longNumber reports whether s has a run of five digits or more.
func longNumber(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if run++; run >= 5 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
