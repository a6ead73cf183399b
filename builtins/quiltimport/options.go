package quiltimport

import (
	"errors"
	"github.com/kiln-dev/kiln/gitapi/parseopt"
	"io"
	"strings"
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

var spec = mustSpec(specText)

func mustSpec(text string) *parseopt.Spec {
	s, err := parseopt.ParseSpec(strings.NewReader(text))
	if err != nil {
		panic("quiltimport: bad option spec: " + err.Error())
	}
	return s
}

// options are the script's variables set by its option loop.
type options struct {
	dryRun       bool
	author       string // quilt_author
	patches      string // QUILT_PATCHES
	series       string // QUILT_SERIES
	keepNonPatch bool   // MAILINFO_OPT=-b
}

// parseOptions is git-sh-setup's parseopt step (git-sh-setup:59-76): the
// normalised options, or the exit status when parsing stops the script.
func parseOptions(args []string, stdout, stderr io.Writer) ([]parseopt.Parsed, int, bool) {
	found, _, err := spec.Parse(args, parseopt.Flags{})
	var help *parseopt.HelpRequest
	var perr *parseopt.Error
	switch {
	case errors.As(err, &help):
		if help.Message != "" {
			io.WriteString(stderr, "error: "+help.Message+"\n")
		}
		io.WriteString(stdout, spec.UsageText(help.Full))
		return nil, 129, true
	case errors.As(err, &perr):
		io.WriteString(stderr, "error: "+perr.Message+"\n")
		if perr.ShowUsage {
			io.WriteString(stderr, spec.UsageText(false))
		}
		return nil, 129, true
	case err != nil:
		io.WriteString(stderr, "fatal: "+err.Error()+"\n")
		return nil, 128, true
	}
	return found, 0, false
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
