package gitapi

import (
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// ErrBadRevision is wrapped by errors for revisions that name nothing.
var ErrBadRevision = errors.New("bad revision")

// MinAbbrev is the shortest hex prefix git takes as an object name.
const MinAbbrev = 4

// refRules are git's ref disambiguation rules, in order.
var refRules = []string{"%s", "refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"}

// RevParser resolves one revision, collecting the warnings and errors git
// prints on the way.
type RevParser struct {
	Repo *Repo
	// Diag receives git's "warning: ..." and "error: ..." lines.
	Diag func(string)
	// DieErr, when set, is a fatal error git reports instead of the
	// generic "bad revision" one (missing upstream, short reflog, ...).
	DieErr error
	// hint is the kind of object the revision being resolved must
	// name ("committish", "treeish", "blob" or ""); it decides between
	// the candidates of an ambiguous short id, as git's disambiguation
	// hints do.
	hint string
	// Diagnosing is set when git resolves a bad name a second time to
	// explain it: only peel errors, and what the bases of "~N", "^N"
	// and "rev:path" report (loud > 0), are printed again.
	Diagnosing bool
	loud       int
	// LoudDiag, when set, receives what loud lookups report: git drops
	// the quiet flags when it resolves the base of "~N" and "^N".
	LoudDiag func(string)
}

// emit passes one diagnostic line on, unless a diagnosing pass would
// not print it.
func (p *RevParser) emit(line string) {
	switch {
	case p.loud > 0 && p.LoudDiag != nil:
		p.LoudDiag(line)
	case p.Diagnosing && !IsPeelError(line):
	default:
		p.Diag(line)
	}
}

// IsPeelError reports whether a diagnostic is a peel error, which git
// prints whatever the quiet flags.
func IsPeelError(line string) bool {
	return strings.HasPrefix(line, "error: ") && strings.Contains(line, "but the object dereferences to")
}

// RevisionAs resolves rev with a disambiguation hint; a loud lookup
// reports even in a diagnosing pass.
func (p *RevParser) RevisionAs(rev, hint string, loud bool) (Hash, error) {
	saved := p.hint
	p.hint = hint
	if loud {
		p.loud++
	}
	defer func() {
		p.hint = saved
		if loud {
			p.loud--
		}
	}()
	return p.revision(rev)
}

// Resolve returns the object a revision names (any of git's forms:
// HEAD~2, v1.0^{tree}, main:path, @{u}, HEAD@{1}, abbreviated ids, ...).
func (r *Repo) Resolve(rev string) (Hash, error) {
	p := &RevParser{Repo: r, Diag: func(string) {}}
	return p.Resolve(rev)
}

// ResolveCommit resolves rev and peels it to a commit.
func (r *Repo) ResolveCommit(rev string) (Hash, error) {
	return r.Resolve(rev + "^{commit}")
}

// badRevision is the error for a revision that does not resolve.
func badRevision(rev string) error { return &RevisionError{Rev: rev} }

// Resolve handles the top level: ":path" (index), "rev:path" (tree), or a
// plain revision.
func (p *RevParser) Resolve(rev string) (Hash, error) {
	if rest, ok := strings.CutPrefix(rev, ":"); ok {
		return p.indexPath(rev, rest)
	}
	if colon := TopLevelColon(rev); colon >= 0 {
		return p.treePath(rev, rev[:colon], rev[colon+1:])
	}
	return p.revision(rev)
}

// TopLevelColon finds the first ':' outside "{...}", or -1.
func TopLevelColon(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '{':
			depth++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			return i
		}
	}
	return -1
}

// indexPath resolves ":path" and ":N:path" from the index.
func (p *RevParser) indexPath(rev, spec string) (Hash, error) {
	stage := 0
	if len(spec) >= 2 && spec[0] >= '0' && spec[0] <= '3' && spec[1] == ':' {
		stage, spec = int(spec[0]-'0'), spec[2:]
	}
	if strings.HasPrefix(spec, "/") && stage == 0 {
		return ZeroHash, badRevision(rev)
	}
	idx, err := p.Repo.readIndex()
	if err != nil {
		return ZeroHash, badRevision(rev)
	}
	name := p.Repo.RelativeToTop(spec)
	for _, e := range idx.Entries {
		if e.Name == name && int(e.Stage) == stage {
			return Hash(e.Hash), nil
		}
	}
	return ZeroHash, badRevision(rev)
}

