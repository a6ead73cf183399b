package translate

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"
)

// MultiCall writes a main package that runs the translated scripts: as
// git-NAME by its argv[0] (linked into an exec path), or as `PROG NAME
// ARGS`.
func MultiCall(module string, outputs []*Output) ([]byte, error) {
	var scripts []*Output
	for _, o := range outputs {
		if !o.Library {
			scripts = append(scripts, o)
		}
	}
	sort.Slice(scripts, func(i, j int) bool { return scripts[i].Package < scripts[j].Package })
	var b bytes.Buffer
	b.WriteString("// Command builtins runs kiln's translations of git's shell scripts: as\n")
	b.WriteString("// git-NAME (by its argv[0]) or as `builtins NAME ARGS...`.\npackage main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"path/filepath\"\n\t\"strings\"\n\n")
	for _, o := range outputs {
		fmt.Fprintf(&b, "\t%q\n", strings.TrimSuffix(module, "/")+"/"+o.Package)
	}
	b.WriteString(")\n\n")
	for _, o := range outputs {
		if o.Library {
			fmt.Fprintf(&b, "var _ = %s.Source // registers the library for `. NAME`\n", o.Package)
		}
	}
	b.WriteString("\n// mains are the translated scripts by name.\nvar mains = map[string]func([]string, *os.File, *os.File, *os.File) int{\n")
	for _, o := range scripts {
		fmt.Fprintf(&b, "\t%q: func(args []string, in, out, err *os.File) int { return %s.Main(args, in, out, err) },\n", strings.TrimPrefix(o.Result.Report.Script, "git-"), o.Package)
	}
	b.WriteString(`}

func main() {
	name := strings.TrimPrefix(filepath.Base(os.Args[0]), "git-")
	args := os.Args[1:]
	if _, ok := mains[name]; !ok && len(args) > 0 {
		name, args = strings.TrimPrefix(args[0], "git-"), args[1:]
	}
	run, ok := mains[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "usage: builtins NAME [ARGS...]: no translated script %q\n", name)
		os.Exit(2)
	}
	os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr))
}
`)
	return format.Source(b.Bytes())
}
