package gitapi

import "strings"

// readsObjects are the subcommands whose answers depend on object
// contents git reads through replace refs (peeling, types, commit and
// tree contents, parents): gitapi does not apply replace refs yet, so
// Run hands these to git when the repository has any in effect.
var readsObjects = map[string]bool{
	"rev-parse": true, "cat-file": true, "for-each-ref": true, "ls-tree": true, "merge-base": true,
	"diff-index": true, "commit-tree": true, "show-ref": true, "mktree": true, "apply": true,
}

// replaceRefsActive reports whether git would read objects through
// replace refs here: some ref exists under refs/replace/ (or
// $GIT_REPLACE_REF_BASE), and neither GIT_NO_REPLACE_OBJECTS nor
// core.useReplaceRefs=false turns them off. When it cannot tell, it says
// yes.
func (r *Repo) replaceRefsActive() bool {
	if _, ok := r.env["GIT_NO_REPLACE_OBJECTS"]; ok {
		return false
	}
	cfg, err := r.Config()
	if err != nil {
		return true
	}
	if on, err := cfg.Bool("core.usereplacerefs", true); err == nil && !on {
		return false
	}
	base := "refs/replace/"
	if b, ok := r.env.nonEmpty("GIT_REPLACE_REF_BASE"); ok {
		base = strings.TrimSuffix(b, "/") + "/"
	}
	refs, err := r.Refs(base)
	return err != nil || len(refs) > 0
}
