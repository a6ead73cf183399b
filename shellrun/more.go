package shellrun

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// DefaultFunc is ${name:-word} (colon) or ${name-word} when word has a
// command substitution: it runs only when needed.
func (s *State) DefaultFunc(name string, word func() string, colon bool) string {
	if v, ok := s.isSet(name, colon); ok {
		return v
	}
	return word()
}

// Expand expands shell word text with the interpreter's expander, for the
// expansions kiln does not translate (bash's ${x/a/b}, say).
func (s *State) Expand(text string) string {
	w, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Document(strings.NewReader(text))
	if err != nil {
		s.errorf("bad substitution")
		s.Status = 2
		s.exiting = true
		return ""
	}
	cfg := &expand.Config{Env: writableEnviron{stateEnviron{s}}, NoUnset: s.nounset}
	v, err := expand.Document(cfg, w)
	if err != nil {
		s.expandError(err)
		s.errorf("%v", err)
		s.Status = 2
		s.exiting = true
	}
	return v
}

// ExpandFields expands shell word text to fields with the interpreter's
// expander, for words kiln does not translate ("x$@y", say).
func (s *State) ExpandFields(text string) []string {
	p := syntax.NewParser(syntax.Variant(syntax.LangBash))
	var words []*syntax.Word
	for w, err := range p.WordsSeq(strings.NewReader(text)) {
		if err != nil {
			s.errorf("bad substitution")
			s.Status = 2
			s.exiting = true
			return nil
		}
		words = append(words, w)
	}
	cfg := &expand.Config{Env: writableEnviron{stateEnviron{s}}, NoUnset: s.nounset}
	fields, err := expand.Fields(cfg, words...)
	if err != nil {
		s.expandError(err)
		s.errorf("%v", err)
		s.Status = 2
		s.exiting = true
	}
	return fields
}

// expandError ends the (sub)shell on the expander's errors the shell
// exits on: an unset parameter under set -u, ${x?message}; each with the
// shell's message.
func (s *State) expandError(err error) {
	var unset expand.UnsetParameterError
	if !errors.As(err, &unset) {
		return
	}
	pe := unset.Node
	name := pe.Param.Value
	if pe.Index != nil {
		name += "[" + printWord(pe.Index) + "]"
	}
	if pe.Excl {
		name = "!" + name
	}
	if unset.Message == "unbound variable" {
		s.unbound(name)
	}
	s.errorf("%s: %s", name, unset.Message)
	if s.bash {
		s.fatal(1)
	}
	s.fatal(2)
}

// printWord prints a node (an index) as shell text.
func printWord(w syntax.Node) string {
	var b strings.Builder
	syntax.NewPrinter().Print(&b, w)
	return b.String()
}

// StripTabs removes the leading tabs of each line, for <<- here-documents.
func StripTabs(text string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "")
}

// WithEnv runs body with the variables given as name, value pairs set and
// exported, then restores them: `NAME=value cmd`.
func (s *State) WithEnv(body Func, pairs ...string) {
	saved := map[string]*variable{}
	for i := 0; i+1 < len(pairs); i += 2 {
		name := pairs[i]
		if _, done := saved[name]; !done {
			if old, ok := s.vars[name]; ok {
				c := *old
				saved[name] = &c
			} else {
				saved[name] = nil
			}
		}
		s.vars[name] = &variable{value: pairs[i+1], exported: true}
	}
	body(s)
	for name, old := range saved {
		if old == nil {
			delete(s.vars, name)
		} else {
			s.vars[name] = old
		}
	}
}

// Background runs body as `cmd &`: in a subshell, without waiting.
func (s *State) Background(body Func) {
	sub := s.fork()
	job := &bgJob{ready: make(chan struct{}), done: make(chan struct{})}
	sub.job = job
	s.lastJob = job
	s.bg.Add(1)
	s.jobs.startJob(job)
	go func() {
		defer s.bg.Done()
		defer job.started(0)
		job.status = sub.runProcess(body)
		close(job.done)
		s.jobs.end(job.status)
	}()
	s.Status = 0
}

// bgJob is a background job (`cmd &`), for $!: the id of the first
// process it starts. The job runs in-process, so $! waits until it has
// started a program (or ended without one, when $! stays empty).
type bgJob struct {
	once  sync.Once
	ready chan struct{}
	pid   int
	// done is closed when the job has ended, with its status.
	done   chan struct{}
	status int
}

// started records the job's first process (0 when it ended without
// one).
func (j *bgJob) started(pid int) {
	j.once.Do(func() {
		j.pid = pid
		close(j.ready)
	})
}

// lastPid is $!: the process id of the last background job's program.
func (s *State) lastPid() (string, bool) {
	if s.lastJob == nil {
		return "", false
	}
	<-s.lastJob.ready
	if s.lastJob.pid == 0 {
		return "", false
	}
	return strconv.Itoa(s.lastJob.pid), true
}

// Run runs a command that names a program: one of the text tools kiln
// runs in-process when it serves that form, otherwise the program.
func (s *State) Run(argv ...string) {
	if len(argv) == 0 {
		return
	}
	if s.CallName(argv[0], argv[1:]...) {
		return
	}
	s.Exec(argv...)
}

// Umask is the umask builtin.
func (s *State) Umask(args ...string) { s.Shell("umask " + quoteWords(args)) }

// Type is the type builtin. The functions the script defined, in Go
// or through the interpreter, are described here: the interpreter only
// knows those it defined itself. Other names are the interpreter's to
// describe; as in dash, the status is 127 when any name is not found.
func (s *State) Type(args ...string) {
	status := 0
	for _, name := range args {
		if _, ok := s.funcs[name]; ok {
			fmt.Fprintf(s.Stdout(), "%s is a shell function\n", name)
			continue
		}
		s.Shell("type " + quoteWords([]string{name}))
		status |= s.Status
	}
	s.Status = status
}

// CommandBuiltin is `command [-v] NAME ARGS`.
func (s *State) CommandBuiltin(args ...string) { s.commandBuiltin(args) }

// ScriptName is $0 for a translated script: the path it was run as when
// run under its own name (git-NAME, as git runs it), else its path in
// git's exec path.
func ScriptName(name string) string {
	if len(os.Args) > 0 && filepath.Base(os.Args[0]) == name {
		return os.Args[0]
	}
	if dir := GitExecPath(); dir != "" {
		return filepath.Join(dir, name)
	}
	return name
}

// GitExecPath is the exec path a translated script puts at the head of
// PATH, as git does before it runs a script. Run as git-NAME (by git, or
// directly as the script could be), the environment is already what the
// script would get: nothing to add. Run as `builtins NAME`, standing for
// `git NAME`, it is GIT_EXEC_PATH, else the first of the usual install
// locations holding git-sh-setup (asking `git --exec-path` would cost a
// process).
func GitExecPath() string {
	if len(os.Args) > 0 && strings.HasPrefix(filepath.Base(os.Args[0]), "git-") {
		return ""
	}
	if dir := os.Getenv("GIT_EXEC_PATH"); dir != "" {
		return dir
	}
	for _, dir := range []string{"/usr/lib/git-core", "/usr/libexec/git-core", "/usr/local/libexec/git-core"} {
		if _, err := os.Stat(filepath.Join(dir, "git-sh-setup")); err == nil {
			return dir
		}
	}
	return ""
}

// True is `:` and `true`: it succeeds; its arguments were expanded for
// their effects.
func (s *State) True(...string) { s.Status = 0 }

// False is `false`.
func (s *State) False(...string) { s.Status = 1 }
