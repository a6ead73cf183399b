package subtree

import (
	"io"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi"
)

// cmdSplit is cmd_split (git-subtree:915-1005) up to its last echo: the
// new subtree history's tip, after --rejoin and -b did their work.
func (s *subtree) cmdSplit(args []string) (string, error) {
	var rev string
	switch len(args) {
	case 0:
		rev, _ = s.gitOutput("rev-parse", "HEAD")
	case 1, 2:
		var code int
		rev, code = s.gitOutput("rev-parse", "-q", "--verify", args[0]+"^{commit}")
		if code != 0 {
			return "", s.die("fatal: '" + args[0] + "' does not refer to a commit")
		}
	default:
		return "", s.die("fatal: you must provide exactly one revision, and optionnally a repository.  Got: '" + strings.Join(args, " ") + "'")
	}
	repository := ""
	if len(args) == 2 {
		repository = args[1]
	}
	if s.opts.rejoin {
		if err := s.ensureClean(); err != nil {
			return "", err
		}
	}
	s.debug("Splitting " + s.dir + "...")
	if err := s.cacheSetup(); err != nil {
		return "", err
	}
	latestNew, err := s.splitHistory(rev, repository)
	if ferr := s.cache.flush(); err == nil && ferr != nil {
		return "", s.die("fatal: " + ferr.Error())
	}
	if err != nil {
		return "", err
	}
	if s.opts.rejoin {
		if err := s.rejoin(latestNew); err != nil {
			return "", err
		}
	}
	if s.opts.branch != "" {
		if err := s.splitBranch(latestNew); err != nil {
			return "", err
		}
	}
	return latestNew, nil
}

// splitHistory is git-subtree:940-973: the cache filled from --onto and
// earlier splits, the walk, and the new history's tip.
func (s *subtree) splitHistory(rev, repository string) (string, error) {
	if s.opts.onto != "" {
		if err := s.readOnto(); err != nil {
			return "", err
		}
	}
	unrevs, err := s.findExistingSplits(s.dir, rev, repository)
	if err != nil {
		return "", err
	}
	if err := s.splitWalk(rev, unrevs); err != nil {
		return "", err
	}
	latestNew, ok := s.cache.get("latest_new")
	if !ok || latestNew == "" {
		return "", s.die("fatal: no new revisions were found")
	}
	return latestNew, nil
}

// readOnto is git-subtree:940-951: every commit of the --onto history
// maps to itself.
func (s *subtree) readOnto() error {
	s.debug("Reading history for --onto=" + s.opts.onto + "...")
	revs := s.listOnto(strings.Fields(s.opts.onto))
	for _, rev := range revs {
		s.debug("cache: " + rev)
		if err := s.cacheSet(rev, rev); err != nil {
			return err
		}
	}
	return nil
}

// splitWalk is git-subtree:958-967: every commit from rev not behind an
// earlier split, oldest first.
func (s *subtree) splitWalk(rev string, unrevs []string) error {
	lines, err := s.splitRevs(rev, unrevs)
	if err != nil {
		return err
	}
	s.revmax = len(lines)
	for _, line := range lines {
		if err := s.processSplitCommit(line.rev, line.parents, false); err != nil {
			return err
		}
	}
	return nil
}

// revLine is one line of rev-list --parents.
type revLine struct {
	rev     string
	parents []string
}

