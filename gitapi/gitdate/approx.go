package gitdate

import (
	"fmt"
	"time"
)

// ParseForce parses s the way `git commit --date` does: as a strict date
// if it is one, else with git's "approxidate" ("yesterday", "3 days ago",
// "last friday", "noon", "Dec 2", ...) relative to now in the local zone.
// An approximate date gets the local zone's offset. Errors are git's;
// like git, a result git cannot use names the "@<seconds>" it produced.
func ParseForce(s string, now time.Time, local *time.Location) (Date, error) {
	if local == nil {
		local = time.UTC
	}
	// git turns either result into "@..." text and parses that again.
	if d, err := ParseAt(s, now, local); err == nil {
		return ParseAt("@"+d.String(), now, local)
	}
	stamp, ok := approxidate(s, now.Unix(), local)
	if !ok {
		return Date{}, &InvalidError{Input: s}
	}
	return ParseAt(fmt.Sprintf("@%d", uint64(stamp)), now, local)
}

// Approxidate is git's approxidate_careful, behind --since, --until and
// @{<date>}: the strict parse's timestamp if s is a date, else
// approxidate's reading of s relative to now. ok is false when nothing in
// s made sense; the timestamp (now, typically) is still what git uses
// where it ignores that.
func Approxidate(s string, now time.Time, local *time.Location) (stamp uint64, ok bool) {
	if local == nil {
		local = time.UTC
	}
	if d, err := ParseAt(s, now, local); err == nil {
		return uint64(d.Unix), true
	}
	t, ok := approxidate(s, now.Unix(), local)
	return uint64(t), ok
}

// localTM is a struct tm from localtime: the fields approxidate edits,
// with the weekday and the DST flag mktime takes as a hint.
type localTM struct {
	tm
	wday  int
	isdst int // 1 summer time, 0 not, as localtime reports it
}

func localtime(t int64, local *time.Location) localTM {
	lt := time.Unix(t, 0).In(local)
	isdst := 0
	if lt.IsDST() {
		isdst = 1
	}
	return localTM{
		tm: tm{year: lt.Year() - 1900, mon: int(lt.Month()) - 1, mday: lt.Day(),
			hour: lt.Hour(), min: lt.Minute(), sec: lt.Second()},
		wday: int(lt.Weekday()), isdst: isdst,
	}
}

// mktimeHinted is glibc's mktime for fields with a DST hint: when the
// wall time resolves to the other kind of time, glibc uses the offset of
// the nearest period of the hinted kind, so a summer-time wall clock
// moved into winter keeps its summer offset; with no such period near,
// it shifts by an hour.
func mktimeHinted(t localTM, local *time.Location) int64 {
	wall := time.Date(t.year+1900, time.Month(t.mon+1), t.mday,
		t.hour, t.min, t.sec, 0, time.UTC).Unix()
	stamp := t.mktime(wall, local)
	if time.Unix(stamp, 0).In(local).IsDST() == (t.isdst != 0) {
		return stamp
	}
	// glibc's probe: a week apart, alternating directions, up to about
	// eight and a half years away.
	const stride, bound = 601200, 536454000/2 + 601200
	for delta := int64(stride); delta < bound; delta += stride {
		for _, probe := range []int64{stamp - delta, stamp + delta} {
			at := time.Unix(probe, 0).In(local)
			if at.IsDST() == (t.isdst != 0) {
				_, offset := at.Zone()
				return wall - int64(offset)
			}
		}
	}
	// No such period (a zone without DST): glibc moves by an hour.
	if t.isdst != 0 {
		return stamp - 3600
	}
	return stamp + 3600
}

// approxParser is the state of git's approxidate.
type approxParser struct {
	tm      localTM
	now     localTM
	nowUnix int64
	local   *time.Location
	number  int // a number waiting for the word that says what it is
	touched bool
}

// approxidate returns the time s describes relative to now, and false
// when nothing in s made sense.
func approxidate(s string, now int64, local *time.Location) (int64, bool) {
	p := &approxParser{nowUnix: now, local: local}
	p.tm = localtime(now, local)
	p.now = p.tm
	p.tm.year, p.tm.mon, p.tm.mday = -1, -1, -1
	for i := 0; i < len(s) && s[i] != 0; {
		switch c := s[i]; {
		case isDigit(c):
			p.pendingNumber()
			i += p.digit(s[i:])
			p.touched = true
		case isAlpha(c):
			i += p.alpha(s[i:])
		default:
			i++
		}
	}
	p.pendingNumber()
	return p.update(0), p.touched
}

// update fills unset date fields from now, moves the time back by sec
// seconds and re-reads the fields, as git's update_tm does.
func (p *approxParser) update(sec int64) int64 {
	if p.tm.mday < 0 {
		p.tm.mday = p.now.mday
	}
	if p.tm.mon < 0 {
		p.tm.mon = p.now.mon
	}
	if p.tm.year < 0 {
		p.tm.year = p.now.year
		if p.tm.mon > p.now.mon {
			p.tm.year--
		}
	}
	n := mktimeHinted(p.tm, p.local) - sec
	p.tm = localtime(n, p.local)
	return n
}

