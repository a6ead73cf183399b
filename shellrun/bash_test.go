package shellrun

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBashQuoteAgainstBash: BashQuote quotes as the installed bash's
// printf %q does.
func TestBashQuoteAgainstBash(t *testing.T) {
	inputs := []string{"", "plain", "a b", "it's", `back\slash`, "tab\there", "new\nline", "~home", "a~b",
		"#hash", "a#b", "a=b", "x,y", "$var", "`cmd`", "semi;colon", "glob*?[x]", "(paren)", "{brace}",
		"pipe|amp&", "<>!^", "bell\a", "esc\x1b", "del\x7f", "é unicode", "-dash", "%percent", "q\"uote"}
	args := append([]string{"-c", `for a; do printf '%q\n' "$a"; done`, "bash"}, inputs...)
	out, err := exec.Command("bash", args...).Output()
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(want) != len(inputs) {
		t.Fatalf("bash printed %d lines for %d inputs", len(want), len(inputs))
	}
	for i, in := range inputs {
		if got := BashQuote(in); got != want[i] {
			t.Errorf("BashQuote(%q) = %s, bash says %s", in, got, want[i])
		}
	}
}

// TestStrftimeAgainstBash: printf's %(FORMAT)T formats as the
// installed bash's does, in UTC.
func TestStrftimeAgainstBash(t *testing.T) {
	formats := []string{"%Y-%m-%d %H:%M:%S", "%a %A %b %B %e %j", "%y %C %I %l %k %p", "%u %w %s %z %Z",
		"%F %T %D %R", "%c", "%x %X", "%% %n%t literal"}
	for _, epoch := range []int64{0, 1700000000, 951782400} {
		for _, f := range formats {
			cmd := exec.Command("bash", "-c", `printf "%($1)T" "$2"`, "bash", f, strconv.FormatInt(epoch, 10))
			cmd.Env = []string{"TZ=UTC", "LC_ALL=C"}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("bash: %v", err)
			}
			if got := Strftime(f, time.Unix(epoch, 0).UTC()); got != string(out) {
				t.Errorf("Strftime(%q, %d) = %q, bash says %q", f, epoch, got, out)
			}
		}
	}
}
