package schedule

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// A Span is a half-open interval [From, To) of minutes: minutes from
// midnight in a Calendar's week, minutes from the plan's epoch elsewhere.
type Span struct {
	From, To int
}

// A Calendar says when a shop works: working hours per weekday, closed on
// the national holidays of Japan (nakamawashi.IsHoliday) unless
// WorkOnHolidays, and closed on the shop's own holidays. Dates are Japan
// time.
type Calendar struct {
	// Week holds the working hours of each weekday, indexed by
	// time.Weekday (Sunday is 0), as sorted, disjoint spans of minutes
	// from midnight, e.g. {510, 720}, {780, 1050} for 8:30–12:00 and
	// 13:00–17:30.
	Week [7][]Span
	// WorkOnHolidays keeps the weekly hours on national holidays.
	WorkOnHolidays bool
	// Closed lists shop holidays of particular years, dates inclusive.
	Closed []DateRange
	// Annual lists shop holidays that come back every year, such as お盆
	// (8/13–8/16) and 年末年始 (12/29–1/3, which wraps over the new year).
	Annual []AnnualRange
}

// A DateRange is the days from From to To inclusive, taken as dates in
// Japan time.
type DateRange struct {
	From, To time.Time
}

// An AnnualRange is the days from FromMonth/FromDay to ToMonth/ToDay
// inclusive, every year; when it ends before it starts it wraps over the
// new year.
type AnnualRange struct {
	FromMonth time.Month
	FromDay   int
	ToMonth   time.Month
	ToDay     int
}

// StandardCalendar returns the calendar of a typical small shop: Monday to
// Friday 8:30–12:00 and 13:00–17:30, closed on national holidays, for お盆
// (8/13–8/16) and for 年末年始 (12/29–1/3).
func StandardCalendar() *Calendar {
	c := &Calendar{Annual: []AnnualRange{{8, 13, 8, 16}, {12, 29, 1, 3}}}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Week[d] = []Span{{510, 720}, {780, 1050}}
	}
	return c
}

// Validate reports the first ill-formed part of the calendar.
func (c *Calendar) Validate() error {
	for d, spans := range c.Week {
		last := 0
		for _, s := range spans {
			if s.From < last || s.To <= s.From || s.To > 24*60 {
				return fmt.Errorf("the working hours of %v are not sorted, disjoint spans within the day", time.Weekday(d))
			}
			last = s.To
		}
	}
	for _, r := range c.Annual {
		if r.FromMonth < 1 || r.FromMonth > 12 || r.ToMonth < 1 || r.ToMonth > 12 || r.FromDay < 1 || r.FromDay > 31 || r.ToDay < 1 || r.ToDay > 31 {
			return fmt.Errorf("annual holiday %d/%d–%d/%d is not a pair of dates", r.FromMonth, r.FromDay, r.ToMonth, r.ToDay)
		}
	}
	return nil
}

// Working returns the working hours on the date of day in Japan time, as
// spans of minutes from midnight; nil on a day off.
func (c *Calendar) Working(day time.Time) []Span {
	day = day.In(jst)
	y, m, d := day.Date()
	date := time.Date(y, m, d, 0, 0, 0, 0, jst)
	if !c.WorkOnHolidays {
		if _, ok := nakamawashi.IsHoliday(date); ok {
			return nil
		}
	}
	for _, r := range c.Closed {
		if !date.Before(dateOf(r.From)) && !date.After(dateOf(r.To)) {
			return nil
		}
	}
	md := int(m)*100 + d
	for _, r := range c.Annual {
		from, to := int(r.FromMonth)*100+r.FromDay, int(r.ToMonth)*100+r.ToDay
		if from <= to && md >= from && md <= to || from > to && (md >= from || md <= to) {
			return nil
		}
	}
	return c.Week[date.Weekday()]
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.In(jst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, jst)
}

// jst is Japan Standard Time (no daylight saving since 1951).
var jst = time.FixedZone("Asia/Tokyo", 9*60*60)

// never is a time later than any horizon.
const never = 1 << 30 // minutes: some 2,000 years, and an int on 32-bit machines too

// timeline is a calendar expanded over a plan's horizon for the solver:
// the working spans in minutes from the epoch, with the working minutes
// before each, and the working days with their closing times.
type timeline struct {
	from, to []int
	cum      []int // cum[i] is the working time before span i; one more entry
	days     []int // day numbers (from the epoch) of working days
	closes   []int // closing minute of each working day
}

// newTimeline expands c over days [0, ndays) from epoch, a midnight in
// Japan time; a nil calendar is always open.
func newTimeline(c *Calendar, epoch time.Time, ndays int) *timeline {
	tl := &timeline{}
	for d := range ndays {
		var spans []Span
		if c == nil {
			spans = []Span{{0, 24 * 60}}
		} else {
			spans = c.Working(epoch.AddDate(0, 0, d))
		}
		if len(spans) == 0 {
			continue
		}
		base := d * 24 * 60
		for _, s := range spans {
			if n := len(tl.to); n > 0 && tl.to[n-1] == base+s.From {
				tl.to[n-1] = base + s.To // merge across midnight
				continue
			}
			tl.from = append(tl.from, base+s.From)
			tl.to = append(tl.to, base+s.To)
		}
		tl.days = append(tl.days, d)
		tl.closes = append(tl.closes, base+spans[len(spans)-1].To)
	}
	tl.cum = make([]int, len(tl.from)+1)
	for i := range tl.from {
		tl.cum[i+1] = tl.cum[i] + tl.to[i] - tl.from[i]
	}
	return tl
}

// next returns the first working minute at or after t, or never.
func (tl *timeline) next(t int) int {
	i := sort.SearchInts(tl.to, t+1) // first span ending after t
	if i == len(tl.to) {
		return never
	}
	return max(t, tl.from[i])
}

// finish returns when work of d minutes started at working minute s ends,
// pausing outside working hours; never beyond the horizon.
func (tl *timeline) finish(s, d int) int {
	if d == 0 || s >= never {
		return s
	}
	i := sort.SearchInts(tl.to, s+1)
	if i == len(tl.to) {
		return never
	}
	target := tl.cum[i] + max(s-tl.from[i], 0) + d
	j := i + sort.SearchInts(tl.cum[i+1:], target) // first span whose end reaches target
	if j >= len(tl.from) {
		return never
	}
	return tl.from[j] + target - tl.cum[j]
}

// leadEnd returns the close of the n-th working day after the day of
// working minute s.
func (tl *timeline) leadEnd(s, n int) int {
	if s >= never {
		return never
	}
	k, _ := slices.BinarySearch(tl.days, s/(24*60))
	if k+n >= len(tl.days) {
		return never
	}
	return tl.closes[k+n]
}
