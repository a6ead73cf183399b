package dash

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Printf runs dash's printf builtin on args, the words after "printf":
// the format, then its arguments. It returns 0, 1 when an argument was
// not a valid number (after a warning; printf goes on with the value
// read so far), or 2 after an error that stops it.
func Printf(args []string, stdio IO, prefix string) int {
	return printf(args, stdio, prefix, nil)
}

// PrintfQuoting is Printf with bash's extra conversions: %q, whose
// quote returns its argument quoted for reuse as shell input, and
// %(FORMAT)T, whose strftime formats a time given as seconds since the
// epoch ("" or -1 for now).
func PrintfQuoting(args []string, stdio IO, prefix string, quote func(string) string, strftime func(format, arg string) (string, bool)) int {
	p := &printfRun{stdio: stdio, prefix: prefix, quote: quote, strftime: strftime}
	status := p.run(args)
	if stdio.Stdout != nil {
		stdio.Stdout.Write(p.out.Bytes())
	}
	return status
}

func printf(args []string, stdio IO, prefix string, quote func(string) string) int {
	p := &printfRun{stdio: stdio, prefix: prefix, quote: quote}
	status := p.run(args)
	if stdio.Stdout != nil {
		stdio.Stdout.Write(p.out.Bytes())
	}
	return status
}

// printfRun is the state of one printf call.
type printfRun struct {
	stdio  IO
	prefix string
	out    bytes.Buffer
	args   []string // arguments not yet consumed
	status int
	quote  func(string) string // %q, when the shell has it
	// strftime serves %(FORMAT)T, when the shell has it.
	strftime func(format, arg string) (string, bool)
}

func (p *printfRun) fail(format string, a ...any) int {
	p.stdio.errorf(p.prefix, "printf", format, a...)
	return 2
}

func (p *printfRun) warn(format string, a ...any) {
	p.stdio.errorf(p.prefix, "printf", format, a...)
	p.status = 1
}

func (p *printfRun) run(args []string) int {
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		if args[0] != "--" {
			return p.fail("Illegal option -%c", args[0][1])
		}
		args = args[1:]
	}
	if len(args) == 0 {
		return p.fail("usage: printf format [arg ...]")
	}
	format := args[0]
	p.args = args[1:]
	total := len(p.args)
	for {
		stop, err := p.formatOnce(format)
		if err != "" {
			return p.fail("%s", err)
		}
		// The format is used again while it consumes arguments and
		// some remain.
		if stop || len(p.args) == total || len(p.args) == 0 {
			return p.status
		}
	}
}

// formatOnce outputs format once, consuming arguments. It returns stop
// when a %b argument held \c, or the message of an error.
func (p *printfRun) formatOnce(format string) (stop bool, err string) {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '\\' {
			b, used := formatEscape(format[i+1:])
			p.out.WriteByte(b)
			i += used
			continue
		}
		if c != '%' {
			p.out.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			p.out.WriteByte('%')
			i++
			continue
		}
		spec, n, msg := p.parseSpec(format[i:])
		if msg != "" {
			return false, msg
		}
		i += n - 1
		if stop, msg := p.convert(spec); stop || msg != "" {
			return stop, msg
		}
	}
	return false, ""
}

// spec is one conversion specification, as C's printf reads it.
type spec struct {
	text        string // the specification as written, for messages
	minus, plus bool
	space, zero bool
	alt         bool
	width       int
	prec        int
	hasPrec     bool
	verb        byte
	timeFormat  string // %(FORMAT)T's
}

