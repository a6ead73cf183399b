package shellparse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"mvdan.cc/sh/v3/syntax"
)

// Config says how to scan.
type Config struct {
	// ExecPath is git's exec path: `. name` finds libraries there first
	// (git puts it at the head of PATH for its scripts), and
	// $(git --exec-path) expands to it.
	ExecPath string
	// Path is the search path for `.` and for dependencies; empty means
	// $PATH.
	Path string
	// Lang forces a dialect; empty follows each script's shebang.
	Lang Lang
	// Classify gives the audit category of a git or external invocation;
	// nil puts every git call in needs-gitapi.
	Classify func(*Invocation) Category
}

// fileInfo is one loaded file and what the pre-pass found in it.
type fileInfo struct {
	path    string
	lang    Lang
	src     []byte
	ast     *syntax.File
	err     error
	funcs   []string
	sources []*fileInfo // resolved, statically sourced files
	// sourcedBy are the loaded files that source this one.
	sourcedBy []*fileInfo
	requested bool
}

// Scanner scans scripts; it loads each file once.
type Scanner struct {
	cfg   Config
	files map[string]*fileInfo
	order []*fileInfo
}

// NewScanner returns a scanner for cfg.
func NewScanner(cfg Config) *Scanner {
	if cfg.Path == "" {
		cfg.Path = os.Getenv("PATH")
	}
	return &Scanner{cfg: cfg, files: map[string]*fileInfo{}}
}

// Corpus lists the shell scripts in git's exec path and its mergetools
// directory, and the text files there that are not shell (binaries are
// left out silently: they are git's own commands).
func Corpus(execPath string) (scripts []string, skipped []Skipped, err error) {
	for _, dir := range []string{execPath, filepath.Join(execPath, "mergetools")} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if dir != execPath && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, nil, err
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
				continue
			}
			if binary, err := hasBinaryHead(p); err != nil || binary {
				// git's own commands; an unreadable file is
				// reported when the scan reads it.
				if err != nil {
					scripts = append(scripts, p)
				}
				continue
			}
			src, err := os.ReadFile(p)
			if err != nil {
				scripts = append(scripts, p)
				continue
			}
			if _, ok, reason := Classify(src); ok {
				scripts = append(scripts, p)
			} else if !isBinary(src) {
				skipped = append(skipped, Skipped{Path: p, Reason: reason})
			}
		}
	}
	return scripts, skipped, nil
}

// hasBinaryHead reads only the start of a file to tell a binary (git's
// compiled commands, megabytes each) from text.
func hasBinaryHead(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 8000)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, err
	}
	return isBinary(head[:n]), nil
}

// Scan audits the scripts at paths, and the libraries they source.
func (s *Scanner) Scan(paths []string) *Report {
	rep := &Report{SchemaVersion: SchemaVersion, ExecPath: s.cfg.ExecPath, Skipped: []Skipped{}}
	for _, p := range paths {
		s.request(rep, p, nil)
	}
	return s.finish(rep)
}

// ScanSource audits src as if read from the file at path (which need not
// exist), and the libraries it sources.
func (s *Scanner) ScanSource(path string, src []byte) *Report {
	rep := &Report{SchemaVersion: SchemaVersion, ExecPath: s.cfg.ExecPath, Skipped: []Skipped{}}
	s.request(rep, path, src)
	return s.finish(rep)
}

func (s *Scanner) request(rep *Report, path string, src []byte) {
	var f *fileInfo
	var skip *Skipped
	if src != nil {
		f, skip = s.loadSource(path, src, true)
	} else {
		f, skip = s.load(path, true)
	}
	if skip != nil {
		rep.Skipped = append(rep.Skipped, *skip)
		return
	}
	f.requested = true
}

func (s *Scanner) finish(rep *Report) *Report {
	for i := 0; i < len(s.order); i++ { // s.order grows as sources load
		s.resolveSources(s.order[i])
	}
	for _, f := range s.order {
		rep.Scripts = append(rep.Scripts, s.audit(f))
	}
	rep.Summary = summarize(rep.Scripts)
	return rep
}

