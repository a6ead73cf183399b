package gitapi

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// Config is the merged configuration of a repository: system, global,
// repository, worktree and command-line entries in the order git reads
// them, includes expanded in place.
type Config struct {
	entries []ConfigEntry
	home    string // $HOME, for "~/" in paths
	// sources are the files it was read from, and those looked for and
	// not found, as they were then: a cached configuration is read
	// again when one of them changed. Guarded by the sharedState's lock
	// of the repository that cached it.
	sources []configSource
}

// maxIncludeDepth is git's limit on nested includes.
const maxIncludeDepth = 10

// Config returns the repository's configuration, cached for the
// process and read again when one of the files it was read from has
// changed since (or one it looked for and did not find has appeared),
// as git reads them in each process: a script's own edit of a file
// (an append, a copy over it) is seen by its next git call. Each opened
// Repo (Open, a Session's open, WithEnv) stats those files on its first
// call, as a git process reads them once; a file changed within a racy
// window of being read is compared by content (see configSource).
func (r *Repo) Config() (*Config, error) {
	s := r.shared
	s.mu.Lock()
	defer s.mu.Unlock()
	shown := r.configShownKey()
	seen := r.configSeen
	if s.config != nil && s.configShown == shown && seen != nil && seen.config == s.config {
		return s.config, nil
	}
	if s.config == nil || s.configShown != shown || !configCurrent(s.config.sources) {
		c, err := r.loadConfig()
		if err != nil {
			return nil, err
		}
		s.config, s.configShown = c, shown
	}
	if seen != nil {
		seen.config = s.config
	}
	return s.config, nil
}

// configShownKey is how messages name the repository's own config
// files from r; "" outside a repository.
func (r *Repo) configShownKey() string {
	if r.gitDir == "" {
		return ""
	}
	return r.configPath(r.commonDir, "config") + "\x00" + r.configPath(r.gitDir, "config.worktree")
}

// ReloadConfig drops the cached configuration so the next Config call
// reads the files again (after something wrote them).
func (r *Repo) ReloadConfig() {
	r.shared.mu.Lock()
	defer r.shared.mu.Unlock()
	r.shared.config = nil
}

// configLoader reads configuration sources, following includes.
type configLoader struct {
	repo       *Repo
	entries    []ConfigEntry
	noIncludes bool           // --file without --includes
	sources    []configSource // the files read or looked for
}

// loadConfig reads every configuration source of r (those outside a
// repository when it has no git directory, see OutsideRepo).
func (r *Repo) loadConfig() (*Config, error) {
	l := &configLoader{repo: r}
	for _, f := range r.configFiles() {
		if f.scope == scopeLocal && r.gitDir == "" {
			continue
		}
		if err := l.file(f.path, f.scope, 0); err != nil {
			return nil, err
		}
	}
	if r.gitDir != "" && l.worktreeConfigEnabled() {
		if err := l.file(r.configPath(r.gitDir, "config.worktree"), scopeWorktree, 0); err != nil {
			return nil, err
		}
	}
	if err := l.commandLine(); err != nil {
		return nil, &PrefixedError{ErrorLine: err.Error(), Err: Messagef("unable to parse command-line config")}
	}
	return &Config{entries: l.entries, home: r.env.Get("HOME"), sources: l.sources}, nil
}

type configFile struct {
	path  string
	scope configScope
}

// configFiles lists the files git reads, in order.
func (r *Repo) configFiles() []configFile {
	var files []configFile
	if !r.env.boolean("GIT_CONFIG_NOSYSTEM", false) {
		sys := "/etc/gitconfig"
		if p, ok := r.env.nonEmpty("GIT_CONFIG_SYSTEM"); ok {
			sys = p
		}
		files = append(files, configFile{sys, scopeSystem})
	}
	if p, ok := r.env.Lookup("GIT_CONFIG_GLOBAL"); ok {
		if p != "" {
			files = append(files, configFile{p, scopeGlobal})
		}
	} else {
		home := r.env.Get("HOME")
		xdg := filepath.Join(home, ".config", "git", "config")
		if x, ok := r.env.nonEmpty("XDG_CONFIG_HOME"); ok {
			xdg = filepath.Join(x, "git", "config")
		}
		files = append(files, configFile{xdg, scopeGlobal})
		if home != "" {
			files = append(files, configFile{filepath.Join(home, ".gitconfig"), scopeGlobal})
		}
	}
	files = append(files, configFile{r.configPath(r.commonDir, "config"), scopeLocal})
	return files
}

