package cover

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// sourcedLibraries are the shell files of the exec path without a #!
// line that scripts source: they are instrumented too.
var sourcedLibraries = map[string]bool{
	"git-sh-setup":       true,
	"git-sh-i18n":        true,
	"git-mergetool--lib": true,
}

// toolsDir holds mergetool/difftool backends, sourced by
// git-mergetool--lib.
const toolsDir = "mergetools"

// ExecDir is an instrumented copy of git's exec path: every shell script
// and sourced library instrumented, everything else a symbolic link to
// the installed entry. Run with GIT_EXEC_PATH pointing at it (through
// parity's overlay), a script that sources git-sh-setup, execs another
// script or runs `git <sub>` for a scripted sub-command reaches only
// instrumented copies.
type ExecDir struct {
	Dir   string
	Hits  string // the hits file every probe appends to
	Files []*FileMap
}

// BuildExecDir instruments execPath into dir; probes append to hits.
func BuildExecDir(execPath, dir, hits string) (*ExecDir, error) {
	d := &ExecDir{Dir: dir, Hits: hits}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(execPath)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		src := filepath.Join(execPath, e.Name())
		if info, err := os.Stat(src); err == nil && e.Name() == toolsDir && info.IsDir() {
			if err := d.instrumentTools(src); err != nil {
				return nil, err
			}
			continue
		}
		done, err := d.maybeInstrument(src, e.Name(), sourcedLibraries[e.Name()])
		if err != nil {
			return nil, err
		}
		if !done {
			if err := os.Symlink(src, filepath.Join(dir, e.Name())); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

// instrumentTools instruments every backend of the mergetools directory.
func (d *ExecDir) instrumentTools(src string) error {
	if err := os.MkdirAll(filepath.Join(d.Dir, toolsDir), 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := filepath.Join(toolsDir, e.Name())
		done, err := d.maybeInstrument(filepath.Join(src, e.Name()), name, e.Type().IsRegular())
		if err != nil {
			return err
		}
		if !done {
			if err := os.Symlink(filepath.Join(src, e.Name()), filepath.Join(d.Dir, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// maybeInstrument writes the instrumented copy of src as name when it is
// a shell script (by its #! line) or force says it is shell; it reports
// whether it did.
func (d *ExecDir) maybeInstrument(src, name string, force bool) (bool, error) {
	info, err := os.Stat(src)
	if err != nil || !info.Mode().IsRegular() {
		return false, nil // dangling links and directories stay links
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return false, err
	}
	if !force && !isShellScript(data) {
		return false, nil
	}
	ins, err := Instrument(name, data, len(d.Files)+1, d.Hits, IsBash(data))
	if err != nil {
		return false, fmt.Errorf("instrument %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(d.Dir, name), ins.Text, info.Mode().Perm()); err != nil {
		return false, err
	}
	d.Files = append(d.Files, ins.Map)
	return true, nil
}

// isShellScript reports whether data starts with a #! line running sh,
// dash or bash.
func isShellScript(data []byte) bool {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.HasPrefix(line, []byte("#!")) {
		return false
	}
	for _, sh := range []string{"/sh", "/dash", "/bash", " sh", " bash"} {
		if bytes.Contains(line, []byte(sh)) {
			return true
		}
	}
	return false
}

// Cover returns the coverage of every instrumented file, by name.
func (d *ExecDir) Cover() ([]*FileCoverage, error) {
	h, err := ReadHits(d.Hits)
	if err != nil {
		return nil, err
	}
	var out []*FileCoverage
	for _, m := range d.Files {
		out = append(out, m.Cover(h))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