// parseSpec reads the conversion specification at the start of s (which
// starts with %), taking * widths and precisions from the arguments. It
// returns the spec and its length in s.
func (p *printfRun) parseSpec(s string) (sp spec, n int, err string) {
	i := 1
	for ; i < len(s) && strings.IndexByte("#-+ 0", s[i]) >= 0; i++ {
		switch s[i] {
		case '#':
			sp.alt = true
		case '-':
			sp.minus = true
		case '+':
			sp.plus = true
		case ' ':
			sp.space = true
		case '0':
			sp.zero = true
		}
	}
	if i < len(s) && s[i] == '*' {
		i++
		sp.width = int(int32(p.intArg()))
		if sp.width < 0 {
			sp.minus, sp.width = true, -sp.width
		}
	} else {
		j := i
		i += digitSpan(s[i:])
		sp.width = specNumber(s[j:i])
	}
	if i < len(s) && s[i] == '.' {
		i++
		sp.hasPrec = true
		if i < len(s) && s[i] == '*' {
			i++
			sp.prec = int(int32(p.intArg()))
			if sp.prec < 0 {
				sp.hasPrec, sp.prec = false, 0
			}
		} else {
			j := i
			i += digitSpan(s[i:])
			sp.prec = specNumber(s[j:i])
		}
	}
	if i < len(s) && s[i] == '(' && p.strftime != nil {
		end := strings.Index(s[i:], ")T")
		if end < 0 {
			return sp, i, "`(': missing closing `)T'"
		}
		sp.timeFormat = s[i+1 : i+end]
		sp.verb = 'T'
		sp.text = s[:i+end+2]
		return sp, i + end + 2, ""
	}
	if i >= len(s) {
		return sp, i, "missing format character"
	}
	if sp.width < 0 || sp.prec < 0 {
		// C's printf cannot count that far.
		return sp, i, "xvsnprintf failed"
	}
	sp.verb = s[i]
	sp.text = s[:i+1]
	return sp, i + 1, ""
}

// specNumber reads a width or precision written in digits; one beyond
// C's int is -1.
func specNumber(digits string) int {
	n, err := strconv.Atoi(strings.Trim(digits, "*"))
	if err != nil && digits != "" && strings.Trim(digits, "*") != "" || n > math.MaxInt32 {
		return -1
	}
	return n
}

