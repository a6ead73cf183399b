package translate

// Report is what a translation did with a script: how many statements
// became native Go, how many run through the embedded interpreter, the
// external programs left, and how its git calls map to gitapi.
type Report struct {
	Script string `json:"script"`
	// Statements counts the shell statements; Native those translated to
	// Go, Interpreted those run through the shell interpreter.
	Statements  int `json:"statements"`
	Native      int `json:"native"`
	Interpreted int `json:"interpreted"`
	// Spawns counts the call sites that still start an external program
	// (other than the user's own tools).
	Spawns int `json:"spawns"`
	// GitCalls counts git call sites: GitMapped are served in-process by
	// gitapi, GitMarked are marked for review (they run through gitapi's
	// fallback, or are external by design).
	GitCalls  int `json:"gitCalls"`
	GitMapped int `json:"gitMapped"`
	GitMarked int `json:"gitMarked"`
	// GitInterpreted counts the marked git calls inside statements the
	// interpreter runs (a git call in a bash process substitution, say):
	// gitapi serves them when it can, but they are not claimed in-process.
	GitInterpreted int `json:"gitInterpreted"`
	// Reviews are the kiln:review markers, in order.
	Reviews []Review `json:"reviews"`
	// Idiomatic says the report is of the lowered stage.
	Idiomatic bool `json:"idiomatic,omitempty"`
	// Lowering measures the Go against the script.
	Lowering Lowering `json:"lowering"`
}

// Review is one spot marked for a porting engineer's review.
type Review struct {
	Line   int    `json:"line"`
	Col    int    `json:"col"`
	Reason string `json:"reason"`
}

// GitAccounted is the share of git calls either mapped to gitapi or
// explicitly marked, in percent (100 when there are none).
func (r *Report) GitAccounted() float64 {
	if r.GitCalls == 0 {
		return 100
	}
	return 100 * float64(r.GitMapped+r.GitMarked) / float64(r.GitCalls)
}

// GitMappedPercent is the share of git calls served in-process.
func (r *Report) GitMappedPercent() float64 {
	if r.GitCalls == 0 {
		return 100
	}
	return 100 * float64(r.GitMapped) / float64(r.GitCalls)
}

// Lowering measures how close a translation is to Go a maintainer would
// keep: its size against the script's, which variables live in Go and
// which in the State, how its git calls are made, and the status
// placeholders that do nothing (noise). Raw and idiomatic output are
// measured the same way.
type Lowering struct {
	// GoLines and ScriptLines are the lines of the Go file and of the
	// script.
	GoLines     int `json:"goLines"`
	ScriptLines int `json:"scriptLines"`
	// VarRefsLowered counts the references (reads and assignments) of
	// the script's variables written as Go variables; VarRefsKept those
	// written as State accesses by name.
	VarRefsLowered int `json:"varRefsLowered"`
	VarRefsKept    int `json:"varRefsKept"`
	// Lowered names the variables that became Go locals; Kept says for
	// each variable the script assigns why it stays in the State.
	Lowered []string          `json:"lowered,omitempty"`
	Kept    map[string]string `json:"kept,omitempty"`
	// Reasons lists, for each kept variable, every reason the analysis
	// found to keep it (Kept gives the first), with the script line
	// where it saw it ("named by read (line 12)"); KeptRefs counts each
	// kept variable's references (their sum is VarRefsKept).
	Reasons  map[string][]string `json:"reasons,omitempty"`
	KeptRefs map[string]int      `json:"keptRefs,omitempty"`
	// Typed gives the Go type (bool, int, []string) of the lowered
	// variables that are not Go strings (translate/lowertypes.go).
	Typed map[string]string `json:"typed,omitempty"`
	// GitTyped counts git calls written as a typed gitapi call, GitFace
	// those run through gitapi's argv face, GitFallback those gitapi
	// does not serve (its counted fallback runs git).
	GitTyped    int `json:"gitTyped"`
	GitFace     int `json:"gitFace"`
	GitFallback int `json:"gitFallback"`
	// Noise counts emitted status placeholders that do nothing: a
	// condition's `s.SetStatus(s.Status)`, an unwinding check right
	// after exit or return, `s.SetStatus(0)` twice in a row, and a
	// status set that nothing reads before the next command sets it.
	Noise int `json:"noise"`
	// OptionLoops counts the option loops lowered to an options struct
	// and those kept (idiomatic stage; nil when there are none).
	OptionLoops *OptionLoops `json:"optionLoops,omitempty"`
}

// GoPerScriptLine is the Go file's lines per script line.
func (l *Lowering) GoPerScriptLine() float64 {
	if l.ScriptLines == 0 {
		return 0
	}
	return float64(l.GoLines) / float64(l.ScriptLines)
}

// LoweredPercent is the share of variable references written as Go
// variables (100 when there are none).
func (l *Lowering) LoweredPercent() float64 {
	if l.VarRefsLowered+l.VarRefsKept == 0 {
		return 100
	}
	return 100 * float64(l.VarRefsLowered) / float64(l.VarRefsLowered+l.VarRefsKept)
}

// TypedPercent is the share of in-process git calls written as typed
// gitapi calls (100 when there are none).
func (l *Lowering) TypedPercent() float64 {
	if l.GitTyped+l.GitFace == 0 {
		return 100
	}
	return 100 * float64(l.GitTyped) / float64(l.GitTyped+l.GitFace)
}
