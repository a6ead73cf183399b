package gitcmd

import (
	"errors"
	"io"

	"github.com/kiln-dev/kiln/gitapi/index"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// writeTree implements `git write-tree`.
func (c *command) writeTree(args []string) int {
	// Words that are not options are ignored, as git does.
	found, _, err := writeTreeSpec.Parse(args, parseopt.Flags{})
	if err != nil {
		return c.usage(writeTreeSpec, err)
	}
	var opts index.WriteTreeOptions
	for _, f := range found {
		switch f.Option.Long {
		case "missing-ok":
			opts.MissingOK = !f.Unset
		case "prefix":
			opts.Prefix = f.Value
		}
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	id, err := r.WriteTreeWith(opts)
	var wte *index.WriteTreeError
	switch {
	case errors.As(err, &wte):
		c.out.Flush()
		io.WriteString(c.err, wte.Error()+"\n")
		return exitFatal
	case err != nil:
		return c.fatalErr(err)
	}
	c.println(id.String())
	return exitOK
}

var writeTreeSpec = &parseopt.Spec{
	Usage: []string{"git write-tree [--missing-ok] [--prefix=<prefix>/]"},
	Options: []parseopt.Option{
		{Long: "missing-ok", Help: "allow missing objects"},
		{Long: "prefix", TakesArg: true, ArgHint: "<prefix>/", Help: "write tree object for a subdirectory <prefix>"},
		{Long: "ignore-cache-tree", Hidden: true, Help: "only useful for debugging"},
	},
}

// writeTreeParses reports whether the face parses args: write-tree leaves --ignore-cache-tree to git.
func writeTreeParses(args []string) bool {
	return !anyArg(args, func(a string) bool { return a == "--ignore-cache-tree" })
}
