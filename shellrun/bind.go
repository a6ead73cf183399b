package shellrun

// Variables of the script that kiln translate --idiomatic writes as Go
// variables are bound to the State by pointer: the Go variable is the
// shell variable. Nothing in the script reaches such a variable by name
// (the translator proves it), but the environment can: a name the
// script inherited exported keeps dash's export attribute, so a program
// (or in-process git, or interpreted text) the script starts must see
// the value the Go variable has then, and a `local` of the function
// after it sees the caller's.

// Vars binds the script's Go variables to the shell variables of those
// names: each starts with the shell variable's value (the environment's,
// or "" when unset), and from then on the Go variable is the variable's
// value wherever the State serves it by name (the environment programs
// get, interpreted text, a function's local of the same name).
func (s *State) Vars(vars map[string]*string) {
	for name, p := range vars {
		_, set := s.Lookup(name)
		*p = s.Get(name)
		s.bind(name, p)
		if !set {
			s.markUnset(p) // evalguard.go
		}
	}
}

// LocalVars binds a function's Go locals (`local NAME`) as Vars does,
// without touching their values, and returns what undoes it when the
// function returns: the variables they hide are back as they were.
//
//	defer s.LocalVars(map[string]*string{"list": &list})()
func (s *State) LocalVars(vars map[string]*string) (unbind func()) {
	saved := map[string]*variable{}
	for name, p := range vars {
		if v, ok := s.vars[name]; ok {
			c := *v
			saved[name] = &c
		} else {
			saved[name] = nil
		}
		_, set := s.Lookup(name)
		s.bind(name, p)
		if !set && isUnsetString(*p) {
			// local x of a variable that was unset: it stays unset.
			s.markUnset(p)
		}
	}
	return func() {
		for name, p := range vars {
			delete(s.unsetBound, p)
			s.unbind(name)
			if old := saved[name]; old != nil {
				s.vars[name] = old
			} else {
				delete(s.vars, name)
			}
		}
	}
}

// FuncVars binds a function's Go variables standing for global shell
// variables (the function mentions them without a local): each starts
// with the variable's value (a caller's Go variable, or the State's),
// and when the function returns the value goes back to the variable as
// an assignment would, for the caller and the environment.
//
//	defer s.FuncVars(map[string]*string{"rev": &rev})()
func (s *State) FuncVars(vars map[string]*string) (unbind func()) {
	type start struct {
		value string
		set   bool
	}
	starts := map[string]start{}
	for name, p := range vars {
		v, set := s.Lookup(name)
		*p = v
		starts[name] = start{v, set}
		s.bind(name, p)
		if !set {
			s.markUnset(p) // evalguard.go
		}
	}
	return func() {
		for name, p := range vars {
			unset := s.boundUnset(name)
			delete(s.unsetBound, p)
			s.unbind(name)
			if unset {
				// Never assigned, or unset by interpreted text: the
				// variable is unset for the caller.
				s.unsetVar(name)
				continue
			}
			s.Set(name, *p)
		}
	}
}

// boundPtr is the Go variable a name is bound to, or nil.
func (s *State) boundPtr(name string) *string {
	stack := s.bound[name]
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}

func (s *State) bind(name string, p *string) {
	if s.bound == nil {
		s.bound = map[string][]*string{}
	}
	s.bound[name] = append(s.bound[name], p)
}

// boundValue is the value of a bound variable: its innermost Go
// variable's.
func (s *State) boundValue(name string) (string, bool) {
	stack := s.bound[name]
	if len(stack) == 0 {
		return "", false
	}
	p := stack[len(stack)-1]
	if v := s.typedOf(p); v != nil {
		return v.render(), true
	}
	return *p, true
}

// settleBound writes the bound variables' values into the State's own
// variables and drops the bindings: a subshell or background job gets
// the values as they are when it starts (its code reads the Go
// variables it captured, which it cannot assign), and never reads Go
// variables the parent goes on changing.
func (s *State) settleBound() {
	for name := range s.bound {
		value, _ := s.boundValue(name)
		unset := s.boundUnset(name)
		if v, ok := s.vars[name]; ok {
			c := *v
			c.value, c.unset, c.array = value, unset, nil
			s.vars[name] = &c
		} else if !unset {
			s.vars[name] = &variable{value: value}
		}
	}
	s.bound = nil
	s.unsetBound = nil // the parent's, which the copy shares
	s.views = nil      // likewise
}

// unsetVar makes name unset after its binding is gone: the Go variable
// it is bound to now, if any, is marked unset; else it leaves the
// State's variables (an exported one stays declared, without a value).
func (s *State) unsetVar(name string) {
	if p := s.boundPtr(name); p != nil {
		if s.typedOf(p) != nil {
			s.unsetView(name, p)
			return
		}
		s.markUnset(p)
		return
	}
	if v, ok := s.vars[name]; ok && v.exported {
		v.unset = true
		return
	}
	delete(s.vars, name)
}

// unbind takes the innermost binding of name off its stack.
func (s *State) unbind(name string) {
	stack := s.bound[name]
	if len(stack) > 0 {
		s.bound[name] = stack[:len(stack)-1]
	}
	if len(s.bound[name]) == 0 {
		delete(s.bound, name)
	}
}
