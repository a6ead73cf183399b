package gitcmd

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// configSpec is `git config`'s option table (for its usage text and
// parsing).
var configSpec = &parseopt.Spec{
	Usage: []string{"git config [<options>]"},
	Options: []parseopt.Option{
		{Group: true, Help: "Config file location"},
		{Long: "global", Help: "use global config file"},
		{Long: "system", Help: "use system config file"},
		{Long: "local", Help: "use repository config file"},
		{Long: "worktree", Help: "use per-worktree config file"},
		{Short: 'f', Long: "file", TakesArg: true, ArgHint: "file", Help: "use given config file"},
		{Long: "blob", TakesArg: true, ArgHint: "blob-id", Help: "read config from given blob object"},
		{Group: true, Help: "Action"},
		{Long: "get", Help: "get value: name [value-pattern]"},
		{Long: "get-all", Help: "get all values: key [value-pattern]"},
		{Long: "get-regexp", Help: "get values for regexp: name-regex [value-pattern]"},
		{Long: "get-urlmatch", Help: "get value specific for the URL: section[.var] URL"},
		{Long: "replace-all", Help: "replace all matching variables: name value [value-pattern]"},
		{Long: "add", Help: "add a new variable: name value"},
		{Long: "unset", Help: "remove a variable: name [value-pattern]"},
		{Long: "unset-all", Help: "remove all matches: name [value-pattern]"},
		{Long: "rename-section", Help: "rename section: old-name new-name"},
		{Long: "remove-section", Help: "remove a section: name"},
		{Short: 'l', Long: "list", Help: "list all"},
		{Long: "fixed-value", Help: "use string equality when comparing values to 'value-pattern'"},
		{Short: 'e', Long: "edit", Help: "open an editor"},
		{Long: "get-color", Help: "find the color configured: slot [default]"},
		{Long: "get-colorbool", Help: "find the color setting: slot [stdout-is-tty]"},
		{Group: true, Help: "Type"},
		{Short: 't', Long: "type", TakesArg: true, ArgHint: "type", Help: "value is given this type"},
		{Long: "bool", Help: "value is \"true\" or \"false\""},
		{Long: "int", Help: "value is decimal number"},
		{Long: "bool-or-int", Help: "value is --bool or --int"},
		{Long: "bool-or-str", Help: "value is --bool or string"},
		{Long: "path", Help: "value is a path (file or directory name)"},
		{Long: "expiry-date", Help: "value is an expiry date"},
		{Group: true, Help: "Other"},
		{Short: 'z', Long: "null", Help: "terminate values with NUL byte"},
		{Long: "name-only", Help: "show variable names only"},
		{Long: "includes", Help: "respect include directives on lookup"},
		{Long: "show-origin", Help: "show origin of config (file, standard input, blob, command line)"},
		{Long: "show-scope", Help: "show scope of config (worktree, local, global, system, command)"},
		{Long: "default", TakesArg: true, ArgHint: "value", Help: "with --get, use default value when missing entry"},
	},
}

// configCmd is the state of one `git config` run.
type configCmd struct {
	action             string // "get", "get-all", "get-regexp", "list"
	typ                string // "", "bool", "int", "bool-or-int", "bool-or-str", "path"
	file               string
	scope              string // "", "global", "system", "local"
	nameOnly, nul      bool
	includes           int // -1 default, 0 off, 1 on
	def                string
	hasDefault         bool
	unsupportedOptions []string
	home               string
}

// config implements the reading side of `git config`.
func (c *command) config(args []string) int {
	o, rest, err := configArgs.parse(args)
	if err != nil {
		return c.badArgs(configSpec, err)
	}
	cc := &o
	cc.home = c.env.Get("HOME")
	if len(cc.unsupportedOptions) > 0 {
		return c.fatal("git config %s is not implemented in-process by gitapi", cc.unsupportedOptions[0])
	}
	if cc.action == "" {
		switch len(rest) {
		case 0:
			return c.usageOnly(configSpec)
		case 1, 2:
			if len(rest) == 2 && cc.action == "" {
				return c.fatal("git config: writing is not implemented in-process by gitapi")
			}
			cc.action = "get"
		default:
			return c.fatal("git config: writing is not implemented in-process by gitapi")
		}
	}
	switch {
	case cc.nameOnly && cc.action != "list" && cc.action != "get-regexp":
		c.errorf("--name-only is only applicable to --list or --get-regexp")
		return c.usageOnly(configSpec)
	case cc.hasDefault && cc.action != "get":
		c.errorf("--default is only applicable to --get")
		return c.usageOnly(configSpec)
	}
	return cc.run(c, rest)
}