// configPath names a file in dir the way git names it in messages.
func (r *Repo) configPath(dir, name string) string {
	if dir == r.gitDir && !filepath.IsAbs(r.gitDirShown) {
		return filepath.Join(r.gitDirShown, name)
	}
	return filepath.Join(dir, name)
}

// file reads one file and what it includes; a missing file is no error.
func (l *configLoader) file(path string, scope configScope, depth int) error {
	data, src, err := readConfigSource(AbsFrom(l.repo.cwd, path))
	if err != nil {
		return err
	}
	l.sources = append(l.sources, src)
	if !src.stamp.exists {
		return nil
	}
	entries, parseErr := parseConfig(data, path, scope)
	for _, e := range entries {
		l.entries = append(l.entries, e)
		if err := l.include(e, path, depth); err != nil {
			return err
		}
	}
	return parseErr
}

// worktreeConfigEnabled reports whether the repository's own config sets
// extensions.worktreeConfig, which adds config.worktree after it.
func (l *configLoader) worktreeConfigEnabled() bool {
	enabled := false
	for _, e := range l.entries {
		if e.scope == scopeLocal && e.Key == "extensions.worktreeconfig" {
			enabled, _ = ParseBool(e.Value, e.HasValue)
		}
	}
	return enabled
}

// fileExists reports whether stat finds path.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// include follows include.path and a matching includeIf.<cond>.path.
func (l *configLoader) include(e ConfigEntry, from string, depth int) error {
	if !e.HasValue || l.noIncludes {
		return nil
	}
	if e.Key != "include.path" {
		cond, ok := strings.CutPrefix(e.Key, "includeif.")
		cond, ok2 := strings.CutSuffix(cond, ".path")
		if !ok || !ok2 || !l.conditionHolds(cond, from) {
			return nil
		}
	}
	path := expandHome(e.Value, l.repo.env)
	if !filepath.IsAbs(path) {
		if from == "" {
			return errors.New("relative config includes must come from files")
		}
		path = filepath.Join(filepath.Dir(from), path)
	}
	if abs := AbsFrom(l.repo.cwd, path); !fileExists(abs) {
		l.sources = append(l.sources, missingConfigSource(abs))
		return nil
	}
	if depth >= maxIncludeDepth {
		return Messagef("exceeded maximum include depth (%d) while including\n\t%s\nfrom\n\t%s\nThis might be due to circular includes.", maxIncludeDepth, path, from)
	}
	return l.file(path, e.scope, depth+1)
}

// conditionHolds evaluates an includeIf condition.
// The key keeps the subsection's case, so cond is as written.
func (l *configLoader) conditionHolds(cond, from string) bool {
	switch {
	case strings.HasPrefix(cond, "gitdir:"):
		return l.gitDirMatches(strings.TrimPrefix(cond, "gitdir:"), from, false)
	case strings.HasPrefix(cond, "gitdir/i:"):
		return l.gitDirMatches(strings.TrimPrefix(cond, "gitdir/i:"), from, true)
	case strings.HasPrefix(cond, "onbranch:"):
		return l.onBranch(strings.TrimPrefix(cond, "onbranch:"))
	}
	return false
}

