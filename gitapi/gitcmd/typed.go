package gitcmd

import (
	"errors"
	"io"

	"github.com/kiln-dev/kiln/gitapi"
	"github.com/kiln-dev/kiln/gitapi/gitmsg"
	"github.com/kiln-dev/kiln/gitapi/index"
)

// TypedRepo opens the repository `git SUB` would run in with these
// options, for a caller that makes SUB's typed gitapi call itself
// instead of running the face (translated scripts' typed git calls). It
// returns nil wherever Run would not reach SUB's face with an open
// repository: no repository (the face reports that), a configuration
// that does not load (Run dies on it), replace refs or content
// conversions in effect (Run hands SUB to git's fallback), and the
// subcommands that read the index file themselves. A caller given nil
// runs the face, which does exactly what git does there.
func TypedRepo(sub string, opts gitapi.Options) *gitapi.Repo {
	if readsIndexFile[sub] {
		return nil
	}
	opts.Env = gitapi.NewEnv(opts.Env).Pairs()
	r, err := gitapi.Open(opts)
	if err != nil {
		return nil
	}
	if _, err := r.Config(); err != nil {
		return nil
	}
	if readsObjects[sub] && r.ReplaceRefsActive() {
		return nil
	}
	if readsWorkTree[sub] && r.WorkTree() != "" {
		if may, err := r.MayConvertAny(); err != nil || may {
			return nil
		}
	}
	return r
}

// WriteTreeFailed prints to stderr what `git write-tree` prints when
// Repo.WriteTree fails with err, and returns its exit status.
func WriteTreeFailed(stderr io.Writer, err error) int {
	var wte *index.WriteTreeError
	if errors.As(err, &wte) {
		io.WriteString(stderr, wte.Error()+"\n")
		return exitFatal
	}
	return (&command{err: stderr}).fatalErr(err)
}

// CommitTreeFailed prints to stderr what `git commit-tree` prints when
// Repo.CommitTree fails with err, and returns its exit status.
func CommitTreeFailed(stderr io.Writer, err error) int {
	c := &command{err: stderr}
	if errors.Is(err, gitapi.ErrNULInMessage) {
		c.errorf("%v", err)
		return 1
	}
	// An identity git refuses comes after its advice.
	return c.fatalErr(err)
}

// UpdateRefFailed prints to stderr what `git update-ref` (with -d when
// del) prints when Repo.Update fails with err, and returns its exit
// status.
func UpdateRefFailed(stderr io.Writer, err error, del bool) int {
	c := &command{err: stderr}
	var ue *gitapi.RefUpdateError
	if del && errors.As(err, &ue) {
		c.errorf("%s", gitmsg.RefUpdateReason(ue))
		return 1
	}
	return c.fatalErr(err)
}
