package gitcmd

import (
	"errors"
	"io"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/apply"
	"github.com/kiln-dev/kiln/gitapi/index"
)

// This file holds where `kiln git apply` writes: the work tree, the index
// with it (--index, through indexSource), or the index alone (--cached).

// applyTarget is where the patches of one git apply go: the work tree,
// or the index (locked on first use, unless --check) with or without the
// work tree.
type applyTarget struct {
	c    *command
	run  *applyRun
	lock *gitapi.LockedIndex
	ix   *index.Index
}

// indexTree is what a patch applies to: a Source that is also the Sink
// of the result.
type indexTree interface {
	apply.Source
	apply.Sink
}

// open returns the tree the next patch applies to and sets the
// applier's message wording to match; git takes the index lock after
// parsing the first patch, so a lock failure is reported after it.
func (t *applyTarget) open(opts *apply.Options, patch []byte) (indexTree, error) {
	c, run := t.c, t.run
	if !run.index && !run.cached {
		root := gitapi.WorkingDir(c.opts.Dir)
		if c.repo != nil && c.repo.WorkTree() != "" {
			root = c.repo.WorkTree()
		}
		opts.Location = apply.WorkTree
		return workTreeSink{apply.Dir{Root: root}}, nil
	}
	if t.ix == nil && opts.Check {
		iopts, err := c.repo.IndexOptions()
		if err == nil {
			t.ix, err = index.Open(c.repo.IndexFile(), iopts)
		}
		if err != nil {
			return nil, stop(c.fatalErr(err))
		}
	}
	if t.ix == nil {
		l, err := c.repo.LockIndex()
		if err != nil {
			return nil, stop(c.lockFailed(*opts, patch, err))
		}
		t.lock, t.ix = l, l.Index()
	}
	if run.cached {
		opts.Location = apply.Index
		return &cachedSource{r: c.repo, ix: t.ix}, nil
	}
	opts.Location = apply.IndexAndWorkTree
	return &gitapi.IndexSource{Repo: c.repo, Index: t.ix, Work: apply.Dir{Root: c.repo.WorkTree()}}, nil
}

// commit writes the index when it was locked, and gives git's status.
func (t *applyTarget) commit() int {
	if t.lock == nil {
		return exitOK
	}
	l := t.lock
	t.lock = nil
	if err := l.Commit(); err != nil {
		t.c.errorf("Unable to write new index file")
		return exitFatal
	}
	return exitOK
}

// release drops the index lock if it is still held (after a failure).
func (t *applyTarget) release() {
	if t.lock != nil {
		t.lock.Rollback()
	}
}

// applied prints the applier's messages and, when the patch applied and
// this is not --check, writes the result to tree; an error stops git
// here with its status.
func (c *command) applied(res *apply.Result, err error, check bool, tree indexTree) error {
	var aerr *apply.Error
	if err != nil && !errors.As(err, &aerr) {
		return stop(c.fatalErr(err))
	}
	io.WriteString(c.err, res.Stderr)
	if err != nil {
		return stop(res.ExitCode)
	}
	if check {
		return nil
	}
	if err := res.Write(tree); err != nil {
		var werr *gitapi.ApplyWriteError
		if !errors.As(err, &werr) {
			return stop(c.fatalErr(err))
		}
		for _, line := range werr.Lines {
			c.errorf("%s", line)
		}
		return stop(exitFatal)
	}
	return nil
}

// cachedSource is the index alone, for git apply --cached: preimages are
// read from it and results written to it (blobs stored, no stat data),
// the work tree untouched.
type cachedSource struct {
	r  *gitapi.Repo
	ix *index.Index
}

func (s *cachedSource) Stat(path string) (uint32, bool, error) {
	return (&gitapi.IndexSource{Repo: s.r, Index: s.ix}).Stat(path)
}

func (s *cachedSource) ReadFile(path string) ([]byte, error) {
	return (&gitapi.IndexSource{Repo: s.r, Index: s.ix}).ReadFile(path)
}

// ReadBlob implements apply.BlobSource.
func (s *cachedSource) ReadBlob(id string) ([]byte, bool) {
	return (&gitapi.IndexSource{Repo: s.r, Index: s.ix}).ReadBlob(id)
}

// Remove implements apply.Sink.
func (s *cachedSource) Remove(path string) error {
	s.ix.RemovePath(path)
	return nil
}

// WriteFile implements apply.Sink: the content is stored as a blob and
// entered at path with the mode, as git's add_index_file does for
// --cached.
func (s *cachedSource) WriteFile(path string, content []byte, mode uint32) error {
	if mode == apply.ModeGitlink {
		return gitapi.AddGitlink(s.ix, path, content)
	}
	id, err := s.r.WriteObject("blob", content)
	if err != nil {
		return err
	}
	return gitapi.AddCacheEntry(s.ix, &index.Entry{Path: path, Mode: mode, ID: index.ID(id)})
}

// workTreeSink writes plain git apply's results to the work tree, with
// git's message for a file it cannot write.
type workTreeSink struct{ apply.Dir }

// WriteFile implements apply.Sink.
func (s workTreeSink) WriteFile(path string, content []byte, mode uint32) error {
	return gitapi.WriteWorkTree(s.Dir, path, content, mode)
}
