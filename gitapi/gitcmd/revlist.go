package gitcmd

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
)

// revListArgs are rev-list's arguments as the face reads them.
type revListArgs struct {
	topo, reverse, parents, count, stdin bool
	simplifyMerges                       bool
	maxCount                             int
	def                                  string
	revs                                 []string
	dashdash                             bool     // "--" was given
	paths                                []string // the pathspecs after "--"
}

// parseRevListArgs reads the forms the face serves: --topo-order,
// --reverse, --parents, --count, --simplify-merges (which without paths
// only orders topologically), --stdin, --default <rev>, -n/--max-count,
// -<n>, revisions (name, ^name, A..B), and after "--" paths with
// --simplify-merges (literal paths, see servedPath). ok is false for
// anything else (other options, paths without "--" or of other forms),
// which git answers.
func parseRevListArgs(args []string) (o revListArgs, ok bool) {
	o.maxCount = -1
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			o.dashdash = true
			for _, p := range args[i+1:] {
				if !servedPath(p) {
					return o, false
				}
			}
			o.paths = args[i+1:]
			i = len(args)
			continue
		case a == "--topo-order":
			o.topo = true
		case a == "--reverse":
			o.reverse = !o.reverse
		case a == "--parents":
			o.parents = true
		case a == "--count":
			o.count = true
		case a == "--stdin":
			o.stdin = true
		case a == "--simplify-merges":
			o.simplifyMerges, o.topo = true, true
		case a == "--default" && i+1 < len(args):
			i++
			o.def = args[i]
		case a == "-n" && i+1 < len(args):
			i++
			n, err := strconv.Atoi(args[i])
			if err != nil {
				return o, false
			}
			o.maxCount = n
		case strings.HasPrefix(a, "--max-count="):
			n, err := strconv.Atoi(a[len("--max-count="):])
			if err != nil {
				return o, false
			}
			o.maxCount = n
		case len(a) > 1 && a[0] == '-' && allDigits(a[1:]):
			n, err := strconv.Atoi(a[1:])
			if err != nil {
				return o, false
			}
			o.maxCount = n
		case strings.HasPrefix(a, "-"), a == "":
			return o, false
		case strings.Contains(a, "...") || !revisionServed(a) || strings.ContainsAny(a, "*?["):
			return o, false
		default:
			o.revs = append(o.revs, a)
		}
	}
	if len(o.revs) == 0 && !o.stdin && o.def == "" {
		// Nothing to walk: git prints its usage.
		return o, false
	}
	if len(o.paths) > 0 && !o.simplifyMerges {
		// git's default simplification by paths is not served.
		return o, false
	}
	return o, true
}

