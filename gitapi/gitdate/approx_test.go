package gitdate

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// forceInputs are `git commit --date` values: approxidate's words and
// forms, and strings it rejects.
var forceInputs = []string{
	"now", "yesterday", "3 days ago", "2.weeks.ago", "10 minutes ago", "one hour ago",
	"last friday", "2 fridays ago", "friday", "noon", "midnight", "tea", "noon yesterday",
	"midnight yesterday", "5pm", "5 pm", "10am", "10:30 am", "3 months ago", "13 months ago",
	"1 year ago", "2 years ago", "Dec 02", "Dec 0002", "Dec 2", "december", "6 dec",
	"Apr 7", "2005-04-07", "04/01", "3.4.2005", "1.week.2.days.ago", "last week",
	"last month", "three seconds ago", "ten weeks ago", "12:30", "12:30:45 yesterday",
	"yesterday 12:30", "2005-04-01 noon", "Jan 31 2004", "31 jan", "feb 30",
	"monday 3 weeks ago", "never", "garbage", "", "   ", "@", "2 foo ago", "1234",
	"5 5 5", "sun", "tomorrow", "99 years ago", "1000000000 seconds ago",
	"Sat, 1 Jan 2000 00:00:00 +0000", "@1112911993 +9999", "1970-01-01 00:00:00 +0100",
}

// gitForceDate commits with --date in repo and returns the author date
// as stored, or git's error message.
func gitForceDate(t *testing.T, repo, tz, now, date string) (string, string) {
	t.Helper()
	cmd := exec.Command("git", "commit", "-q", "--allow-empty", "-m", "m", "--date="+date)
	cmd.Dir = repo
	cmd.Env = append(gitEnv(repo, tz), "GIT_TEST_DATE_NOW="+now,
		"GIT_AUTHOR_DATE=", "GIT_COMMITTER_DATE=1112911993 -0700")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) || exitErr.ExitCode() != 128 {
			t.Fatalf("git commit --date=%q: %v: %s", date, err, stderr.String())
		}
		return "", strings.TrimSuffix(stderr.String(), "\n")
	}
	show := exec.Command("git", "cat-file", "commit", "HEAD")
	show.Dir = repo
	show.Env = gitEnv(repo, tz)
	out, err := show.Output()
	if err != nil {
		t.Fatal(err)
	}
	// The author line as stored ("git log" would hide wrapped dates).
	for _, line := range strings.Split(string(out), "\n") {
		if author, ok := strings.CutPrefix(line, "author "); ok {
			return author[strings.Index(author, "> ")+2:], ""
		}
	}
	t.Fatalf("no author line in %s", out)
	return "", ""
}

func TestParseForceMatchesGit(t *testing.T) {
	// A summer and a winter "now", so relative dates cross DST changes,
	// in zones with one-hour, half-hour and no DST.
	const summer, winter = 1112911993, 1132911993
	cases := []struct {
		now int64
		tz  string
	}{
		{summer, "America/New_York"}, {winter, "America/New_York"}, {summer, "Europe/Berlin"},
		{winter, "Australia/Lord_Howe"}, {summer, "UTC"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d-%s", c.now, c.tz), func(t *testing.T) {
			t.Parallel()
			compareForce(t, c.now, c.tz)
		})
	}
}

func compareForce(t *testing.T, now int64, tz string) {
	repo := t.TempDir()
	init := exec.Command("git", "init", "-q")
	init.Dir = repo
	init.Env = gitEnv(repo, tz)
	if err := init.Run(); err != nil {
		t.Fatal(err)
	}
	local, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	for _, input := range forceInputs {
		want, wantErr := gitForceDate(t, repo, tz, strconv.FormatInt(now, 10), input)
		got, err := ParseForce(input, time.Unix(now, 0), local)
		gotErr := ""
		if err != nil {
			gotErr = dieMessage(err)
		}
		if wantErr != gotErr || (err == nil && want != got.String()) {
			t.Errorf("%q:\n git: %q %q\nkiln: %q %q", input, want, wantErr, got, gotErr)
		}
	}
}

// TestGeneratedForceDatesMatchGit compares approxidate token soups from
// a fixed seed, each with its own "now".
func TestGeneratedForceDatesMatchGit(t *testing.T) {
	tokens := []string{"yesterday", "ago", "days", "day", "last", "friday", "sun", "3", "10", "2005",
		"12", "31", "1", "pm", "am", "noon", "midnight", "tea", "never", "now", "dec", "april", "months",
		"years", "weeks", "hours", "minutes", "seconds", "one", "two", "ten", "12:30", "2005-04-01",
		"04/01", "1.2.2005", "x", ".", ",", "07", "0002", "99", "+0200", "week", "month", "year"}
	rng := rand.New(rand.NewPCG(1, 2))
	repo := t.TempDir()
	init := exec.Command("git", "init", "-q")
	init.Dir = repo
	init.Env = gitEnv(repo, "UTC")
	if err := init.Run(); err != nil {
		t.Fatal(err)
	}
	local, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for range 80 {
		var b strings.Builder
		for range 1 + rng.IntN(5) {
			b.WriteString(tokens[rng.IntN(len(tokens))])
			if rng.IntN(3) != 0 {
				b.WriteByte(' ')
			}
		}
		input := b.String()
		now := int64(1112911993 + rng.IntN(40000000))
		want, wantErr := gitForceDate(t, repo, "America/New_York", strconv.FormatInt(now, 10), input)
		got, err := ParseForce(input, time.Unix(now, 0), local)
		gotErr := ""
		if err != nil {
			gotErr = dieMessage(err)
		}
		if wantErr != gotErr || (err == nil && want != got.String()) {
			t.Errorf("now=%d %q:\n git: %q %q\nkiln: %q %q", now, input, want, wantErr, got, gotErr)
		}
	}
}

// TestApproxidateMatchesRevParseSince compares Approxidate with the
// timestamp git rev-parse --since prints.
func TestApproxidateMatchesRevParseSince(t *testing.T) {
	repo := t.TempDir()
	init := exec.Command("git", "init", "-q")
	init.Dir = repo
	init.Env = gitEnv(repo, "UTC")
	if err := init.Run(); err != nil {
		t.Fatal(err)
	}
	const now = 1112911993
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, input := range forceInputs {
		cmd := exec.Command("git", "rev-parse", "--since="+input)
		cmd.Dir = repo
		cmd.Env = append(gitEnv(repo, "Europe/Berlin"), "GIT_TEST_DATE_NOW="+strconv.Itoa(now))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git rev-parse --since=%q: %v", input, err)
		}
		stamp, _ := Approxidate(input, time.Unix(now, 0), berlin)
		if got := fmt.Sprintf("--max-age=%d\n", stamp); got != string(out) {
			t.Errorf("%q: git %q, kiln %q", input, out, got)
		}
	}
}
