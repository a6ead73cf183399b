package gitapi

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Options says where and with which environment to open a repository.
type Options struct {
	// Dir is the directory to start from, like `git -C Dir`; "" means the
	// process working directory. A relative Dir is taken from the process
	// working directory.
	Dir string
	// Env is the environment as "KEY=value" pairs; nil means the process
	// environment.
	Env []string
	// Session, when set, is the run the call belongs to: Open reuses the
	// repository it found for the same directory and environment, and
	// index files the session holds are served from memory.
	Session *Session
}

// Repo is an opened repository as seen from one working directory. The
// expensive state behind it (object store, configuration) is shared by
// every Repo opened on the same git directory with the same environment.
type Repo struct {
	gitDir    string // absolute git directory
	commonDir string // absolute common directory ($GIT_COMMON_DIR or gitDir)
	workTree  string // absolute work tree, "" when there is none
	prefix    string // cwd relative to workTree with a trailing "/", or ""
	cwd       string // absolute working directory the repo was opened from
	// gitDirShown is the git directory as `git rev-parse --git-dir` prints
	// it: git keeps it relative in some setups and absolute in others.
	gitDirShown string
	// gitDirInternal is the git directory as git holds it internally,
	// relative to the top of the work tree when inside it; paths from
	// `rev-parse --git-path` are built on it.
	gitDirInternal string
	insideGit      bool // the working directory is inside the git directory
	notInsideGit   bool // git reports "not inside" whatever the paths say
	indexFile      string
	env            Env
	shared         *sharedState
	session        *Session // the session it was opened in, or nil
	sessionKey     string   // its key in the session (sessionKey)
	// configSeen is the configuration this Repo found current, or
	// nil: as a git process reads its configuration once, an opened
	// Repo checks the files behind the cached one once (see Config).
	configSeen *configSeen
}

// configSeen is the cached configuration a Repo checked, guarded by
// its sharedState's lock.
type configSeen struct{ config *Config }

// sharedState is the per-git-directory state cached for the process.
type sharedState struct {
	mu     sync.Mutex // guards config and configShown
	config *Config
	// configShown is how the repository that loaded config names its
	// own config files (configShownKey): opens that name them otherwise
	// (".git/config" at the top, an absolute path from elsewhere) load
	// their own, since a bad value's message names the file.
	configShown string
	objects     *objectStore
	packed      packedCache
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*sharedState{}
)

// ErrNotRepository is wrapped by the error Open returns when no repository
// is found; the error's text is git's message without "fatal: ".
var ErrNotRepository = errors.New("not a git repository")

// notRepoError carries git's exact message for a missing repository.
type notRepoError struct{ msg string }

func (e *notRepoError) Error() string { return e.msg }
func (e *notRepoError) Unwrap() error { return ErrNotRepository }

// Open opens the repository git would use when started in opts.Dir with
// opts.Env: $GIT_DIR if set, else the first repository found walking up
// from the directory (stopping at $GIT_CEILING_DIRECTORIES).
func Open(opts Options) (*Repo, error) {
	if opts.Session != nil {
		return opts.Session.open(opts)
	}
	return openRepo(opts)
}

// openRepo is Open without a session.
func openRepo(opts Options) (*Repo, error) {
	env := NewEnv(opts.Env)
	cwd, err := workingDir(opts.Dir)
	if err != nil {
		return nil, err
	}
	var r *Repo
	if gd, ok := env.nonEmpty("GIT_DIR"); ok {
		r, err = openExplicit(env, cwd, gd)
	} else {
		r, err = discover(env, cwd)
	}
	if err != nil {
		return nil, err
	}
	r.finish()
	return r, nil
}

// workingDir returns dir made absolute with symbolic links resolved, as
// getcwd(3) reports it after a chdir.
func workingDir(dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("cannot change to '%s': %w", dir, errors.Unwrap(err))
	}
	return real, nil
}

// openExplicit sets up a repository named by $GIT_DIR (gitDirEnv).
func openExplicit(env Env, cwd, gitDirEnv string) (*Repo, error) {
	gitDir := AbsFrom(cwd, gitDirEnv)
	shown := gitDirEnv
	if target, ok, err := readGitFile(gitDir); err != nil {
		return nil, err
	} else if ok {
		gitDir, shown = target, target
	}
	if !isGitDirectory(gitDir, env) {
		return nil, &notRepoError{fmt.Sprintf("not a git repository: '%s'", gitDirEnv)}
	}
	return setupExplicit(env, cwd, gitDir, shown)
}

