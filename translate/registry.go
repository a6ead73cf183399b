package translate

import (
	"strings"

	"github.com/kiln-dev/kiln/gitapi/gitcmd"

	"github.com/kiln-dev/kiln/shellparse"
	"github.com/kiln-dev/kiln/shellrun/tools"
)

// Mapping says that a git subcommand, or one form of it, is served
// in-process by a gitapi operation.
type Mapping struct {
	Subcommand string
	// API names the gitapi operation the call becomes: gitcmd.Run,
	// the argv face, for every subcommand it registers; for a typed
	// form, the typed operation (see TypedForms).
	API string
	// Form, for a typed form, is the call's words: the subcommand and
	// flags as written, "_" for each operand (see shellrun.GitTyped).
	Form string
	// Go, for a typed form, is the body of the typed call the idiomatic
	// stage writes (g is the *shellrun.GitCall, g.Args the operands).
	Go string
}

// gitMappings is the registry of git calls served in-process: gitapi's
// argv face, which grows only with its differential tests against real
// git. Lookup also asks gitapi which forms of each it serves.
var gitMappings = func() map[string]Mapping {
	m := map[string]Mapping{}
	for _, name := range gitcmd.Commands() {
		m[name] = Mapping{Subcommand: name, API: "gitcmd.Run"}
	}
	return m
}()

// externalByDesign are git subcommands whose job is to run a user's tool
// (browser, web server, diff or merge tool, editor): ports keep running
// that tool, not git.
var externalByDesign = map[string]bool{
	"web--browse": true, "instaweb": true, "difftool": true, "mergetool": true,
	"help": true, "gui": true, "citool": true,
}

// toolPrograms are external programs that are the user's tools: editors,
// pagers, browsers, web servers and merge tools.
var toolPrograms = map[string]bool{
	// editors and pagers
	"vi": true, "vim": true, "nvim": true, "gvim": true, "emacs": true, "emacsclient": true,
	"nano": true, "less": true, "more": true,
	// browsers and openers
	"firefox": true, "iceweasel": true, "seamonkey": true, "iceape": true, "google-chrome": true,
	"chrome": true, "chromium": true, "chromium-browser": true, "konqueror": true, "opera": true,
	"w3m": true, "elinks": true, "links": true, "lynx": true, "dillo": true, "open": true,
	"start": true, "cygstart": true, "xdg-open": true, "x-www-browser": true, "www-browser": true,
	"kfmclient": true,
	// web servers
	"lighttpd": true, "apache2": true, "httpd": true, "mongoose": true, "plackup": true,
	// merge and diff tools
	"meld": true, "kdiff3": true, "vimdiff": true, "gvimdiff": true, "xxdiff": true, "tkdiff": true,
	"opendiff": true, "p4merge": true, "bcompare": true, "bcomp": true, "tortoisemerge": true,
	"kompare": true, "diffuse": true, "ecmerge": true, "codecompare": true, "deltawalker": true,
	"diffmerge": true, "examdiff": true, "guiffy": true, "smerge": true, "winmergeu": true,
}

// toolVariables are variables that scripts use to hold the user's tool
// (git-mergetool--lib's merge_tool_path, git-web--browse's browser_path,
// git-instaweb's full_httpd, the editor and pager): a command named by one
// of them is external by design.
var toolVariables = map[string]bool{
	"merge_tool_path": true, "browser_path": true, "full_httpd": true,
	"GIT_EDITOR": true, "GIT_PAGER": true, "EDITOR": true, "VISUAL": true, "PAGER": true,
	"editor": true, "pager": true, "browser": true,
}

// Lookup returns the mapping that serves a git call with these flags
// in-process, if any: a registered subcommand, in a form gitapi serves.
func Lookup(subcommand string, flags []string) (Mapping, bool) {
	m, ok := gitMappings[subcommand]
	if !ok || !gitcmd.Serves(append([]string{subcommand}, flags...)) {
		return Mapping{}, false
	}
	return m, true
}

// Classify gives the audit category of an invocation: for git, whether a
// mapping serves it in-process; for programs, whether they are the user's
// tools. Other invocations have no category.
func Classify(inv *shellparse.Invocation) shellparse.Category {
	switch inv.Kind {
	case shellparse.KindGit:
		if externalByDesign[inv.Subcommand] {
			return shellparse.CategoryExternalByDesign
		}
		if _, ok := Lookup(inv.Subcommand, inv.Flags); ok && len(inv.GlobalFlags) == 0 {
			return shellparse.CategoryInProcess
		}
		return shellparse.CategoryNeedsGitapi
	case shellparse.KindExternal:
		if toolPrograms[inv.Name] {
			return shellparse.CategoryExternalByDesign
		}
	case shellparse.KindDynamic:
		name := strings.Trim(inv.Name, `"{}$`)
		if toolVariables[name] {
			return shellparse.CategoryExternalByDesign
		}
	}
	return ""
}

// Handles reports whether a text tool call (sed, expr, ...) with these
// arguments runs in-process in translated code (shellrun/tools serves that
// form) rather than as a spawned program.
func Handles(name string, args []string) bool { return tools.Handles(name, args) }