// digitSpan is the length of the run of digits and stars that dash skips
// as a width or precision.
func digitSpan(s string) int {
	i := 0
	for i < len(s) && (s[i] == '*' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return i
}

// convert outputs one conversion.
func (p *printfRun) convert(sp spec) (stop bool, err string) {
	switch sp.verb {
	case 'b':
		text, stop := expandEscapes(p.strArg())
		p.pad(sp, string(text))
		return stop, ""
	case 'c':
		sp.hasPrec = false
		p.pad(sp, string([]byte{p.charArg()}))
	case 's':
		p.pad(sp, p.strArg())
	case 'T':
		if p.strftime == nil {
			return false, sp.text + ": invalid directive"
		}
		arg := ""
		if len(p.args) > 0 {
			arg = p.strArg()
		}
		text, ok := p.strftime(sp.timeFormat, arg)
		if !ok {
			p.warn("%s: invalid number", arg)
		}
		p.pad(sp, text)
	case 'q':
		if p.quote == nil {
			return false, sp.text + ": invalid directive"
		}
		p.pad(sp, p.quote(p.strArg()))
	case 'd', 'i':
		n := p.intArg()
		p.pad(sp.numeric(), formatInt(sp, uint64(n), n < 0))
	case 'o', 'u', 'x', 'X':
		p.pad(sp.numeric(), formatInt(sp, p.uintArg(), false))
	case 'a', 'A', 'e', 'E', 'f', 'F', 'g', 'G':
		p.out.WriteString(formatFloat(sp, p.floatArg()))
	default:
		return false, sp.text + ": invalid directive"
	}
	return false, ""
}

// numeric returns the spec with its precision spent: formatInt has used
// it, so pad only has the width left to apply.
func (sp spec) numeric() spec {
	sp.hasPrec = false
	return sp
}

// pad outputs text with the spec's precision (a byte count) and width.
// The 0 flag pads numbers only, as glibc does for %s.
func (p *printfRun) pad(sp spec, text string) {
	if sp.hasPrec && sp.prec < len(text) {
		text = text[:sp.prec]
	}
	fill := sp.width - len(text)
	if fill <= 0 {
		p.out.WriteString(text)
		return
	}
	if sp.minus {
		p.out.WriteString(text)
		p.out.WriteString(strings.Repeat(" ", fill))
		return
	}
	p.out.WriteString(strings.Repeat(" ", fill))
	p.out.WriteString(text)
}

// formatInt formats an integer conversion as C does, up to the width:
// sign or prefix, precision as a minimum digit count, 0 padding when no
// precision is given. For %d and %i, magnitude holds the two's
// complement value and negative its sign.
func formatInt(sp spec, magnitude uint64, negative bool) string {
	if negative {
		magnitude = -magnitude
	}
	base, upper := 10, false
	switch sp.verb {
	case 'o':
		base = 8
	case 'x':
		base = 16
	case 'X':
		base, upper = 16, true
	}
	digits := strconv.FormatUint(magnitude, base)
	if upper {
		digits = strings.ToUpper(digits)
	}
	if sp.hasPrec && sp.prec == 0 && magnitude == 0 {
		digits = ""
	}
	if sp.hasPrec && len(digits) < sp.prec {
		digits = strings.Repeat("0", sp.prec-len(digits)) + digits
	}
	var lead string
	switch {
	case sp.verb == 'o' && sp.alt && !strings.HasPrefix(digits, "0"):
		digits = "0" + digits
	case sp.verb == 'x' && sp.alt && magnitude != 0:
		lead = "0x"
	case sp.verb == 'X' && sp.alt && magnitude != 0:
		lead = "0X"
	case sp.verb != 'd' && sp.verb != 'i':
	case negative:
		lead = "-"
	case sp.plus:
		lead = "+"
	case sp.space:
		lead = " "
	}
	if sp.zero && !sp.minus && !sp.hasPrec {
		if fill := sp.width - len(lead) - len(digits); fill > 0 {
			digits = strings.Repeat("0", fill) + digits
		}
	}
	return lead + digits
}

// formatFloat formats a floating conversion as glibc does, width
// included.
func formatFloat(sp spec, f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return formatNonFinite(sp, f)
	}
	var flags strings.Builder
	for _, fl := range []struct {
		on bool
		c  byte
	}{{sp.minus, '-'}, {sp.plus, '+'}, {sp.space, ' '}, {sp.zero, '0'}, {sp.alt, '#'}} {
		if fl.on {
			flags.WriteByte(fl.c)
		}
	}
	verb := sp.verb
	prec := sp.prec
	if !sp.hasPrec {
		prec = 6
	}
	if (verb == 'g' || verb == 'G') && prec == 0 {
		prec = 1
	}
	if verb == 'a' || verb == 'A' {
		return formatHexFloat(sp, f)
	}
	return fmt.Sprintf("%"+flags.String()+"*.*"+string(verb), sp.width, prec, f)
}

// formatNonFinite formats inf and nan: C spells them in the case of the
// conversion, with a sign when negative or asked for, never 0-padded.
func formatNonFinite(sp spec, f float64) string {
	word := "inf"
	if math.IsNaN(f) {
		word = "nan"
	}
	if sp.verb >= 'A' && sp.verb <= 'Z' {
		word = strings.ToUpper(word)
	}
	switch {
	case math.Signbit(f):
		word = "-" + word
	case sp.plus:
		word = "+" + word
	case sp.space:
		word = " " + word
	}
	sp.zero, sp.hasPrec = false, false
	var p printfRun
	p.pad(sp, word)
	return p.out.String()
}