// setupExplicit decides the work tree of a repository whose git directory
// is known (from $GIT_DIR, or discovered while $GIT_WORK_TREE or
// core.worktree is set): $GIT_WORK_TREE, else core.worktree, else none for
// a bare repository, else the working directory.
func setupExplicit(env Env, cwd, gitDir, shown string) (*Repo, error) {
	// git never counts these setups as being inside the git directory.
	r := &Repo{gitDir: gitDir, cwd: cwd, gitDirShown: shown, env: env, notInsideGit: true}
	r.commonDir = commonDirOf(env, gitDir)
	bare, coreWorkTree := repoFormat(r.commonDir)
	switch wt, ok := env.nonEmpty("GIT_WORK_TREE"); {
	case ok:
		r.workTree = RealPath(AbsFrom(cwd, wt))
	case bare == 1:
		return r, nil
	case coreWorkTree != "":
		r.workTree = RealPath(AbsFrom(gitDir, coreWorkTree))
	case !env.boolean("GIT_IMPLICIT_WORK_TREE", true):
		return r, nil
	default:
		r.workTree = cwd
	}
	if cwd != r.workTree && isWithin(cwd, r.workTree) {
		// git chdirs to the top of the work tree and so makes the git
		// directory absolute.
		r.prefix = strings.TrimPrefix(cwd, withSlash(r.workTree)) + "/"
		r.gitDirShown = RealPath(gitDir)
	}
	return r, nil
}

