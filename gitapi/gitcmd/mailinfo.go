package gitcmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/libc"
	"github.com/kiln-dev/kiln/gitapi/parseopt"

	"github.com/kiln-dev/kiln/gitapi/mailinfo"
)

var mailinfoSpec = &parseopt.Spec{
	Usage: []string{"git mailinfo [<options>] <msg> <patch> < mail >info"},
	Options: []parseopt.Option{
		{Short: 'k', Help: "keep subject"},
		{Short: 'b', Help: "keep non patch brackets in subject"},
		{Short: 'm', Long: "message-id", Help: "copy Message-ID to the end of commit message"},
		{Short: 'u', NoNegate: true, Help: "re-code metadata to i18n.commitEncoding"},
		{Short: 'n', NoNegate: true, Help: "disable charset re-coding of metadata"},
		{Long: "encoding", TakesArg: true, NoNegate: true, ArgHint: "encoding", Help: "re-code metadata to this encoding"},
		{Long: "scissors", Help: "use scissors"},
		{Long: "quoted-cr", TakesArg: true, NoNegate: true, ArgHint: "<action>", Help: "action when quoted CR is found"},
		{Long: "inbody-headers", Hidden: true, Help: "use headers in message's body"},
	},
}

// mailinfoCharset is git mailinfo's choice of metadata charset policy.
type mailinfoCharset int

const (
	charsetCommitEncoding mailinfoCharset = iota // -u, the default
	charsetNoReencode                            // -n
	charsetExplicit                              // --encoding=X (ignored by git 2.39.5)
)

// mailinfo implements `git mailinfo`: the mail on stdin, the message and
// patch written to the two files named, the info block on stdout.
func (c *command) mailinfo(args []string) int {
	// git reads mailinfo.* and i18n.commitEncoding before parsing the
	// command line, so a bad value wins over a usage error.
	opts, commitEncoding, err := c.mailinfoConfig()
	if err != nil {
		return c.fatalErr(err)
	}
	o, rest, err := mailinfoArgs.parseOnto(mailinfoOptions{opts: opts}, args)
	if err != nil {
		return c.badArgs(mailinfoSpec, err)
	}
	opts, policy := o.opts, o.policy
	if len(rest) != 2 {
		return c.usageOnly(mailinfoSpec)
	}
	switch policy {
	case charsetCommitEncoding:
		opts.MetaEncoding = commitEncoding
	default:
		opts.MetaEncoding = ""
	}
	return c.runMailinfo(opts, rest[0], rest[1])
}

// mailinfoConfig reads what git mailinfo takes from configuration, in
// file order as git's callback sees it: mailinfo.scissors,
// mailinfo.quotedCr and the commit encoding (UTF-8 when unset).
func (c *command) mailinfoConfig() (mailinfo.Options, string, error) {
	opts := mailinfo.DefaultOptions()
	encoding := "UTF-8"
	cfg, err := c.anyConfig()
	if err != nil {
		return opts, encoding, err
	}
	for _, e := range cfg.Entries() {
		switch e.Key {
		case "mailinfo.scissors":
			b, err := gitapi.ParseBool(e.Value, e.HasValue)
			if err != nil {
				return opts, encoding, fmt.Errorf("bad boolean config value '%s' for '%s'", e.Value, e.Key)
			}
			opts.Scissors = b
		case "mailinfo.quotedcr":
			action, ok := mailinfo.ParseQuotedCRAction(e.Value)
			if !ok || !e.HasValue {
				return opts, encoding, &gitapi.PrefixedError{
					ErrorLine: fmt.Sprintf("bad action '%s' for '%s'", e.Value, e.Key),
					Err:       entryBadVariable(e),
				}
			}
			opts.QuotedCR = action
		case "i18n.commitencoding":
			if !e.HasValue {
				return opts, encoding, &gitapi.PrefixedError{
					ErrorLine: fmt.Sprintf("missing value for '%s'", e.Key),
					Err:       entryBadVariable(e),
				}
			}
			encoding = e.Value
		}
	}
	return opts, encoding, nil
}

