package gitdate

import (
	"testing"
	"time"
)

// FuzzParseAt checks that no input makes the parsers (strict and
// approxidate) panic and that every accepted date formats to git's
// "<seconds> <+|-hhmm>" shape.
func FuzzParseAt(f *testing.F) {
	for _, input := range dateInputs {
		f.Add(input)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	f.Fuzz(func(t *testing.T, input string) {
		if _, err := ParseForce(input, now, newYork); err != nil {
			if _, ok := err.(*InvalidError); !ok {
				t.Fatalf("%q: ParseForce: unexpected error type %T", input, err)
			}
		}
		d, err := ParseAt(input, now, newYork)
		if err != nil {
			if _, ok := err.(*InvalidError); !ok {
				t.Fatalf("%q: unexpected error type %T", input, err)
			}
			return
		}
		if s := d.String(); len(s) < len("0 +0000") {
			t.Fatalf("%q: bad format %q", input, s)
		}
	})
}
