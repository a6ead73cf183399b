package shellrun

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kiln-dev/kiln/shellrun/dash"
	"mvdan.cc/sh/v3/expand"
)

// Part is one piece of a word under expansion (see dash.Part).
type Part = dash.Part

// Lit is literal text of a word: not split, glob characters active.
func Lit(text string) Part { return Part{Text: text} }

// Quoted is quoted text: not split, no globbing.
func Quoted(text string) Part { return Part{Text: text, Quoted: true} }

// Unquoted is the result of an unquoted expansion: split at IFS, then
// globbed.
func Unquoted(text string) Part { return Part{Text: text, Expanded: true} }

// Fields expands a word made of parts as dash does: unquoted expansions
// are split at IFS, an empty unquoted expansion vanishes, and each field
// with active glob characters is replaced by the matching paths (kept as
// is when nothing matches, and not at all under set -f).
func (s *State) Fields(parts ...Part) []string {
	ifs, ok := s.Lookup("IFS")
	if !ok {
		ifs = " \t\n"
	}
	var glob func(string) []string
	if !s.noglob {
		glob = func(pattern string) []string { return dash.Glob(s.dir, pattern) }
	}
	return dash.Fields(parts, ifs, glob)
}

// QuoteMeta makes text match literally in a shell pattern: for the quoted
// parts of a case pattern or of ${x#pattern}.
func QuoteMeta(text string) string { return dash.QuoteMeta(text) }

// Match reports whether s matches the shell pattern, as `case` does.
func Match(pattern, s string) bool { return dash.Match(pattern, s) }

// TrimPrefix removes the shortest (or longest) prefix of s matching the
// pattern: ${x#pattern} and ${x##pattern}.
func TrimPrefix(s, pattern string, longest bool) string { return dash.TrimPrefix(s, pattern, longest) }

// TrimSuffix removes the shortest (or longest) suffix of s matching the
// pattern: ${x%pattern} and ${x%%pattern}.
func TrimSuffix(s, pattern string, longest bool) string { return dash.TrimSuffix(s, pattern, longest) }

// Length is ${#x}: the number of characters.
func Length(s string) string { return strconv.Itoa(utf8.RuneCountInString(s)) }

// Alt is ${x:+word} of a variable held in Go: word when v is not
// empty, else "".
func Alt(v, word string) string {
	if v == "" {
		return ""
	}
	return word
}

// AltFunc is Alt of a word expanded only when v is not empty (it may
// run a command substitution).
func AltFunc(v string, word func() string) string {
	if v == "" {
		return ""
	}
	return word()
}

// OrElse is ${x:-word} of a variable held in Go: v when it is not
// empty, else word's value, expanded only then (it may run a command
// substitution).
func OrElse(v string, word func() string) string {
	if v != "" {
		return v
	}
	return word()
}

// OrSet is ${x:=word} of a variable the script keeps in Go: x takes
// word when it is empty or unset, and its value is the expansion's.
func OrSet(x *string, word string) string {
	if *x == "" {
		*x = word
	}
	return *x
}

// SetGiven sets x to *value when value is not nil: an option's value,
// when the option was given (`quiltAuthor = *opts.author` if
// opts.author != nil).
func SetGiven(x *string, value *string) {
	if value != nil {
		*x = *value
	}
}

// OrSetFunc is OrSet of a word that runs a command: it runs only when
// x is empty or unset, as the shell expands it.
func OrSetFunc(x *string, word func() string) string {
	if *x == "" {
		*x = word()
	}
	return *x
}

// isSet reports whether a parameter counts as set for ${x-...}, or as set
// and not empty for ${x:-...} (colon).
func (s *State) isSet(name string, colon bool) (string, bool) {
	v, ok := s.Lookup(name)
	return v, ok && (!colon || v != "")
}

// Default is ${name:-word} (colon) or ${name-word}.
func (s *State) Default(name, word string, colon bool) string {
	if v, ok := s.isSet(name, colon); ok {
		return v
	}
	return word
}

// AssignDefault is ${name:=word} (colon) or ${name=word}.
func (s *State) AssignDefault(name, word string, colon bool) string {
	if v, ok := s.isSet(name, colon); ok {
		return v
	}
	s.Set(name, word)
	return word
}

// Alternate is ${name:+word} (colon) or ${name+word}.
func (s *State) Alternate(name, word string, colon bool) string {
	if _, ok := s.isSet(name, colon); ok {
		return word
	}
	return ""
}

// AlternateParts is an unquoted ${name:+word} (colon) or ${name+word}
// whose word has quoted parts: the word's parts, which keep their own
// quoting in the fields (${x:+-C "$dir"} is two fields, whatever $dir
// holds), or none.
func (s *State) AlternateParts(name string, colon bool, word ...Part) []Part {
	if _, ok := s.isSet(name, colon); ok {
		return word
	}
	return nil
}

// AltParts is an unquoted ${x:+word} of a variable the translation
// keeps in Go, whose word has quoted parts: the word's parts, which keep
// their own quoting, when x is not empty; else none.
func AltParts(x string, word ...Part) []Part {
	if x != "" {
		return word
	}
	return nil
}

// OrParts is an unquoted ${x:-word} of a variable the translation keeps
// in Go, whose word has quoted parts: x, split as any expansion, when it
// is not empty; else the word's parts, which keep their own quoting.
func OrParts(x string, word ...Part) []Part {
	if x != "" {
		return []Part{Unquoted(x)}
	}
	return word
}

// AlternateArgs is ${name:+"$@"} (colon) or ${name+"$@"} as a whole
// word: the positional parameters, each one field, or no field.
func (s *State) AlternateArgs(name string, colon bool) []string {
	if _, ok := s.isSet(name, colon); ok {
		return s.Args()
	}
	return nil
}

