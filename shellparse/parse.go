package shellparse

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Lang is the shell dialect a script is parsed as.
type Lang string

// The dialects kiln parses. POSIX scripts run under dash on Debian, where
// /bin/sh is dash; bash scripts under bash.
const (
	LangPOSIX Lang = "posix"
	LangBash  Lang = "bash"
)

// ParseLang turns a --lang value into a Lang.
func ParseLang(s string) (Lang, error) {
	switch s {
	case "posix", "sh", "dash":
		return LangPOSIX, nil
	case "bash":
		return LangBash, nil
	}
	return "", fmt.Errorf("unknown shell language %q (want posix or bash)", s)
}

func (l Lang) variant() syntax.LangVariant {
	if l == LangBash {
		return syntax.LangBash
	}
	return syntax.LangPOSIX
}

// PositionError is a problem at a place in a script, printed as
// file:line:col: message.
type PositionError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *PositionError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Parse parses src as a script of the given dialect. Errors are
// *PositionError values naming path.
func Parse(path string, src []byte, lang Lang) (*syntax.File, error) {
	p := syntax.NewParser(syntax.Variant(lang.variant()), syntax.KeepComments(false))
	f, err := p.Parse(bytes.NewReader(src), path)
	if err == nil {
		return f, nil
	}
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		return nil, &PositionError{File: path, Line: int(pe.Pos.Line()), Col: int(pe.Pos.Col()), Msg: pe.Text}
	}
	var le syntax.LangError
	if errors.As(err, &le) {
		return nil, &PositionError{File: path, Line: int(le.Pos.Line()), Col: int(le.Pos.Col()),
			Msg: fmt.Sprintf("%s is not supported in %s", le.Feature, lang)}
	}
	return nil, &PositionError{File: path, Line: 1, Col: 1, Msg: err.Error()}
}

// Shebang returns the interpreter named by a script's #! line (its base
// name, after /usr/bin/env), or "" if there is none.
func Shebang(src []byte) string {
	if !bytes.HasPrefix(src, []byte("#!")) {
		return ""
	}
	line, _, _ := bytes.Cut(src[2:], []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) == 0 {
		return ""
	}
	interp := filepath.Base(fields[0])
	if interp == "env" {
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "-") {
				return filepath.Base(f)
			}
		}
		return ""
	}
	return interp
}

// shellInterpreters maps the interpreters kiln can parse to their dialect.
var shellInterpreters = map[string]Lang{
	"sh": LangPOSIX, "dash": LangPOSIX, "ash": LangPOSIX, "posh": LangPOSIX,
	"bash": LangBash,
}

// Classify decides whether src is a shell script and in which dialect. A
// script with a shell shebang takes its dialect from it. A text file with no
// shebang is taken as a POSIX shell library (git-sh-setup, mergetools/*)
// when its content looks like shell. The reason says why a file is not
// ("not a shell script (...)" when NotScript).
func Classify(src []byte) (lang Lang, ok bool, reason string) {
	if isBinary(src) {
		return "", false, "not a shell script (binary file)"
	}
	if interp := Shebang(src); interp != "" {
		if l, ok := shellInterpreters[interp]; ok {
			return l, true, ""
		}
		return "", false, fmt.Sprintf("not a shell script (#! %s)", interp)
	}
	for _, l := range []Lang{LangPOSIX, LangBash} {
		if looksLikeShell(src, l) {
			return l, true, ""
		}
	}
	return "", false, "no #! line and no shell syntax recognised"
}

// NotScript reports whether src is surely no shell script: a binary, or
// a #! line naming another interpreter. A text file without #! may still
// be one (a library such as git-sh-setup); Classify tells.
func NotScript(src []byte) bool {
	if isBinary(src) {
		return true
	}
	interp := Shebang(src)
	_, shell := shellInterpreters[interp]
	return interp != "" && !shell
}

func isBinary(src []byte) bool {
	head := src
	if len(head) > 8000 {
		head = head[:8000]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// looksLikeShell accepts a shebang-less text file that parses as shell and
// has some mark of a script: a function definition, a compound command, an
// assignment, or a command that is a shell builtin or git (prose parses as
// simple commands too, but rarely starts one with a builtin's name).
func looksLikeShell(src []byte, lang Lang) bool {
	f, err := Parse("", src, lang)
	if err != nil || len(f.Stmts) == 0 {
		return false
	}
	shelly := false
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.FuncDecl, *syntax.IfClause, *syntax.CaseClause,
			*syntax.WhileClause, *syntax.ForClause, *syntax.Assign:
			shelly = true
		case *syntax.CallExpr:
			if len(x.Args) > 0 {
				name, _ := literal(x.Args[0])
				shelly = name == "git" || IsBuiltin(lang, name)
			}
		}
		return !shelly
	})
	return shelly
}
