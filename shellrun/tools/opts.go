package tools

import "strings"

// optSpec describes a GNU program's options: short flags, short flags
// that take a value, and long names mapped to their short flag.
type optSpec struct {
	flags   string
	withArg string
	long    map[string]byte
}

// opt is one option given, with its value if it takes one.
type opt struct {
	flag byte
	val  string
}

// parseOpts reads args as getopt_long does (options may follow operands,
// "--" ends them, "-" is an operand). An option outside spec, an
// abbreviated long option or a missing value is refused.
func parseOpts(args []string, spec optSpec) ([]opt, []string, bool) {
	var opts []opt
	var operands []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return opts, append(operands, args[i+1:]...), true
		case !isOption(a):
			operands = append(operands, a)
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a, "=")
			f, ok := spec.long[name]
			if !ok {
				return nil, nil, false
			}
			takes := strings.IndexByte(spec.withArg, f) >= 0
			switch {
			case takes && !hasVal:
				if i+1 == len(args) {
					return nil, nil, false
				}
				i++
				val = args[i]
			case !takes && hasVal:
				return nil, nil, false
			}
			opts = append(opts, opt{f, val})
		default:
			n, ok := shortCluster(a[1:], args[i+1:], spec, &opts)
			if !ok {
				return nil, nil, false
			}
			i += n
		}
	}
	return opts, operands, true
}

func shortCluster(cluster string, rest []string, spec optSpec, opts *[]opt) (int, bool) {
	for j := 0; j < len(cluster); j++ {
		f := cluster[j]
		switch {
		case strings.IndexByte(spec.withArg, f) >= 0:
			if j+1 < len(cluster) {
				*opts = append(*opts, opt{f, cluster[j+1:]})
				return 0, true
			}
			if len(rest) == 0 {
				return 0, false
			}
			*opts = append(*opts, opt{f, rest[0]})
			return 1, true
		case strings.IndexByte(spec.flags, f) >= 0:
			*opts = append(*opts, opt{f, ""})
		default:
			return 0, false
		}
	}
	return 0, true
}

// has reports whether flag f was given.
func has(opts []opt, f byte) bool {
	for _, o := range opts {
		if o.flag == f {
			return true
		}
	}
	return false
}

// lastVal is the value of the last f given.
func lastVal(opts []opt, f byte) (string, bool) {
	val, ok := "", false
	for _, o := range opts {
		if o.flag == f {
			val, ok = o.val, true
		}
	}
	return val, ok
}
