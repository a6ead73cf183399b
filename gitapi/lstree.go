package gitapi

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// File modes of tree entries, as git stores their type bits.
const (
	ModeTypeMask = 0o170000
	modeDir      = 0o040000
	ModeGitlink  = 0o160000
)

// TypeOfMode is the object type a tree entry's mode implies: "tree" for
// directories, "commit" for submodules (gitlinks), "blob" otherwise.
func TypeOfMode(mode uint32) string {
	switch mode & ModeTypeMask {
	case modeDir:
		return TypeTree
	case ModeGitlink:
		return TypeCommit
	}
	return TypeBlob
}

// LsTreeOptions chooses what ListTree visits.
type LsTreeOptions struct {
	// Paths limit the listing to these paths from the top of the tree
	// and what is below them; a path ending in "/" names a directory
	// only; "" matches everything. Characters are literal (no globs).
	Paths []string
	// Recursive descends into every subtree (-r); without it only the
	// subtrees leading to a path of Paths are entered.
	Recursive bool
	// ShowTrees lists the subtrees that are entered too (-t).
	ShowTrees bool
	// TreesOnly leaves out blobs (-d).
	TreesOnly bool
}

// LsTreeEntry is one entry ListTree visits.
type LsTreeEntry struct {
	Path string // from the top of the tree listed
	Mode uint32
	Type string // from the mode: "blob", "tree" or "commit"
	ID   Hash
}

// ListTree visits the entries of a tree as `git ls-tree` lists them,
// depth first in tree order.
func (r *Repo) ListTree(tree Hash, o LsTreeOptions, visit func(LsTreeEntry) error) error {
	return r.listTreeAt(tree, "", o, visit)
}

func (r *Repo) listTreeAt(tree Hash, base string, o LsTreeOptions, visit func(LsTreeEntry) error) error {
	typ, data, err := r.ReadObject(tree)
	switch {
	case err != nil:
		return &UnreadableTreeError{ID: tree, Missing: true}
	case typ != TypeTree:
		return &UnreadableTreeError{ID: tree}
	}
	entries, err := ParseTree(data)
	if err != nil {
		return err
	}
	for _, e := range entries {
		mode, err := strconv.ParseUint(e.Mode, 8, 32)
		if err != nil {
			return fmt.Errorf("corrupt tree %s: bad mode %q", tree, e.Mode)
		}
		entry := LsTreeEntry{Path: base + e.Name, Mode: uint32(mode), Type: TypeOfMode(uint32(mode)), ID: e.ID}
		if !o.interesting(entry) {
			continue
		}
		switch {
		case entry.Type == TypeTree && (o.Recursive || o.leadsToPath(entry.Path)):
			// git lists an entered subtree (with -t) before its
			// entries.
			if o.ShowTrees {
				if err := visit(entry); err != nil {
					return err
				}
			}
			if err := r.listTreeAt(e.ID, entry.Path+"/", o, visit); err != nil {
				return err
			}
		case entry.Type == TypeBlob && o.TreesOnly:
		default:
			if err := visit(entry); err != nil {
				return err
			}
		}
	}
	return nil
}

// UnreadableTreeError is a tree ListTree cannot read: missing, or not a
// tree. Its text is git's error for it.
type UnreadableTreeError struct {
	ID      Hash
	Missing bool
}

// Error is git's message for the tree.
func (e *UnreadableTreeError) Error() string {
	if e.Missing {
		return fmt.Sprintf("Could not read %s", e.ID)
	}
	return fmt.Sprintf("Object %s not a tree", e.ID)
}

// interesting reports whether an entry is in the listing: below or at
// one of the paths, or a directory leading to one.
func (o LsTreeOptions) interesting(e LsTreeEntry) bool {
	if len(o.Paths) == 0 {
		return true
	}
	for _, spec := range o.Paths {
		if pathWithin(e.Path, spec) {
			return true
		}
		if len(spec) > len(e.Path) && strings.HasPrefix(spec, e.Path) && spec[len(e.Path)] == '/' {
			// A directory leading to the path; a submodule only
			// when named with a trailing slash.
			if e.Type == TypeTree || (e.Type == TypeCommit && len(spec) == len(e.Path)+1) {
				return true
			}
		}
	}
	return false
}

// pathWithin reports whether path is spec or below it.
func pathWithin(path, spec string) bool {
	if spec == "" || path == spec {
		return true
	}
	return strings.HasPrefix(path, spec) && (strings.HasSuffix(spec, "/") || path[len(spec)] == '/')
}

// leadsToPath reports whether one of the paths is below directory dir.
func (o LsTreeOptions) leadsToPath(dir string) bool {
	for _, spec := range o.Paths {
		if strings.HasPrefix(spec, dir+"/") {
			return true
		}
	}
	return false
}

// ErrOutsideRepository is wrapped by the error for a path outside the
// work tree.
var ErrOutsideRepository = errors.New("outside repository")

// PathFromTop turns a path given on the command line (relative to the
// working directory, or absolute) into a path from the top of the work
// tree, as git's pathspecs do: "." and ".." are resolved, a trailing
// slash kept, and "" names the top.
func (r *Repo) PathFromTop(arg string) (string, error) {
	return r.PathFrom(r.prefix, arg)
}

// PathFrom is PathFromTop for a path relative to prefix.
func (r *Repo) PathFrom(prefix, arg string) (string, error) {
	outside := &OutsideError{Path: arg, WorkTree: r.workTree}
	p := prefix + arg
	if filepath.IsAbs(arg) {
		top := withSlash(r.workTree)
		if r.workTree == "" {
			return "", outside
		}
		clean, ok := normalizePath(arg[1:])
		if !ok || !(strings.HasPrefix("/"+clean+"/", top) || "/"+clean == r.workTree) {
			return "", outside
		}
		p = strings.TrimPrefix(strings.TrimPrefix("/"+clean, r.workTree), "/")
		return p, nil
	}
	clean, ok := normalizePath(p)
	if !ok {
		return "", outside
	}
	return clean, nil
}