// processSplitCommit is process_split_commit (git-subtree:782-833).
// nested is the script's $indent being above zero: a parent met out of
// order, whose parents are read from the commit.
func (s *subtree) processSplitCommit(rev string, parents []string, nested bool) error {
	parentsText := strings.Join(parents, " ")
	if !nested {
		s.revcount++
	} else {
		id, err := gitapi.ParseHash(rev)
		if err != nil {
			return s.die("fatal: bad revision " + rev)
		}
		c, err := s.repo.ReadCommit(id)
		if err != nil {
			return s.die("fatal: " + err.Error())
		}
		parents = parents[:0:0]
		for _, p := range c.Parents {
			parents = append(parents, p.String())
		}
		parentsText = strings.Join(parents, "\n")
		s.extracount++
	}
	s.progress(strconv.Itoa(s.revcount) + "/" + strconv.Itoa(s.revmax) + " (" + strconv.Itoa(s.createcount) + ") [" + strconv.Itoa(s.extracount) + "]")
	s.debug("Processing commit: " + rev)
	s.indent++
	defer func() { s.indent-- }()
	if exists, ok := s.cache.get(rev); ok {
		s.debug("prior: " + exists)
		return nil
	}
	s.createcount++
	s.debug("parents: " + parentsText)
	if err := s.checkParents(parents); err != nil {
		return err
	}
	var newparents []string
	for _, p := range parents {
		if v, ok := s.cache.get(p); ok {
			newparents = append(newparents, v)
		}
	}
	s.debug("newparents: " + strings.Join(newparents, "\n"))
	tree, err := s.subtreeForCommit(rev)
	if err != nil {
		return err
	}
	s.debug("tree is: " + tree)
	if tree == "" {
		if err := s.setNotree(rev); err != nil {
			return err
		}
		if len(newparents) > 0 {
			return s.cacheSet(rev, rev)
		}
		return nil
	}
	newrev, err := s.copyOrSkip(rev, tree, newparents)
	if err != nil {
		return err
	}
	s.debug("newrev is: " + newrev)
	for _, kv := range [][2]string{{rev, newrev}, {"latest_new", newrev}, {"latest_old", rev}} {
		if err := s.cacheSet(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// checkParents is check_parents (git-subtree:317-328).
func (s *subtree) checkParents(parents []string) error {
	var missed []string
	for _, p := range parents {
		if _, ok := s.cache.get(p); !ok {
			missed = append(missed, p)
		}
	}
	s.indent++
	defer func() { s.indent-- }()
	for _, miss := range missed {
		if !s.cache.notree[miss] {
			s.debug("incorrect order: " + miss)
			if err := s.processSplitCommit(miss, nil, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// subtreeForCommit is subtree_for_commit (git-subtree:633-646): the tree
// at $dir in the commit, "" when there is none or it is a submodule.
func (s *subtree) subtreeForCommit(rev string) (string, error) {
	id, err := gitapi.ParseHash(rev)
	if err != nil {
		return "", s.die("fatal: bad revision " + rev)
	}
	c, err := s.repo.ReadCommit(id)
	if err != nil {
		return "", s.die("fatal: " + err.Error())
	}
	e, err := s.repo.LookupPath(c.Tree, s.dir)
	if err != nil {
		return "", nil
	}
	switch gitapi.TypeOfMode(modeBits(e.Mode)) {
	case "tree":
		return e.ID.String(), nil
	case "commit":
		return "", nil
	}
	return "", s.die("fatal: assertion failed: test " + gitapi.TypeOfMode(modeBits(e.Mode)) + " = tree -o " + gitapi.TypeOfMode(modeBits(e.Mode)) + " = commit")
}

// modeBits parses a tree entry's octal mode.
func modeBits(mode string) uint32 {
	v, _ := strconv.ParseUint(mode, 8, 32)
	return uint32(v)
}

// topTree is toptree_for_commit (git-subtree:626-630).
func (s *subtree) topTree(rev string) (gitapi.Hash, error) {
	if tree, ok := s.trees[rev]; ok {
		return tree, nil
	}
	id, err := gitapi.ParseHash(rev)
	if err == nil {
		var c gitapi.Commit
		if c, err = s.repo.ReadCommit(id); err == nil {
			s.rememberTree(rev, c.Tree)
			return c.Tree, nil
		}
	}
	out, code := s.gitOutput("rev-parse", "--verify", rev+"^{tree}")
	if code != 0 {
		return gitapi.Hash{}, stop(code)
	}
	return gitapi.ParseHash(out)
}

// copyOrSkip is copy_or_skip (git-subtree:685-759): an identical parent
// stands for the commit where no history would be lost; else the commit
// is copied onto the new parents.
func (s *subtree) copyOrSkip(rev, tree string, newparents []string) (string, error) {
	treeID, err := gitapi.ParseHash(tree)
	if err != nil {
		return "", s.die("fatal: bad tree " + tree)
	}
	var identical, nonidentical string
	var gotparents []string
	copycommit := false
	for _, parent := range newparents {
		ptree, err := s.topTree(parent)
		if err != nil {
			return "", err
		}
		if ptree == treeID {
			if identical != "" {
				mergebase, err := s.mergeBase(identical, parent)
				if err != nil {
					return "", err
				}
				if identical == mergebase {
					identical = parent
				} else if parent != mergebase {
					copycommit = true
				}
			} else {
				identical = parent
			}
		} else {
			nonidentical = parent
		}
		isNew := true
		for _, gp := range gotparents {
			if gp == parent {
				isNew = false
				break
			}
		}
		if isNew {
			gotparents = append(gotparents, parent)
		}
	}
	if identical != "" && nonidentical != "" {
		// rev-list --count identical..nonidentical is not zero exactly
		// when nonidentical is not an ancestor of identical.
		a, err1 := gitapi.ParseHash(nonidentical)
		b, err2 := gitapi.ParseHash(identical)
		if err1 != nil || err2 != nil {
			return "", s.die("fatal: bad revision " + identical + ".." + nonidentical)
		}
		behind, err := s.repo.IsAncestor(a, b)
		if err != nil {
			return "", s.die("fatal: " + err.Error())
		}
		if !behind {
			copycommit = true
		}
	}
	if identical != "" && !copycommit {
		return identical, nil
	}
	return s.copyCommit(rev, treeID, gotparents)
}

// mergeBase is $(git merge-base A B): the first merge base, or "".
func (s *subtree) mergeBase(a, b string) (string, error) {
	ha, err1 := gitapi.ParseHash(a)
	hb, err2 := gitapi.ParseHash(b)
	if err1 != nil || err2 != nil {
		out, _ := s.gitOutput("merge-base", a, b)
		return out, nil
	}
	bases, err := s.repo.MergeBases(ha, hb)
	if err != nil {
		return "", s.die("fatal: " + err.Error())
	}
	if len(bases) == 0 {
		return "", nil
	}
	return bases[0].String(), nil
}

// copyCommit is copy_commit (git-subtree:514-539): the commit's author,
// committer and message (after --annotate's prefix) on a new tree and
// parents.
func (s *subtree) copyCommit(rev string, tree gitapi.Hash, parents []string) (string, error) {
	pflags := ""
	for _, p := range parents {
		pflags += " -p " + p
	}
	s.debug("copy_commit {" + rev + "} {" + tree.String() + "} {" + pflags + "}")
	id, err := gitapi.ParseHash(rev)
	if err != nil {
		return "", s.die("fatal: can't copy commit " + rev)
	}
	_, data, err := s.repo.ReadObject(id)
	if err != nil {
		return "", s.die("fatal: can't copy commit " + rev)
	}
	header, msg, _ := strings.Cut(string(data), "\n\n")
	var env []string
	for _, line := range strings.Split(header, "\n") {
		role, value, _ := strings.Cut(line, " ")
		if role == "encoding" && isLatin1(value) {
			// git log's %B comes re-encoded to UTF-8
			msg = latin1ToUTF8(msg)
		}
		if role != "author" && role != "committer" {
			continue
		}
		name, email, date := splitIdent(value)
		up := strings.ToUpper(role)
		env = append(env, "GIT_"+up+"_NAME="+shellRead(name), "GIT_"+up+"_EMAIL="+shellRead(email), "GIT_"+up+"_DATE="+date)
	}
	var ps []gitapi.Hash
	for _, p := range parents {
		h, err := gitapi.ParseHash(p)
		if err != nil {
			return "", s.die("fatal: can't copy commit " + rev)
		}
		ps = append(ps, h)
	}
	newID, warning, err := s.repo.WithEnv(env...).CommitTree(tree, ps, []byte(s.opts.annotate+msg))
	if warning != "" {
		io.WriteString(s.err, warning)
	}
	if err != nil {
		io.WriteString(s.err, "fatal: "+err.Error()+"\n")
		return "", s.die("fatal: can't copy commit " + rev)
	}
	s.rememberTree(newID.String(), tree)
	return newID.String(), nil
}

// rememberTree notes a commit's tree: the walk asks again for the trees
// of the commits it writes.
func (s *subtree) rememberTree(rev string, tree gitapi.Hash) {
	if s.trees == nil {
		s.trees = map[string]gitapi.Hash{}
	}
	s.trees[rev] = tree
}

// splitIdent splits an ident header's value ("Name <email> 123 +0000")
// into the parts git log's %an, %ae and the date (as "@123 +0000", which
// GIT_*_DATE reads back to the same instant and zone).
func splitIdent(value string) (name, email, date string) {
	lt := strings.IndexByte(value, '<')
	gt := strings.LastIndexByte(value, '>')
	if lt < 0 || gt < lt {
		return value, "", ""
	}
	name = strings.TrimRight(value[:lt], " ")
	email = value[lt+1 : gt]
	date = strings.TrimSpace(value[gt+1:])
	if date != "" {
		date = "@" + date
	}
	return name, email, date
}

// rejoin is git-subtree:975-986: the split history merged back into HEAD
// with an add or a merge, its output on stderr.
func (s *subtree) rejoin(latestNew string) error {
	s.debug("Merging split branch into HEAD...")
	latestOld, _ := s.cache.get("latest_old")
	s.opts.message = s.rejoinMsg(s.dir, latestOld, latestNew)
	// $(find_latest_squash) under test -z: a failure inside counts
	// as no squash found.
	squash, err := s.findLatestSquash(s.dir, "")
	if err != nil {
		squash = ""
	}
	sub := *s
	sub.out = s.err
	if squash == "" {
		err = sub.cmdAdd([]string{latestNew})
	} else {
		err = sub.cmdMerge([]string{latestNew})
	}
	s.indent = sub.indent
	return err
}

// splitBranch is git-subtree:987-1002: -b creates or fast-forwards a
// branch to the split.
func (s *subtree) splitBranch(latestNew string) error {
	branch := s.opts.branch
	action := "Created"
	if s.gitQuiet("rev-parse", "refs/heads/"+branch) == 0 {
		if s.git(nil, s.out, s.err, "merge-base", "--is-ancestor", branch, latestNew) != 0 {
			return s.die("fatal: branch '" + branch + "' is not an ancestor of commit '" + latestNew + "'.")
		}
		action = "Updated"
	}
	if code := s.git(nil, s.out, s.err, "update-ref", "-m", "subtree split", "refs/heads/"+branch, latestNew); code != 0 {
		return stop(code)
	}
	s.say(s.err, action+" branch '"+branch+"'")
	return nil
}

// isLatin1 reports whether an encoding header names ISO-8859-1, which
// git log re-encodes to UTF-8 byte for byte.
func isLatin1(name string) bool {
	switch strings.ToLower(name) {
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
		return true
	}
	return false
}

// latin1ToUTF8 reads every byte as the Latin-1 character it is.
func latin1ToUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}
