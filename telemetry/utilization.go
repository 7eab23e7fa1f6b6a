package telemetry

import (
	"slices"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

// A Span is a stretch of time [Start, End), such as planned working time.
type Span struct {
	Start, End time.Time
}

// jst is Japan Standard Time: a shop's calendar days are Japan dates.
var jst = time.FixedZone("Asia/Tokyo", 9*60*60)

// Day returns midnight in Japan time of the day t falls on.
func Day(t time.Time) time.Time {
	y, m, d := t.In(jst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, jst)
}

// Planned returns the planned (working) time of the shop calendar from the
// day of from to the day of to inclusive, as spans in time order. A nil
// calendar plans no time.
func Planned(cal *schedule.Calendar, from, to time.Time) []Span {
	if cal == nil {
		return nil
	}
	var out []Span
	for day := Day(from); !day.After(Day(to)); day = day.AddDate(0, 0, 1) {
		for _, w := range cal.Working(day) {
			out = append(out, Span{day.Add(time.Duration(w.From) * time.Minute), day.Add(time.Duration(w.To) * time.Minute)})
		}
	}
	return out
}

// A Shift is a named part of the working day, such as 午前 (8:30–12:00):
// spans of minutes from midnight. A span may run past midnight (To up to
// 48 h) for a night shift; it then belongs to the day it starts on.
type Shift struct {
	Name  string
	Spans []schedule.Span
}

// PlannedShift returns the planned time of the shift on the day of day: the
// shift's spans where the shop calendar works (that day's working hours,
// and the next day's for the part past midnight).
func PlannedShift(cal *schedule.Calendar, day time.Time, sh Shift) []Span {
	day = Day(day)
	var shift []Span
	for _, s := range sh.Spans {
		shift = append(shift, Span{day.Add(time.Duration(s.From) * time.Minute), day.Add(time.Duration(s.To) * time.Minute)})
	}
	return intersect(shift, Planned(cal, day, day.AddDate(0, 0, 1)))
}

// Utilization is running time against planned time.
type Utilization struct {
	Running time.Duration // running within the planned time
	Planned time.Duration
}

// Ratio returns 稼働率, Running / Planned, or 0 when nothing was planned.
func (u Utilization) Ratio() float64 {
	if u.Planned <= 0 {
		return 0
	}
	return u.Running.Seconds() / u.Planned.Seconds()
}

// Utilize returns the running time of the intervals within the planned
// spans, and the planned time. Running outside the planned time (overtime)
// does not count, so the ratio is at most 1 for one machine. The intervals
// should be one machine's; for several machines, plan each (see Daily).
func Utilize(ivs []Interval, planned []Span) Utilization {
	planned = merge(planned)
	var u Utilization
	for _, p := range planned {
		u.Planned += p.End.Sub(p.Start)
	}
	var run []Span
	for _, iv := range ivs {
		if iv.State == Running {
			run = append(run, Span{iv.Start, iv.End})
		}
	}
	for _, s := range intersect(run, planned) {
		u.Running += s.End.Sub(s.Start)
	}
	return u
}

// A DayUtilization is the utilization of one machine on one day; with
// Machine "" it is the whole company's (all machines' running time against
// each machine's planned time).
type DayUtilization struct {
	Machine string
	Day     time.Time // midnight, Japan time
	Utilization
}

// Daily returns the utilization per machine per day, over the days the
// intervals touch, by machine and then day; each day's company figure
// (Machine "") follows the machines. Machines are planned by the one shop
// calendar.
func Daily(ivs []Interval, cal *schedule.Calendar) []DayUtilization {
	if len(ivs) == 0 {
		return nil
	}
	byMachine := map[string][]Interval{}
	first, last := ivs[0].Start, ivs[0].End
	for _, iv := range ivs {
		byMachine[iv.Machine] = append(byMachine[iv.Machine], iv)
		if iv.Start.Before(first) {
			first = iv.Start
		}
		if iv.End.After(last) {
			last = iv.End
		}
	}
	machines := make([]string, 0, len(byMachine))
	for m := range byMachine {
		machines = append(machines, m)
	}
	slices.Sort(machines)
	var out, company []DayUtilization
	for day := Day(first); day.Before(last); day = day.AddDate(0, 0, 1) {
		planned := Planned(cal, day, day)
		all := DayUtilization{Day: day}
		for _, m := range machines {
			u := Utilize(byMachine[m], planned)
			out = append(out, DayUtilization{Machine: m, Day: day, Utilization: u})
			all.Running += u.Running
			all.Planned += u.Planned
		}
		company = append(company, all)
	}
	return append(out, company...)
}

// Counts are a machine's production counts over a period, for OEE.
type Counts struct {
	Total      int           // parts made
	Good       int           // parts that passed inspection
	IdealCycle time.Duration // the ideal time for one part
}

// OEE keeps the three factors of overall equipment effectiveness apart, as
// a shop reads them: Availability = running time / planned time,
// Performance = ideal cycle × total count / running time, Quality = good /
// total. Performance and Quality are known only where the counts are.
type OEE struct {
	Availability float64
	Performance  float64
	Quality      float64
	// HasPerformance and HasQuality say whether the counts gave them.
	HasPerformance, HasQuality bool
}

// ComputeOEE returns the OEE factors of a period. Performance needs a total
// count, an ideal cycle and running time; Quality a total count.
func ComputeOEE(u Utilization, c Counts) OEE {
	o := OEE{Availability: u.Ratio()}
	if c.Total > 0 && c.IdealCycle > 0 && u.Running > 0 {
		o.Performance = c.IdealCycle.Seconds() * float64(c.Total) / u.Running.Seconds()
		o.HasPerformance = true
	}
	if c.Total > 0 && c.Good >= 0 && c.Good <= c.Total {
		o.Quality = float64(c.Good) / float64(c.Total)
		o.HasQuality = true
	}
	return o
}

// Overall returns Availability × Performance × Quality when all three are
// known.
func (o OEE) Overall() (float64, bool) {
	if !o.HasPerformance || !o.HasQuality {
		return 0, false
	}
	return o.Availability * o.Performance * o.Quality, true
}

// merge sorts spans and joins the ones that overlap or touch; empty spans
// go.
func merge(spans []Span) []Span {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b Span) int { return a.Start.Compare(b.Start) })
	var out []Span
	for _, x := range s {
		if !x.End.After(x.Start) {
			continue
		}
		if n := len(out); n > 0 && !x.Start.After(out[n-1].End) {
			if x.End.After(out[n-1].End) {
				out[n-1].End = x.End
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// intersect returns the time in both a and b, as sorted disjoint spans.
func intersect(a, b []Span) []Span {
	a, b = merge(a), merge(b)
	var out []Span
	for i, j := 0, 0; i < len(a) && j < len(b); {
		s, e := a[i].Start, a[i].End
		if b[j].Start.After(s) {
			s = b[j].Start
		}
		if b[j].End.Before(e) {
			e = b[j].End
		}
		if e.After(s) {
			out = append(out, Span{s, e})
		}
		if a[i].End.Before(b[j].End) {
			i++
		} else {
			j++
		}
	}
	return out
}