// set applies one option.
func (cc *configCmd) set(f parseopt.Parsed) error {
	name := f.Option.Long
	switch name {
	case "get", "get-all", "get-regexp", "list":
		if cc.action != "" && cc.action != name {
			return &parseopt.Error{Message: "only one action at a time", ShowUsage: true}
		}
		cc.action = name
	case "global", "system", "local":
		cc.scope = name
	case "file":
		cc.file = f.Value
	case "bool", "int", "bool-or-int", "bool-or-str", "path":
		if cc.typ != "" && cc.typ != name {
			return &parseopt.Error{Message: "only one type at a time", ShowUsage: true}
		}
		cc.typ = name
	case "type":
		switch f.Value {
		case "bool", "int", "bool-or-int", "bool-or-str", "path":
			cc.typ = f.Value
		default:
			return fmt.Errorf("unrecognized --type argument, %s", f.Value)
		}
	case "null":
		cc.nul = true
	case "name-only":
		cc.nameOnly = true
	case "includes":
		cc.includes = map[bool]int{true: 0, false: 1}[f.Unset]
	case "default":
		cc.def, cc.hasDefault = f.Value, true
	default:
		cc.unsupportedOptions = append(cc.unsupportedOptions, "--"+name)
	}
	return nil
}

// run performs the read action.
func (cc *configCmd) run(c *command, args []string) int {
	want := map[string][2]int{"get": {1, 2}, "get-all": {1, 2}, "get-regexp": {1, 2}, "list": {0, 0}}[cc.action]
	if len(args) < want[0] || len(args) > want[1] {
		c.errorf("wrong number of arguments, should be %s", argCountText(want))
		return c.usageOnly(configSpec)
	}
	cfg, err := cc.load(c)
	if cc.action == "list" && cfg != nil {
		// git lists entries as it parses them: those before a syntax
		// error are printed.
		for _, e := range cfg.Entries() {
			c.out.WriteString(cc.format(e, "=", true))
		}
	}
	if err != nil {
		return c.fatalErr(err)
	}
	if cc.action == "list" {
		return exitOK
	}
	match, err := cc.matcher(args)
	if err != nil {
		c.errorf("%s", err.Error())
		return 1
	}
	return cc.print(c, cfg, args[0], match)
}

// argCountText is git's wording of an argument count.
func argCountText(want [2]int) string {
	if want[0] == want[1] {
		return strconv.Itoa(want[0])
	}
	return fmt.Sprintf("from %d to %d", want[0], want[1])
}

// load reads the configuration the options select.
func (cc *configCmd) load(c *command) (*gitapi.Config, error) {
	r, _ := c.openRepo()
	cfg, err := gitapi.LoadConfig(r, c.opts, gitapi.ConfigSource{File: cc.file, Scope: cc.scope, Includes: cc.includes == 1})
	if errors.Is(err, gitapi.ErrNotRepository) {
		err = errors.New("--local can only be used inside a git repository")
	}
	return cfg, err
}

// matcher builds the entry filter of a get action.
func (cc *configCmd) matcher(args []string) (func(gitapi.ConfigEntry) bool, error) {
	var keyMatch func(string) bool
	if cc.action == "get-regexp" {
		re, err := regexp.Compile(lowerKeyPattern(args[0]))
		if err != nil {
			return nil, fmt.Errorf("invalid key pattern: %s", args[0])
		}
		keyMatch = re.MatchString
	} else {
		canon, err := gitapi.CanonicalKey(args[0])
		if err != nil {
			return nil, err
		}
		keyMatch = func(k string) bool { return k == canon }
	}
	valueMatch := func(gitapi.ConfigEntry) bool { return true }
	if len(args) == 2 {
		pattern, negate := strings.CutPrefix(args[1], "!")
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("invalid pattern: %s", args[1])
		}
		valueMatch = func(e gitapi.ConfigEntry) bool { return e.HasValue && re.MatchString(e.Value) != negate }
	}
	return func(e gitapi.ConfigEntry) bool { return keyMatch(e.Key) && valueMatch(e) }, nil
}

// lowerKeyPattern lower-cases the section and variable parts of a key
// regexp, as git does before matching canonical keys.
func lowerKeyPattern(p string) string {
	first := strings.IndexByte(p, '.')
	last := strings.LastIndexByte(p, '.')
	if first < 0 {
		return strings.ToLower(p)
	}
	return strings.ToLower(p[:first]) + p[first:last] + strings.ToLower(p[last:])
}

