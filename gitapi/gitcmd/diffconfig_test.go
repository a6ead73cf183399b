package gitcmd

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestConfigAgainstGit compares configuration reading: syntax, case
// rules, includes and includeIf, scopes, command-line configuration,
// types and the get actions.
func TestConfigAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	f.Write(t, "xdg/git/config", "[xdg]\n\tvalue = from-xdg\n[user]\n\tname = Xdg User\n")
	f.Write(t, "bad.cfg", "[ok]\n\tkey = 1\n[broken\n")
	f.Write(t, "badvalue.cfg", "[ok]\n\tkey = \"unterminated\n")
	f.Write(t, "badescape.cfg", "[ok]\n\tkey = a\\qb\n")
	// Where git's reader counts a syntax error: the end of the file
	// counts a line each time it is read, a header or quote cut short by
	// a newline takes the line back.
	badSyntax := map[string]string{
		"bad-eof.cfg":       "[ok]\n\tkey = 1\n\n\n\n[broken",
		"bad-eofnl.cfg":     "[ok]\n\tkey = 1\n\n\n\n[broken\n",
		"bad-middle.cfg":    "[ok]\n\tkey = 1\n[broken\n[ok]\n\tkey = 2\n",
		"nosection.cfg":     "key = 1\n[ok]\n\tkey = 2\n",
		"escape-eof.cfg":    "[ok]\n\tkey = a\\q",
		"quote-eof.cfg":     "[ok]\n\tkey = \"unterminated",
		"quote-bs-eof.cfg":  "[ok]\n\tkey = \"x\\",
		"bs-eof.cfg":        "[ok]\n\tkey = x\\",
		"sub-eof.cfg":       "[ok \"sub\"",
		"sub-open.cfg":      "[ok]\n[ok \"sub\n",
		"crlf-eof.cfg":      "[ok]\r\n\tkey = 1\r\n[c",
		"lone.cfg":          "[",
		"comment-eof.cfg":   "# c\n[x",
		"after-header.cfg":  "[ok] key\n[x",
		"bad-char-eof.cfg":  "[ok]\n!key",
		"key-junk-eof.cfg":  "[ok]\nkey junk",
		"empty-header.cfg":  "[ok]\n[]\n",
		"continued-eof.cfg": "[ok]\n\tkey = a\\\nb",
	}
	for name, text := range badSyntax {
		f.Write(t, name, text)
	}
	f.Write(t, "types.cfg", "[t]\n\tnum = 12k\n\tword = yes\n\tbad = 12x\n\tflag\n\thuge = 99999999999\n")
	f.Write(t, "paths.cfg", "[p]\n\ttilde = ~\n\thome = ~/\n\tsub = ~/a/b\n\troot = ~root\n\trootsub = ~root/x\n\tnouser = ~nosuchuser-kiln/x\n\tplain = a~/b\n")
	f.Write(t, "inc/main.cfg", "[include]\n\tpath = sub.cfg\n[top]\n\tkey = top\n")
	f.Write(t, "inc/sub.cfg", "[sub]\n\tkey = included\n")
	f.Write(t, "inc/loop.cfg", "[loop]\n\tkey = again\n[include]\n\tpath = loop.cfg\n")
	f.Write(t, "inc/cond.cfg", "[includeIf \"gitdir/i:"+strings.ToUpper(f.Root)+"/REPO/\"]\n\tpath = sub.cfg\n"+
		"[includeIf \"gitdir:repo/\"]\n\tpath = main.cfg\n[includeIf \"gitdir:~/nowhere/\"]\n\tpath = loop.cfg\n"+
		"[includeIf \"gitdir:./../repo/.git\"]\n\tpath = types.cfg\n[includeIf \"onbranch:ma*\"]\n\tpath = ../types.cfg\n")
	var cases []diffCase
	for _, args := range []string{
		"config --list", "config -l --name-only", "config --get user.name", "config user.name", "config --get syntax.flag",
		"config --get syntax.empty", "config --get syntax.quoted", "config --get syntax.escapes", "config --get syntax.continued",
		"config --get syntax.num", "config --int syntax.num", "config --type=int syntax.big", "config --int syntax.neg",
		"config --bool syntax.yes", "config --bool syntax.off", "config --bool syntax.flag", "config --bool syntax.empty",
		"config --bool syntax.num", "config --bool syntax.quoted", "config --int syntax.quoted", "config --bool-or-int syntax.num",
		"config --bool-or-int syntax.yes", "config --bool-or-str syntax.quoted", "config --path syntax.path",
		"config --type=path syntax.path", "config --type=bogus syntax.num", "config --int --bool syntax.num",
		"config --get syntax.multi", "config --get-all syntax.multi", "config --get-all syntax.multi 2", "config --get-all syntax.multi !2",
		"config syntax.MixedCase", "config SYNTAX.mixedcase", "config --get syntax.Sub.Sect.key", "config --get syntax.sub.sect.key",
		"config --get syntax.old.key", "config --get-regexp syntax", "config --get-regexp ^SYNTAX\\.M", "config --get-regexp multi 1",
		"config --get-regexp --name-only syntax", "config --get-regexp nomatch", "config --get extra.included",
		"config --get cond.gitdir", "config --get cond.branch", "config --get core.abbrev", "config --get alias.co",
		"config --get nosuch.key", "config --get nosection", "config --get section.", "config --get 1sect.key",
		"config --get sect.1key", "config --get-all", "config --list extra", "config", "config --default dflt --get nosuch.key",
		"config --default 2k --int --get nosuch.key", "config -z --get-regexp multi", "config -z -l",
		"config --file ../types.cfg --int t.num", "config --file ../types.cfg --bool t.word", "config --file ../types.cfg --int t.bad",
		"config --file ../types.cfg --int t.huge", "config --file ../types.cfg --int t.flag", "config --file ../types.cfg --path t.flag",
		"config --file ../types.cfg --get t.flag", "config -f ../bad.cfg --list", "config -f ../badvalue.cfg --list",
		"config -f ../badescape.cfg --list", "config -f ../inc/main.cfg --list", "config -f ../inc/main.cfg --includes --list",
		"config -f ../nosuch.cfg --list", "config -f ../paths.cfg --path --get-regexp p\\.",
		"config -f ../paths.cfg --path p.nouser", "config -f ../inc/loop.cfg --includes --list",
		"config -f ../inc/cond.cfg --includes --list", "config --local --list", "config --global --list", "config --get-regexp syntax\\..*\\.key",
		"config --type=bool nosuch.key", "config --bool --get nosuch.key",
		"config --list --get", "config --get --list", "config --name-only --get syntax.multi",
		"config --default 5 --get-regexp x.nosuch", "config --get syntax.multi --default 3",
		"config --int --default abc --get no.such", "config -z --get-regexp ^(svn-remote\\..*\\.url|syntax\\.multi|remote\\..*\\.url)$", "config --get-regexp remote\\..*\\.url", "config --global --get user.name",
	} {
		cases = append(cases, diffCase{dir: "repo", args: args})
	}
	for _, name := range slices.Sorted(maps.Keys(badSyntax)) {
		cases = append(cases, diffCase{dir: "repo", args: "config -f ../" + name + " --list"})
	}
	root := f.Root
	cases = append(cases,
		diffCase{dir: "plain", args: "config --list"},
		diffCase{dir: "plain", args: "config --local --list"},
		diffCase{dir: "repo", env: []string{"XDG_CONFIG_HOME=" + root + "/xdg"}, args: "config --get-regexp (xdg|user)"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_GLOBAL=" + root + "/types.cfg"}, args: "config --global --list"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_GLOBAL="}, args: "config --get user.name"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_NOSYSTEM=0", "GIT_CONFIG_SYSTEM=" + root + "/types.cfg"}, args: "config --get t.num"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_PARAMETERS='user.name'='Param User' 'Cmd.Sub.Key'='v' 'cmd.flag'"}, args: "config --list"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_PARAMETERS='old.style=value with = sign'"}, args: "config --get old.style"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_PARAMETERS='broken"}, args: "config --list"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_PARAMETERS='q.n'='zz'"}, args: "config --int q.n"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_PARAMETERS='nosection'='x'"}, args: "config --list"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_COUNT=2", "GIT_CONFIG_KEY_0=count.a", "GIT_CONFIG_VALUE_0=1", "GIT_CONFIG_KEY_1=Count.B", "GIT_CONFIG_VALUE_1=two"}, args: "config --get-regexp count"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=both.order", "GIT_CONFIG_VALUE_0=count", "GIT_CONFIG_PARAMETERS='both.order'='param'"}, args: "config --get-all both.order"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_COUNT=1"}, args: "config --list"},
		diffCase{dir: "repo", env: []string{"GIT_CONFIG_COUNT=x"}, args: "config --list"},
		diffCase{dir: "repo", args: "-c user.name=Dash-c -c flag.only config --get-regexp (user|flag)"},
		diffCase{dir: "wt", args: "config --get cond.branch"},
		diffCase{dir: "wt", args: "config --get cond.gitdir"},
		diffCase{dir: "bare.git", args: "config --bool core.bare"},
	)
	runDiffCases(t, f, cases)
}

