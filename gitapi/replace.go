package gitapi

import "strings"

// ReplaceRefsActive reports whether git would read objects through
// replace refs here: some ref exists under refs/replace/ (or
// $GIT_REPLACE_REF_BASE), and neither GIT_NO_REPLACE_OBJECTS nor
// core.useReplaceRefs=false turns them off. When it cannot tell, it says
// yes.
//
// In a session the answer is kept per repository until the session
// updates a ref or is invalidated (something outside may have changed
// the refs).
func (r *Repo) ReplaceRefsActive() bool {
	if r.session == nil {
		return r.replaceRefsActive()
	}
	return r.session.replaceRefsActive(r)
}

// replaceRefsActive is ReplaceRefsActive read from the repository.
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

// replaceRefsActive is ReplaceRefsActive through the session's answers,
// kept by the repository's session key.
func (s *Session) replaceRefsActive(r *Repo) bool {
	s.mu.Lock()
	active, ok := s.replaceActive[r.sessionKey]
	s.mu.Unlock()
	if ok {
		return active
	}
	active = r.replaceRefsActive()
	s.mu.Lock()
	if s.replaceActive == nil {
		s.replaceActive = map[string]bool{}
	}
	s.replaceActive[r.sessionKey] = active
	s.mu.Unlock()
	return active
}

// refsChanged drops what the session knows of the refs: a ref was
// written or deleted.
func (s *Session) refsChanged() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replaceActive = nil
}
