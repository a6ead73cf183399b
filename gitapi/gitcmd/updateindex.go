package gitcmd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// updateIndexSpec is update-index's option table.
var updateIndexSpec = &parseopt.Spec{
	Usage: []string{"git update-index [<options>] [--] [<file>...]"},
	Options: []parseopt.Option{
		{Short: 'q', Help: "continue refresh even when index needs update"},
		{Long: "ignore-submodules", Help: "refresh: ignore submodules"},
		{Long: "add", Help: "do not ignore new files"},
		{Long: "replace", Help: "let files replace directories and vice-versa"},
		{Long: "remove", Help: "notice files missing from worktree"},
		{Long: "unmerged", Help: "refresh even if index contains unmerged entries"},
		{Long: "refresh", NoNegate: true, Help: "refresh stat information"},
		{Long: "really-refresh", NoNegate: true, Help: "like --refresh, but ignore assume-unchanged setting"},
		{Long: "cacheinfo", NoNegate: true, Takes: cacheInfoArgs, ArgHint: "<mode>,<object>,<path>", Help: "add the specified entry to the index"},
		{Long: "chmod", NoNegate: true, TakesArg: true, ArgHint: "(+|-)x", Help: "override the executable bit of the listed files"},
		{Long: "assume-unchanged", Help: "mark files as \"not changing\""},
		{Long: "no-assume-unchanged", NoNegate: true, Help: "clear assumed-unchanged bit"},
		{Long: "skip-worktree", Help: "mark files as \"index-only\""},
		{Long: "no-skip-worktree", NoNegate: true, Help: "clear skip-worktree bit"},
		{Long: "ignore-skip-worktree-entries", Help: "do not touch index-only entries"},
		{Long: "info-only", Help: "add to index only; do not add content to object database"},
		{Long: "force-remove", Help: "remove named paths even if present in worktree"},
		{Short: 'z', Help: "with --stdin: input lines are terminated by null bytes"},
		{Long: "stdin", NoNegate: true, Help: "read list of paths to be updated from standard input"},
		{Long: "index-info", NoNegate: true, Help: "add entries from standard input to the index"},
		{Long: "unresolve", NoNegate: true, Help: "repopulate stages #2 and #3 for the listed paths"},
		{Short: 'g', Long: "again", NoNegate: true, Help: "only update entries that differ from HEAD"},
		{Long: "ignore-missing", Help: "ignore files missing from worktree"},
		{Long: "verbose", Help: "report actions to standard output"},
		{Long: "clear-resolve-undo", NoNegate: true, Help: "(for porcelains) forget saved unresolved conflicts"},
		{Long: "index-version", TakesArg: true, ArgHint: "n", Help: "write index in this format"},
		{Long: "split-index", Help: "enable or disable split index"},
		{Long: "untracked-cache", Help: "enable/disable untracked cache"},
		{Long: "test-untracked-cache", Help: "test if the filesystem supports untracked cache"},
		{Long: "force-untracked-cache", Help: "enable untracked cache without testing the filesystem"},
		{Long: "force-write-index", Help: "write out the index even if is not flagged as changed"},
		{Long: "fsmonitor", Help: "enable or disable file system monitor"},
		{Long: "fsmonitor-valid", Help: "mark files as fsmonitor valid"},
		{Long: "no-fsmonitor-valid", NoNegate: true, Help: "clear fsmonitor valid bit"},
	},
}

// updateIndexOptions are update-index's settings: each applies to the
// arguments after it.
type updateIndexOptions struct {
	update  index.UpdateOptions
	refresh index.RefreshOptions
	force   bool // --force-remove
	nul     bool // -z
}

// updateIndexActions are the options of update-index that act where they
// stand; the other options it serves are settings.
var updateIndexActions = map[string]bool{
	"refresh": true, "really-refresh": true, "cacheinfo": true, "stdin": true, "index-info": true,
}

