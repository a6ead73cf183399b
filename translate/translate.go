package translate

import (
	"bytes"
	"fmt"
	"go/format"
	"path"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Library is a sourced shell library with a translation of its own: a
// script's `. NAME` becomes a call of the library package's Source, which
// defines the library's functions in the State; a script's calls of them
// are looked up when they run, as the shell does.
type Library struct {
	// Name is the file name scripts source (git-sh-setup).
	Name string
	// Package is the Go package name (shsetup) and Import its path.
	Package, Import string
	// Defines lists every function the library may define, for calls
	// resolved when they run.
	Defines map[string]bool
	// Sources names the libraries this one sources (git-sh-setup sources
	// git-sh-i18n): their functions are a script's too.
	Sources []string
	// Vars names the variables the library's code reaches in ways only
	// the State serves (stateNames): a script's variable of one of these
	// names stays in the State.
	Vars map[string]bool
	// Mentions names every variable the library's code may read or set
	// (varNames); nil when not known.
	Mentions map[string]bool
	// IFSDigitFree says the library never puts a digit in IFS.
	IFSDigitFree bool
	// SetsNounset says the library may turn on set -u (or set -a): a
	// script sourcing it keeps its variables in the State.
	SetsNounset bool
	// Exits names the library's functions that always exit
	// (exitingFuncs).
	Exits map[string]bool
	// Static names the functions the library defines once, at its top
	// level (staticFuncs).
	Static map[string]bool
}

// Options say how to translate one script.
type Options struct {
	// Name is the script's name (git-quiltimport), for provenance
	// comments and $0.
	Name string
	// Package is the Go package name of the output.
	Package string
	// Library makes the output a library package: Source runs the
	// file's top level, and its functions are exported.
	Library bool
	// Libraries are the translated libraries the script may source.
	Libraries []*Library
	// Quote puts the original shell line above each block.
	Quote bool
	// Source is the script's text, for Quote.
	Source []byte
	// Bash translates on bash's semantics (the script's shebang or
	// --lang says bash) instead of dash's.
	Bash bool
	// Idiomatic lowers the faithful translation into Go meant to be
	// kept and edited (see lower.go): no status placeholders where no
	// one reads the status, variables proven free of dynamic access as
	// Go locals, plain Go tests, the script's comments.
	Idiomatic bool
}

// Result is a translation: the Go file and its report.
type Result struct {
	// Go is the gofmt'd Go source of the package's one file.
	Go []byte
	// Report says what was translated natively and what was not.
	Report *Report
	// Defines lists every function the file may define.
	Defines map[string]bool
	// Blocks align shell lines with Go lines, for the side-by-side view.
	Blocks []Block
	// Vars names the variables the file's code reaches in ways only the
	// State serves (Library.Vars).
	Vars map[string]bool
	// Mentions names every variable the file's code may read or set
	// (Library.Mentions).
	Mentions map[string]bool
	// IFSDigitFree says the file never puts a digit in IFS.
	IFSDigitFree bool
	// SetsNounset says the file may turn on set -u or set -a
	// (Library.SetsNounset).
	SetsNounset bool
	// Exits names the file's functions that always exit (Library.Exits).
	Exits map[string]bool
	// Static names the file's functions defined once, at its top level
	// (Library.Static).
	Static map[string]bool
}

// Block is one provenance-commented block of the output: shell lines
// From..To became the Go lines starting at GoLine.
type Block struct {
	From, To, GoLine int
}

// Translate turns a parsed script into a Go package: one file whose
// Main (or, for a library, Source) runs the script's top level with
// shellrun's State, each shell function a Go function. It never fails on
// a parsed script: what it cannot translate runs through the embedded
// interpreter and is marked `// kiln:review`.
func Translate(file *syntax.File, opts Options) (*Result, error) {
	g := newGen(file, opts)
	src := g.goFile()
	formatted, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("%s: generated Go does not parse (a kiln bug): %v", opts.Name, err)
	}
	g.report.Native = g.report.Statements - g.report.Interpreted
	g.report.measure(formatted, opts.Source)
	res := &Result{Go: formatted, Report: g.report, Defines: map[string]bool{}, Vars: stateNames(file), Mentions: varNames(file), IFSDigitFree: ifsDigitFree(file),
		Exits: exitingFuncs(file), Static: staticFuncs(file), SetsNounset: setsNounsetIn(file)}
	for name := range g.funcNames {
		res.Defines[name] = true
	}
	res.Blocks = blocksOf(formatted, opts.Name)
	return res, nil
}

// blocksOf finds the provenance comments in the formatted output.
func blocksOf(src []byte, name string) []Block {
	var blocks []Block
	prefix := "// " + name + ":"
	for i, line := range bytes.Split(src, []byte("\n")) {
		text := strings.TrimSpace(string(line))
		rest, ok := strings.CutPrefix(text, prefix)
		if i := strings.LastIndex(text, " "+prefix); !ok && i >= 0 {
			// The idiomatic stage's, at the end of the line.
			rest, ok = text[i+1+len(prefix):], true
		}
		if !ok {
			continue
		}
		var from, to int
		if n, _ := fmt.Sscanf(rest, "%d-%d", &from, &to); n == 0 {
			continue
		} else if n == 1 {
			to = from
		}
		blocks = append(blocks, Block{From: from, To: to, GoLine: i + 1})
	}
	return blocks
}

// PackageName derives a Go package name from a script name:
// git-quiltimport becomes quiltimport, git-sh-setup shsetup.
func PackageName(script string) string {
	base := strings.TrimPrefix(path.Base(script), "git-")
	var sb strings.Builder
	for _, r := range base {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' && sb.Len() > 0 {
			sb.WriteRune(r)
		} else if r >= 'A' && r <= 'Z' {
			sb.WriteRune(r + 'a' - 'A')
		}
	}
	name := sb.String()
	if name == "" || goKeywords[name] {
		name = "script" + name
	}
	return name
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
