package translate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiln-dev/kiln/shellparse"
	"github.com/kiln-dev/kiln/shellrun"
	"mvdan.cc/sh/v3/syntax"
)

// Project translates scripts and the shell libraries they source into
// one tree of Go packages: each library once, as a package the scripts'
// translations call.
type Project struct {
	// ExecPath is git's exec path, where sourced libraries are found.
	ExecPath string
	// Module is the import path of the output tree's root.
	Module string
	// Quote puts the original shell lines above each block.
	Quote bool
	// Lang forces the scripts' dialect (not the libraries'); empty
	// follows each script's shebang.
	Lang shellparse.Lang
	// Idiomatic translates to the lowered, editable stage (Options.Idiomatic).
	Idiomatic bool
	// Outputs are the translated packages, libraries first.
	Outputs []*Output

	libs    map[string]*Library
	pending map[string]bool
}

// Output is one translated package.
type Output struct {
	// Script is the path of the shell file.
	Script string
	// Package is the Go package name, also its directory in the tree.
	Package string
	// Library says the package is a sourced library.
	Library bool
	// Shell is the script's text.
	Shell  []byte
	Result *Result
	// Sources are the file names the script sources with a literal name.
	Sources []string
}

// Add translates a script (and, first, the libraries it sources). pkg
// names the Go package; "" derives it from the script's name.
func (p *Project) Add(path, pkg string) (*Output, error) {
	return p.add(path, pkg, false)
}

// AddLibrary translates a file that scripts source by a name kiln cannot
// see (`. "$DIR/git-flow-$SUBCOMMAND"`): its package registers it under
// its file name, so the `.` finds the translation at run time.
func (p *Project) AddLibrary(path, pkg string) (*Output, error) {
	name := filepath.Base(path)
	if _, done := p.libs[name]; done {
		return nil, fmt.Errorf("%s: library %s already translated", path, name)
	}
	if pkg == "" {
		pkg = PackageName(name)
	}
	out, err := p.add(path, pkg, true)
	if err != nil {
		return nil, err
	}
	p.libs[name] = p.describe(name, pkg, out)
	return out, nil
}

// describe is the translated library out (its file name, package) as
// the scripts that source it see it.
func (p *Project) describe(name, pkg string, out *Output) *Library {
	return &Library{Name: name, Package: pkg, Import: strings.TrimSuffix(p.Module, "/") + "/" + pkg,
		Defines: out.Result.Defines, Sources: out.Sources, Vars: out.Result.Vars, Mentions: out.Result.Mentions,
		IFSDigitFree: out.Result.IFSDigitFree, SetsNounset: out.Result.SetsNounset,
		Exits: out.Result.Exits, Static: out.Result.Static}
}

func (p *Project) add(path, pkg string, library bool) (*Output, error) {
	if p.libs == nil {
		p.libs, p.pending = map[string]*Library{}, map[string]bool{}
	}
	src, err := shellparse.ReadScript(path)
	if err != nil {
		return nil, err
	}
	lang, ok, reason := shellparse.Classify(src)
	if !ok {
		return nil, fmt.Errorf("%s: %s", path, reason)
	}
	if p.Lang != "" && !library {
		lang = p.Lang
	}
	file, err := shellparse.Parse(path, src, lang)
	if err != nil {
		return nil, err
	}
	bash := lang == shellparse.LangBash
	if bash {
		// What kiln's bash cannot run as bash does is refused, with
		// its position, rather than translated to differ.
		if err := shellrun.CheckBash(file); err != nil {
			return nil, err
		}
	}
	name := filepath.Base(path)
	p.pending[name] = true
	defer delete(p.pending, name)
	for _, lib := range sourcedNames(file) {
		if err := p.library(lib); err != nil {
			return nil, err
		}
	}
	if pkg == "" {
		pkg = PackageName(name)
	}
	var libs []*Library
	for _, l := range p.libs {
		libs = append(libs, l)
	}
	res, err := Translate(file, Options{Name: name, Package: pkg, Library: library, Libraries: libs, Quote: p.Quote, Source: src, Bash: bash, Idiomatic: p.Idiomatic})
	if err != nil {
		return nil, err
	}
	out := &Output{Script: path, Package: pkg, Library: library, Shell: src, Result: res, Sources: sourcedNames(file)}
	p.Outputs = append(p.Outputs, out)
	return out, nil
}

// library translates a sourced library found in the exec path, once.
func (p *Project) library(name string) error {
	if _, done := p.libs[name]; done || p.pending[name] || p.ExecPath == "" {
		return nil
	}
	path := filepath.Join(p.ExecPath, name)
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		return nil // not a file kiln can translate: sourced at run time
	}
	pkg := PackageName(name)
	out, err := p.add(path, pkg, true)
	if err != nil {
		return err
	}
	p.libs[name] = p.describe(name, pkg, out)
	return nil
}

// sourcedNames lists the file names a script sources with `.` where the
// name is literal (git-sh-setup, or "$(git --exec-path)/git-sh-setup").
func sourcedNames(file *syntax.File) []string {
	var names []string
	seen := map[string]bool{}
	syntax.Walk(file, func(node syntax.Node) bool {
		call, ok := node.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		if cmd := litValue(call.Args[0]); cmd != "." && cmd != "source" {
			return true
		}
		if name := sourcedTail(call.Args[1]); name != "" && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		return true
	})
	return names
}

// sourcedTail is the file name a `.` argument ends in, when literal.
func sourcedTail(w *syntax.Word) string {
	if v, ok := plainLiteral(w); ok {
		if strings.Contains(v, "/") {
			return ""
		}
		return v
	}
	var tail string
	switch last := w.Parts[len(w.Parts)-1].(type) {
	case *syntax.Lit:
		tail = last.Value
	case *syntax.DblQuoted:
		if n := len(last.Parts); n > 0 {
			if lit, ok := last.Parts[n-1].(*syntax.Lit); ok {
				tail = lit.Value
			}
		}
	}
	i := strings.LastIndex(tail, "/")
	if i < 0 || i == len(tail)-1 {
		return ""
	}
	return tail[i+1:]
}

// CorpusScripts lists git's shell porcelain in its exec path: the git-*
// shell scripts with a #! line (the libraries they source have none).
func CorpusScripts(execPath string) ([]string, error) {
	paths, _, err := shellparse.Corpus(execPath)
	if err != nil {
		return nil, err
	}
	var scripts []string
	for _, p := range paths {
		if filepath.Dir(p) != filepath.Clean(execPath) || !strings.HasPrefix(filepath.Base(p), "git-") {
			continue
		}
		src, err := os.ReadFile(p)
		if err == nil && shellparse.Shebang(src) != "" {
			scripts = append(scripts, p)
		}
	}
	return scripts, nil
}
