package gitcmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/index"
	"github.com/kiln-dev/kiln/gitapi/libc"
)

// lsFilesFlags are the ls-files options implemented exactly, each
// setting a field of the run.
var lsFilesFlags = map[string]func(l *lsFilesRun) *bool{
	"-c": func(l *lsFilesRun) *bool { return &l.cached }, "--cached": func(l *lsFilesRun) *bool { return &l.cached },
	"-o": func(l *lsFilesRun) *bool { return &l.others }, "--others": func(l *lsFilesRun) *bool { return &l.others },
	"-s": func(l *lsFilesRun) *bool { return &l.stage }, "--stage": func(l *lsFilesRun) *bool { return &l.stage },
	"-u": func(l *lsFilesRun) *bool { return &l.unmerged }, "--unmerged": func(l *lsFilesRun) *bool { return &l.unmerged },
	"-z":                   func(l *lsFilesRun) *bool { return &l.nul },
	"--directory":          func(l *lsFilesRun) *bool { return &l.directory },
	"--no-empty-directory": func(l *lsFilesRun) *bool { return &l.noEmptyDir },
	"--exclude-standard":   func(l *lsFilesRun) *bool { return &l.exclude },
	"--error-unmatch":      func(l *lsFilesRun) *bool { return &l.errorUnmatch },
	"--full-name":          func(l *lsFilesRun) *bool { return &l.fullName },
}