// readIndex decodes the index file with go-git.
func (r *Repo) readIndex() (*index.Index, error) {
	if r.heldFor() != nil {
		// The session's index in memory, brought to its file.
		if err := r.session.Flush(); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(r.indexFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx := &index.Index{}
	if err := index.NewDecoder(f).Decode(idx); err != nil {
		return nil, err
	}
	return idx, nil
}

// RelativeToTop turns a path given after ':' into a path from the top of
// the work tree: "./x" and "../x" are relative to the working directory.
func (r *Repo) RelativeToTop(p string) string {
	if p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") {
		joined := path.Join(r.prefix, p)
		if joined == "." {
			return ""
		}
		return joined
	}
	return p
}

// treePath resolves "rev:path" to the entry at path in rev's tree.
func (p *RevParser) treePath(rev, treeish, spec string) (Hash, error) {
	base, err := p.RevisionAs(treeish, "treeish", false)
	if err != nil {
		return ZeroHash, err
	}
	tree, _, err := p.Repo.Peel(base, TypeTree)
	if err != nil {
		return ZeroHash, badRevision(rev)
	}
	entry, err := p.Repo.LookupPath(tree, p.Repo.RelativeToTop(spec))
	if err != nil {
		return ZeroHash, badRevision(rev)
	}
	return entry.ID, nil
}

// revision resolves a revision without ':': suffixes ^{...}, ^N and ~N
// are applied to what the rest names.
func (p *RevParser) revision(rev string) (Hash, error) {
	if strings.HasSuffix(rev, "}") {
		if open := strings.LastIndex(rev, "^{"); open >= 0 {
			return p.peelSuffix(rev, rev[:open], peelKind(rev[open+2:]))
		}
	}
	if base, op, n, ok := splitAncestry(rev); ok {
		id, err := p.RevisionAs(base, "committish", true)
		if err != nil {
			return ZeroHash, err
		}
		return p.ancestor(rev, id, op, n)
	}
	return p.basic(rev)
}

// peelKind reads what a "^{...}" asks for from the text after "^{"
// (which ends with '}'): git only compares prefixes ("commit}", "}"), so
// "X^{}}" peels like "X^{}"; "/regex" keeps its regex.
func peelKind(inner string) string {
	for _, kind := range []string{TypeCommit, TypeTree, TypeBlob, TypeTag, "object"} {
		if strings.HasPrefix(inner, kind+"}") {
			return kind
		}
	}
	switch {
	case strings.HasPrefix(inner, "}"):
		return ""
	case strings.HasPrefix(inner, "/"):
		return inner[:len(inner)-1]
	}
	return "?" + inner
}

// splitAncestry splits a trailing "^N", "^", "~N" or "~".
func splitAncestry(rev string) (base string, op byte, n int, ok bool) {
	i := len(rev)
	for i > 0 && isDigit(rev[i-1]) {
		i--
	}
	if i == 0 || (rev[i-1] != '^' && rev[i-1] != '~') {
		return "", 0, 0, false
	}
	n = 1
	if i < len(rev) {
		v, err := strconv.Atoi(rev[i:])
		if err != nil {
			return "", 0, 0, false
		}
		n = v
	}
	return rev[:i-1], rev[i-1], n, true
}

// ancestor applies "^N" (Nth parent, ^0 the commit itself) or "~N" (Nth
// first-parent ancestor).
func (p *RevParser) ancestor(rev string, id Hash, op byte, n int) (Hash, error) {
	commit, _, err := p.Repo.Peel(id, TypeCommit)
	if err != nil {
		return ZeroHash, badRevision(rev)
	}
	if op == '^' {
		if n == 0 {
			return commit, nil
		}
		c, err := p.Repo.ReadCommit(commit)
		if err != nil || n > len(c.Parents) {
			return ZeroHash, badRevision(rev)
		}
		return c.Parents[n-1], nil
	}
	for ; n > 0; n-- {
		c, err := p.Repo.ReadCommit(commit)
		if err != nil || len(c.Parents) == 0 {
			return ZeroHash, badRevision(rev)
		}
		commit = c.Parents[0]
	}
	return commit, nil
}

// peelSuffix applies "^{type}", "^{}" and "^{/regex}".
func (p *RevParser) peelSuffix(rev, base, what string) (Hash, error) {
	hint := map[string]string{TypeCommit: "committish", TypeTree: "treeish"}[what]
	if strings.HasPrefix(what, "/") {
		hint = "committish"
	}
	id, err := p.RevisionAs(base, hint, false)
	if err != nil {
		return ZeroHash, err
	}
	switch what {
	case "":
		id, _, err = p.Repo.Peel(id, "")
	case "object":
		return id, nil
	case TypeCommit, TypeTree, TypeBlob, TypeTag:
		id, err = p.peelTo(rev, id, what)
	default:
		if pattern, ok := strings.CutPrefix(what, "/"); ok {
			return p.searchMessage(rev, id, pattern)
		}
		return ZeroHash, badRevision(rev)
	}
	if err != nil {
		return ZeroHash, badRevision(rev)
	}
	return id, nil
}

// PeelTo peels id to want, reporting a mismatch the way git does (naming
// the revision as written).
func (p *RevParser) peelTo(rev string, id Hash, want string) (Hash, error) {
	got, _, err := p.Repo.Peel(id, want)
	var pe *PeelError
	if errors.As(err, &pe) {
		p.emit(fmt.Sprintf("error: %s: expected %s type, but the object dereferences to %s type", rev, want, pe.Type))
	}
	return got, err
}

// searchMessage finds the youngest commit reachable from start whose
// message matches pattern ("^{/text}").
func (p *RevParser) searchMessage(rev string, start Hash, pattern string) (Hash, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return ZeroHash, badRevision(rev)
	}
	commit, _, err := p.Repo.Peel(start, TypeCommit)
	if err != nil {
		return ZeroHash, badRevision(rev)
	}
	found, err := p.Repo.walkNewestFirst([]Hash{commit}, func(h Hash, c Commit) bool {
		return re.MatchString(c.Message)
	})
	if err != nil || found.IsZero() {
		return ZeroHash, badRevision(rev)
	}
	return found, nil
}

