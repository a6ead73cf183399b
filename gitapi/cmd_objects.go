package gitapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// The object commands are registered here, with the forms they do not
// serve in-process yet (signing, filters, batch modes), which go to
// Fallback.
func init() {
	commands["commit-tree"] = (*command).commitTree
	commands["hash-object"] = (*command).hashObject
	commands["cat-file"] = (*command).catFile
	commands["write-tree"] = (*command).writeTree
	servedForms["write-tree"] = func(args []string) bool {
		return !anyArg(args, func(a string) bool { return a == "--ignore-cache-tree" })
	}
	servedForms["commit-tree"] = func(args []string) bool {
		return !anyArg(args, func(a string) bool { return strings.HasPrefix(a, "-S") || strings.HasPrefix(a, "--gpg-sign") })
	}
	servedForms["hash-object"] = func(args []string) bool {
		// Without --no-filters, a file's content goes through
		// attributes and core.autocrlf: hashObject hands a file to git
		// when any could apply (Repo.MayConvert).
		return !anyArg(args, func(a string) bool {
			return a == "--stdin-paths" || a == "--literally" || strings.HasPrefix(a, "--path")
		})
	}
	servedForms["cat-file"] = func(args []string) bool {
		// Malformed calls get git's usage, whose option list git
		// prints differently after an error (--mailmap ...): left
		// to git.
		if len(args) != 2 && !(len(args) == 1 && (args[0] == "-h" || args[0] == "--help")) {
			return false
		}
		return !anyArg(args, func(a string) bool {
			return strings.HasPrefix(a, "--batch") || a == "--textconv" || a == "--filters" || strings.HasPrefix(a, "--path") ||
				a == "--use-mailmap" || a == "--mailmap" || a == "--allow-unknown-type"
		})
	}
}

func anyArg(args []string, pred func(string) bool) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if pred(a) {
			return true
		}
	}
	return false
}

var commitTreeSpec = &OptionSpec{
	Usage: []string{
		"git commit-tree <tree> [(-p <parent>)...]",
		"git commit-tree [(-p <parent>)...] [-S[<keyid>]] [(-m <message>)...]\n" +
			"                       [(-F <file>)...] <tree>",
	},
	Options: []Option{
		{Short: 'p', TakesArg: true, NoNegate: true, ArgHint: "parent", Help: "id of a parent commit object"},
		{Short: 'm', TakesArg: true, NoNegate: true, ArgHint: "message", Help: "commit message"},
		{Short: 'F', TakesArg: true, NoNegate: true, ArgHint: "file", Help: "read commit log message from file"},
		{Short: 'S', Long: "gpg-sign", TakesArg: true, OptionalArg: true, ArgHint: "key-id", Help: "GPG sign commit"},
	},
}

