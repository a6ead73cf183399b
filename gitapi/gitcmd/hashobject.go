package gitcmd

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// hashObject implements `git hash-object` for content taken as is.
func (c *command) hashObject(args []string) int {
	found, rest, err := hashObjectSpec.Parse(args, parseopt.Flags{})
	if err != nil {
		return c.usage(hashObjectSpec, err)
	}
	typ, write, stdin := "blob", false, false
	for _, f := range found {
		switch {
		case f.Option.Short == 't':
			typ = f.Value
		case f.Option.Short == 'w':
			write = !f.Unset
		case f.Option.Long == "stdin":
			stdin = !f.Unset
		}
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
			return c.fatal("could not open '%s' for reading: %s", name, gitapi.Strerror(err))
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

// hasPathArgs reports whether hash-object is given file names (its
// arguments other than options and the -t type).
func hasPathArgs(args []string) bool {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-t":
			i++
		case a == "--":
			return i+1 < len(args)
		case strings.HasPrefix(a, "-") && a != "-":
		default:
			return true
		}
	}
	return false
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

// hashObjectParses reports whether the face parses args: hash-object takes content as is: --stdin-paths, --literally, --path and
// files without --no-filters (attributes, core.autocrlf) go to git.
func hashObjectParses(args []string) bool {
	// Without --no-filters, a path's content goes through
	// attributes and core.autocrlf, not done in-process yet.
	return !anyArg(args, func(a string) bool {
		return a == "--stdin-paths" || a == "--literally" || strings.HasPrefix(a, "--path")
	}) &&
		(anyArg(args, func(a string) bool { return a == "--no-filters" }) || !hasPathArgs(args))
}