// TestVarAgainstGit compares `git var`.
func TestVarAgainstGit(t *testing.T) {
	f := gittest.Shared(t)
	var cases []diffCase
	for _, env := range [][]string{
		nil,
		{"GIT_EDITOR=ged", "GIT_PAGER=gpager"},
		{"TERM=xterm", "VISUAL=vis", "EDITOR=ed"},
		{"TERM=dumb", "VISUAL=vis", "EDITOR=ed"},
		{"TERM=xterm"},
		{"PAGER=less -R"},
		{"GIT_PAGER="},
		{"GIT_PAGER=cat"},
		{"GIT_CONFIG_PARAMETERS='core.editor'='cfg-ed' 'core.pager'='cfg-pager' 'init.defaultbranch'='trunk'"},
		{"GIT_AUTHOR_DATE=2005-04-07T22:13:13+0200", "GIT_COMMITTER_DATE=@1112912053 -0130"},
		{"GIT_AUTHOR_NAME=  .Spacey, Name<>  ", "GIT_AUTHOR_EMAIL=<spacey@example.com>"},
		{"GIT_AUTHOR_DATE=Thu, 07 Apr 2005 22:13:13 +0200", "GIT_COMMITTER_DATE=2005-04-07 22:13:13"},
		{"GIT_AUTHOR_DATE=garbage", "GIT_COMMITTER_DATE=@-5 +0000"},
		{"TZ=America/New_York", "GIT_COMMITTER_DATE=2005-04-07 22:13:13"},
		{"GIT_AUTHOR_NAME=", "GIT_COMMITTER_NAME="},
		{"GIT_AUTHOR_NAME=..,;", "GIT_COMMITTER_NAME=<>"},
	} {
		for _, args := range []string{"var GIT_AUTHOR_IDENT", "var GIT_COMMITTER_IDENT", "var GIT_EDITOR", "var GIT_PAGER", "var GIT_DEFAULT_BRANCH"} {
			cases = append(cases, diffCase{dir: "repo", env: env, args: args})
		}
	}
	cases = append(cases,
		diffCase{dir: "repo", args: "var -l"},
		diffCase{dir: "repo", env: []string{"GIT_AUTHOR_NAME=", "GIT_COMMITTER_NAME=..."}, args: "var -l"},
		diffCase{dir: "repo", args: "var"},
		diffCase{dir: "repo", args: "var NOSUCH"},
		diffCase{dir: "repo", args: "var GIT_EDITOR GIT_PAGER"},
		diffCase{dir: "plain", args: "var GIT_DEFAULT_BRANCH"},
	)
	runDiffCases(t, f, cases)
}

// TestWorktreeConfigAgainstGit compares config.worktree
// (extensions.worktreeConfig) in a main and a linked worktree.
func TestWorktreeConfigAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	f.Git(t, "", "init", "-q", "-b", "main", "wc")
	f.Write(t, "wc/a", "a\n")
	f.Git(t, "wc", "add", "a")
	f.Git(t, "wc", "commit", "-q", "-m", "one")
	f.Git(t, "wc", "config", "core.repositoryformatversion", "1")
	f.Git(t, "wc", "config", "extensions.worktreeConfig", "true")
	f.Git(t, "wc", "config", "--worktree", "x.y", "main-worktree")
	f.Git(t, "wc", "worktree", "add", "-q", "../wc2", "-b", "other")
	f.Git(t, "wc2", "config", "--worktree", "x.y", "second-worktree")
	runDiffCases(t, f, []diffCase{
		{dir: "wc", args: "config --get x.y"},
		{dir: "wc2", args: "config --get x.y"},
		{dir: "wc2", args: "config --list"},
		{dir: "wc2", args: "config --get-all x.y"},
	})
}
