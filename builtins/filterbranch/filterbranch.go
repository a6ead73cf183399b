package filterbranch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/index"
	"github.com/kiln-dev/kiln/shellrun"
)

// Main runs git-filter-branch with the arguments after its name, in the
// process's directory and environment as git runs its commands, and
// returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	errw := &flushingWriter{flush: out, w: stderr}
	execPath := os.Getenv("GIT_EXEC_PATH")
	session := gitapi.NewSession()
	// The new trees and commits go to one pack, not a loose file each
	// (gitapi.Session.PackObjects): stored before a ref names them and
	// before anything outside the process runs.
	session.PackObjects()
	s := shellrun.NewState(shellrun.Config{
		Name: filepath.Join(execPath, "git-filter-branch"), Args: args, ExecPath: execPath,
		Stdin: stdin, Stdout: out, Stderr: errw, Session: session,
	})
	f := &filter{s: s, stdout: out, session: session}
	status := s.Main(f.top)
	if err := session.FlushObjects(); err != nil {
		fmt.Fprintf(stderr, "fatal: %v\n", err)
		return 128
	}
	return status
}

// flushingWriter keeps stdout and stderr in the order the script writes
// them: stdout is flushed before anything goes to stderr.
type flushingWriter struct {
	flush *bufio.Writer
	w     io.Writer
}

func (f *flushingWriter) Write(p []byte) (int, error) {
	f.flush.Flush()
	return f.w.Write(p)
}

// exitScript unwinds the Go steps when the script exits (die, exit, a
// filter's exit); the State keeps the status and runs the exit trap.
type exitScript struct{}

// filter is one run: the script's shell and its variables.
type filter struct {
	s      *shellrun.State
	stdout *bufio.Writer
	repo   *gitapi.Repo // opened once the temporary index is set
	// session is the run's gitapi session: one opened repository for
	// the in-process git calls, and the temporary index in memory
	// between them (see holdIndex).
	session *gitapi.Session
	// scratch guards the map files and ../commit the loop keeps in
	// memory until something outside may read them (see deferScratch).
	scratch       sync.Mutex
	pendingMap    map[string][]byte // commit -> map file content
	pendingCommit []byte            // ../commit, when not on disk yet

	tempdir, workdir, origDir string
	origNamespace             string
	force, pruneEmpty         bool
	remapToAncestor           bool
	filterSetup, filterEnv    string
	filterTree, filterIndex   string
	filterParent, filterMsg   string
	filterCommit              string // the user's commit filter, "" for none
	filterTagName             string
	filterSubdir              string
	stateBranch, stateCommit  string
	needIndex                 bool
	emptyTree                 string

	commits, count      int
	shownCount          string // the script's $count, set when progress is sampled
	progress            string
	nextSampleAt, start int64
	replaced            bool   // replace refs in effect: object reads go through git
	message             string // the commit's message when ../message is not written
	dateChecked         bool
	systemDate          bool // the date on PATH is coreutils'; see coreutilsDate
}

func (f *filter) top(s *shellrun.State) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(exitScript); !ok {
				panic(r)
			}
		}
	}()
	f.main()
}

// exit is `exit N`.
func (f *filter) exit(status int) {
	f.s.Exit(strconv.Itoa(status))
	panic(exitScript{})
}

// checkExit ends the Go steps when shell text made the script exit.
func (f *filter) checkExit() {
	if f.s.Unwinding() {
		panic(exitScript{})
	}
}

// echoErr is `echo "$*" >&2` (dash's echo).
func (f *filter) echoErr(msg string) {
	shellrun.DashEcho(f.s.Stderr(), []string{msg})
}

// warn is the script's warn (git-filter-branch:16-18).
func (f *filter) warn(msg string) { f.echoErr(msg) }

// die is git-sh-setup's die (git-sh-setup:48-57), which replaces the
// script's own once the script sources git-sh-setup: the message, exit 1.
func (f *filter) die(msg string) {
	f.dieWithStatus(1, msg)
}

// dieWithStatus is git-sh-setup's die_with_status.
func (f *filter) dieWithStatus(status int, msg string) {
	io.WriteString(f.s.Stderr(), msg+"\n")
	f.exit(status)
}

// git runs a git command on the script's shell; its output goes where
// the shell's goes.
func (f *filter) git(args ...string) int {
	f.s.Git(args...)
	return f.s.Status
}

// capture is `$(git ARGS)`.
func (f *filter) capture(args ...string) (string, int) {
	out := f.s.Capture(func(s *shellrun.State) { s.Git(args...) })
	return out, f.s.Status
}

// quiet runs git with stdout and stderr to /dev/null.
func (f *filter) quiet(args ...string) int {
	f.s.Redirect(func(s *shellrun.State) { s.Git(args...) }, shellrun.To(1, "/dev/null"), shellrun.To(2, "/dev/null"))
	return f.s.Status
}

// evalFilter is `eval "$text" </dev/null || die "$what failed: $text"`.
func (f *filter) evalFilter(text, what string) {
	if text == "" {
		return
	}
	// </dev/null: an empty here-document reads the same, without
	// opening a file per commit.
	f.s.Redirect(func(s *shellrun.State) { s.Eval(text) }, shellrun.HereDoc(0, ""))
	f.checkExit()
	if f.s.Status != 0 {
		f.die(what + " failed: " + text)
	}
}

func (f *filter) main() {
	s := f.s
	f.defineFunctions(s, false)
	// git-filter-branch:88-100: the warning, unless squelched.
	if s.Get("FILTER_BRANCH_SQUELCH_WARNING")+s.Get("GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS") == "" {
		io.WriteString(f.stdout, warningText)
		f.stdout.Flush()
		time.Sleep(10 * time.Second)
		io.WriteString(f.stdout, "Proceeding with filter-branch...\n\n")
	}
	f.shSetup()
	// git-filter-branch:113-115
	if bare, _ := f.capture("rev-parse", "--is-bare-repository"); bare == "false" {
		f.requireCleanWorkTree()
	}
	f.parseOptions()
	f.prepareTempdir()
	f.checkBackups()
	heads := f.findHeads()
	f.setIndex()
	f.loadState()
	f.listCommits()
	f.rewriteCommits()
	f.remapHeads(heads)
	f.updateRefs(heads)
	f.rewriteTags()
	f.restoreEnv()
	f.saveState()
	f.finish()
}

