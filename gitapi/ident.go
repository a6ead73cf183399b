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
func (r *Repo) StrictIdent(role string) (Ident, error) { return r.ident(role, true) }

// Ident builds the identity for role "AUTHOR" or "COMMITTER", guessing
// what is not given as git does for reflogs.
func (r *Repo) Ident(role string) (Ident, error) { return r.ident(role, false) }

// ident builds the identity for role as git's fmt_ident does, with its
// checks when strict: the email first, then the name, then the date.
// The email is GIT_<role>_EMAIL, else a non-empty <role>.email, else
// the default: user.email when any email setting is given (an empty
// one counts), else $EMAIL, else a guess; the name likewise from
// GIT_<role>_NAME, <role>.name, user.name when any name setting is
// given, else the GECOS name. user.useConfigOnly forbids the guesses.
func (r *Repo) ident(role string, strict bool) (Ident, error) {
	cfg, err := r.Config()
	if err != nil {
		return Ident{}, err
	}
	advice := strings.ToUpper(role[:1]) + strings.ToLower(role[1:]) + " identity unknown\n" + identAdvice
	lrole := strings.ToLower(role)
	configOnly, _ := cfg.Bool("user.useconfigonly", false)
	given := func(key string) bool {
		for _, k := range []string{"author." + key, "committer." + key, "user." + key} {
			if _, ok := cfg.Get(k); ok {
				return true
			}
		}
		return false
	}

	email, ok := r.env.Lookup("GIT_" + role + "_EMAIL")
	if !ok {
		email, ok = nonEmptyConfig(cfg, lrole+".email")
	}
	if !ok {
		mailGiven := given("email")
		if strict && configOnly && !mailGiven {
			return Ident{}, &IdentError{Advice: advice, msg: "no email was given and auto-detection is disabled"}
		}
		var bogus bool
		email, bogus = r.defaultIdentEmail(cfg, mailGiven)
		if strict && bogus {
			return Ident{}, &IdentError{Advice: advice, msg: fmt.Sprintf("unable to auto-detect email address (got '%s')", email)}
		}
	}

	name, ok := r.env.Lookup("GIT_" + role + "_NAME")
	if !ok {
		name, ok = nonEmptyConfig(cfg, lrole+".name")
	}
	usingDefault := false
	if !ok {
		nameGiven := given("name")
		if strict && configOnly && !nameGiven {
			return Ident{}, &IdentError{Advice: advice, msg: "no name was given and auto-detection is disabled"}
		}
		name, usingDefault = defaultIdentName(cfg, nameGiven), true
	}
	if name == "" {
		if strict {
			e := &IdentError{msg: fmt.Sprintf("empty ident name (for <%s>) not allowed", email)}
			if usingDefault {
				e.Advice = advice
			}
			return Ident{}, e
		}
		// git falls back to the login name.
		name = loginName(r.env)
	}
	if strict && withoutCrud(name) == "" {
		return Ident{}, &IdentError{msg: "name consists only of disallowed characters: " + name}
	}
	id := Ident{Name: withoutCrud(name), Email: withoutCrud(email)}
	d, err := gitdate.ParseIdent(r.env.Get("GIT_"+role+"_DATE"), time.Now(), r.location())
	if err != nil {
		return Ident{}, err
	}
	id.When, id.Zone = d.Unix, d.ZoneHHMM()
	return id, nil
}

// asciiSpace is what git's strbuf_trim trims.
const asciiSpace = " \t\n\v\f\r"

// nonEmptyConfig is key's value when it is set and not empty: git
// takes an empty author.name (and the like) as not set.
func nonEmptyConfig(cfg *Config, key string) (string, bool) {
	v, _ := cfg.Get(key)
	return v, v != ""
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

// defaultIdentName is git's default name: user.name when it is set
// or any name setting is given (an empty author.name makes it ""),
// else the GECOS name or the login.
func defaultIdentName(cfg *Config, given bool) string {
	if n, ok := cfg.Get("user.name"); ok || given {
		return n
	}
	return strings.Trim(defaultName(), asciiSpace)
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

// defaultIdentEmail is git's default email: user.email when it is set
// or any email setting is given, else $EMAIL (trimmed) when not empty,
// else a guess, bogus when the host has no domain.
func (r *Repo) defaultIdentEmail(cfg *Config, given bool) (email string, bogus bool) {
	if e, ok := cfg.Get("user.email"); ok || given {
		return e, false
	}
	if e, ok := r.env.nonEmpty("EMAIL"); ok {
		return strings.Trim(e, asciiSpace), false
	}
	e := r.defaultEmail()
	return e, strings.HasSuffix(e, "(none)")
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