// load reads and parses a file once. A file that is not a shell script is
// skipped (when asked for explicitly) with the reason.
func (s *Scanner) load(path string, explicit bool) (*fileInfo, *Skipped) {
	if f, ok := s.files[path]; ok {
		return f, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		f := &fileInfo{path: path, lang: s.cfg.Lang, err: readError(path, err)}
		s.add(f)
		return f, nil
	}
	return s.loadSource(path, src, explicit)
}

// loadSource parses src as the file at path.
func (s *Scanner) loadSource(path string, src []byte, explicit bool) (*fileInfo, *Skipped) {
	lang, ok, reason := Classify(src)
	switch {
	case isBinary(src):
		return nil, &Skipped{Path: path, Reason: reason}
	case s.cfg.Lang != "":
		lang = s.cfg.Lang
	case !ok && explicit && Shebang(src) == "":
		// Asked for by name, with no #! line: parse it as POSIX sh
		// anyway, so that a broken script reports its syntax error.
		lang = LangPOSIX
	case !ok:
		return nil, &Skipped{Path: path, Reason: reason}
	}
	f := &fileInfo{path: path, lang: lang, src: src}
	f.ast, f.err = Parse(path, src, lang)
	if f.ast != nil {
		f.funcs = funcNames(f.ast)
	}
	s.add(f)
	return f, nil
}

func (s *Scanner) add(f *fileInfo) {
	s.files[f.path] = f
	s.order = append(s.order, f)
}

// ReadError is a script that could not be read: a missing or unreadable
// file, or a directory.
type ReadError struct {
	Path string
	Err  error // the cause, without the path: fs.ErrNotExist, syscall.EISDIR, ...
}

// Error is "PATH: cannot read: CAUSE", or "PATH: is a directory, not a
// script".
func (e *ReadError) Error() string {
	if errors.Is(e.Err, syscall.EISDIR) {
		return e.Path + ": is a directory, not a script"
	}
	return fmt.Sprintf("%s: cannot read: %v", e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *ReadError) Unwrap() error { return e.Err }

// ReadScript reads the file at path; its error is a *ReadError.
func ReadScript(path string) ([]byte, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, readError(path, err)
	}
	return src, nil
}

func readError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &ReadError{Path: path, Err: err}
}

// funcDeclNames returns the names a function declaration defines: one,
// or none for an anonymous function.
func funcDeclNames(fd *syntax.FuncDecl) []string {
	if fd.Name != nil {
		return []string{fd.Name.Value}
	}
	var names []string
	for _, n := range fd.Names {
		names = append(names, n.Value)
	}
	return names
}

func funcNames(f *syntax.File) []string {
	var names []string
	syntax.Walk(f, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok {
			names = append(names, funcDeclNames(fd)...)
		}
		return true
	})
	return names
}

// resolveSources loads the files f sources statically, and records the
// context a file is known to be sourced in (mergetools/*, by
// git-mergetool--lib).
func (s *Scanner) resolveSources(f *fileInfo) {
	if f.ast == nil {
		return
	}
	syntax.Walk(f.ast, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		if name, _ := literal(call.Args[0]); name != "." && name != "source" {
			return true
		}
		if target, _ := s.resolveSource(call.Args[1], f); target != "" {
			s.link(f, target)
		}
		return true
	})
	if s.cfg.ExecPath != "" && filepath.Dir(f.path) == filepath.Join(s.cfg.ExecPath, "mergetools") {
		lib := filepath.Join(s.cfg.ExecPath, "git-mergetool--lib")
		if parent, skip := s.load(lib, false); skip == nil && parent.err == nil {
			parent.sources = appendOnce(parent.sources, f)
			f.sourcedBy = appendOnce(f.sourcedBy, parent)
		}
	}
}

func (s *Scanner) link(from *fileInfo, target string) {
	to, skip := s.load(target, false)
	if skip != nil || to == from {
		return
	}
	from.sources = appendOnce(from.sources, to)
	to.sourcedBy = appendOnce(to.sourcedBy, from)
}

func appendOnce(list []*fileInfo, f *fileInfo) []*fileInfo {
	for _, g := range list {
		if g == f {
			return list
		}
	}
	return append(list, f)
}

