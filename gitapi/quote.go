package gitapi

import (
	"fmt"
	"strings"
)

// QuotePath quotes a path as git prints it with core.quotePath on (its
// default): in double quotes, with C escapes and octal for control
// characters, quote, backslash and bytes above 0x7f; a path with none of
// these is printed as is.
func QuotePath(name string) string { return QuotePathAs(name, true) }

// QuotePathAs is QuotePath with core.quotePath set to fully: when it is
// false, bytes above 0x7f are printed as they are.
func QuotePathAs(name string, fully bool) string {
	if !needsQuote(name, fully) {
		return name
	}
	var sb strings.Builder
	sb.WriteByte('"')
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '\a':
			sb.WriteString(`\a`)
		case '\b':
			sb.WriteString(`\b`)
		case '\t':
			sb.WriteString(`\t`)
		case '\n':
			sb.WriteString(`\n`)
		case '\v':
			sb.WriteString(`\v`)
		case '\f':
			sb.WriteString(`\f`)
		case '\r':
			sb.WriteString(`\r`)
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		default:
			if c < 0x20 || c == 0x7f || (c > 0x7f && fully) {
				fmt.Fprintf(&sb, `\%03o`, c)
			} else {
				sb.WriteByte(c)
			}
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

func needsQuote(name string, fully bool) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == 0x7f || (c > 0x7f && fully) || c == '"' || c == '\\' {
			return true
		}
	}
	return false
}

// QuotePathFully is the repository's core.quotePath (true by default).
func (r *Repo) QuotePathFully() (bool, error) {
	cfg, err := r.Config()
	if err != nil {
		return true, err
	}
	return cfg.Bool("core.quotepath", true)
}

// ShellQuote quotes s for a POSIX shell the way git's sq_quote does:
// single quotes, with ' and ! escaped outside them.
func ShellQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' || s[i] == '!' {
			b.WriteString("'\\" + s[i:i+1] + "'")
			continue
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}
