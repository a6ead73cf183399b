package gitapi

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kiln-dev/kiln/gitapi/gitdate"
)

// RefsMatching lists the refs under refs/ that match one of patterns
// (all of them when there is none), sorted by name, as `git
// for-each-ref` selects them: a pattern matches a ref it is a prefix of
// up to a '/' (refs/heads matches refs/heads/x), or as a glob ('*' and
// '?' do not match '/').
func (r *Repo) RefsMatching(patterns []string) ([]Ref, error) {
	refs, err := r.Refs("refs/")
	if err != nil {
		return nil, err
	}
	if len(patterns) == 0 {
		return refs, nil
	}
	var out []Ref
	for _, ref := range refs {
		if refMatchesAny(ref.Name, patterns) {
			out = append(out, ref)
		}
	}
	return out, nil
}

func refMatchesAny(name string, patterns []string) bool {
	for _, p := range patterns {
		if p == "" {
			continue
		}
		if strings.HasPrefix(name, p) && (len(name) == len(p) || name[len(p)] == '/' || p[len(p)-1] == '/') {
			return true
		}
		if wildmatch(p, name, false) {
			return true
		}
	}
	return false
}

// refAtom is one %(...) placeholder of a ref format that gitapi
// implements.
type refAtom struct {
	deref bool   // "*": of the object an annotated tag points at
	name  string // refname, objectname, objecttype, objectsize, subject, HEAD, ...
	// part of a message (subject, body, signature) for contents.
	part string
	// refname: "short", or strip counts; objectname: abbreviation.
	short          bool
	lstrip, rstrip int
	stripSet       byte // 'l' or 'r' when a strip count is given
	abbrev         int  // objectname:short[=N]; 0 for the full id
}

// refFormatPart is literal text or an atom.
type refFormatPart struct {
	literal string
	atom    *refAtom
}

// ErrUnservedAtom is an atom (or atom argument) gitapi does not
// implement; Serves sends such calls to git.
var ErrUnservedAtom = errors.New("atom not implemented in-process by gitapi")

// MalformedFormatError is a "%(" without its ")".
type MalformedFormatError struct{ rest string }

// Error quotes the format from where it went wrong.
func (e *MalformedFormatError) Error() string { return "malformed format string " + e.rest }

// parseRefFormat splits a --format string into literals and atoms.
func parseRefFormat(format string) ([]refFormatPart, error) {
	var parts []refFormatPart
	for format != "" {
		start := nextAtom(format)
		if start < 0 {
			parts = append(parts, refFormatPart{literal: formatLiteral(format)})
			break
		}
		if start > 0 {
			parts = append(parts, refFormatPart{literal: formatLiteral(format[:start])})
		}
		end := strings.IndexByte(format[start:], ')')
		if end < 0 {
			return nil, &MalformedFormatError{format[start:]}
		}
		atom, err := parseRefAtom(format[start+2 : start+end])
		if err != nil {
			return nil, err
		}
		parts = append(parts, refFormatPart{atom: atom})
		format = format[start+end+1:]
	}
	return parts, nil
}

// nextAtom finds the next "%(" that is not a quoted "%%", or -1.
func nextAtom(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 >= len(s) {
			continue
		}
		switch s[i+1] {
		case '(':
			return i
		case '%':
			i++
		}
	}
	return -1
}