// entryBadVariable is git's fatal error for a value a config callback
// refused.
func entryBadVariable(e gitapi.ConfigEntry) error {
	if e.Origin == "" {
		return fmt.Errorf("unable to parse '%s' from command-line config", e.Key)
	}
	return fmt.Errorf("bad config variable '%s' in file '%s' at line %d", e.Key, e.Origin, e.Line)
}

// anyConfig is the configuration of the repository, or outside one the
// configuration git reads without a repository.
func (c *command) anyConfig() (*gitapi.Config, error) {
	r, _ := c.openRepo()
	return gitapi.LoadConfig(r, c.opts, gitapi.ConfigSource{})
}

// shownPath is a path argument as git names it after moving to the top
// of the work tree: prefixed with the subdirectory it was given in.
func (c *command) shownPath(arg string) string {
	if filepath.IsAbs(arg) || c.repo == nil {
		return arg
	}
	return c.repo.Prefix() + arg
}

// runMailinfo creates the msg and patch files (before reading the mail,
// as git does), parses the mail and writes git's outputs.
func (c *command) runMailinfo(opts mailinfo.Options, msgArg, patchArg string) int {
	base := gitapi.WorkingDir(c.opts.Dir)
	msgFile, err := c.createShown(gitapi.AbsFrom(base, msgArg), c.shownPath(msgArg))
	if err != nil {
		return 1
	}
	defer msgFile.Close()
	patchFile, err := c.createShown(gitapi.AbsFrom(base, patchArg), c.shownPath(patchArg))
	if err != nil {
		return 1
	}
	defer patchFile.Close()
	info, err := mailinfo.Parse(c.in, opts)
	if err != nil {
		return c.fatal("%v", err)
	}
	if info.Empty {
		c.errorf("empty patch: '%s'", c.shownPath(patchArg))
		return 1
	}
	if _, err := msgFile.Write(info.Message); err != nil {
		return c.fatal("%v", err)
	}
	if _, err := patchFile.Write(info.Patch); err != nil {
		return c.fatal("%v", err)
	}
	for _, d := range info.Diagnostics {
		c.warn(d)
	}
	if err := info.WriteInfo(c.out); err != nil {
		return 1
	}
	return info.ExitCode()
}

// createShown creates or truncates path; on failure it prints perror's
// "shown: reason" line.
func (c *command) createShown(path, shown string) (*os.File, error) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(c.err, "%s: %s\n", shown, libc.Strerror(err))
	}
	return f, err
}

// mailinfoOptions are mailinfo's options: the parser's, from the
// configuration then the command line, and the charset policy.
type mailinfoOptions struct {
	opts   mailinfo.Options
	policy mailinfoCharset
}

// mailinfoArgs parses mailinfo's options.
var mailinfoArgs = &argParser[mailinfoOptions]{
	spec: mailinfoSpec,
	bools: map[string]func(o *mailinfoOptions) *bool{
		"k":          func(o *mailinfoOptions) *bool { return &o.opts.KeepSubject },
		"b":          func(o *mailinfoOptions) *bool { return &o.opts.KeepNonPatchBrackets },
		"message-id": func(o *mailinfoOptions) *bool { return &o.opts.AddMessageID },
		"scissors":   func(o *mailinfoOptions) *bool { return &o.opts.Scissors },
	},
	set: func(o *mailinfoOptions, f parseopt.Parsed) error {
		switch {
		case f.Option.Short == 'u':
			o.policy = charsetCommitEncoding
		case f.Option.Short == 'n':
			o.policy = charsetNoReencode
		case f.Option.Long == "encoding":
			o.policy = charsetExplicit
		case f.Option.Long == "inbody-headers":
			o.opts.NoInbodyHeaders = f.Unset
		case f.Option.Long == "quoted-cr":
			action, ok := mailinfo.ParseQuotedCRAction(f.Value)
			if !ok {
				return &parseopt.Error{Message: fmt.Sprintf("bad action '%s' for '%s'", f.Value, "--quoted-cr")}
			}
			o.opts.QuotedCR = action
		}
		return nil
	},
}
