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
	return r.ident("COMMITTER")
}

// AuthorIdent is CommitterIdent for GIT_AUTHOR_*.
func (r *Repo) AuthorIdent() (Ident, error) {
	return r.ident("AUTHOR")
}

// ident builds the identity for role "AUTHOR" or "COMMITTER".
func (r *Repo) ident(role string) (Ident, error) {
	cfg, err := r.Config()
	if err != nil {
		return Ident{}, err
	}
	name, email := r.identName(role, cfg), r.identEmail(role, cfg)
	id := Ident{Name: withoutCrud(name), Email: withoutCrud(email)}
	d, err := gitdate.ParseIdent(r.env.get("GIT_"+role+"_DATE"), time.Now(), r.location())
	if err != nil {
		return Ident{}, err
	}
	id.When, id.Zone = d.Unix, d.ZoneHHMM()
	return id, nil
}

// location is the local time zone of the environment ($TZ), used for
// dates that name no zone.
func (r *Repo) location() *time.Location {
	tz, ok := r.env.lookup("TZ")
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
	if n, ok := r.env.lookup("GIT_" + role + "_NAME"); ok {
		return n
	}
	if n, ok := cfg.Get(strings.ToLower(role) + ".name"); ok {
		return n
	}
	if n, ok := cfg.Get("user.name"); ok {
		return n
	}
	if u, err := user.Current(); err == nil {
		if gecos, _, _ := strings.Cut(u.Name, ","); gecos != "" {
			return gecos
		}
		return u.Username
	}
	return ""
}

// identEmail picks the email for role.
func (r *Repo) identEmail(role string, cfg *Config) string {
	if e, ok := r.env.lookup("GIT_" + role + "_EMAIL"); ok {
		return e
	}
	if e, ok := cfg.Get(strings.ToLower(role) + ".email"); ok {
		return e
	}
	if e, ok := cfg.Get("user.email"); ok {
		return e
	}
	if e, ok := r.env.nonEmpty("EMAIL"); ok {
		return e
	}
	login := r.env.get("USER")
	if u, err := user.Current(); err == nil {
		login = u.Username
	}
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
	return strings.Map(func(c rune) rune {
		if c == '<' || c == '>' || c == '\n' {
			return -1
		}
		return c
	}, s)
}