// formatLiteral expands "%%" and "%xx" (two hex digits) in literal text.
func formatLiteral(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+1 < len(s) && s[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		if s[i] == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// parseRefAtom parses the inside of %(...); atoms and arguments gitapi
// does not implement (or that git refuses) are errUnservedAtom.
func parseRefAtom(spec string) (*refAtom, error) {
	a := &refAtom{}
	if rest, ok := strings.CutPrefix(spec, "*"); ok {
		a.deref, spec = true, rest
	}
	name, arg, hasArg := strings.Cut(spec, ":")
	a.name = name
	switch {
	case (name == "refname" || name == "symref" || name == "upstream") && !a.deref:
		return a, a.parseRefnameArg(arg, hasArg)
	case name == "objectname":
		return a, a.parseObjectnameArg(arg, hasArg)
	case name == "contents" && hasArg:
		if arg != "subject" && arg != "body" && arg != "signature" {
			return nil, ErrUnservedAtom
		}
		a.part = arg
		return a, nil
	case dateAtoms[name]:
		if hasArg && !dateModes[arg] {
			return nil, ErrUnservedAtom
		}
		a.part = arg
		return a, nil
	case simpleRefAtoms[name] && !(name == "HEAD" && a.deref):
		if hasArg {
			return nil, ErrUnservedAtom
		}
		return a, nil
	}
	return nil, ErrUnservedAtom
}

// simpleRefAtoms are the atoms served that take no argument.
var simpleRefAtoms = map[string]bool{
	"objecttype": true, "objectsize": true, "subject": true, "body": true, "contents": true, "HEAD": true,
	"author": true, "authorname": true, "authoremail": true,
	"committer": true, "committername": true, "committeremail": true,
	"tagger": true, "taggername": true, "taggeremail": true, "creator": true,
}

// dateAtoms are the date atoms served, with the date modes of dateModes.
var dateAtoms = map[string]bool{"authordate": true, "committerdate": true, "taggerdate": true, "creatordate": true}

var dateModes = map[string]bool{
	"default": true, "iso": true, "iso8601": true, "iso-strict": true, "iso8601-strict": true,
	"rfc": true, "rfc2822": true, "short": true, "unix": true, "raw": true,
}

func (a *refAtom) parseRefnameArg(arg string, hasArg bool) error {
	switch {
	case !hasArg:
		return nil
	case arg == "short":
		a.short = true
		return nil
	}
	which, n := byte(0), ""
	if v, ok := strings.CutPrefix(arg, "lstrip="); ok {
		which, n = 'l', v
	} else if v, ok := strings.CutPrefix(arg, "strip="); ok {
		which, n = 'l', v
	} else if v, ok := strings.CutPrefix(arg, "rstrip="); ok {
		which, n = 'r', v
	}
	count, err := strconv.Atoi(n)
	if which == 0 || err != nil {
		return ErrUnservedAtom
	}
	a.stripSet = which
	if which == 'l' {
		a.lstrip = count
	} else {
		a.rstrip = count
	}
	return nil
}

func (a *refAtom) parseObjectnameArg(arg string, hasArg bool) error {
	switch {
	case !hasArg:
		return nil
	case arg == "short":
		a.short = true
		return nil
	}
	v, ok := strings.CutPrefix(arg, "short=")
	n, err := strconv.ParseUint(v, 10, 31)
	if !ok || err != nil || n == 0 {
		return ErrUnservedAtom
	}
	a.abbrev = max(int(n), MinAbbrev)
	return nil
}

// needsObject reports whether the atom reads the ref's object.
func (a *refAtom) needsObject() bool {
	switch a.name {
	case "refname", "symref", "upstream", "objectname", "HEAD":
		return a.deref
	}
	return true
}

// stripComponents removes n leading (or, with fromRight, trailing)
// slash-separated components of name; a negative n keeps -n components.
func stripComponents(name string, n int, fromRight bool) string {
	if n < 0 {
		n += strings.Count(name, "/") + 1
	}
	parts := strings.Split(name, "/")
	if n >= len(parts) {
		return ""
	}
	if n <= 0 {
		return name
	}
	if fromRight {
		return strings.Join(parts[:len(parts)-n], "/")
	}
	return strings.Join(parts[n:], "/")
}

// messagePart is the subject, body, or whole message of a commit or tag
// object as for-each-ref shows it. The subject is the first paragraph
// of the message (before any signature), its lines joined with spaces;
// %(body) runs from the next paragraph to the end, %(contents:body)
// stops at the signature, %(contents:signature) is the signature.
func messagePart(data []byte, a *refAtom) string {
	var msg []byte
	if bytes.HasPrefix(data, []byte("\n")) {
		msg = data
	} else if i := bytes.Index(data, []byte("\n\n")); i >= 0 {
		msg = data[i+1:]
	}
	msg = bytes.TrimLeft(msg, "\n")
	sigStart := signatureStart(msg)
	end := sigStart
	if i := bytes.Index(msg, []byte("\n\n")); i >= 0 {
		end = min(i, sigStart)
	} else if i := bytes.Index(msg, []byte("\r\n\r\n")); i >= 0 {
		end = min(i, sigStart)
	}
	bodyStart := end
	for bodyStart < len(msg) && (msg[bodyStart] == '\n' || msg[bodyStart] == '\r') {
		bodyStart++
	}
	switch {
	case a.name == "body":
		return string(msg[bodyStart:])
	case a.name == "contents" && a.part == "body":
		return string(msg[bodyStart:max(bodyStart, sigStart)])
	case a.name == "contents" && a.part == "signature":
		return string(msg[sigStart:])
	case a.name == "contents" && a.part == "":
		return string(msg)
	}
	return joinSubjectLines(bytes.TrimRight(msg[:end], "\r\n"))
}

// joinSubjectLines joins the lines of a subject with spaces, dropping
// the CR of CRLF line ends.
func joinSubjectLines(subject []byte) string {
	var b strings.Builder
	for i := 0; i < len(subject); i++ {
		switch {
		case subject[i] == '\r' && i+1 < len(subject) && subject[i+1] == '\n':
		case subject[i] == '\n':
			b.WriteByte(' ')
		default:
			b.WriteByte(subject[i])
		}
	}
	return b.String()
}

// signatureStarts are the first lines of the signatures git recognizes
// at the end of a tag's message.
var signatureStarts = []string{
	"-----BEGIN PGP SIGNATURE-----", "-----BEGIN PGP MESSAGE-----",
	"-----BEGIN SIGNED MESSAGE-----", "-----BEGIN SSH SIGNATURE-----",
}

// signatureStart is the offset of the last line that starts a
// signature, or len(msg).
func signatureStart(msg []byte) int {
	match := len(msg)
	for off := 0; off < len(msg); {
		for _, s := range signatureStarts {
			if bytes.HasPrefix(msg[off:], []byte(s)) {
				match = off
			}
		}
		nl := bytes.IndexByte(msg[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	return match
}

// formatQuote quotes an atom's value for --shell, --perl or --python.
func formatQuote(style, s string) string {
	switch style {
	case "shell":
		return ShellQuote(s)
	case "perl":
		return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
	case "python":
		return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`, "\n", `\n`).Replace(s) + "'"
	}
	return s
}

// refValues computes the atoms of one ref, reading its object (and the
// object an annotated tag points at) once.
type refValues struct {
	repo   *Repo
	ref    Ref
	head   string // the branch HEAD is on, "" if none
	line   string // the ref formatted
	loaded bool
	typ    string
	data   []byte
	tagged struct {
		loaded bool
		id     Hash
		typ    string
		data   []byte
	}
}

// missingObjectError is git's "missing object <id> for <ref>".
type missingObjectError struct {
	id  Hash
	ref string
}

func (e *missingObjectError) Error() string {
	return fmt.Sprintf("missing object %s for %s", e.id, e.ref)
}

func (v *refValues) object() error {
	if v.loaded {
		return nil
	}
	typ, data, err := v.repo.ReadObject(v.ref.ID)
	if err != nil {
		return &missingObjectError{v.ref.ID, v.ref.Name}
	}
	v.loaded, v.typ, v.data = true, typ, data
	return nil
}

// derefObject reads what an annotated tag points at; ok is false for a
// ref that is not an annotated tag.
func (v *refValues) derefObject() (bool, error) {
	if err := v.object(); err != nil || v.typ != TypeTag {
		return false, err
	}
	t := &v.tagged
	if t.loaded {
		return true, nil
	}
	id, _, err := TagTarget(v.data)
	if err != nil {
		return false, err
	}
	typ, data, err := v.repo.ReadObject(id)
	if err != nil {
		return false, &missingObjectError{id, v.ref.Name}
	}
	t.loaded, t.id, t.typ, t.data = true, id, typ, data
	return true, nil
}

// objectOf is the object an atom reads: the ref's, or with "*" the
// one its annotated tag points at (ok is false for other refs); the
// object is read only when the atom needs more than its id.
func (v *refValues) objectOf(a *refAtom) (id Hash, typ string, data []byte, ok bool, err error) {
	switch {
	case a.deref:
		if ok, err := v.derefObject(); err != nil || !ok {
			return id, "", nil, false, err
		}
		return v.tagged.id, v.tagged.typ, v.tagged.data, true, nil
	case a.needsObject():
		if err := v.object(); err != nil {
			return id, "", nil, false, err
		}
		return v.ref.ID, v.typ, v.data, true, nil
	}
	return v.ref.ID, "", nil, true, nil
}

// sortTime is the timestamp a date atom sorts on (0 without a date).
func (v *refValues) sortTime(a *refAtom) uint64 {
	_, typ, data, ok, err := v.objectOf(a)
	if err != nil || !ok {
		return 0
	}
	return identTimestamp(typ, data, a)
}

// value is the text of one atom for this ref.
func (v *refValues) value(a *refAtom) (string, error) {
	switch a.name {
	case "refname":
		return a.showRef(v.repo, v.ref.Name), nil
	case "symref":
		return v.symref(a), nil
	case "upstream":
		return v.upstream(a), nil
	case "HEAD":
		if v.head != "" && v.head == v.ref.Name {
			return "*", nil
		}
		return " ", nil
	}
	id, typ, data, ok, err := v.objectOf(a)
	if err != nil || !ok {
		return "", err
	}
	switch a.name {
	case "objectname":
		switch {
		case a.short:
			return v.repo.UniqueAbbrev(id, v.repo.DefaultAbbrev()), nil
		case a.abbrev > 0:
			return v.repo.UniqueAbbrev(id, min(a.abbrev, HexSize)), nil
		}
		return id.String(), nil
	case "objecttype":
		return typ, nil
	case "objectsize":
		return strconv.Itoa(len(data)), nil
	case "subject", "body", "contents":
		if typ != TypeCommit && typ != TypeTag {
			return "", nil
		}
		return messagePart(data, a), nil
	}
	if dateAtoms[a.name] {
		return identDate(typ, data, a), nil
	}
	return personField(typ, data, a.name), nil
}

// showRef formats a ref name as the refname atom's argument asks.
func (a *refAtom) showRef(r *Repo, name string) string {
	switch {
	case a.short:
		return r.ShortenRef(name, true)
	case a.stripSet == 'l':
		return stripComponents(name, a.lstrip, false)
	case a.stripSet == 'r':
		return stripComponents(name, a.rstrip, true)
	}
	return name
}

// symref is the ref a symbolic ref resolves to in the end, "" for a
// ref that is not symbolic.
func (v *refValues) symref(a *refAtom) string {
	if _, ok, _ := v.repo.SymbolicRef(v.ref.Name); !ok {
		return ""
	}
	_, final, err := v.repo.ResolveRef(v.ref.Name)
	if err != nil {
		return ""
	}
	return a.showRef(v.repo, final)
}

// upstream is the remote-tracking ref a branch merges from, "" for
// other refs and branches without one.
func (v *refValues) upstream(a *refAtom) string {
	if !strings.HasPrefix(v.ref.Name, "refs/heads/") {
		return ""
	}
	up, err := v.repo.Upstream(v.ref.Name)
	if err != nil {
		return ""
	}
	return a.showRef(v.repo, up)
}

// personField is an author, committer or tagger atom: the whole line
// after the keyword, the name before " <", or the <email>; "" when the
// object has no such line (git reads author and committer of commits
// only, tagger of tags only).
func personField(typ string, data []byte, atom string) string {
	who := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(atom, "name"), "email"), "date")
	if who == "creator" {
		who = "committer"
		if typ == TypeTag {
			who = "tagger"
		}
	}
	if (typ == TypeCommit) != (who == "author" || who == "committer") || (typ == TypeTag) != (who == "tagger") {
		return ""
	}
	line, ok := headerLine(data, who)
	if !ok {
		return ""
	}
	switch {
	case strings.HasSuffix(atom, "name"):
		if i := strings.Index(line, " <"); i >= 0 {
			return line[:i]
		}
		return ""
	case strings.HasSuffix(atom, "email"):
		start := strings.IndexByte(line, '<')
		if start < 0 {
			return ""
		}
		end := strings.IndexByte(line[start:], '>')
		if end < 0 {
			return ""
		}
		return line[start : start+end+1]
	}
	return line
}

// headerLine finds the header line "<key> ..." of an object and returns
// what follows the key.
func headerLine(data []byte, key string) (string, bool) {
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" {
			break
		}
		if rest, ok := strings.CutPrefix(line, key+" "); ok {
			return rest, true
		}
	}
	return "", false
}

// identTime reads the timestamp and zone (as the decimal git writes,
// +0200 is 200) after the email of an ident line; false when there is
// no email.
func identTime(line string) (uint64, int, bool) {
	i := strings.Index(line, "> ")
	if i < 0 {
		return 0, 0, false
	}
	rest := strings.TrimLeft(line[i+2:], " ")
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	ts, _ := strconv.ParseUint(rest[:end], 10, 64)
	tz, _ := strconv.Atoi(strings.Fields(rest[end:] + " 0")[0])
	return ts, tz, true
}

// identDate formats the date of an author, committer, tagger or creator
// line in the atom's date mode; "" when the object has no such line.
func identDate(typ string, data []byte, a *refAtom) string {
	line := personField(typ, data, strings.TrimSuffix(a.name, "date"))
	ts, tz, ok := identTime(line)
	if !ok {
		return ""
	}
	minutes := tz/100*60 + tz%100
	d := gitdate.Date{Unix: int64(ts), Offset: minutes}
	switch a.part {
	case "iso", "iso8601":
		return d.ISO8601()
	case "iso-strict", "iso8601-strict":
		return d.ISO8601Strict()
	case "rfc", "rfc2822":
		return d.RFC2822()
	case "short":
		return d.Short()
	case "unix":
		return d.UnixString()
	case "raw":
		return fmt.Sprintf("%d %+05d", ts, tz)
	}
	return d.Default()
}

// identTimestamp is the timestamp a date atom sorts on (0 without one).
func identTimestamp(typ string, data []byte, a *refAtom) uint64 {
	ts, _, _ := identTime(personField(typ, data, strings.TrimSuffix(a.name, "date")))
	return ts
}

// refSortKey is one --sort key.
type refSortKey struct {
	atom    *refAtom
	reverse bool
}

// parseSortKeys turns --sort values into keys, primary first (git makes
// the last --sort the primary key); refname by default.
func parseSortKeys(values []string) ([]refSortKey, error) {
	if len(values) == 0 {
		values = []string{"refname"}
	}
	var keys []refSortKey
	for i := len(values) - 1; i >= 0; i-- {
		v, reverse := strings.CutPrefix(values[i], "-")
		atom, err := parseRefAtom(v)
		if err != nil {
			return nil, err
		}
		keys = append(keys, refSortKey{atom: atom, reverse: reverse})
	}
	return keys, nil
}

// ReachesAny reports whether one of the commits is an ancestor of tip
// (for-each-ref --contains).
func (r *Repo) ReachesAny(tip Hash, commits []Hash) (bool, error) {
	for _, c := range commits {
		ok, err := r.IsAncestor(c, tip)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// sortRefValues orders refs by the keys, then by name; their values
// have been computed.
func sortRefValues(values []*refValues, keys []refSortKey) {
	sort.SliceStable(values, func(i, j int) bool {
		for _, k := range keys {
			if cmp := compareRefKey(values[i], values[j], k.atom); cmp != 0 {
				return (cmp < 0) != k.reverse
			}
		}
		return values[i].ref.Name < values[j].ref.Name
	})
}

// compareRefKey compares two refs on one atom: numerically for sizes
// and dates, as strings otherwise.
func compareRefKey(a, b *refValues, atom *refAtom) int {
	if dateAtoms[atom.name] {
		return cmpUint(a.sortTime(atom), b.sortTime(atom))
	}
	va, _ := a.value(atom)
	vb, _ := b.value(atom)
	if atom.name == "objectsize" {
		na, _ := strconv.ParseUint(va, 10, 64)
		nb, _ := strconv.ParseUint(vb, 10, 64)
		return cmpUint(na, nb)
	}
	return strings.Compare(va, vb)
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// formatRef expands the format for one ref.
func formatRef(v *refValues, parts []refFormatPart, quote string) (string, error) {
	var b strings.Builder
	for _, p := range parts {
		if p.atom == nil {
			b.WriteString(p.literal)
			continue
		}
		s, err := v.value(p.atom)
		if err != nil {
			return "", err
		}
		b.WriteString(formatQuote(quote, s))
	}
	return b.String(), nil
}

// refValuesOf prepares the atoms of each ref.
func (r *Repo) refValuesOf(refs []Ref) []*refValues {
	head := ""
	if _, name, err := r.ResolveRef("HEAD"); err == nil {
		head = name
	}
	out := make([]*refValues, len(refs))
	for i, ref := range refs {
		out[i] = &refValues{repo: r, ref: ref, head: head}
	}
	return out
}

// RefFormat is a parsed for-each-ref --format: literal text and atoms.
type RefFormat struct{ parts []refFormatPart }

// ParseRefFormat parses a for-each-ref format. An unclosed "%(" is a
// *MalformedFormatError; an atom gitapi does not implement is
// ErrUnservedAtom; an unknown atom is git's fatal error.
func ParseRefFormat(format string) (*RefFormat, error) {
	parts, err := parseRefFormat(format)
	if err != nil {
		return nil, err
	}
	return &RefFormat{parts}, nil
}

// RefSort is a parsed list of for-each-ref --sort keys.
type RefSort struct{ keys []refSortKey }

// ParseRefSort parses --sort values, in the order given (git makes the
// last one the primary key); none sorts by refname.
func ParseRefSort(values []string) (*RefSort, error) {
	keys, err := parseSortKeys(values)
	if err != nil {
		return nil, err
	}
	return &RefSort{keys}, nil
}

// FormatRefs expands format for each ref and returns the lines in the
// order of keys (then by name), as for-each-ref prints them; quote is
// "", "shell", "perl", "python" or "tcl". Like git, it computes every
// atom of every ref first: a ref whose object is missing fails the
// whole listing.
func (r *Repo) FormatRefs(refs []Ref, format *RefFormat, keys *RefSort, quote string) ([]string, error) {
	values := r.refValuesOf(refs)
	for _, v := range values {
		var err error
		if v.line, err = formatRef(v, format.parts, quote); err != nil {
			return nil, err
		}
		for _, k := range keys.keys {
			if _, err := v.value(k.atom); err != nil {
				return nil, err
			}
		}
	}
	sortRefValues(values, keys.keys)
	lines := make([]string, len(values))
	for i, v := range values {
		lines[i] = v.line
	}
	return lines, nil
}