// print shows the matching entries (the last one for --get) and returns
// 1 when nothing matched.
func (cc *configCmd) print(c *command, cfg *gitapi.Config, key string, match func(gitapi.ConfigEntry) bool) int {
	var lines []string
	showKeys := cc.action == "get-regexp"
	for _, e := range cfg.Entries() {
		if !match(e) {
			continue
		}
		line, err := cc.formatTyped(e, showKeys)
		if err != nil {
			return c.fatalErr(err)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 && cc.hasDefault && cc.action == "get" {
		// git formats the default after reading the configuration, so
		// its errors name the key and no origin.
		line, err := cc.formatTyped(gitapi.ConfigEntry{Key: key, Value: cc.def, HasValue: true}, false)
		if err != nil {
			return c.fatalErr(err)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return 1
	}
	if cc.action == "get" {
		lines = lines[len(lines)-1:]
	}
	for _, l := range lines {
		c.out.WriteString(l)
	}
	return exitOK
}

// formatTyped formats an entry with the requested type.
func (cc *configCmd) formatTyped(e gitapi.ConfigEntry, showKeys bool) (string, error) {
	if cc.typ == "" || cc.nameOnly {
		return cc.format(e, " ", showKeys), nil
	}
	v, err := typedValue(e, cc.typ, cc.home)
	if err != nil {
		return "", err
	}
	typed := e
	typed.Value, typed.HasValue = v, true
	return cc.format(typed, " ", showKeys), nil
}

// typedValue converts an entry's value the way `git config --type` does.
func typedValue(e gitapi.ConfigEntry, typ, home string) (string, error) {
	switch typ {
	case "bool":
		b, err := gitapi.ParseBool(e.Value, e.HasValue)
		if err != nil {
			return "", fmt.Errorf("bad boolean config value '%s' for '%s'", e.Value, e.Key)
		}
		return strconv.FormatBool(b), nil
	case "int":
		n, err := gitapi.ParseInt(e.Value, e.HasValue)
		if err != nil {
			return "", e.NumberError(e.Key, err)
		}
		return strconv.FormatInt(n, 10), nil
	case "bool-or-int":
		if b, ok := maybeBool(e); ok {
			return strconv.FormatBool(b), nil
		}
		n, err := gitapi.ParseInt(e.Value, e.HasValue)
		if err != nil {
			return "", e.NumberError(e.Key, err)
		}
		return strconv.FormatInt(n, 10), nil
	case "bool-or-str":
		if b, ok := maybeBool(e); ok {
			return strconv.FormatBool(b), nil
		}
		return e.Value, nil
	case "path":
		if !e.HasValue {
			return "", &gitapi.PrefixedError{ErrorLine: fmt.Sprintf("missing value for '%s'", e.Key), Err: e.BadLine()}
		}
		return gitapi.ExpandUserPath(e.Value, gitapi.Env{"HOME": home})
	}
	return e.Value, nil
}

// maybeBool recognizes only the textual truth values.
func maybeBool(e gitapi.ConfigEntry) (bool, bool) {
	if !e.HasValue {
		return true, true
	}
	switch strings.ToLower(e.Value) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off", "":
		return false, true
	}
	return false, false
}

// format prints an entry: "key<delim>value", the key alone for a
// valueless entry or with --name-only, the value alone without keys.
func (cc *configCmd) format(e gitapi.ConfigEntry, delim string, showKeys bool) string {
	end := "\n"
	if cc.nul {
		end = "\x00"
		delim = "\n"
	}
	switch {
	case showKeys && (cc.nameOnly || !e.HasValue):
		return e.Key + end
	case showKeys:
		return e.Key + delim + e.Value + end
	}
	return e.Value + end
}

// configArgs parses git config's options. Only reads are served:
// writes, edits, colors, URL matches, origins, scopes shown and
// configuration from stdin are left to git.
var configArgs = &argParser[configCmd]{
	spec:  configSpec,
	flags: parseopt.Flags{StopAtNonOption: true},
	init:  configCmd{includes: -1},
	set:   (*configCmd).set,
	check: func(cc *configCmd, rest []string) error {
		switch {
		case len(cc.unsupportedOptions) > 0:
			return &UnservedError{Command: "config", Form: cc.unsupportedOptions[0]}
		case cc.file == "-":
			return &UnservedError{Command: "config", Form: "--file -"}
		case cc.action == "" && len(rest) > 1:
			return &UnservedError{Command: "config", Form: strings.Join(rest, " ")}
		}
		return nil
	},
}