// basic resolves a name without suffixes: full ids, reflog and branch
// forms with "@{...}", refs by git's rules, and abbreviated ids.
func (p *RevParser) basic(rev string) (Hash, error) {
	if len(rev) == HexSize {
		if id, err := ParseHash(strings.ToLower(rev)); err == nil {
			return id, nil
		}
	}
	if at := strings.Index(rev, "@{"); at >= 0 && strings.HasSuffix(rev, "}") {
		return p.atBrace(rev, rev[:at], rev[at+2:len(rev)-1])
	}
	if rev == "@" {
		rev = "HEAD"
	}
	if id, _, found := p.dwimRef(rev, rev); found {
		return id, nil
	}
	return p.abbreviated(rev)
}

// dwimRef resolves a short ref name with git's rules, warning when more
// than one rule matches. It returns the id and the full ref name matched
// (after symbolic refs).
func (p *RevParser) dwimRef(name, shown string) (Hash, string, bool) {
	if CheckRefName(name, true) != nil {
		return ZeroHash, "", false
	}
	var id Hash
	full, found := "", 0
	for _, rule := range refRules {
		candidate := fmt.Sprintf(rule, name)
		if rule == "%s" && !refNameIsSafe(candidate) {
			continue
		}
		h, final, err := p.Repo.ResolveRef(candidate)
		if err != nil {
			continue
		}
		if found == 0 {
			id, full = h, final
		}
		found++
	}
	if found == 0 {
		return ZeroHash, "", false
	}
	if found > 1 || p.isAbbreviatedObject(name) {
		p.emit(fmt.Sprintf("warning: refname '%s' is ambiguous.", shown))
	}
	return id, full, true
}

