package cover

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiln-dev/kiln/parity"
)

// BenchmarkQuiltimport100 measures what the probes cost: the
// quiltimport-100 scenario of kiln bench (100 patches) imported by the
// installed git-quiltimport and by its instrumented copy (git-sh-setup
// and git-sh-i18n instrumented too, every probe recorded), in pairs. It
// reports both sides' wall and CPU time per import, their ratios, and how
// many probes one import records.
//
//	go test -run '^$' -bench Quiltimport100 -benchtime 5x ./parity/cover
func BenchmarkQuiltimport100(b *testing.B) {
	sc, err := parity.LoadScenario(filepath.Join("..", "..", "tests", "bench", "quiltimport-100.txtar"))
	if err != nil {
		b.Fatal(err)
	}
	root := b.TempDir()
	env := benchEnv(root)
	pristine := filepath.Join(root, "pristine")
	if err := os.MkdirAll(pristine, 0o755); err != nil {
		b.Fatal(err)
	}
	setup := exec.Command("/bin/sh", "-c", sc.Setup)
	setup.Dir, setup.Env = pristine, env
	if out, err := setup.CombinedOutput(); err != nil {
		b.Fatalf("setup: %v: %s", err, out)
	}
	execPath := gitExecPath(b)
	instrumented, err := BuildExecDir(execPath, filepath.Join(root, "exec"), filepath.Join(root, "hits"))
	if err != nil {
		b.Fatal(err)
	}
	sides := []string{execPath, instrumented.Dir}
	var wall, cpu [2]time.Duration
	for i := 0; i < b.N; i++ {
		// Paired runs, alternating which goes first: the machine's
		// load drifts less within a pair than between benchmarks.
		for k := range 2 {
			side := (i + k) % 2
			w, c := importOnce(b, root, pristine, sc.Dir, env, sides[side])
			wall[side] += w
			cpu[side] += c
		}
	}
	probes, err := countLines(instrumented.Hits)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(wall[0].Milliseconds())/float64(b.N), "script-wall-ms/op")
	b.ReportMetric(float64(wall[1].Milliseconds())/float64(b.N), "instr-wall-ms/op")
	b.ReportMetric(float64(cpu[0].Milliseconds())/float64(b.N), "script-cpu-ms/op")
	b.ReportMetric(float64(cpu[1].Milliseconds())/float64(b.N), "instr-cpu-ms/op")
	b.ReportMetric(float64(wall[1])/float64(wall[0]), "wall-ratio")
	b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "cpu-ratio")
	b.ReportMetric(float64(probes)/float64(b.N), "probes/op")
}

// importOnce imports the series on a fresh copy of the pristine state
// with the given exec path; it returns the wall time and the CPU time of
// the whole process tree (wait4's rusage counts reaped descendants).
func importOnce(b *testing.B, root, pristine, dir string, env []string, execPath string) (time.Duration, time.Duration) {
	b.Helper()
	work := filepath.Join(root, "run")
	_ = os.RemoveAll(work)
	if out, err := exec.Command("cp", "-a", pristine, work).CombinedOutput(); err != nil {
		b.Fatalf("cp: %v: %s", err, out)
	}
	// A copy has new inodes: refresh the index's stat data.
	refresh := exec.Command("git", "update-index", "-q", "--refresh")
	refresh.Dir, refresh.Env = filepath.Join(work, dir), env
	_ = refresh.Run()
	cmd := exec.Command("git", "quiltimport", "--patches", "../patches")
	cmd.Dir, cmd.Env = filepath.Join(work, dir), append(env, "GIT_EXEC_PATH="+execPath)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("quiltimport: %v: %s", err, out)
	}
	return time.Since(start), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// countLines counts the lines of a file.
func countLines(path string) (int, error) {
	data, err := os.ReadFile(path)
	return strings.Count(string(data), "\n"), err
}

// benchEnv is a clean environment for the benchmark's git runs.
func benchEnv(root string) []string {
	home := filepath.Join(root, "home")
	_ = os.MkdirAll(home, 0o755)
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C", "TZ=UTC",
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_AUTHOR_DATE=1112911993 -0700", "GIT_COMMITTER_DATE=1112911993 -0700",
	}
}

func gitExecPath(tb testing.TB) string {
	tb.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		tb.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
