package gitapi

import (
	"fmt"
	"strconv"
	"strings"
)

// CountRefs counts the refs git's rules find for name and returns the
// first full name (after symbolic refs), as dwim_ref does.
func (p *RevParser) CountRefs(name string) (int, string) {
	if expanded, ok := p.expandBranchMark(name); ok {
		name = expanded
	}
	if name == "@" {
		name = "HEAD"
	}
	if CheckRefName(name, true) != nil {
		return 0, ""
	}
	count, full := 0, ""
	for _, rule := range refRules {
		candidate := fmt.Sprintf(rule, name)
		if rule == "%s" && !refNameIsSafe(candidate) {
			continue
		}
		if _, final, err := p.Repo.ResolveRef(candidate); err == nil {
			if count == 0 {
				full = final
			}
			count++
		}
	}
	return count, full
}

// expandBranchMark replaces "@{-N}" by the branch it names and
// "X@{upstream}" by the upstream's full ref name.
func (p *RevParser) expandBranchMark(name string) (string, bool) {
	at := strings.Index(name, "@{")
	if at < 0 || !strings.HasSuffix(name, "}") {
		return "", false
	}
	spec := name[at+2 : len(name)-1]
	switch {
	case at == 0 && strings.HasPrefix(spec, "-"):
		n, err := strconv.Atoi(spec[1:])
		if err != nil || n <= 0 {
			return "", false
		}
		return p.Repo.priorCheckout(n)
	case strings.EqualFold(spec, "u") || strings.EqualFold(spec, "upstream"):
		up, err := p.Repo.Upstream(name[:at])
		return up, err == nil
	}
	return "", false
}

// ShortenRef returns the shortest name that git's rules resolve back to
// the full ref name unambiguously (`rev-parse --abbrev-ref`); strict
// also rejects names other rules would find.
func (r *Repo) ShortenRef(full string, strict bool) string {
	for i := len(refRules) - 1; i > 0; i-- {
		prefix, _, _ := strings.Cut(refRules[i], "%s")
		short, ok := strings.CutPrefix(full, prefix)
		if !ok || short == "" {
			continue
		}
		limit := i
		if strict {
			limit = len(refRules)
		}
		unique := true
		for j := 0; j < limit; j++ {
			if j == i {
				continue
			}
			if _, _, err := r.ResolveRef(fmt.Sprintf(refRules[j], short)); err == nil {
				unique = false
				break
			}
		}
		if unique {
			return short
		}
	}
	return full
}