// warningText is what the script prints unless squelched
// (git-filter-branch:90-97).
const warningText = "WARNING: git-filter-branch has a glut of gotchas generating mangled history\n" +
	"\t rewrites.  Hit Ctrl-C before proceeding to abort, then use an\n" +
	"\t alternative filtering tool such as 'git filter-repo'\n" +
	"\t (https://github.com/newren/git-filter-repo/) instead.  See the\n" +
	"\t filter-branch manual page for more details; to squelch this warning,\n" +
	"\t set FILTER_BRANCH_SQUELCH_WARNING=1.\n"

// usageText is the script's USAGE (git-filter-branch:102-108).
const usageText = "usage: git filter-branch [--setup <command>] [--subdirectory-filter <directory>] [--env-filter <command>]\n" +
	"\t[--tree-filter <command>] [--index-filter <command>]\n" +
	"\t[--parent-filter <command>] [--msg-filter <command>]\n" +
	"\t[--commit-filter <command>] [--tag-name-filter <command>]\n" +
	"\t[--original <namespace>]\n" +
	"\t[-d <directory>] [-f | --force] [--state-branch <branch>]\n" +
	"\t[--] [<rev-list options>...]"

// shSetup is what `. git-sh-setup` does with an empty OPTIONS_SPEC
// (git-sh-setup:76-97, 325-344): -h prints the usage; then the
// repository, from the top of its work tree.
func (f *filter) shSetup() {
	s := f.s
	if len(s.Args()) > 0 && s.Arg(1) == "-h" {
		shellrun.DashEcho(s.Stdout(), []string{usageText})
		f.exit(0)
	}
	gitDir, status := f.capture("rev-parse", "--git-dir")
	if status != 0 {
		f.exit(status)
	}
	if cdup, _ := f.capture("rev-parse", "--show-cdup"); cdup != "" {
		io.WriteString(s.Stderr(), "You need to run this command from the toplevel of the working tree.\n")
		f.exit(1)
	}
	abs := gitDir
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(s.Dir(), abs)
	}
	if info, err := os.Stat(abs); gitDir == "" || err != nil || !info.IsDir() {
		io.WriteString(s.Stderr(), "Unable to determine absolute path of git directory\n")
		f.exit(1)
	}
	s.Set("GIT_DIR", filepath.Clean(abs))
}

// requireCleanWorkTree is git-sh-setup's require_clean_work_tree with
// "rewrite branches" (git-sh-setup:192-232).
func (f *filter) requireCleanWorkTree() {
	if f.quietOut("rev-parse", "--verify", "HEAD") != 0 {
		f.exit(1)
	}
	f.git("update-index", "-q", "--ignore-submodules", "--refresh")
	bad := false
	if f.git("diff-files", "--quiet", "--ignore-submodules") != 0 {
		io.WriteString(f.s.Stderr(), "Cannot rewrite branches: You have unstaged changes.\n")
		bad = true
	}
	if f.git("diff-index", "--cached", "--quiet", "--ignore-submodules", "HEAD", "--") != 0 {
		if !bad {
			io.WriteString(f.s.Stderr(), "Cannot rewrite branches: Your index contains uncommitted changes.\n")
		} else {
			io.WriteString(f.s.Stderr(), "Additionally, your index contains uncommitted changes.\n")
		}
		bad = true
	}
	if bad {
		f.exit(1)
	}
}

// quietOut runs git with stdout to /dev/null.
func (f *filter) quietOut(args ...string) int {
	f.s.Redirect(func(s *shellrun.State) { s.Git(args...) }, shellrun.To(1, "/dev/null"))
	return f.s.Status
}

// usage is git-sh-setup's usage without OPTIONS_SPEC: die with the
// usage line (git-sh-setup:78-80), its own die: exit 1.
func (f *filter) usage() {
	f.die(usageText)
}

// parseOptions is the option loop (git-filter-branch:116-223).
func (f *filter) parseOptions() {
	s := f.s
	f.origNamespace = "refs/original/"
	f.filterMsg = "cat"
	f.tempdir = ".git-rewrite"
	args := s.Args()
	userCommit := ""
	for len(args) > 0 {
		a := args[0]
		switch a {
		case "--":
			args = args[1:]
		case "--force", "-f":
			args = args[1:]
			f.force = true
			continue
		case "--remap-to-ancestor":
			args = args[1:]
			f.remapToAncestor = true
			continue
		case "--prune-empty":
			args = args[1:]
			f.pruneEmpty = true
			continue
		}
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		if len(args) == 1 {
			f.usage()
		}
		arg := args[1]
		args = args[2:]
		switch a {
		case "-d":
			f.tempdir = arg
		case "--setup":
			f.filterSetup = arg
		case "--subdirectory-filter":
			f.filterSubdir = arg
			f.remapToAncestor = true
		case "--env-filter":
			f.filterEnv = arg
		case "--tree-filter":
			f.filterTree = arg
		case "--index-filter":
			f.filterIndex = arg
		case "--parent-filter":
			f.filterParent = arg
		case "--msg-filter":
			f.filterMsg = arg
		case "--commit-filter":
			userCommit = arg
			if userCommit == "" {
				// "$functions; " is not empty: the script takes it as
				// a commit filter that runs the helpers only.
				userCommit = ":"
			}
		case "--tag-name-filter":
			f.filterTagName = arg
		case "--original":
			f.origNamespace = trimSlashes(arg+"/") + "/"
		case "--state-branch":
			f.stateBranch = arg
		default:
			f.usage()
		}
	}
	s.SetArgs(args...)
	// git-filter-branch:204-214
	if f.pruneEmpty && userCommit != "" {
		f.die("Cannot set --prune-empty and --commit-filter at the same time")
	}
	f.filterCommit = userCommit
	f.needIndex = f.filterIndex != "" || f.filterTree != "" || f.filterSubdir != ""
}

// trimSlashes is `expr "$x" : '\(.*[^/]\)/*$'`: x without its trailing
// slashes, "" when it is slashes only.
func trimSlashes(x string) string {
	t := strings.TrimRight(x, "/")
	return t
}

