package apply

import (
	"errors"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"
)

// fileState is git's fn_table entry for a path: the postimage left by an
// earlier patch of the same input, or a mark that the path is (or will
// be) removed by one.
type fileState struct {
	change      *Change
	deleted     bool // removed by an earlier patch
	toBeDeleted bool // a later patch removes or renames it away
}

// applier carries the state of one git apply run.
type applier struct {
	src        Source
	workTree   WorkTreeSource // set for --index
	opts       Options
	wsAction   wsAction
	minContext int
	scan       *scanner
	fn         map[string]*fileState
	out        strings.Builder
	// removedSymlinks and keptSymlinks are git's prepare_symlink_changes:
	// symlinks the patch removes, and those it creates or keeps.
	removedSymlinks, keptSymlinks map[string]bool
}

// errorf prints git's "error: " message.
func (a *applier) errorf(format string, args ...any) {
	a.printf("error: "+format+"\n", args...)
}

func (a *applier) warnf(format string, args ...any) {
	a.printf("warning: "+format+"\n", args...)
}

func (a *applier) recordWhitespaceError(result wsRule, text string, lineNo int) {
	before := a.scan.output.Len()
	a.scan.recordWhitespaceError(result, text, lineNo)
	a.out.WriteString(a.scan.output.String()[before:])
}

// patchName is how git's say_patch_name shows a patch.
func patchName(p *filePatch) string {
	if p.OldName != "" && p.NewName != "" && p.OldName != p.NewName {
		return quoteC(p.OldName) + " => " + quoteC(p.NewName)
	}
	if p.NewName != "" {
		return quoteC(p.NewName)
	}
	return quoteC(p.OldName)
}

// run checks every patch in order (git's check_patch_list), then composes
// the result and the closing messages.
func (a *applier) run(patches []*filePatch) (*Result, error) {
	var changes []Change
	// With --whitespace=error, whitespace errors found while parsing stop
	// git from applying, and then (without --check) from checking at all.
	reportOnly := a.opts.Report.any()
	if !reportOnly && (a.opts.Check || !a.refusedForWhitespace()) {
		var status int
		if changes, status = a.checkAll(patches); status != 0 {
			return failed(a.out.String(), status)
		}
	}
	if !a.opts.Check && !reportOnly && !a.refusedForWhitespace() && a.opts.Verbose {
		for _, p := range patches {
			a.printf("Applied patch %s cleanly.\n", patchName(p))
		}
	}
	if n := a.scan.wsErrors; n > 0 && !a.opts.MoreInputs {
		if squelch := a.scan.wsSquelch; squelch > 0 && squelch < n {
			a.warnf("squelched %d whitespace %s", n-squelch, plural(n-squelch, "error", "errors"))
		}
		if a.wsAction == wsError {
			a.errorf("%d %s whitespace errors.", n, plural(n, "line adds", "lines add"))
			return failed(a.out.String(), 128)
		}
		a.warnf("%d %s whitespace errors.", n, plural(n, "line adds", "lines add"))
	}
	return &Result{Changes: changes, Stderr: a.out.String(), WhitespaceErrors: a.scan.wsErrors}, nil
}

func (a *applier) refusedForWhitespace() bool {
	return a.wsAction == wsError && a.scan.wsErrors > 0
}

// checkAll applies every patch in memory; status is 0, 1 (some patch does
// not apply) or 128 (stop at once).
func (a *applier) checkAll(patches []*filePatch) ([]Change, int) {
	a.prepareSymlinkChanges(patches)
	for _, p := range patches {
		if p.NewName == "" || p.IsRename {
			a.fn[p.OldName] = &fileState{toBeDeleted: true}
		}
	}
	var changes []Change
	status := 0
	for _, p := range patches {
		if a.opts.Verbose {
			a.printf("Checking patch %s...\n", patchName(p))
		}
		c, st := a.checkPatch(p)
		switch st {
		case 0:
			changes = append(changes, c)
		case 128:
			return nil, 128
		default:
			status = 1
		}
	}
	return changes, status
}

