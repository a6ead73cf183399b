package shellparse

// Kind says what a command invocation runs.
type Kind string

// The kinds of invocation.
const (
	KindGit      Kind = "git"      // the git command
	KindExternal Kind = "external" // another program, found on PATH or not
	KindBuiltin  Kind = "builtin"  // a builtin of the script's shell
	KindFunction Kind = "function" // a shell function of the script or its libraries
	KindDynamic  Kind = "dynamic"  // the command name is not a literal
)

// Category is the porting status of an invocation.
type Category string

// The audit categories, Mercurial-audit style.
const (
	// CategoryInProcess: gitapi serves this git call in-process.
	CategoryInProcess Category = "in-process"
	// CategoryNeedsGitapi: a git call gitapi does not serve yet.
	CategoryNeedsGitapi Category = "needs-gitapi"
	// CategoryExternalByDesign: the call exists to run a user's tool
	// (editor, pager, merge tool, browser, web server) and stays external.
	CategoryExternalByDesign Category = "external-by-design"
)

// Report is the result of scanning a set of scripts.
type Report struct {
	// SchemaVersion changes only when a field changes meaning or goes away.
	SchemaVersion int       `json:"schema_version"`
	ExecPath      string    `json:"exec_path,omitempty"`
	Scripts       []*Script `json:"scripts"`
	Skipped       []Skipped `json:"skipped"`
	Summary       Summary   `json:"summary"`
}

// SchemaVersion is the version of the JSON report documented in docs/scan.md.
const SchemaVersion = 1

// Skipped is a file that was not scanned, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Script is the audit of one file.
type Script struct {
	Path string `json:"path"`
	Lang Lang   `json:"lang"`
	// Lines is the number of lines of the file.
	Lines int `json:"lines"`
	// Error is set when the script could not be read or parsed
	// ("file:line:col: message"); the other fields are then empty.
	Error string `json:"error,omitempty"`
	// ErrorLine and ErrorCol locate a syntax error (0 when unknown).
	ErrorLine int `json:"error_line,omitempty"`
	ErrorCol  int `json:"error_col,omitempty"`
	// SourcedBy names the script that made this library part of the
	// report, when it was not asked for itself.
	SourcedBy   string        `json:"sourced_by,omitempty"`
	Functions   []string      `json:"functions"`
	Invocations []*Invocation `json:"invocations"`
	Sources     []*Source     `json:"sources"`
	// Dependencies lists every command name the script runs, with
	// whether the script's shell has it built in and whether an
	// executable of that name is on PATH.
	Dependencies []Dependency `json:"dependencies"`
	Options      *Options     `json:"options,omitempty"`
	Findings     []*Finding   `json:"findings"`
	Stats        Stats        `json:"stats"`
}

// Invocation is one command the script runs.
type Invocation struct {
	Line int `json:"line"`
	Col  int `json:"col"`
	// Func is the enclosing shell function, "" at top level.
	Func string `json:"func,omitempty"`
	Kind Kind   `json:"kind"`
	// Name is the command name as written; for dynamic invocations, the
	// shell text of the word in command position.
	Name string `json:"name"`
	// Subcommand and Flags are set for git: the git command run
	// ("rev-parse") and the literal words starting with "-" after it.
	// GlobalFlags are the options given to git itself (-C, -c, ...).
	Subcommand  string   `json:"subcommand,omitempty"`
	Flags       []string `json:"flags,omitempty"`
	GlobalFlags []string `json:"global_flags,omitempty"`
	// Via names the wrappers the command was found through: "exec",
	// "eval", "trap", "command", "env", "builtin".
	Via []string `json:"via,omitempty"`
	// Spawns estimates the processes one run of this invocation costs:
	// 1 for a program, plus forks of the constructs it runs in (command
	// substitution, pipeline element, subshell, background job) that the
	// shell cannot fold into the program's own process.
	Spawns int `json:"spawns"`
	// InLoop is set when the invocation runs once per iteration of a
	// loop, directly or through a function called in a loop.
	InLoop       bool `json:"in_loop,omitempty"`
	InPipeline   bool `json:"in_pipeline,omitempty"`
	InSubst      bool `json:"in_subst,omitempty"`
	InSubshell   bool `json:"in_subshell,omitempty"`
	InBackground bool `json:"in_background,omitempty"`
	// Category is set for git invocations and for external programs run
	// by design (editor, pager, browser, web server, merge tool).
	Category Category `json:"category,omitempty"`
}

// Source is a `.` (or bash `source`) of another file.
type Source struct {
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Text string `json:"text"`
	// Resolved is the file it reads, "" when it cannot be resolved
	// statically (then Reason says why).
	Resolved string `json:"resolved,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// Dependency is a command name a script runs.
type Dependency struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	// Builtin is set when the script's shell has the command built in,
	// so running it costs no process.
	Builtin bool `json:"builtin,omitempty"`
	// Path is the executable found on PATH (or git's exec path), "" if
	// none.
	Path string `json:"path,omitempty"`
}

// Finding is something a porting engineer should look at.
type Finding struct {
	Rule    string `json:"rule"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

// The finding rules; each is a SARIF rule too.
const (
	RuleSpawnInLoop         = "spawn-in-loop"
	RuleDynamicCommand      = "dynamic-command"
	RuleUnresolvedSource    = "unresolved-source"
	RuleOptionInconsistency = "option-inconsistency"
)

// Stats counts a script's invocations.
type Stats struct {
	Invocations int            `json:"invocations"`
	ByKind      map[Kind]int   `json:"by_kind"`
	GitCommands map[string]int `json:"git_subcommands"`
	// Spawns is the sum of the invocations' estimates, each counted once;
	// SpawnsInLoops is the part of it that repeats per loop iteration.
	Spawns        int `json:"spawns"`
	SpawnsInLoops int `json:"spawns_in_loops"`
}

// Summary totals a report.
type Summary struct {
	Scripts       int            `json:"scripts"`
	Errors        int            `json:"errors"`
	Lines         int            `json:"lines"`
	Invocations   int            `json:"invocations"`
	ByKind        map[Kind]int   `json:"by_kind"`
	GitCommands   map[string]int `json:"git_subcommands"`
	ByCategory    map[string]int `json:"git_by_category"`
	Spawns        int            `json:"spawns"`
	SpawnsInLoops int            `json:"spawns_in_loops"`
	Findings      map[string]int `json:"findings"`
}
