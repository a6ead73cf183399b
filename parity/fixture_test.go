package parity

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseFixture(t *testing.T) {
	text := `# Imports a series.
# Second description line.
args: --author 'A U Thor <a@example.com>' "two words" plain\ word
env: QUILT_PATCHES=$SANDBOX/work/p
env: PATH=$SANDBOX/work/bin:$PATH
exit: 1
normalize: \.merge_file_\w{6} => .merge_file_XXXXXX
accept: stderr bug-compat: the script prints X, the builtin fixes it
noise: on
timeout: 5s
-- setup --
git init -q
-- stdin --
Jane <jane@example.com>
-- bin/tool --
#!/bin/sh
-- patches/series --
a.patch
`
	f, err := ParseFixture("tests/fixtures/quiltimport/case-one.txtar", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if f.ID() != "quiltimport/case-one" {
		t.Errorf("ID %q", f.ID())
	}
	if want := []string{"Imports a series.", "Second description line."}; !slices.Equal(f.Description, want) {
		t.Errorf("Description %q", f.Description)
	}
	if want := []string{"--author", "A U Thor <a@example.com>", "two words", "plain word"}; !slices.Equal(f.Args, want) {
		t.Errorf("Args %q, want %q", f.Args, want)
	}
	if !f.HasExit || f.Exit != 1 || !f.Noise || f.Timeout != 5*time.Second {
		t.Errorf("exit/noise/timeout: %v %d %v %v", f.HasExit, f.Exit, f.Noise, f.Timeout)
	}
	if len(f.Normalize) != 1 || f.Normalize[0].Pattern.ReplaceAllString("x.merge_file_a1B2c3", f.Normalize[0].Replacement) != "x.merge_file_XXXXXX" {
		t.Errorf("Normalize %+v", f.Normalize)
	}
	if len(f.Accept) != 1 || f.Accept[0].Field != "stderr" || !strings.HasPrefix(f.Accept[0].Reason, "bug-compat: the script") {
		t.Errorf("Accept %+v", f.Accept)
	}
	if f.Setup != "git init -q\n" || string(f.Stdin) != "Jane <jane@example.com>\n" || !f.HasStdin {
		t.Errorf("setup %q stdin %q", f.Setup, f.Stdin)
	}
	if len(f.Files) != 2 || f.Files[0].Name != "bin/tool" || f.Files[1].Name != "patches/series" {
		t.Errorf("Files %+v", f.Files)
	}
	env := expandFixtureEnv(f.Env[1], "/sb", "/usr/bin:/bin")
	if env != "PATH=/sb/work/bin:/usr/bin:/bin" {
		t.Errorf("expanded env %q", env)
	}
}

func TestParseFixtureErrors(t *testing.T) {
	cases := map[string]string{
		"no setup":           "args: x\n",
		"args and run":       "args: x\nrun: git x\n-- setup --\n",
		"neither":            "exit: 0\n-- setup --\n",
		"unknown directive":  "args: x\nflavour: sweet\n-- setup --\n",
		"not a directive":    "args: x\njust words\n-- setup --\n",
		"bad exit":           "args: x\nexit: many\n-- setup --\n",
		"bad regexp":         "args: x\nnormalize: ( => y\n-- setup --\n",
		"normalize no arrow": "args: x\nnormalize: abc\n-- setup --\n",
		"accept no reason":   "args: x\naccept: stdout\n-- setup --\n",
		"bad timeout":        "args: x\ntimeout: soon\n-- setup --\n",
		"bad noise":          "args: x\nnoise: loud\n-- setup --\n",
		"bad standalone":     "args: x\nstandalone: yes\n-- setup --\n",
		"bad env":            "args: x\nenv: NOEQUALS\n-- setup --\n",
		"unterminated quote": "args: 'x\n-- setup --\n",
		"escaping section":   "args: x\n-- setup --\n-- ../evil --\n",
		"duplicate section":  "args: x\n-- setup --\n-- setup --\n",
	}
	for name, text := range cases {
		if _, err := ParseFixture("tests/fixtures/x/y.txtar", []byte(text)); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.HasPrefix(err.Error(), "tests/fixtures/x/y.txtar: ") {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
	}
}

func TestSplitWords(t *testing.T) {
	cases := map[string][]string{
		``:                     nil,
		`a  b	c`:               {"a", "b", "c"},
		`'a b' "c d"`:          {"a b", "c d"},
		`a'b'"c"`:              {"abc"},
		`"a\"b\\c\$d\x"`:       {`a"b\c$d\x`},
		`a\ b`:                 {"a b"},
		`'$HOME' $HOME *.c ~`:  {"$HOME", "$HOME", "*.c", "~"},
		`''`:                   {""},
		`--author="A <a@b.c>"`: {"--author=A <a@b.c>"},
		`'it'\''s'`:            {"it's"},
	}
	for in, want := range cases {
		got, err := SplitWords(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("SplitWords(%q) = %q, %v; want %q", in, got, err, want)
		}
		if len(want) > 0 {
			back, err := SplitWords(QuoteWords(want))
			if err != nil || !slices.Equal(back, want) {
				t.Errorf("QuoteWords(%q) does not split back: %q", want, back)
			}
		}
	}
	for _, bad := range []string{`'open`, `"open`, `a "b`} {
		if _, err := SplitWords(bad); err == nil {
			t.Errorf("SplitWords(%q): no error", bad)
		}
	}
}
