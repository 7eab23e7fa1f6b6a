package schedule

import (
	"errors"
	"fmt"
	"slices"
)

// More kinds of violation, reported by CheckNetwork besides ErrMissing,
// ErrIneligible, ErrDuration, ErrPrecedence and ErrOverlap.
var (
	ErrTransport = errors.New("step starts before the lot arrives")
	ErrCalendar  = errors.New("work outside the shop's working hours")
	ErrRelease   = errors.New("step starts before the order's release")
	ErrFixed     = errors.New("fixed step moved")
	ErrDown      = errors.New("step on a resource while it is down")
)

// CheckNetwork verifies that p is a feasible plan of nw and returns its
// score: every step is placed once on an eligible resource; it starts in
// working hours of the resource's shop and ends when its work has been done
// in working hours (its setup plus quantity times cycle, with no leading or
// trailing time off), or for a lead-time resource at the close of the
// LeadDays-th working day after its start; the first step starts no earlier
// than the release, and every other no earlier than the previous step's
// end plus the transport between their shops; no resource holds more lots
// at once than its capacity; nothing that is not fixed runs on a resource
// while it is down; and fixed steps are where they were fixed.
//
// CheckNetwork shares no timing code with the solver: it walks the
// calendar day by day.
func CheckNetwork(nw *Network, p *Plan) (Score, error) {
	if err := nw.Validate(); err != nil {
		return Score{}, fmt.Errorf("invalid network: %w", err)
	}
	if p == nil || len(p.Steps) != len(nw.Orders) {
		return Score{}, fmt.Errorf("%w: the plan does not have the network's orders", ErrMissing)
	}
	type use struct{ o, s, from, to int }
	perRes := make([][]use, len(nw.Resources))
	for o, ord := range nw.Orders {
		if len(p.Steps[o]) != len(ord.Steps) {
			return Score{}, fmt.Errorf("%w: order %d has %d steps in the plan, not %d", ErrMissing, o, len(p.Steps[o]), len(ord.Steps))
		}
		for s, st := range ord.Steps {
			pl := p.Steps[o][s]
			c, ok := st.choice(pl.Resource)
			if !ok {
				return Score{}, fmt.Errorf("%w: order %d step %d on resource %d", ErrIneligible, o, s, pl.Resource)
			}
			res := nw.Resources[pl.Resource]
			if f := st.Fixed; f != nil {
				if pl.Resource != f.Resource || pl.Start != f.Start || f.End != 0 && pl.End != f.End {
					return Score{}, fmt.Errorf("%w: order %d step %d fixed on resource %d at %d–%d, planned on %d at %d–%d",
						ErrFixed, o, s, f.Resource, f.Start, f.End, pl.Resource, pl.Start, pl.End)
				}
			}
			if st.Fixed == nil || st.Fixed.End == 0 {
				if err := checkTimes(nw, nw.Shops[res.Shop].Calendar, res.LeadDays, c.Work(st.Quantity), pl); err != nil {
					return Score{}, fmt.Errorf("order %d step %d on resource %d (%d–%d): %w", o, s, pl.Resource, pl.Start, pl.End, err)
				}
			}
			if st.Fixed == nil {
				for _, d := range res.Down {
					if pl.Start < d.To && d.From < pl.End || pl.Start == pl.End && d.From <= pl.Start && pl.Start < d.To {
						return Score{}, fmt.Errorf("%w: order %d step %d on resource %d (%d–%d) and down time %d–%d", ErrDown, o, s, pl.Resource, pl.Start, pl.End, d.From, d.To)
					}
				}
			}
			if s == 0 {
				if pl.Start < ord.Release {
					return Score{}, fmt.Errorf("%w: order %d starts at %d, released at %d", ErrRelease, o, pl.Start, ord.Release)
				}
			} else {
				prev := p.Steps[o][s-1]
				if pl.Start < prev.End {
					return Score{}, fmt.Errorf("%w: order %d step %d starts at %d before step %d ends at %d", ErrPrecedence, o, s, pl.Start, s-1, prev.End)
				}
				a, b := nw.Resources[prev.Resource].Shop, res.Shop
				var t int
				if nw.Transport != nil {
					t = nw.Transport(a, b)
				} else {
					t = TransportByDistance(nw.Shops[a].Location, nw.Shops[b].Location)
				}
				if pl.Start < prev.End+t && st.Fixed == nil {
					return Score{}, fmt.Errorf("%w: order %d step %d starts at %d, the lot leaves shop %d at %d and takes %d minutes to shop %d",
						ErrTransport, o, s, pl.Start, a, prev.End, t, b)
				}
			}
			if pl.End > pl.Start {
				perRes[pl.Resource] = append(perRes[pl.Resource], use{o, s, pl.Start, pl.End})
			}
		}
	}
	for r, uses := range perRes {
		capacity := max(1, nw.Resources[r].Capacity)
		slices.SortFunc(uses, func(a, b use) int { return a.from - b.from })
		var ends []int // ends of the lots on the resource, at the current start
		for _, u := range uses {
			ends = slices.DeleteFunc(ends, func(e int) bool { return e <= u.from })
			if len(ends) >= capacity {
				return Score{}, fmt.Errorf("%w: resource %d holds %d lots at %d, with order %d step %d; its capacity is %d",
					ErrOverlap, r, len(ends)+1, u.from, u.o, u.s, capacity)
			}
			ends = append(ends, u.to)
		}
	}
	sc, _ := nw.score(p.Steps)
	return sc, nil
}

