package gitcmd

import (
	"fmt"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitmsg"
	"github.com/kiln-dev/kiln/gitapi/libc"
)

// This file holds what diff-index and diff-files share: the queue of
// file pairs, its raw and --name-only output, and their options.

// diffArgs are a diff plumbing command's arguments, sorted out.
type diffArgs struct {
	opts     diffOptions
	cached   bool     // --cached (diff-index only)
	words    []string // before "--": revisions, then paths
	dashdash bool     // a "--" was given
	after    []string // after "--": paths
}

// parseDiffArgs sorts out the arguments once; unknown is the first
// option the command does not take ("" when none: git prints its usage
// for one).
func parseDiffArgs(args []string, allowCached bool) (d diffArgs, unknown string) {
	for i, a := range args {
		switch {
		case a == "--":
			d.dashdash, d.after = true, args[i+1:]
			return d, ""
		case a == "--cached" && allowCached:
			d.cached = true
		case len(a) > 1 && a[0] == '-':
			if !d.opts.parseDiffOption(a) {
				return d, a
			}
		default:
			d.words = append(d.words, a)
		}
	}
	return d, ""
}

// parseDiffOption takes one of the shared diff options; ok is false for
// any other argument.
func (o *diffOptions) parseDiffOption(a string) bool {
	switch a {
	case "--quiet":
		o.quiet = true
	case "--exit-code":
		o.exitCode = true
	case "--name-only":
		o.nameOnly, o.nameStatus = true, false
	case "--name-status":
		o.nameStatus, o.nameOnly = true, false
	case "-z":
		o.nul = true
	case "--ignore-submodules", "--ignore-submodules=all":
		o.ignoreSubmodules = true
	case "-r":
	default:
		return false
	}
	return true
}

// diffParses reports whether the face parses args: every option is
// one it takes (or -h, whose usage it prints), and no argument is a glob
// pathspec or a range.
func diffParses(args []string, allowCached bool) bool {
	d, unknown := parseDiffArgs(args, allowCached)
	if unknown != "" && unknown != "-h" {
		return false
	}
	for _, a := range d.words {
		if strings.Contains(a, "..") || gitapi.HasGlob(a) || strings.HasPrefix(a, ":") {
			return false
		}
	}
	for _, a := range d.after {
		if gitapi.HasGlob(a) || strings.HasPrefix(a, ":") {
			return false
		}
	}
	return true
}

// flushPairs prints the pairs as git's diff_flush does for the options,
// and returns the exit status (1 for changes with --exit-code/--quiet).
func (c *command) flushPairs(pairs []gitapi.DiffPair, o diffOptions) int {
	o.quote = c.repo.PathQuoter()
	if !o.quiet {
		for _, p := range pairs {
			c.out.WriteString(o.format(p))
		}
	}
	if (o.quiet || o.exitCode) && len(pairs) > 0 {
		return 1
	}
	return exitOK
}

// format is one pair's output line.
func (o diffOptions) format(p gitapi.DiffPair) string {
	name, end := o.quote(p.Path), "\n"
	if o.nul {
		name, end = p.Path, "\x00"
	}
	switch {
	case o.nameOnly:
		return name + end
	case o.nameStatus:
		return string(p.Status()) + tabOrNul(o.nul) + name + end
	}
	return fmt.Sprintf(":%06o %06o %s %s %c", p.OldMode, p.NewMode, p.OldID, p.NewID, p.Status()) + tabOrNul(o.nul) + name + end
}

func tabOrNul(nul bool) string {
	if nul {
		return "\x00"
	}
	return "\t"
}

// diffRevArgs splits diff-index's and diff-files' non-option arguments
// the way git's setup_revisions does. Before a "--" every argument must
// be a revision; without one, leading arguments that name revisions are
// revisions, and the first that does not must be a file in the work
// tree, as must the rest. A non-zero status means git's error was
// printed.
func (c *command) diffRevArgs(r *gitapi.Repo, args []string, dashdash bool, after []string) (revs, paths []string, status int) {
	for i, a := range args {
		if _, err := r.Resolve(a); err == nil && len(paths) == 0 {
			if !dashdash && r.WorkTreeHas(a) {
				return nil, nil, c.fatal("ambiguous argument '%s': both revision and filename\n"+
					"Use '--' to separate paths from revisions, like this:\n"+
					"'git <command> [<revision>...] -- [<file>...]'", a)
			}
			revs = append(revs, a)
			continue
		}
		if dashdash {
			return nil, nil, c.fatal("bad revision '%s'", a)
		}
		for _, p := range args[i:] {
			if !r.WorkTreeHas(p) {
				return nil, nil, c.ambiguous(p)
			}
		}
		paths = append(paths, args[i:]...)
		break
	}
	return revs, append(paths, after...), 0
}

// ambiguous is git's die for an argument that is neither a revision nor
// a file.
func (c *command) ambiguous(arg string) int {
	return c.fatal("%s", gitmsg.AmbiguousArgument(arg))
}

// commonDiffUsage is the option summary git prints after diff-index's
// and diff-files' usage line.
const commonDiffUsage = `
common diff options:
  -z            output diff-raw with lines terminated with NUL.
  -p            output patch format.
  -u            synonym for -p.
  --patch-with-raw
                output both a patch and the diff-raw format.
  --stat        show diffstat instead of patch.
  --numstat     show numeric diffstat instead of patch.
  --patch-with-stat
                output a patch and prepend its diffstat.
  --name-only   show only names of changed files.
  --name-status show names and status of changed files.
  --full-index  show full object name on index lines.
  --abbrev=<n>  abbreviate object names in diff-tree header and diff-raw.
  -R            swap input file pairs.
  -B            detect complete rewrites.
  -M            detect renames.
  -C            detect copies.
  --find-copies-harder
                try unchanged files as candidate for copy detection.
  -l<n>         limit rename attempts up to <n> paths.
  -O<file>      reorder diffs according to the <file>.
  -S<string>    find filepair whose only one side contains the string.
  --pickaxe-all
                show all files diff when -S is used and hit is found.
  -a  --text    treat all files as text.
`

// diffOptions are the output options diff-index and diff-files serve.
type diffOptions struct {
	quiet, exitCode, nameOnly, nameStatus, nul bool
	ignoreSubmodules                           bool
	quote                                      func(string) string
}

// warnFile prints git's line for a work tree file a diff cannot read.
func (c *command) warnFile(path string, err error) {
	fmt.Fprintf(c.err, "%s: %s\n", path, libc.Strerror(err))
}
