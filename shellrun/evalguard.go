package shellrun

import (
	"fmt"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// The guard of bound variables against text run by the interpreter.
//
// kiln translate --idiomatic lowers a script's variables to Go strings
// bound to the State (bind.go) even when the script evaluates text known
// only at run time (eval "$cmd", a user's filter): the State serves a
// bound variable by name to that text, reads and assignments alike.
// What a Go string cannot be is unset, or read-only. So:
//
//   - The State marks a bound variable unset (unsetBound) when it was
//     unset where it was bound (Vars, FuncVars, a function's Go local
//     of a name that was unset) and when interpreted text unsets it (the
//     Go variable becomes ""). While marked, and empty, it is unset for
//     whatever asks the State by name: Lookup, the interpreter's view
//     (${x-d}, ${x+a}, ${x=d}, ${x?}, set -u), the environment, the
//     variable a function's FuncVars hands back. The mark goes once the
//     Go variable is seen non-empty, or the State or interpreted text
//     assigns it.
//   - The one thing the State cannot see is the translated Go code
//     assigning the empty string to a marked variable: for it the
//     variable stays unset where dash has it set and empty. So when
//     interpreted text is about to tell unset from empty for a marked
//     variable that is empty ("${x-d}", "${x+a}", "${x=d}", "${x?}",
//     [ -v x ], any read under set -u), kiln says so on standard error,
//     once for each variable, and goes on taking it as unset.
//   - readonly of a bound variable by interpreted text: the State and
//     the interpreter refuse later assignments by name, but the Go code
//     assigns its variable directly. kiln says so, once for each
//     variable, and goes on.
//   - unset of a bound variable under set -u: the Go code's own later
//     reads of it give "" where dash stops with "parameter not set".
//     kiln says so, once for each variable, and goes on.
//
// The checks run after the text (takeBack sees what it did to each
// bound name, whatever way the text named it: eval "unset $name" is
// caught as `unset x` is), and before it (a parse of the text and of
// the functions interpreted text defined, for the reads).

// boundUnset reports whether the bound variable name stands for an
// unset shell variable: its innermost Go variable is marked unset and
// still "" (a value means the Go code assigned it: the mark goes).
func (s *State) boundUnset(name string) bool {
	p := s.boundPtr(name)
	if p == nil || !s.unsetBound[p] {
		return false
	}
	if *p != "" {
		delete(s.unsetBound, p)
		return false
	}
	return true
}

// markUnset makes a Go variable bound to the State stand for an unset
// variable.
func (s *State) markUnset(p *string) {
	if s.unsetBound == nil {
		s.unsetBound = map[*string]bool{}
	}
	*p = ""
	s.unsetBound[p] = true
}

// guardNote says on standard error, once for each variable and
// construct, what interpreted text did to a variable the translation
// keeps in Go that kiln cannot reproduce exactly.
func (s *State) guardNote(name, construct, what string) {
	key := "evalguard " + construct + " " + name
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

// checkBoundReads is run before interpreted text: it says which marked
// bound variables that are empty the text (or a function interpreted
// text defined) tells unset from empty for. See the top of this file.
func (s *State) checkBoundReads(file *syntax.File) {
	var marked map[string]bool
	for name := range s.bound {
		if s.boundUnset(name) {
			if marked == nil {
				marked = map[string]bool{}
			}
			marked[name] = true
		}
	}
	if len(marked) == 0 {
		return
	}
	found := map[string]string{}
	nounset := s.nounset || textSetsNounset(file)
	visit := func(node syntax.Node) {
		syntax.Walk(node, func(node syntax.Node) bool {
			switch n := node.(type) {
			case *syntax.ParamExp:
				if n.Param == nil || !marked[n.Param.Value] {
					return true
				}
				switch {
				case n.Exp != nil && (n.Exp.Op == syntax.DefaultUnset || n.Exp.Op == syntax.AlternateUnset ||
					n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.ErrorUnset):
					found[n.Param.Value] = "${" + n.Param.Value + n.Exp.Op.String() + "...}"
				case n.Exp != nil && n.Exp.Op == syntax.ErrorUnsetOrNull:
				case nounset && (n.Exp == nil || n.Exp.Op != syntax.DefaultUnsetOrNull && n.Exp.Op != syntax.AlternateUnsetOrNull && n.Exp.Op != syntax.AssignUnsetOrNull):
					found[n.Param.Value] = "$" + n.Param.Value + " under set -u"
				}
			case *syntax.CallExpr:
				for i, w := range n.Args {
					if i > 0 && w.Lit() != "" && marked[w.Lit()] && n.Args[i-1].Lit() == "-v" {
						found[w.Lit()] = "-v " + w.Lit()
					}
				}
			case *syntax.TestClause:
				syntax.Walk(n.X, func(node syntax.Node) bool {
					if u, ok := node.(*syntax.UnaryTest); ok && u.Op == syntax.TsVarSet {
						if w, ok := u.X.(*syntax.Word); ok && marked[w.Lit()] {
							found[w.Lit()] = "-v " + w.Lit()
						}
					}
					return true
				})
			}
			return true
		})
	}
	visit(file)
	if s.shell != nil {
		for _, body := range s.shell.funcs {
			visit(body)
		}
	}
	names := make([]string, 0, len(found))
	for name := range found {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s.guardNote(name, found[name], "kiln takes it as unset, as it was when last bound or unset, which is what dash does unless the translated code assigned it the empty string since")
	}
}

// textSetsNounset reports text that may turn set -u on.
func textSetsNounset(file *syntax.File) bool {
	on := false
	syntax.Walk(file, func(node syntax.Node) bool {
		if c, ok := node.(*syntax.CallExpr); ok && len(c.Args) > 1 && c.Args[0].Lit() == "set" {
			for _, w := range c.Args[1:] {
				if v := w.Lit(); v == "" || v == "nounset" || strings.HasPrefix(v, "-") && strings.Contains(v, "u") {
					on = true
				}
			}
		}
		return !on
	})
	return on
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
		wasUnset := s.unsetBound[p] && *p == ""
		s.markUnset(p)
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
