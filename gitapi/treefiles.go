package gitapi

import (
	"fmt"
	"strconv"

	"github.com/kiln-dev/kiln/gitapi/index"
)

// TreeFile is one blob or gitlink of a tree, by its full path.
type TreeFile struct {
	Mode uint32
	ID   Hash
}

// TreeFiles resolves a tree-ish and lists its files recursively.
func (r *Repo) TreeFiles(rev string) (map[string]TreeFile, error) {
	id, err := r.Resolve(rev)
	if err != nil {
		return nil, err
	}
	treeID, _, err := r.Peel(id, "tree")
	if err != nil {
		return nil, err
	}
	files := map[string]TreeFile{}
	return files, r.collectTree(treeID, "", files)
}

func (r *Repo) collectTree(id Hash, base string, files map[string]TreeFile) error {
	entries, err := r.ReadTree(id)
	if err != nil {
		return err
	}
	for _, e := range entries {
		mode, err := strconv.ParseUint(e.Mode, 8, 32)
		if err != nil {
			return fmt.Errorf("bad mode in tree %s", id)
		}
		if mode == uint64(index.ModeTree) {
			if err := r.collectTree(e.ID, base+e.Name+"/", files); err != nil {
				return err
			}
			continue
		}
		files[base+e.Name] = TreeFile{Mode: uint32(mode), ID: e.ID}
	}
	return nil
}
