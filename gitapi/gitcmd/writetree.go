package gitcmd

import (
	"github.com/kiln-dev/kiln/gitapi/index"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// writeTree implements `git write-tree`.
func (c *command) writeTree(args []string) int {
	// Words that are not options are ignored, as git does.
	opts, _, err := writeTreeArgs.parse(args)
	if err != nil {
		return c.badArgs(writeTreeArgs.spec, err)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	id, err := r.WriteTreeWith(opts)
	if err != nil {
		c.out.Flush()
		return WriteTreeFailed(c.err, err)
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

// writeTreeArgs parses write-tree's options; --ignore-cache-tree is left
// to git.
var writeTreeArgs = &argParser[index.WriteTreeOptions]{
	spec:  writeTreeSpec,
	bools: map[string]func(o *index.WriteTreeOptions) *bool{"missing-ok": func(o *index.WriteTreeOptions) *bool { return &o.MissingOK }},
	strs:  map[string]func(o *index.WriteTreeOptions) *string{"prefix": func(o *index.WriteTreeOptions) *string { return &o.Prefix }},
	set: func(o *index.WriteTreeOptions, f parseopt.Parsed) error {
		return unserved("write-tree", f) // --ignore-cache-tree
	},
}