// prepareTempdir is git-filter-branch:216-253: the temporary directory
// (removed first with -f), its t/ work tree entered, the exit trap, the
// saved identity variables, GIT_WORK_TREE.
func (f *filter) prepareTempdir() {
	s := f.s
	if f.force {
		os.RemoveAll(f.abs(f.tempdir))
	} else if info, err := os.Stat(f.abs(f.tempdir)); err == nil && info.IsDir() {
		f.die(f.tempdir + " already exists, please remove it")
	}
	f.origDir = s.Dir()
	s.Command("mkdir", "-p", f.tempdir+"/t")
	f.checkExit()
	if s.Status != 0 {
		f.die("")
	}
	dir := s.Capture(func(s *shellrun.State) {
		s.Cd(f.tempdir)
		s.Pwd()
	})
	if s.Status != 0 {
		f.die("")
	}
	f.tempdir = dir
	s.Cd(f.tempdir + "/t")
	if s.Status != 0 {
		f.die("")
	}
	f.workdir = s.Dir()
	s.Set("tempdir", f.tempdir)
	s.Set("workdir", f.workdir)
	s.Set("orig_dir", f.origDir)
	tempdir, origDir := f.tempdir, f.origDir
	s.Trap(func(s *shellrun.State) {
		s.Cd(origDir)
		f.session.Discard()
		os.RemoveAll(tempdir)
	}, "0")
	for _, name := range identVars {
		s.Set("ORIG_"+name, s.Get(name))
	}
	s.Set("GIT_WORK_TREE", ".")
	s.Export("GIT_DIR", "GIT_WORK_TREE")
}

// identVars are the variables the script saves and restores around the
// rewrite (git-filter-branch:242-250, 583-619).
var identVars = []string{
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
	"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
	"GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE",
}

// abs makes a path the script gives relative to its directory absolute.
func (f *filter) abs(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(f.s.Dir(), path)
}

// checkBackups is git-filter-branch:255-270: refs under the original
// namespace stop the run, or go with -f.
func (f *filter) checkBackups() {
	refs, status := f.capture("for-each-ref")
	if status != 0 {
		f.exit(status)
	}
	for _, line := range lines(refs) {
		fields := strings.Fields(line)
		if len(fields) < 3 {
			continue
		}
		sha1, name := fields[0], strings.Join(fields[2:], " ")
		if !strings.HasPrefix(name, f.origNamespace) {
			continue
		}
		if !f.force {
			f.die("Cannot create a new backup.\nA previous backup already exists in " + f.origNamespace + "\nForce overwriting the backup with -f")
		}
		f.git("update-ref", "-d", name, sha1)
	}
}

// lines splits command output into its lines.
func lines(out string) []string {
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

// findHeads is git-filter-branch:272-287: the refs to rewrite, those
// that name commits.
func (f *filter) findHeads() []string {
	raw, status := f.capture(append([]string{"rev-parse", "--no-flags", "--revs-only", "--symbolic-full-name", "--default", "HEAD"}, f.s.Args()...)...)
	if status != 0 {
		f.exit(status)
	}
	var heads []string
	for _, ref := range lines(raw) {
		if strings.HasPrefix(ref, "^") && len(ref) > 1 {
			continue
		}
		if f.quiet("rev-parse", "--verify", ref+"^0") == 0 {
			heads = append(heads, ref)
		} else {
			f.warn("WARNING: not rewriting '" + ref + "' (not a committish)")
		}
	}
	if len(heads) == 0 {
		f.die("You must specify a ref to rewrite.")
	}
	return heads
}

// setIndex is git-filter-branch:289-293: the temporary index, and the
// map directory.
func (f *filter) setIndex() {
	s := f.s
	s.Set("GIT_INDEX_FILE", f.workdir+"/../index")
	s.Export("GIT_INDEX_FILE")
	s.Command("mkdir", "../map")
	f.checkExit()
	if s.Status != 0 {
		f.die("Could not create map/ directory")
	}
	r, err := gitapi.Open(gitapi.Options{Dir: s.Dir(), Env: s.Environ(), Session: f.session})
	if err != nil {
		fmt.Fprintf(s.Stderr(), "fatal: %v\n", err)
		f.exit(128)
	}
	f.repo = r
	f.replaced = r.ReplaceRefsActive()
	f.holdIndex()
	f.deferScratch()
	f.emptyTree = gitapi.Hash(index.HashObject(gitapi.TypeTree, nil)).String()
	s.Set("EMPTY_TREE", f.emptyTree)
}

// holdIndex keeps the temporary index in memory between the loop's
// steps and the filters' in-process git calls (read-tree, the index
// filter's git rm --cached, write-tree), as one git process would keep
// it: read once, its lock held while memory is ahead of the file, the
// file written when something outside may read it (shellrun invalidates
// the session before a program or tool runs and flushes it before
// interpreted text reads the file's path) and after the loop. A tree
// filter works on the file with git's own racy-clean rules, so with one
// the index stays on disk.
func (f *filter) holdIndex() {
	if f.filterTree == "" && !f.replaced {
		f.session.HoldIndex(f.repo.IndexFile())
	}
}

// deferScratch keeps the loop's scratch files, the map files the commit
// step writes and ../commit, in memory: the builtin's own steps and the
// map function read them there, and the session writes them to the
// temporary directory before anything outside may read them (a program
// or tool started, interpreted text reading, testing or listing one of
// them or their directory), as the script has them there.
func (f *filter) deferScratch() {
	f.pendingMap = map[string][]byte{}
	mapDir := filepath.Join(f.tempdir, "map")
	commitFile := filepath.Join(f.tempdir, "commit")
	f.session.DeferFiles(func(path string) bool {
		switch {
		case path == commitFile || path == f.tempdir || path == mapDir:
			return true
		case filepath.Dir(path) == mapDir:
			f.scratch.Lock()
			defer f.scratch.Unlock()
			_, ok := f.pendingMap[filepath.Base(path)]
			return ok
		}
		return false
	}, f.writeScratch)
}

// writeScratch writes the scratch files kept in memory.
func (f *filter) writeScratch() error {
	f.scratch.Lock()
	defer f.scratch.Unlock()
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	if f.pendingCommit != nil {
		keep(os.WriteFile(filepath.Join(f.tempdir, "commit"), f.pendingCommit, 0o666))
		f.pendingCommit = nil
	}
	for commit, data := range f.pendingMap {
		keep(os.WriteFile(f.mapFile(commit), data, 0o666))
	}
	f.pendingMap = map[string][]byte{}
	return first
}

// setMap is `... >../map/$commit`, kept in memory.
func (f *filter) setMap(commit string, data []byte) {
	f.scratch.Lock()
	defer f.scratch.Unlock()
	f.pendingMap[commit] = data
}

// readMap reads a commit's map file, from memory when it is kept there.
func (f *filter) readMap(commit string) ([]byte, error) {
	f.scratch.Lock()
	data, ok := f.pendingMap[commit]
	f.scratch.Unlock()
	if ok {
		return data, nil
	}
	return os.ReadFile(f.mapFile(commit))
}

// readMapAt reads the map file at path: from memory when it is one
// kept there.
func (f *filter) readMapAt(path string) ([]byte, error) {
	if f.pendingMap != nil && filepath.Dir(path) == filepath.Join(f.tempdir, "map") {
		return f.readMap(filepath.Base(path))
	}
	return os.ReadFile(path)
}

// hasMap is `test -f ../map/$commit`.
func (f *filter) hasMap(commit string) bool {
	f.scratch.Lock()
	_, ok := f.pendingMap[commit]
	f.scratch.Unlock()
	if ok {
		return true
	}
	_, err := os.Stat(f.mapFile(commit))
	return err == nil
}

// writeCommitFile is `git cat-file commit $commit >../commit`, kept in
// memory.
func (f *filter) writeCommitFile(data []byte) {
	f.scratch.Lock()
	defer f.scratch.Unlock()
	f.pendingCommit = append([]byte{}, data...)
}

// mapFile is the map file of a commit.
func (f *filter) mapFile(commit string) string {
	return filepath.Join(f.tempdir, "map", commit)
}

// stateLine is perl's m/(.*):(.*)/ on a line of filter.map.
var stateLine = regexp.MustCompile(`^(.*):(.*)$`)

// loadState is git-filter-branch:295-315: the map of an earlier run,
// from the state branch.
func (f *filter) loadState() {
	if f.stateBranch == "" {
		return
	}
	s := f.s
	f.stateCommit, _ = f.capture("rev-parse", "--no-flags", "--revs-only", f.stateBranch)
	if f.stateCommit == "" {
		io.WriteString(s.Stderr(), "Branch "+f.stateBranch+" does not exist. Will create\n")
		return
	}
	io.WriteString(s.Stderr(), "Populating map from "+f.stateBranch+" ("+f.stateCommit+")\n")
	// The script's perl dies with the line of its -e text that failed.
	fail := func(line int) {
		fmt.Fprintf(s.Stderr(), "Died at -e line %d.\n", line)
		f.die("Unable to load state from " + f.stateBranch + ":filter.map")
	}
	data, status := f.captureRaw("show", f.stateCommit+":filter.map")
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		m := stateLine.FindStringSubmatch(sc.Text())
		if m == nil {
			fail(3)
		}
		if err := os.WriteFile(f.mapFile(m[1]), []byte(m[2]), 0o666); err != nil {
			fail(4)
		}
	}
	if status != 0 {
		fail(8)
	}
}