// checkPatch is git's check_patch: preimage checks, creation checks, mode
// checks, then the in-core application. status is 0, 1 or 128.
func (a *applier) checkPatch(p *filePatch) (Change, int) {
	name := p.OldName
	if name == "" {
		name = p.NewName
	}
	prev, ok := a.checkPreimage(p)
	if !ok {
		return Change{}, 1
	}
	okIfExists := false
	if st, found := a.fn[p.NewName]; found && p.NewName != "" && (st.deleted || st.toBeDeleted) {
		okIfExists = true
	}
	if p.NewName != "" && (p.isNew > 0 || p.IsRename || p.IsCopy) {
		if !a.checkToCreate(p.NewName, okIfExists) {
			return Change{}, 1
		}
		if p.NewMode == 0 {
			if p.isNew > 0 {
				p.NewMode = ModeRegular
			} else {
				p.NewMode = p.OldMode
			}
		}
	}
	if p.NewName != "" && p.OldName != "" {
		if p.NewMode == 0 {
			p.NewMode = p.OldMode
		}
		if (p.OldMode^p.NewMode)&modeTypeMask != 0 {
			if p.OldName == p.NewName {
				a.errorf("new mode (%o) of %s does not match old mode (%o)", p.NewMode, p.NewName, p.OldMode)
			} else {
				a.errorf("new mode (%o) of %s does not match old mode (%o) of %s", p.NewMode, p.NewName, p.OldMode, p.OldName)
			}
			return Change{}, 1
		}
	}
	if bad := unsafePath(p); bad != "" {
		a.errorf("invalid path '%s'", bad)
		return Change{}, 128
	}
	if p.isDelete == 0 && a.beyondSymlink(p.NewName) {
		a.errorf("affected file '%s' is beyond a symbolic link", p.NewName)
		return Change{}, 1
	}
	content, ok := a.applyData(p, prev)
	if !ok {
		a.errorf("%s: patch does not apply", name)
		return Change{}, 1
	}
	c := Change{OldName: p.OldName, NewName: p.NewName, OldMode: p.OldMode, NewMode: p.NewMode,
		IsNew: p.isNew > 0, IsDelete: p.isDelete > 0, IsRename: p.IsRename, IsCopy: p.IsCopy, Content: content}
	if c.IsDelete {
		c.NewMode, c.Content = 0, nil
	}
	a.remember(p, &c)
	return c, 0
}

// remember is git's add_to_fn_table.
func (a *applier) remember(p *filePatch, c *Change) {
	if p.NewName != "" {
		a.fn[p.NewName] = &fileState{change: c}
	}
	if p.NewName == "" || p.IsRename {
		a.fn[p.OldName] = &fileState{deleted: true}
	}
}

// previousChange is git's previous_patch: the in-memory result of an
// earlier patch to the same path (plain patches only), or gone=true when
// an earlier patch removed it.
func (a *applier) previousChange(p *filePatch) (c *Change, gone bool) {
	if p.IsCopy || p.IsRename {
		return nil, false
	}
	st, ok := a.fn[p.OldName]
	if !ok || st.toBeDeleted {
		return nil, false
	}
	if st.deleted {
		return nil, true
	}
	return st.change, false
}

// checkPreimage is git's check_preimage: the file to patch must exist with
// the expected type; a traditional patch to a missing file becomes a
// creation.
func (a *applier) checkPreimage(p *filePatch) (*Change, bool) {
	if p.OldName == "" {
		return nil, true
	}
	prev, gone := a.previousChange(p)
	if gone {
		a.errorf("path %s has been renamed/deleted", p.OldName)
		return nil, false
	}
	var mode uint32
	if prev != nil {
		mode = prev.NewMode
	} else {
		m, exists, err := a.src.Stat(p.OldName)
		if err != nil {
			a.errorf("%s: %s", p.OldName, describeError(err))
			return nil, false
		}
		if !exists {
			if p.isNew < 0 {
				p.isNew, p.isDelete, p.OldName = 1, 0, ""
				return nil, true
			}
			if a.opts.Location == WorkTree {
				a.errorf("%s: No such file or directory", p.OldName)
			} else {
				a.errorf("%s: does not exist in index", p.OldName)
			}
			return nil, false
		}
		mode = m
		if a.workTree != nil {
			var clean bool
			if mode, clean = a.checkWorkTreeMatches(p.OldName, mode); !clean {
				return nil, false
			}
		}
	}
	if p.isNew < 0 {
		p.isNew = 0
	}
	if p.OldMode == 0 {
		p.OldMode = mode
	}
	if (mode^p.OldMode)&modeTypeMask != 0 {
		a.errorf("%s: wrong type", p.OldName)
		return nil, false
	}
	if mode != p.OldMode {
		a.warnf("%s has type %o, expected %o", p.OldName, mode, p.OldMode)
	}
	if p.NewMode == 0 && p.isDelete <= 0 {
		p.NewMode = mode
	}
	return prev, true
}

// checkWorkTreeMatches is the --index check that the work tree file is
// clean; git takes the mode from the work tree. A file missing from the
// work tree is one git checks out from the index first, so it passes.
func (a *applier) checkWorkTreeMatches(name string, indexMode uint32) (uint32, bool) {
	wtMode, exists, err := a.workTree.WorkTreeStat(name)
	if err != nil {
		a.errorf("%s: %s", name, describeError(err))
		return 0, false
	}
	if !exists {
		return indexMode, true
	}
	clean, err := a.workTree.MatchesIndex(name)
	if err != nil {
		a.errorf("%s: %s", name, describeError(err))
		return 0, false
	}
	if !clean {
		a.errorf("%s: does not match index", name)
		return 0, false
	}
	return wtMode, true
}

