package schedule_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/schedule"
)

// smallNetwork has shop 0 with a lathe (resource 0) and shop 1 with a mill
// (1) and a plating pool for two lots with a lead time of one working day
// (2), both on the standard calendar, two hours apart. The epoch is
// Friday 2026-09-18; Saturday to Wednesday are off (a weekend, then 敬老の日,
// 国民の休日 and 秋分の日). Order 0 turns (70 minutes) then mills (40),
// order 1 turns (100), orders 2 and 3 are plated.
func smallNetwork() *schedule.Network {
	return &schedule.Network{
		Epoch: time.Date(2026, 9, 18, 0, 0, 0, 0, jst),
		Shops: []schedule.Shop{{ID: "大田", Calendar: schedule.StandardCalendar()}, {ID: "川口", Calendar: schedule.StandardCalendar()}},
		Resources: []schedule.Resource{
			{Shop: 0, Name: "旋盤"}, {Shop: 1, Name: "フライス"}, {Shop: 1, Name: "めっき", Capacity: 2, LeadDays: 1},
		},
		Transport: func(a, b int) int {
			if a == b {
				return 0
			}
			return 120
		},
		Orders: []schedule.Order{
			{ID: "A", Due: 2 * 1440, Steps: []schedule.Step{
				{Quantity: 10, Choices: []schedule.Choice{{Resource: 0, Setup: 60, CycleSeconds: 60}}},
				{Quantity: 10, Choices: []schedule.Choice{{Resource: 1, Setup: 30, CycleSeconds: 60}}},
			}},
			{ID: "B", Due: 2 * 1440, Steps: []schedule.Step{{Quantity: 1, Choices: []schedule.Choice{{Resource: 0, Setup: 100}}}}},
			{ID: "C", Due: 2 * 1440, Steps: []schedule.Step{{Quantity: 5, Choices: []schedule.Choice{{Resource: 2}}}}},
			{ID: "D", Due: 2 * 1440, Steps: []schedule.Step{{Quantity: 5, Choices: []schedule.Choice{{Resource: 2}}}}},
		},
	}
}

// smallPlan is a feasible plan of smallNetwork, worked out by hand.
func smallPlan() *schedule.Plan {
	plating := schedule.Placement{Resource: 2, Start: 510, End: 6*1440 + 1050} // to the close of Thursday 9/24
	return &schedule.Plan{Steps: [][]schedule.Placement{
		{{Resource: 0, Start: 510, End: 580}, {Resource: 1, Start: 700, End: 800}}, // 11:40–12:00, 13:00–13:20
		{{Resource: 0, Start: 580, End: 680}},
		{plating},
		{plating},
	}}
}