// updateIndexArgs parses update-index's arguments once, in order: the
// face applies each setting and runs each action and path as it comes,
// as git does.
var updateIndexArgs = &argParser[updateIndexOptions]{
	spec: updateIndexSpec,
	bools: map[string]func(o *updateIndexOptions) *bool{
		"q":                 func(o *updateIndexOptions) *bool { return &o.refresh.Quiet },
		"add":               func(o *updateIndexOptions) *bool { return &o.update.Add },
		"remove":            func(o *updateIndexOptions) *bool { return &o.update.Remove },
		"replace":           func(o *updateIndexOptions) *bool { return &o.update.Replace },
		"info-only":         func(o *updateIndexOptions) *bool { return &o.update.InfoOnly },
		"force-remove":      func(o *updateIndexOptions) *bool { return &o.force },
		"ignore-submodules": func(o *updateIndexOptions) *bool { return &o.refresh.IgnoreSubmodules },
		"unmerged":          func(o *updateIndexOptions) *bool { return &o.refresh.Unmerged },
		"ignore-missing":    func(o *updateIndexOptions) *bool { return &o.refresh.IgnoreMissing },
		"z":                 func(o *updateIndexOptions) *bool { return &o.nul },
	},
	set: func(_ *updateIndexOptions, f parseopt.Parsed) error {
		if updateIndexActions[f.Option.Long] {
			return nil
		}
		return unserved("update-index", f)
	},
}

// updateIndexParses reports whether update-index parses args: git shows
// the manual for a leading --help.
func updateIndexParses(args []string) bool {
	return (len(args) == 0 || args[0] != "--help") && updateIndexArgs.parses(args)
}

// cacheInfoArgs is how many arguments --cacheinfo takes: one
// "<mode>,<id>,<path>", else the old three-argument form when three are
// left, else none (an error when it runs).
func cacheInfoArgs(next []string) int {
	if len(next) >= 1 {
		if _, _, _, ok := parseCacheInfo(next[0]); ok {
			return 1
		}
	}
	if len(next) >= 3 {
		return 3
	}
	return 0
}

// updateIndexRun is the state of one update-index run: options apply to
// the paths after them, as git processes its arguments in order.
type updateIndexRun struct {
	c         *command
	r         *gitapi.Repo
	ix        *index.Index
	lockErr   error // git takes the lock first and reports failure only when writing
	opts      updateIndexOptions
	stdin     bool // --stdin
	hasErrors bool // a refresh found entries needing update: exit 1
}

// optionError is an update-index option callback's error: the message
// alone, status 129.
func (c *command) optionError(format string, args ...any) int {
	c.errorf(format, args...)
	return exitUsage
}

// usageError is a parse-options error for an unknown option: the
// message, then the usage on stderr, status 129.
func (c *command) usageError(spec *parseopt.Spec, format string, args ...any) int {
	c.errorf(format, args...)
	io.WriteString(c.err, spec.UsageText(false))
	return exitUsage
}

// updateIndex implements `git update-index` for the served options.
func (c *command) updateIndex(args []string) int {
	// A lone -h is answered before any setup, on stderr; -h among other
	// arguments is parse-options' help, on stdout.
	if len(args) == 1 && args[0] == "-h" {
		return c.usageOnly(updateIndexSpec)
	}
	items, parseErr := updateIndexArgs.walk(args)
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	opts, err := r.IndexOptions()
	if err != nil {
		return c.fatalErr(err)
	}
	u := &updateIndexRun{c: c, r: r}
	u.ix, err = index.OpenLocked(r.IndexFile(), opts)
	if err != nil {
		var le *index.LockedError
		if !errors.As(err, &le) {
			return c.indexFatal(err)
		}
		u.lockErr = err
		if u.ix, err = index.Open(r.IndexFile(), opts); err != nil {
			return c.indexFatal(err)
		}
	}
	defer u.ix.Rollback()
	if err := u.runArgs(items, len(args)); err != nil {
		return c.exitStatus(err)
	}
	if parseErr != nil {
		return u.badArgs(parseErr)
	}
	if u.stdin {
		if err := u.readStdinPaths(); err != nil {
			return c.exitStatus(err)
		}
	}
	return u.finish()
}

