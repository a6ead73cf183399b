package quiltimport

import (
	"io"

	"github.com/kiln-dev/kiln/gitapi/parseopt"
)

// specText is the script's option spec (git-quiltimport:4-12), parsed with
// git's parse-options semantics as the script has rev-parse --parseopt do
// it: unique prefixes, --no- forms, -h.
const specText = "git quiltimport [options]\n--\n" +
	"n,dry-run     dry run\n" +
	"author=       author name and email address for patches without any\n" +
	"patches=      path to the quilt patches\n" +
	"series=       path to the quilt series file\n" +
	"keep-non-patch Pass -b to git mailinfo\n"

var spec = parseopt.MustParseSpec(specText)

// options are the script's variables set by its option loop.
type options struct {
	dryRun       bool
	author       string // quilt_author
	patches      string // QUILT_PATCHES
	series       string // QUILT_SERIES
	keepNonPatch bool   // MAILINFO_OPT=-b
}

// parseOptions is git-sh-setup's parseopt step (git-sh-setup:59-76): the
// normalised options, or an error when parsing stops the script (with
// its exit status).
func parseOptions(args []string, stdout, stderr io.Writer) ([]parseopt.Parsed, error) {
	found, _, err := spec.Parse(args, parseopt.Flags{})
	if err != nil {
		return nil, stop(spec.Report(err, stdout, stderr))
	}
	return found, nil
}

// optionLoop is the script's option loop (git-quiltimport:18-47) over the
// normalised options, starting from QUILT_PATCHES and QUILT_SERIES. A --no-
// form is not handled by it: the script calls usage, which prints the
// help (git-sh-setup's usage runs "$0" -h) and exits 1; ok is then false.
func optionLoop(found []parseopt.Parsed, env map[string]string) (opts options, ok bool) {
	opts = options{patches: env["QUILT_PATCHES"], series: env["QUILT_SERIES"]}
	for _, f := range found {
		if f.Unset {
			return opts, false
		}
		switch f.Option.Long {
		case "author":
			opts.author = f.Value
		case "dry-run":
			opts.dryRun = true
		case "patches":
			opts.patches = f.Value
		case "series":
			opts.series = f.Value
		case "keep-non-patch":
			opts.keepNonPatch = true
		}
	}
	return opts, true
}