// captureRaw is a git command's whole output.
func (f *filter) captureRaw(args ...string) (string, int) {
	out := f.s.Capture(func(s *shellrun.State) {
		s.Git(args...)
		io.WriteString(s.Stdout(), "x")
	})
	status := f.s.Status
	return strings.TrimSuffix(out, "x"), status
}

// listCommits is git-filter-branch:317-339: the commits to rewrite,
// oldest first with their parents, into ../revs.
func (f *filter) listCommits() {
	s := f.s
	nonrevs, status := f.capture(append([]string{"rev-parse", "--no-revs"}, s.Args()...)...)
	if status != 0 {
		f.exit(status)
	}
	dashdash := "--"
	if nonrevs != "" {
		dashdash = ""
		f.remapToAncestor = true
	}
	parse := filepath.Join(f.tempdir, "parse")
	s.Redirect(func(s *shellrun.State) {
		s.Git(append([]string{"rev-parse", "--revs-only"}, s.Args()...)...)
	}, shellrun.To(1, parse))
	sqArgs := append([]string{"rev-parse", "--sq", "--no-revs"}, s.Args()...)
	if f.filterSubdir != "" {
		if dashdash != "" {
			sqArgs = append(sqArgs, dashdash)
		}
		sqArgs = append(sqArgs, f.filterSubdir)
	}
	sq, _ := f.capture(sqArgs...)
	s.Eval("set -- " + sq)
	f.checkExit()
	revs := filepath.Join(f.tempdir, "revs")
	s.Redirect(func(s *shellrun.State) {
		s.Git(append([]string{"rev-list", "--reverse", "--topo-order", "--default", "HEAD",
			"--parents", "--simplify-merges", "--stdin"}, s.Args()...)...)
	}, shellrun.From(0, parse), shellrun.To(1, revs))
	if s.Status != 0 {
		f.die("Could not get the commits")
	}
	data, _ := os.ReadFile(revs)
	f.commits = bytes.Count(data, []byte("\n"))
	if f.commits == 0 {
		f.dieWithStatus(2, "Found nothing to rewrite")
	}
}

// reportProgress is git-filter-branch:341-362.
func (f *filter) reportProgress(commit string) {
	if f.progress != "" && int64(f.count) > f.nextSampleAt {
		count := int64(f.count)
		f.shownCount = strconv.Itoa(f.count)
		now, _ := strconv.ParseInt(f.date(false), 10, 64)
		elapsed := now - f.start
		remaining := (int64(f.commits) - count) * elapsed / count
		if elapsed > 0 {
			f.nextSampleAt = (elapsed + 1) * count / elapsed
		} else {
			f.nextSampleAt++
		}
		f.progress = fmt.Sprintf(" (%d seconds passed, remaining %d predicted)", elapsed, remaining)
	}
	fmt.Fprintf(f.s.Stdout(), "\rRewrite %s (%s/%d)%s    ", commit, f.shownCount, f.commits, f.progress)
}

// date is `date +%s` as the script runs it (the date on PATH), its
// stderr dropped when quiet.
func (f *filter) date(quiet bool) string {
	if f.coreutilsDate() {
		// coreutils' date +%s prints the time in seconds: no process.
		return strconv.FormatInt(time.Now().Unix(), 10)
	}
	return f.s.Capture(func(s *shellrun.State) {
		if quiet {
			s.Redirect(func(s *shellrun.State) { s.Command("date", "+%s") }, shellrun.To(2, "/dev/null"))
			return
		}
		s.Command("date", "+%s")
	})
}

// coreutilsDate reports whether the date on the script's PATH is the
// system's coreutils date (/usr/bin/date or /bin/date), whose +%s output
// the builtin gives without running it.
func (f *filter) coreutilsDate() bool {
	if f.dateChecked {
		return f.systemDate
	}
	f.dateChecked = true
	found := ""
	for _, dir := range filepath.SplitList(f.s.Get("PATH")) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, "date")
		if info, err := os.Stat(p); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
			found = p
			break
		}
	}
	info, err := os.Stat(found)
	if found == "" || err != nil {
		return false
	}
	for _, sys := range []string{"/usr/bin/date", "/bin/date"} {
		if si, err := os.Stat(sys); err == nil && os.SameFile(info, si) {
			f.systemDate = true
		}
	}
	return f.systemDate
}

// epochDate is git-filter-branch:366-371's test: does date print
// seconds since the epoch?
var epochDate = regexp.MustCompile(`(?m)^[0-9][0-9]*$`)

