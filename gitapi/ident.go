package gitapi

import (
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/kiln-dev/kiln/gitapi/gitdate"
)

// Ident is a person and a time as git records them in commits, tags and
// reflogs.
type Ident struct {
	Name, Email string
	When        int64 // seconds since the epoch
	Zone        int   // offset from UTC as git writes it: +0130 is 130
}

// String formats the ident as git does: "Name <email> 1234567890 +0000".
func (id Ident) String() string {
	sign, zone := '+', id.Zone
	if zone < 0 {
		sign, zone = '-', -zone
	}
	return fmt.Sprintf("%s <%s> %d %c%04d", id.Name, id.Email, uint64(id.When), sign, zone)
}

// CommitterIdent returns the committer identity git would use for a
// reflog: GIT_COMMITTER_NAME/EMAIL, else user.name/user.email, else
// $EMAIL, else the login name and host; the date from GIT_COMMITTER_DATE,
// else now.
func (r *Repo) CommitterIdent() (Ident, error) {
	return r.Ident("COMMITTER")
}

// AuthorIdent is CommitterIdent for GIT_AUTHOR_*.
func (r *Repo) AuthorIdent() (Ident, error) {
	return r.Ident("AUTHOR")
}

// StrictAuthorIdent is AuthorIdent with the checks git makes for the
// identities it records in commits and tags (and `git var`): a guessed
// email must not be bogus, the name must not be empty or all
// punctuation. Its errors are git's, with the "identity unknown" advice
// git prints first (see IdentError).
func (r *Repo) StrictAuthorIdent() (Ident, error) { return r.StrictIdent("AUTHOR") }

// StrictCommitterIdent is StrictAuthorIdent for the committer.
func (r *Repo) StrictCommitterIdent() (Ident, error) { return r.StrictIdent("COMMITTER") }

// IdentError is git's refusal of an identity. Advice, when not empty,
// is what git prints to stderr before "fatal: " and the error's text.
type IdentError struct {
	Advice string
	msg    string
}

// Error is git's fatal message for the identity.
func (e *IdentError) Error() string { return e.msg }

// identAdvice is what git prints when it had to guess an identity and
// could not.
const identAdvice = "\n*** Please tell me who you are.\n\nRun\n\n" +
	"  git config --global user.email \"you@example.com\"\n" +
	"  git config --global user.name \"Your Name\"\n\n" +
	"to set your account's default identity.\n" +
	"Omit --global to set the identity only in this repository.\n\n"

// StrictIdent applies git's strict identity checks for role.
func (r *Repo) StrictIdent(role string) (Ident, error) {
	cfg, err := r.Config()
	if err != nil {
		return Ident{}, err
	}
	advice := strings.ToUpper(role[:1]) + strings.ToLower(role[1:]) + " identity unknown\n" + identAdvice
	email, emailGiven := r.givenEmail(role, cfg)
	if !emailGiven {
		email = r.defaultEmail()
		if strings.HasSuffix(email, "(none)") {
			return Ident{}, &IdentError{Advice: advice, msg: fmt.Sprintf("unable to auto-detect email address (got '%s')", email)}
		}
	}
	name, nameGiven := r.givenName(role, cfg)
	if !nameGiven {
		name = defaultName()
	}
	if name == "" {
		e := &IdentError{msg: fmt.Sprintf("empty ident name (for <%s>) not allowed", email)}
		if !nameGiven {
			e.Advice = advice
		}
		return Ident{}, e
	}
	if withoutCrud(name) == "" {
		return Ident{}, &IdentError{msg: "name consists only of disallowed characters: " + name}
	}
	return r.Ident(role)
}

// Ident builds the identity for role "AUTHOR" or "COMMITTER", guessing
// what is not given as git does for reflogs.
func (r *Repo) Ident(role string) (Ident, error) {
	cfg, err := r.Config()
	if err != nil {
		return Ident{}, err
	}
	name, email := r.identName(role, cfg), r.identEmail(role, cfg)
	if name == "" {
		// git falls back to the login name.
		name = loginName(r.env)
	}
	id := Ident{Name: withoutCrud(name), Email: withoutCrud(email)}
	d, err := gitdate.ParseIdent(r.env.Get("GIT_"+role+"_DATE"), time.Now(), r.location())
	if err != nil {
		return Ident{}, err
	}
	id.When, id.Zone = d.Unix, d.ZoneHHMM()
	return id, nil
}

// location is the local time zone of the environment ($TZ), used for
// dates that name no zone.
func (r *Repo) location() *time.Location {
	tz, ok := r.env.Lookup("TZ")
	if !ok {
		return time.Local
	}
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.UTC
}

// identName picks the name for role.
func (r *Repo) identName(role string, cfg *Config) string {
	if n, ok := r.givenName(role, cfg); ok {
		return n
	}
	return defaultName()
}

// givenName is the name for role from the environment or configuration.
func (r *Repo) givenName(role string, cfg *Config) (string, bool) {
	if n, ok := r.env.Lookup("GIT_" + role + "_NAME"); ok {
		return n, true
	}
	if n, ok := cfg.Get(strings.ToLower(role) + ".name"); ok {
		return n, true
	}
	return cfg.Get("user.name")
}

// defaultName is the name git guesses: the GECOS name, or the login.
func defaultName() string {
	if u, err := user.Current(); err == nil {
		if gecos, _, _ := strings.Cut(u.Name, ","); gecos != "" {
			return gecos
		}
		return u.Username
	}
	return ""
}

// loginName is the user's login name.
func loginName(env Env) string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return env.Get("USER")
}

// identEmail picks the email for role.
func (r *Repo) identEmail(role string, cfg *Config) string {
	if e, ok := r.givenEmail(role, cfg); ok {
		return e
	}
	return r.defaultEmail()
}

// givenEmail is the email for role from the environment or
// configuration.
func (r *Repo) givenEmail(role string, cfg *Config) (string, bool) {
	if e, ok := r.env.Lookup("GIT_" + role + "_EMAIL"); ok {
		return e, true
	}
	if e, ok := cfg.Get(strings.ToLower(role) + ".email"); ok {
		return e, true
	}
	if e, ok := cfg.Get("user.email"); ok {
		return e, true
	}
	if e, ok := r.env.nonEmpty("EMAIL"); ok {
		return e, true
	}
	return "", false
}

// defaultEmail is the email git guesses: login@host, with ".(none)"
// when the host name has no domain.
func (r *Repo) defaultEmail() string {
	login := loginName(r.env)
	host, _ := os.Hostname()
	if !strings.Contains(host, ".") {
		host += ".(none)"
	}
	return login + "@" + host
}

// withoutCrud trims the characters git strips from both ends of a name or
// email (whitespace and . , : ; < > " \ ') and drops '<', '>' and newlines
// inside.
func withoutCrud(s string) string {
	s = strings.TrimFunc(s, func(c rune) bool {
		return c <= ' ' || strings.ContainsRune(".,:;<>\"\\'", c)
	})
	// Byte by byte, as git: a name in another encoding than UTF-8 (say
	// Latin-1 under i18n.commitEncoding) must keep its bytes, which
	// strings.Map would turn into U+FFFD.
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '<' && c != '>' && c != '\n' {
			out = append(out, c)
		}
	}
	return string(out)
}
