package libc

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestAtoi checks C's atoi on known values: blanks, signs, trailing
// text, and the 32-bit truncation of C's int after strtol saturates.
func TestAtoi(t *testing.T) {
	for in, want := range map[string]int{
		"1": 1, "x": 0, "": 0, "+2": 2, "-3": -3, " 4": 4, "5x": 5, "/tmp/p": 0, "\t\n-07": -7,
		"2147483647": 2147483647, "2147483648": -2147483648, "4294967297": 1,
		"99999999999999999999": -1, "-99999999999999999999": 0, "- 1": 0, "+-1": 0,
	} {
		if got := Atoi(in); got != want {
			t.Errorf("Atoi(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestAtoiMatchesStrtol checks the saturation against dash's printf,
// which reads numbers with strtol (a long): Atoi is that value kept in
// a C int.
func TestAtoiMatchesStrtol(t *testing.T) {
	if _, err := exec.LookPath("dash"); err != nil {
		t.Fatal("dash is needed:", err)
	}
	for _, in := range []string{"12", "-12", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "4294967297"} {
		out, err := exec.Command("dash", "-c", `printf '%d' "$1" 2>/dev/null`, "sh", in).Output()
		if err != nil && len(out) == 0 {
			t.Fatalf("dash printf %s: %v", in, err)
		}
		long, perr := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
		if perr != nil {
			t.Fatalf("dash printf %s printed %q", in, out)
		}
		if got, want := Atoi(in), int(int32(long)); got != want {
			t.Errorf("Atoi(%q) = %d, want (int)%d = %d", in, got, long, want)
		}
	}
}

// TestStrerror checks glibc's capitalised texts for an errno, wrapped or
// under a path error, and other errors as they are.
func TestStrerror(t *testing.T) {
	_, err := os.Open("/nonexistent/kiln-libc-test")
	for _, c := range []struct {
		err  error
		want string
	}{
		{err, "No such file or directory"},
		{syscall.EISDIR, "Is a directory"},
		{&os.PathError{Op: "read", Path: "x", Err: errors.New("short read")}, "Short read"},
		{errors.New("plain"), "plain"},
	} {
		if got := Strerror(c.err); got != c.want {
			t.Errorf("Strerror(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