// rewriteCommits is the loop of git-filter-branch:364-471: every commit
// through the filters, its new id (or ids, or none) into ../map.
func (f *filter) rewriteCommits() {
	s := f.s
	if now := f.date(true); epochDate.MatchString(now) {
		f.progress = "dummy to ensure this is not empty"
		f.start, _ = strconv.ParseInt(f.date(false), 10, 64)
	}
	f.evalFilter(f.filterSetup, "filter setup")
	data, err := os.ReadFile(filepath.Join(f.tempdir, "revs"))
	if err != nil {
		f.die("Could not get the commits")
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		commit, parents := fields[0], fields[1:]
		f.count++
		s.Set("git_filter_branch__commit_count", strconv.Itoa(f.count))
		s.Set("commit", commit)
		s.Set("parents", strings.Join(parents, " "))
		f.reportProgress(commit)
		if f.hasMap(commit) {
			continue
		}
		f.initIndex(commit)
		s.Set("GIT_COMMIT", commit)
		s.Export("GIT_COMMIT")
		raw := f.readCommit(commit)
		f.setIdent(raw)
		f.evalFilter(f.filterEnv, "env filter")
		if f.filterTree != "" {
			f.treeFilter(commit)
		}
		f.evalFilter(f.filterIndex, "index filter")
		parentArgs := f.newParents(parents)
		f.writeMessage(raw)
		tree := f.newTree(raw)
		f.commitFilter(commit, tree, parentArgs)
	}
}

// initIndex is git-filter-branch:391-410: the commit's tree (or its
// subdirectory's) in the temporary index.
func (f *filter) initIndex(commit string) {
	if !f.needIndex {
		return
	}
	if f.filterSubdir == "" {
		// What the typed read-tree does not do, git does, with its
		// messages.
		if f.readTree(commit) != nil && f.git("read-tree", "-i", "-m", commit) != 0 {
			f.die("Could not initialize the index")
		}
		return
	}
	spec := commit + ":" + f.filterSubdir
	if err := f.readTree(spec); err == nil {
		return
	}
	errOut := f.s.Capture(func(s *shellrun.State) {
		s.Redirect(func(s *shellrun.State) { s.Git("read-tree", "-i", "-m", spec) }, shellrun.Dup(2, "1"))
	})
	if f.s.Status == 0 {
		return
	}
	if f.git("rev-parse", "-q", "--verify", spec) != 0 {
		f.session.Invalidate()
		os.Remove(filepath.Join(f.tempdir, "index"))
		return
	}
	f.echoErr(errOut)
	f.die("Could not initialize the index")
}

// errReplaced sends a typed step to git: gitapi does not apply replace
// refs yet.
var errReplaced = errors.New("replace refs in effect")

// readTree is `git read-tree -i -m <tree-ish>` on the temporary index.
func (f *filter) readTree(rev string) error {
	if f.replaced {
		return errReplaced
	}
	id, err := f.repo.Resolve(rev)
	if err != nil {
		return err
	}
	l, err := f.repo.LockIndex()
	if err != nil {
		return err
	}
	if err := f.repo.ReadTreeMerge(l.Index(), id, gitapi.ReadTreeOptions{IndexOnly: true}); err != nil {
		l.Rollback()
		return err
	}
	return l.Commit()
}

// readCommit is `git cat-file commit $commit >../commit`
// (git-filter-branch:415-416).
func (f *filter) readCommit(commit string) []byte {
	if f.replaced {
		out, status := f.captureRaw("cat-file", "commit", commit)
		if status != 0 {
			f.die("Cannot read commit " + commit)
		}
		f.writeCommitFile([]byte(out))
		return []byte(out)
	}
	id, err := gitapi.ParseHash(commit)
	var data []byte
	var typ string
	if err == nil {
		typ, data, err = f.repo.ReadObject(id)
	}
	if err != nil || typ != gitapi.TypeCommit {
		f.die("Cannot read commit " + commit)
	}
	f.writeCommitFile(data)
	return data
}

// identLine are git-sh-setup's pick_ident_script expressions
// (git-sh-setup:238-262) for one ident line.
type identLine struct {
	name, email, date *regexp.Regexp
}

func identPatterns(lid string) identLine {
	return identLine{
		name:  regexp.MustCompile(`^` + lid + ` ([^<]*) <[^>]*> .*$`),
		email: regexp.MustCompile(`^` + lid + ` [^<]* <([^>]*)> .*$`),
		date:  regexp.MustCompile(`^` + lid + ` [^<]* <[^>]*> (.*)$`),
	}
}

var (
	authorIdent    = identPatterns("author")
	committerIdent = identPatterns("committer")
)

// setIdent is `eval "$(set_ident <../commit)"` (git-filter-branch:418-419,
// 71-85): the author and committer of the commit into GIT_AUTHOR_* and
// GIT_COMMITTER_*, exported, a missing name taken from the email.
func (f *filter) setIdent(raw []byte) {
	s := f.s
	for _, line := range strings.Split(string(raw), "\n") {
		if line == "" {
			break
		}
		for _, side := range []struct {
			prefix, uid string
			re          identLine
		}{{"author ", "AUTHOR", authorIdent}, {"committer ", "COMMITTER", committerIdent}} {
			if !strings.HasPrefix(line, side.prefix) {
				continue
			}
			s.Set("GIT_"+side.uid+"_NAME", sedReplace(side.re.name, line, ""))
			s.Set("GIT_"+side.uid+"_EMAIL", sedReplace(side.re.email, line, ""))
			s.Set("GIT_"+side.uid+"_DATE", sedReplace(side.re.date, line, "@"))
		}
	}
	for _, uid := range []string{"AUTHOR", "COMMITTER"} {
		if v, ok := s.Lookup("GIT_" + uid + "_NAME"); !ok || v == "" {
			email := s.Get("GIT_" + uid + "_EMAIL")
			if at := strings.Index(email, "@"); at >= 0 {
				email = email[:at]
			}
			s.Set("GIT_"+uid+"_NAME", email)
		}
		s.Export("GIT_"+uid+"_NAME", "GIT_"+uid+"_EMAIL", "GIT_"+uid+"_DATE")
	}
}

// sedReplace is `s/RE/PREFIX\1/` on line: the line unchanged when RE
// does not match.
func sedReplace(re *regexp.Regexp, line, prefix string) string {
	m := re.FindStringSubmatch(line)
	if m == nil {
		return line
	}
	return prefix + m[1]
}