// gitDirMatches matches the git directory against an includeIf "gitdir:"
// pattern: "~/" and "./" expand, a relative pattern matches anywhere
// ("**/" is prepended) and a trailing "/" matches everything below.
func (l *configLoader) gitDirMatches(pattern, from string, fold bool) bool {
	switch {
	case strings.HasPrefix(pattern, "~/"):
		pattern = expandHome(pattern, l.repo.env)
	case strings.HasPrefix(pattern, "./"):
		if from == "" {
			return false
		}
		pattern = filepath.Dir(RealPath(AbsFrom(l.repo.cwd, from))) + pattern[1:]
	case !filepath.IsAbs(pattern):
		pattern = "**/" + pattern
	}
	if strings.HasSuffix(pattern, "/") {
		pattern += "**"
	}
	for _, dir := range []string{RealPath(l.repo.gitDir), l.repo.gitDir} {
		if wildmatch(pattern, dir, fold) {
			return true
		}
	}
	return false
}

// onBranch matches the branch HEAD points at against an includeIf
// "onbranch:" pattern.
func (l *configLoader) onBranch(pattern string) bool {
	head := filepath.Join(l.repo.gitDir, "HEAD")
	// What HEAD says decides the configuration from now on: a cached
	// one is read again when HEAD changes.
	if _, src, err := readConfigSource(head); err == nil {
		l.sources = append(l.sources, src)
	}
	target, ok := readSymref(head)
	branch, isBranch := strings.CutPrefix(target, "refs/heads/")
	if !ok || !isBranch {
		return false
	}
	if strings.HasSuffix(pattern, "/") {
		pattern += "**"
	}
	return wildmatch(pattern, branch, false)
}

// commandLine reads GIT_CONFIG_COUNT/KEY_n/VALUE_n, then
// GIT_CONFIG_PARAMETERS.
func (l *configLoader) commandLine() error {
	env := l.repo.env
	if s, ok := env.Lookup("GIT_CONFIG_COUNT"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return errors.New("bogus count in GIT_CONFIG_COUNT")
		}
		for i := 0; i < n; i++ {
			key, ok := env.Lookup(fmt.Sprintf("GIT_CONFIG_KEY_%d", i))
			if !ok {
				return fmt.Errorf("missing config key GIT_CONFIG_KEY_%d", i)
			}
			value, ok := env.Lookup(fmt.Sprintf("GIT_CONFIG_VALUE_%d", i))
			if !ok {
				return fmt.Errorf("missing config value GIT_CONFIG_VALUE_%d", i)
			}
			if err := l.commandEntry(key, value, true); err != nil {
				return err
			}
		}
	}
	params, ok := env.nonEmpty("GIT_CONFIG_PARAMETERS")
	if !ok {
		return nil
	}
	pairs, err := parseConfigParameters(params)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		if err := l.commandEntry(p.key, p.value, p.hasValue); err != nil {
			return err
		}
	}
	return nil
}

// commandEntry adds one command-line entry after checking its key.
func (l *configLoader) commandEntry(key, value string, hasValue bool) error {
	canon, err := CanonicalKey(key)
	if err != nil {
		return err
	}
	e := ConfigEntry{Key: canon, Value: value, HasValue: hasValue, scope: scopeCommand}
	l.entries = append(l.entries, e)
	return l.include(e, "", 0)
}

type paramPair struct {
	key, value string
	hasValue   bool
}

// parseConfigParameters splits GIT_CONFIG_PARAMETERS: shell single-quoted
// words separated by spaces, each either 'key'='value', 'key', or the old
// form 'key=value'.
func parseConfigParameters(s string) ([]paramPair, error) {
	var pairs []paramPair
	bogus := errors.New("bogus format in GIT_CONFIG_PARAMETERS")
	for {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			return pairs, nil
		}
		key, rest, ok := sqDequoteStep(s)
		if !ok {
			return nil, bogus
		}
		var p paramPair
		if after, found := strings.CutPrefix(rest, "="); found {
			if after == "" || after[0] == ' ' {
				p = paramPair{key: key, hasValue: true}
				rest = after
			} else {
				value, r, ok := sqDequoteStep(after)
				if !ok {
					return nil, bogus
				}
				p, rest = paramPair{key: key, value: value, hasValue: true}, r
			}
		} else {
			k, v, found := strings.Cut(key, "=")
			p = paramPair{key: k, value: v, hasValue: found}
		}
		if rest != "" && rest[0] != ' ' {
			return nil, bogus
		}
		pairs = append(pairs, p)
		s = rest
	}
}

