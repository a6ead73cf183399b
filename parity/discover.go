package parity

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// FindFixtures resolves command-line arguments to fixture files. An
// argument is a fixture file (.txtar), a directory of fixtures, a NAME
// that resolves to root/NAME, or NAME/CASE for root/NAME/CASE.txtar. No
// argument means every fixture under root.
// Files come back sorted within each argument, without duplicates.
func FindFixtures(root string, args []string) ([]string, error) {
	if len(args) == 0 {
		args = []string{root}
	}
	var files []string
	seen := map[string]bool{}
	for _, arg := range args {
		found, err := findFixtures(root, arg)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
		}
	}
	return files, nil
}

func findFixtures(root, arg string) ([]string, error) {
	// An existing path wins; then NAME or NAME/CASE under the root.
	candidates := []string{arg, filepath.Join(root, arg), filepath.Join(root, arg+".txtar")}
	var path string
	var info os.FileInfo
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil {
			path, info = c, fi
			break
		}
	}
	if info == nil {
		return nil, fmt.Errorf("no fixture or fixture directory %q (looked for %s)", arg, strings.Join(candidates, ", "))
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txtar") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no .txtar fixtures under %s", path)
	}
	sort.Strings(files)
	return files, nil
}

// PackageOf names the package a fixture file under root belongs to: ""
// for root/NAME/CASE.txtar, a script of git's exec path, and PACKAGE for
// root/PACKAGE/NAME/CASE.txtar, a script another package installs (the
// second corpus: git-extras, git-flow, topgit).
func PackageOf(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return ""
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) < 3 || parts[0] == ".." {
		return ""
	}
	return parts[0]
}

// IsNewFixture reports whether the fixture file is new: untracked or
// modified in the git repository holding it, or in none at all. New
// fixtures get the noise check by default, so nondeterminism is found
// when a fixture is written rather than when it flaps in CI. git runs
// without the user's configuration.
func IsNewFixture(path string) bool {
	dir, file := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	cmd := exec.Command("git", "status", "--porcelain", "--ignored=no", "--", file)
	cmd.Dir = dir
	cmd.Env = []string{
		// No HOME and no global config: nothing of the user's is read.
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.DevNull,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull,
		"LC_ALL=C", "GIT_OPTIONAL_LOCKS=0",
	}
	out, err := cmd.Output()
	return err != nil || len(bytes.TrimSpace(out)) > 0
}

// ResolveCommand makes a user's command usable from the sandbox's work
// dir: a word naming an existing file by a relative path with a slash
// (./my-script, scripts/port) becomes absolute, relative to dir.
func ResolveCommand(words []string, dir string) []string {
	out := append([]string{}, words...)
	for i, w := range out {
		if filepath.IsAbs(w) || !strings.ContainsRune(w, '/') {
			continue
		}
		abs := filepath.Join(dir, w)
		if _, err := os.Stat(abs); err == nil {
			out[i] = abs
		}
	}
	return out
}
