package gitcmd

import (
	"strings"
	"testing"
)

// TestServes checks which argument forms Run claims: reads and the
// implemented flags, not writes, --stdin or date-based reflog forms.
func TestServes(t *testing.T) {
	for args, want := range map[string]bool{
		"rev-parse --verify HEAD~2":         true,
		"rev-parse @{u} main@{1} @{-1}":     true,
		"rev-parse main@{yesterday}":        false,
		"rev-parse @{push}":                 false,
		"rev-parse :/fix":                   false,
		"rev-parse --since=1.day":           false,
		"rev-parse --parseopt -- --since":   true,
		"rev-parse HEAD -- @{push}":         true,
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
	} {
		if got := Serves(strings.Fields(args)); got != want {
			t.Errorf("Serves(%s) = %v, want %v", args, got, want)
		}
	}
}
