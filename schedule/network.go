package schedule

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// A Network is the scheduling problem of a network of shops: orders (lots)
// whose steps run on the machines and capacity pools of several shops, with
// transport between shops, shop calendars, release and due dates, and
// operations already started. Times are minutes from Epoch.
type Network struct {
	// Epoch is minute 0 of the plan; it must be a midnight in Japan time.
	Epoch time.Time
	// Horizon is how far calendars are expanded, in minutes; a plan that
	// needs more fails. 0 means DefaultHorizon.
	Horizon   int
	Shops     []Shop
	Resources []Resource
	Orders    []Order
	// Transport returns the minutes a lot takes from shop a to shop b.
	// Nil means TransportByDistance over the shops' locations.
	Transport func(a, b int) int
	Objective Objective
}

// DefaultHorizon is the horizon of a Network that does not set one: two
// years.
const DefaultHorizon = 2 * 365 * 24 * 60

// A Shop is a company of the network.
type Shop struct {
	ID       string
	Calendar *Calendar // nil: always open
	Location nakamawashi.LatLon
}

// A Resource is a machine of a shop, or a shop's capacity pool for a black
// box process such as plating or heat treatment.
type Resource struct {
	Shop int
	Name string
	// Capacity is the number of lots processed at once; 0 means 1, a
	// machine.
	Capacity int
	// LeadDays, when positive, makes the resource a lead-time process: a
	// lot that starts on a working day is ready at the close of the
	// LeadDays-th working day after it, whatever its size.
	LeadDays int
	// Down lists times when the resource cannot start or run operations
	// that are not fixed, in minutes from the epoch.
	Down []Span
}

// An Order is a lot: a chain of steps, each starting after the previous one
// ends and the lot has travelled to the next shop.
type Order struct {
	ID      string
	Release int     // the first step starts no earlier
	Due     int     // the last step should end by then
	Weight  float64 // of its tardiness; 0 means 1
	// Firm marks a commitment: Promise never moves its operations.
	Firm  bool
	Steps []Step
}

// A Step is one operation of an order.
type Step struct {
	Quantity int
	Choices  []Choice
	// Fixed, when set, places the step: an operation already started (or
	// committed) keeps its resource and times. The fixed steps of an order
	// come first.
	Fixed *Fixed
}

// A Choice is an eligible resource for a step and its times there.
type Choice struct {
	Resource     int
	Setup        int // minutes of 段取り
	CycleSeconds int // seconds per piece
}

// Work returns the working minutes of a step of qty pieces on c: setup plus
// quantity times cycle time, rounded up to the minute.
func (c Choice) Work(qty int) int {
	return c.Setup + (qty*c.CycleSeconds+59)/60
}

// Fixed places a step on Resource from Start. End is when it ends; 0 means
// when the calendar says its work ends (Start must then be in working
// hours), and a later End records a delay or what really happened.
type Fixed struct {
	Resource, Start, End int
}

// Objective chooses what a plan minimizes. The default is lexicographic:
// the weighted tardiness Σ weight·max(0, finish−due) first, because a late
// delivery is what costs a small shop its customer, and the makespan (the
// last finish) only among plans as punctual, because a plan that finishes
// earlier leaves room for the next inquiry. A positive MakespanWeight
// minimizes the weighted sum instead.
type Objective struct {
	MakespanWeight float64
}

// Score is the value of a plan.
type Score struct {
	WeightedTardiness float64 // Σ weight · minutes late
	Makespan          int     // last finish, in minutes from the epoch
}

// Better reports whether a is a better score than b under o.
func (o Objective) Better(a, b Score) bool {
	if o.MakespanWeight > 0 {
		return a.WeightedTardiness+o.MakespanWeight*float64(a.Makespan) < b.WeightedTardiness+o.MakespanWeight*float64(b.Makespan)-1e-9
	}
	if math.Abs(a.WeightedTardiness-b.WeightedTardiness) > 1e-6 {
		return a.WeightedTardiness < b.WeightedTardiness
	}
	return a.Makespan < b.Makespan
}

// A Plan places every step of every order: Steps[o][s] is step s of order
// o.
type Plan struct {
	Steps [][]Placement
	Score
	Tardy int // orders late
}

// A Placement runs a step on Resource from Start to End.
type Placement struct {
	Resource, Start, End int
}

// Finish returns the end of the last step of order o.
func (p *Plan) Finish(o int) int {
	s := p.Steps[o]
	return s[len(s)-1].End
}

