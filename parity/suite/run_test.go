package suite

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kiln-dev/kiln/parity"
)

// A suite of two files for a command "mark", which must print its
// argument and exit 0; the suite prints TAP itself.
const markSuite = `n=0
check () {
	n=$((n + 1))
	if eval "$2" >/dev/null 2>&1; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "# $2 failed"; fi
}
`

func writeMarkSuite(t *testing.T) (dir string) {
	dir = t.TempDir()
	files := map[string]string{
		"lib.sh":  markSuite,
		"t1.sh":   ". ./lib.sh\ncheck 'says hello' 'test \"$(git mark hello)\" = hello'\ncheck 'exits 0' 'mark x'\necho 1..$n\n",
		"t2.sh":   ". ./lib.sh\ncheck 'as git-mark' 'test \"$(git-mark hi)\" = hi'\necho 1..$n\n",
		"good.sh": "echo \"$1\"\n",
		"bad.sh":  "echo \"$1\"; exit 3\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCompare(t *testing.T) {
	dir := writeMarkSuite(t)
	side := func(script string) parity.Side {
		return parity.Side{Command: []string{"sh", filepath.Join(dir, script)}}
	}
	for _, tc := range []struct {
		name      string
		new       string
		differing []string // file:number old>new
	}{
		{"faithful", "good.sh", nil},
		{"wrong exit", "bad.sh", []string{"t1.sh:2 ok>not ok"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Runner{Name: "mark", Command: "sh", Files: []string{"t1.sh", "t2.sh"}, Dir: dir,
				Old: side("good.sh"), New: side(tc.new), Jobs: 3, Timeout: time.Minute}
			results, err := r.Compare(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, res := range results {
				if res.Error != "" {
					t.Fatalf("%s: %s", res.Label(), res.Error)
				}
				for _, d := range res.Differing {
					got = append(got, res.File+":"+strconv.Itoa(d.Number)+" "+string(d.Old)+">"+string(d.New))
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.differing, ",") {
				t.Errorf("differing: got %q, want %q", got, tc.differing)
			}
			s := Summarize(results)
			if s.Files != 2 || s.Tests != 3 || s.Identical != 3-len(tc.differing) {
				t.Errorf("summary %s", s)
			}
		})
	}
}

func TestCompareCancelled(t *testing.T) {
	dir := writeMarkSuite(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	r := &Runner{Name: "mark", Command: "touch started; sleep 60", Dir: dir,
		Old: parity.Side{Command: []string{"true"}}, New: parity.Side{Command: []string{"true"}}, Jobs: 2}
	go func() {
		for {
			if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	if _, err := r.Compare(ctx); err != context.Canceled {
		t.Fatalf("Compare: %v, want context.Canceled", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the sandbox is still there: %v", left)
	}
}