// resolveSource finds the file a `.` word reads, or says why it cannot.
func (s *Scanner) resolveSource(w *syntax.Word, from *fileInfo) (path, reason string) {
	if name, ok := literal(w); ok {
		if strings.Contains(name, "/") {
			if !filepath.IsAbs(name) {
				name = filepath.Join(filepath.Dir(from.path), name)
			}
			if isFile(name) {
				return name, ""
			}
			return "", "no such file: " + name
		}
		for _, d := range s.searchDirs() {
			if p := filepath.Join(d, name); isFile(p) {
				return p, ""
			}
		}
		return "", name + " not found in git's exec path or PATH"
	}
	if rest, ok := afterExecPath(w); ok && s.cfg.ExecPath != "" {
		p := filepath.Join(s.cfg.ExecPath, rest)
		if isFile(p) {
			return p, ""
		}
		return "", "no such file: " + p
	}
	if rest, ok := afterVar(w, "MERGE_TOOLS_DIR"); ok && s.cfg.ExecPath != "" {
		// git-mergetool--lib sets MERGE_TOOLS_DIR to the exec path's
		// mergetools directory unless the environment does.
		p := filepath.Join(s.cfg.ExecPath, "mergetools", rest)
		if isFile(p) {
			return p, ""
		}
		return "", "no such file: " + p
	}
	text := printWord(w)
	if strings.Contains(text, "$MERGE_TOOLS_DIR/") {
		return "", "chosen at run time: one of git's mergetools/* (scanned on their own)"
	}
	return "", "not a static path: " + text
}

// afterExecPath matches "$(git --exec-path)/rest" and returns rest.
func afterExecPath(w *syntax.Word) (string, bool) {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 2 {
		return "", false
	}
	cs, ok := parts[0].(*syntax.CmdSubst)
	if !ok || len(cs.Stmts) != 1 {
		return "", false
	}
	call, ok := cs.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) != 2 {
		return "", false
	}
	git, _ := literal(call.Args[0])
	opt, _ := literal(call.Args[1])
	lit, ok := parts[1].(*syntax.Lit)
	if git != "git" || opt != "--exec-path" || !ok {
		return "", false
	}
	return strings.TrimPrefix(UnescapeBare(lit.Value), "/"), true
}

// afterVar matches "$name/rest" (quoted or not) with a literal rest.
func afterVar(w *syntax.Word, name string) (string, bool) {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 2 {
		return "", false
	}
	pe, ok := parts[0].(*syntax.ParamExp)
	lit, ok2 := parts[1].(*syntax.Lit)
	if !ok || !ok2 || pe.Param == nil || pe.Param.Value != name || pe.Exp != nil || pe.Repl != nil || pe.Slice != nil || pe.Index != nil {
		return "", false
	}
	rest, ok := strings.CutPrefix(UnescapeBare(lit.Value), "/")
	return rest, ok && rest != ""
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// scopeOf collects the functions visible in f at run time: its own, those
// of the files it sources, and those of the files that source it.
func scopeOf(f *fileInfo) *scope {
	sc := &scope{lang: f.lang, funcs: map[string]bool{}}
	down := map[*fileInfo]bool{}
	var addDown func(*fileInfo)
	addDown = func(g *fileInfo) {
		if down[g] {
			return
		}
		down[g] = true
		for _, fn := range g.funcs {
			sc.funcs[fn] = true
		}
		for _, h := range g.sources {
			addDown(h)
		}
	}
	up := map[*fileInfo]bool{}
	var addUp func(*fileInfo)
	addUp = func(g *fileInfo) {
		for _, p := range g.sourcedBy {
			if !up[p] {
				up[p] = true
				addDown(p)
				addUp(p)
			}
		}
	}
	addDown(f)
	addUp(f)
	return sc
}

// audit walks one loaded file.
func (s *Scanner) audit(f *fileInfo) *Script {
	sc := &Script{Path: f.path, Lang: f.lang, Lines: countLines(f.src),
		Functions: []string{}, Invocations: []*Invocation{}, Sources: []*Source{},
		Dependencies: []Dependency{}, Findings: []*Finding{},
		Stats: Stats{ByKind: map[Kind]int{}, GitCommands: map[string]int{}}}
	if !f.requested && len(f.sourcedBy) > 0 {
		sc.SourcedBy = f.sourcedBy[0].path
	}
	if f.err != nil {
		sc.Error = f.err.Error()
		var pe *PositionError
		if errors.As(f.err, &pe) {
			sc.ErrorLine, sc.ErrorCol = pe.Line, pe.Col
		}
		return sc
	}
	sc.Functions = append(sc.Functions, f.funcs...)
	w := &walker{file: f, scope: scopeOf(f), scanner: s}
	w.stmts(f.ast.Stmts, walkCtx{})
	markHotFunctions(w.invs, exitingFunctions(f))
	// Recorded in execution order (a substitution before its command);
	// reported in reading order.
	sort.SliceStable(w.invs, func(i, j int) bool {
		a, b := w.invs[i], w.invs[j]
		return a.Line < b.Line || (a.Line == b.Line && a.Col < b.Col)
	})
	sc.Invocations = w.invs
	sc.Sources = append(sc.Sources, w.srcs...)
	sc.Options = analyzeOptions(f, w)
	for _, inv := range sc.Invocations {
		if s.cfg.Classify != nil {
			inv.Category = s.cfg.Classify(inv)
		} else if inv.Kind == KindGit {
			inv.Category = CategoryNeedsGitapi
		}
	}
	sc.Dependencies = s.dependencies(f.lang, sc.Invocations)
	sc.Findings = collectFindings(sc, w.findings)
	sc.Stats = statsOf(sc.Invocations)
	return sc
}

func countLines(src []byte) int {
	n := bytes.Count(src, []byte("\n"))
	if len(src) > 0 && src[len(src)-1] != '\n' {
		n++
	}
	return n
}

// markHotFunctions marks as in-loop the invocations of functions that are
// called in a loop, directly or through other such functions. A function
// that ends the script (exits names them) runs at most once however often
// a loop could call it: a usage function called from the option loop.
func markHotFunctions(invs []*Invocation, exits map[string]bool) {
	hot := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, inv := range invs {
			if !inv.InLoop && inv.Func != "" && hot[inv.Func] {
				inv.InLoop = true
				changed = true
			}
			if inv.InLoop && inv.Kind == KindFunction && !hot[inv.Name] && !exits[inv.Name] {
				hot[inv.Name] = true
				changed = true
			}
		}
	}
}

