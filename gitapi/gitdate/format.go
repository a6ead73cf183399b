package gitdate

import (
	"fmt"
	"time"
)

// The show_date formats below render d as git log and for-each-ref do
// for --date=<mode> and the %ad/%ai/%aI/%aD/%at placeholders. Each reads
// the date in its own zone (not the local one).

// Default is --date=default (%ad): "Thu Apr 7 15:13:13 2005 -0700".
func (d Date) Default() string {
	t, zone := d.wallClock()
	return fmt.Sprintf("%s %s %d %02d:%02d:%02d %d %s", t.Weekday().String()[:3], t.Month().String()[:3],
		t.Day(), t.Hour(), t.Minute(), t.Second(), t.Year(), zone)
}

// ISO8601 is --date=iso (%ai): "2005-04-07 15:13:13 -0700".
func (d Date) ISO8601() string {
	t, zone := d.wallClock()
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d %s", t.Year(), int(t.Month()), t.Day(),
		t.Hour(), t.Minute(), t.Second(), zone)
}

// ISO8601Strict is --date=iso-strict (%aI): "2005-04-07T15:13:13-07:00".
func (d Date) ISO8601Strict() string {
	t, _ := d.wallClock()
	hhmm := d.ZoneHHMM()
	sign := '+'
	if hhmm < 0 {
		sign, hhmm = '-', -hhmm
	}
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t.Year(), int(t.Month()), t.Day(),
		t.Hour(), t.Minute(), t.Second(), sign, hhmm/100, hhmm%100)
}

// RFC2822 is --date=rfc (%aD): "Thu, 7 Apr 2005 15:13:13 -0700".
func (d Date) RFC2822() string {
	t, zone := d.wallClock()
	return fmt.Sprintf("%s, %d %s %d %02d:%02d:%02d %s", t.Weekday().String()[:3], t.Day(),
		t.Month().String()[:3], t.Year(), t.Hour(), t.Minute(), t.Second(), zone)
}

// Short is --date=short: "2005-04-07".
func (d Date) Short() string {
	t, _ := d.wallClock()
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
}

// UnixString is --date=unix and %at: the seconds alone.
func (d Date) UnixString() string {
	return fmt.Sprintf("%d", uint64(d.Unix))
}

// wallClock is the date's clock reading in its own zone and the zone as
// git prints it (%+05d of the decimal zone).
func (d Date) wallClock() (time.Time, string) {
	return time.Unix(d.Unix+int64(d.Offset)*60, 0).UTC(), fmt.Sprintf("%+05d", d.ZoneHHMM())
}