// commitTree implements `git commit-tree`: options act in the order
// given (parents are resolved, messages collected as they come).
func (c *command) commitTree(args []string) int {
	// commit-tree answers a lone -h itself, with the usage on stderr.
	if len(args) == 0 || (len(args) == 1 && args[0] == "-h") {
		return c.usageOnly(commitTreeSpec)
	}
	found, rest, err := commitTreeSpec.Parse(args, ParseOptFlags{})
	if err != nil {
		return c.usage(commitTreeSpec, err)
	}
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	var parents []Hash
	var msg bytes.Buffer
	for _, f := range found {
		switch f.Option.Short {
		case 'p':
			id, err := r.Resolve(f.Value)
			if err != nil {
				return c.fatal("not a valid object name %s", f.Value)
			}
			if typ, _, err := r.ReadObject(id); err != nil || typ != "commit" {
				return c.fatal("%s is not a valid 'commit' object", id)
			}
			if containsHash(parents, id) {
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
	switch {
	case errors.Is(err, ErrNULInMessage):
		c.errorf("%v", err)
		return 1
	case err != nil:
		return c.fatal("%v", err)
	}
	if warning != "" {
		c.out.Flush()
		io.WriteString(c.err, warning)
	}
	c.println(id.String())
	return exitOK
}

func containsHash(list []Hash, h Hash) bool {
	for _, x := range list {
		if x == h {
			return true
		}
	}
	return false
}

// completeLine ends the buffer with a newline if it has text without one.
func completeLine(b *bytes.Buffer) {
	if b.Len() > 0 && b.Bytes()[b.Len()-1] != '\n' {
		b.WriteByte('\n')
	}
}

// readMessageFile appends a -F file ("-" is stdin) to msg.
func (c *command) readMessageFile(msg *bytes.Buffer, name string) error {
	if name == "-" {
		_, err := io.Copy(msg, c.in)
		return err
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(dirOrCwd(c.opts.Dir), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("could not open '%s' for reading: %s", name, errnoText(err))
	}
	msg.Write(data)
	return nil
}

// errnoText is the strerror text of a file error, as git prints it.
func errnoText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var hashObjectSpec = &OptionSpec{
	Usage: []string{
		"git hash-object [-t <type>] [-w] [--path=<file> | --no-filters]\n" +
			"                [--stdin [--literally]] [--] <file>...",
		"git hash-object [-t <type>] [-w] --stdin-paths [--no-filters]",
	},
	Options: []Option{
		{Short: 't', TakesArg: true, ArgHint: "type", Help: "object type"},
		{Short: 'w', Help: "write the object into the object database"},
		{Long: "stdin", Help: "read the object from stdin"},
		{Long: "stdin-paths", Help: "read file names from stdin"},
		{Long: "no-filters", NoNegate: true, Help: "store file as is without filters"},
		{Long: "literally", Help: "just hash any random garbage to create corrupt objects for debugging Git"},
		{Long: "path", TakesArg: true, ArgHint: "file", Help: "process file as it were from this path"},
	},
}

// hashObject implements `git hash-object` for content taken as is.
func (c *command) hashObject(args []string) int {
	found, rest, err := hashObjectSpec.Parse(args, ParseOptFlags{})
	if err != nil {
		return c.usage(hashObjectSpec, err)
	}
	typ, write, stdin, filters := "blob", false, false, true
	for _, f := range found {
		switch {
		case f.Option.Short == 't':
			typ = f.Value
		case f.Option.Short == 'w':
			write = !f.Unset
		case f.Option.Long == "stdin":
			stdin = !f.Unset
		case f.Option.Long == "no-filters":
			filters = false
		}
	}
	if filters && len(rest) > 0 && c.mayConvert(rest) {
		return c.fallback("hash-object", args)
	}
	if !validObjectType(typ) {
		return c.fatal("invalid object type \"%s\"", typ)
	}
	var r *Repo
	if write {
		if r, err = c.openRepo(); err != nil {
			return c.fatalErr(err)
		}
	}
	hash := func(data []byte) (Hash, error) {
		if write {
			return r.WriteObject(typ, data)
		}
		return HashObject(typ, data), nil
	}
	var inputs [][]byte
	if stdin {
		data, err := io.ReadAll(c.in)
		if err != nil {
			return c.fatal("could not read from stdin")
		}
		inputs = append(inputs, data)
	}
	for _, name := range rest {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dirOrCwd(c.opts.Dir), path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return c.fatal("could not open '%s' for reading: %s", name, errnoText(err))
		}
		inputs = append(inputs, data)
	}
	for _, data := range inputs {
		id, err := hash(data)
		if err != nil {
			return c.fatal("%v", err)
		}
		c.println(id.String())
	}
	return exitOK
}

// mayConvert reports whether git could convert the content of one of
// these files (hash-object's operands) on the way in: outside a
// repository, or when Repo.MayConvert says so (or cannot tell).
func (c *command) mayConvert(names []string) bool {
	r, err := c.openRepo()
	if err != nil {
		return true
	}
	for _, name := range names {
		p, err := r.PathFromTop(name)
		if err != nil {
			p = "" // outside the work tree: the top's attributes still count
		}
		if may, err := r.MayConvert(p); err != nil || may {
			return true
		}
	}
	return false
}

func validObjectType(t string) bool {
	return t == "blob" || t == "tree" || t == "commit" || t == "tag"
}

// catFileSpec is cat-file's whole option table, for its usage text; the
// batch, filter and mailmap modes are served by Fallback.
var catFileSpec = &OptionSpec{
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
	Options: []Option{
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

// catFile implements `git cat-file` for -t, -s, -e, -p and <type> <object>.
func (c *command) catFile(args []string) int {
	found, rest, err := catFileSpec.Parse(args, ParseOptFlags{})
	if err != nil {
		return c.usage(catFileSpec, err)
	}
	mode := byte(0)
	for _, f := range found {
		mode = f.Option.Short
	}
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
		data, err := r.peelTo(id, typ, data, want)
		if err != nil {
			return c.fatal("git cat-file %s: bad file", name)
		}
		c.out.Write(data)
	}
	return exitOK
}

// peelTo follows commits to their tree and tags to what they tag until an
// object of type want is reached, as `git cat-file <type>` does.
func (r *Repo) peelTo(id Hash, typ string, data []byte, want string) ([]byte, error) {
	for typ != want {
		var next Hash
		switch typ {
		case "commit":
			c, err := parseCommit(data)
			if err != nil {
				return nil, err
			}
			next = c.Tree
		case "tag":
			line, _, _ := bytes.Cut(data, []byte("\n"))
			h, err := ParseHash(strings.TrimPrefix(string(line), "object "))
			if err != nil {
				return nil, err
			}
			next = h
		default:
			return nil, fmt.Errorf("%s is not a %s", id, want)
		}
		var err error
		id = next
		if typ, data, err = r.ReadObject(id); err != nil {
			return nil, err
		}
	}
	return data, nil
}

// printTree writes a tree as `git cat-file -p` does: mode, type, id and
// name per entry.
func (c *command) printTree(r *Repo, data []byte) int {
	entries, err := parseTree(data)
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
		fmt.Fprintf(c.out, "%06s %s %s\t%s\n", e.Mode, typ, e.ID, QuotePath(e.Name))
	}
	return exitOK
}

var writeTreeSpec = &OptionSpec{
	Usage: []string{"git write-tree [--missing-ok] [--prefix=<prefix>/]"},
	Options: []Option{
		{Long: "missing-ok", Help: "allow missing objects"},
		{Long: "prefix", TakesArg: true, ArgHint: "<prefix>/", Help: "write tree object for a subdirectory <prefix>"},
		{Long: "ignore-cache-tree", Hidden: true, Help: "only useful for debugging"},
	},
}

// writeTree implements `git write-tree`.
func (c *command) writeTree(args []string) int {
	// Words that are not options are ignored, as git does.
	found, _, err := writeTreeSpec.Parse(args, ParseOptFlags{})
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
