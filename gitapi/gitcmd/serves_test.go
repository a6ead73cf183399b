package gitcmd

import (
	"strings"
	"testing"
)

// TestServes checks which argument forms Run claims: reads and the
// implemented flags, not writes, --stdin or date-based reflog forms.
func TestServes(t *testing.T) {
	for args, want := range map[string]bool{
		"rev-parse --verify HEAD~2":       true,
		"rev-parse @{u} main@{1} @{-1}":   true,
		"rev-parse main@{yesterday}":      false,
		"rev-parse @{push}":               false,
		"rev-parse :/fix":                 false,
		"rev-parse --since=1.day":         false,
		"rev-parse --parseopt -- --since": true,
		"rev-parse HEAD -- @{push}":       true,
		// rev-parse's own table: an option's value is no revision,
		// except --default's; --branches=<glob> and -n are git's.
		"rev-parse --git-path @{push}":      true,
		"rev-parse --default @{push}":       false,
		"rev-parse --branches":              true,
		"rev-parse --branches=x":            false,
		"rev-parse -n 1 HEAD":               false,
		"rev-parse --max-count=1 HEAD":      false,
		"update-index --ad x":               true,
		"update-index --no-chmod":           true,
		"update-index --chm=+x x":           false,
		"update-index x --help":             true,
		"update-index --cacheinfo=1,2,3 x":  true,
		"config --bool core.bare":           true,
		"config core.bare":                  true,
		"config user.name someone":          false,
		"config --add a.b c":                false,
		"config --unset a.b":                false,
		"config --show-origin --list":       false,
		"config --file - --list":            false,
		"config -f x.cfg --list":            true,
		"-C sub config --get-regexp x":      true,
		"update-ref -m m refs/heads/x HEAD": true,
		"update-ref --stdin":                false,
		"show-ref --heads --tags":           true,
		"show-ref --exclude-existing":       false,
		"symbolic-ref -q HEAD":              true,
		"var GIT_COMMITTER_IDENT":           true,
		"for-each-ref-not-implemented x":    false,
		// Serves asks each face's own parser: the forms below are
		// decided by the parse of the whole argv.
		"write-tree --prefix=d/":                  true,
		"write-tree --ignore-cache-tree":          false,
		"commit-tree -p HEAD -m m HEAD^{tree}":    true,
		"commit-tree -S HEAD^{tree}":              false,
		"commit-tree --no-gpg-sign HEAD^{tree}":   true,
		"hash-object --no-filters -w f":           true,
		"hash-object -w f":                        true, // handed to git when attributes may apply
		"hash-object --stdin -t blob":             true,
		"hash-object --stdin-paths":               false,
		"cat-file -t HEAD":                        true,
		"cat-file -t -s HEAD":                     false,
		"cat-file --batch":                        false,
		"cat-file blob HEAD:a":                    true,
		"cat-file --bogus-option HEAD":            true, // a usage error, printed by the face
		"merge-base --fork-point main topic@{1}":  false,
		"merge-base --all main side":              true,
		"ls-tree -r HEAD sub":                     true,
		"ls-tree HEAD :(glob)*":                   false,
		"for-each-ref --format=%(refname) refs/":  true,
		"for-each-ref --tcl":                      false,
		"for-each-ref --sort=bogusatom":           false,
		"apply --check p.diff":                    true,
		"apply --whitespace=fix p.diff":           false,
		"apply --stat a.diff b.diff":              false,
		"ls-files -o --exclude-standard":          true,
		"ls-files --with-tree=HEAD":               false,
		"update-index --add --cacheinfo 100644 x": true,
		"update-index --chmod=+x f":               false,
		"diff-index --cached HEAD -- a":           true,
		"diff-index HEAD~1..HEAD":                 false,
		"diff-files --stat":                       false,
	} {
		if got := Serves(strings.Fields(args)); got != want {
			t.Errorf("Serves(%s) = %v, want %v", args, got, want)
		}
	}
}
