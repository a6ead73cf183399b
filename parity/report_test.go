package parity

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"
)

// reportResults returns the results of a broken fixture file, a failing
// fixture and a passing one, in that order, for the report tests.
func reportResults(t *testing.T) []*Result {
	t.Helper()
	results := []*Result{BrokenFixture("tests/fixtures/quiltimport/broken.txtar",
		errors.New("tests/fixtures/quiltimport/broken.txtar: missing the -- setup -- section"))}
	old := shell(`echo same; echo old >stable.txt`)
	for name, new := range map[string]Side{
		"normalize/temp-names": old,
		"noise/random":         shell(`echo same; echo "new <&>" >stable.txt`),
	} {
		f, err := LoadFixture(testFixture(name))
		if err != nil {
			t.Fatal(err)
		}
		r := &Runner{Old: old, New: new, Noise: NoiseOff}
		res, err := r.Run(context.Background(), []*Fixture{f})
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res[0])
	}
	slices.SortFunc(results[1:], func(a, b *Result) int { return strings.Compare(a.Fixture, b.Fixture) })
	return results
}

func TestReports(t *testing.T) {
	results := reportResults(t)
	if got := [3]Status{results[0].Status, results[1].Status, results[2].Status}; got != [3]Status{StatusError, StatusFail, StatusPass} {
		t.Fatalf("statuses %v", got)
	}
	t.Run("junit", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteJUnit(&buf, results); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Suites []struct {
				Tests    int `xml:"tests,attr"`
				Failures int `xml:"failures,attr"`
				Errors   int `xml:"errors,attr"`
				Cases    []struct {
					Class   string `xml:"classname,attr"`
					Name    string `xml:"name,attr"`
					Failure *struct {
						Message string `xml:"message,attr"`
						Text    string `xml:",chardata"`
					} `xml:"failure"`
					Error *struct {
						Message string `xml:"message,attr"`
					} `xml:"error"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatalf("JUnit output is not XML: %v\n%s", err, buf.String())
		}
		if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 3 || doc.Suites[0].Tests != 3 ||
			doc.Suites[0].Failures != 1 || doc.Suites[0].Errors != 1 {
			t.Fatalf("want one suite with 3 cases, 1 failure, 1 error:\n%s", buf.String())
		}
		cases := doc.Suites[0].Cases
		if cases[0].Class != "parity.quiltimport" || cases[0].Name != "broken" || cases[0].Error == nil {
			t.Errorf("broken fixture case: %+v", cases[0])
		}
		if f := cases[1].Failure; f == nil || !strings.Contains(f.Text, "+new <&>") {
			t.Errorf("failing case lacks its diff: %+v\n%s", cases[1], buf.String())
		}
		if cases[2].Failure != nil || cases[2].Error != nil {
			t.Errorf("passing case has a failure: %+v", cases[2])
		}
	})
	t.Run("json", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, Side{}, shell("x"), results); err != nil {
			t.Fatal(err)
		}
		var rep Report
		if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		want := Summary{Passed: 1, Failed: 1, Errors: 1}
		if rep.Summary != want || rep.Exit != 2 || rep.Old != "installed script" || len(rep.Results) != 3 {
			t.Fatalf("report header: %+v", rep)
		}
		fail := rep.Results[1]
		if fail.Status != StatusFail || len(fail.Mismatches) != 1 || fail.Mismatches[0].Field != "worktree:stable.txt" {
			t.Fatalf("failing result: %+v", fail)
		}
		// A file entry decodes as a JSON object with its text.
		if m, ok := fail.Mismatches[0].New.(map[string]any); !ok || m["Text"] != "new <&>\n" || m["Type"] != "file" {
			t.Errorf("new value %#v", fail.Mismatches[0].New)
		}
	})
	t.Run("text", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteText(&buf, results, Summarize(results)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{
			"ERROR quiltimport/broken", "error: tests/fixtures/quiltimport/broken.txtar: missing the -- setup -- section",
			"PASS normalize/temp-names", "FAIL noise/random", "mismatch worktree:stable.txt:", "-old\n", "+new <&>\n",
			"1 passed, 1 failed, 1 errors; 0 accepted divergences, 0 noise fields\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("text report lacks %q:\n%s", want, out)
			}
		}
	})
}
