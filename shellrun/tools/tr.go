package tools

import (
	"bufio"
	"io"
	"strings"
)

// tr: coreutils tr (bytes in every locale) translating SET1 to SET2,
// deleting (-d) or squeezing (-s) SET1, with ranges, the escapes \\ \n
// \t \r \f \v \a \b \NNN, the classes in -d and -s sets, and
// [:lower:]/[:upper:] mapped to each other. -c and [c*n] are refused.
func init() { register("tr", parseTr) }

type trSpec struct {
	del, squeeze bool
	set1, set2   []byte
	mapping      [256]byte
}

func parseTr(args []string, _ bool) (runFunc, bool) {
	opts, ops, ok := parseOpts(args, optSpec{flags: "ds", long: map[string]byte{"--delete": 'd', "--squeeze-repeats": 's'}})
	if !ok {
		return nil, false
	}
	spec := &trSpec{del: has(opts, 'd'), squeeze: has(opts, 's')}
	if !spec.build(ops) {
		return nil, false
	}
	return func(c *call) int { return runTr(c, spec) }, true
}

func (t *trSpec) build(ops []string) bool {
	want := 2
	if t.del && !t.squeeze || t.squeeze && !t.del && len(ops) == 1 {
		want = 1
	}
	if len(ops) != want {
		return false
	}
	translate := !t.del && want == 2
	if translate && caseMapping(t, ops[0], ops[1]) {
		return true
	}
	var ok bool
	if t.set1, ok = trSet(ops[0], !translate); !ok {
		return false
	}
	if want == 2 {
		if t.set2, ok = trSet(ops[1], !translate); !ok || len(t.set2) == 0 {
			return false
		}
	}
	for i := range t.mapping {
		t.mapping[i] = byte(i)
	}
	if translate {
		for i, b := range t.set1 {
			t.mapping[b] = t.set2[min(i, len(t.set2)-1)]
		}
	}
	return true
}

// caseMapping handles tr '[:lower:]' '[:upper:]' and the reverse.
func caseMapping(t *trSpec, a, b string) bool {
	var from, to byte
	switch {
	case a == "[:lower:]" && b == "[:upper:]":
		from, to = 'a', 'A'
	case a == "[:upper:]" && b == "[:lower:]":
		from, to = 'A', 'a'
	default:
		return false
	}
	for i := range t.mapping {
		t.mapping[i] = byte(i)
	}
	for i := 0; i < 26; i++ {
		t.set1 = append(t.set1, from+byte(i))
		t.set2 = append(t.set2, to+byte(i))
		t.mapping[from+byte(i)] = to + byte(i)
	}
	return true
}

var trClasses = map[string]func(byte) bool{
	"alpha": func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' },
	"digit": func(b byte) bool { return b >= '0' && b <= '9' },
	"alnum": func(b byte) bool { return isAlnum(b) },
	"upper": func(b byte) bool { return b >= 'A' && b <= 'Z' },
	"lower": func(b byte) bool { return b >= 'a' && b <= 'z' },
	"space": func(b byte) bool { return b == ' ' || b >= '\t' && b <= '\r' },
	"blank": func(b byte) bool { return b == ' ' || b == '\t' },
	"punct": func(b byte) bool { return b > ' ' && b < 0x7f && !isAlnum(b) },
}

// trSet expands a SET. Classes are allowed only where order does not
// matter (deleting, squeezing).
func trSet(s string, classes bool) ([]byte, bool) {
	var out []byte
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "[:") {
			end := strings.Index(s[i:], ":]")
			if end < 0 {
				return nil, false
			}
			in, ok := trClasses[s[i+2:i+end]]
			if !ok || !classes {
				return nil, false
			}
			for b := 0; b < 256; b++ {
				if in(byte(b)) {
					out = append(out, byte(b))
				}
			}
			i += end + 2
			continue
		}
		if s[i] == '[' && strings.ContainsAny(s[i:], "=*") {
			return nil, false // [=c=] and [c*n]
		}
		b, n, ok := trChar(s[i:])
		if !ok {
			return nil, false
		}
		i += n
		if i+1 < len(s) && s[i] == '-' {
			e, m, ok := trChar(s[i+1:])
			if !ok || e < b {
				return nil, false
			}
			for x := int(b); x <= int(e); x++ {
				out = append(out, byte(x))
			}
			i += 1 + m
			continue
		}
		out = append(out, b)
	}
	return out, true
}

// trChar reads one character or escape.
func trChar(s string) (byte, int, bool) {
	if s[0] != '\\' {
		return s[0], 1, true
	}
	if len(s) == 1 {
		return 0, 0, false
	}
	if e := strings.IndexByte(`\abfnrtv`, s[1]); e >= 0 {
		return "\\\a\b\f\n\r\t\v"[e], 2, true
	}
	if s[1] >= '0' && s[1] <= '7' {
		v, n := 0, 1
		for n < 4 && n < len(s) && s[n] >= '0' && s[n] <= '7' && v*8+int(s[n]-'0') < 256 {
			v = v*8 + int(s[n]-'0')
			n++
		}
		if n == 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			return 0, 0, false // an ambiguous \NNN, which tr warns about
		}
		return byte(v), n, true
	}
	return 0, 0, false
}

func runTr(c *call, t *trSpec) int {
	data, err := io.ReadAll(c.stdin)
	if err != nil {
		c.errorf("read error: %s", strerror(err))
		return 1
	}
	var inDel, inSqueeze [256]bool
	for _, b := range t.set1 {
		inDel[b] = t.del
		inSqueeze[b] = t.squeeze && !(t.del || len(t.set2) > 0)
	}
	for _, b := range t.set2 {
		inSqueeze[b] = t.squeeze
	}
	out := bufio.NewWriter(c.stdout)
	defer out.Flush()
	last := -1
	for _, b := range data {
		if inDel[b] {
			continue
		}
		b = t.mapping[b]
		if inSqueeze[b] && int(b) == last {
			continue
		}
		out.WriteByte(b)
		last = int(b)
	}
	return 0
}