// isAbbreviatedObject reports whether name is also a unique abbreviated
// object id.
func (p *RevParser) isAbbreviatedObject(name string) bool {
	if len(name) < MinAbbrev || len(name) > HexSize || !isHex(name) {
		return false
	}
	ids, err := p.Repo.shared.objects.withPrefix(strings.ToLower(name))
	return err == nil && len(ids) == 1
}

// describeName matches `git describe` output ("v1.0-3-gabc1234").
var describeName = regexp.MustCompile(`-g([0-9a-fA-F]{4,40})$`)

// abbreviated resolves a unique hex prefix (or describe output).
func (p *RevParser) abbreviated(rev string) (Hash, error) {
	hexPart := rev
	if m := describeName.FindStringSubmatch(rev); m != nil {
		hexPart = m[1]
	}
	if len(hexPart) < MinAbbrev || len(hexPart) > HexSize || !isHex(hexPart) {
		return ZeroHash, badRevision(rev)
	}
	ids, err := p.Repo.shared.objects.withPrefix(strings.ToLower(hexPart))
	if err != nil || len(ids) == 0 {
		return ZeroHash, badRevision(rev)
	}
	if len(ids) > 1 && p.hint != "" {
		var passing []Hash
		for _, id := range ids {
			if p.Repo.matchesHint(id, p.hint) {
				passing = append(passing, id)
			}
		}
		switch {
		case len(passing) == 1:
			return passing[0], nil
		case len(passing) > 1:
			// Only the candidates of the wanted kind are listed.
			ids = passing
		}
	}
	if len(ids) > 1 {
		for _, line := range p.Repo.ambiguityDiag(hexPart, ids) {
			p.emit(line)
		}
		return ZeroHash, badRevision(rev)
	}
	return ids[0], nil
}

// atBrace resolves "name@{spec}": @{-N}, @{u}/@{upstream}, @{push} is not
// supported, and @{N} reflog entries.
func (p *RevParser) atBrace(rev, name, spec string) (Hash, error) {
	switch {
	case strings.HasPrefix(spec, "-") && name == "":
		n, err := strconv.Atoi(spec[1:])
		if err != nil || n <= 0 {
			return ZeroHash, badRevision(rev)
		}
		branch, ok := p.Repo.priorCheckout(n)
		if !ok {
			return ZeroHash, badRevision(rev)
		}
		if id, _, found := p.dwimRef(branch, rev); found {
			return id, nil
		}
		return p.abbreviated(branch)
	case strings.EqualFold(spec, "u") || strings.EqualFold(spec, "upstream"):
		upstream, err := p.Repo.Upstream(name)
		if err != nil {
			p.DieErr = err
			return ZeroHash, err
		}
		id, _, err := p.Repo.ResolveRef(upstream)
		if err != nil {
			return ZeroHash, badRevision(rev)
		}
		return id, nil
	}
	n, err := strconv.Atoi(spec)
	if err != nil || n < 0 {
		return ZeroHash, badRevision(rev)
	}
	return p.reflogEntry(rev, name, n)
}

// reflogEntry resolves "name@{n}": the value name had n changes ago.
func (p *RevParser) reflogEntry(rev, name string, n int) (Hash, error) {
	logName, ok := p.reflogName(name)
	if !ok {
		return ZeroHash, badRevision(rev)
	}
	entries, err := p.Repo.Reflog(logName)
	if err != nil || len(entries) == 0 {
		return ZeroHash, badRevision(rev)
	}
	if n < len(entries) {
		return entries[len(entries)-1-n].New, nil
	}
	p.DieErr = fmt.Errorf("log for '%s' only has %d entries", shortLogName(name, logName), len(entries))
	return ZeroHash, p.DieErr
}

