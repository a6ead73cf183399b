package gitcmd

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/libc"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// commitTree implements `git commit-tree`: options act in the order
// given (parents are resolved, messages collected as they come).
func (c *command) commitTree(args []string) int {
	// commit-tree answers a lone -h itself, with the usage on stderr.
	if len(args) == 0 || (len(args) == 1 && args[0] == "-h") {
		return c.usageOnly(commitTreeSpec)
	}
	o, rest, err := commitTreeArgs.parse(args)
	if err != nil {
		return c.badArgs(commitTreeSpec, err)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	var parents []gitapi.Hash
	var msg bytes.Buffer
	for _, f := range o.steps {
		switch f.Option.Short {
		case 'p':
			id, err := r.Resolve(f.Value)
			if err != nil {
				return c.fatal("not a valid object name %s", f.Value)
			}
			if typ, _, err := r.ReadObject(id); err != nil || typ != "commit" {
				return c.fatal("%s is not a valid 'commit' object", id)
			}
			if slices.Contains(parents, id) {
				c.errorf("duplicate parent %s ignored", id)
				continue
			}
			parents = append(parents, id)
		case 'm':
			if msg.Len() > 0 {
				msg.WriteByte('\n')
			}
			msg.WriteString(f.Value)
			completeLine(&msg)
		case 'F':
			if msg.Len() > 0 {
				msg.WriteByte('\n')
			}
			if err := c.readMessageFile(&msg, f.Value); err != nil {
				return c.fatal("%v", err)
			}
		}
	}
	if len(rest) != 1 {
		return c.fatal("must give exactly one tree")
	}
	tree, err := r.Resolve(rest[0])
	if err != nil {
		return c.fatal("not a valid object name %s", rest[0])
	}
	if msg.Len() == 0 {
		if _, err := io.Copy(&msg, c.in); err != nil {
			return c.fatal("git commit-tree: failed to read")
		}
	}
	id, warning, err := r.CommitTree(tree, parents, msg.Bytes())
	if err != nil {
		return CommitTreeFailed(c.err, err)
	}
	if warning != "" {
		c.out.Flush()
		io.WriteString(c.err, warning)
	}
	c.println(id.String())
	return exitOK
}

// readMessageFile appends a -F file ("-" is stdin) to msg.
func (c *command) readMessageFile(msg *bytes.Buffer, name string) error {
	if name == "-" {
		_, err := io.Copy(msg, c.in)
		return err
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(gitapi.WorkingDir(c.opts.Dir), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("could not open '%s' for reading: %s", name, libc.Strerror(err))
	}
	msg.Write(data)
	return nil
}

var commitTreeSpec = &parseopt.Spec{
	Usage: []string{
		"git commit-tree <tree> [(-p <parent>)...]",
		"git commit-tree [(-p <parent>)...] [-S[<keyid>]] [(-m <message>)...]\n" +
			"                       [(-F <file>)...] <tree>",
	},
	Options: []parseopt.Option{
		{Short: 'p', TakesArg: true, NoNegate: true, ArgHint: "parent", Help: "id of a parent commit object"},
		{Short: 'm', TakesArg: true, NoNegate: true, ArgHint: "message", Help: "commit message"},
		{Short: 'F', TakesArg: true, NoNegate: true, ArgHint: "file", Help: "read commit log message from file"},
		{Short: 'S', Long: "gpg-sign", TakesArg: true, OptionalArg: true, ArgHint: "key-id", Help: "GPG sign commit"},
	},
}

// completeLine ends the buffer with a newline if it has text without one.
func completeLine(b *bytes.Buffer) {
	if b.Len() > 0 && b.Bytes()[b.Len()-1] != '\n' {
		b.WriteByte('\n')
	}
}

// commitTreeOptions are commit-tree's options, in the order given: -p
// and -m/-F act as they come.
type commitTreeOptions struct{ steps []parseopt.Parsed }

// commitTreeArgs parses commit-tree's options; signing (-S, --gpg-sign)
// is left to git.
var commitTreeArgs = &argParser[commitTreeOptions]{
	spec: commitTreeSpec,
	set: func(o *commitTreeOptions, f parseopt.Parsed) error {
		if f.Option.Short == 'S' && !f.Unset {
			return unserved("commit-tree", f)
		}
		o.steps = append(o.steps, f)
		return nil
	},
}
