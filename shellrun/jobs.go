package shellrun

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// Background jobs: what `wait`, `wait -n` and the \j of a prompt
// expansion (${x@P}) see. Jobs the translated code starts (State's
// Background) and jobs the interpreter starts in a text that needs them
// counted (one using wait -n or ${x@P}, rewritten by rewriteJobs) are
// counted in the state's jobTable.

// jobTable counts a script's running background jobs and keeps the
// statuses of those that ended and were not waited for, in the order
// they ended. A nil table has no jobs.
type jobTable struct {
	mu      sync.Mutex
	changed *sync.Cond
	running int
	ended   []int
	// others are texts of the interpreter whose jobs are not counted
	// one by one: `wait` waits for them too.
	others int
	// jobs are the jobs of translated code, for `wait PID`.
	jobs []*bgJob
}

func newJobTable() *jobTable {
	t := &jobTable{}
	t.changed = sync.NewCond(&t.mu)
	return t
}

// start counts a job that starts.
func (t *jobTable) start() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.running++
	t.mu.Unlock()
}

// startJob counts a job of translated code that starts.
func (t *jobTable) startJob(job *bgJob) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.running++
	t.jobs = append(t.jobs, job)
	t.mu.Unlock()
}

// waitPid waits for the job whose first program is pid and returns its
// status; false when no job of the table has that pid.
func (t *jobTable) waitPid(pid int) (int, bool) {
	if t == nil {
		return 0, false
	}
	t.mu.Lock()
	jobs := append([]*bgJob(nil), t.jobs...)
	t.mu.Unlock()
	for _, job := range jobs {
		<-job.ready
		if job.pid == pid {
			<-job.done
			return job.status, true
		}
	}
	return 0, false
}

// end records a job's end and its status.
func (t *jobTable) end(status int) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.running--
	t.ended = append(t.ended, status)
	t.mu.Unlock()
	t.changed.Broadcast()
}

// startOther and endOther count a text's jobs waited for as one.
func (t *jobTable) startOther() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.others++
	t.mu.Unlock()
}

func (t *jobTable) endOther() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.others--
	t.mu.Unlock()
	t.changed.Broadcast()
}

// count is the number of running jobs, \j of a prompt: bash drops a job
// from its table once it has ended and the shell has run a command.
func (t *jobTable) count() int {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.running
}

// waitAny is `wait -n`: the status of a job that ended and was not
// waited for yet, else it waits for the next job to end; 127 when no job
// runs.
func (t *jobTable) waitAny() int {
	if t == nil {
		return 127
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.ended) == 0 {
		if t.running == 0 {
			return 127
		}
		t.changed.Wait()
	}
	status := t.ended[0]
	t.ended = t.ended[1:]
	return status
}

// waitAll is `wait`: it waits until every job has ended, and forgets
// their statuses.
func (t *jobTable) waitAll() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.running > 0 || t.others > 0 {
		t.changed.Wait()
	}
	t.ended = nil
}

// Wait is the wait builtin: without operands it waits for every
// background job and returns 0; `wait -n` waits for the next job to end
// and returns its status (127 when none runs). `wait PID...` waits for
// the jobs whose program is PID ($! of a job), its status the last one's:
// 127 for a pid that is no job of the script's (bash says so). A job spec
// (%1) is refused with status 2.
func (s *State) Wait(args ...string) {
	if len(args) > 0 && args[0] == "-n" {
		s.Status = s.jobs.waitAny()
		return
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		s.jobs.waitAll()
		s.Status = 0
		return
	}
	status := 0
	for _, a := range args {
		pid, err := strconv.Atoi(a)
		if err != nil {
			s.errorf("wait: `%s': not a pid or valid job spec", a)
			status = 2
			continue
		}
		st, ok := s.jobs.waitPid(pid)
		if !ok {
			if s.bash {
				s.errorf("wait: pid %d is not a child of this shell", pid)
			}
			st = 127
		}
		status = st
	}
	s.Status = status
}

// Internal commands of the interpreter's job accounting.
const (
	jobStartCmd = "kiln:job-start"
	jobEndCmd   = "kiln:job-end" // argv[1] is the job's status, which it returns
	waitAnyCmd  = "kiln:wait-n"
	jobReapCmd  = "kiln:job-reap" // after the interpreter's wait: forgets the statuses
	promptCmd   = "kiln:prompt"   // prints ${x@P} of argv[1], then a dot
)

// serveJobs serves the job commands for the interpreter; ok is false
// for another command.
func serveJobs(t *jobTable, args []string, stdout, stderr io.Writer, script string) (status int, ok bool) {
	switch args[0] {
	case jobStartCmd:
		t.start()
		return 0, true
	case jobEndCmd:
		status, _ := strconv.Atoi(argAt(args, 1))
		t.end(status)
		return status, true
	case waitAnyCmd:
		return t.waitAny(), true
	case jobReapCmd:
		t.waitAll()
		return 0, true
	case promptCmd:
		text, err := expandPrompt(argAt(args, 1), t.count())
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", script, err)
			return 2, true
		}
		io.WriteString(stdout, text+".")
		return 0, true
	}
	return 0, false
}