// runArgs runs the arguments parsed, in order: a setting applies to
// what follows it, an action or a path runs where it stands. n is the
// number of arguments. An error ends the run (with its status: an error,
// or --index-info's result).
func (u *updateIndexRun) runArgs(items []parseopt.Item, n int) error {
	c := u.c
	for _, it := range items {
		if it.Option == nil {
			if err := u.updatePath(it.Arg); err != nil {
				return err
			}
			continue
		}
		f := *it.Option
		if err := updateIndexArgs.apply(&u.opts, f); err != nil {
			return stop(u.badArgs(err))
		}
		switch name := f.Option.Long; name {
		case "refresh", "really-refresh":
			if u.r.WorkTree() == "" {
				return stop(c.fatal("this operation must be run in a work tree"))
			}
			u.runRefresh(name == "really-refresh")
		case "cacheinfo":
			if err := u.cacheInfo(f.Follow); err != nil {
				return err
			}
		case "stdin", "index-info":
			if it.Next != n {
				return stop(c.optionError("option '%s' must be the last argument", name))
			}
			if name == "stdin" {
				u.stdin = true
				continue
			}
			return stop(u.indexInfo())
		}
	}
	return nil
}

// badArgs reports an argument update-index does not parse: an unknown
// option in update-index's own words, then the usage; other errors as
// parse-options reports them.
func (u *updateIndexRun) badArgs(err error) int {
	var pe *parseopt.Error
	if !errors.As(err, &pe) || pe.Unknown == "" {
		return u.c.badArgs(updateIndexSpec, err)
	}
	if name, ok := strings.CutPrefix(pe.Unknown, "--"); ok {
		return u.c.usageError(updateIndexSpec, "unknown option '%s'", name)
	}
	return u.c.usageError(updateIndexSpec, "unknown switch '%s'", pe.Unknown[1:])
}

// runRefresh is --refresh: its "needs update" lines go to stdout and
// make the exit status 1.
func (u *updateIndexRun) runRefresh(really bool) {
	opts := u.opts.refresh
	opts.Really = really
	res := u.ix.Refresh(opts)
	u.c.out.WriteString(res.Output)
	u.hasErrors = u.hasErrors || res.NeedsUpdate
}

// cacheInfo is --cacheinfo with the arguments it took: one
// <mode>,<id>,<path>, the old three-argument form, or none.
func (u *updateIndexRun) cacheInfo(args []string) error {
	c := u.c
	if len(args) == 1 {
		mode, id, path, _ := parseCacheInfo(args[0])
		return u.addCacheInfo(mode, id, path)
	}
	if len(args) < 3 {
		return stop(c.optionError("option 'cacheinfo' expects <mode>,<sha1>,<path>"))
	}
	mode, perr := strconv.ParseUint(args[0], 8, 32)
	if perr != nil {
		return stop(c.fatal("git update-index: --cacheinfo cannot add %s", args[0]))
	}
	id, perr := gitapi.ParseHash(strings.ToLower(args[1]))
	if perr != nil || len(args[1]) != 40 {
		return stop(c.fatal("git update-index: --cacheinfo cannot add %s", args[1]))
	}
	return u.addCacheInfo(uint32(mode), id, args[2])
}

// parseCacheInfo reads "<mode>,<id>,<path>".
func parseCacheInfo(arg string) (uint32, gitapi.Hash, string, bool) {
	m, rest, ok := strings.Cut(arg, ",")
	if !ok {
		return 0, gitapi.Hash{}, "", false
	}
	mode, err := strconv.ParseUint(m, 8, 32)
	if err != nil || len(rest) < 41 || rest[40] != ',' {
		return 0, gitapi.Hash{}, "", false
	}
	id, err := gitapi.ParseHash(strings.ToLower(rest[:40]))
	if err != nil {
		return 0, gitapi.Hash{}, "", false
	}
	return uint32(mode), id, rest[41:], true
}

// addCacheInfo adds one --cacheinfo entry; on failure it reports git's
// messages and stops.
func (u *updateIndexRun) addCacheInfo(mode uint32, id gitapi.Hash, path string) error {
	if err := u.ix.CacheInfo(mode, index.ID(id), path, 0, u.opts.update); err != nil {
		return stop(u.reportIndexError(err))
	}
	return nil
}

