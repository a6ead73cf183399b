package subtree

import (
	"io"
	"strings"
)

// ensureClean is ensure_clean (git-subtree:762-772); git's messages go
// to stdout, as the script redirects them.
func (s *subtree) ensureClean() error {
	if s.git(nil, s.out, s.out, "diff-index", "HEAD", "--exit-code", "--quiet") != 0 {
		return s.die("fatal: working tree has modifications.  Cannot add.")
	}
	if s.git(nil, s.out, s.out, "diff-index", "--cached", "HEAD", "--exit-code", "--quiet") != 0 {
		return s.die("fatal: index has modifications.  Cannot add.")
	}
	return nil
}

// ensureValidRefFormat is ensure_valid_ref_format (git-subtree:775-779).
func (s *subtree) ensureValidRefFormat(ref string) error {
	if s.git(nil, s.out, s.err, "check-ref-format", "refs/heads/"+ref) != 0 {
		return s.die("fatal: '" + ref + "' does not look like a ref")
	}
	return nil
}

// cmdAdd is cmd_add (git-subtree:837-862).
func (s *subtree) cmdAdd(args []string) error {
	if err := s.ensureClean(); err != nil {
		return err
	}
	switch len(args) {
	case 1:
		if s.gitQuiet("rev-parse", "-q", "--verify", args[0]+"^{commit}") != 0 {
			return s.die("fatal: '" + args[0] + "' does not refer to a commit")
		}
		return s.cmdAddCommit(args[0])
	case 2:
		if err := s.ensureValidRefFormat(args[1]); err != nil {
			return err
		}
		return s.cmdAddRepository(args[0], args[1])
	}
	s.say(s.err, "fatal: parameters were '"+strings.Join(args, " ")+"'")
	return s.die("Provide either a commit or a repository and commit.")
}

// cmdAddRepository is cmd_add_repository (git-subtree:865-872).
func (s *subtree) cmdAddRepository(repository, refspec string) error {
	io.WriteString(s.out, "git fetch "+repository+" "+refspec+"\n")
	if code := s.git(s.in, s.out, s.err, "fetch", repository, refspec); code != 0 {
		return stop(code)
	}
	return s.cmdAddCommit("FETCH_HEAD")
}

// cmdAddCommit is cmd_add_commit (git-subtree:875-912): the commit's tree
// read in under the prefix and committed on HEAD as a merge.
func (s *subtree) cmdAddCommit(arg string) error {
	rev, code := s.gitOutput("rev-parse", "--verify", arg+"^{commit}")
	if code != 0 {
		return stop(code)
	}
	s.debug("Adding " + s.dir + " as '" + rev + "'...")
	var inProcess bool
	if s.opts.rejoin {
		inProcess = s.checkoutPrefix()
	} else {
		inProcess = s.readTreeCheckout(rev)
	}
	if !inProcess {
		if !s.opts.rejoin {
			if code := s.git(s.in, s.out, s.err, "read-tree", "--prefix="+s.dir, rev); code != 0 {
				return stop(code)
			}
		}
		if code := s.git(s.in, s.out, s.err, "checkout", "--", s.dir); code != 0 {
			return stop(code)
		}
	}
	tree, code := s.gitOutput("write-tree")
	if code != 0 {
		return stop(code)
	}
	headrev, code := s.gitOutput("rev-parse", "--verify", "HEAD")
	if code != 0 {
		return stop(code)
	}
	var parents []string
	if headrev != "" && headrev != rev {
		parents = append(parents, headrev)
	}
	var msg string
	if s.opts.squash {
		squashed, err := s.newSquashCommit("", "", rev)
		if err != nil {
			return err
		}
		rev = squashed
		msg = s.addSquashedMsg(rev, s.dir)
	} else {
		revp, code := s.gitOutput("rev-parse", "--verify", rev+"^0")
		if code != 0 {
			return stop(code)
		}
		msg = s.addMsg(s.dir, headrev, rev)
		rev = revp
	}
	commit, err := s.commitTree(tree, append(parents, rev), msg)
	if err != nil {
		return err
	}
	if !s.resetTo(commit, headrev) {
		if code := s.git(s.in, s.out, s.err, "reset", commit); code != 0 {
			return stop(code)
		}
	}
	s.say(s.err, "Added dir '"+s.dir+"'")
	return nil
}

// commitTree is $(MSG | git commit-tree TREE -p PARENT...).
func (s *subtree) commitTree(tree string, parents []string, msg string) (string, error) {
	args := []string{"commit-tree", tree}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	var out strings.Builder
	code := s.git(strings.NewReader(msg), &out, s.err, args...)
	if code != 0 {
		return "", stop(code)
	}
	return strings.TrimRight(out.String(), "\n"), nil
}

// addMsg is add_msg (git-subtree:542-567).
func (s *subtree) addMsg(dir, latestOld, latestNew string) string {
	msg := s.opts.message
	if msg == "" {
		msg = "Add '" + dir + "/' from commit '" + latestNew + "'"
	}
	if s.opts.rejoin {
		return msg + "\n"
	}
	return msg + "\n\ngit-subtree-dir: " + dir + "\ngit-subtree-mainline: " + latestOld + "\ngit-subtree-split: " + latestNew + "\n"
}

// addSquashedMsg is add_squashed_msg (git-subtree:570-578).
func (s *subtree) addSquashedMsg(rev, dir string) string {
	if s.opts.message != "" {
		return s.opts.message + "\n"
	}
	return "Merge commit '" + rev + "' as '" + dir + "'\n"
}