// Minute returns the minute of t in the plan.
func (nw *Network) Minute(t time.Time) int {
	return int(t.Sub(nw.Epoch) / time.Minute)
}

// Time returns the time of minute m of the plan.
func (nw *Network) Time(m int) time.Time {
	return nw.Epoch.Add(time.Duration(m) * time.Minute).In(jst)
}

// TransportByDistance estimates the minutes between two places: an hour of
// loading and unloading plus the road distance (1.3 times the great-circle
// distance) at 30 km/h, a small truck in city traffic. The same place
// takes no time.
func TransportByDistance(a, b nakamawashi.LatLon) int {
	if a == b {
		return 0
	}
	km := 1.3 * nakamawashi.DistanceKM(a, b)
	return 60 + int(math.Ceil(km/30*60))
}

// Validate reports the first reason the network cannot be planned.
func (nw *Network) Validate() error {
	if nw == nil {
		return errors.New("no network")
	}
	e := nw.Epoch.In(jst)
	if e.Hour() != 0 || e.Minute() != 0 || e.Second() != 0 || e.Nanosecond() != 0 {
		return fmt.Errorf("the epoch %v is not a midnight in Japan time", nw.Epoch)
	}
	if len(nw.Orders) == 0 {
		return errors.New("the network has no orders")
	}
	for i, s := range nw.Shops {
		if s.Calendar != nil {
			if err := s.Calendar.Validate(); err != nil {
				return fmt.Errorf("shop %d: %w", i, err)
			}
		}
	}
	for i, r := range nw.Resources {
		if r.Shop < 0 || r.Shop >= len(nw.Shops) {
			return fmt.Errorf("resource %d belongs to shop %d, which does not exist", i, r.Shop)
		}
		if r.Capacity < 0 || r.LeadDays < 0 {
			return fmt.Errorf("resource %d has a negative capacity or lead time", i)
		}
	}
	n := 0
	for o, ord := range nw.Orders {
		if len(ord.Steps) == 0 {
			return fmt.Errorf("order %d has no steps", o)
		}
		if ord.Weight < 0 || ord.Release < 0 {
			return fmt.Errorf("order %d has a negative weight or release", o)
		}
		for s, st := range ord.Steps {
			if n++; n > MaxOperations {
				return fmt.Errorf("the network has more than %d steps", MaxOperations)
			}
			if len(st.Choices) == 0 {
				return fmt.Errorf("order %d step %d has no eligible resource", o, s)
			}
			for _, c := range st.Choices {
				if c.Resource < 0 || c.Resource >= len(nw.Resources) {
					return fmt.Errorf("order %d step %d lists resource %d, which does not exist", o, s, c.Resource)
				}
				if w := c.Work(st.Quantity); c.Setup < 0 || c.CycleSeconds < 0 || st.Quantity < 0 || w > MaxDuration {
					return fmt.Errorf("order %d step %d has work %d on resource %d", o, s, w, c.Resource)
				}
			}
			if f := st.Fixed; f != nil {
				if s > 0 && ord.Steps[s-1].Fixed == nil {
					return fmt.Errorf("order %d step %d is fixed but step %d is not", o, s, s-1)
				}
				if !st.eligible(f.Resource) {
					return fmt.Errorf("order %d step %d is fixed on resource %d, which is not eligible", o, s, f.Resource)
				}
				if f.Start < 0 || f.End != 0 && f.End < f.Start {
					return fmt.Errorf("order %d step %d is fixed at %d–%d", o, s, f.Start, f.End)
				}
			}
		}
	}
	return nil
}

func (st *Step) eligible(r int) bool {
	_, ok := st.choice(r)
	return ok
}

func (st *Step) choice(r int) (Choice, bool) {
	for _, c := range st.Choices {
		if c.Resource == r {
			return c, true
		}
	}
	return Choice{}, false
}

func (o *Order) weight() float64 {
	if o.Weight == 0 {
		return 1
	}
	return o.Weight
}

// score computes the score of placements and the number of late orders.
func (nw *Network) score(steps [][]Placement) (Score, int) {
	var sc Score
	tardy := 0
	for o, st := range steps {
		f := st[len(st)-1].End
		sc.Makespan = max(sc.Makespan, f)
		if late := f - nw.Orders[o].Due; late > 0 {
			sc.WeightedTardiness += nw.Orders[o].weight() * float64(late)
			tardy++
		}
	}
	return sc, tardy
}