// checkTimes verifies that pl is what a step of the given work, or of the
// given lead time, takes under calendar c, walking day by day.
func checkTimes(nw *Network, c *Calendar, leadDays, work int, pl Placement) error {
	const day = 24 * 60
	spans := func(d int) []Span {
		if c == nil {
			return []Span{{0, day}}
		}
		return c.Working(nw.Epoch.AddDate(0, 0, d))
	}
	working := func(t int) bool { // whether minute [t, t+1) is working time
		d := floorDay(t)
		for _, s := range spans(d) {
			if t-d*day >= s.From && t-d*day < s.To {
				return true
			}
		}
		return false
	}
	if pl.Start < 0 || pl.End < pl.Start {
		return fmt.Errorf("%w: it ends before it starts", ErrDuration)
	}
	if leadDays > 0 {
		if !working(pl.Start) {
			return fmt.Errorf("%w: it starts at a time off", ErrCalendar)
		}
		d, n := floorDay(pl.Start), 0
		for limit := d + 3660; n < leadDays; {
			if d++; d > limit {
				return fmt.Errorf("%w: no working days", ErrCalendar)
			}
			if len(spans(d)) > 0 {
				n++
			}
		}
		ss := spans(d)
		if want := d*day + ss[len(ss)-1].To; pl.End != want {
			return fmt.Errorf("%w: a lead time of %d working days ends at %d", ErrDuration, leadDays, want)
		}
		return nil
	}
	if work == 0 {
		if pl.End != pl.Start {
			return fmt.Errorf("%w: no work, but it lasts", ErrDuration)
		}
		return nil
	}
	if !working(pl.Start) || pl.End > pl.Start && !working(pl.End-1) {
		return fmt.Errorf("%w: it starts or ends in time off", ErrCalendar)
	}
	done := 0
	for d := floorDay(pl.Start); d*day < pl.End; d++ {
		for _, s := range spans(d) {
			from, to := max(pl.Start, d*day+s.From), min(pl.End, d*day+s.To)
			if to > from {
				done += to - from
			}
		}
	}
	if done != work {
		return fmt.Errorf("%w: %d working minutes between start and end, for %d minutes of work", ErrDuration, done, work)
	}
	return nil
}

func floorDay(t int) int {
	if t < 0 {
		return (t - 24*60 + 1) / (24 * 60)
	}
	return t / (24 * 60)
}
