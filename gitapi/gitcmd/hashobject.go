package gitcmd

import (
	"io"
	"os"
	"path/filepath"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/libc"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// hashObject implements `git hash-object` for content taken as is.
func (c *command) hashObject(args []string) int {
	o, rest, err := hashObjectArgs.parse(args)
	if err != nil {
		return c.badArgs(hashObjectSpec, err)
	}
	typ, write, stdin := "blob", o.write, o.stdin
	if o.typed {
		typ = o.typ
	}
	if !o.noFilters && len(rest) > 0 && c.mayConvert(rest) {
		return c.fallback("hash-object", args)
	}
	if !validObjectType(typ) {
		return c.fatal("invalid object type \"%s\"", typ)
	}
	var r *gitapi.Repo
	if write {
		if r, err = c.openRepo(); err != nil {
			return c.fatalErr(err)
		}
	}
	hash := func(data []byte) (gitapi.Hash, error) {
		if write {
			return r.WriteObject(typ, data)
		}
		return gitapi.HashObject(typ, data), nil
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
			path = filepath.Join(gitapi.WorkingDir(c.opts.Dir), path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return c.fatal("could not open '%s' for reading: %s", name, libc.Strerror(err))
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

var hashObjectSpec = &parseopt.Spec{
	Usage: []string{
		"git hash-object [-t <type>] [-w] [--path=<file> | --no-filters]\n" +
			"                [--stdin [--literally]] [--] <file>...",
		"git hash-object [-t <type>] [-w] --stdin-paths [--no-filters]",
	},
	Options: []parseopt.Option{
		{Short: 't', TakesArg: true, ArgHint: "type", Help: "object type"},
		{Short: 'w', Help: "write the object into the object database"},
		{Long: "stdin", Help: "read the object from stdin"},
		{Long: "stdin-paths", Help: "read file names from stdin"},
		{Long: "no-filters", NoNegate: true, Help: "store file as is without filters"},
		{Long: "literally", Help: "just hash any random garbage to create corrupt objects for debugging Git"},
		{Long: "path", TakesArg: true, ArgHint: "file", Help: "process file as it were from this path"},
	},
}

func validObjectType(t string) bool {
	return t == "blob" || t == "tree" || t == "commit" || t == "tag"
}

// hashObjectOptions are hash-object's parsed options.
type hashObjectOptions struct {
	typ                     string // -t
	typed                   bool   // -t given (else a blob)
	write, stdin, noFilters bool
}

// hashObjectArgs parses hash-object's options. Content is taken as is:
// --stdin-paths, --literally and --path are left to git; files without
// --no-filters are hashed here unless attributes or core.autocrlf may
// convert them (hashObject hands those to git, counted).
var hashObjectArgs = &argParser[hashObjectOptions]{
	spec: hashObjectSpec,
	bools: map[string]func(o *hashObjectOptions) *bool{
		"w":          func(o *hashObjectOptions) *bool { return &o.write },
		"stdin":      func(o *hashObjectOptions) *bool { return &o.stdin },
		"no-filters": func(o *hashObjectOptions) *bool { return &o.noFilters },
	},
	set: func(o *hashObjectOptions, f parseopt.Parsed) error {
		switch {
		case f.Option.Short == 't':
			o.typ, o.typed = f.Value, true
		case f.Option.Long == "path", !f.Unset: // --stdin-paths, --literally
			return unserved("hash-object", f)
		}
		return nil
	},
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
