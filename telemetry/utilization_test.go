package telemetry_test

import (
	"math"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// clock returns 2024-05-13 (a Monday) at h:m in Japan time.
func clock(h, m int) time.Time { return time.Date(2024, 5, 13, h, m, 0, 0, t0.Location()) }

// shopDay is two machines' Monday against the standard calendar (8:30–12:00
// and 13:00–17:30, 480 min planned):
//
//	lathe: running within planned time 8:30–10:00 90, 10:30–12:00 90,
//	       13:00–17:00 240, 17:15–17:30 15 = 435 min → 435/480 = 0.90625
//	mc:    running 9:00–11:00 = 120 min → 0.25
//	company: 555/960 = 0.578125
func shopDay() []telemetry.Interval {
	iv := func(m string, s telemetry.State, h1, m1, h2, m2 int) telemetry.Interval {
		return telemetry.Interval{Machine: m, State: s, Start: clock(h1, m1), End: clock(h2, m2)}
	}
	return []telemetry.Interval{
		iv("lathe", telemetry.Running, 8, 0, 10, 0),
		iv("lathe", telemetry.Idle, 10, 0, 10, 30),
		iv("lathe", telemetry.Running, 10, 30, 12, 30), // runs into the lunch break
		iv("lathe", telemetry.Off, 12, 30, 13, 0),
		iv("lathe", telemetry.Running, 13, 0, 17, 0),
		iv("lathe", telemetry.Alarm, 17, 0, 17, 15),
		iv("lathe", telemetry.Running, 17, 15, 18, 0), // overtime does not count
		iv("mc", telemetry.Setup, 8, 30, 9, 0),
		iv("mc", telemetry.Running, 9, 0, 11, 0),
		iv("mc", telemetry.Idle, 11, 0, 18, 0),
	}
}

func TestUtilizationDay(t *testing.T) {
	cal := schedule.StandardCalendar()
	got := telemetry.Daily(shopDay(), cal)
	want := []struct {
		machine string
		running time.Duration
		ratio   float64
	}{
		{"lathe", 435 * time.Minute, 0.90625},
		{"mc", 120 * time.Minute, 0.25},
		{"", 555 * time.Minute, 0.578125},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d figures %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		planned := 480 * time.Minute
		if w.machine == "" {
			planned *= 2
		}
		if g.Machine != w.machine || g.Running != w.running || g.Planned != planned || g.Ratio() != w.ratio {
			t.Errorf("%d: got %s running %v planned %v ratio %v; want %s %v %v %v", i, g.Machine, g.Running, g.Planned, g.Ratio(), w.machine, w.running, planned, w.ratio)
		}
		if !g.Day.Equal(clock(0, 0)) {
			t.Errorf("%d: day %v", i, g.Day)
		}
	}
}

func TestUtilizationShiftsAndDaysOff(t *testing.T) {
	cal := schedule.StandardCalendar()
	var lathe []telemetry.Interval
	for _, iv := range shopDay() {
		if iv.Machine == "lathe" {
			lathe = append(lathe, iv)
		}
	}
	morning := telemetry.Shift{Name: "午前", Spans: []schedule.Span{{From: 8 * 60, To: 12 * 60}}}
	u := telemetry.Utilize(lathe, telemetry.PlannedShift(cal, clock(10, 0), morning))
	if u.Running != 180*time.Minute || u.Planned != 210*time.Minute {
		t.Errorf("morning: got %v of %v, want 3h0m of 3h30m", u.Running, u.Planned)
	}
	// Saturday and Sunday plan nothing; the ratio of nothing is 0.
	sat := clock(9, 0).AddDate(0, 0, 5)
	if p := telemetry.Planned(cal, sat, sat.AddDate(0, 0, 1)); len(p) != 0 {
		t.Errorf("weekend planned %v", p)
	}
	weekend := []telemetry.Interval{{Machine: "lathe", State: telemetry.Running, Start: sat, End: sat.Add(3 * time.Hour)}}
	days := telemetry.Daily(weekend, cal)
	if len(days) != 2 || days[0].Running != 0 || days[0].Ratio() != 0 {
		t.Errorf("weekend: %+v", days)
	}
	// A night shift 22:00–6:00 from Monday, where the shop works round the
	// clock on Monday and until 5:00 on Tuesday: 2 h + 5 h planned.
	night := &schedule.Calendar{}
	night.Week[time.Monday] = []schedule.Span{{From: 0, To: 24 * 60}}
	night.Week[time.Tuesday] = []schedule.Span{{From: 0, To: 5 * 60}}
	p := telemetry.PlannedShift(night, clock(0, 0), telemetry.Shift{Name: "夜勤", Spans: []schedule.Span{{From: 22 * 60, To: 30 * 60}}})
	var total time.Duration
	for _, s := range p {
		total += s.End.Sub(s.Start)
	}
	if total != 7*time.Hour {
		t.Errorf("night shift planned %v, want 7h: %v", total, p)
	}
	if telemetry.Planned(nil, clock(0, 0), clock(23, 0)) != nil {
		t.Error("a nil calendar plans time")
	}
}

func TestOEE(t *testing.T) {
	u := telemetry.Utilization{Running: 435 * time.Minute, Planned: 480 * time.Minute}
	// 80 parts at an ideal 5 min each, 76 good.
	o := telemetry.ComputeOEE(u, telemetry.Counts{Total: 80, Good: 76, IdealCycle: 5 * time.Minute})
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if !near(o.Availability, 0.90625) || !o.HasPerformance || !near(o.Performance, 400.0/435) || !o.HasQuality || !near(o.Quality, 0.95) {
		t.Errorf("got %+v", o)
	}
	if all, ok := o.Overall(); !ok || !near(all, 0.90625*400/435*0.95) {
		t.Errorf("overall %v %v", all, ok)
	}
	// Without counts only availability is known.
	o = telemetry.ComputeOEE(u, telemetry.Counts{})
	if o.HasPerformance || o.HasQuality || !near(o.Availability, 0.90625) {
		t.Errorf("no counts: %+v", o)
	}
	if _, ok := o.Overall(); ok {
		t.Error("overall without counts")
	}
	// Counts without an ideal cycle give quality only.
	o = telemetry.ComputeOEE(u, telemetry.Counts{Total: 10, Good: 9})
	if o.HasPerformance || !o.HasQuality || !near(o.Quality, 0.9) {
		t.Errorf("no cycle: %+v", o)
	}
}

func TestLiveness(t *testing.T) {
	var l telemetry.Liveness
	if !l.Offline(at(0)) {
		t.Error("never heard: online")
	}
	l.Heard(at(0))
	if l.Offline(at(60)) {
		t.Error("offline at 60 s of silence")
	}
	if since, off := l.OfflineSince(at(60.5)); !off || !since.Equal(at(60)) {
		t.Errorf("at 60.5 s: offline %v since %v, want since 60 s", off, since)
	}
	l.Heard(at(30))
	l.Heard(at(10)) // late, out of order: the last message is still at 30
	if !l.Offline(at(91)) {
		t.Error("an old message moved the last seen time")
	}
	l.Heard(at(100))
	l.Will(at(110))
	if l.Offline(at(105)) || !l.Offline(at(110)) {
		t.Error("last will")
	}
	if since, _ := l.OfflineSince(at(111)); !since.Equal(at(110)) {
		t.Errorf("offline since %v, want the will's arrival", since)
	}
	l.Heard(at(120)) // the device reconnected
	if l.Offline(at(121)) {
		t.Error("offline after reconnecting")
	}
	if seen, ok := l.LastSeen(); !ok || !seen.Equal(at(120)) {
		t.Errorf("last seen %v", seen)
	}
	short := telemetry.Liveness{Silence: 5 * time.Second}
	short.Heard(at(0))
	if !short.Offline(at(6)) {
		t.Error("custom silence")
	}
}