// exitingFunctions names the functions, of the file and the files it
// sources, that always end the script: their body runs exit, or another
// such function, as a statement of its own (not under if, &&, a loop or
// a pipeline), and never returns. git-sh-setup's die and usage are such
// functions, and so is a script's own usage that ends with exit.
func exitingFunctions(f *fileInfo) map[string]bool {
	bodies := map[string]*syntax.Stmt{}
	seen := map[*fileInfo]bool{}
	var collect func(g *fileInfo)
	collect = func(g *fileInfo) {
		if seen[g] || g.ast == nil {
			return
		}
		seen[g] = true
		for _, src := range g.sources {
			collect(src)
		}
		// The file's own definitions after its sources': they win.
		syntax.Walk(g.ast, func(n syntax.Node) bool {
			if fd, ok := n.(*syntax.FuncDecl); ok {
				for _, name := range funcDeclNames(fd) {
					bodies[name] = fd.Body
				}
			}
			return true
		})
	}
	collect(f)
	exits := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for name, body := range bodies {
			if !exits[name] && alwaysExits(body, exits) {
				exits[name] = true
				changed = true
			}
		}
	}
	return exits
}

// alwaysExits reports whether a function body surely ends the script.
func alwaysExits(body *syntax.Stmt, exits map[string]bool) bool {
	if body == nil || hasReturn(body) {
		return false
	}
	list := []*syntax.Stmt{body}
	switch c := body.Cmd.(type) {
	case *syntax.Block:
		list = c.Stmts
	case *syntax.Subshell:
		return false // exit in a subshell ends only the subshell
	}
	for _, st := range list {
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || st.Background || st.Negated || len(call.Args) == 0 {
			continue
		}
		if name, ok := literal(call.Args[0]); ok && (name == "exit" || exits[name]) {
			return true
		}
	}
	return false
}

// hasReturn reports a return statement anywhere in a function body.
func hasReturn(body *syntax.Stmt) bool {
	found := false
	syntax.Walk(body, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok && len(call.Args) > 0 {
			if name, ok := literal(call.Args[0]); ok && name == "return" {
				found = true
			}
		}
		return !found
	})
	return found
}

