package mailinfo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// QuotedCRAction says what to do with body lines that end in CRLF
// (git mailinfo --quoted-cr, config mailinfo.quotedCr).
type QuotedCRAction int

const (
	// QuotedCRWarn keeps the CR and warns once per MIME part (git's default).
	QuotedCRWarn QuotedCRAction = iota
	// QuotedCRNoWarn keeps the CR silently.
	QuotedCRNoWarn
	// QuotedCRStrip turns CRLF into LF.
	QuotedCRStrip
)

// ParseQuotedCRAction maps the --quoted-cr argument ("nowarn", "warn",
// "strip") to its action.
func ParseQuotedCRAction(s string) (QuotedCRAction, bool) {
	switch s {
	case "nowarn":
		return QuotedCRNoWarn, true
	case "warn":
		return QuotedCRWarn, true
	case "strip":
		return QuotedCRStrip, true
	}
	return QuotedCRWarn, false
}

// Options are git mailinfo's flags. The zero value is `git mailinfo -n`;
// DefaultOptions is plain `git mailinfo`.
type Options struct {
	KeepSubject          bool // -k: print the Subject as is
	KeepNonPatchBrackets bool // -b: strip only brackets containing "PATCH"
	AddMessageID         bool // -m: append "Message-ID: ..." to the message
	// MetaEncoding is the charset headers and the message are re-coded
	// to: "UTF-8" for -u (really i18n.commitEncoding, which the caller
	// reads), "" for -n. git 2.39.5 drops the charset given with
	// --encoding=X and re-codes nothing, so a byte-identical caller maps
	// --encoding to "" as well.
	MetaEncoding    string
	Scissors        bool // --scissors (default from mailinfo.scissors)
	NoInbodyHeaders bool // --no-inbody-headers
	QuotedCR        QuotedCRAction
}

// DefaultOptions returns the options of `git mailinfo msg patch` with no
// flags and no configuration.
func DefaultOptions() Options {
	return Options{MetaEncoding: "UTF-8"}
}

// Info is what mailinfo extracts from one mail.
type Info struct {
	// Empty is set when the input holds nothing but white space: git then
	// writes empty msg and patch files, prints only an error and fails.
	Empty bool
	// HasAuthor, HasSubject and HasDate say which lines the info block has.
	HasAuthor, HasSubject, HasDate bool
	Author, Email                  []byte
	// Subject may hold several lines (an in-body Subject kept with -k);
	// each is printed as its own "Subject: " line.
	Subject []byte
	Date    []byte
	Message []byte // the commit message (git's msg file)
	Patch   []byte // the patch (git's patch file)
	// Diagnostics are the lines git prints on stderr, in order, without
	// their newline (e.g. "warning: quoted CRLF detected").
	Diagnostics []string
	// Failed is set when git would exit 1 (bad encoded word, failed
	// charset conversion, NUL in a header, MIME structure errors).
	Failed bool
}

// ExitCode is git mailinfo's exit status for this mail.
func (info *Info) ExitCode() int {
	if info.Failed || info.Empty {
		return 1
	}
	return 0
}

// WriteInfo writes git mailinfo's stdout: the Author/Email, Subject and
// Date lines and a blank line. It writes nothing for an empty input.
func (info *Info) WriteInfo(w io.Writer) error {
	if info.Empty {
		return nil
	}
	var b bytes.Buffer
	if info.HasAuthor {
		fmt.Fprintf(&b, "Author: %s\nEmail: %s\n", cstr(info.Author), cstr(info.Email))
	}
	if info.HasSubject {
		for _, line := range bytes.Split(cstr(info.Subject), []byte("\n")) {
			fmt.Fprintf(&b, "Subject: %s\n", line)
		}
	}
	if info.HasDate {
		fmt.Fprintf(&b, "Date: %s\n", cstr(info.Date))
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// Parse reads one mail from r and splits it the way git mailinfo does.
// The error is only for failing to read r; problems with the mail itself
// are reported in Info.Diagnostics and Info.Failed, as git reports them.
func Parse(r io.Reader, opts Options) (*Info, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return ParseBytes(data, opts), nil
}

// ParseBytes is Parse for a mail already in memory.
func ParseBytes(data []byte, opts Options) *Info {
	p := &parser{
		opts:        opts,
		in:          &mailReader{data: data},
		headerStage: true,
	}
	return p.run()
}

// Run is git mailinfo after option parsing: it reads the mail from
// stdin, writes the message to msgPath and the patch to patchPath (both
// as given, relative to the current directory), the info block to stdout
// and diagnostics to stderr, and returns git's exit code.
func Run(opts Options, stdin io.Reader, stdout, stderr io.Writer, msgPath, patchPath string) int {
	// git creates both files before reading the mail.
	msgFile, err := createFile(msgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer msgFile.Close()
	patchFile, err := createFile(patchPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer patchFile.Close()
	return RunTo(opts, stdin, stdout, stderr, msgFile, patchFile, patchPath)
}

// RunTo is Run with the message and patch files opened (created or
// truncated) by the caller: it parses the mail from stdin and writes the
// message to msg, the patch to patch (patchPath names it in messages),
// the info block to stdout and diagnostics to stderr, and returns git's
// exit code.
func RunTo(opts Options, stdin io.Reader, stdout, stderr, msgFile, patchFile io.Writer, patchPath string) int {
	info, err := Parse(stdin, opts)
	if err != nil {
		fmt.Fprintf(stderr, "fatal: %v\n", err)
		return 128
	}
	if info.Empty {
		fmt.Fprintf(stderr, "error: empty patch: '%s'\n", patchPath)
		return 1
	}
	if _, err := msgFile.Write(info.Message); err != nil {
		fmt.Fprintf(stderr, "fatal: %v\n", err)
		return 128
	}
	if _, err := patchFile.Write(info.Patch); err != nil {
		fmt.Fprintf(stderr, "fatal: %v\n", err)
		return 128
	}
	for _, d := range info.Diagnostics {
		fmt.Fprintln(stderr, d)
	}
	if err := info.WriteInfo(stdout); err != nil {
		return 1
	}
	return info.ExitCode()
}

// createFile creates or truncates path, reporting failure the way perror
// does ("msg: No such file or directory").
func createFile(path string) (*os.File, error) {
	f, err := os.Create(path)
	var pathErr *os.PathError
	if errors.As(err, &pathErr) {
		text := pathErr.Err.Error()
		if text != "" {
			text = strings.ToUpper(text[:1]) + text[1:]
		}
		return nil, fmt.Errorf("%s: %s", path, text)
	}
	return f, err
}