// discover walks up from cwd looking for a `.git` entry or a bare
// repository, stopping below the longest of $GIT_CEILING_DIRECTORIES that
// contains cwd.
func discover(env Env, cwd string) (*Repo, error) {
	ceiling := ceilingOf(env, cwd)
	dir := cwd
	for {
		dotGit := filepath.Join(dir, ".git")
		target, isFile, err := readGitFile(dotGit)
		if err != nil {
			return nil, err
		}
		switch {
		case isFile && isGitDirectory(target, env):
			return discovered(env, cwd, dir, target, target)
		case !isFile && isGitDirectory(dotGit, env):
			return discovered(env, cwd, dir, dotGit, ".git")
		case isGitDirectory(dir, env):
			return discoveredBare(env, cwd, dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir || (ceiling != "" && (parent == ceiling || !isWithin(parent, ceiling))) {
			return nil, &notRepoError{"not a git repository (or any of the parent directories): .git"}
		}
		dir = parent
	}
}

// discovered sets up a repository found as top/.git (a directory, or a
// gitfile pointing at gitDir). shown is how git names the git directory
// when the working directory is top.
func discovered(env Env, cwd, top, gitDir, shown string) (*Repo, error) {
	internal := shown
	if cwd != top {
		shown = gitDir
	}
	commonDir := commonDirOf(env, gitDir)
	bare, coreWorkTree := repoFormat(commonDir)
	if _, ok := env.nonEmpty("GIT_WORK_TREE"); ok || coreWorkTree != "" {
		if shown == ".git" {
			shown = gitDir
		}
		return setupExplicit(env, cwd, gitDir, relativeShown(shown, cwd))
	}
	r := &Repo{gitDir: gitDir, commonDir: commonDir, cwd: cwd, gitDirShown: shown, gitDirInternal: internal, env: env}
	if bare == 1 {
		r.gitDirInternal = shown
		return r, nil
	}
	r.workTree = top
	if cwd != top {
		r.prefix = strings.TrimPrefix(cwd, withSlash(top)) + "/"
	}
	return r, nil
}

// relativeShown keeps a discovered git directory relative to cwd when git
// would (it passes ".git" on unchanged when starting at the top).
func relativeShown(shown, cwd string) string {
	if rel, ok := strings.CutPrefix(shown, withSlash(cwd)); ok && rel == ".git" {
		return rel
	}
	return shown
}

// discoveredBare sets up a repository found because dir itself is a git
// directory (a bare repository, or the inside of a `.git`).
func discoveredBare(env Env, cwd, dir string) (*Repo, error) {
	shown := dir
	if cwd == dir {
		shown = "."
	}
	commonDir := commonDirOf(env, dir)
	_, coreWorkTree := repoFormat(commonDir)
	if _, ok := env.nonEmpty("GIT_WORK_TREE"); ok || coreWorkTree != "" {
		return setupExplicit(env, cwd, dir, shown)
	}
	return &Repo{gitDir: dir, commonDir: commonDir, cwd: cwd, gitDirShown: shown, insideGit: true, env: env}, nil
}

// finish fills in what every setup shares: index file, insideGit, and the
// cached per-directory state.
func (r *Repo) finish() {
	if r.gitDirInternal == "" {
		r.gitDirInternal = r.gitDirShown
	}
	if !r.insideGit && !r.notInsideGit {
		r.insideGit = isWithin(r.cwd, RealPath(r.gitDir))
	}
	r.indexFile = filepath.Join(r.gitDir, "index")
	if f, ok := r.env.nonEmpty("GIT_INDEX_FILE"); ok {
		r.indexFile = AbsFrom(r.cwd, f)
	}
	key := strings.Join([]string{r.gitDir, r.commonDir, r.objectDir(), r.configKey()}, "\x00")
	cacheMu.Lock()
	defer cacheMu.Unlock()
	s, ok := cache[key]
	if !ok {
		s = &sharedState{objects: newObjectStore(r.objectDir())}
		cache[key] = s
	}
	r.shared = s
	r.configSeen = &configSeen{}
}

// configKey is the part of the environment that changes what
// configuration a repository sees.
func (r *Repo) configKey() string {
	var b strings.Builder
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM",
		"GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_CONFIG"} {
		v, set := r.env.Lookup(k)
		b.WriteString(fmt.Sprintf("%s=%t:%s\x00", k, set, v))
	}
	// The pairs GIT_CONFIG_COUNT announces (a bogus count is an error
	// when the configuration is read, whatever the key says).
	n, _ := strconv.Atoi(r.env.Get("GIT_CONFIG_COUNT"))
	for i := 0; i < n && i < 10000; i++ {
		b.WriteString(r.env.Get(fmt.Sprintf("GIT_CONFIG_KEY_%d", i)) + "=" +
			r.env.Get(fmt.Sprintf("GIT_CONFIG_VALUE_%d", i)) + "\x00")
	}
	return b.String()
}

// objectDir is $GIT_OBJECT_DIRECTORY or the common directory's objects.
func (r *Repo) objectDir() string {
	if d, ok := r.env.nonEmpty("GIT_OBJECT_DIRECTORY"); ok {
		return AbsFrom(r.cwd, d)
	}
	return filepath.Join(r.commonDir, "objects")
}

// GitDir returns the absolute git directory.
func (r *Repo) GitDir() string { return r.gitDir }

// CommonDir returns the absolute common directory (where objects, refs
// other than HEAD and per-worktree refs, and config live).
func (r *Repo) CommonDir() string { return r.commonDir }

// WorkTree returns the absolute work tree, or "" for a repository without
// one (bare, or opened from inside its git directory).
func (r *Repo) WorkTree() string { return r.workTree }

// Prefix returns the working directory relative to the top of the work
// tree with a trailing slash, "" at the top or outside the work tree.
func (r *Repo) Prefix() string { return r.prefix }

// IndexFile returns the path of the index ($GIT_INDEX_FILE or the git
// directory's index).
func (r *Repo) IndexFile() string { return r.indexFile }

// IsBare reports whether the repository has no work tree and core.bare
// is not false, as `git rev-parse --is-bare-repository` does.
func (r *Repo) IsBare() bool {
	if r.workTree != "" {
		return false
	}
	bare, _ := repoFormat(r.commonDir)
	return bare != 0
}

// IsInsideWorkTree reports whether the working directory is inside the work
// tree.
func (r *Repo) IsInsideWorkTree() bool {
	return r.workTree != "" && isWithin(r.cwd, r.workTree)
}

// IsInsideGitDir reports whether the working directory is inside the git
// directory.
func (r *Repo) IsInsideGitDir() bool { return r.insideGit }

// readGitFile reads a `.git` file ("gitdir: <path>"). It reports ok=false
// without error when path is not a regular file.
func readGitFile(path string) (target string, ok bool, err error) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", false, err
	}
	rest, found := bytes.CutPrefix(data, []byte("gitdir: "))
	if !found {
		return "", false, fmt.Errorf("invalid gitfile format: %s", path)
	}
	dir := strings.TrimRight(string(rest), "\r\n")
	dir = AbsFrom(filepath.Dir(path), dir)
	if _, err := os.Stat(dir); err != nil {
		return "", false, fmt.Errorf("not a git repository: %s", dir)
	}
	return RealPath(dir), true, nil
}

