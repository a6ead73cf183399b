package gitapi

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"
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
	return fmt.Sprintf("%s <%s> %d %c%04d", id.Name, id.Email, id.When, sign, zone)
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
	if date, ok := r.env.nonEmpty("GIT_" + role + "_DATE"); ok {
		when, zone, err := parseIdentDate(date)
		if err != nil {
			return Ident{}, fmt.Errorf("invalid date format: %s", date)
		}
		id.When, id.Zone = when, zone
		return id, nil
	}
	now := time.Now()
	_, offset := now.Zone()
	id.When, id.Zone = now.Unix(), offset/3600*100+offset%3600/60
	return id, nil
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

// parseIdentDate reads the date forms scripts give in GIT_*_DATE: git's
// internal "<seconds> <zone>" (optionally "@<seconds>"), RFC 2822 and ISO
// 8601. The full grammar git accepts is gitapi/gitdate's job.
func parseIdentDate(s string) (int64, int, error) {
	s = strings.TrimSpace(s)
	if secs, zone, ok := strings.Cut(strings.TrimPrefix(s, "@"), " "); ok {
		if when, err := strconv.ParseInt(secs, 10, 64); err == nil {
			if z, err := parseZone(zone); err == nil {
				return when, z, nil
			}
		}
	}
	for _, layout := range []string{
		time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700",
		"2006-01-02T15:04:05-0700", "2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05Z07:00",
		"2006-01-02 15:04:05", "2006-01-02T15:04:05",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			_, offset := t.Zone()
			return t.Unix(), offset/3600*100 + offset%3600/60, nil
		}
	}
	return 0, 0, fmt.Errorf("invalid date: %s", s)
}

// parseZone reads "+hhmm" or "-hhmm".
func parseZone(z string) (int, error) {
	if len(z) != 5 || (z[0] != '+' && z[0] != '-') {
		return 0, fmt.Errorf("bad zone %q", z)
	}
	n, err := strconv.Atoi(z[1:])
	if err != nil {
		return 0, err
	}
	if z[0] == '-' {
		n = -n
	}
	return n, nil
}
