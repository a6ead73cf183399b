package gitdate

import "time"

// dateParser is the state of git's strict date parser, the one idents
// use (approx.go has approxidate, with its "yesterday" and
// "3.days.ago"). It walks the string token by token, letting each number
// or word fill in whichever field it looks like.
type dateParser struct {
	input  string
	now    int64
	tm     tm
	offset int  // minutes east of UTC, -1 until a zone is seen
	gmt    bool // the date was given as seconds since the epoch
}

// scan reads the input up to its end or first newline.
func (p *dateParser) scan() {
	s := p.input
	for i := 0; i < len(s) && s[i] != '\n'; {
		c := s[i]
		n := 0
		switch {
		case isAlpha(c):
			n = p.matchAlpha(s[i:])
		case isDigit(c):
			n = p.matchDigit(s[i:])
		case (c == '-' || c == '+') && isDigit(at(s, i+1)):
			n = p.matchZone(s[i:])
		}
		if n <= 0 {
			n = 1 // anything else is skipped
		}
		i += n
	}
}

// result turns the fields into a date; the local zone supplies the
// offset when the string named none.
func (p *dateParser) result(local *time.Location) (Date, bool) {
	stamp := p.tm.seconds()
	if stamp == -1 {
		return Date{}, false
	}
	if p.offset == -1 {
		localStamp := p.tm.mktime(stamp, local)
		if stamp > localStamp {
			p.offset = int((stamp - localStamp) / 60)
		} else {
			p.offset = -int((localStamp - stamp) / 60)
		}
	}
	if !p.gmt {
		stamp -= int64(p.offset) * 60
	}
	return Date{Unix: stamp, Offset: p.offset}, true
}

var monthNames = [12]string{
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
}

var weekdayNames = [7]string{
	"Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
}

// zoneNames are the zone abbreviations git knows, with their offset in
// hours and whether they are summer time (which adds an hour).
var zoneNames = []struct {
	name   string
	offset int
	dst    bool
}{
	{"IDLW", -12, false}, {"NT", -11, false}, {"CAT", -10, false}, {"HST", -10, false},
	{"HDT", -10, true}, {"YST", -9, false}, {"YDT", -9, true}, {"PST", -8, false},
	{"PDT", -8, true}, {"MST", -7, false}, {"MDT", -7, true}, {"CST", -6, false},
	{"CDT", -6, true}, {"EST", -5, false}, {"EDT", -5, true}, {"AST", -3, false},
	{"ADT", -3, true}, {"WAT", -1, false},
	{"GMT", 0, false}, {"UTC", 0, false}, {"Z", 0, false},
	{"WET", 0, false}, {"BST", 0, true}, {"CET", 1, false}, {"MET", 1, false},
	{"MEWT", 1, false}, {"MEST", 1, true}, {"CEST", 1, true}, {"MESZ", 1, true},
	{"FWT", 1, false}, {"FST", 1, true}, {"EET", 2, false}, {"EEST", 2, true},
	{"WAST", 7, false}, {"WADT", 7, true}, {"CCT", 8, false}, {"JST", 9, false},
	{"EAST", 10, false}, {"EADT", 10, true}, {"GST", 10, false}, {"NZT", 12, false},
	{"NZST", 12, false}, {"NZDT", 12, true}, {"IDLE", 12, false},
}

// matchString returns how many leading characters of s match word
// (ignoring case) when the match ends at a non-alphanumeric character or
// the end of s, and 0 when s goes on with a letter or digit word lacks.
func matchString(s, word string) int {
	i := 0
	for ; i < len(s); i++ {
		w := at(word, i)
		if s[i] == w || upper(s[i]) == upper(w) {
			continue
		}
		if !isAlpha(s[i]) && !isDigit(s[i]) {
			break
		}
		return 0
	}
	return i
}

// matchAlpha takes a month, weekday, zone name, AM or PM.
func (p *dateParser) matchAlpha(s string) int {
	for i, name := range monthNames {
		if n := matchString(s, name); n >= 3 {
			p.tm.mon = i
			return n
		}
	}
	for _, name := range weekdayNames {
		if n := matchString(s, name); n >= 3 {
			return n
		}
	}
	for _, zone := range zoneNames {
		if n := matchString(s, zone.name); n >= 3 || n == len(zone.name) {
			if p.offset == -1 {
				off := zone.offset
				if zone.dst {
					off++ // git takes every zone as in summer
				}
				p.offset = 60 * off
			}
			return n
		}
	}
	if matchString(s, "PM") == 2 {
		p.tm.hour = p.tm.hour%12 + 12
		return 2
	}
	if matchString(s, "AM") == 2 {
		p.tm.hour = p.tm.hour % 12
		return 2
	}
	n := 1
	for n < len(s) && isAlpha(s[n]) {
		n++
	}
	return n
}

// matchZone takes "+hhmm", "+hh" or "+hh:mm".
func (p *dateParser) matchZone(s string) int {
	value, n, _ := parseUint(s[1:])
	hour, min := int64(int32(value)), int64(0)
	end := 1 + n
	switch {
	case n == 4:
		hour, min = hour/100, hour%100
	case n != 2:
		min = 99
	case at(s, end) == ':':
		// C's strtoul also takes white space and a sign here.
		m, used := strtol(s[end+1:])
		min = int64(int32(m))
		end += 1 + used
		if end-1 != 5 {
			min = 99
		}
	}
	if min < 60 && hour < 24 {
		offset := int(hour*60 + min)
		if s[0] == '-' {
			offset = -offset
		}
		p.offset = offset
	}
	return end
}

// mktime is C's mktime of the fields in the local zone; wall is the same
// fields read as UTC. Go's time.Date agrees with glibc except for a local
// time skipped by a DST change, where glibc picks the reading that lands
// in summer time.
func (t *tm) mktime(wall int64, local *time.Location) int64 {
	goStamp := time.Date(t.year+1900, time.Month(t.mon+1), t.mday,
		t.hour, t.min, t.sec, 0, local).Unix()
	var inGap []int64
	for _, probe := range []int64{wall - 86400, wall, wall + 86400} {
		_, offset := time.Unix(probe, 0).In(local).Zone()
		instant := wall - int64(offset)
		if _, actual := time.Unix(instant, 0).In(local).Zone(); actual == offset {
			return goStamp // the reading exists (maybe twice: Go's pick matches glibc's)
		}
		if time.Unix(instant, 0).In(local).IsDST() {
			inGap = append(inGap, instant)
		}
	}
	if len(inGap) > 0 {
		return inGap[0]
	}
	return goStamp
}
