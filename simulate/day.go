package simulate

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// jst is Japan Standard Time: shop days are Japan dates.
var jst = time.FixedZone("Asia/Tokyo", 9*60*60)

// A Change is a machine entering a state at a time.
type Change struct {
	At    time.Time
	State telemetry.State
}

// Shift is a shop's working day, as offsets from midnight (Japan time).
type Shift struct {
	Start, LunchStart, LunchEnd, End time.Duration
}

// DefaultShift is 8:00–17:00 with lunch from 12:00 to 13:00.
var DefaultShift = Shift{Start: 8 * time.Hour, LunchStart: 12 * time.Hour, LunchEnd: 13 * time.Hour, End: 17 * time.Hour}

// Day returns midnight in Japan time of the day t falls on.
func Day(t time.Time) time.Time {
	y, m, d := t.In(jst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, jst)
}

// WorkDay reports whether the shops work on the day of t: Monday to
// Friday, except national holidays (nakamawashi.IsHoliday), お盆 (8/13–8/16)
// and 年末年始 (12/29–1/3).
func WorkDay(t time.Time) bool {
	day := Day(t)
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	if _, ok := nakamawashi.IsHoliday(day); ok {
		return false
	}
	m, d := day.Month(), day.Day()
	switch {
	case m == time.August && d >= 13 && d <= 16:
		return false
	case m == time.December && d >= 29, m == time.January && d <= 3:
		return false
	}
	return true
}

// Planned returns the shift's working time on the day of day: the morning
// and the afternoon, nothing on a day off.
func (sh Shift) Planned(day time.Time) []telemetry.Span {
	if !WorkDay(day) {
		return nil
	}
	d := Day(day)
	return []telemetry.Span{{Start: d.Add(sh.Start), End: d.Add(sh.LunchStart)}, {Start: d.Add(sh.LunchEnd), End: d.Add(sh.End)}}
}

// Plan returns what the machine does on the day of day, as changes in time
// order from midnight: off at midnight and, on a work day, powered on a
// little before the shift, jobs (a setup, then running in blocks with
// short waits for material or measuring between them, now and then an
// alarm and its clearing), idle over lunch, idle at the end of the shift
// and off a little after. The day is the same every time for one machine
// (seeded by the machine's id and the date), and its utilization within
// the shift stays between 42% and 83%.
func Plan(machineID int64, day time.Time, sh Shift) []Change {
	d := Day(day)
	off := []Change{{At: d, State: telemetry.Off}}
	if !WorkDay(d) {
		return off
	}
	seed := uint64(d.Unix()/86400)*0x9e3779b97f4a7c15 ^ uint64(machineID)*0xbf58476d1ce4e5b9
	rng := rand.New(rand.NewPCG(seed, uint64(machineID)))
	planned := sh.Planned(d)
	var best []Change
	bestDist := time.Duration(1 << 62)
	for range 30 {
		chs := planDay(rng, d, sh)
		u := telemetry.Utilize(Intervals(chs, d.AddDate(0, 0, 1)), planned).Ratio()
		if u >= 0.42 && u <= 0.83 {
			return chs
		}
		// Keep the closest, should no attempt land within the bounds.
		dist := time.Duration(max(0.42-u, u-0.83) * float64(time.Hour))
		if dist < bestDist {
			best, bestDist = chs, dist
		}
	}
	return best
}

// minutes returns a random duration from lo to hi minutes.
func minutes(rng *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+rng.IntN(hi-lo+1)) * time.Minute
}