// formatHexFloat formats %a and %A as glibc does: a normal number as
// 0x1.hhhp+e, a subnormal one as 0x0.hhhp-1022, rounding to the
// precision half to even without renormalizing (1.5 to no digits is
// 0x2p+0), and width, sign and 0 flags as for the other conversions.
func formatHexFloat(sp spec, f float64) string {
	bits := math.Float64bits(f)
	mantissa := bits & (1<<52 - 1)
	exp := int(bits>>52&0x7ff) - 1023
	lead := uint64(1)
	switch {
	case f == 0:
		lead, exp = 0, 0
	case exp == -1023:
		lead, exp = 0, -1022
	}
	digits := fmt.Sprintf("%013x", mantissa)
	if sp.hasPrec && sp.prec < 13 {
		drop := uint(52 - 4*sp.prec)
		rest := mantissa & (1<<drop - 1)
		half := uint64(1) << (drop - 1)
		mantissa >>= drop
		if rest > half || rest == half && (mantissa|lead<<(4*sp.prec))&1 == 1 {
			mantissa++
		}
		if mantissa == 1<<(4*sp.prec) {
			mantissa, lead = 0, lead+1
		}
		digits = fmt.Sprintf("%0*x", sp.prec, mantissa)
		if sp.prec == 0 {
			digits = ""
		}
	} else if sp.hasPrec {
		digits += strings.Repeat("0", sp.prec-13)
	} else {
		digits = strings.TrimRight(digits, "0")
	}
	body := strconv.FormatUint(lead, 16)
	if digits != "" || sp.alt {
		body += "." + digits
	}
	body += fmt.Sprintf("p%+d", exp)
	sign := ""
	switch {
	case math.Signbit(f):
		sign = "-"
	case sp.plus:
		sign = "+"
	case sp.space:
		sign = " "
	}
	prefix := sign + "0x"
	if sp.verb == 'A' {
		prefix, body = strings.ToUpper(prefix), strings.ToUpper(body)
	}
	if sp.zero && !sp.minus && len(prefix)+len(body) < sp.width {
		body = strings.Repeat("0", sp.width-len(prefix)-len(body)) + body
	}
	sp.hasPrec = false
	var p printfRun
	p.pad(sp, prefix+body)
	return p.out.String()
}

// strArg consumes the next argument as a string; a missing one is "".
func (p *printfRun) strArg() string {
	if len(p.args) == 0 {
		return ""
	}
	s := p.args[0]
	p.args = p.args[1:]
	return s
}

// charArg consumes the next argument's first byte; a missing or empty
// argument gives a NUL byte.
func (p *printfRun) charArg() byte {
	if len(p.args) == 0 {
		return 0
	}
	s := p.strArg()
	if s == "" {
		return 0
	}
	return s[0]
}

// quotedCharValue handles an argument starting with a quote: its value is
// the byte after the quote.
func quotedCharValue(s string) (uint64, bool) {
	if s == "" || s[0] != '\'' && s[0] != '"' {
		return 0, false
	}
	if len(s) < 2 {
		return 0, true
	}
	return uint64(s[1]), true
}

// intArg consumes the next argument as a signed integer (C's strtoimax
// in base 0), warning about junk or overflow.
func (p *printfRun) intArg() int64 {
	s := p.strArg()
	if v, ok := quotedCharValue(s); ok {
		return int64(v)
	}
	n, rest, rangeErr, ok := strtoimax(s, 0)
	p.checkConversion(s, rest, ok, rangeErr)
	return n
}

// uintArg consumes the next argument as an unsigned integer (strtoumax).
func (p *printfRun) uintArg() uint64 {
	s := p.strArg()
	if v, ok := quotedCharValue(s); ok {
		return v
	}
	n, rest, rangeErr, ok := strtoumax(s, 0)
	p.checkConversion(s, rest, ok, rangeErr)
	return n
}

// floatArg consumes the next argument as a double (strtod).
func (p *printfRun) floatArg() float64 {
	s := p.strArg()
	if v, ok := quotedCharValue(s); ok {
		return float64(v)
	}
	f, rest, rangeErr, ok := strtod(s)
	p.checkConversion(s, rest, ok, rangeErr)
	return f
}

// checkConversion warns as dash does when an argument was not entirely a
// number or was out of range. An empty argument is a silent 0.
func (p *printfRun) checkConversion(s, rest string, ok, rangeErr bool) {
	if !ok {
		rest = s
	}
	switch {
	case rest != "" && !ok:
		p.warn("%s: expected numeric value", s)
	case rest != "":
		p.warn("%s: not completely converted", s)
	case rangeErr:
		p.warn("%s: Numerical result out of range", s)
	}
}
