package schedule_test

import (
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

func TestCalendarWorking(t *testing.T) {
	c := schedule.StandardCalendar()
	c.Closed = []schedule.DateRange{{From: time.Date(2026, 10, 5, 0, 0, 0, 0, jst), To: time.Date(2026, 10, 6, 0, 0, 0, 0, jst)}}
	tests := []struct {
		date string
		open bool
	}{
		{"2026-09-18", true},  // Friday
		{"2026-09-19", false}, // Saturday
		{"2026-09-21", false}, // 敬老の日
		{"2026-09-22", false}, // 国民の休日
		{"2026-09-24", true},
		{"2026-08-12", true},
		{"2026-08-13", false}, // お盆
		{"2026-08-17", true},
		{"2026-12-28", true},
		{"2026-12-29", false}, // 年末年始, over the new year
		{"2027-01-04", true},
		{"2027-01-01", false},
		{"2026-10-05", false}, // the shop's own days off
		{"2026-10-06", false},
		{"2026-10-07", true},
	}
	for _, tt := range tests {
		d, _ := time.ParseInLocation(time.DateOnly, tt.date, jst)
		if got := len(c.Working(d)) > 0; got != tt.open {
			t.Errorf("%s: open %v, want %v", tt.date, got, tt.open)
		}
	}
	c.WorkOnHolidays = true
	if d := time.Date(2026, 9, 22, 0, 0, 0, 0, jst); len(c.Working(d)) == 0 {
		t.Error("WorkOnHolidays: closed on 9/22")
	}
}

// TestNetworkNightShift plans work on a shop open around the clock on
// weekdays: the work runs through midnight without a pause.
func TestNetworkNightShift(t *testing.T) {
	nw := smallNetwork()
	c := &schedule.Calendar{}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Week[d] = []schedule.Span{{From: 0, To: 24 * 60}}
	}
	nw.Shops[0].Calendar = c
	nw.Orders = nw.Orders[1:2]
	nw.Orders[0].Release = 20 * 60 // Friday 20:00
	nw.Orders[0].Steps[0].Choices[0].Setup = 300
	p := planOnce(t, nw)
	// Friday 20:00–24:00, then the weekend and three holidays off, then
	// Thursday 0:00–1:00.
	if got, want := p.Steps[0][0], (schedule.Placement{Resource: 0, Start: 1200, End: 6*1440 + 60}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	nw.Epoch = time.Date(2026, 9, 14, 0, 0, 0, 0, jst) // a Monday
	p = planOnce(t, nw)
	if got, want := p.Steps[0][0], (schedule.Placement{Resource: 0, Start: 1200, End: 1200 + 300}); got != want {
		t.Errorf("Monday night: got %+v, want %+v", got, want)
	}
}