// treeFilter is git-filter-branch:423-440: the commit checked out in the
// temporary work tree, the filter run there, the result back in the
// index.
func (f *filter) treeFilter(commit string) {
	s := f.s
	if f.git("checkout-index", "-f", "-u", "-a") != 0 {
		f.die("Could not checkout the index")
	}
	f.cleanWorkTree()
	f.evalFilter(f.filterTree, "tree filter")
	state := filepath.Join(f.tempdir, "tree-state")
	s.Redirect(func(s *shellrun.State) {
		s.Git("diff-index", "-r", "--name-only", "--ignore-submodules", commit, "--")
		if s.Status == 0 {
			s.Git("ls-files", "--others")
		}
	}, shellrun.To(1, state))
	if s.Status != 0 {
		f.exit(s.Status)
	}
	s.Redirect(func(s *shellrun.State) {
		s.Git("update-index", "--add", "--replace", "--remove", "--stdin")
	}, shellrun.From(0, state))
	if s.Status != 0 {
		f.exit(s.Status)
	}
}

// cleanWorkTree is `git clean -d -q -f -x` in the temporary work tree:
// every file and directory the index does not track goes, ignored ones
// too, but not a nested repository.
func (f *filter) cleanWorkTree() {
	ix, err := f.repo.OpenIndex()
	if err != nil {
		f.die("Could not checkout the index")
	}
	tracked := map[string]bool{}
	dirs := map[string]bool{}
	for _, e := range ix.Entries {
		tracked[e.Path] = true
		for d := filepath.Dir(e.Path); d != "."; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	var clean func(rel string)
	clean = func(rel string) {
		dir := filepath.Join(f.workdir, rel)
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			p := e.Name()
			if rel != "" {
				p = rel + "/" + e.Name()
			}
			switch {
			case tracked[p]:
			case e.IsDir() && dirs[p]:
				clean(p)
			case e.IsDir():
				if _, err := os.Lstat(filepath.Join(f.workdir, p, ".git")); err == nil {
					continue
				}
				os.RemoveAll(filepath.Join(f.workdir, p))
			default:
				os.Remove(filepath.Join(f.workdir, p))
			}
		}
	}
	clean("")
}

// newParents is git-filter-branch:445-467: the parents mapped to their
// rewrites (each once), through the parent filter; the "-p <id>"
// words for commit-tree.
func (f *filter) newParents(parents []string) []string {
	var words []string
	seen := map[string]bool{}
	for _, p := range parents {
		for _, re := range strings.Fields(f.mapOf(p)) {
			if !seen[re] {
				seen[re] = true
				words = append(words, "-p", re)
			}
		}
	}
	if f.filterParent == "" {
		return words
	}
	parentstr := ""
	for i := 0; i+1 < len(words); i += 2 {
		parentstr += " -p " + words[i+1]
	}
	s := f.s
	out := s.Capture(func(s *shellrun.State) {
		s.Pipe(func(s *shellrun.State) { s.Echo(parentstr) }, func(s *shellrun.State) { s.Eval(f.filterParent) })
	})
	if s.Status != 0 {
		f.die("parent filter failed: " + f.filterParent)
	}
	return strings.Fields(out)
}

// mapOf is the script's map: the rewrite of a commit (the map file's
// content), or the commit itself.
func (f *filter) mapOf(commit string) string {
	data, err := f.readMap(commit)
	if err != nil {
		return commit
	}
	return string(data)
}

// writeMessage is git-filter-branch:469-478: the message after the
// commit's header through the message filter into ../message. Without a
// message filter and a commit filter, nothing reads the file but the
// commit step, which takes the message from memory (f.message).
func (f *filter) writeMessage(raw []byte) {
	body := []byte{}
	if bytes.HasPrefix(raw, []byte("\n")) {
		body = raw[1:]
	} else if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		body = raw[i+2:]
	}
	msg := filepath.Join(f.tempdir, "message")
	f.message = ""
	if f.filterMsg == "cat" && f.filterCommit == "" {
		f.message = string(body)
		return
	}
	if f.filterMsg == "cat" {
		if err := os.WriteFile(msg, body, 0o666); err != nil {
			f.die("msg filter failed: " + f.filterMsg)
		}
		return
	}
	s := f.s
	s.Redirect(func(s *shellrun.State) {
		s.Pipe(func(s *shellrun.State) {
			s.Stdout().Write(body)
			s.SetStatus(0)
		}, func(s *shellrun.State) { s.Eval(f.filterMsg) })
	}, shellrun.To(1, msg))
	if s.Status != 0 {
		f.die("msg filter failed: " + f.filterMsg)
	}
}

// newTree is git-filter-branch:480-485: the index's tree, or the
// commit's own.
func (f *filter) newTree(raw []byte) string {
	if !f.needIndex {
		tree, _, _ := bytes.Cut(bytes.TrimPrefix(raw, []byte("tree ")), []byte("\n"))
		return string(tree)
	}
	if !f.replaced {
		// The tree of the temporary index, without writing its cache
		// tree back: the next commit's read-tree replaces it, and the
		// index goes with the temporary directory.
		if ix, err := f.repo.OpenIndex(); err == nil {
			id, _, err := ix.WriteTree(gitapi.IndexObjects{Repo: f.repo}, gitapi.IndexObjects{Repo: f.repo}, index.WriteTreeOptions{})
			if err == nil {
				return gitapi.Hash(id).String()
			}
		}
	}
	// git's messages for what failed.
	tree, status := f.capture("write-tree")
	if status != 0 {
		// The script goes on with an empty tree id, which the commit
		// filter then refuses.
		return ""
	}
	return tree
}

// commitFilter is git-filter-branch:486-488: the commit filter with the
// tree and parents as arguments, the message on stdin, its output the
// commit's map entry.
func (f *filter) commitFilter(commit, tree string, parents []string) {
	s := f.s
	out := f.mapFile(commit)
	args := append([]string{tree}, parents...)
	msg := filepath.Join(f.tempdir, "message")
	switch {
	case f.filterCommit == "":
		// The map file is kept in memory (deferScratch): the output
		// whole, the command's status as the redirection's.
		var data string
		s.Redirect(func(s *shellrun.State) {
			data = s.Capture(func(s *shellrun.State) {
				if f.pruneEmpty {
					f.commitNonEmptyTree(s, args)
				} else {
					s.Git(append([]string{"commit-tree"}, args...)...)
				}
				io.WriteString(s.Stdout(), "x")
			})
		}, f.messageIn(msg))
		f.setMap(commit, []byte(strings.TrimSuffix(data, "x")))
	default:
		env := append(s.Environ(), "workdir="+f.workdir)
		in, err := os.Open(msg)
		if err != nil {
			f.die("could not write rewritten commit")
		}
		defer in.Close()
		o, err := os.Create(out)
		if err != nil {
			f.die("could not write rewritten commit")
		}
		sub := shellrun.NewState(shellrun.Config{
			Name: "git commit-tree", Args: args, Env: env, Dir: s.Dir(),
			Stdin: in, Stdout: o, Stderr: s.Stderr(), Session: f.session,
		})
		status := sub.Main(func(sub *shellrun.State) {
			f.defineFunctions(sub, true)
			sub.Set("EMPTY_TREE", f.emptyTree)
			sub.Eval(f.filterCommit)
		})
		o.Close()
		s.SetStatus(status)
	}
	if s.Status != 0 {
		f.die("could not write rewritten commit")
	}
}