// planDay draws one work day.
func planDay(rng *rand.Rand, d time.Time, sh Shift) []Change {
	var out []Change
	set := func(at time.Time, s telemetry.State) {
		if n := len(out); n > 0 {
			if out[n-1].State == s {
				return
			}
			if !at.After(out[n-1].At) {
				out[n-1].State = s // the earlier state lasted no time
				if n > 1 && out[n-2].State == s {
					out = out[:n-1]
				}
				return
			}
		}
		out = append(out, Change{At: at, State: s})
	}
	set(d, telemetry.Off)
	on := d.Add(sh.Start - minutes(rng, 5, 20))
	set(on, telemetry.Idle) // powered on, warming up
	t := d.Add(sh.Start + minutes(rng, 0, 10))
	jobLeft := time.Duration(0) // running time left of the current job

	// work runs jobs from t until end; the job under way goes on after.
	work := func(end time.Time) {
		for t.Before(end) {
			if jobLeft <= 0 {
				set(t, telemetry.Setup)
				t = t.Add(minutes(rng, 15, 50))
				jobLeft = minutes(rng, 60, 240)
				continue
			}
			block := min(jobLeft, minutes(rng, 25, 80))
			if t.Add(block).After(end) {
				block = end.Sub(t)
			}
			set(t, telemetry.Running)
			if rng.IntN(100) < 5 { // an alarm, cleared by the operator
				ran := time.Duration(rng.Int64N(int64(block/time.Second)+1)) * time.Second
				at := t.Add(ran)
				if at.Before(end) {
					jobLeft -= ran
					set(at, telemetry.Alarm)
					at = at.Add(minutes(rng, 3, 20))
					set(at, telemetry.Idle) // cleared; checking the part
					t = at.Add(minutes(rng, 2, 8))
					continue
				}
			}
			t = t.Add(block)
			jobLeft -= block
			if jobLeft > 0 && t.Before(end) {
				set(t, telemetry.Idle) // waiting for material, measuring
				t = t.Add(minutes(rng, 3, 15))
			}
		}
	}
	lunch := d.Add(sh.LunchStart + minutes(rng, 0, 5) - 3*time.Minute)
	work(lunch)
	set(lunch, telemetry.Idle)
	t = d.Add(sh.LunchEnd + minutes(rng, 0, 10))
	if t.Before(lunch) {
		t = lunch.Add(time.Minute)
	}
	end := d.Add(sh.End + minutes(rng, 0, 25) - 10*time.Minute)
	work(end)
	set(end, telemetry.Idle)
	set(end.Add(minutes(rng, 5, 20)), telemetry.Off)
	return out
}

// Changes returns the machine's changes from the state in effect at from
// (whose At is when it began, at or before from) to before to.
func Changes(machineID int64, from, to time.Time, sh Shift) []Change {
	var all []Change
	for day := Day(from).AddDate(0, 0, -1); day.Before(to); day = day.AddDate(0, 0, 1) {
		for _, c := range Plan(machineID, day, sh) {
			if n := len(all); n > 0 && all[n-1].State == c.State {
				continue // off at midnight after an evening off
			}
			all = append(all, c)
		}
	}
	i, _ := slices.BinarySearchFunc(all, from, func(c Change, t time.Time) int { return c.At.Compare(t) })
	if i == len(all) || all[i].At.After(from) {
		i-- // the day before always starts with a change at its midnight
	}
	j, _ := slices.BinarySearchFunc(all, to, func(c Change, t time.Time) int { return c.At.Compare(t) })
	return all[i:j]
}

// Intervals turns changes into intervals ending at end: each lasts until
// the next change.
func Intervals(chs []Change, end time.Time) []telemetry.Interval {
	var out []telemetry.Interval
	for i, c := range chs {
		e := end
		if i+1 < len(chs) {
			e = chs[i+1].At
		}
		if e.After(c.At) {
			out = append(out, telemetry.Interval{State: c.State, Start: c.At, End: e})
		}
	}
	return out
}

// History returns the machine's state intervals from the state in effect at
// from to to, as the store keeps them: the last one open when it is still
// going on at to. deviceID is the reporting device.
func History(machineID, deviceID int64, from, to time.Time, sh Shift) []nakamawashi.StateInterval {
	chs := Changes(machineID, from, to, sh)
	out := make([]nakamawashi.StateInterval, 0, len(chs))
	for i, c := range chs {
		iv := nakamawashi.StateInterval{MachineID: machineID, DeviceID: deviceID, State: c.State.String(), Start: c.At.UTC()}
		if i+1 < len(chs) {
			iv.End = chs[i+1].At.UTC()
		}
		out = append(out, iv)
	}
	return out
}
