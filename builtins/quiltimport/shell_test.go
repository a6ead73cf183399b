package quiltimport

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// sh runs a dash script with args and returns its stdout.
func sh(t *testing.T, dir, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command("dash", append([]string{"-c", script, "sh"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("dash: %v", err)
		}
	}
	return string(out)
}

// TestParseAuthorMatchesExpr compares the author split with the script's
// own expr calls (git-quiltimport:51-54), run by dash and expr.
func TestParseAuthorMatchesExpr(t *testing.T) {
	script := `n=$(expr "z$1" : 'z\(.*[^ ]\) *<.*') && e=$(expr "z$1" : '.*<\([^>]*\)') &&
test '' != "$n" && test '' != "$e" && printf '%s|%s' "$n" "$e" || printf 'malformed'`
	for _, author := range []string{
		"Jane Doe <jane@example.com>", "Jane Doe<jane@example.com>", "  Jane   <j@x>  ",
		"A <b> <c@d>", "No Email", "<only@email>", "Name <>", "0 <zero@x>", "Name <0>",
		"Name <unterminated", "Tab\tName <t@x>", "", "x <y> z", "00 <zero@x>", "Name <-0>",
	} {
		want := sh(t, t.TempDir(), script, author)
		name, email, ok := parseAuthor(author)
		got := "malformed"
		if ok {
			got = name + "|" + email
		}
		if got != want {
			t.Errorf("parseAuthor(%q) = %q, expr says %q", author, got, want)
		}
	}
}

// TestInfoFieldMatchesSed compares infoField with $(sed -ne 's/K: //p').
func TestInfoFieldMatchesSed(t *testing.T) {
	dir := t.TempDir()
	info := "Author: Jane\nEmail: j@x\nSubject: fix Author: parsing\nDate: today\n\nAuthor: again\n"
	if err := os.WriteFile(filepath.Join(dir, "info"), []byte(info), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"Author: ", "Email: ", "Subject: ", "Date: ", "Missing: "} {
		want := sh(t, dir, `x=$(sed -ne "s/$1//p" info); printf '%s' "$x"`, key)
		if got := infoField([]byte(info), key); got != want {
			t.Errorf("infoField(%q) = %q, sed says %q", key, got, want)
		}
	}
}

// TestSubjectFromNameMatchesShell compares the subject made from a patch
// name with $(echo $patch_name | sed -e 's/.patch$//') in dash, globbing
// against files in the current directory included.
func TestSubjectFromNameMatchesShell(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"ab.patch", "ax.patch", ".ay.patch"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	for _, name := range []string{"fix.patch", "patch", "xpatch", "0001-a.patch.patch", `back\tslash.patch`,
		"a*.patch", "z*.patch", "*y.patch", "fix.diff"} {
		want := sh(t, dir, `x=$(echo $1 | sed -e 's/.patch$//'); printf '%s' "$x"`, name)
		if got := subjectFromName(name); got != want {
			t.Errorf("subjectFromName(%q) = %q, dash says %q", name, got, want)
		}
	}
}