// reportIndexError prints an *index.Error's lines and dies.
func (u *updateIndexRun) reportIndexError(err error) int {
	var ie *index.Error
	if errors.As(err, &ie) {
		for _, line := range ie.Errors {
			if line != "" {
				u.c.errorf("%s", line)
			}
		}
		return u.c.fatal("%s", ie.Fatal)
	}
	return u.c.fatalErr(err)
}

// updatePath is git's update_one for a command-line or --stdin path.
func (u *updateIndexRun) updatePath(arg string) error {
	c := u.c
	if u.r.WorkTree() == "" {
		return stop(c.fatal("this operation must be run in a work tree"))
	}
	path, ok := gitapi.PrefixPath(u.r.WorkTree(), u.r.Prefix(), arg)
	if !ok {
		return stop(c.fatal("'%s' is outside repository at '%s'", arg, u.r.WorkTree()))
	}
	var err error
	if u.opts.force {
		err = u.ix.ForceRemove(path)
	} else {
		err = u.ix.UpdatePath(path, gitapi.IndexObjects{Repo: u.r}, u.opts.update)
	}
	switch {
	case errors.Is(err, index.ErrIgnoredPath):
		fmt.Fprintf(c.err, "Ignoring path %s\n", path)
	case err != nil:
		return stop(u.reportIndexError(err))
	}
	return nil
}

// readStdinPaths is --stdin: one path a line (C-quoted unless -z).
func (u *updateIndexRun) readStdinPaths() error {
	sep := byte('\n')
	if u.opts.nul {
		sep = 0
	}
	br := bufio.NewReader(u.c.in)
	for {
		line, err := br.ReadBytes(sep)
		if len(line) > 0 {
			line = bytes.TrimSuffix(line, []byte{sep})
			name := string(line)
			if !u.opts.nul && len(line) > 0 && line[0] == '"' {
				unq, ok := cUnquote(string(line))
				if !ok {
					return stop(u.c.fatal("line is badly quoted"))
				}
				name = unq
			}
			if err := u.updatePath(name); err != nil {
				return err
			}
		}
		if err != nil {
			return nil
		}
	}
}

// indexInfo is --index-info, after which nothing else runs.
func (u *updateIndexRun) indexInfo() int {
	if err := u.ix.IndexInfo(u.c.in, u.opts.nul, u.c.err); err != nil {
		return u.reportIndexError(err)
	}
	return u.finish()
}

// finish writes the index when it changed, through the lock taken at the
// start; a lock git could not take is reported only now.
func (u *updateIndexRun) finish() int {
	if u.ix.Modified() {
		if u.lockErr != nil {
			if u.opts.refresh.Quiet {
				return exitFatal
			}
			return u.c.fatalErr(u.lockErr)
		}
		if err := u.ix.Commit(); err != nil {
			return u.c.fatal("Unable to write new index file")
		}
	}
	if u.hasErrors {
		return 1
	}
	return exitOK
}

// cUnquote is git's unquote_c_style: octal escapes are bytes, and what
// follows the closing quote is ignored.
func cUnquote(q string) (string, bool) {
	if len(q) < 2 || q[0] != '"' {
		return "", false
	}
	var out []byte
	for i := 1; i < len(q); i++ {
		c := q[i]
		switch c {
		case '"':
			return string(out), true
		case '\\':
			i++
			if i >= len(q) {
				return "", false
			}
			if esc, ok := cEscapes[q[i]]; ok {
				out = append(out, esc)
				continue
			}
			if q[i] < '0' || q[i] > '3' || i+2 >= len(q) || !isOctalDigit(q[i+1]) || !isOctalDigit(q[i+2]) {
				return "", false
			}
			out = append(out, (q[i]-'0')<<6|(q[i+1]-'0')<<3|(q[i+2]-'0'))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return "", false
}

var cEscapes = map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\', '"': '"'}

func isOctalDigit(c byte) bool { return c >= '0' && c <= '7' }
