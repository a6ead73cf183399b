package shellrun

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// rewriteDescriptors turns the uses of descriptors above 2 that the
// corpus has into internal commands, and refuses any other:
//
//	stmt N<file        ->  { kiln:fd-open N file && { stmt; }; kiln:fd-close N $?; }
//	read args <&N      ->  kiln:fd-read N args
func rewriteDescriptors(f *syntax.File) error {
	var err error
	syntax.Walk(f, func(n syntax.Node) bool {
		if err != nil {
			return false
		}
		if s, ok := n.(*syntax.Stmt); ok {
			err = rewriteStmt(f.Name, s)
		}
		return err == nil
	})
	return err
}

func rewriteStmt(name string, s *syntax.Stmt) error {
	var opens []*syntax.Redirect
	var keep []*syntax.Redirect
	for _, r := range s.Redirs {
		switch fd := redirFd(r); {
		case fd < 3:
			keep = append(keep, r)
		case r.Op == syntax.RdrIn:
			opens = append(opens, r)
		case r.Op == syntax.DplIn && rewriteRead(s, fd):
		default:
			return fmt.Errorf("%s:%d:%d: file descriptor %d: only `N<file` and `read ... <&N` are supported above 2",
				name, r.Pos().Line(), r.Pos().Col(), fd)
		}
	}
	s.Redirs = keep
	for _, r := range opens {
		wrapOpen(s, r)
	}
	return nil
}

// redirFd is the descriptor a redirection sets up or reads: N in N<file,
// and the duplicated one in <&N.
func redirFd(r *syntax.Redirect) int {
	if r.Op == syntax.DplIn || r.Op == syntax.DplOut {
		if fd, err := strconv.Atoi(r.Word.Lit()); err == nil && fd > 2 {
			return fd
		}
	}
	if r.N == nil {
		return -1
	}
	fd, err := strconv.Atoi(r.N.Value)
	if err != nil {
		return -1
	}
	return fd
}

// rewriteRead makes `read args <&fd` read from the descriptor table.
func rewriteRead(s *syntax.Stmt, fd int) bool {
	call, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 || call.Args[0].Lit() != "read" {
		return false
	}
	call.Args = append([]*syntax.Word{litWord(fdReadCmd), litWord(strconv.Itoa(fd))}, call.Args[1:]...)
	return true
}

// wrapOpen replaces s by a block that opens r's file on its descriptor
// around s and keeps s's exit status.
func wrapOpen(s *syntax.Stmt, r *syntax.Redirect) {
	inner := *s
	inner.Negated, inner.Background = false, false
	// The open call carries the redirection's position: errors name
	// its line, as dash's do.
	cmd := litWord(fdOpenCmd)
	cmd.Parts[0].(*syntax.Lit).ValuePos = r.Pos()
	open := &syntax.CallExpr{Args: []*syntax.Word{cmd, litWord(r.N.Value), r.Word}}
	body := &syntax.Block{Stmts: []*syntax.Stmt{&inner}}
	status := &syntax.Word{Parts: []syntax.WordPart{&syntax.ParamExp{Short: true, Param: &syntax.Lit{Value: "?"}}}}
	s.Cmd = &syntax.Block{Stmts: []*syntax.Stmt{
		{Position: s.Position, Cmd: &syntax.BinaryCmd{Op: syntax.AndStmt,
			X: &syntax.Stmt{Position: s.Position, Cmd: open},
			Y: &syntax.Stmt{Position: s.Position, Cmd: body}}},
		{Position: s.Position, Cmd: &syntax.CallExpr{Args: []*syntax.Word{litWord(fdCloseCmd), litWord(r.N.Value), status}}},
	}}
	s.Redirs = nil
}

func litWord(s string) *syntax.Word {
	return &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: s}}}
}

// descriptors are the input descriptors above 2 a script has open.
type descriptors struct {
	script  string // $0, for error messages
	files   map[string]*os.File
	readers map[string]*bufio.Reader
}

func newDescriptors(script string) *descriptors {
	return &descriptors{script: script, files: map[string]*os.File{}, readers: map[string]*bufio.Reader{}}
}

