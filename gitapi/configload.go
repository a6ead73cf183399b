package gitapi

import (
	"os"
)

// ConfigSource selects the configuration LoadConfig reads, as git
// config's --file, --local, --global and --system do.
type ConfigSource struct {
	// File is a file to read alone (git config --file).
	File string
	// Scope is "local", "global" or "system" to read that scope's files
	// alone, or "" for everything git reads.
	Scope string
	// Includes follows include.path and includeIf when File or Scope
	// is set (git config --includes); the whole configuration always
	// follows them.
	Includes bool
}

// LoadConfig reads the configuration src selects, for r, or outside a
// repository when r is nil (with opts giving the environment and the
// directory): the local scope outside one is ErrNotRepository. A file
// that cannot be parsed gives the entries read before it along with the
// error.
func LoadConfig(r *Repo, opts Options, src ConfigSource) (*Config, error) {
	if src.File == "" && src.Scope == "" {
		if r != nil {
			return r.Config()
		}
		return loadConfigFiles(r, opts, nil, true)
	}
	if src.File != "" {
		if _, err := os.Stat(AbsFrom(WorkingDir(opts.Dir), src.File)); err != nil {
			return nil, Messagef("unable to read config file '%s': No such file or directory", src.File)
		}
		return loadConfigFiles(r, opts, []configFile{{src.File, scopeCommand}}, src.Includes)
	}
	if src.Scope == "local" {
		if r == nil {
			return nil, ErrNotRepository
		}
		return loadConfigFiles(r, opts, []configFile{{r.configPath(r.CommonDir(), "config"), scopeLocal}}, src.Includes)
	}
	probe := &Repo{env: NewEnv(opts.Env), cwd: WorkingDir(opts.Dir)}
	var files []configFile
	for _, f := range probe.configFiles() {
		if (src.Scope == "global" && f.scope == scopeGlobal) || (src.Scope == "system" && f.scope == scopeSystem) {
			files = append(files, f)
		}
	}
	return loadConfigFiles(r, opts, files, src.Includes)
}

// OutsideRepo is a Repo for a command run outside any repository: no
// git directory, the configuration git reads without one (system,
// global, command line), for identities and settings.
func OutsideRepo(opts Options) (*Repo, error) {
	r := &Repo{env: NewEnv(opts.Env), cwd: WorkingDir(opts.Dir), shared: &sharedState{}}
	cfg, err := loadConfigFiles(nil, opts, nil, true)
	r.shared.config = cfg
	return r, err
}

// loadConfigFiles reads the given files (every file git would read
// outside a repository when files is nil) for r, or outside a
// repository when r is nil.
func loadConfigFiles(r *Repo, opts Options, files []configFile, includes bool) (*Config, error) {
	env := NewEnv(opts.Env)
	if r == nil {
		// Outside a repository: includeIf "gitdir:" never matches.
		r = &Repo{env: env, cwd: WorkingDir(opts.Dir)}
	}
	l := &configLoader{repo: r, noIncludes: !includes}
	everything := files == nil
	if everything {
		for _, f := range r.configFiles() {
			if f.scope != scopeLocal {
				files = append(files, f)
			}
		}
	}
	partial := func(err error) (*Config, error) {
		return &Config{entries: l.entries, home: env.Get("HOME"), sources: l.sources}, err
	}
	for _, f := range files {
		if err := l.file(f.path, f.scope, 0); err != nil {
			return partial(err)
		}
	}
	if everything {
		if err := l.commandLine(); err != nil {
			return nil, &PrefixedError{ErrorLine: err.Error(), Err: Messagef("unable to parse command-line config")}
		}
	}
	return &Config{entries: l.entries, home: env.Get("HOME"), sources: l.sources}, nil
}