// sqDequoteStep reads one word quoted the way git's sq_quote does
// ('...' runs joined by \' and \!), returning it and the rest.
func sqDequoteStep(s string) (word, rest string, ok bool) {
	var b strings.Builder
	for {
		if s == "" || s[0] != '\'' {
			return "", "", false
		}
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", "", false
		}
		b.WriteString(s[1 : 1+end])
		s = s[2+end:]
		if len(s) >= 3 && s[0] == '\\' && (s[1] == '\'' || s[1] == '!') && s[2] == '\'' {
			b.WriteByte(s[1])
			s = s[2:]
			continue
		}
		return b.String(), s, true
	}
}

// KeyError is returned for a malformed configuration key; its text is
// git's message.
type KeyError struct{ msg string }

// Error is the message for the key.
func (e *KeyError) Error() string { return e.msg }

// CanonicalKey checks a "section[.subsection].name" key the way git does
// and returns it with section and name lower-cased (the subsection keeps
// its case).
func CanonicalKey(key string) (string, error) {
	last := strings.LastIndexByte(key, '.')
	if last <= 0 {
		return "", &KeyError{"key does not contain a section: " + key}
	}
	if last == len(key)-1 {
		return "", &KeyError{"key does not contain variable name: " + key}
	}
	first := strings.IndexByte(key, '.')
	section, name := key[:first], key[last+1:]
	sub := ""
	if first < last {
		sub = key[first+1 : last]
	}
	if !validKeyPart(section) || !validKeyPart(name) || !isAlpha(name[0]) || strings.Contains(sub, "\n") {
		return "", &KeyError{"invalid key: " + key}
	}
	canon := strings.ToLower(section) + "."
	if first < last {
		canon += sub + "."
	}
	return canon + strings.ToLower(name), nil
}

// validKeyPart reports whether s is a non-empty run of key characters.
func validKeyPart(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isKeyChar(s[i]) {
			return false
		}
	}
	return true
}

// Get returns the last value of key (canonical or not) and whether the key
// is set. A valueless `key` line reads as "".
func (c *Config) Get(key string) (string, bool) {
	e, ok := c.Last(key)
	return e.Value, ok
}

// GetAll returns every value of key in order.
func (c *Config) GetAll(key string) []string {
	canon, err := CanonicalKey(key)
	if err != nil {
		return nil
	}
	var values []string
	for _, e := range c.entries {
		if e.Key == canon {
			values = append(values, e.Value)
		}
	}
	return values
}

// Last returns the last entry for key.
func (c *Config) Last(key string) (ConfigEntry, bool) {
	canon, err := CanonicalKey(key)
	if err != nil {
		return ConfigEntry{}, false
	}
	for i := len(c.entries) - 1; i >= 0; i-- {
		if c.entries[i].Key == canon {
			return c.entries[i], true
		}
	}
	return ConfigEntry{}, false
}

// Bool returns key as a boolean with git's truth values (true/yes/on/1 and
// any non-zero integer, false/no/off/0/""; a valueless key is true); an
// unset key is def.
func (c *Config) Bool(key string, def bool) (bool, error) {
	e, ok := c.Last(key)
	if !ok {
		return def, nil
	}
	b, err := ParseBool(e.Value, e.HasValue)
	if err != nil {
		return false, fmt.Errorf("bad boolean config value '%s' for '%s'", e.Value, key)
	}
	return b, nil
}

// Int returns key as an integer, accepting git's k, m and g suffixes; an
// unset key is def.
func (c *Config) Int(key string, def int64) (int64, error) {
	e, ok := c.Last(key)
	if !ok {
		return def, nil
	}
	n, err := ParseInt(e.Value, e.HasValue)
	if err != nil {
		return 0, e.NumberError(key, err)
	}
	return n, nil
}