// messageIn is the commit step's standard input: ../message, or the
// message kept in memory.
func (f *filter) messageIn(file string) shellrun.Redir {
	if f.filterMsg == "cat" && f.filterCommit == "" {
		return shellrun.HereDoc(0, f.message)
	}
	return shellrun.From(0, file)
}

// defineFunctions gives a shell the helpers of the script's $functions
// (git-filter-branch:13-62): warn, map, skip_commit and
// git_commit_non_empty_tree; and die: in the commit filter's shell the
// one of $functions, which keeps the progress line, in the script's own
// git-sh-setup's, sourced after it (with die_with_status).
func (f *filter) defineFunctions(s *shellrun.State, commitShell bool) {
	s.Define("warn", func(s *shellrun.State) {
		shellrun.DashEcho(s.Stderr(), []string{strings.Join(s.Args(), " ")})
		s.SetStatus(0)
	})
	s.Define("map", func(s *shellrun.State) {
		commit := s.Arg(1)
		data, err := f.readMapAt(filepath.Join(s.Get("workdir"), "..", "map", commit))
		if err != nil {
			io.WriteString(s.Stdout(), commit+"\n")
		} else {
			s.Stdout().Write(data)
		}
		s.SetStatus(0)
	})
	s.Define("skip_commit", func(s *shellrun.State) {
		args := s.Args()
		if len(args) > 0 {
			args = args[1:]
		}
		for len(args) > 0 && args[0] != "" {
			args = args[1:]
			next := ""
			if len(args) > 0 {
				next = args[0]
			}
			s.CallName("map", next)
			if len(args) > 0 {
				args = args[1:]
			}
		}
		s.SetStatus(0)
	})
	s.Define("git_commit_non_empty_tree", func(s *shellrun.State) {
		f.commitNonEmptyTree(s, s.Args())
	})
	if commitShell {
		s.Define("die", func(s *shellrun.State) {
			shellrun.DashEcho(s.Stderr(), []string{""})
			shellrun.DashEcho(s.Stderr(), []string{strings.Join(s.Args(), " ")})
			s.Exit("1")
		})
		return
	}
	s.Define("die", func(s *shellrun.State) {
		io.WriteString(s.Stderr(), strings.Join(s.Args(), " ")+"\n")
		s.Exit("1")
	})
	s.Define("die_with_status", func(s *shellrun.State) {
		status := s.Arg(1)
		args := s.Args()
		if len(args) > 0 {
			args = args[1:]
		}
		io.WriteString(s.Stderr(), strings.Join(args, " ")+"\n")
		s.Exit(status)
	})
}

// commitNonEmptyTree is the script's git_commit_non_empty_tree
// (git-filter-branch:44-53): a commit whose tree is its only parent's
// maps to that parent, an empty root commit to nothing, others are
// committed.
func (f *filter) commitNonEmptyTree(s *shellrun.State, args []string) {
	switch {
	case len(args) == 3:
		ptree := s.Capture(func(s *shellrun.State) { s.Git("rev-parse", args[2]+"^{tree}") })
		if args[0] == ptree {
			s.CallName("map", args[2])
			return
		}
	case len(args) == 1 && args[0] == f.emptyTree:
		s.SetStatus(0)
		return
	}
	s.Git(append([]string{"commit-tree"}, args...)...)
}

// remapHeads is git-filter-branch:490-505: a head the path limiting
// pruned maps to its nearest rewritten ancestor.
func (f *filter) remapHeads(heads []string) {
	if !f.remapToAncestor {
		return
	}
	for _, ref := range heads {
		sha1, _ := f.capture("rev-parse", ref+"^0")
		if f.hasMap(sha1) {
			continue
		}
		ancestor, _ := f.capture(append([]string{"rev-list", "--simplify-merges", "-1", ref}, f.s.Args()...)...)
		if ancestor != "" {
			mapped := strings.Join(strings.Fields(f.mapOf(ancestor)), " ")
			os.WriteFile(f.mapFile(sha1), []byte(mapped+"\n"), 0o666)
		}
	}
}

// updateRefs is git-filter-branch:507-545: each head moved to its
// rewrite (or deleted), its old value backed up under the original
// namespace.
func (f *filter) updateRefs(heads []string) {
	s := f.s
	io.WriteString(s.Stdout(), "\n")
	for _, ref := range heads {
		if info, err := os.Stat(filepath.Join(f.workdir, f.origNamespace+ref)); err == nil && info.Mode().IsRegular() {
			continue
		}
		sha1, _ := f.capture("rev-parse", ref+"^0")
		rewritten := f.s.Capture(func(s *shellrun.State) { s.CallName("map", sha1) })
		if sha1 == rewritten {
			f.warn("WARNING: Ref '" + ref + "' is unchanged")
			continue
		}
		if rewritten == "" {
			io.WriteString(s.Stdout(), "Ref '"+ref+"' was deleted\n")
			if f.git("update-ref", "-m", "filter-branch: delete", "-d", ref, sha1) != 0 {
				f.die("Could not delete " + ref)
			}
		} else {
			io.WriteString(s.Stdout(), "Ref '"+ref+"' was rewritten\n")
			args := append(append([]string{"update-ref", "-m", "filter-branch: rewrite", ref}, strings.Fields(rewritten)...), sha1)
			s.Redirect(func(s *shellrun.State) { s.Git(args...) }, shellrun.To(2, "/dev/null"))
			if s.Status != 0 {
				typ, _ := f.capture("cat-file", "-t", ref)
				if typ == "tag" {
					if f.filterTagName == "" {
						f.warn("WARNING: You said to rewrite tagged commits, but not the corresponding tag.")
						f.warn("WARNING: Perhaps use '--tag-name-filter cat' to rewrite the tag.")
					}
				} else {
					f.die("Could not rewrite " + ref)
				}
			}
		}
		if status := f.git("update-ref", "-m", "filter-branch: backup", f.origNamespace+ref, sha1); status != 0 {
			f.exit(status)
		}
	}
}

