package parity

import (
	"os"
	"path/filepath"
	"strings"
)

// Fixed identity and date of every run, so that commits made by setup and
// by both sides get the same object ids.
const (
	authorName     = "A U Thor"
	authorEmail    = "author@example.com"
	committerName  = "C O Mitter"
	committerEmail = "committer@example.com"
	fixedDate      = "1112911993 -0700"
)

// globalConfig is the sandbox's $HOME/.gitconfig: nothing of the user's.
const globalConfig = `[init]
	defaultBranch = main
[user]
	name = ` + committerName + `
	email = ` + committerEmail + `
[protocol "file"]
	allow = always
`

// baseEnv is the deterministic environment of setup and both sides. Only
// PATH comes from the runner's environment: everything else a script could
// look at (HOME, BROWSER, DISPLAY, GIT_*) is fixed or absent.
func baseEnv(sandbox, path string) []string {
	env := []string{
		"PATH=" + path,
		"HOME=" + filepath.Join(sandbox, "home"),
		"XDG_CONFIG_HOME=" + filepath.Join(sandbox, "home", ".config"),
		"TMPDIR=" + filepath.Join(sandbox, "tmp"),
		"GIT_AUTHOR_NAME=" + authorName,
		"GIT_AUTHOR_EMAIL=" + authorEmail,
		"GIT_AUTHOR_DATE=" + fixedDate,
		"GIT_COMMITTER_NAME=" + committerName,
		"GIT_COMMITTER_EMAIL=" + committerEmail,
		"GIT_COMMITTER_DATE=" + fixedDate,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_EDITOR=:",
		"GIT_PAGER=cat",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_MERGE_AUTOEDIT=no",
		"PAGER=cat",
		"EDITOR=:",
		"VISUAL=:",
		"TZ=UTC",
		"LC_ALL=C",
		"LANG=C",
	}
	// A kiln built with -cover writes its coverage where the caller
	// asked; nothing git or a script reads depends on it.
	if dir := os.Getenv("GOCOVERDIR"); dir != "" {
		env = append(env, "GOCOVERDIR="+dir)
	}
	return env
}

// expandFixtureEnv expands $SANDBOX and $PATH, and nothing else, in the
// value of a fixture's env: directive.
func expandFixtureEnv(assignment, sandbox, path string) string {
	name, value, _ := strings.Cut(assignment, "=")
	var out strings.Builder
	for value != "" {
		switch {
		case strings.HasPrefix(value, "$SANDBOX"):
			out.WriteString(sandbox)
			value = value[len("$SANDBOX"):]
		case strings.HasPrefix(value, "$PATH"):
			out.WriteString(path)
			value = value[len("$PATH"):]
		default:
			out.WriteByte(value[0])
			value = value[1:]
		}
	}
	return name + "=" + out.String()
}

// withEnv returns env with the assignments added, later ones replacing
// earlier ones of the same name.
func withEnv(env []string, assignments ...string) []string {
	out := append([]string{}, env...)
	for _, a := range assignments {
		name, _, _ := strings.Cut(a, "=")
		replaced := false
		for i, e := range out {
			if strings.HasPrefix(e, name+"=") {
				out[i], replaced = a, true
			}
		}
		if !replaced {
			out = append(out, a)
		}
	}
	return out
}
