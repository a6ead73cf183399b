package gitcmd

import (
	"strings"
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestIdentAgainstGit compares the identities commit-tree records and
// git var shows, strictly, with no identity in the sandbox's
// environment: empty names from the environment or the configuration,
// names of nothing but crud, empty author.name/author.email (taken as
// unset, but counted as given), $EMAIL, user.useConfigOnly.
func TestIdentAgainstGit(t *testing.T) {
	f := gittest.NewDir(t)
	var env []string
	for _, kv := range f.Env {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasSuffix(name, "_NAME") && !strings.HasSuffix(name, "_EMAIL") {
			env = append(env, kv)
		}
	}
	f.Env = env
	f.Git(t, "", "init", "-q", "repo")
	tree := f.Git(t, "repo", "write-tree")
	config := func(pairs ...string) []string {
		out := []string{"GIT_CONFIG_COUNT=" + string(rune('0'+len(pairs)/2))}
		for i := 0; i < len(pairs); i += 2 {
			n := string(rune('0' + i/2))
			out = append(out, "GIT_CONFIG_KEY_"+n+"="+pairs[i], "GIT_CONFIG_VALUE_"+n+"="+pairs[i+1])
		}
		return out
	}
	user := config("user.name", "U Ser", "user.email", "u@example.com")
	with := func(base []string, more ...string) []string { return append(append([]string{}, base...), more...) }
	for _, e := range [][]string{
		user,
		with(user, "GIT_AUTHOR_NAME="),
		with(user, "GIT_COMMITTER_NAME="),
		with(user, "GIT_AUTHOR_NAME=", "GIT_AUTHOR_EMAIL="),
		with(user, "GIT_AUTHOR_NAME=."),
		with(user, "GIT_AUTHOR_NAME= .;, "),
		with(user, "GIT_COMMITTER_NAME=<>"),
		with(user, "GIT_AUTHOR_EMAIL="),
		with(user, "GIT_AUTHOR_NAME=a<b", "GIT_AUTHOR_EMAIL=a>b"),
		with(user, "GIT_AUTHOR_DATE=xyz"),
		config("user.name", "", "user.email", "u@example.com"),
		config("user.name", ";", "user.email", "u@example.com"),
		config("user.name", "U", "user.email", ""),
		config("user.name", "U", "user.email", "u@example.com", "author.name", ""),
		config("user.email", "u@example.com", "author.name", ""),
		config("user.name", "U", "user.email", "u@example.com", "author.email", ""),
		with(config("user.name", "U", "author.email", ""), "EMAIL=e@example.com"),
		with(config("user.name", "U"), "EMAIL= e@example.com "),
		config("user.useConfigOnly", "true"),
		with(config("user.useConfigOnly", "true"), "EMAIL=e@example.com"),
		with(config("user.useConfigOnly", "true"), "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_EMAIL=c@example.com"),
		with(config("user.useConfigOnly", "true"), "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_EMAIL=c@example.com",
			"GIT_AUTHOR_NAME=A", "GIT_COMMITTER_NAME=C"),
		config("user.useConfigOnly", "true", "user.email", "u@example.com"),
		config("user.useConfigOnly", "true", "user.email", "u@example.com", "author.name", "A N"),
		config("user.useConfigOnly", "true", "user.name", "U", "author.email", ""),
		with(user, "GIT_AUTHOR_NAME=", "EMAIL=e@example.com"),
	} {
		for _, args := range [][]string{
			{"commit-tree", "-m", "m", tree},
			{"var", "GIT_AUTHOR_IDENT"},
			{"var", "GIT_COMMITTER_IDENT"},
		} {
			want := f.RunGit(t, "repo", e, "", args)
			got := runKiln(f, "repo", e, "", args)
			if got != want {
				t.Errorf("%s with %q:\ngit:  %d %q %q\nkiln: %d %q %q", strings.Join(args, " "), e,
					want.Status, want.Stdout, want.Stderr, got.Status, got.Stdout, got.Stderr)
			}
		}
	}
}