// pendingNumber places a number no word claimed: a day of the month,
// else a month, else a year.
func (p *approxParser) pendingNumber() {
	number := p.number
	if number == 0 {
		return
	}
	p.number = 0
	switch {
	case p.tm.mday < 0 && number < 32:
		p.tm.mday = number
	case p.tm.mon < 0 && number < 13:
		p.tm.mon = number - 1
	case p.tm.year < 0:
		switch {
		case number > 1969 && number < 2100:
			p.tm.year = number - 1900
		case number > 69 && number < 100:
			p.tm.year = number
		case number < 38:
			p.tm.year = 100 + number
		}
	}
}

// digit takes a number: a time or date with separators, else a number
// kept for the next word (zero-padded only up to two digits).
func (p *approxParser) digit(s string) int {
	number, end, _ := parseUint(s)
	switch sep := at(s, end); sep {
	case ':', '.', '/', '-':
		if isDigit(at(s, end+1)) {
			strict := &dateParser{input: s, now: p.nowUnix, tm: p.tm.tm, offset: -1}
			if n := strict.matchMultiNumber(number, sep, s, end); n > 0 {
				p.tm.tm = strict.tm
				return n
			}
			p.tm.tm = strict.tm // git's set_date may have written fields
		}
	}
	if s[0] != '0' || end <= 2 {
		p.number = int(int32(number))
	}
	return end
}

// numberNames are the number words approxidate knows ("three days ago").
var numberNames = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// unitLengths are the units "N <unit> ago" counts in, in seconds.
var unitLengths = []struct {
	name   string
	length int32
}{
	{"seconds", 1}, {"minutes", 60}, {"hours", 60 * 60}, {"days", 24 * 60 * 60}, {"weeks", 7 * 24 * 60 * 60},
}

// alpha takes a word: a month, one of the special words, a number word
// or "last", a unit, a weekday, "months" or "years". It returns the
// length of the word.
func (p *approxParser) alpha(s string) int {
	end := 1
	for end < len(s) && isAlpha(s[end]) {
		end++
	}
	for i, name := range monthNames {
		if matchString(s, name) >= 3 {
			p.tm.mon = i
			p.touched = true
			return end
		}
	}
	if p.special(s) {
		p.touched = true
		return end
	}
	if p.number == 0 {
		for i := 1; i < len(numberNames); i++ {
			if matchString(s, numberNames[i]) == len(numberNames[i]) {
				p.number = i
				p.touched = true
				return end
			}
		}
		if matchString(s, "last") == 4 {
			p.number = 1
			p.touched = true
		}
		return end
	}
	if p.relative(s) {
		p.touched = true
	}
	return end
}

// relative handles a word after a number: "<n> days", "<n> fridays",
// "<n> months", "<n> years".
func (p *approxParser) relative(s string) bool {
	for _, unit := range unitLengths {
		if matchString(s, unit.name) >= len(unit.name)-1 {
			// git multiplies in C int, wrapping on overflow.
			p.update(int64(unit.length * int32(p.number)))
			p.number = 0
			return true
		}
	}
	for i, name := range weekdayNames {
		if matchString(s, name) >= 3 {
			n := p.number - 1
			p.number = 0
			diff := p.tm.wday - i
			if diff <= 0 {
				n++
			}
			diff += 7 * n
			p.update(int64(int32(diff) * 24 * 60 * 60))
			return true
		}
	}
	if matchString(s, "months") >= 5 {
		p.update(0)
		n := p.tm.mon - p.number
		p.number = 0
		for n < 0 {
			n += 12
			p.tm.year--
		}
		p.tm.mon = n
		return true
	}
	if matchString(s, "years") >= 4 {
		p.update(0)
		p.tm.year -= p.number
		p.number = 0
		return true
	}
	return false
}

// special handles the words with a fixed meaning.
func (p *approxParser) special(s string) bool {
	switch {
	case matchString(s, "yesterday") == len("yesterday"):
		p.number = 0
		p.update(24 * 60 * 60)
	case matchString(s, "noon") == len("noon"):
		p.setHour(12)
	case matchString(s, "midnight") == len("midnight"):
		p.setHour(0)
	case matchString(s, "tea") == len("tea"):
		p.setHour(17)
	case matchString(s, "PM") == 2:
		p.meridiem(12)
	case matchString(s, "AM") == 2:
		p.meridiem(0)
	case matchString(s, "never") == len("never"):
		p.tm = localtime(0, p.local)
		p.number = 0
	case matchString(s, "now") == len("now"):
		p.number = 0
		p.update(0)
	default:
		return false
	}
	return true
}

// setHour moves to the given hour today, or yesterday if it is still
// to come today.
func (p *approxParser) setHour(hour int) {
	p.pendingNumber()
	if p.tm.hour < hour {
		p.update(24 * 60 * 60)
	}
	p.tm.hour, p.tm.min, p.tm.sec = hour, 0, 0
}

// meridiem applies AM (0) or PM (12) to a pending number or the hour.
func (p *approxParser) meridiem(add int) {
	hour := p.tm.hour
	if p.number != 0 {
		hour = p.number
		p.tm.min, p.tm.sec = 0, 0
	}
	p.number = 0
	p.tm.hour = hour%12 + add
}
