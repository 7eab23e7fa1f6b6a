package nakamawashi

import (
	"strings"
	"time"
)

// Date is a calendar day in Japan: no time of day, no zone. The zero Date
// is "no date". It is kept as midnight UTC of that day, so that two Dates
// compare with == and Before, and is written as 2006-01-02 in JSON, forms
// and the database.
type Date struct{ t time.Time }

// DateLayout is how a Date is written.
const DateLayout = "2006-01-02"

// MakeDate returns the day y-m-d; out-of-range days roll over as in time.Date.
func MakeDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the day in Japan at instant t.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	j := t.In(JST)
	return MakeDate(j.Year(), j.Month(), j.Day())
}

// ParseDate reads 2006-01-02 (full-width digits and slashes accepted). An
// empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(strings.ReplaceAll(NormalizeWidth(s), "/", "-"))
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Year() < 1900 || t.Year() > 2999 {
		return Date{}, Errorf(EINVALID, "err.date")
	}
	return Date{t}, nil
}

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of the day, the form document rendering and
// holiday lookups take.
func (d Date) Time() time.Time { return d.t }

// String returns 2006-01-02, or "" for no date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// AddDays returns the day n days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return Date{d.t.AddDate(0, 0, n)}
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// DaysUntil returns the number of days from d to e (negative if e is
// earlier). It counts in seconds since the epoch rather than with
// time.Sub, whose Duration saturates at about 292 years.
func (d Date) DaysUntil(e Date) int { return int((e.t.Unix() - d.t.Unix()) / 86400) }

// Workday reports whether d is a working day on the default shop calendar:
// not a Saturday, Sunday or national holiday.
func (d Date) Workday() bool {
	if wd := d.t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := IsHoliday(d.t)
	return !holiday
}

// AddWorkdays returns the day n working days after d (n ≥ 0): with n = 0,
// d itself if it is a working day, else the next working day.
func (d Date) AddWorkdays(n int) Date {
	if d.IsZero() {
		return d
	}
	for !d.Workday() {
		d = d.AddDays(1)
	}
	for ; n > 0; n-- {
		d = d.AddDays(1)
		for !d.Workday() {
			d = d.AddDays(1)
		}
	}
	return d
}

// EndOfMonth returns the last day of d's month.
func (d Date) EndOfMonth() Date {
	return MakeDate(d.t.Year(), d.t.Month()+1, 0)
}

// MarshalText implements encoding.TextMarshaler (JSON writes "" for no date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MaxDate returns the later of two days.
func MaxDate(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}