// parseLsFiles parses ls-files' arguments once: the options into l, and
// the paths; an option it does not implement is an *UnservedError.
func parseLsFiles(l *lsFilesRun, args []string) ([]string, error) {
	var paths []string
	for i, a := range args {
		if a == "--" {
			paths = append(paths, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			paths = append(paths, a)
			continue
		}
		flag := lsFilesFlags[a]
		if flag == nil {
			return nil, &UnservedError{Command: "ls-files", Form: a}
		}
		*flag(l) = true
	}
	if l.unmerged {
		l.stage = true
	}
	return paths, nil
}

// lsFilesParses reports whether ls-files serves these arguments: known
// options, literal paths (globs only as a match-everything ":/*" or
// "*"), and with --directory no path narrower than everything.
func lsFilesParses(args []string) bool {
	var l lsFilesRun
	paths, err := parseLsFiles(&l, args)
	if err != nil {
		return false
	}
	directory := l.directory
	for _, p := range paths {
		matchesAll := p == ":/*" || p == "*"
		if (directory && !matchesAll) || (!matchesAll && (gitapi.HasGlob(p) || strings.HasPrefix(p, ":"))) {
			return false
		}
	}
	return true
}

// lsFilesRun holds one ls-files run's options.
type lsFilesRun struct {
	c                                   *command
	r                                   *gitapi.Repo
	ix                                  *index.Index
	cached, others, stage, unmerged     bool
	directory, noEmptyDir, errorUnmatch bool
	fullName, nul, exclude              bool
	excludes                            *gitapi.Excludes
	quote                               func(string) string
	ps                                  gitapi.Pathspec
	matched                             []bool
}

// lsFiles implements `git ls-files` for the served options.
func (c *command) lsFiles(args []string) int {
	l := &lsFilesRun{c: c}
	paths, err := parseLsFiles(l, args)
	if err != nil {
		return c.fatalErr(err)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	l.r = r
	l.quote = r.PathQuoter()
	if !l.stage && !l.others && !l.unmerged {
		l.cached = true
	}
	if err := l.setup(paths, l.exclude); err != nil {
		return c.exitStatus(err)
	}
	// git lists untracked files before the index.
	if l.others {
		l.showOthers()
	}
	if l.cached || l.stage {
		l.showIndex()
	}
	return l.reportUnmatched()
}

// setup reads the index, the pathspec (the working directory when none
// is given) and the exclude rules.
func (l *lsFilesRun) setup(paths []string, exclude bool) error {
	c, r := l.c, l.r
	if r.WorkTree() == "" && l.others {
		return stop(c.fatal("this operation must be run in a work tree"))
	}
	ix, err := r.OpenIndex()
	if err != nil {
		return stop(c.indexFatal(err))
	}
	l.ix = ix
	ps, err := gitapi.ParsePathspec(r.WorkTree(), r.Prefix(), paths)
	if err != nil {
		return stop(c.fatal("%v", err))
	}
	l.ps, l.matched = ps, make([]bool, len(ps.Items))
	if exclude {
		if l.excludes, err = r.StandardExcludes(); err != nil {
			return stop(c.fatalErr(err))
		}
	}
	return nil
}

// visible reports whether path is shown: under the working directory
// when no paths are given, else matching one of them.
func (l *lsFilesRun) visible(path string) bool {
	if l.ps.Empty() {
		return strings.HasPrefix(path, l.r.Prefix())
	}
	shown := false
	for i, it := range l.ps.Items {
		// With --error-unmatch, git skips an item once it matched a
		// path exactly: the later stages of a conflicted path named
		// in full are not listed.
		exact := it.Glob == nil && it.Path == path
		if l.errorUnmatch && exact && l.matched[i] {
			continue
		}
		if it.Matches(path) {
			// Every matching item counts as used, as in git.
			l.matched[i] = true
			shown = true
		}
	}
	return shown
}

// showIndex lists the index entries (with their mode, id and stage for
// --stage; only conflicted ones for --unmerged).
func (l *lsFilesRun) showIndex() {
	for _, e := range l.ix.Entries {
		if l.unmerged && e.Stage == 0 {
			continue
		}
		if !l.visible(e.Path) {
			continue
		}
		if l.stage {
			fmt.Fprintf(l.c.out, "%06o %s %d\t", e.Mode, gitapi.Hash(e.ID), e.Stage)
		}
		l.writeName(e.Path)
	}
}

// writeName prints a path relative to the working directory (unless
// --full-name), C-quoted unless -z.
func (l *lsFilesRun) writeName(path string) {
	name := path
	if !l.fullName {
		name = relativeToPrefix(path, l.r.Prefix())
	}
	if l.nul {
		l.c.out.WriteString(name + "\x00")
		return
	}
	l.c.out.WriteString(l.quote(name) + "\n")
}

// relativeToPrefix is git's relative_path for a path from the top and
// the working directory's prefix ("dir/"); a trailing slash is kept.
func relativeToPrefix(path, prefix string) string {
	if prefix == "" {
		return path
	}
	if rest, ok := strings.CutPrefix(path, prefix); ok {
		return rest
	}
	pre := strings.Split(strings.TrimSuffix(prefix, "/"), "/")
	common := 0
	for common < len(pre) && strings.HasPrefix(path, strings.Join(pre[:common+1], "/")+"/") {
		common++
	}
	rest := path
	if common > 0 {
		rest = path[len(strings.Join(pre[:common], "/"))+1:]
	}
	return strings.Repeat("../", len(pre)-common) + rest
}

// reportUnmatched is --error-unmatch: each path that matched nothing is
// an error, and the status is 1.
func (l *lsFilesRun) reportUnmatched() int {
	if !l.errorUnmatch {
		return exitOK
	}
	status := exitOK
	for i, it := range l.ps.Items {
		if l.matched[i] {
			continue
		}
		l.c.out.Flush()
		l.c.errorf("pathspec '%s' did not match any file(s) known to git", it.Original)
		status = 1
	}
	if status != exitOK {
		fmt.Fprintln(l.c.err, "Did you forget to 'git add'?")
	}
	return status
}

// showOthers lists the untracked files (and, with --directory, wholly
// untracked directories as "dir/"), sorted by name.
func (l *lsFilesRun) showOthers() {
	if !l.leadingPathReadable() {
		return
	}
	opts := gitapi.UntrackedOptions{Excludes: l.excludes, Directory: l.directory, NoEmptyDirectory: l.noEmptyDir}
	for _, name := range l.r.Untracked(l.ix, opts) {
		if l.visible(name) {
			l.writeName(name)
		}
	}
}

// leadingPathReadable is git's check of the directory common to all
// paths given before it lists untracked files there: nothing is listed
// when the first directory on the way is not one, and a deeper
// directory that cannot be read draws git's warning.
func (l *lsFilesRun) leadingPathReadable() bool {
	dir := l.ps.CommonDir()
	if dir == "" {
		return true
	}
	first, _, _ := strings.Cut(dir, "/")
	if info, err := os.Stat(filepath.Join(l.r.WorkTree(), first)); err != nil || !info.IsDir() {
		return false
	}
	_, err := os.ReadDir(filepath.Join(l.r.WorkTree(), filepath.FromSlash(dir)))
	if err == nil {
		return true
	}
	if strings.Count(dir, "/") > 1 {
		l.c.out.Flush()
		fmt.Fprintf(l.c.err, "warning: could not open directory '%s': %s\n", dir, libc.Strerror(err))
	}
	return false
}
