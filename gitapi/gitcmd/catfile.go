package gitcmd

import (
	"fmt"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// catFile implements `git cat-file` for -t, -s, -e, -p and <type> <object>.
func (c *command) catFile(args []string) int {
	o, rest, err := catFileArgs.parse(args)
	if err != nil {
		return c.badArgs(catFileSpec, err)
	}
	mode := o.mode
	if (mode == 0 && len(rest) != 2) || (mode != 0 && len(rest) != 1) {
		return c.usageOnly(catFileSpec)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	name := rest[len(rest)-1]
	id, err := r.Resolve(name)
	if err != nil {
		if mode == 'e' {
			return c.fatal("Not a valid object name %s", name)
		}
		return c.fatal("Not a valid object name %s", name)
	}
	typ, data, err := r.ReadObject(id)
	if err != nil {
		if mode == 'e' {
			return 1
		}
		return c.fatal("Not a valid object name %s", name)
	}
	switch mode {
	case 'e':
		return exitOK
	case 't':
		c.println(typ)
	case 's':
		c.println(fmt.Sprint(len(data)))
	case 'p':
		if typ == "tree" {
			return c.printTree(r, data)
		}
		c.out.Write(data)
	default:
		want := rest[0]
		data, err := r.PeelTo(id, typ, data, want)
		if err != nil {
			return c.fatal("git cat-file %s: bad file", name)
		}
		c.out.Write(data)
	}
	return exitOK
}

// printTree writes a tree as `git cat-file -p` does: mode, type, id and
// name per entry.
func (c *command) printTree(r *gitapi.Repo, data []byte) int {
	entries, err := gitapi.ParseTree(data)
	if err != nil {
		return c.fatal("%v", err)
	}
	for _, e := range entries {
		typ := "blob"
		switch e.Mode {
		case "40000":
			typ = "tree"
		case "160000":
			typ = "commit"
		}
		fmt.Fprintf(c.out, "%06s %s %s\t%s\n", e.Mode, typ, e.ID, gitapi.QuotePath(e.Name))
	}
	return exitOK
}

// catFileSpec is cat-file's whole option table, for its usage text; the
// batch, filter and mailmap modes are served by gitapi.Fallback.
var catFileSpec = &parseopt.Spec{
	Usage: []string{
		"git cat-file <type> <object>",
		"git cat-file (-e | -p) <object>",
		"git cat-file (-t | -s) [--allow-unknown-type] <object>",
		"git cat-file (--batch | --batch-check | --batch-command) [--batch-all-objects]\n" +
			"                    [--buffer] [--follow-symlinks] [--unordered]\n" +
			"                    [--textconv | --filters] [-z]",
		"git cat-file (--textconv | --filters)\n" +
			"                    [<rev>:<path|tree-ish> | --path=<path|tree-ish> <rev>]",
	},
	Options: []parseopt.Option{
		{Group: true, Help: "Check object existence or emit object contents"},
		{Short: 'e', Help: "check if <object> exists"},
		{Short: 'p', Help: "pretty-print <object> content"},
		{Group: true, Help: "Emit [broken] object attributes"},
		{Short: 't', Help: "show object type (one of 'blob', 'tree', 'commit', 'tag', ...)"},
		{Short: 's', Help: "show object size"},
		{Long: "allow-unknown-type", Help: "allow -s and -t to work with broken/corrupt objects"},
		{Long: "use-mailmap", Help: "use mail map file"},
		{Long: "mailmap", Help: "alias of --use-mailmap"},
		{Group: true, Help: "Batch objects requested on stdin (or --batch-all-objects)"},
		{Long: "batch", TakesArg: true, OptionalArg: true, ArgHint: "format", Help: "show full <object> or <rev> contents"},
		{Long: "batch-check", TakesArg: true, OptionalArg: true, ArgHint: "format", Help: "like --batch, but don't emit <contents>"},
		{Short: 'z', Help: "stdin is NUL-terminated"},
		{Long: "batch-command", TakesArg: true, OptionalArg: true, ArgHint: "format", Help: "read commands from stdin"},
		{Long: "batch-all-objects", Help: "with --batch[-check]: ignores stdin, batches all known objects"},
		{Group: true, Help: "Change or optimize batch output"},
		{Long: "buffer", Help: "buffer --batch output"},
		{Long: "follow-symlinks", Help: "follow in-tree symlinks"},
		{Long: "unordered", Help: "do not order objects before emitting them"},
		{Group: true, Help: "Emit object (blob or tree) with conversion or filter (stand-alone, or with batch)"},
		{Long: "textconv", Help: "run textconv on object's content"},
		{Long: "filters", Help: "run filters on object's content"},
		{Long: "path", TakesArg: true, ArgHint: "blob|tree", Help: "use a <path> for (--textconv | --filters); Not with 'batch'"},
	},
}

// catFileOptions are cat-file's parsed options.
type catFileOptions struct {
	mode  byte // 'e', 'p', 't', 's', or 0 for <type> <object>
	modes int  // how many modes were given
}

// catFileArgs parses cat-file's options. One object query is served;
// batch, filter and mailmap modes, and malformed calls (whose usage git
// prints differently after an error), are left to git.
var catFileArgs = &argParser[catFileOptions]{
	spec: catFileSpec,
	set: func(o *catFileOptions, f parseopt.Parsed) error {
		switch f.Option.Short {
		case 'e', 'p', 't', 's':
			o.mode = f.Option.Short
			o.modes++
			return nil
		}
		return unserved("cat-file", f)
	},
	check: func(o *catFileOptions, rest []string) error {
		if o.modes > 1 || (o.mode == 0 && len(rest) != 2) || (o.mode != 0 && len(rest) != 1) {
			return &UnservedError{Command: "cat-file", Form: strings.Join(rest, " ")}
		}
		return nil
	},
}
