package gitdate

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dateInputs are GIT_AUTHOR_DATE values: the forms git documents, the
// forms mail and tools produce, and odd and invalid ones.
var dateInputs = []string{
	// git's internal format and raw seconds
	"1112911993 -0700", "1112911993 -0001", "@1112911993 -0001", "@1112911993 -0700", "@1112911993 +0000", "@0 +0000",
	"@0 -0100", "@1112911993 +05:30", "@1112911993 +0530x", "@1112911993",
	"@1112911993 +-100", "@1112911993 +9999", "@1112911993 - 100", "@18446744073709551615 +0000", "1112911993", "1112911993 +0200", "0 +0000", "99999999 +0000",
	"4102444799 +0000", "4102444800 +0000", "18446744073709551616 +0000",
	// RFC 2822, as format-patch and mailinfo write it
	"Thu, 07 Apr 2005 22:13:13 +0200", "Thu, 7 Apr 2005 22:13:13 -0700",
	"Thu, 07 Apr 2005 22:13:13 +0200 (CEST)", "7 Apr 2005 22:13:13 GMT",
	"Thu Apr 7 22:13:13 2005 -0700", "Thu Apr 7 22:13:13 2005",
	"Sat, 1 Jan 2000 00:00:00 +0000", "Mon, 29 Feb 2016 12:00:00 +1400",
	"Tue, 31 Dec 2099 23:59:59 -1200",
	// ISO 8601
	"2005-04-07T22:13:13", "2005-04-07 22:13:13", "2005-04-07 22:13:13 +02:00",
	"2005-04-07T22:13:13Z", "2005-04-07T22:13:13+0530", "2005-04-07T22:13:13.123456",
	"2005-04-07T22:13:13.5 -0800", "20050407T221313", "20050407T221313Z",
	"20050407 221313.25", "2005-04-07 22:13", "2005.04.07 22:13:13",
	// zone names and numeric zones
	"2005-04-07 22:13:13 PST", "2005-04-07 22:13:13 PDT", "2005-04-07 22:13:13 CEST",
	"2005-04-07 22:13:13 NT", "2005-04-07 22:13:13 JST +0100",
	"2005-04-07 22:13:13 +0100 JST", "2005-04-07 22:13:13 +02", "2005-04-07 22:13:13 +2:30",
	"2005-04-07 22:13:13 +02:3", "2005-04-07 22:13:13 +2400", "2005-04-07 22:13:13 -0060",
	"2005-04-07 22:13:13 1200", "2005-04-07 22:13:13 +02: 30",
	// numeric dates in other orders
	"04/07/2005 22:13:13", "07.04.2005 22:13:13", "07/04/05 22:13:13", "2005-07-04 10:00:00",
	"12/25/99 10:00", "25.12.99 10:00", "2005/13/04 10:00", "7 Apr 05 10:00:00",
	"Apr 7 1970 00:00:00 +0100", "1970-01-01 00:00:00 +0100", "1970-01-01 00:00:00 -0100",
	// AM/PM and odd spacing
	"Apr 7 2005 10:13:13 PM", "Apr 7 2005 12:00:00 am", "  2005-04-07   22:13:13  ",
	"2005-04-07 22:13:13\nignored 1999", "Apr 2005 10:00", "Apr 31 2005 10:00",
	// invalid
	"", "now", "yesterday", "garbage", "2005-04-07", "Apr 7 2005", "22:13:13",
	"2100-01-01 00:00:00", "1969-12-31 23:59:59 +0000", "2005-04-07 25:00:00",
	"20220101T10", "Z", "+0200", "@", "@abc +0000",
	// seconds gmtime cannot take: glibc leaves the time of day behind
	"1400 312005040720050407 20050407", "-0700 111291199320050407Z1112911993",
	"18446744073709551615 +0000", "bad\x7fdate\x01", "\x1b[31m",
	// local times that do not exist or exist twice around DST changes
	"2005-04-03 02:30:00", "2005-03-27 02:30:00", "2005-10-30 02:30:00",
	"2005-10-30 01:30:00", "2005-10-02 02:15:00", "2005-04-03 01:45:00",
}

