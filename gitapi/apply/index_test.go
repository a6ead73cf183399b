package apply

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// indexSource is a Source over a repository's index, read through the
// installed git: the stand-in for what "kiln git apply --cached" will use.
type indexSource struct {
	t       testing.TB
	dir     string
	entries map[string]indexEntry
}

type indexEntry struct {
	mode uint32
	id   string
}

func newIndexSource(t testing.TB, dir string) *indexSource {
	t.Helper()
	return &indexSource{t: t, dir: dir, entries: readIndex(t, dir)}
}

// readIndex parses `git ls-files -s`.
func readIndex(t testing.TB, dir string) map[string]indexEntry {
	t.Helper()
	entries := map[string]indexEntry{}
	out := mustGit(t, dir, "ls-files", "-s", "-z")
	for _, rec := range strings.Split(out, "\x00") {
		if rec == "" {
			continue
		}
		meta, path, _ := strings.Cut(rec, "\t")
		fields := strings.Fields(meta)
		mode, err := strconv.ParseUint(fields[0], 8, 32)
		if err != nil {
			t.Fatalf("ls-files: %q", rec)
		}
		entries[path] = indexEntry{mode: uint32(mode), id: fields[1]}
	}
	return entries
}

func (s *indexSource) Stat(name string) (uint32, bool, error) {
	e, ok := s.entries[name]
	return e.mode, ok, nil
}

func (s *indexSource) ReadFile(name string) ([]byte, error) {
	e, ok := s.entries[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return []byte(mustGit(s.t, s.dir, "cat-file", "blob", e.id)), nil
}

// indexListing renders entries as `git ls-files -s` would sort them.
func indexListing(entries map[string]indexEntry) string {
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%06o %s %s\n", entries[n].mode, entries[n].id, n)
	}
	return b.String()
}

