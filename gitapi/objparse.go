package gitapi

import (
	"bytes"
	"fmt"
	"strings"
)

// Commit is the part of a commit object revision parsing needs.
type Commit struct {
	Tree    Hash
	Parents []Hash
	// Message is everything after the header.
	Message string
}

// parseCommit reads a commit object's header.
func parseCommit(data []byte) (Commit, error) {
	var c Commit
	header, msg, _ := bytes.Cut(data, []byte("\n\n"))
	c.Message = string(msg)
	for _, line := range strings.Split(string(header), "\n") {
		key, value, _ := strings.Cut(line, " ")
		switch key {
		case "tree":
			h, err := ParseHash(value)
			if err != nil {
				return c, fmt.Errorf("bad tree in commit: %q", value)
			}
			c.Tree = h
		case "parent":
			h, err := ParseHash(value)
			if err != nil {
				return c, fmt.Errorf("bad parent in commit: %q", value)
			}
			c.Parents = append(c.Parents, h)
		}
	}
	return c, nil
}

// TagTarget reads the object and type an annotated tag points at.
func TagTarget(data []byte) (Hash, string, error) {
	var target Hash
	typ := ""
	header, _, _ := bytes.Cut(data, []byte("\n\n"))
	for _, line := range strings.Split(string(header), "\n") {
		key, value, _ := strings.Cut(line, " ")
		switch key {
		case "object":
			h, err := ParseHash(value)
			if err != nil {
				return target, "", fmt.Errorf("bad object in tag: %q", value)
			}
			target = h
		case "type":
			typ = value
		}
	}
	if typ == "" {
		return target, "", fmt.Errorf("tag without type")
	}
	return target, typ, nil
}

// TreeEntry is one entry of a tree object.
type TreeEntry struct {
	Mode string // octal as stored: "100644", "40000", "120000", "160000"
	Name string
	ID   Hash
}

// ParseTree splits a tree object into entries.
func ParseTree(data []byte) ([]TreeEntry, error) {
	var entries []TreeEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || nul+21 > len(data) {
			return nil, fmt.Errorf("corrupt tree")
		}
		var id Hash
		copy(id[:], data[nul+1:nul+21])
		entries = append(entries, TreeEntry{Mode: string(data[:sp]), Name: string(data[sp+1 : nul]), ID: id})
		data = data[nul+21:]
	}
	return entries, nil
}

// ReadCommit reads and parses a commit object.
func (r *Repo) ReadCommit(h Hash) (Commit, error) {
	typ, data, err := r.ReadObject(h)
	if err != nil {
		return Commit{}, err
	}
	if typ != TypeCommit {
		return Commit{}, fmt.Errorf("%s is a %s, not a commit", h, typ)
	}
	return parseCommit(data)
}

// ReadTree reads and parses a tree object.
func (r *Repo) ReadTree(h Hash) ([]TreeEntry, error) {
	typ, data, err := r.ReadObject(h)
	if err != nil {
		return nil, err
	}
	if typ != TypeTree {
		return nil, fmt.Errorf("%s is a %s, not a tree", h, typ)
	}
	return ParseTree(data)
}

// Peel follows annotated tags (and commits to trees, when asked for a
// tree) until an object of type want; want "" peels tags only.
func (r *Repo) Peel(h Hash, want string) (Hash, string, error) {
	for {
		typ, data, err := r.ReadObject(h)
		if err != nil {
			return h, "", err
		}
		switch {
		case typ == want || (want == "" && typ != TypeTag):
			return h, typ, nil
		case typ == TypeTag:
			h, _, err = TagTarget(data)
			if err != nil {
				return h, "", err
			}
		case typ == TypeCommit && want != "":
			c, err := parseCommit(data)
			if err != nil {
				return h, "", err
			}
			h = c.Tree
		default:
			return h, typ, &PeelError{ID: h, Type: typ, Want: want}
		}
	}
}

// PeelError is an object that does not peel to the wanted type.
type PeelError struct {
	ID   Hash   // the object
	Type string // its type
	Want string // the type asked for
}

// Error names the object, its type and the type wanted.
func (e *PeelError) Error() string {
	return fmt.Sprintf("%s is a %s, not a %s", e.ID, e.Type, e.Want)
}

// LookupPath finds path (slash-separated) below tree.
func (r *Repo) LookupPath(tree Hash, path string) (TreeEntry, error) {
	entry := TreeEntry{Mode: "40000", ID: tree}
	for _, part := range strings.Split(path, "/") {
		if part == "" {
			continue
		}
		if entry.Mode != "40000" {
			return entry, fmt.Errorf("not a tree")
		}
		entries, err := r.ReadTree(entry.ID)
		if err != nil {
			return entry, err
		}
		found := false
		for _, e := range entries {
			if e.Name == part {
				entry, found = e, true
				break
			}
		}
		if !found {
			return entry, fmt.Errorf("path not found: %s", path)
		}
	}
	return entry, nil
}