// tagSignature starts the signature a rewritten tag loses.
const tagSignature = "-----BEGIN PGP SIGNATURE-----"

// rewriteTags is git-filter-branch:551-598: with a tag name filter,
// every tag of a rewritten commit is written anew under the filtered
// name (annotated tags as new tag objects, without their signature).
// The script runs this loop in a pipeline's subshell: a die in it ends
// the loop, not the run.
func (f *filter) rewriteTags() {
	if f.filterTagName == "" {
		return
	}
	list, _ := f.capture("for-each-ref", "--format=%(objectname) %(objecttype) %(refname)", "refs/tags")
	saved := f.s
	saved.Subshell(func(sub *shellrun.State) {
		f.s = sub
		f.tagLoop(list)
	})
	f.s = saved
}

// tagLoop is the body of the tag pipeline, on the subshell's State.
func (f *filter) tagLoop(list string) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(exitScript); !ok {
				panic(r)
			}
		}
	}()
	s := f.s
	for _, line := range lines(list) {
		fields := strings.Fields(line)
		if len(fields) < 3 {
			continue
		}
		sha1, typ, ref := fields[0], fields[1], strings.TrimPrefix(fields[2], "refs/tags/")
		if typ != "commit" && typ != "tag" {
			continue
		}
		sha1t := ""
		if typ == "tag" {
			sha1t = sha1
			var status int
			sha1, status = f.capture("rev-parse", "-q", sha1+"^{commit}")
			if status != 0 {
				continue
			}
		}
		data, err := f.readMap(sha1)
		if err != nil {
			continue
		}
		newSha1 := strings.TrimRight(string(data), "\n")
		s.Set("GIT_COMMIT", sha1)
		s.Export("GIT_COMMIT")
		newRef := s.Capture(func(s *shellrun.State) {
			s.Pipe(func(s *shellrun.State) { s.Echo(ref) }, func(s *shellrun.State) { s.Eval(f.filterTagName) })
		})
		if s.Status != 0 {
			f.die("tag name filter failed: " + f.filterTagName)
		}
		fmt.Fprintf(s.Stdout(), "%s -> %s (%s -> %s)\n", ref, newRef, sha1, newSha1)
		if typ == "tag" {
			newSha1 = f.rewriteTagObject(ref, newRef, newSha1, sha1t)
		}
		if f.git("update-ref", "refs/tags/"+newRef, newSha1) != 0 {
			f.die("Could not write tag " + newRef)
		}
	}
}

// rewriteTagObject is git-filter-branch:574-592: a new tag object for
// the rewritten commit, the old one's header and message without its
// signature.
func (f *filter) rewriteTagObject(ref, newRef, newSha1, sha1t string) string {
	s := f.s
	old, status := f.captureRaw("cat-file", "tag", ref)
	var b strings.Builder
	fmt.Fprintf(&b, "object %s\ntype commit\ntag %s\n", newSha1, newRef)
	inHeader := true
	signed := false
	for i, line := range strings.SplitAfter(string(old), "\n") {
		if line == "" {
			continue
		}
		text := strings.TrimSuffix(line, "\n")
		if inHeader {
			if i > 0 && text == "" {
				inHeader = false
			} else if strings.HasPrefix(text, "object ") || strings.HasPrefix(text, "type ") || strings.HasPrefix(text, "tag ") {
				continue
			}
		}
		if strings.HasPrefix(text, tagSignature) {
			signed = true
			break
		}
		b.WriteString(line)
	}
	if status != 0 {
		f.die("Could not create new tag object for " + ref)
	}
	id := s.Capture(func(s *shellrun.State) {
		s.Redirect(func(s *shellrun.State) {
			s.Git("hash-object", "-t", "tag", "-w", "--stdin")
		}, shellrun.HereDoc(0, b.String()))
	})
	if s.Status != 0 {
		f.die("Could not create new tag object for " + ref)
	}
	if signed || strings.Contains(string(old), "\n"+tagSignature) {
		f.warn("gpg signature stripped from tag object " + sha1t)
	}
	return id
}

// restoreEnv is git-filter-branch:600-637: the variables the rewrite
// set are unset, those the user had are back.
func (f *filter) restoreEnv() {
	s := f.s
	s.Unset(identVars...)
	for _, name := range identVars {
		if v := s.Get("ORIG_" + name); v != "" {
			s.Set(name, v)
			s.Export(name)
		}
	}
}

// saveState is git-filter-branch:639-662: the map, as "old:new" lines,
// committed to the state branch.
func (f *filter) saveState() {
	if f.stateBranch == "" {
		return
	}
	s := f.s
	io.WriteString(s.Stderr(), "Saving rewrite state to "+f.stateBranch+"\n")
	f.session.Flush()
	entries, err := os.ReadDir(filepath.Join(f.tempdir, "map"))
	if err != nil {
		f.die("Unable to save state")
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		data, err := os.ReadFile(f.mapFile(name))
		if err != nil {
			f.die("Unable to save state")
		}
		first, _, _ := strings.Cut(string(data), "\n")
		b.WriteString(name + ":" + first + "\n")
	}
	blob := s.Capture(func(s *shellrun.State) {
		s.Redirect(func(s *shellrun.State) { s.Git("hash-object", "-w", "--stdin") }, shellrun.HereDoc(0, b.String()))
	})
	if s.Status != 0 {
		f.die("Unable to save state")
	}
	tree := s.Capture(func(s *shellrun.State) {
		s.Redirect(func(s *shellrun.State) { s.Git("mktree") }, shellrun.HereDoc(0, "100644 blob "+blob+"\tfilter.map\n"))
	})
	args := []string{"commit-tree", tree}
	if f.stateCommit != "" {
		args = append(args, "-p", f.stateCommit)
	}
	commit := s.Capture(func(s *shellrun.State) {
		s.Redirect(func(s *shellrun.State) { s.Git(args...) }, shellrun.HereDoc(0, "Sync\n"))
	})
	f.git("update-ref", f.stateBranch, commit)
}

// finish is git-filter-branch:664-674: out of the temporary directory,
// which goes, and the work tree updated when the checked out branch
// was rewritten.
func (f *filter) finish() {
	s := f.s
	s.Cd(f.origDir)
	f.session.Discard()
	os.RemoveAll(f.tempdir)
	s.Trap(nil, "0")
	if bare, _ := f.capture("rev-parse", "--is-bare-repository"); bare == "false" {
		if status := f.git("read-tree", "-u", "-m", "HEAD"); status != 0 {
			f.exit(status)
		}
	}
	f.exit(0)
}