// open serves kiln:fd-open N FILE; like dash, a file that cannot be
// opened is an error with status 2 and the command does not run.
func (d *descriptors) open(hc interp.HandlerContext, args []string) error {
	fd, path := args[0], args[1]
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(hc.Dir, full)
	}
	f, err := os.Open(full)
	if err != nil {
		var pe *os.PathError
		reason := err.Error()
		if errors.As(err, &pe) && errors.Is(pe.Err, os.ErrNotExist) {
			reason = "No such file"
		}
		fmt.Fprintf(hc.Stderr, "%s: %d: cannot open %s: %s\n", d.script, hc.Pos.Line(), path, reason)
		return interp.ExitStatus(2)
	}
	d.closeFd(fd)
	d.files[fd], d.readers[fd] = f, bufio.NewReader(f)
	return nil
}

// close serves kiln:fd-close N STATUS: it closes N and exits with STATUS.
func (d *descriptors) close(args []string) error {
	d.closeFd(args[0])
	status, _ := strconv.Atoi(args[1])
	return exitStatus(status)
}

func (d *descriptors) closeFd(fd string) {
	if f, ok := d.files[fd]; ok {
		f.Close()
		delete(d.files, fd)
		delete(d.readers, fd)
	}
}

func (d *descriptors) closeAll() {
	for fd := range d.files {
		d.closeFd(fd)
	}
}

// read serves kiln:fd-read N [-r] [NAME...] as the read builtin would
// from descriptor N: one line (joined at backslash-newline unless -r),
// split by IFS, status 1 at end of input.
func (d *descriptors) read(ctx context.Context, hc interp.HandlerContext, args []string) error {
	fd, args := args[0], args[1:]
	raw := false
	for len(args) > 0 && args[0] == "-r" {
		raw, args = true, args[1:]
	}
	names := args
	if len(names) == 0 {
		names = []string{"REPLY"}
	}
	r, ok := d.readers[fd]
	if !ok {
		fmt.Fprintf(hc.Stderr, "%s: %d: %s: Bad file descriptor\n", d.script, hc.Pos.Line(), fd)
		return interp.ExitStatus(2)
	}
	line, complete := readLine(r, raw)
	fields := expand.ReadFields(&expand.Config{Env: hc.Env}, line, len(names), raw)
	var assign strings.Builder
	for i, name := range names {
		if !syntax.ValidName(name) {
			fmt.Fprintf(hc.Stderr, "%s: %d: read: %s: bad variable name\n", d.script, hc.Pos.Line(), name)
			return interp.ExitStatus(2)
		}
		value := ""
		if i < len(fields) {
			value = fields[i]
		}
		fmt.Fprintf(&assign, "%s=%s; ", name, singleQuote(value))
	}
	if err := hc.Builtin(ctx, []string{"eval", assign.String()}); err != nil {
		return err
	}
	if !complete {
		return interp.ExitStatus(1)
	}
	return nil
}

// Read is dash's read builtin with the default IFS: one line from r
// (joined at backslash-newline unless raw), split into at most n fields,
// the last taking the rest of the line; complete is false at end of input,
// when read fails although it may have read a partial line.
func Read(r *bufio.Reader, n int, raw bool) (fields []string, complete bool) {
	line, complete := readLine(r, raw)
	return expand.ReadFields(&expand.Config{Env: expand.ListEnviron()}, line, n, raw), complete
}

// readLine reads up to a newline; complete is false at end of input.
func readLine(r *bufio.Reader, raw bool) (line string, complete bool) {
	var sb strings.Builder
	for {
		part, err := r.ReadString('\n')
		if err != nil {
			sb.WriteString(part)
			return sb.String(), false
		}
		part = part[:len(part)-1]
		if !raw && trailingBackslashes(part)%2 == 1 {
			sb.WriteString(part[:len(part)-1])
			continue
		}
		sb.WriteString(part)
		return sb.String(), true
	}
}

func trailingBackslashes(s string) int {
	n := 0
	for n < len(s) && s[len(s)-1-n] == '\\' {
		n++
	}
	return n
}

func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