func TestCheckNetwork(t *testing.T) {
	tests := []struct {
		name   string
		change func(*schedule.Network, *schedule.Plan)
		want   error
	}{
		{"valid", func(*schedule.Network, *schedule.Plan) {}, nil},
		{"missing step", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[0] = p.Steps[0][:1] }, schedule.ErrMissing},
		{"ineligible", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[1][0].Resource = 1 }, schedule.ErrIneligible},
		{"too short", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[1][0].End = 670 }, schedule.ErrDuration},
		{"before opening", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[0][0].Start = 450 }, schedule.ErrCalendar},
		{"over lunch", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[0][1].Start, p.Steps[0][1].End = 700, 740 }, schedule.ErrCalendar},
		{"on a holiday", func(_ *schedule.Network, p *schedule.Plan) {
			p.Steps[2][0].Start = 4*1440 + 510 // 国民の休日 9/22
		}, schedule.ErrCalendar},
		{"lead time", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[2][0].End = 1050 }, schedule.ErrDuration},
		{"precedence", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[0][1].Start, p.Steps[0][1].End = 560, 600 }, schedule.ErrPrecedence},
		{"transport", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[0][1].Start, p.Steps[0][1].End = 600, 640 }, schedule.ErrTransport},
		{"release", func(nw *schedule.Network, _ *schedule.Plan) { nw.Orders[1].Release = 600 }, schedule.ErrRelease},
		{"machine overlap", func(_ *schedule.Network, p *schedule.Plan) { p.Steps[1][0].Start, p.Steps[1][0].End = 540, 640 }, schedule.ErrOverlap},
		{"pool capacity", func(nw *schedule.Network, _ *schedule.Plan) { nw.Resources[2].Capacity = 1 }, schedule.ErrOverlap},
		{"fixed moved", func(nw *schedule.Network, _ *schedule.Plan) {
			nw.Orders[1].Steps[0].Fixed = &schedule.Fixed{Resource: 0, Start: 600}
		}, schedule.ErrFixed},
		{"down", func(nw *schedule.Network, _ *schedule.Plan) {
			nw.Resources[0].Down = []schedule.Span{{From: 500, To: 520}}
		}, schedule.ErrDown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nw, p := smallNetwork(), smallPlan()
			nw.Resources = slices.Clone(nw.Resources)
			tt.change(nw, p)
			_, err := schedule.CheckNetwork(nw, p)
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestNetworkCalendar plans work that does not fit on Friday: it must pause
// over the weekend and the three holidays and end on Thursday, and the
// plating lot must come back at Thursday's close.
func TestNetworkCalendar(t *testing.T) {
	nw := smallNetwork()
	nw.Orders = nw.Orders[1:3]
	nw.Orders[0].Steps[0].Choices[0].Setup = 600 // 480 minutes on Friday, 120 on Thursday
	p := planOnce(t, nw)
	if got, want := p.Steps[0][0], (schedule.Placement{Resource: 0, Start: 510, End: 6*1440 + 630}); got != want {
		t.Errorf("turning: got %+v, want %+v", got, want)
	}
	if got, want := p.Steps[1][0], (schedule.Placement{Resource: 2, Start: 510, End: 6*1440 + 1050}); got != want {
		t.Errorf("plating: got %+v, want %+v", got, want)
	}
	// Released on the holiday, the work starts on Thursday morning.
	nw.Orders[0].Release = 4*1440 + 600
	p = planOnce(t, nw)
	if got := p.Steps[0][0].Start; got != 6*1440+510 {
		t.Errorf("released on a holiday: starts at %d (%v), want Thursday 8:30", got, nw.Time(got))
	}
}

// TestNetworkTransport plans order 0 and checks the lot's travel between
// the shops, and the default transport from the shops' distance.
func TestNetworkTransport(t *testing.T) {
	nw := smallNetwork()
	nw.Orders = nw.Orders[:1]
	p := planOnce(t, nw)
	if a, b := p.Steps[0][0], p.Steps[0][1]; b.Start < a.End+120 || b.Start != 700 {
		t.Errorf("milling starts at %d, turning ends at %d; want 120 minutes of transport, start 700", b.Start, a.End)
	}
	nw.Transport = nil
	nw.Shops[0].Location.Lat, nw.Shops[0].Location.Lon = 35.561, 139.716 // 大田区
	nw.Shops[1].Location.Lat, nw.Shops[1].Location.Lon = 35.808, 139.724 // 川口市
	d := schedule.TransportByDistance(nw.Shops[0].Location, nw.Shops[1].Location)
	if d < 100 || d > 150 {
		t.Errorf("大田区 to 川口市 takes %d minutes, want about two hours", d)
	}
	p = planOnce(t, nw)
	if a, b := p.Steps[0][0], p.Steps[0][1]; b.Start < a.End+d {
		t.Errorf("milling starts at %d, turning ends at %d, transport %d", b.Start, a.End, d)
	}
}

func planOnce(t *testing.T, nw *schedule.Network) *schedule.Plan {
	t.Helper()
	res, err := schedule.PlanNetwork(t.Context(), nw, schedule.PlanOptions{MaxIterations: 50, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.CheckNetwork(nw, res.Plan); err != nil {
		t.Fatal(err)
	}
	return res.Plan
}