// dependencies lists the command names run, with where each comes from.
func (s *Scanner) dependencies(lang Lang, invs []*Invocation) []Dependency {
	counts := map[string]int{}
	for _, inv := range invs {
		switch inv.Kind {
		case KindGit, KindExternal, KindBuiltin:
			counts[inv.Name]++
		}
	}
	deps := make([]Dependency, 0, len(counts))
	for name, n := range counts {
		d := Dependency{Name: name, Count: n, Builtin: IsBuiltin(lang, name)}
		d.Path = s.lookPath(name)
		deps = append(deps, d)
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return deps
}

func (s *Scanner) lookPath(name string) string {
	if strings.Contains(name, "/") {
		if isExecutable(name) {
			return name
		}
		return ""
	}
	for _, d := range s.searchDirs() {
		if p := filepath.Join(d, name); isExecutable(p) {
			return p
		}
	}
	return ""
}

// searchDirs is where a script's command names are found: git's exec
// path first (git puts it at the head of PATH for its scripts), then PATH.
func (s *Scanner) searchDirs() []string {
	dirs := filepath.SplitList(s.cfg.Path)
	if s.cfg.ExecPath != "" {
		dirs = append([]string{s.cfg.ExecPath}, dirs...)
	}
	return dirs
}

func isExecutable(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0
}

func collectFindings(sc *Script, walkFindings []*Finding) []*Finding {
	out := append([]*Finding{}, walkFindings...)
	for _, inv := range sc.Invocations {
		if inv.InLoop && inv.Spawns > 0 {
			what := inv.Name
			if inv.Kind == KindGit && inv.Subcommand != "" {
				what = "git " + inv.Subcommand
			}
			out = append(out, &Finding{Rule: RuleSpawnInLoop, File: sc.Path, Line: inv.Line, Col: inv.Col,
				Message: fmt.Sprintf("%s costs %d process(es) per loop iteration", what, inv.Spawns)})
		}
	}
	for _, src := range sc.Sources {
		if src.Resolved == "" {
			out = append(out, &Finding{Rule: RuleUnresolvedSource, File: sc.Path, Line: src.Line, Col: src.Col,
				Message: fmt.Sprintf("cannot follow . %s: %s", src.Text, src.Reason)})
		}
	}
	if sc.Options != nil {
		out = append(out, sc.Options.findings...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Col < out[j].Col
	})
	return out
}

func statsOf(invs []*Invocation) Stats {
	st := Stats{Invocations: len(invs), ByKind: map[Kind]int{}, GitCommands: map[string]int{}}
	for _, inv := range invs {
		st.ByKind[inv.Kind]++
		if inv.Kind == KindGit {
			st.GitCommands[gitCommandKey(inv)]++
		}
		st.Spawns += inv.Spawns
		if inv.InLoop {
			st.SpawnsInLoops += inv.Spawns
		}
	}
	return st
}

func gitCommandKey(inv *Invocation) string {
	if inv.Subcommand == "" {
		return "(dynamic)"
	}
	return inv.Subcommand
}

func summarize(scripts []*Script) Summary {
	sum := Summary{ByKind: map[Kind]int{}, GitCommands: map[string]int{},
		ByCategory: map[string]int{}, Findings: map[string]int{}}
	for _, sc := range scripts {
		sum.Scripts++
		if sc.Error != "" {
			sum.Errors++
		}
		sum.Lines += sc.Lines
		sum.Invocations += sc.Stats.Invocations
		for k, n := range sc.Stats.ByKind {
			sum.ByKind[k] += n
		}
		for k, n := range sc.Stats.GitCommands {
			sum.GitCommands[k] += n
		}
		for _, inv := range sc.Invocations {
			if inv.Kind == KindGit {
				sum.ByCategory[string(inv.Category)]++
			}
		}
		sum.Spawns += sc.Stats.Spawns
		sum.SpawnsInLoops += sc.Stats.SpawnsInLoops
		for _, f := range sc.Findings {
			sum.Findings[f.Rule]++
		}
	}
	return sum
}

// source records a `.` of word.
func (w *walker) source(word *syntax.Word, c walkCtx) {
	line, col := c.at.pos(word.Pos())
	src := &Source{Line: line, Col: col, Text: printWord(word)}
	src.Resolved, src.Reason = w.scanner.resolveSource(word, w.file)
	w.srcs = append(w.srcs, src)
}