// shortLogName is the ref name git uses in "log for ... only has"
// messages: what the user typed, or the current branch for "@{n}".
func shortLogName(typed, logName string) string {
	if typed == "" {
		return strings.TrimPrefix(logName, "refs/heads/")
	}
	return typed
}

// reflogName picks whose reflog "name@{n}" reads: the current branch's
// for an empty name, else the first ref git's rules find that has a
// reflog (the symbolic ref's own log before its target's).
func (p *RevParser) reflogName(name string) (string, bool) {
	if name == "" {
		_, full, err := p.Repo.ResolveRef("HEAD")
		return full, err == nil
	}
	if CheckRefName(name, true) != nil {
		return "", false
	}
	for _, rule := range refRules {
		candidate := fmt.Sprintf(rule, name)
		if rule == "%s" && !refNameIsSafe(candidate) {
			continue
		}
		_, final, err := p.Repo.ResolveRef(candidate)
		if err != nil {
			continue
		}
		for _, logName := range []string{candidate, final} {
			if _, err := os.Stat(p.Repo.reflogPath(logName)); err == nil {
				return logName, true
			}
		}
	}
	return "", false
}

// priorCheckout returns the branch checked out before the nth last
// "checkout: moving from A to B" of HEAD's reflog.
func (r *Repo) priorCheckout(n int) (string, bool) {
	entries, err := r.Reflog("HEAD")
	if err != nil {
		return "", false
	}
	for i := len(entries) - 1; i >= 0; i-- {
		rest, ok := strings.CutPrefix(entries[i].Message, "checkout: moving from ")
		if !ok {
			continue
		}
		from, _, ok := strings.Cut(rest, " to ")
		if !ok {
			continue
		}
		if n--; n == 0 {
			return from, true
		}
	}
	return "", false
}

// UpstreamError is a branch without a usable upstream; its text is git's
// message.
type UpstreamError struct{ msg string }

// Error is git's message for the missing upstream.
func (e *UpstreamError) Error() string { return e.msg }

// Upstream returns the remote-tracking ref a branch (short or full name;
// "" or "HEAD" for the current branch) merges from, as "@{upstream}"
// names it.
func (r *Repo) Upstream(branch string) (string, error) {
	if branch == "" || branch == "HEAD" {
		current := r.CurrentBranch()
		if !strings.HasPrefix(current, "refs/heads/") {
			return "", &UpstreamError{"HEAD does not point to a branch"}
		}
		branch = current
	}
	short := strings.TrimPrefix(branch, "refs/heads/")
	if _, _, err := r.ResolveRef("refs/heads/" + short); err != nil {
		return "", &UpstreamError{fmt.Sprintf("no such branch: '%s'", short)}
	}
	cfg, err := r.Config()
	if err != nil {
		return "", err
	}
	remote, hasRemote := cfg.Get("branch." + short + ".remote")
	merge, hasMerge := cfg.Get("branch." + short + ".merge")
	if !hasRemote || !hasMerge {
		return "", &UpstreamError{fmt.Sprintf("no upstream configured for branch '%s'", short)}
	}
	if remote == "." {
		return merge, nil
	}
	for _, spec := range cfg.GetAll("remote." + remote + ".fetch") {
		if dst, ok := mapRefspec(spec, merge); ok {
			return dst, nil
		}
	}
	return "", &UpstreamError{fmt.Sprintf("upstream branch '%s' not stored as a remote-tracking branch", merge)}
}

// mapRefspec maps ref through a fetch refspec "[+]src:dst" (with at most
// one '*' on each side).
func mapRefspec(spec, ref string) (string, bool) {
	src, dst, ok := strings.Cut(strings.TrimPrefix(spec, "+"), ":")
	if !ok || dst == "" {
		return "", false
	}
	before, after, wild := strings.Cut(src, "*")
	if !wild {
		return dst, src == ref
	}
	if !strings.HasPrefix(ref, before) || !strings.HasSuffix(ref, after) || len(ref) < len(before)+len(after) {
		return "", false
	}
	matched := ref[len(before) : len(ref)-len(after)]
	return strings.Replace(dst, "*", matched, 1), true
}
