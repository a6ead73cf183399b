package translate

import (
	"fmt"
	"slices"

	"mvdan.cc/sh/v3/syntax"
)

// keptRef counts a reference of a variable written as a State access by
// name, in all and for that variable (the report's keptRefs).
func (g *gen) keptRef(name string) {
	l := &g.report.Lowering
	l.VarRefsKept++
	if l.KeptRefs == nil {
		l.KeptRefs = map[string]int{}
	}
	l.KeptRefs[name]++
}

// addReason adds a reason to keep a variable, with the script line it
// was found at (none when pos is not valid), once.
func addReason(reasons []string, why string, pos syntax.Pos) []string {
	if pos.IsValid() {
		why = fmt.Sprintf("%s (line %d)", why, pos.Line())
	}
	if slices.Contains(reasons, why) {
		return reasons
	}
	return append(reasons, why)
}

// keptReasons records in the report every reason a kept variable has:
// the one that keeps every variable (a library, set -u...) alone, else
// all the analysis found.
func (g *gen) keptReasons(name, why string, u *varUse) {
	l := &g.report.Lowering
	if l.Reasons == nil {
		l.Reasons = map[string][]string{}
	}
	if why != u.keep || len(u.reasons) == 0 {
		l.Reasons[name] = []string{why}
		return
	}
	l.Reasons[name] = u.reasons
}
