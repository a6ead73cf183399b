package shellrun

import (
	"fmt"
	"unsafe"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
)

// The guard of bound variables against text run by the interpreter.
//
// kiln translate --idiomatic lowers a script's variables to Go strings
// bound to the State (bind.go) even when the script evaluates text known
// only at run time (eval "$cmd", a user's filter): the State serves a
// bound variable by name to that text, reads and assignments alike.
// What a Go string cannot be is unset, or read-only. So:
//
//   - A bound Go variable stands for an unset variable when it holds
//     the State's mark: an empty string whose bytes are at an address
//     of its own for that Go variable (markUnset). The State marks it
//     where the variable is unset when bound (Vars, FuncVars, a
//     function's Go local of a variable that was unset, given no
//     value) and where interpreted text unsets it (eval "unset x", or
//     eval "unset $name" naming it: takeBack sees what the text did to
//     each bound name). While it holds the mark the variable is unset
//     for whatever asks the State by name: Lookup, the interpreter's
//     view (${x-d}, ${x+a}, ${x=d}, ${x?}, set -u), the environment,
//     the variable a function's FuncVars hands back. Any assignment of
//     the Go code stores another string, the empty string included, so
//     the variable is set again, as in dash. The translated code's own
//     reads see "", which is what $x gives for an unset x.
//   - What remains: an assignment of the Go code that stores the marked
//     string itself leaves the variable unset where dash has it set and
//     empty: x=$x or x=${x%pattern} while x is unset, or the mark taken
//     by way of another variable (y=$x while x is unset, then x=$y).
//     The translator keeps a variable assigned from itself alone in the
//     State in a script that evaluates run-time text (lower.go).
//   - readonly of a bound variable by interpreted text: the State and
//     the interpreter refuse later assignments by name, but the Go code
//     assigns its variable directly. kiln says so on standard error,
//     once for each variable, and goes on.
//   - unset of a bound variable under set -u: the Go code's own later
//     reads of it give "" where dash stops with "parameter not set".
//     kiln says so, once for each variable, and goes on.
//   - local of a bound variable in interpreted text is served in a
//     function the text defines: the interpreter's local hides the
//     variable until that function returns. At the text's top level
//     the interpreter refuses it ("local: can only be used in a
//     function") for any variable, kept or lowered.

// unsetString is the value Value gives for an unset variable: empty,
// with bytes of its own, so that LocalVars tells a Go local started
// from an unset variable (local x) from one given "" (local x=).
var unsetString = unsafe.String(new(byte), 0)

// isUnsetString reports the string Value gives for an unset variable.
func isUnsetString(v string) bool { return unsafe.StringData(v) == unsafe.StringData(unsetString) }

// boundUnset reports whether the bound variable name stands for an
// unset shell variable: its innermost Go variable holds its mark (any
// other value means the Go code assigned it since).
func (s *State) boundUnset(name string) bool {
	p := s.boundPtr(name)
	if p == nil {
		return false
	}
	return s.holdsMark(p)
}

// holdsMark reports whether a bound Go variable still holds its unset
// mark. It only reads (a view of the State for a command the
// interpreter runs in a pipeline stage settles the bindings
// concurrently with another stage's).
func (s *State) holdsMark(p *string) bool {
	mark, ok := s.unsetBound[p]
	return ok && unsafe.StringData(*p) == mark
}

// markUnset makes a Go variable bound to the State stand for an unset
// variable: it gets an empty string of bytes of its own, its mark.
func (s *State) markUnset(p *string) {
	if s.unsetBound == nil {
		s.unsetBound = map[*string]*byte{}
	}
	mark := new(byte)
	*p = unsafe.String(mark, 0)
	s.unsetBound[p] = mark
}

// guardNote says on standard error, once for each variable and
// construct, what interpreted text did to a variable the translation
// keeps in Go that kiln cannot reproduce exactly.
func (s *State) guardNote(name, construct, what string) {
	key := "evalguard " + construct
	if s.warned[key] {
		return
	}
	if s.warned == nil {
		s.warned = map[string]bool{}
	}
	s.warned[key] = true
	fmt.Fprintf(s.Stderr(), "kiln: %s: %s (in text run by eval or the interpreter): %s is a Go variable in this translation; %s\n",
		s.Name, construct, name, what)
}

// guardBound is run by takeBack for each variable bound to a Go
// variable, with what the interpreter left for its name (ok false when
// the text did not touch it and the State had no entry) and the State's
// variable before the text ran (nil when none): the unset mark follows
// the interpreter's variable, and what the Go variable cannot do is
// said.
func (s *State) guardBound(name string, vr expand.Variable, ok bool, before *variable) {
	p := s.boundPtr(name)
	if p == nil || !ok {
		return
	}
	if vr.IsSet() {
		delete(s.unsetBound, p)
	} else {
		if s.typedOf(p) != nil {
			s.unsetView(name, p)
			return
		}
		wasUnset := s.holdsMark(p)
		if !wasUnset {
			s.markUnset(p)
		}
		if !wasUnset && s.nounset {
			s.guardNote(name, "unset "+name, "with set -u on, the translated code's own reads of it give \"\" where dash stops with \"parameter not set\"")
		}
	}
	if vr.ReadOnly && (before == nil || !before.readonly) {
		s.guardNote(name, "readonly "+name, "the translated code's own assignments to it are not refused as dash refuses them (\"is read only\")")
	}
}

// guardBoundAll runs guardBound for every bound name after the text ran.
func (s *State) guardBoundAll(r *interp.Runner, before map[string]*variable) {
	for name := range s.bound {
		vr, ok := r.Vars[name]
		s.guardBound(name, vr, ok, before[name])
	}
}
