package simulate_test

import (
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/simulate"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

var jst = time.FixedZone("Asia/Tokyo", 9*60*60)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, jst) }

// TestPlanWeekday: every machine's weekday has a utilization between 40%
// and 85% of the shift, at least one setup, power off at night, and
// intervals that follow each other.
func TestPlanWeekday(t *testing.T) {
	sh := simulate.DefaultShift
	alarms := 0
	days := 0
	// Two weeks of 2026 in April without holidays: 4/6–4/10, 4/13–4/17.
	for _, day := range []time.Time{date(2026, 4, 6), date(2026, 4, 7), date(2026, 4, 8), date(2026, 4, 9), date(2026, 4, 10),
		date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 15), date(2026, 4, 16), date(2026, 4, 17)} {
		for machine := int64(1); machine <= 60; machine++ {
			days++
			chs := simulate.Plan(machine, day, sh)
			ivs := simulate.Intervals(chs, day.AddDate(0, 0, 1))
			u := telemetry.Utilize(ivs, sh.Planned(day)).Ratio()
			if u < 0.40 || u > 0.85 {
				t.Errorf("machine %d on %s: utilization %.2f, want 40%%–85%%", machine, day.Format(time.DateOnly), u)
			}
			setups := 0
			for i, c := range chs {
				if c.State == telemetry.Setup {
					setups++
				}
				if c.State == telemetry.Alarm {
					alarms++
					if i+1 >= len(chs) || chs[i+1].State == telemetry.Alarm {
						t.Errorf("machine %d on %s: an alarm that is not cleared", machine, day.Format(time.DateOnly))
					}
				}
				if i > 0 && (!c.At.After(chs[i-1].At) || c.State == chs[i-1].State) {
					t.Errorf("machine %d on %s: change %d (%v at %s) does not follow %v at %s", machine, day.Format(time.DateOnly), i, c.State, c.At, chs[i-1].State, chs[i-1].At)
				}
			}
			if setups == 0 {
				t.Errorf("machine %d on %s: no setup", machine, day.Format(time.DateOnly))
			}
			if chs[0].State != telemetry.Off || !chs[0].At.Equal(day) || chs[len(chs)-1].State != telemetry.Off {
				t.Errorf("machine %d on %s: the day does not start and end off: %v", machine, day.Format(time.DateOnly), chs)
			}
			for _, c := range chs[1:] {
				if h := c.At.Sub(day); h < 7*time.Hour || h > 18*time.Hour {
					t.Errorf("machine %d on %s: %v at %s, outside the shop's hours", machine, day.Format(time.DateOnly), c.State, c.At.Format(time.TimeOnly))
				}
			}
		}
	}
	// Occasional: some days have an alarm, most don't.
	if alarms == 0 || alarms > days/2 {
		t.Errorf("%d alarms in %d machine-days: want an occasional alarm", alarms, days)
	}
	// The same day comes out every time.
	a, b := simulate.Plan(7, date(2026, 4, 8), sh), simulate.Plan(7, date(2026, 4, 8), sh)
	if len(a) != len(b) || a[len(a)/2] != b[len(b)/2] {
		t.Error("Plan is not repeatable")
	}
}

// TestPlanDaysOff: nothing runs on a Sunday, a Saturday, a national holiday
// or in 年末年始.
func TestPlanDaysOff(t *testing.T) {
	for _, day := range []time.Time{date(2026, 4, 12), date(2026, 4, 11), date(2026, 4, 29), date(2026, 5, 4), date(2026, 12, 30), date(2027, 1, 2)} {
		for machine := int64(1); machine <= 20; machine++ {
			chs := simulate.Plan(machine, day, simulate.DefaultShift)
			ivs := simulate.Intervals(chs, day.AddDate(0, 0, 1))
			if len(ivs) != 1 || ivs[0].State != telemetry.Off || ivs[0].Duration() != 24*time.Hour {
				t.Errorf("machine %d on %s (%s): %v, want off all day", machine, day.Format(time.DateOnly), day.Weekday(), ivs)
			}
			if u := telemetry.Utilize(ivs, []telemetry.Span{{Start: day.Add(8 * time.Hour), End: day.Add(17 * time.Hour)}}); u.Running != 0 {
				t.Errorf("machine %d on %s: running %s", machine, day.Format(time.DateOnly), u.Running)
			}
		}
	}
}

// TestChanges: the state in effect comes first, with its start; days join
// without a repeated state; History's intervals follow each other with the
// last one open.
func TestChanges(t *testing.T) {
	sh := simulate.DefaultShift
	from := date(2026, 4, 8).Add(10*time.Hour + 17*time.Minute)
	to := from.AddDate(0, 0, 3)
	chs := simulate.Changes(3, from, to, sh)
	if chs[0].At.After(from) {
		t.Fatalf("first change at %s, after %s", chs[0].At, from)
	}
	for i := 1; i < len(chs); i++ {
		if !chs[i].At.After(from) || !chs[i].At.Before(to) || chs[i].State == chs[i-1].State || !chs[i].At.After(chs[i-1].At) {
			t.Fatalf("change %d: %v after %v", i, chs[i], chs[i-1])
		}
	}
	h := simulate.History(3, 9, from, to, sh)
	if len(h) != len(chs) || !h[len(h)-1].Open() {
		t.Fatalf("history of %d intervals for %d changes, last %+v", len(h), len(chs), h[len(h)-1])
	}
	for i := 0; i+1 < len(h); i++ {
		if !h[i].End.Equal(h[i+1].Start) || h[i].DeviceID != 9 {
			t.Fatalf("interval %d %+v does not meet %+v", i, h[i], h[i+1])
		}
	}
}
