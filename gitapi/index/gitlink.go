package index

import (
	"bufio"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
)

// gitlinkHead resolves HEAD of the repository checked out at the work
// tree path dir (a submodule), as git's resolve_gitlink_ref does: ".git"
// may be a directory or a "gitdir: <path>" file, HEAD may be detached
// or name a loose or packed ref. ok is false when there is no such
// repository or HEAD does not resolve; git then treats the gitlink as
// matching whatever the index records.
func (o *Options) gitlinkHead(dir string) (ID, bool) {
	gitDir := filepath.Join(o.workPath(dir), ".git")
	if data, err := os.ReadFile(gitDir); err == nil {
		target, ok := strings.CutPrefix(strings.TrimRight(string(data), "\r\n"), "gitdir: ")
		if !ok {
			return ID{}, false
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(o.workPath(dir), target)
		}
		gitDir = target
	}
	commonDir := gitDir
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		commonDir = strings.TrimRight(string(data), "\n")
		if !filepath.IsAbs(commonDir) {
			commonDir = filepath.Join(gitDir, commonDir)
		}
	}
	ref := "HEAD"
	for depth := 0; depth < 5; depth++ {
		refDir := commonDir
		if ref == "HEAD" {
			refDir = gitDir
		}
		value, ok := readRef(refDir, commonDir, ref)
		if !ok {
			return ID{}, false
		}
		if target, symbolic := strings.CutPrefix(value, "ref: "); symbolic {
			ref = strings.TrimSpace(target)
			continue
		}
		return parseHexID(value)
	}
	return ID{}, false
}

// readRef returns a loose ref's content, else the packed-refs value.
func readRef(refDir, commonDir, ref string) (string, bool) {
	if data, err := os.ReadFile(filepath.Join(refDir, filepath.FromSlash(ref))); err == nil {
		return strings.TrimRight(string(data), "\n"), true
	}
	f, err := os.Open(filepath.Join(commonDir, "packed-refs"))
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		id, name, ok := strings.Cut(sc.Text(), " ")
		if ok && name == ref {
			return id, true
		}
	}
	return "", false
}

func parseHexID(s string) (ID, bool) {
	var id ID
	if len(s) != 2*len(id) {
		return id, false
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, false
	}
	return id, true
}

// gitlinkChanged is git's ce_compare_gitlink: a submodule whose HEAD
// cannot be resolved counts as unchanged.
func (o *Options) gitlinkChanged(e *Entry) bool {
	head, ok := o.gitlinkHead(e.Path)
	return ok && head != e.ID
}