var zones = []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"}

// gitEnv keeps git away from the user's HOME and configuration.
func gitEnv(home, tz string) []string {
	env := []string{
		"HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"TZ=" + tz, "LC_ALL=C",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_COMMITTER_DATE=1112911993 -0700",
	}
	if path, ok := os.LookupEnv("PATH"); ok {
		env = append(env, "PATH="+path)
	}
	return env
}

// gitIdentDate runs git var GIT_AUTHOR_IDENT with the date and returns
// the date part of the ident, or git's error message.
func gitIdentDate(t *testing.T, dir, tz, date string) (string, string) {
	t.Helper()
	cmd := exec.Command("git", "var", "GIT_AUTHOR_IDENT")
	cmd.Dir = dir
	cmd.Env = append(gitEnv(dir, tz), "GIT_AUTHOR_DATE="+date)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) || exitErr.ExitCode() != 128 {
			t.Fatalf("git var: %v: %s", err, stderr.String())
		}
		return "", strings.TrimSuffix(stderr.String(), "\n")
	}
	ident := strings.TrimSuffix(stdout.String(), "\n")
	return ident[strings.Index(ident, "> ")+2:], ""
}

// nearNowInputs are numeric dates a few days and weeks from now: git
// refuses to read a numeric date as more than ten days in the future and
// tries another field order instead.
func nearNowInputs() []string {
	var inputs []string
	for _, days := range []int{-40, 2, 30, 200} {
		d := time.Now().UTC().AddDate(0, 0, days)
		inputs = append(inputs,
			d.Format("01/02/2006 10:00"), d.Format("02.01.2006 10:00"),
			d.Format("01/02 10:00"), d.Format("02/01/06 10:00"), fmt.Sprintf("%d-%02d-%02d 10:00", d.Year(), d.Day(), d.Month()),
			// The check only works once the time of day is known.
			d.Format("10:00 01/02/2006"), d.Format("10:00 01/02/06"), d.Format("10:00 02.01.2006"))
	}
	return inputs
}

func TestParseMatchesGit(t *testing.T) {
	dir := t.TempDir()
	inputs := append(append([]string(nil), dateInputs...), nearNowInputs()...)
	for _, tz := range zones {
		local, err := time.LoadLocation(tz)
		if err != nil {
			t.Fatal(err)
		}
		for _, input := range inputs {
			before := time.Now()
			want, wantErr := gitIdentDate(t, dir, tz, input)
			after := time.Now()
			got, err := ParseIdent(input, before, local)
			if input == "" {
				// The current time: git's second lies between the
				// two readings; take it if the offset agrees.
				want = nowFromGit(t, want, before, after, got)
			}
			gotErr := ""
			if err != nil {
				gotErr = dieMessage(err)
			}
			if wantErr != gotErr || (err == nil && want != got.String()) {
				t.Errorf("TZ=%s %q:\n git: %q %q\nkiln: %q %q", tz, input, want, wantErr, got, gotErr)
			}
		}
	}
}

// TestCommitTreeUsesParsedDate checks that the parsed date is what git
// writes into a commit object's author and committer headers.
// dieMessage is err as git's die() prints it: "fatal: " prefix, control
// characters other than tab and newline shown as '?'.
func dieMessage(err error) string {
	msg := []byte("fatal: " + err.Error())
	for i, c := range msg {
		if (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n' {
			msg[i] = '?'
		}
	}
	return string(msg)
}

