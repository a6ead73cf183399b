package gitapi

import (
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// FuzzParseConfig feeds arbitrary text to the configuration parser: it
// must return entries or an error, never panic, and every entry's key
// must end in a lower-cased variable name.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		"[a]\n\tb = c\n", "[a \"B\"]\nk\n", "[a.b]\nx=\"q\\\"\" ; c\n", "[a]\nb = x\\\ny\n", "[\n", "[a]\nb=\"",
		"\xef\xbb\xbf[a]\r\nb=1\r\n", "[a]\n1=2\n", "[a \"\\\n\"]\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		entries, _ := parseConfig([]byte(text), "fuzz", scopeLocal)
		for _, e := range entries {
			dot := strings.LastIndexByte(e.Key, '.')
			name := e.Key[dot+1:]
			if dot < 1 || !validKeyPart(name) || !isAlpha(name[0]) || strings.ToLower(name) != name {
				t.Errorf("entry key %q has no valid lower-case variable name", e.Key)
			}
		}
	})
}

// FuzzResolve resolves arbitrary revision strings in the fixture
// repository: an id or an error, never a panic.
func FuzzResolve(f *testing.F) {
	fx := gittest.Shared(f)
	r, err := Open(Options{Dir: fx.Root + "/repo", Env: fx.Env})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{"HEAD~2^{tree}:sub/b", "@{-1}", "v1^{/one}", ":0:a", "main@{1}", "^", "~", "@{", "HEAD^{", "a..b...c", "@@{u}"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, rev string) {
		r.Resolve(rev)
		(&RevParser{Repo: r, Diag: func(string) {}}).CountRefs(rev)
	})
}
