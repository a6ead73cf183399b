package shellrun

import (
	"strconv"
	"strings"
)

// Typed variables. kiln translate --idiomatic writes some of a script's
// variables as Go variables of another type than string, where its
// analysis proves the variable's every value is one the type holds
// exactly (translate/lowertypes.go):
//
//   - a flag (bool) is only ever assigned "" or one fixed word (yes):
//     false is "", true the word;
//   - an int is only ever assigned literal numbers in canonical decimal
//     (0, 1, -3): its value is strconv.Itoa's text;
//   - a word list ([]string) is only ever emptied or appended to as
//     x="$x$word ": its value is each word followed by a space.
//
// The State still serves such a variable by name (the environment of
// the programs the script runs when the name came exported, text run by
// eval or the interpreter, a subshell's copy of the variables): it is
// bound as a view, which renders the Go value as the shell string, and
// parses a string assigned by name (by interpreted text) back. A string
// the type cannot hold (a flag given another word, an int given "007",
// a word list given text not ending in a space, an unset) is said on
// standard error, as evalguard.go says what a Go string variable cannot
// follow; the analysis keeps every variable the script's known text
// could assign so in the State, so only text known at run time can.
//
// A typed variable is bound where the script first assigns it, at its
// top level: until then the State's own variable (the environment's, or
// unset) is the variable, as in the shell.

// typedView renders a typed Go variable as its shell string and parses
// a shell string back into it (false when the type cannot hold it).
type typedView interface {
	render() string
	parse(value string) bool
	kind() string
}

type flagView struct {
	p    *bool
	word string
}

func (v flagView) render() string { return FlagText(*v.p, v.word) }
func (v flagView) kind() string   { return "a Go bool (\"\" or " + strconv.Quote(v.word) + ")" }
func (v flagView) parse(value string) bool {
	switch value {
	case "":
		*v.p = false
	case v.word:
		*v.p = true
	default:
		return false
	}
	return true
}

type intView struct{ p *int }

func (v intView) render() string { return strconv.Itoa(*v.p) }
func (v intView) kind() string   { return "a Go int" }
func (v intView) parse(value string) bool {
	n, err := strconv.Atoi(value)
	if err != nil || strconv.Itoa(n) != value {
		return false
	}
	*v.p = n
	return true
}

type wordsView struct{ p *[]string }

func (v wordsView) render() string { return WordsText(*v.p) }
func (v wordsView) kind() string   { return "a Go []string (words each followed by a space)" }
func (v wordsView) parse(value string) bool {
	if value == "" {
		*v.p = nil
		return true
	}
	text, ok := strings.CutSuffix(value, " ")
	if !ok {
		return false
	}
	*v.p = strings.Split(text, " ")
	return true
}

// FlagText is the shell value of a flag: word when on, else "".
func FlagText(on bool, word string) string {
	if on {
		return word
	}
	return ""
}

// WordsText is the shell value of a word list built by x="$x$word ":
// each word followed by a space.
func WordsText(words []string) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteString(w)
		b.WriteByte(' ')
	}
	return b.String()
}

// SplitWords is the unquoted expansion $x of a word list: its text
// split at IFS, each field globbed, as s.Fields(Unquoted(WordsText(x)))
// (a word with spaces or glob characters gives what it gives in the
// shell).
func (s *State) SplitWords(words []string) []string {
	return s.Fields(Unquoted(WordsText(words)))
}

// BindFlag binds a flag (bool) standing for the shell variable name,
// whose value is word when true and "" when false; see Vars. It is
// called where the script first assigns the variable.
func (s *State) BindFlag(name string, p *bool, word string) {
	s.bindView(name, flagView{p, word})
}

// BindInt binds an int standing for the shell variable name, whose value
// is the number in decimal; see BindFlag.
func (s *State) BindInt(name string, p *int) { s.bindView(name, intView{p}) }

// BindWords binds a word list standing for the shell variable name,
// whose value is each word followed by a space; see BindFlag.
func (s *State) BindWords(name string, p *[]string) { s.bindView(name, wordsView{p}) }

func (s *State) bindView(name string, v typedView) {
	if s.views == nil {
		s.views = map[*string]typedView{}
	}
	p := new(string)
	s.views[p] = v
	s.bind(name, p)
}

// typedOf is the typed view a bound Go variable stands for, or nil.
func (s *State) typedOf(p *string) typedView {
	if p == nil || s.views == nil {
		return nil
	}
	return s.views[p]
}

// setBound assigns a bound variable by name: a Go string gets the value,
// a typed variable parses it (said on standard error when its type
// cannot hold it).
func (s *State) setBound(name string, p *string, value string) {
	v := s.typedOf(p)
	if v == nil {
		*p = value
		return
	}
	if value == v.render() {
		return
	}
	if !v.parse(value) {
		s.guardNote(name, name+"="+strconv.Quote(value), v.kind()+" in this translation cannot hold that value; it keeps "+strconv.Quote(v.render()))
	}
}

// unsetView is an unset of a typed variable by interpreted text: it
// cannot stand for an unset variable, so it takes "" where its type
// holds "" (a flag, a word list), and the difference is said.
func (s *State) unsetView(name string, p *string) {
	v := s.typedOf(p)
	if v.parse("") {
		s.guardNote(name, "unset "+name, v.kind()+" in this translation; it is empty, not unset, afterwards")
		return
	}
	s.guardNote(name, "unset "+name, v.kind()+" in this translation cannot be unset; it keeps "+strconv.Quote(v.render()))
}
