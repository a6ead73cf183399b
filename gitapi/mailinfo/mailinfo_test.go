package mailinfo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// flagSets are the git mailinfo command lines every mail is run with.
var flagSets = [][]string{
	{},
	{"-k"},
	{"-b"},
	{"-m"},
	{"-n"},
	{"--scissors"},
	{"--encoding=iso-8859-1"},
	{"--quoted-cr=strip"},
	{"--quoted-cr=nowarn", "--no-inbody-headers"},
	{"-c", "i18n.commitEncoding=iso-8859-1", "-u"},
}

// optionsFor maps the flags used in flagSets to Options.
func optionsFor(t *testing.T, flags []string) Options {
	opts := DefaultOptions()
	for i := 0; i < len(flags); i++ {
		f := flags[i]
		switch {
		case f == "-c" && flags[i+1] == "i18n.commitEncoding=iso-8859-1":
			opts.MetaEncoding = "iso-8859-1"
			i++
		case f == "-u":
		case f == "-k":
			opts.KeepSubject = true
		case f == "-b":
			opts.KeepNonPatchBrackets = true
		case f == "-m":
			opts.AddMessageID = true
		case f == "-n":
			opts.MetaEncoding = ""
		case f == "--scissors":
			opts.Scissors = true
		case f == "--no-inbody-headers":
			opts.NoInbodyHeaders = true
		case strings.HasPrefix(f, "--encoding="):
			// git 2.39.5 ignores the charset it is given (see Options).
			opts.MetaEncoding = ""
		case strings.HasPrefix(f, "--quoted-cr="):
			action, ok := ParseQuotedCRAction(strings.TrimPrefix(f, "--quoted-cr="))
			if !ok {
				t.Fatalf("bad flag %s", f)
			}
			opts.QuotedCR = action
		default:
			t.Fatalf("flag %s not mapped", f)
		}
	}
	return opts
}

// gitEnv is an environment that keeps git away from the user's HOME and
// configuration.
func gitEnv(home string) []string {
	env := []string{
		"HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"TZ=UTC",
		"LC_ALL=C",
		"GIT_AUTHOR_NAME=A U Thor",
		"GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_AUTHOR_DATE=1112911993 -0700",
		"GIT_COMMITTER_NAME=C O Mitter",
		"GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_COMMITTER_DATE=1112911993 -0700",
	}
	if path, ok := os.LookupEnv("PATH"); ok {
		env = append(env, "PATH="+path)
	}
	return env
}

// outcome is everything git mailinfo produces for one mail.
type outcome struct {
	stdout, stderr, msg, patch string
	code                       int
}

func runGit(t *testing.T, dir string, mail []byte, flags []string) outcome {
	t.Helper()
	var config []string
	for len(flags) >= 2 && flags[0] == "-c" {
		config, flags = append(config, flags[:2]...), flags[2:]
	}
	args := append(append(append(config, "mailinfo"), flags...), "msg", "patch")
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(dir)
	cmd.Stdin = bytes.NewReader(mail)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	code := 0
	if err := cmd.Run(); err != nil {
		exitErr, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("git mailinfo: %v", err)
		}
		code = exitErr.ExitCode()
	}
	return outcome{stdout.String(), stderr.String(), readFile(t, dir, "msg"), readFile(t, dir, "patch"), code}
}

func runKiln(t *testing.T, dir string, mail []byte, opts Options) outcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(opts, bytes.NewReader(mail), &stdout, &stderr,
		filepath.Join(dir, "msg"), filepath.Join(dir, "patch"))
	out := outcome{stdout.String(), stderr.String(), readFile(t, dir, "msg"), readFile(t, dir, "patch"), code}
	// git names the patch file as given on its command line.
	out.stderr = strings.ReplaceAll(out.stderr, filepath.Join(dir, "patch"), "patch")
	return out
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// compareWithGit runs mail through git mailinfo and Run with every flag
// set and reports each difference.
func compareWithGit(t *testing.T, mail []byte) {
	t.Helper()
	for _, flags := range flagSets {
		compareOnce(t, mail, flags)
	}
}

// compareOnce runs mail through git mailinfo and Run with flags and
// reports each difference.
func compareOnce(t *testing.T, mail []byte, flags []string) {
	t.Helper()
	gitDir, kilnDir := t.TempDir(), t.TempDir()
	want := runGit(t, gitDir, mail, flags)
	got := runKiln(t, kilnDir, mail, optionsFor(t, flags))
	check := func(what, want, got string) {
		if want != got {
			t.Errorf("flags %q: %s differs for mail %q\n git: %q\nkiln: %q", flags, what, mail, want, got)
		}
	}
	check("stdout", want.stdout, got.stdout)
	check("stderr", want.stderr, got.stderr)
	check("msg", want.msg, got.msg)
	check("patch", want.patch, got.patch)
	if want.code != got.code {
		t.Errorf("flags %q: exit code git %d kiln %d for mail %q", flags, want.code, got.code, mail)
	}
}

func TestMailsMatchGit(t *testing.T) {
	mails, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(mails) == 0 {
		t.Fatalf("no test mails: %v", err)
	}
	for _, path := range mails {
		mail, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(path), ".eml"), func(t *testing.T) {
			t.Parallel()
			compareWithGit(t, mail)
		})
	}
}

// TestUnwritableOutputMatchesGit covers msg and patch paths that cannot
// be created.
func TestUnwritableOutputMatchesGit(t *testing.T) {
	mail, err := os.ReadFile("testdata/plain.eml")
	if err != nil {
		t.Fatal(err)
	}
	// Run is given paths relative to the current directory, as git is.
	for _, paths := range [][2]string{{"missing/msg", "patch"}, {"msg", "missing/patch"}, {".", "patch"}} {
		gitDir, kilnDir := t.TempDir(), t.TempDir()
		cmd := exec.Command("git", "mailinfo", paths[0], paths[1])
		cmd.Dir = gitDir
		cmd.Env = gitEnv(gitDir)
		cmd.Stdin = bytes.NewReader(mail)
		var gitOut, gitErr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &gitOut, &gitErr
		gitCode := 0
		if err := cmd.Run(); err != nil {
			exitErr, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatal(err)
			}
			gitCode = exitErr.ExitCode()
		}
		var kilnOut, kilnErr bytes.Buffer
		t.Chdir(kilnDir)
		kilnCode := Run(DefaultOptions(), bytes.NewReader(mail), &kilnOut, &kilnErr, paths[0], paths[1])
		kilnStderr := kilnErr.String()
		if gitCode != kilnCode || gitOut.String() != kilnOut.String() || gitErr.String() != kilnStderr {
			t.Errorf("%q: git %d %q %q, kiln %d %q %q", paths, gitCode, gitOut.String(), gitErr.String(),
				kilnCode, kilnOut.String(), kilnStderr)
		}
		gitFiles, kilnFiles := listFiles(t, gitDir), listFiles(t, kilnDir)
		if gitFiles != kilnFiles {
			t.Errorf("%q: git left %s, kiln left %s", paths, gitFiles, kilnFiles)
		}
	}
}

func listFiles(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, e.Name()+":"+strconv.FormatInt(info.Size(), 10))
	}
	return strings.Join(names, ",")
}