// isGitDirectory tells whether dir looks like a git directory, with git's
// test: a HEAD that is a symbolic ref or an object id, a refs directory,
// and an objects directory (or $GIT_OBJECT_DIRECTORY).
func isGitDirectory(dir string, env Env) bool {
	// Most directories tried during discovery have no HEAD: one stat
	// rules them out.
	if _, err := os.Lstat(filepath.Join(dir, "HEAD")); err != nil {
		return false
	}
	common := commonDirOf(env, dir)
	if _, err := os.Stat(filepath.Join(common, "refs")); err != nil {
		return false
	}
	objects := filepath.Join(common, "objects")
	if d, ok := env.nonEmpty("GIT_OBJECT_DIRECTORY"); ok {
		objects = d
	}
	if _, err := os.Stat(objects); err != nil {
		return false
	}
	return validHEAD(filepath.Join(dir, "HEAD"))
}

// validHEAD checks a HEAD file: "ref: refs/..." or a full object id, or a
// symbolic link into refs/.
func validHEAD(path string) bool {
	if target, err := os.Readlink(path); err == nil {
		return strings.HasPrefix(target, "refs/")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	s := strings.TrimRight(string(data), "\n")
	if rest, ok := strings.CutPrefix(s, "ref:"); ok {
		return strings.HasPrefix(strings.TrimLeft(rest, " \t"), "refs/")
	}
	return len(s) >= HexSize && isHex(s[:HexSize])
}

// commonDirOf returns the common directory of gitDir: $GIT_COMMON_DIR, or
// what gitDir/commondir names (linked worktrees), or gitDir itself.
func commonDirOf(env Env, gitDir string) string {
	if d, ok := env.nonEmpty("GIT_COMMON_DIR"); ok {
		return RealPath(d)
	}
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return gitDir
	}
	return RealPath(AbsFrom(gitDir, strings.TrimRight(string(data), "\n")))
}

// repoFormat reads core.bare (-1 unset, 0 false, 1 true) and core.worktree
// from the repository's own config file, as git does before anything
// else.
func repoFormat(commonDir string) (bare int, workTree string) {
	bare = -1
	f, err := parseConfigFile(filepath.Join(commonDir, "config"), scopeLocal)
	if err != nil {
		return bare, ""
	}
	for _, e := range f {
		switch e.Key {
		case "core.bare":
			if b, err := ParseBool(e.Value, e.HasValue); err == nil {
				bare = map[bool]int{false: 0, true: 1}[b]
			}
		case "core.worktree":
			workTree = e.Value
		}
	}
	return bare, workTree
}

// ceilingOf returns the longest entry of $GIT_CEILING_DIRECTORIES that is a
// proper ancestor of cwd, or "".
func ceilingOf(env Env, cwd string) string {
	best := ""
	resolve := true
	for _, c := range filepath.SplitList(env.Get("GIT_CEILING_DIRECTORIES")) {
		if c == "" {
			// An empty entry stops symbolic links being resolved in
			// the entries after it.
			resolve = false
			continue
		}
		if !filepath.IsAbs(c) {
			continue
		}
		c = filepath.Clean(c)
		if resolve {
			c = RealPath(c)
		}
		if c != cwd && isWithin(cwd, c) && len(c) > len(best) {
			best = c
		}
	}
	return best
}

// AbsFrom makes p absolute relative to base, cleaned.
func AbsFrom(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// RealPath resolves symbolic links in p, or just cleans it when it does
// not exist.
func RealPath(p string) string {
	if real, err := filepath.EvalSymlinks(p); err == nil {
		return real
	}
	return filepath.Clean(p)
}

// isWithin reports whether p is dir or below it.
func isWithin(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, withSlash(dir))
}

// withSlash returns dir with exactly one trailing slash.
func withSlash(dir string) string {
	return strings.TrimSuffix(dir, "/") + "/"
}

// Cwd is the absolute working directory the repository was opened from.
func (r *Repo) Cwd() string { return r.cwd }

// GitDirShown is the git directory as `git rev-parse --git-dir` prints
// it: relative in some setups, absolute in others.
func (r *Repo) GitDirShown() string { return r.gitDirShown }