// rejoinMsg is $(rejoin_msg ...) (git-subtree:581-599), trailing newlines
// gone as command substitution takes them.
func (s *subtree) rejoinMsg(dir, latestOld, latestNew string) string {
	msg := s.opts.message
	if msg == "" {
		msg = "Split '" + dir + "/' into commit '" + latestNew + "'"
	}
	return msg + "\n\ngit-subtree-dir: " + dir + "\ngit-subtree-mainline: " + latestOld + "\ngit-subtree-split: " + latestNew
}

// squashMsg is squash_msg (git-subtree:602-623).
func (s *subtree) squashMsg(dir, oldsub, newsub string) (string, error) {
	short, code := s.gitOutput("rev-parse", "--short", newsub)
	if code != 0 {
		return "", stop(code)
	}
	var b strings.Builder
	if oldsub != "" {
		oldShort, code := s.gitOutput("rev-parse", "--short", oldsub)
		if code != 0 {
			return "", stop(code)
		}
		b.WriteString("Squashed '" + dir + "/' changes from " + oldShort + ".." + short + "\n\n")
		b.WriteString(s.logRange("", oldsub+".."+newsub))
		b.WriteString(s.logRange("REVERT: ", newsub+".."+oldsub))
	} else {
		b.WriteString("Squashed '" + dir + "/' content from commit " + short + "\n")
	}
	b.WriteString("\ngit-subtree-dir: " + dir + "\ngit-subtree-split: " + newsub + "\n")
	return b.String(), nil
}

// newSquashCommit is new_squash_commit (git-subtree:668-682).
func (s *subtree) newSquashCommit(old, oldsub, newsub string) (string, error) {
	tree, err := s.topTree(newsub)
	if err != nil {
		return "", err
	}
	msg, err := s.squashMsg(s.dir, oldsub, newsub)
	if err != nil {
		return "", err
	}
	var parents []string
	if old != "" {
		parents = append(parents, old)
	}
	return s.commitTree(tree.String(), parents, msg)
}

// cmdMerge is cmd_merge (git-subtree:1008-1047).
func (s *subtree) cmdMerge(args []string) error {
	if len(args) != 1 && len(args) != 2 {
		return s.die("fatal: you must provide exactly one revision, and optionally a repository. Got: '" + strings.Join(args, " ") + "'")
	}
	rev, code := s.gitOutput("rev-parse", "-q", "--verify", args[0]+"^{commit}")
	if code != 0 {
		return s.die("fatal: '" + args[0] + "' does not refer to a commit")
	}
	repository := ""
	if len(args) == 2 {
		repository = args[1]
	}
	if err := s.ensureClean(); err != nil {
		return err
	}
	if s.opts.squash {
		first, err := s.findLatestSquash(s.dir, repository)
		if err != nil {
			return err
		}
		if first == "" {
			return s.die("fatal: can't squash-merge: '" + s.dir + "' was never added.")
		}
		words := strings.Fields(first)
		old, sub := words[0], ""
		if len(words) > 1 {
			sub = words[1]
		}
		if sub == rev {
			s.say(s.err, "Subtree is already at commit "+rev+".")
			return stop(0)
		}
		newRev, err := s.newSquashCommit(old, sub, rev)
		if err != nil {
			return err
		}
		s.debug("New squash commit: " + newRev)
		rev = newRev
	}
	args = []string{"merge", "--no-ff", "-Xsubtree=" + s.opts.prefix}
	if s.opts.message != "" {
		args = append(args, "--message="+s.opts.message)
	}
	if code := s.git(s.in, s.out, s.err, append(args, rev)...); code != 0 {
		return stop(code)
	}
	return nil
}

// cmdPull is cmd_pull (git-subtree:1050-1061).
func (s *subtree) cmdPull(args []string) error {
	if len(args) != 2 {
		return s.die("fatal: you must provide <repository> <ref>")
	}
	if err := s.ensureClean(); err != nil {
		return err
	}
	if err := s.ensureValidRefFormat(args[1]); err != nil {
		return err
	}
	if code := s.git(s.in, s.out, s.err, "fetch", args[0], args[1]); code != 0 {
		return stop(code)
	}
	return s.cmdMerge([]string{"FETCH_HEAD", args[0]})
}

// cmdPush is cmd_push (git-subtree:1064-1090).
func (s *subtree) cmdPush(args []string) error {
	if len(args) != 2 {
		return s.die("fatal: you must provide <repository> <refspec>")
	}
	if _, err := statPath(s.topPath(s.dir)); err != nil {
		return s.die("fatal: '" + s.dir + "' must already exist. Try 'git subtree add'.")
	}
	repository := args[0]
	refspec := strings.TrimPrefix(args[1], "+")
	remoteref := refspec
	if _, after, ok := strings.Cut(refspec, ":"); ok {
		remoteref = after
	}
	localname := "HEAD"
	if remoteref != refspec {
		localname, _, _ = strings.Cut(refspec, ":")
	}
	if err := s.ensureValidRefFormat(remoteref); err != nil {
		return err
	}
	local, code := s.gitOutput("rev-parse", "-q", "--verify", localname+"^{commit}")
	if code != 0 {
		return s.die("fatal: '" + localname + "' does not refer to a commit")
	}
	io.WriteString(s.out, "git push using:  "+repository+" "+refspec+"\n")
	// localrev=$(cmd_split ...) || die: the split's stdout is captured,
	// and a failing split ends with die's empty line.
	split := *s
	var captured strings.Builder
	split.out = &captured
	localrev, err := split.cmdSplit([]string{local, repository})
	switch {
	case err == nil:
		localrev = strings.TrimRight(captured.String()+localrev, "\n")
	case exitStatus(err) == 0:
		localrev = strings.TrimRight(captured.String(), "\n")
	default:
		return s.die("")
	}
	if code := s.git(s.in, s.out, s.err, "push", repository, localrev+":refs/heads/"+remoteref); code != 0 {
		return stop(code)
	}
	return nil
}
