package quiltimport

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/kiln-dev/kiln/gitapi/gitmsg"
	"github.com/kiln-dev/kiln/gitapi/libc"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/apply"
	"github.com/kiln-dev/kiln/gitapi/mailinfo"
)

// Main runs git-quiltimport with the arguments after its name, in the
// process's directory and environment as git runs its commands, and
// returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	q := &importer{environ: os.Environ(), stdin: bufio.NewReader(stdin), out: out, err: &flushingWriter{flush: out, w: stderr},
		session: gitapi.NewSession()}
	defer q.writeHeldOnSignal()()
	return q.run(args)
}

// flushingWriter keeps stdout and stderr in the order the script writes
// them: stdout is flushed before anything goes to stderr.
type flushingWriter struct {
	flush *bufio.Writer
	w     io.Writer
}

func (f *flushingWriter) Write(p []byte) (int, error) {
	f.flush.Flush()
	return f.w.Write(p)
}

// importer is one run: the script's variables.
type importer struct {
	environ []string
	out     *bufio.Writer
	err     io.Writer
	repo    *gitapi.Repo
	cfg     *gitapi.Config // read once, as git reads it while setting up
	// session holds the index in memory between patches, its lock
	// taken at the first patch and the file written once, when the run
	// ends or something outside may read it (see flush).
	session *gitapi.Session
	// head is HEAD's update-ref per patch, held the same way: the
	// branch's lock taken at the first patch, the ref and its reflogs
	// written when the index is.
	head *gitapi.HeldRef
	// step is held while a patch is committed, and by flush: a signal
	// writes what the run holds between patches (writeHeldOnSignal).
	step     sync.Mutex
	opts     options
	patches  string // QUILT_PATCHES
	series   string // QUILT_SERIES
	tmpDir   string // $GIT_DIR/rebase-apply
	commit   string // the commit the next patch goes on
	stdin    *bufio.Reader
	name     string // GIT_AUTHOR_NAME
	email    string // GIT_AUTHOR_EMAIL
	authName string // quilt_author_name
	authMail string // quilt_author_email
	held     int    // patches imported since what the run holds was last written (flushEvery)
}

