package gitapi

import (
	"path/filepath"
	"strings"
)

// GitPath is `git rev-parse --git-path`: a path inside the git directory,
// redirected as git redirects it (the index to $GIT_INDEX_FILE, objects
// to $GIT_OBJECT_DIRECTORY, shared paths to the common directory).
func (r *Repo) GitPath(p string) string {
	if p == "index" {
		if f, ok := r.env.nonEmpty("GIT_INDEX_FILE"); ok {
			return f
		}
	}
	if p == "objects" || strings.HasPrefix(p, "objects/") {
		if d, ok := r.env.nonEmpty("GIT_OBJECT_DIRECTORY"); ok {
			return d + strings.TrimPrefix(p, "objects")
		}
	}
	if r.commonDir != r.gitDir && isCommonPath(p) {
		return filepath.Join(r.CommonDirShown(), p)
	}
	return joinGitPath(r.gitDirInternal, p)
}

// joinGitPath joins as git's strbuf does ("." stays a prefix).
func joinGitPath(dir, p string) string {
	if dir == "." {
		return p
	}
	return strings.TrimSuffix(dir, "/") + "/" + p
}

// CommonDirShown is the common directory as git holds it.
func (r *Repo) CommonDirShown() string {
	if r.commonDir == r.gitDir {
		return r.gitDirInternal
	}
	return r.commonDir
}

// isCommonPath reports whether a git-directory path is shared by linked
// worktrees (lives in the common directory).
func isCommonPath(p string) bool {
	for _, shared := range []string{"objects", "refs", "packed-refs", "config", "hooks", "info", "logs", "remotes", "branches", "rr-cache", "shallow", "worktrees", "common", "lost-found"} {
		if p == shared || strings.HasPrefix(p, shared+"/") {
			return !(p == "logs/HEAD" || strings.HasPrefix(p, "refs/bisect") || strings.HasPrefix(p, "refs/worktree") || strings.HasPrefix(p, "refs/rewritten") || p == "info/sparse-checkout")
		}
	}
	return false
}

// RelativePath is git's relative_path: in relative to prefix when both
// are relative (or both absolute) and share a root, else in unchanged.
func RelativePath(in, prefix string) string {
	if prefix == "" || filepath.IsAbs(in) != filepath.IsAbs(prefix) {
		return in
	}
	inParts := strings.Split(strings.Trim(in, "/"), "/")
	preParts := strings.Split(strings.Trim(prefix, "/"), "/")
	common := 0
	for common < len(inParts) && common < len(preParts) && inParts[common] == preParts[common] {
		common++
	}
	if filepath.IsAbs(in) && common == 0 {
		return in
	}
	rel := strings.Repeat("../", len(preParts)-common) + strings.Join(inParts[common:], "/")
	if rel == "" {
		return "./"
	}
	return rel
}