// servedPath reports whether the face serves a pathspec: a path from the
// current directory made of plain names (no ".", "..", empty part or
// trailing slash), without pathspec magic or wildcard characters, which
// git matches literally.
func servedPath(p string) bool {
	if p == "" || p[0] == ':' || strings.ContainsAny(p, "*?[\\") {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// revListParses reports whether the face serves a rev-list argv.
func revListParses(args []string) bool {
	_, ok := parseRevListArgs(args)
	return ok
}

// revList implements `git rev-list` for the forms parseRevListArgs
// reads: its commits, in git's order, one a line (with --parents, each
// followed by its parents), or their number with --count. A form found
// only when running (a path among the revisions, paths on stdin, grafts
// or a shallow repository) is passed to git.
func (c *command) revList(args []string) int {
	o, ok := parseRevListArgs(args)
	if !ok {
		return c.fatal("%s", (&UnservedError{Command: "rev-list", Form: strings.Join(args, " ")}).Error())
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	revs := o.revs
	if o.stdin {
		data, err := io.ReadAll(c.in)
		if err != nil {
			return c.fatal("%v", err)
		}
		c.in = bytes.NewReader(data)
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
			case strings.HasPrefix(line, "-"):
				// "--" and paths, or options (which git refuses): git's.
				return c.fallback("rev-list", args)
			case strings.Contains(line, "...") || !revisionServed(line) || strings.ContainsAny(line, "*?["):
				return c.fallback("rev-list", args)
			default:
				revs = append(revs, line)
			}
		}
	}
	for _, name := range []string{"shallow", "info/grafts"} {
		if _, err := os.Stat(filepath.Join(r.CommonDir(), name)); err == nil {
			return c.fallback("rev-list", args)
		}
	}
	var paths []string
	if len(o.paths) > 0 {
		// Pathspecs the environment reads otherwise (case folding,
		// globbing), or paths outside a work tree: git's.
		for _, name := range []string{"GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"} {
			if _, set := c.env.Lookup(name); set {
				return c.fallback("rev-list", args)
			}
		}
		if r.WorkTree() != "" && !r.IsInsideWorkTree() {
			return c.fallback("rev-list", args)
		}
		for _, p := range o.paths {
			paths = append(paths, r.Prefix()+p)
		}
	}
	var list []gitapi.RevListRev
	for i, rev := range revs {
		found, status, unserved := c.revListRev(r, rev, &list)
		switch {
		case unserved:
			return c.fallback("rev-list", args)
		case status != exitOK:
			return status
		case !found && (i >= len(o.revs) || strings.HasPrefix(rev, "^") || o.dashdash):
			// From --stdin, negated, or before "--": git's
			// handle_revision_arg failure.
			return c.fatal("bad revision '%s'", rev)
		case !found:
			return c.fatal("ambiguous argument '%s': unknown revision or path not in the working tree.\n"+
				"Use '--' to separate paths from revisions, like this:\n"+
				"'git <command> [<revision>...] -- [<file>...]'", rev)
		}
	}
	if len(list) == 0 && o.def != "" {
		found, status, unserved := c.revListRev(r, o.def, &list)
		switch {
		case unserved:
			return c.fallback("rev-list", args)
		case status != exitOK:
			return status
		case !found:
			return c.fatal("bad default revision '%s'", o.def)
		}
	}
	if len(list) == 0 {
		if !o.stdin {
			// git prints its usage for a walk with nothing to walk.
			return c.fallback("rev-list", args)
		}
		if o.count {
			c.println("0")
		}
		return exitOK
	}
	opts := gitapi.RevListOptions{Revs: list, TopoOrder: o.topo, Reverse: o.reverse, MaxCount: o.maxCount,
		Paths: paths, SimplifyMerges: o.simplifyMerges}
	if o.maxCount == 0 {
		if o.count {
			c.println("0")
		}
		return exitOK
	}
	commits, err := r.RevList(opts)
	if errors.Is(err, gitapi.ErrRevListPathMerge) {
		return c.fallback("rev-list", args)
	}
	if err != nil {
		return c.fatal("%v", err)
	}
	if o.count {
		c.println(strconv.Itoa(len(commits)))
		return exitOK
	}
	for _, cm := range commits {
		line := cm.ID.String()
		if o.parents {
			for _, p := range cm.Parents {
				line += " " + p.String()
			}
		}
		c.println(line)
	}
	return exitOK
}

// revListRev resolves one revision argument (name, ^name, A..B) to the
// commits it adds to the walk; found is false when it names nothing,
// unserved when it is a path or an object that is not a commit-ish
// (which git treats its own way).
func (c *command) revListRev(r *gitapi.Repo, arg string, list *[]gitapi.RevListRev) (found bool, status int, unserved bool) {
	if dots := strings.Index(arg, ".."); dots >= 0 {
		left, right := arg[:dots], arg[dots+2:]
		if left == "" {
			left = "HEAD"
		}
		if right == "" {
			right = "HEAD"
		}
		a, okA, unA, st := c.revListCommit(r, left)
		if st != exitOK {
			return false, st, false
		}
		b, okB, unB, st := c.revListCommit(r, right)
		switch {
		case st != exitOK:
			return false, st, false
		case unA || unB:
			return false, exitOK, true
		case !okA || !okB:
			// git then tries the whole argument as one name, and as
			// a path.
			if _, err := os.Lstat(gitapi.AbsFrom(r.Cwd(), arg)); err == nil && r.WorkTree() != "" {
				return false, exitOK, true
			}
			return false, exitOK, false
		}
		*list = append(*list, gitapi.RevListRev{ID: a, Exclude: true}, gitapi.RevListRev{ID: b})
		return true, exitOK, false
	}
	name, exclude := arg, false
	if rest, ok := strings.CutPrefix(arg, "^"); ok {
		name, exclude = rest, true
	}
	id, ok, un, st := c.revListCommit(r, name)
	switch {
	case st != exitOK:
		return false, st, false
	case un:
		return false, exitOK, true
	case !ok:
		if r.WorkTree() != "" {
			if _, err := os.Lstat(gitapi.AbsFrom(r.Cwd(), arg)); err == nil {
				return false, exitOK, true
			}
		}
		return false, exitOK, false
	}
	*list = append(*list, gitapi.RevListRev{ID: id, Exclude: exclude})
	return true, exitOK, false
}

// revListCommit resolves name to a commit; found is false when it names
// nothing, unserved true when it names an object that is not a
// commit-ish (git walks trees and blobs its own way).
func (c *command) revListCommit(r *gitapi.Repo, name string) (id gitapi.Hash, found, unserved bool, status int) {
	id, found, status = c.lookupRev(r, name)
	if status != exitOK || !found {
		return id, false, false, status
	}
	commit, _, err := r.Peel(id, gitapi.TypeCommit)
	if err != nil {
		return id, true, true, exitOK
	}
	return commit, true, false, exitOK
}
