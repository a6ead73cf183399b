package gitdate

import "time"

// matchDigit takes a number: seconds since the epoch, a time or date
// with separators, a compact ISO 8601 date or time, a year, a numeric
// zone, a day, a two-digit year or a month, judged by its length and
// what is already known.
func (p *dateParser) matchDigit(s string) int {
	num, end, _ := parseUint(s)
	if num >= 100000000 && p.tm.nodate() {
		if p.tm.setFromUnix(int64(num)) {
			p.gmt = true
			return end
		}
	}
	switch sep := at(s, end); sep {
	case ':', '.', '/', '-':
		if isDigit(at(s, end+1)) {
			if n := p.matchMultiNumber(num, sep, s, end); n > 0 {
				return n
			}
		}
	}
	n := 1
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == 8 || n == 6 {
		return p.matchCompactISO(num, n, s, end)
	}
	if n == 4 {
		if num <= 1400 && p.offset == -1 {
			p.offset = int(num/100*60 + num%100)
		} else if num > 1900 && num < 2100 {
			p.tm.year = int(num) - 1900
		}
		return n
	}
	if n > 2 {
		return n
	}
	// A day of the month takes precedence: "01 Apr 05" is April 1st.
	if num > 0 && num < 32 && p.tm.mday < 0 {
		p.tm.mday = int(num)
		return n
	}
	if n == 2 && p.tm.year < 0 {
		if num < 10 && p.tm.mday >= 0 {
			p.tm.year = int(num) + 100
			return n
		}
		if num >= 70 {
			p.tm.year = int(num)
			return n
		}
	}
	if num > 0 && num < 13 && p.tm.mon < 0 {
		p.tm.mon = int(num) - 1
	}
	return n
}

// matchCompactISO takes YYYYmmDD or HHMMSS (with a fraction of a second
// that is skipped).
func (p *dateParser) matchCompactISO(num uint64, n int, s string, end int) int {
	first, second, third := int64(num/10000), int64(num%10000/100), int64(num%100)
	if n == 8 {
		p.setDate(int32(first), int32(second), int32(third), false)
		return end
	}
	if p.setTime(int64(uint32(first)), second, third) && at(s, end) == '.' && isDigit(at(s, end+1)) {
		_, skip, _ := parseUint(s[end+1:])
		end += 1 + skip
	}
	return end
}

// matchMultiNumber takes num<sep>num[<sep>num]: a time for ':', a date
// in one of several orders otherwise. It returns 0 when nothing fits.
func (p *dateParser) matchMultiNumber(num uint64, sep byte, s string, end int) int {
	num2, used := strtol(s[end+1:])
	end += 1 + used
	num3 := int64(-1)
	if at(s, end) == sep && isDigit(at(s, end+1)) {
		num3, used = strtol(s[end+1:])
		end += 1 + used
	}
	if sep == ':' {
		if num3 < 0 {
			num3 = 0
		}
		if !p.setTime(int64(num), num2, num3) {
			return 0
		}
		// A fraction of a second after a full date is skipped.
		if at(s, end) == '.' && isDigit(at(s, end+1)) && p.tm.dateKnown() {
			_, skip := strtol(s[end+1:])
			end += 1 + skip
		}
		return end
	}
	if p.matchNumericDate(num, int32(num2), int32(num3), sep) {
		return end
	}
	return 0
}

// matchNumericDate tries the orders git accepts for a numeric date:
// yyyy-mm-dd, yyyy-dd-mm, mm/dd/yy (not with '.'), dd.mm.yy, mm.dd.yy.
// The first number is compared whole but passed on cut to C's int, as
// git does.
func (p *dateParser) matchNumericDate(first uint64, num2, num3 int32, sep byte) bool {
	num := int32(first)
	if first > 70 {
		if p.setDate(num, num2, num3, false) || p.setDate(num, num3, num2, false) {
			return true
		}
	}
	if sep != '.' && p.setDate(num3, num, num2, true) {
		return true
	}
	if p.setDate(num3, num2, num, true) {
		return true
	}
	return sep == '.' && p.setDate(num3, num, num2, true)
}

// setDate stores a date if month and day are plausible. When
// refuseFuture is set it works on a copy and refuses dates more than ten
// days from now; when not, it writes month and day straight into the
// fields, even when it then rejects the year (git does the same).
func (p *dateParser) setDate(year, month, day int32, refuseFuture bool) bool {
	if month <= 0 || month >= 13 || day <= 0 || day >= 32 {
		return false
	}
	check := p.tm
	r := &p.tm
	if refuseFuture {
		r = &check
	}
	r.mon = int(month) - 1
	r.mday = int(day)
	switch {
	case year == -1:
		if !refuseFuture {
			return false
		}
		r.year = time.Unix(p.now, 0).UTC().Year() - 1900
	case year >= 1970 && year < 2100:
		r.year = int(year) - 1900
	case year > 70 && year < 100:
		r.year = int(year)
	case year < 38:
		r.year = int(year) + 100
	default:
		return false
	}
	if !refuseFuture {
		return true
	}
	if specified := r.seconds(); specified != -1 && p.now+10*24*3600 < specified {
		return false
	}
	p.tm.mon, p.tm.mday = r.mon, r.mday
	if year != -1 {
		p.tm.year = r.year
	}
	return true
}

// setTime stores a time of day; second 60 is allowed for leap seconds.
func (p *dateParser) setTime(hour, minute, second int64) bool {
	if hour < 0 || hour > 24 || minute < 0 || minute >= 60 || second < 0 || second > 60 {
		return false
	}
	p.tm.hour, p.tm.min, p.tm.sec = int(hour), int(minute), int(second)
	return true
}
