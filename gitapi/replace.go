package gitapi

import "strings"

// ReplaceRefsActive reports whether git would read objects through
// replace refs here: some ref exists under refs/replace/ (or
// $GIT_REPLACE_REF_BASE), and neither GIT_NO_REPLACE_OBJECTS nor
// core.useReplaceRefs=false turns them off. When it cannot tell, it says
// yes.
func (r *Repo) ReplaceRefsActive() bool {
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
