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