// Path returns key as a path with a leading "~/" or "~user/" expanded; ok
// is false when the key is unset.
func (c *Config) Path(key string) (path string, ok bool, err error) {
	e, ok := c.Last(key)
	if !ok {
		return "", false, nil
	}
	expanded, err := ExpandUserPath(e.Value, Env{"HOME": c.home})
	return expanded, true, err
}

// BadVariable is git's fatal error for a value of key a command refuses
// as it reads its configuration: it names the file and line of the value
// in effect, as git's config reader does when a callback fails.
func (c *Config) BadVariable(key string) error {
	e, ok := c.Last(key)
	if !ok || e.Origin == "" {
		return fmt.Errorf("unable to parse command-line config")
	}
	return fmt.Errorf("bad config variable '%s' in file '%s' at line %d", e.Key, e.Origin, e.Line)
}

// NumberError is git's message for a value that is not a number.
// Values from the command line (and --default) name no origin.
func (e ConfigEntry) NumberError(key string, err error) error {
	if e.Origin == "" {
		return fmt.Errorf("bad numeric config value '%s' for '%s': %v", e.Value, key, err)
	}
	return fmt.Errorf("bad numeric config value '%s' for '%s' in file %s: %v", e.Value, key, e.Origin, err)
}

// ParseBool applies git's truth values; a missing value is true.
func ParseBool(v string, hasValue bool) (bool, error) {
	if !hasValue {
		return true, nil
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off", "":
		return false, nil
	}
	n, err := ParseInt(v, true)
	if err != nil {
		return false, err
	}
	return n != 0, nil
}

// errInvalidUnit and errOutOfRange are git's reasons for a bad number.
var (
	errInvalidUnit = errors.New("invalid unit")
	errOutOfRange  = errors.New("out of range")
)

// ParseInt parses a decimal (or 0x/0 prefixed) integer with an optional
// k/m/g suffix, the way git_parse_int64 does.
func ParseInt(v string, hasValue bool) (int64, error) {
	if !hasValue || v == "" {
		return 0, errInvalidUnit
	}
	digits, factor := v, int64(1)
	switch strings.ToLower(v[len(v)-1:]) {
	case "k":
		digits, factor = v[:len(v)-1], 1<<10
	case "m":
		digits, factor = v[:len(v)-1], 1<<20
	case "g":
		digits, factor = v[:len(v)-1], 1<<30
	}
	n, err := strconv.ParseInt(strings.TrimLeft(digits, " \t"), 0, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, errOutOfRange
		}
		return 0, errInvalidUnit
	}
	if n > math.MaxInt64/factor || n < math.MinInt64/factor {
		return 0, errOutOfRange
	}
	return n * factor, nil
}

// expandHome expands a leading "~/" from $HOME (env, or the process's
// when env is nil).
func expandHome(p string, env Env) string {
	expanded, err := ExpandUserPath(p, env)
	if err != nil {
		return p
	}
	return expanded
}

// ExpandUserPath expands "~", "~/...", "~user" and "~user/..." as git's
// expand_user_path does, failing for an unknown user.
func ExpandUserPath(p string, env Env) (string, error) {
	after, ok := strings.CutPrefix(p, "~")
	if !ok {
		return p, nil
	}
	name, rest, hasSlash := strings.Cut(after, "/")
	home := os.Getenv("HOME")
	if env != nil {
		home = env.Get("HOME")
	}
	if name != "" {
		u, err := user.Lookup(name)
		if err != nil {
			return "", Messagef("failed to expand user dir in: '%s'", p)
		}
		home = u.HomeDir
	}
	if !hasSlash {
		return home, nil
	}
	return strings.TrimSuffix(home, "/") + "/" + rest, nil
}

// Entries are every entry of the configuration, in the order git reads
// them (system, global, local, worktree, command line).
func (c *Config) Entries() []ConfigEntry { return c.entries }