// DefaultParts is an unquoted ${name:-word} (colon) or ${name-word}
// whose word has quoted parts: the value, split as any expansion, when
// set; else the word's parts, which keep their own quoting.
func (s *State) DefaultParts(name string, colon bool, word ...Part) []Part {
	if v, ok := s.isSet(name, colon); ok {
		return []Part{Unquoted(v)}
	}
	return word
}

// Required is ${name:?message} (colon) or ${name?message}: an unset (or
// empty) parameter is an error that ends the script.
func (s *State) Required(name, message string, colon bool) string {
	if v, ok := s.isSet(name, colon); ok {
		return v
	}
	if message == "" {
		switch {
		case !colon:
			message = "parameter not set"
		case s.bash:
			message = "parameter null or not set"
		default:
			message = "parameter not set or null"
		}
	}
	s.errorf("%s: %s", name, message)
	// The shell exits: the command the word was for does not run.
	if s.bash {
		s.fatal(1)
	}
	s.fatal(2)
	return ""
}

// Arith evaluates arithmetic expansion text ($((text))) as dash does,
// with the script's variables, assignments included.
func (s *State) Arith(text string) string {
	get := s.Value
	if s.bash {
		// bash's set -u covers the variables arithmetic names (dash's
		// does not).
		get = func(name string) string {
			v, ok := s.Lookup(name)
			if !ok && s.nounset {
				s.unbound(name)
			}
			return v
		}
	}
	n, err := dash.Arith(text, get, s.Set)
	if err != nil {
		s.errorf("%v", err)
		if !s.bash {
			// dash exits: the command the word was for does not run.
			s.fatal(2)
		}
		s.Status = 2
		s.exiting = true
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// writableEnviron lets the expander assign the state's variables.
type writableEnviron struct{ stateEnviron }

func (e writableEnviron) Set(name string, vr expand.Variable) error {
	if !vr.IsSet() {
		delete(e.s.vars, name)
		return nil
	}
	e.s.Set(name, vr.String())
	return nil
}

// Printf is the printf builtin: dash's, or for a bash script bash's,
// with %q and -v NAME.
func (s *State) Printf(args ...string) {
	if !s.bash {
		s.Status = dash.Printf(args, s.builtinIO(), s.prefix())
		return
	}
	if len(args) >= 2 && args[0] == "-v" {
		name := args[1]
		if !validName(name) {
			s.errorf("printf: `%s': not a valid identifier", name)
			s.Status = 2
			return
		}
		var out strings.Builder
		io := s.builtinIO()
		io.Stdout = &out
		status := bashPrintf(args[2:], io, s.prefix())
		s.Set(name, out.String())
		if !s.exiting {
			s.Status = status
		}
		return
	}
	s.Status = bashPrintf(args, s.builtinIO(), s.prefix())
}

// Test is dash's test builtin.
func (s *State) Test(args ...string) {
	s.Status = dash.Test(args, "test", s.builtinIO(), s.prefix())
}

// FileTest is `test OP FILE` for a unary file operator (-b -c -d -e -f
// -g -h -L -p -r -s -S -u -w -x) as a Go boolean, without setting $?:
// with one operand such a test cannot fail otherwise than by being
// false.
func (s *State) FileTest(op, file string) bool {
	return dash.Test([]string{op, file}, "test", s.builtinIO(), s.prefix()) == 0
}

// Bracket is dash's [ builtin: test with a closing ].
func (s *State) Bracket(args ...string) {
	s.Status = dash.Test(args, "[", s.builtinIO(), s.prefix())
}

// builtinIO is what a builtin sees of the shell.
func (s *State) builtinIO() dash.IO {
	stdio := dash.IO{Dir: s.dir, Stdin: s.Stdin(), Stdout: s.Stdout(), Stderr: s.Stderr()}
	if len(libraries) > 0 {
		stdio.Embedded = s.embeddedLibrary
	}
	return stdio
}

// prefix is dash's "$0: LINE: " before a builtin's messages.
func (s *State) prefix() string {
	if s.bash {
		return fmt.Sprintf("%s: line %d: ", s.Name, s.line)
	}
	return fmt.Sprintf("%s: %d: ", s.Name, s.line)
}

// Read is dash's read builtin: `read [-r] NAME...`.
func (s *State) Read(args ...string) {
	raw := false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		if args[0] == "-r" {
			raw = true
		}
		args = args[1:]
	}
	if len(args) == 0 {
		s.errorf("read: arg count")
		s.Status = 2
		return
	}
	line, complete := readLineUnbuffered(s.Stdin(), raw)
	ifs, ok := s.Lookup("IFS")
	if !ok {
		ifs = " \t\n"
	}
	cfg := &expand.Config{Env: expand.ListEnviron("IFS=" + ifs)}
	fields := expand.ReadFields(cfg, line, len(args), raw)
	for i, name := range args {
		v := ""
		if i < len(fields) {
			v = fields[i]
		}
		s.Set(name, v)
	}
	s.Status = 0
	if !complete {
		s.Status = 1
	}
}

// readLineUnbuffered reads one line a byte at a time, as dash's read
// does, so that nothing after the line is taken from a descriptor that
// other commands read next.
func readLineUnbuffered(r io.Reader, raw bool) (string, bool) {
	var line []byte
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 0 {
			if err != nil {
				return string(line), false
			}
			continue
		}
		if b[0] != '\n' {
			line = append(line, b[0])
			continue
		}
		if !raw && trailingBackslashes(string(line))%2 == 1 {
			line = line[:len(line)-1]
			continue
		}
		return string(line), true
	}
}