// nowFromGit returns got's text if git's ident date is a time between
// before and after with got's offset, and git's text otherwise.
func nowFromGit(t *testing.T, gitDate string, before, after time.Time, got Date) string {
	t.Helper()
	stamp, zone, ok := strings.Cut(gitDate, " ")
	seconds, err := strconv.ParseInt(stamp, 10, 64)
	if !ok || err != nil || seconds < before.Unix() || seconds > after.Unix() {
		return gitDate
	}
	if !strings.HasSuffix(got.String(), " "+zone) {
		return gitDate
	}
	return got.String()
}

func TestCommitTreeUsesParsedDate(t *testing.T) {
	dir := t.TempDir()
	run := func(env []string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(gitEnv(dir, "Europe/Berlin"), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %q: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	run(nil, "init", "-q")
	tree := run(nil, "write-tree")
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, input := range []string{"Thu, 07 Apr 2005 22:13:13 +0200", "2005-04-07 22:13:13", "@1112911993 -0700"} {
		commit := run([]string{"GIT_AUTHOR_DATE=" + input, "GIT_COMMITTER_DATE=" + input},
			"commit-tree", "-m", "msg", tree)
		object := run(nil, "cat-file", "commit", commit)
		want, err := ParseAt(input, time.Now(), berlin)
		if err != nil {
			t.Fatal(err)
		}
		for _, header := range []string{"author A U Thor <author@example.com> ", "committer C O Mitter <committer@example.com> "} {
			if !strings.Contains(object, header+want.String()+"\n") {
				t.Errorf("%q: commit has no %q line:\n%s", input, header+want.String(), object)
			}
		}
	}
}

func TestNow(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	got := Now(time.Unix(1112911993, 0), kolkata).String()
	if got != "1112911993 +0530" {
		t.Errorf("Now = %q, want 1112911993 +0530", got)
	}
}

// TestGeneratedDatesMatchGit compares token soups built from a fixed
// seed, to reach corners of the token rules the table does not.
func TestGeneratedDatesMatchGit(t *testing.T) {
	tokens := []string{
		"2005", "07", "7", "Apr", "april", "Thu", "22:13:13", "10:00", "+0200", "-0700",
		"-07:00", "+5", "PM", "am", "Z", "T", ".", "/", "-", ":", "12", "31", "99", "05",
		"1112911993", "@", " ", " ", ", ", "CEST", "nt", "20050407", "221313", "1400",
		"2099", "1969", "13", "0", "00", "60", "24", ".5", "\n", "x",
	}
	rng := rand.New(rand.NewPCG(4, 2))
	dir := t.TempDir()
	for range 400 {
		var b strings.Builder
		for range 1 + rng.IntN(7) {
			b.WriteString(tokens[rng.IntN(len(tokens))])
			if rng.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		input := b.String()
		if strings.TrimSpace(input) == "" {
			continue
		}
		want, wantErr := gitIdentDate(t, dir, "America/New_York", input)
		newYork, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseAt(input, time.Now(), newYork)
		gotErr := ""
		if err != nil {
			gotErr = dieMessage(err)
		}
		if wantErr != gotErr || (err == nil && want != got.String()) {
			t.Errorf("%q:\n git: %q %q\nkiln: %q %q", input, want, wantErr, got, gotErr)
		}
	}
}

func TestCivilFromDays(t *testing.T) {
	for days := int64(-800000); days < 800000; days += 37 {
		u := time.Unix(days*86400, 0).UTC()
		year, month, day := civilFromDays(days)
		if year != int64(u.Year()) || month != int(u.Month()) || day != u.Day() {
			t.Fatalf("day %d: got %d-%d-%d, want %s", days, year, month, day, u.Format("2006-01-02"))
		}
	}
}

func TestZoneHHMM(t *testing.T) {
	for offset, want := range map[int]int{0: 0, 330: 530, -450: -730, -60: -100, 6039: 10039} {
		if got := (Date{Offset: offset}).ZoneHHMM(); got != want {
			t.Errorf("offset %d: ZoneHHMM = %d, want %d", offset, got, want)
		}
	}
}
