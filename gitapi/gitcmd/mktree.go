package gitcmd

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

var mkTreeSpec = &parseopt.Spec{
	Usage: []string{"git mktree [-z] [--missing] [--batch]"},
	Options: []parseopt.Option{
		{Short: 'z', Help: "input is NUL terminated"},
		{Long: "missing", Help: "allow missing objects"},
		{Long: "batch", Help: "allow creation of more than one tree"},
	},
}

// mkTreeOptions are mktree's parsed options.
type mkTreeOptions struct{ nul, missingOK, batch bool }

// mkTreeArgs parses mktree's options.
var mkTreeArgs = &argParser[mkTreeOptions]{
	spec: mkTreeSpec,
	bools: map[string]func(o *mkTreeOptions) *bool{
		"z":       func(o *mkTreeOptions) *bool { return &o.nul },
		"missing": func(o *mkTreeOptions) *bool { return &o.missingOK },
		"batch":   func(o *mkTreeOptions) *bool { return &o.batch },
	},
}

// mkTreeError is a line mktree refuses; git dies with its message.
type mkTreeError struct{ msg string }

func (e *mkTreeError) Error() string { return e.msg }

// mkTree implements `git mktree`: ls-tree lines on stdin become a tree
// (with --batch, a tree per group of lines ended by a blank line).
func (c *command) mkTree(args []string) int {
	if _, status := c.setupFirst(args); status != exitOK {
		return status
	}
	o, _, err := mkTreeArgs.parse(args)
	if err != nil {
		return c.badArgs(mkTreeSpec, err)
	}
	nul, missingOK, batch := o.nul, o.missingOK, o.batch
	r, err := c.openRepo()
	if err != nil {
		return c.fatalErr(err)
	}
	in := bufio.NewReader(c.in)
	for eof := false; !eof; {
		var entries []gitapi.MkTreeEntry
		var status int
		entries, eof, status = c.readMkTreeBatch(r, in, nul, missingOK, batch)
		if status != exitOK {
			return status
		}
		if batch && eof && len(entries) == 0 {
			break
		}
		id, err := r.MakeTree(entries)
		if err != nil {
			return c.fatal("%v", err)
		}
		c.println(id.String())
		c.out.Flush() // git flushes each tree's id: a later error comes after it
	}
	return exitOK
}

// readMkTreeBatch reads the entries of one tree: up to a blank line
// (--batch) or the end of input.
func (c *command) readMkTreeBatch(r *gitapi.Repo, in *bufio.Reader, nul, missingOK, batch bool) ([]gitapi.MkTreeEntry, bool, int) {
	var entries []gitapi.MkTreeEntry
	for {
		line, ok := readMkTreeLine(in, nul)
		switch {
		case !ok:
			return entries, true, exitOK
		case line == "" && batch:
			return entries, false, exitOK
		case line == "":
			return nil, true, c.fatal("input format error: (blank line only valid in batch mode)")
		}
		e, err := mkTreeLine(r, line, nul, missingOK)
		if err != nil {
			return nil, true, c.fatal("%s", err.Error())
		}
		entries = append(entries, e)
	}
}

// readMkTreeLine reads one LF (or NUL) terminated line; false at end of
// input. Like git's C strings, a line ends at its first NUL byte.
func readMkTreeLine(in *bufio.Reader, nul bool) (string, bool) {
	delim := byte('\n')
	if nul {
		delim = 0
	}
	line, err := in.ReadString(delim)
	if err != nil && line == "" {
		return "", false
	}
	line = strings.TrimSuffix(line, string(delim))
	if i := strings.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	return line, true
}

// mkTreeLine parses and checks one "mode SP type SP id TAB name" line.
func mkTreeLine(r *gitapi.Repo, line string, nul, missingOK bool) (gitapi.MkTreeEntry, error) {
	formatErr := &mkTreeError{"input format error: " + line}
	mode, rest, ok := parseCOctal(line)
	if !ok || !strings.HasPrefix(rest, " ") {
		return gitapi.MkTreeEntry{}, formatErr
	}
	typ, rest, ok := strings.Cut(rest[1:], " ")
	if !ok || len(rest) < 2*len(gitapi.Hash{})+1 || rest[2*len(gitapi.Hash{})] != '\t' {
		return gitapi.MkTreeEntry{}, formatErr
	}
	id, err := gitapi.ParseHash(strings.ToLower(rest[:2*len(gitapi.Hash{})]))
	if err != nil {
		return gitapi.MkTreeEntry{}, formatErr
	}
	name := rest[2*len(gitapi.Hash{})+1:]
	if !nul && strings.HasPrefix(name, `"`) {
		unquoted, ok := unquoteCStyle(name)
		if !ok {
			return gitapi.MkTreeEntry{}, &mkTreeError{"invalid quoting"}
		}
		name = unquoted
	}
	modeType := gitapi.TypeOfMode(mode)
	if !validObjectType(typ) {
		return gitapi.MkTreeEntry{}, &mkTreeError{fmt.Sprintf("invalid object type \"%s\"", typ)}
	}
	if typ != modeType {
		return gitapi.MkTreeEntry{}, &mkTreeError{fmt.Sprintf("entry '%s' object type (%s) doesn't match mode type (%s)", name, typ, modeType)}
	}
	objType, _, err := r.ReadObject(id)
	switch {
	case err != nil && !missingOK && mode&gitapi.ModeTypeMask != gitapi.ModeGitlink:
		return gitapi.MkTreeEntry{}, &mkTreeError{fmt.Sprintf("entry '%s' object %s is unavailable", name, id)}
	case err == nil && objType != modeType:
		return gitapi.MkTreeEntry{}, &mkTreeError{fmt.Sprintf("entry '%s' object %s is a %s but specified type was (%s)", name, id, objType, modeType)}
	}
	if strings.Contains(name, "/") {
		return gitapi.MkTreeEntry{}, &mkTreeError{fmt.Sprintf("path %s contains slash", name)}
	}
	return gitapi.MkTreeEntry{Mode: mode, Name: name, ID: id}, nil
}

// parseCOctal reads a number as C's strtoul(s, &end, 8) does: leading
// white space, an optional sign, octal digits; false when there are no
// digits. The value is cut to 32 bits, as git stores it.
func parseCOctal(s string) (uint32, string, bool) {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\v\f\r", s[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '7' {
		i++
	}
	if i == start {
		return 0, s, false
	}
	v, err := strconv.ParseUint(s[start:i], 8, 64)
	if err != nil {
		v = ^uint64(0)
	} else if neg {
		v = -v
	}
	return uint32(v), s[i:], true
}

// unquoteCStyle undoes git's C-style quoting of a name that starts with
// a double quote; what follows the closing quote is ignored, as git
// ignores it.
func unquoteCStyle(q string) (string, bool) {
	var out strings.Builder
	escapes := map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\', '"': '"'}
	for i := 1; i < len(q); {
		c := q[i]
		i++
		switch {
		case c == '"':
			return strings.SplitN(out.String(), "\x00", 2)[0], true
		case c != '\\':
			out.WriteByte(c)
			continue
		case i >= len(q):
			return "", false
		}
		c = q[i]
		i++
		if e, ok := escapes[c]; ok {
			out.WriteByte(e)
			continue
		}
		if c < '0' || c > '3' || i+1 >= len(q) || !isOctalDigit(q[i]) || !isOctalDigit(q[i+1]) {
			return "", false
		}
		out.WriteByte((c-'0')<<6 | (q[i]-'0')<<3 | (q[i+1] - '0'))
		i += 2
	}
	return "", false
}