func (q *importer) environMap() map[string]string {
	m := map[string]string{}
	for _, kv := range q.environ {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

func (q *importer) run(args []string) int {
	// git reads the repository's configuration as it sets up, before
	// git-sh-setup's rev-parse --parseopt parses anything.
	r, openErr := gitapi.Open(gitapi.Options{Env: q.environ, Session: q.session})
	if openErr == nil {
		cfg, err := r.Config()
		if err != nil {
			fmt.Fprintf(q.err, "fatal: %v\n", err)
			return 128
		}
		q.cfg = cfg
	}
	found, err := parseOptions(args, q.out, q.err)
	if err == nil {
		err = q.gitDirInit(r, openErr)
	}
	if err != nil {
		return exitStatus(err)
	}
	opts, ok := optionLoop(found, q.environMap())
	if !ok {
		// git-quiltimport:43 calls usage: "$0" -h, then exit 1.
		io.WriteString(q.out, spec.UsageText(false))
		return 1
	}
	q.opts = opts
	if err := q.checkInputs(); err != nil {
		return exitStatus(err)
	}
	return q.importSeries()
}

// gitDirInit is git-sh-setup's git_dir_init (git-sh-setup:325-340):
// a repository, entered at the top of its work tree.
func (q *importer) gitDirInit(r *gitapi.Repo, err error) error {
	if err != nil {
		fmt.Fprintf(q.err, "fatal: %v\n", err)
		return stop(128)
	}
	// SUBDIRECTORY_OK is unset (git-quiltimport:13 sets SUBDIRECTORY_ON).
	if r.IsInsideWorkTree() && r.Prefix() != "" {
		io.WriteString(q.err, "You need to run this command from the toplevel of the working tree.\n")
		return stop(1)
	}
	q.repo = r
	q.session.HoldIndex(r.IndexFile())
	return nil
}

// checkInputs is git-quiltimport:49-70: the --author value, the patch
// directory and the series file.
func (q *importer) checkInputs() error {
	if q.opts.author != "" {
		name, email, ok := parseAuthor(q.opts.author)
		if !ok {
			io.WriteString(q.err, "malformed --author parameter\n")
			return stop(1)
		}
		q.authName, q.authMail = name, email
	}
	q.patches = q.opts.patches
	if q.patches == "" {
		q.patches = "patches"
	}
	if info, err := os.Stat(q.patches); err != nil || !info.IsDir() {
		io.WriteString(q.out, echoLine(`The "`+q.patches+`" directory does not exist.`))
		return stop(1)
	}
	q.series = q.opts.series
	if q.series == "" {
		q.series = q.patches + "/series"
	}
	if _, err := os.Stat(q.series); err != nil {
		io.WriteString(q.out, echoLine(`The "`+q.series+`" file does not exist.`))
		return stop(1)
	}
	return nil
}

// importSeries is git-quiltimport:72-155.
func (q *importer) importSeries() int {
	q.tmpDir = filepath.Join(q.repo.GitDir(), "rebase-apply")
	q.step.Lock()
	q.head = q.repo.HoldRef("HEAD")
	q.step.Unlock()
	q.commit = q.revParseHead()
	// git-quiltimport:82
	if err := os.Mkdir(q.tmpDir, 0o777); err != nil {
		fmt.Fprintf(q.err, "mkdir: cannot create directory '%s': %s\n", q.tmpDir, libc.Strerror(err))
		return 2
	}
	series, err := os.Open(q.series)
	if err != nil {
		fmt.Fprintf(q.err, "git-quiltimport: 154: cannot open %s: %s\n", q.series, libc.Strerror(err))
		return 2
	}
	defer series.Close()
	lines := bufio.NewReader(series)
	for {
		// git-quiltimport:83
		fields, complete := readLine(lines, 3)
		if !complete {
			break
		}
		if err := q.importLine(fields); err != nil {
			q.flush()
			return exitStatus(err)
		}
		if err := q.flushEvery(heldPatches); err != nil {
			return 4
		}
	}
	// What the last patch's git apply and update-ref left.
	if err := q.flush(); err != nil {
		return 4
	}
	// git-quiltimport:155
	if err := os.RemoveAll(q.tmpDir); err != nil {
		fmt.Fprintf(q.err, "rm: cannot remove '%s': %s\n", q.tmpDir, libc.Strerror(err))
		return 5
	}
	return 0
}

// revParseHead is commit=$(git rev-parse HEAD) (git-quiltimport:80): on
// an unborn branch git prints "HEAD" and, unless a file is named so,
// dies for an ambiguous argument; the script goes on with "HEAD" as the
// parent to be.
func (q *importer) revParseHead() string {
	warn := func(line string) { fmt.Fprintln(q.err, line) }
	p := &gitapi.RevParser{Repo: q.repo, Diag: warn, LoudDiag: warn}
	id, err := p.Resolve("HEAD")
	switch {
	case err == nil:
		return id.String()
	case p.DieErr != nil || !errors.Is(err, gitapi.ErrBadRevision):
		// git dies: of what it found on the way, else of the error.
		fmt.Fprintf(q.err, "fatal: %s\n", gitmsg.Text(cmp.Or(p.DieErr, err)))
		return ""
	}
	if _, err := os.Lstat(gitapi.AbsFrom(q.repo.Cwd(), "HEAD")); err != nil {
		// git resolves the name again to diagnose it, which repeats
		// some of its messages.
		(&gitapi.RevParser{Repo: q.repo, Diag: warn, LoudDiag: warn, Diagnosing: true}).Resolve("HEAD")
		fmt.Fprintf(q.err, "fatal: %s\n", gitmsg.AmbiguousArgument("HEAD"))
	}
	return "HEAD"
}

// importLine handles one line of the series (git-quiltimport:85-153).
func (q *importer) importLine(fields []string) error {
	for len(fields) < 3 {
		fields = append(fields, "")
	}
	patchName, level, garbage := fields[0], fields[1], fields[2]
	if patchName == "" || strings.HasPrefix(patchName, "#") {
		return nil
	}
	// git-quiltimport:86-99
	switch {
	case strings.HasPrefix(level, "-p"):
	case level == "" || strings.HasPrefix(level, "#"):
		level = ""
	default:
		io.WriteString(q.out, "unable to parse patch level, ignoring it.\n")
		level = ""
	}
	if garbage != "" && !strings.HasPrefix(garbage, "#") {
		io.WriteString(q.out, echoLine("trailing garbage found in series file: "+garbage))
		return stop(1)
	}
	// git-quiltimport:100-104
	patchPath := q.patches + "/" + patchName
	if info, err := os.Stat(patchPath); err != nil || !info.Mode().IsRegular() {
		io.WriteString(q.out, echoLine(patchName+" doesn't exist. Skipping."))
		return nil
	}
	io.WriteString(q.out, echoLine(unquotedWords(patchName)...))
	if err := q.mailinfo(patchPath); err != nil {
		return err
	}
	info, err := os.ReadFile(filepath.Join(q.tmpDir, "info"))
	if err != nil {
		fmt.Fprintf(q.err, "%v\n", err)
		return stop(3)
	}
	if err := q.askAuthor(info, patchName); err != nil {
		return err
	}
	date := infoField(info, "Date: ")
	subject := infoField(info, "Subject: ")
	if subject == "" {
		subject = subjectFromName(patchName)
	}
	if q.opts.dryRun {
		return nil
	}
	// The patch is read before the step: a bare -p waits for it on
	// stdin, and a signal meanwhile must not wait for the step.
	patch, err := q.readPatch(level)
	if err == nil {
		q.step.Lock()
		err = q.commitPatch(patchName, level, subject, date, patch)
		q.step.Unlock()
	}
	if err != nil {
		return stop(4)
	}
	return nil
}

// readPatch is what git apply (git-quiltimport:149) reads: the patch
// mailinfo wrote, or for a bare -p, which takes the patch file's name as
// its value (atoi gives 0) and leaves git apply without a file, the
// script's stdin.
func (q *importer) readPatch(level string) ([]byte, error) {
	patchFile := filepath.Join(q.tmpDir, "patch")
	var patch []byte
	var err error
	if level == "-p" {
		// Whoever feeds stdin may take its time: meanwhile the
		// repository shows the patches imported so far, as the
		// script's did.
		if err := q.flush(); err != nil {
			return nil, err
		}
		patch, err = io.ReadAll(q.stdin)
	} else {
		patch, err = os.ReadFile(patchFile)
	}
	if err != nil {
		fmt.Fprintf(q.err, "error: can't open patch '%s': %s\n", patchFile, libc.Strerror(err))
	}
	return patch, err
}

// mailinfo is git-quiltimport:105-110: the mail split into msg, patch
// and info, and a patch that must not be empty. As in the shell, the
// redirections come first (the mail, then info, created even when git
// mailinfo then dies on its configuration).
func (q *importer) mailinfo(patchPath string) error {
	in, err := os.Open(patchPath)
	if err != nil {
		fmt.Fprintf(q.err, "git-quiltimport: 105: cannot open %s: %s\n", patchPath, libc.Strerror(err))
		return stop(3)
	}
	defer in.Close()
	// rebase-apply's files are written again in place (see rewriteFile).
	infoPath := filepath.Join(q.tmpDir, "info")
	info, err := openRewrite(infoPath)
	if err != nil {
		fmt.Fprintf(q.err, "git-quiltimport: 105: cannot create %s: %s\n", infoPath, libc.Strerror(err))
		return stop(3)
	}
	defer info.Close()
	opts, failure := q.mailinfoOptions()
	if failure != "" {
		io.WriteString(q.err, failure)
		return stop(3)
	}
	status := q.runMailinfo(opts, in, info)
	if cerr := info.Close(); status == 0 && cerr != nil {
		status = 1
	}
	if status != 0 {
		return stop(3)
	}
	if !fileNonEmpty(filepath.Join(q.tmpDir, "patch")) {
		io.WriteString(q.out, "Patch is empty.  Was it split wrong?\n")
		return stop(1)
	}
	return nil
}

// runMailinfo is git mailinfo's run on the mail with the message and
// patch files of rebase-apply, created in that order before the mail is
// read, as git creates them; when one cannot be opened, mailinfo.Run
// tries again to say why as git does.
func (q *importer) runMailinfo(opts mailinfo.Options, in io.Reader, info io.Writer) int {
	msgPath, patchPath := filepath.Join(q.tmpDir, "msg"), filepath.Join(q.tmpDir, "patch")
	msg, err := openRewrite(msgPath)
	var patch *rewriteFile
	if err == nil {
		if patch, err = openRewrite(patchPath); err != nil {
			msg.Close()
		}
	}
	if err != nil {
		return mailinfo.Run(opts, in, info, q.err, msgPath, patchPath)
	}
	status := mailinfo.RunTo(opts, in, info, q.err, msg, patch, patchPath)
	if err := errors.Join(msg.Close(), patch.Close()); err != nil && status == 0 {
		status = 1
	}
	return status
}

// mailinfoOptions are `git mailinfo [-b]`'s defaults from configuration;
// for a value git mailinfo refuses, failure is its whole stderr text.
func (q *importer) mailinfoOptions() (opts mailinfo.Options, failure string) {
	opts = mailinfo.DefaultOptions()
	opts.KeepNonPatchBrackets = q.opts.keepNonPatch
	if enc, ok := q.cfg.Get("i18n.commitencoding"); ok {
		opts.MetaEncoding = enc
	}
	var err error
	if opts.Scissors, err = q.cfg.Bool("mailinfo.scissors", false); err != nil {
		return opts, fmt.Sprintf("fatal: %v\n", err)
	}
	if v, ok := q.cfg.Get("mailinfo.quotedcr"); ok {
		action, ok := mailinfo.ParseQuotedCRAction(v)
		if !ok {
			return opts, fmt.Sprintf("error: bad action '%s' for 'mailinfo.quotedcr'\nfatal: %v\n", v, q.cfg.BadVariable("mailinfo.quotedcr"))
		}
		opts.QuotedCR = action
	}
	return opts, ""
}

// askAuthor is git-quiltimport:112-140: the author from the mail, else
// --author, else "dry-run-not-found", else asked for on stdin until a
// usable answer comes; at end of input the script asks forever, and so
// does the builtin.
func (q *importer) askAuthor(info []byte, patchName string) error {
	q.name, q.email = infoField(info, "Author: "), infoField(info, "Email: ")
	for q.email == "" && q.name == "" {
		switch {
		case q.opts.author != "":
			q.name, q.email = q.authName, q.authMail
		case q.opts.dryRun:
			io.WriteString(q.err, echoLine("No author found in "+patchName))
			q.name, q.email = "dry-run-not-found", "dry-run-not-found"
		default:
			// While the user answers, the repository shows the
			// patches imported so far, as the script's did.
			if err := q.flush(); err != nil {
				return stop(4)
			}
			q.prompt(patchName)
		}
	}
	return nil
}

func (q *importer) prompt(patchName string) {
	io.WriteString(q.err, echoLine("No author found in "+patchName))
	io.WriteString(q.out, "---\n")
	if msg, err := os.ReadFile(filepath.Join(q.tmpDir, "msg")); err == nil {
		q.out.Write(msg)
	}
	io.WriteString(q.out, "Author: ")
	q.out.Flush()
	fields, _ := readLine(q.stdin, 1)
	answer := ""
	if len(fields) > 0 {
		answer = fields[0]
	}
	io.WriteString(q.out, echoLine(answer))
	if name, email, ok := parseAuthor(answer); ok {
		q.name, q.email = name, email
	}
}

// commitPatch is git-quiltimport:149-152: apply to index and work tree,
// write the tree, commit it on the previous commit and move HEAD; any
// failure leaves rebase-apply behind and exits 4.
func (q *importer) commitPatch(patchName, level, subject, date string, patch []byte) error {
	patchFile := filepath.Join(q.tmpDir, "patch")
	aopts := q.applyOptions(level, patchFile)
	// One locked index for git apply --index and git write-tree, kept
	// in memory (the session's) for the next patch: its lock is taken
	// at the first patch and the file written when the run ends, to
	// what the last patch's two commands left.
	ix, err := q.repo.LockIndex()
	if err != nil {
		// As before the index was kept: git takes the patch when it
		// would convert content, whatever holds the lock.
		if may, merr := q.repo.MayConvertAny(); merr != nil || may {
			return q.commitPatchWithGit(patchName, level, patchFile, subject, date, patch)
		}
		fmt.Fprintf(q.err, "fatal: %v\n", err)
		return err
	}
	if may, err := ix.MayConvertAny(); err != nil || may {
		// Attributes or core.autocrlf may convert the work tree's
		// content (a series that adds a .gitattributes with a filter):
		// gitapi does not apply them yet, so git applies the patch.
		ix.Rollback()
		return q.commitPatchWithGit(patchName, level, patchFile, subject, date, patch)
	}
	res, err := ix.Apply(patch, aopts)
	if res != nil {
		io.WriteString(q.err, res.Stderr)
	}
	var aerr *apply.Error
	if err != nil {
		ix.Rollback()
		if !errors.As(err, &aerr) {
			fmt.Fprintf(q.err, "fatal: %v\n", err)
		}
		return err
	}
	tree, treeErr := ix.WriteTree()
	// The applied patch stays in the index even when write-tree fails,
	// as it did when git apply had written it.
	if err := cmp.Or(ix.Commit(), treeErr); err != nil {
		fmt.Fprintf(q.err, "fatal: %v\n", err)
		return err
	}
	return q.commitTree(tree, patchName, subject, date)
}

// commitPatchWithGit is commitPatch with git-quiltimport:149 run by the
// installed git, through gitapi's counted fallback: `git apply --index
// -C1 [LEVEL] PATCH` (the patch on standard input for a bare -p, as read
// already) and `git write-tree`; then the commit in-process.
func (q *importer) commitPatchWithGit(patchName, level, patchFile, subject, date string, patch []byte) error {
	args := []string{"apply", "--index", "-C1"}
	if level != "" {
		args = append(args, level)
	}
	args = append(args, patchFile)
	// git finds the repository as the script's git commands left it.
	if err := q.flushHeld(); err != nil {
		return err
	}
	q.out.Flush()
	// The session's index goes to its file before git reads it, and is
	// read again after.
	status := gitapi.Fallback(context.Background(), args, gitapi.Options{Env: q.environ, Session: q.session},
		gitapi.Stdio{In: bytes.NewReader(patch), Out: q.out, Err: q.err})
	if status != 0 {
		return &apply.Error{ExitCode: status}
	}
	// git write-tree too: writing the index checks racily clean
	// entries against the work tree through the same conversions.
	var out bytes.Buffer
	status = gitapi.Fallback(context.Background(), []string{"write-tree"}, gitapi.Options{Env: q.environ, Session: q.session},
		gitapi.Stdio{In: strings.NewReader(""), Out: &out, Err: q.err})
	tree, err := gitapi.ParseHash(strings.TrimSpace(out.String()))
	if status != 0 || err != nil {
		return fmt.Errorf("git write-tree failed with status %d", status)
	}
	return q.commitTree(tree, patchName, subject, date)
}

// applyOptions are `git apply --index -C1 [-pN]`'s, with the whitespace
// settings from configuration.
func (q *importer) applyOptions(level, patchFile string) apply.Options {
	opts := apply.Options{MinContext: 1, MinContextGiven: true, InputName: patchFile}
	switch {
	case level == "-p":
		opts.StripComponents, opts.StripGiven, opts.InputName = libc.Atoi(patchFile), true, ""
	case level != "":
		// git apply reads -p's value with atoi: "-px" is -p0.
		opts.StripComponents, opts.StripGiven = libc.Atoi(strings.TrimPrefix(level, "-p")), true
	}
	opts.Whitespace.Rule, _ = q.cfg.Get("core.whitespace")
	opts.Whitespace.Action, _ = q.cfg.Get("apply.whitespace")
	return opts
}

// commitTree is the commit-tree and update-ref of git-quiltimport:151-152:
// the message is echo "$SUBJECT", a blank line and the msg file; the author
// comes from the exported GIT_AUTHOR_* variables.
func (q *importer) commitTree(tree gitapi.Hash, patchName, subject, date string) error {
	msg, err := os.ReadFile(filepath.Join(q.tmpDir, "msg"))
	if err != nil {
		fmt.Fprintf(q.err, "cat: %s: %s\n", filepath.Join(q.tmpDir, "msg"), libc.Strerror(err))
	}
	message := append([]byte(echoLine(subject)+"\n"), msg...)
	parent, err := q.repo.Resolve(q.commit)
	if err != nil {
		fmt.Fprintf(q.err, "fatal: not a valid object name %s\n", q.commit)
		return err
	}
	author := q.repo.WithEnv("GIT_AUTHOR_NAME="+q.name, "GIT_AUTHOR_EMAIL="+q.email, "GIT_AUTHOR_DATE="+date)
	id, warning, err := author.CommitTree(tree, []gitapi.Hash{parent}, message)
	if err != nil {
		if errors.Is(err, gitapi.ErrNULInMessage) {
			fmt.Fprintf(q.err, "error: %v\n", err)
		} else {
			fmt.Fprintf(q.err, "fatal: %v\n", err)
		}
		return err
	}
	io.WriteString(q.err, warning)
	if err := q.head.Update(q.repo, id, "quiltimport: "+patchName); err != nil {
		fmt.Fprintf(q.err, "fatal: %s\n", gitmsg.Text(err))
		return err
	}
	q.commit = id.String()
	return nil
}

// heldPatches bounds how many imported patches the index and HEAD may
// hold in memory only: a run killed by a signal nobody can catch
// (SIGKILL, the OOM killer) loses at most that many from HEAD and the
// index (their commits are stored), where the script loses the patch it
// was on. A count, not a time, so that what a run leaves does not depend
// on the machine's speed, and parity sees the writes in the middle of a
// long series. A flush costs two new files (the locks); one per 32
// patches is nothing beside the patches' own. (A variable for the tests.)
var heldPatches = 32

// flushEvery flushes when the run holds n patches unwritten.
func (q *importer) flushEvery(n int) error {
	q.held++
	if q.held < n {
		return nil
	}
	return q.flush()
}

// flush writes what the run holds in memory to the repository's files:
// the index as the last patch's git apply and write-tree left it, then
// HEAD as its update-ref did.
func (q *importer) flush() error {
	q.step.Lock()
	defer q.step.Unlock()
	return q.flushHeld()
}

// flushHeld is flush with the step lock held. A failure is said as git
// says it ("fatal: ...") and returned.
func (q *importer) flushHeld() error {
	q.held = 0
	err := q.session.Flush()
	if q.head != nil {
		err = errors.Join(err, q.head.Commit())
	}
	if err != nil {
		fmt.Fprintf(q.err, "fatal: %v\n", err)
	}
	return err
}

// stop ends the script where the shell would exit, its messages printed
// already: an ExitError with the script's status.
func stop(status int) error { return &gitapi.ExitError{Code: status} }

// exitStatus is the script's status for an error that stopped it.
func exitStatus(err error) int {
	var ee *gitapi.ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 128
}