// checkToCreate refuses to create over an existing path (directories and
// paths freed by this same patch excepted), as git's check_to_create.
func (a *applier) checkToCreate(name string, okIfExists bool) bool {
	if a.opts.Location != WorkTree && !(okIfExists && a.opts.Location == Index) {
		_, exists, err := a.src.Stat(name)
		if err != nil {
			a.errorf("%s: %s", name, describeError(err))
			return false
		}
		if exists && !okIfExists {
			a.errorf("%s: already exists in index", name)
			return false
		}
	}
	stat := a.src.Stat
	switch a.opts.Location {
	case Index:
		return true
	case IndexAndWorkTree:
		stat = a.workTree.WorkTreeStat
	}
	mode, exists, err := stat(name)
	if errors.Is(err, syscall.ENOTDIR) {
		// A leading component is a file: git counts that as missing.
		exists, err = false, nil
	}
	if err != nil {
		a.errorf("%s: %s", name, describeError(err))
		return false
	}
	if !exists || okIfExists || mode == ModeDir {
		return true
	}
	a.errorf("%s: already exists in working directory", name)
	return false
}

// applyData loads the preimage and applies the hunks or binary data.
func (a *applier) applyData(p *filePatch, prev *Change) ([]byte, bool) {
	var pre []byte
	switch {
	case prev != nil:
		pre = prev.Content
	case p.OldName != "":
		if a.opts.Location == WorkTree && a.symlinkLeadingPath(p.OldName) {
			a.errorf("reading from '%s' beyond a symbolic link", p.OldName)
			return nil, false
		}
		content, err := a.src.ReadFile(p.OldName)
		if err != nil {
			a.errorf("failed to read %s", p.OldName)
			return nil, false
		}
		pre = content
	}
	var post []byte
	if p.isBinary {
		var ok bool
		if post, ok = a.applyBinary(p, pre); !ok {
			return nil, false
		}
	} else {
		img := newImage(pre)
		for k, frag := range p.File.TextFragments {
			if !a.applyFragment(img, frag, p.hunks[k], k+1, p.wsRule) {
				a.errorf("patch failed: %s:%d", nameOf(p), p.hunks[k].oldPos)
				return nil, false
			}
		}
		post = img.bytes()
	}
	if p.isDelete > 0 && len(post) > 0 {
		a.errorf("removal patch leaves file contents")
		return nil, false
	}
	return post, true
}

func nameOf(p *filePatch) string {
	if p.OldName != "" {
		return p.OldName
	}
	return p.NewName
}

// unsafePath is a reduced git verify_path: it rejects the paths that could
// escape the tree or write into .git, returning the offending name.
func unsafePath(p *filePatch) string {
	var check []string
	if p.isDelete > 0 || (p.isNew <= 0 && !p.IsCopy) {
		check = append(check, p.OldName)
	}
	if p.isDelete <= 0 {
		check = append(check, p.NewName)
	}
	for _, name := range check {
		if name == "" {
			continue
		}
		if strings.HasPrefix(name, "/") {
			return name
		}
		for _, part := range strings.Split(name, "/") {
			if part == "" || part == "." || part == ".." || strings.EqualFold(part, ".git") {
				return name
			}
		}
	}
	return ""
}

// describeError words a Source error as git's error_errno does: the C
// library's message for a system error ("Not a directory"), else the
// error's own text.
func describeError(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	msg := errno.Error()
	r, size := utf8.DecodeRuneInString(msg)
	return string(unicode.ToUpper(r)) + msg[size:]
}

// prepareSymlinkChanges records, from the headers, the symlinks the
// patches remove (deleted or renamed away) and those they leave in place.
func (a *applier) prepareSymlinkChanges(patches []*filePatch) {
	a.removedSymlinks, a.keptSymlinks = map[string]bool{}, map[string]bool{}
	for _, p := range patches {
		if p.OldName != "" && p.OldMode&modeTypeMask == ModeSymlink && (p.IsRename || p.isDelete != 0) {
			a.removedSymlinks[p.OldName] = true
		}
		if p.NewName != "" && p.NewMode&modeTypeMask == ModeSymlink {
			a.keptSymlinks[p.NewName] = true
		}
	}
}

// beyondSymlink is git's path_is_beyond_symlink: whether a leading
// directory of name is a symlink, after the patch (kept or created) or
// before it (in the Source) unless the patch removes it.
func (a *applier) beyondSymlink(name string) bool {
	for dir := name; ; {
		i := strings.LastIndexByte(dir, '/')
		if i <= 0 {
			return false
		}
		dir = dir[:i]
		switch {
		case a.keptSymlinks[dir]:
			return true
		case a.removedSymlinks[dir]:
			continue
		}
		if mode, ok, err := a.src.Stat(dir); err == nil && ok && mode == ModeSymlink {
			return true
		}
	}
}

// symlinkLeadingPath is git's has_symlink_leading_path on the work tree:
// whether some leading directory of name is a symlink.
func (a *applier) symlinkLeadingPath(name string) bool {
	for i := strings.IndexByte(name, '/'); i > 0; i = nextSlash(name, i) {
		mode, ok, err := a.src.Stat(name[:i])
		if err != nil || !ok {
			return false
		}
		if mode == ModeSymlink {
			return true
		}
		if mode != ModeDir {
			return false
		}
	}
	return false
}

// nextSlash is the index of the next "/" in name after i, or -1.
func nextSlash(name string, i int) int {
	j := strings.IndexByte(name[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}
