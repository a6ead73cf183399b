package parseopt

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// walkSpec has a flag, a short option with a value, an optional value,
// a required value and an option that takes its own count of the next
// arguments (two here, or none when fewer are left).
var walkSpec = &Spec{Usage: []string{"walk"}, Options: []Option{
	{Short: 'q', Long: "quiet"},
	{Short: 'f', TakesArg: true},
	{Long: "short", TakesArg: true, OptionalArg: true},
	{Long: "path", TakesArg: true},
	{Long: "pair", Takes: func(next []string) int {
		if len(next) >= 2 {
			return 2
		}
		return 0
	}},
}}

// render writes items as "opt(name=value|follow)" and "arg(word)",
// each with the words it was read from and its Next.
func render(items []Item) string {
	var parts []string
	for _, it := range items {
		var s string
		if it.Option != nil {
			name := it.Option.Option.Long
			if name == "" {
				name = string(it.Option.Option.Short)
			}
			s = "opt(" + name
			if it.Option.HasValue {
				s += "=" + it.Option.Value
			}
			if len(it.Option.Follow) > 0 {
				s += "|" + strings.Join(it.Option.Follow, ",")
			}
			s += ")"
		} else {
			s = "arg(" + it.Arg + ")"
		}
		parts = append(parts, s+"["+strings.Join(it.Words, " ")+"]"+string(rune('0'+it.Next)))
	}
	return strings.Join(parts, " ")
}

// TestWalk checks that Walk keeps the order of options and arguments,
// with the words each came from and where the next begins; Exact reads
// only whole names, "=" only for an optional value, and leaves the rest
// as arguments; Takes takes its count of the next arguments.
func TestWalk(t *testing.T) {
	for _, c := range []struct {
		args  string
		flags Flags
		want  string
	}{
		{"a -q b", Flags{}, "arg(a)[a]1 opt(quiet)[-q]2 arg(b)[b]3"},
		{"-qf x b", Flags{}, "opt(quiet)[-qf x]2 opt(f=x)[-qf x]2 arg(b)[b]3"},
		{"--pair x y z", Flags{}, "opt(pair|x,y)[--pair x y]3 arg(z)[z]4"},
		{"--pair x", Flags{}, "opt(pair)[--pair]1 arg(x)[x]2"},
		{"a -- -q", Flags{}, "arg(a)[a]1 arg(-q)[-q]3"},
		{"a -- -q", Flags{KeepDashDash: true}, "arg(a)[a]1 arg(--)[--]2 arg(-q)[-q]3"},
		{"-q a -q", Flags{StopAtNonOption: true}, "opt(quiet)[-q]1 arg(a)[a]2 arg(-q)[-q]3"},
		{"--qu --short=3 --short --path p", Flags{Exact: true}, "arg(--qu)[--qu]1 opt(short=3)[--short=3]2 opt(short)[--short]3 opt(path=p)[--path p]5"},
		{"--path=p -qq -q --no-quiet", Flags{Exact: true}, "arg(--path=p)[--path=p]1 arg(-qq)[-qq]2 opt(quiet)[-q]3 arg(--no-quiet)[--no-quiet]4"},
		{"--path", Flags{Exact: true}, "opt(path)[--path]1"},
		{"--path -- x", Flags{Exact: true, KeepDashDash: true}, "opt(path=--)[--path --]2 arg(x)[x]3"},
		{"-h x", Flags{Exact: true}, "arg(-h)[-h]1 arg(x)[x]2"},
	} {
		items, err := walkSpec.Walk(strings.Fields(c.args), c.flags)
		if err != nil {
			t.Errorf("Walk(%q, %+v): %v", c.args, c.flags, err)
			continue
		}
		if got := render(items); got != c.want {
			t.Errorf("Walk(%q, %+v)\n got %s\nwant %s", c.args, c.flags, got, c.want)
		}
	}
}

// TestWalkError checks that an error comes with the items before it,
// and that Error.Unknown names an unknown option or switch.
func TestWalkError(t *testing.T) {
	for _, c := range []struct {
		args, want, unknown string
	}{
		{"a -q --bogus=1 b", "arg(a)[a]1 opt(quiet)[-q]2", "--bogus=1"},
		{"a -qx", "arg(a)[a]1 opt(quiet)[-qx]2", "-x"},
	} {
		items, err := walkSpec.Walk(strings.Fields(c.args), Flags{})
		var pe *Error
		if !errors.As(err, &pe) || pe.Unknown != c.unknown {
			t.Errorf("Walk(%q): error %v, want one for the unknown %s", c.args, err, c.unknown)
		}
		if got := render(items); got != c.want {
			t.Errorf("Walk(%q) before the error\n got %s\nwant %s", c.args, got, c.want)
		}
	}
	// Parse is Walk collected: the same options and arguments.
	found, rest, err := walkSpec.Parse([]string{"a", "-qf", "x", "b", "--pair", "1", "2"}, Flags{})
	if err != nil || len(found) != 3 || !reflect.DeepEqual(rest, []string{"a", "b"}) || !reflect.DeepEqual(found[2].Follow, []string{"1", "2"}) {
		t.Errorf("Parse: %v %q %v", found, rest, err)
	}
}
