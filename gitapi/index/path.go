package index

import "strings"

// VerifyPath reports whether git accepts path in the index (git's
// verify_path with its default core.protectNTFS): no empty, "." or ".."
// components, no ".git" in any case or NTFS spelling, no leading or
// trailing slash, and no ".gitmodules" symlink.
func VerifyPath(path string, mode uint32) bool {
	if path == "" {
		return false
	}
	for comp := range strings.SplitSeq(path, "/") {
		if comp == "" || comp == "." || comp == ".." {
			return false
		}
		for part := range strings.SplitSeq(comp, "\\") {
			if isNTFSDotGit(part) || (mode == ModeSymlink && isDotGitmodules(part)) {
				return false
			}
		}
	}
	return true
}

// isNTFSDotGit matches ".git" case-insensitively with any trailing dots
// and spaces, and the 8.3 short name "git~1", which NTFS resolves to
// the same directory.
func isNTFSDotGit(name string) bool {
	lower := strings.ToLower(name)
	if lower == "git~1" {
		return true
	}
	if !strings.HasPrefix(lower, ".git") {
		return false
	}
	return strings.TrimRight(lower[4:], ". ") == ""
}

func isDotGitmodules(name string) bool {
	lower := strings.TrimRight(strings.ToLower(name), ". ")
	return lower == ".gitmodules" || lower == "gitmod~1"
}