// expandPrompt decodes the backslash escapes of a prompt string, as
// ${x@P} does, for the escapes that do not depend on a terminal; a
// value that would then go through parameter expansion or command
// substitution (a $ or a `) is refused.
func expandPrompt(text string, jobs int) (string, error) {
	if strings.ContainsAny(text, "$`") {
		return "", fmt.Errorf("${x@P} of a value with $ or ` is not supported by kiln's bash")
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '\\' || i+1 == len(text) {
			b.WriteByte(c)
			continue
		}
		i++
		switch text[i] {
		case 'j':
			b.WriteString(strconv.Itoa(jobs))
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'e':
			b.WriteByte(0x1b)
		case '\\':
			b.WriteByte('\\')
		case '[', ']':
		case 's':
			b.WriteString("bash")
		case '$':
			if os.Geteuid() == 0 {
				b.WriteByte('#')
			} else {
				b.WriteByte('$')
			}
		case 'v', 'V':
			version, _ := InstalledBash()
			if text[i] == 'v' {
				if parts := strings.SplitN(version, ".", 3); len(parts) >= 2 {
					version = parts[0] + "." + parts[1]
				}
			} else if j := strings.IndexByte(version, '('); j >= 0 {
				version = version[:j]
			}
			b.WriteString(version)
		default:
			return "", fmt.Errorf("${x@P} with \\%c is not supported by kiln's bash", text[i])
		}
	}
	return b.String(), nil
}

// needsJobTable reports a file that uses wait -n or ${x@P}: its
// background jobs are counted one by one.
func needsJobTable(f *syntax.File) bool {
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CallExpr:
			if len(n.Args) >= 2 {
				name, _ := literal(n.Args[0])
				opt, _ := literal(n.Args[1])
				found = found || name == "wait" && opt == "-n"
			}
		case *syntax.ParamExp:
			found = found || isPromptExp(n)
		}
		return !found
	})
	return found
}

func isPromptExp(pe *syntax.ParamExp) bool {
	if pe.Exp == nil || pe.Exp.Op != syntax.OtherParamOps {
		return false
	}
	op, _ := literal(wordOrEmpty(pe.Exp.Word))
	return op == "P"
}

// rewriteJobs makes the interpreter count a file's background jobs in
// the job table: `X &` becomes `kiln:job-start; { ( X ); kiln:job-end $?; } &`
// (X with the script's set -e, the block without), `wait -n`
// kiln:wait-n, and `wait` is followed by kiln:job-reap, which forgets the
// statuses of the jobs it waited for.
func rewriteJobs(f *syntax.File) error {
	if !needsJobTable(f) {
		return nil
	}
	var err error
	done := map[*syntax.Stmt]bool{}
	parse := func(text string) []*syntax.Stmt {
		p, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
		if perr != nil {
			err = perr
			return nil
		}
		return p.Stmts
	}
	syntax.Walk(f, func(node syntax.Node) bool {
		if err != nil {
			return false
		}
		switch n := node.(type) {
		case *syntax.CallExpr:
			if len(n.Args) == 2 {
				name, _ := literal(n.Args[0])
				opt, _ := literal(n.Args[1])
				if name == "wait" && opt == "-n" {
					n.Args = []*syntax.Word{{Parts: []syntax.WordPart{&syntax.Lit{Value: waitAnyCmd}}}}
				}
			}
		case *syntax.Stmt:
			if call, ok := n.Cmd.(*syntax.CallExpr); ok && len(call.Args) == 1 && !done[n] {
				if name, _ := literal(call.Args[0]); name == "wait" {
					// wait, then forget the statuses, as bash does.
					reap := parse("{ wait; " + jobReapCmd + "; }")
					if reap == nil {
						return false
					}
					done[reap[0]] = true
					n.Cmd = reap[0].Cmd
					return false
				}
			}
			if !n.Background || done[n] {
				return true
			}
			start := parse(jobStartCmd)
			// The job runs in a subshell of its own, so that its exit
			// (or set -e) ends it and the end is still counted.
			wrap := parse(`{ _kiln_opts=$-; set +e; ( case $_kiln_opts in *e*) set -e;; esac; : ); ` + jobEndCmd + ` "$?"; }`)
			if start == nil || wrap == nil {
				return false
			}
			job := *n
			job.Background = false
			done[&job] = true
			block := wrap[0].Cmd.(*syntax.Block)
			inner := block.Stmts[2].Cmd.(*syntax.Subshell)
			inner.Stmts[1] = &job
			bg := &syntax.Stmt{Position: n.Position, Cmd: block, Background: true}
			done[bg] = true
			n.Cmd = &syntax.Block{Lbrace: n.Pos(), Rbrace: n.End(), Stmts: []*syntax.Stmt{start[0], bg}}
			n.Redirs, n.Negated, n.Background, n.Coprocess = nil, false, false, false
		}
		return true
	})
	return err
}
