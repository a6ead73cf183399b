package gitapi

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ReflogEntry is one line of a reflog.
type ReflogEntry struct {
	Old, New  Hash
	Committer string // "Name <email> 1234567890 +0000"
	Message   string
}

// reflogPath is where a ref's reflog lives.
func (r *Repo) reflogPath(name string) string {
	return filepath.Join(r.refDir(name), "logs", filepath.FromSlash(name))
}

// Reflog reads a ref's reflog, oldest entry first; a ref without a reflog
// has none.
func (r *Repo) Reflog(name string) ([]ReflogEntry, error) {
	f, err := os.Open(r.reflogPath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []ReflogEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<24)
	for sc.Scan() {
		if e, ok := parseReflogLine(sc.Text()); ok {
			entries = append(entries, e)
		}
	}
	return entries, sc.Err()
}

// parseReflogLine splits "old new committer\tmessage".
func parseReflogLine(line string) (ReflogEntry, bool) {
	if len(line) < 2*HexSize+2 {
		return ReflogEntry{}, false
	}
	oldID, err1 := ParseHash(line[:HexSize])
	newID, err2 := ParseHash(line[HexSize+1 : 2*HexSize+1])
	if err1 != nil || err2 != nil {
		return ReflogEntry{}, false
	}
	who, msg, _ := strings.Cut(line[2*HexSize+2:], "\t")
	return ReflogEntry{Old: oldID, New: newID, Committer: who, Message: msg}, true
}

// logUpdate appends the reflog lines of an update of target (u.Name
// resolved): target's own when it changed, the symbolic ref's it went
// through, and HEAD's when HEAD points at target.
func (r *Repo) logUpdate(u RefUpdate, target string, old Hash, changed bool) error {
	var names []string
	if changed {
		names = append(names, target)
	}
	if u.Name != target {
		names = append(names, u.Name)
	}
	if head := r.CurrentBranch(); head == target && u.Name != "HEAD" {
		names = append(names, "HEAD")
	}
	for _, name := range names {
		if err := r.appendReflog(name, old, u.New, u.Message, u.CreateReflog); err != nil {
			return err
		}
	}
	return nil
}

// appendReflog writes one reflog line for name if it has a reflog or
// should get one.
func (r *Repo) appendReflog(name string, old, newID Hash, msg string, create bool) error {
	if !r.logsRef(name, create) {
		return nil
	}
	line, err := r.reflogLine(old, newID, msg)
	if err != nil {
		return err
	}
	return r.writeReflogLine(name, line)
}

// logsRef reports whether an update of name is logged: it has a reflog,
// or should get one.
func (r *Repo) logsRef(name string, create bool) bool {
	_, err := os.Stat(r.reflogPath(name))
	return err == nil || create || r.autoCreatesReflog(name)
}

// reflogLine is the line logging a change from old to newID now, by the
// committer, without its newline.
func (r *Repo) reflogLine(old, newID Hash, msg string) (string, error) {
	who, err := r.CommitterIdent()
	if err != nil {
		return "", err
	}
	line := fmt.Sprintf("%s %s %s", old, newID, who)
	if m := normalizeReflogMessage(msg); m != "" {
		line += "\t" + m
	}
	return line, nil
}

// writeReflogLine appends a line to name's reflog, creating it.
func (r *Repo) writeReflogLine(name, line string) error {
	path := r.reflogPath(name)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return fmt.Errorf("unable to create directory for '%s'", path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return fmt.Errorf("unable to append to '%s': %v", path, err)
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("unable to append to '%s': %v", path, err)
	}
	return f.Close()
}

// autoCreatesReflog applies core.logAllRefUpdates: "always" logs every
// ref, true (the default outside bare repositories) logs HEAD, branches,
// remote-tracking refs and notes.
func (r *Repo) autoCreatesReflog(name string) bool {
	cfg, err := r.Config()
	if err != nil {
		return false
	}
	v, set := cfg.Get("core.logallrefupdates")
	if set && strings.EqualFold(v, "always") {
		return true
	}
	enabled := !r.IsBare()
	if set {
		enabled, _ = cfg.Bool("core.logallrefupdates", enabled)
	}
	return enabled && (name == "HEAD" || strings.HasPrefix(name, "refs/heads/") ||
		strings.HasPrefix(name, "refs/remotes/") || strings.HasPrefix(name, "refs/notes/"))
}

// normalizeReflogMessage collapses whitespace runs (newlines included) to
// one space and trims the ends, as git does before logging.
func normalizeReflogMessage(msg string) string {
	return strings.Join(strings.FieldsFunc(msg, func(c rune) bool { return c < 0x80 && isSpace(byte(c)) }), " ")
}