// TestCachedMatchesGit compares "git apply --cached" (index only) with
// Apply over an index-backed Source and Location Index.
func TestCachedMatchesGit(t *testing.T) {
	cases := []struct {
		name                   string
		base, changed, indexed tree
		diffArgs               []string
	}{
		{name: "modify", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 7", "seven\n")}},
		{name: "offset", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 7", "seven\n")}, indexed: tree{"f": "new\n" + file40}},
		{name: "missing-in-index", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 7", "seven\n")}, indexed: tree{"g": "g\n"}},
		{name: "new-exists-in-index", base: tree{"a": "a\n"}, changed: tree{"a": "a\n", "n": "n\n"}, indexed: tree{"a": "a\n", "n": "other\n"}},
		{name: "rename-delete-mode", base: tree{"old": file40, "gone": "g\n", "s": "s\n"}, changed: tree{"new": file40, "s*": "s\n"}, diffArgs: []string{"-M"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			patch := gitDiff(t, c.base, c.changed, c.diffArgs...)
			indexed := c.indexed
			if indexed == nil {
				indexed = c.base
			}
			gitDir := t.TempDir()
			mustGit(t, gitDir, "init", "-q")
			writeTree(t, gitDir, indexed)
			mustGit(t, gitDir, "add", "-A")
			ourDir := t.TempDir()
			mustGit(t, ourDir, "init", "-q")
			writeTree(t, ourDir, indexed)
			mustGit(t, ourDir, "add", "-A")

			_, wantErr, wantCode := runGit(t, gitDir, patch, "apply", "--cached")
			want := indexListing(readIndex(t, gitDir))

			opts := Options{}
			opts.Location = Index
			src := newIndexSource(t, ourDir)
			res, _ := Apply(patch, src, opts)
			got := indexListing(src.entries)
			if res.ExitCode == 0 {
				got = indexListing(applyToIndex(t, ourDir, src.entries, res))
			}
			if res.ExitCode != wantCode || res.Stderr != wantErr || got != want {
				t.Errorf("git: exit %d\n%s%s\nours: exit %d\n%s%s", wantCode, wantErr, want, res.ExitCode, res.Stderr, got)
			}
		})
	}
}

// applyToIndex computes the index entries after res (blob ids by hashing,
// checked against what git would store).
func applyToIndex(t *testing.T, dir string, entries map[string]indexEntry, res *Result) map[string]indexEntry {
	t.Helper()
	after := map[string]indexEntry{}
	for k, v := range entries {
		after[k] = v
	}
	for _, c := range res.Changes {
		if c.IsDelete || c.IsRename {
			delete(after, c.OldName)
		}
	}
	for _, c := range res.Changes {
		if c.IsDelete {
			continue
		}
		tmp := filepath.Join(t.TempDir(), "blob")
		if err := os.WriteFile(tmp, c.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSpace(mustGit(t, dir, "hash-object", tmp))
		if id != blobID(c.Content) {
			t.Fatalf("blob id %s, git says %s", blobID(c.Content), id)
		}
		after[c.NewName] = indexEntry{mode: c.NewMode, id: id}
	}
	return after
}

// indexWorkTreeSource adds the work tree of the same repository, for
// "git apply --index".
type indexWorkTreeSource struct {
	*indexSource
	workTree Dir
}

func (s indexWorkTreeSource) WorkTreeStat(name string) (uint32, bool, error) {
	return s.workTree.Stat(name)
}

// MatchesIndex compares content and mode (git compares stat data, which
// agrees for files just written by these tests).
func (s indexWorkTreeSource) MatchesIndex(name string) (bool, error) {
	mode, ok, err := s.workTree.Stat(name)
	if err != nil || !ok {
		return false, err
	}
	content, err := s.workTree.ReadFile(name)
	if err != nil {
		return false, err
	}
	e := s.entries[name]
	return e.mode == mode && e.id == blobID(content), nil
}

// TestIndexMatchesGit compares "git apply --index" with Apply over the
// index and work tree of a repository, then both written.
func TestIndexMatchesGit(t *testing.T) {
	cases := []struct {
		name                             string
		base, changed, indexed, workTree tree
		diffArgs                         []string
	}{
		{name: "modify", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 7", "seven\n")}},
		{name: "dirty-work-tree", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 7", "seven\n")},
			workTree: tree{"f": file40 + "more\n"}},
		{name: "untracked-in-the-way", base: tree{"a": "a\n"}, changed: tree{"a": "a\n", "n": "n\n"},
			workTree: tree{"a": "a\n", "n": "untracked\n"}},
		{name: "new-exists-in-index", base: tree{"a": "a\n"}, changed: tree{"a": "a\n", "n": "n\n"},
			indexed: tree{"a": "a\n", "n": "n\n"}},
		{name: "missing-in-index", base: tree{"f": file40}, changed: tree{"f": edit(file40, "line 7", "seven\n")},
			indexed: tree{"g": "g\n"}, workTree: tree{"f": file40, "g": "g\n"}},
		{name: "rename-delete-mode-new", base: tree{"old": file40, "gone": "g\n", "s": "s\n"},
			changed: tree{"new": file40, "s*": "s\n", "d/n": "n\n"}, diffArgs: []string{"-M"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			patch := gitDiff(t, c.base, c.changed, c.diffArgs...)
			indexed, workTree := c.indexed, c.workTree
			if indexed == nil {
				indexed = c.base
			}
			if workTree == nil {
				workTree = indexed
			}
			setup := func() string {
				dir := t.TempDir()
				mustGit(t, dir, "init", "-q")
				writeTree(t, dir, indexed)
				mustGit(t, dir, "add", "-A")
				// Touch only what differs: rewriting a file would change
				// its stat data and make git see it as modified.
				for name, content := range indexed {
					if workTree[name] != content {
						os.Remove(filepath.Join(dir, strings.TrimRight(name, "*@")))
					}
				}
				extra := tree{}
				for name, content := range workTree {
					if indexed[name] != content {
						extra[name] = content
					}
				}
				writeTree(t, dir, extra)
				return dir
			}
			gitDir, ourDir := setup(), setup()
			_, wantErr, wantCode := runGit(t, gitDir, patch, "apply", "--index")
			wantIndex, wantFiles := indexListing(readIndex(t, gitDir)), readTree(t, gitDir).String()

			opts := Options{}
			opts.Location = IndexAndWorkTree
			src := indexWorkTreeSource{indexSource: newIndexSource(t, ourDir), workTree: Dir{Root: ourDir}}
			res, _ := Apply(patch, src, opts)
			gotIndex := indexListing(src.entries)
			if res.ExitCode == 0 {
				gotIndex = indexListing(applyToIndex(t, ourDir, src.entries, res))
				if err := res.Write(Dir{Root: ourDir}); err != nil {
					t.Fatal(err)
				}
			}
			gotFiles := readTree(t, ourDir).String()
			if res.ExitCode != wantCode || res.Stderr != wantErr || gotIndex != wantIndex || gotFiles != wantFiles {
				t.Errorf("git: exit %d\n%s%s%s\nours: exit %d\n%s%s%s", wantCode, wantErr, wantIndex, wantFiles,
					res.ExitCode, res.Stderr, gotIndex, gotFiles)
			}
		})
	}
}

// TestRandomIndexPatchesMatchGit applies random multi-file patches with
// --cached or --index (and -C1) to an index that may differ from the
// patch's preimage, comparing index, work tree, stderr and exit code with
// git apply.
func TestRandomIndexPatchesMatchGit(t *testing.T) {
	for round := 0; round < randomRounds(); round++ {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(61, uint64(round)))
			base := tree{}
			for _, name := range []string{"a", "d/b", "c"} {
				base[name] = strings.Join(randomLines(r, 10+r.IntN(20)), "")
			}
			changed := tree{}
			for _, name := range []string{"a", "d/b", "c"} {
				content := base[name]
				switch r.IntN(6) {
				case 0:
				case 1:
					changed["ren/"+name] = content
				case 2:
					changed[name+"*"] = content
				default:
					changed[name] = strings.Join(mutate(r, splitLines([]byte(content)), 1+r.IntN(3)), "")
				}
			}
			if r.IntN(2) == 0 {
				changed["new"] = "fresh\n"
			}
			patch := gitDiff(t, base, changed, "-M")
			indexed := tree{}
			for _, k := range []string{"a", "d/b", "c"} {
				v := base[k]
				switch r.IntN(6) {
				case 0:
					v = strings.Join(mutate(r, splitLines([]byte(v)), 2), "")
				case 1:
					continue
				}
				indexed[k] = v
			}
			if r.IntN(4) == 0 {
				indexed["new"] = "in the way\n"
			}
			location := []Location{Index, IndexAndWorkTree}[r.IntN(2)]
			flag := map[Location]string{Index: "--cached", IndexAndWorkTree: "--index"}[location]
			setup := func() string {
				dir := t.TempDir()
				mustGit(t, dir, "init", "-q")
				writeTree(t, dir, indexed)
				mustGit(t, dir, "add", "-A")
				return dir
			}
			gitDir, ourDir := setup(), setup()
			_, wantErr, wantCode := runGit(t, gitDir, patch, "apply", flag, "-C1")
			wantIndex, wantFiles := indexListing(readIndex(t, gitDir)), readTree(t, gitDir).String()
			opts := Options{Location: location, MinContext: 1, MinContextGiven: true}
			idx := newIndexSource(t, ourDir)
			var src Source = idx
			if location == IndexAndWorkTree {
				src = indexWorkTreeSource{indexSource: idx, workTree: Dir{Root: ourDir}}
			}
			res, _ := Apply(patch, src, opts)
			gotIndex := indexListing(idx.entries)
			if res.ExitCode == 0 {
				gotIndex = indexListing(applyToIndex(t, ourDir, idx.entries, res))
				if location == IndexAndWorkTree {
					if err := res.Write(Dir{Root: ourDir}); err != nil {
						t.Fatal(err)
					}
				}
			}
			gotFiles := readTree(t, ourDir).String()
			if res.ExitCode != wantCode || res.Stderr != wantErr || gotIndex != wantIndex || gotFiles != wantFiles {
				t.Errorf("%s\n%s\ngit: exit %d\n%s%s%s\nours: exit %d\n%s%s%s", flag, patch, wantCode, wantErr, wantIndex, wantFiles,
					res.ExitCode, res.Stderr, gotIndex, gotFiles)
			}
		})
	}
}
