package gitdate

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a time as git records it in an ident: seconds since the epoch
// and the writer's zone offset in minutes east of UTC.
type Date struct {
	// Unix is git's unsigned timestamp stored in an int64; dates before
	// the epoch that git lets through wrap around exactly as git's do.
	Unix int64
	// Offset is the zone offset in minutes (-420 for -0700).
	Offset int
}

// String formats d the way git writes the date of an ident:
// "1112911993 -0700".
func (d Date) String() string {
	sign := byte('+')
	offset := d.Offset
	if offset < 0 {
		sign, offset = '-', -offset
	}
	return fmt.Sprintf("%d %c%02d%02d", uint64(d.Unix), sign, offset/60, offset%60)
}

// ZoneHHMM is the offset as the decimal number git writes: -0730 is
// -730 (the form gitapi.Ident keeps).
func (d Date) ZoneHHMM() int {
	offset := d.Offset
	if offset < 0 {
		return -(-offset/60*100 + -offset%60)
	}
	return offset/60*100 + offset%60
}

// InvalidError is returned for a string git refuses as a date. Its
// message is git's; git prints it through die(), which adds "fatal: ",
// shows control characters as '?' and exits 128.
type InvalidError struct {
	Input string
}

// Error quotes the date.
func (e *InvalidError) Error() string {
	return "invalid date format: " + e.Input
}

// Parse parses s as git parses GIT_AUTHOR_DATE and GIT_COMMITTER_DATE,
// with the current time and the local zone (time.Local, i.e. TZ).
func Parse(s string) (Date, error) {
	return ParseAt(s, time.Now(), time.Local)
}

// ParseAt is Parse with an explicit current time (git refuses some
// numeric dates more than ten days ahead of it) and local zone (used for
// dates that name no zone).
func ParseAt(s string, now time.Time, local *time.Location) (Date, error) {
	if local == nil {
		local = time.UTC
	}
	// git reads the date as a C string.
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	if d, ok := parseRaw(s); ok {
		return d, nil
	}
	p := &dateParser{input: s, now: now.Unix(), tm: newTM(), offset: -1}
	p.scan()
	d, ok := p.result(local)
	if !ok {
		return Date{}, &InvalidError{Input: s}
	}
	return d, nil
}

// ParseIdent is the date git puts in an ident for GIT_AUTHOR_DATE or
// GIT_COMMITTER_DATE set to s: the current time when s is empty (or
// unset), else s parsed like ParseAt. git reads the clock once per
// process, so callers building both idents should pass the same now.
func ParseIdent(s string, now time.Time, local *time.Location) (Date, error) {
	if s == "" {
		return Now(now, local), nil
	}
	return ParseAt(s, now, local)
}

// Now is the date git writes for the current time: now in the local
// zone's offset at that moment.
func Now(now time.Time, local *time.Location) Date {
	if local == nil {
		local = time.UTC
	}
	_, offset := now.In(local).Zone()
	return Date{Unix: now.Unix(), Offset: offset / 60}
}

// parseRaw accepts git's internal form "@<seconds> <+|-><hhmm>" (and only
// that, up to an optional trailing newline).
func parseRaw(s string) (Date, bool) {
	if len(s) < 2 || s[0] != '@' || !isDigit(s[1]) {
		return Date{}, false
	}
	s = s[1:]
	stamp, n, overflow := parseUint(s)
	if overflow || stamp == ^uint64(0) || at(s, n) != ' ' || (at(s, n+1) != '+' && at(s, n+1) != '-') {
		return Date{}, false
	}
	zone := s[n+2:]
	ofs, used := strtol(zone)
	if used != 4 || (at(zone, used) != 0 && at(zone, used) != '\n') {
		return Date{}, false
	}
	offset := int(int32(ofs))
	offset = (offset/100)*60 + offset%100
	if s[n+1] == '-' {
		offset = -offset
	}
	return Date{Unix: int64(stamp), Offset: offset}, true
}

// tm mirrors C's struct tm fields the parser uses; -1 means "not seen".
type tm struct {
	year, mon, mday, hour, min, sec int
}

func newTM() tm {
	return tm{year: -1, mon: -1, mday: -1, hour: -1, min: -1, sec: -1}
}

// nodate reports whether no field has been set yet.
func (t *tm) nodate() bool {
	return t.year&t.mon&t.mday&t.hour&t.min&t.sec < 0
}

func (t *tm) dateKnown() bool {
	return t.year != -1 && t.mon != -1 && t.mday != -1
}

// cumulativeDays is the day of the year each month starts on (non-leap).
var cumulativeDays = [12]int64{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

// seconds is git's own mktime for UTC: only for 1970-2099 and a set time
// of day; -1 otherwise.
func (t *tm) seconds() int64 {
	year := int64(t.year) - 70
	month := t.mon
	day := int64(t.mday)
	if year < 0 || year > 129 || month < 0 || month > 11 {
		return -1
	}
	if month < 2 || (year+2)%4 != 0 {
		day--
	}
	if t.hour < 0 || t.min < 0 || t.sec < 0 {
		return -1
	}
	return (year*365+(year+1)/4+cumulativeDays[month]+day)*86400 +
		int64(t.hour)*3600 + int64(t.min)*60 + int64(t.sec)
}

// setFromUnix fills every field from a UTC time, as glibc's gmtime_r
// does. Like glibc, when the year does not fit C's int it fails but has
// already stored the time of day and the truncated year, and git goes on
// with those.
func (t *tm) setFromUnix(sec int64) bool {
	days := sec / 86400
	rem := sec % 86400
	if rem < 0 {
		rem += 86400
		days--
	}
	t.hour, t.min, t.sec = int(rem/3600), int(rem%3600/60), int(rem%60)
	year, month, day := civilFromDays(days)
	year -= 1900
	t.year = int(int32(year))
	if int64(t.year) != year {
		return false
	}
	t.mon, t.mday = month-1, day
	return true
}

// civilFromDays converts days since 1970-01-01 to a proleptic Gregorian
// date, for any int64 count of days that gmtime could be given.
func civilFromDays(days int64) (year int64, month, day int) {
	z := days + 719468
	era := z / 146097
	if z%146097 < 0 {
		era--
	}
	dayOfEra := z - era*146097
	yearOfEra := (dayOfEra - dayOfEra/1460 + dayOfEra/36524 - dayOfEra/146096) / 365
	dayOfYear := dayOfEra - (365*yearOfEra + yearOfEra/4 - yearOfEra/100)
	shifted := (5*dayOfYear + 2) / 153 // months counted from March
	day = int(dayOfYear - (153*shifted+2)/5 + 1)
	month = int(shifted + 3)
	if month > 12 {
		month -= 12
	}
	year = yearOfEra + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

func parseUint(s string) (value uint64, n int, overflow bool) {
	for n < len(s) && isDigit(s[n]) {
		d := uint64(s[n] - '0')
		if value > (^uint64(0)-d)/10 {
			overflow = true
			value = ^uint64(0)
		} else if !overflow {
			value = value*10 + d
		}
		n++
	}
	return value, n, overflow
}

// strtol is C's strtol in base 10: leading white space, a sign, digits,
// saturating at the int64 range. used is 0 when there are no digits.
func strtol(s string) (value int64, used int) {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	negative := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		negative = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == start {
		return 0, 0
	}
	v, err := strconv.ParseInt(s[start:i], 10, 64)
	if err != nil {
		v = 1<<63 - 1
		if negative {
			return -1 << 63, i
		}
	}
	if negative {
		v = -v
	}
	return v, i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// at returns s[i], or NUL past the end like a C string.
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}
