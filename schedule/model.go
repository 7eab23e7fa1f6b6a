package schedule

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// model is a Network compiled for the solver: steps numbered 0..n-1 order
// by order, calendars expanded into timelines, transport as a matrix, and
// the fixed operations and down times as busy spans of the resources.
type model struct {
	nw      *Network
	horizon int
	tls     []*timeline // per shop
	trans   []int32     // trans[a*shops+b]
	shops   int
	rShop   []int32
	rCap    []int32
	rLead   []int32
	first   []int32 // first step of each order, plus n
	ordOf   []int32
	chOff   []int32 // choices of v are chRes/chWork[chOff[v]:chOff[v+1]]
	chRes   []int32
	chWork  []int
	tail    []int         // least work from v to the end of its order
	fixed   []Placement   // of fixed steps; Resource -1 for the others
	base    [][][]Span    // busy spans of each slot of each resource before planning
	ops     [][]Placement // scratch shape of a plan
}

func compile(nw *Network) (*model, error) {
	if err := nw.Validate(); err != nil {
		return nil, err
	}
	m := &model{nw: nw, horizon: nw.Horizon, shops: len(nw.Shops)}
	if m.horizon <= 0 {
		m.horizon = DefaultHorizon
	}
	days := m.horizon/(24*60) + 1
	byCal := map[*Calendar]*timeline{}
	for _, s := range nw.Shops {
		tl, ok := byCal[s.Calendar]
		if !ok {
			tl = newTimeline(s.Calendar, nw.Epoch, days)
			byCal[s.Calendar] = tl
		}
		m.tls = append(m.tls, tl)
	}
	m.trans = make([]int32, m.shops*m.shops)
	for a := range m.shops {
		for b := range m.shops {
			var t int
			if nw.Transport != nil {
				t = nw.Transport(a, b)
			} else {
				t = TransportByDistance(nw.Shops[a].Location, nw.Shops[b].Location)
			}
			if t < 0 {
				return nil, fmt.Errorf("negative transport time from shop %d to shop %d", a, b)
			}
			m.trans[a*m.shops+b] = int32(t)
		}
	}
	nr := len(nw.Resources)
	m.rShop, m.rCap, m.rLead = make([]int32, nr), make([]int32, nr), make([]int32, nr)
	m.base = make([][][]Span, nr)
	fixedOn := make([][][]Span, nr) // fixed steps only, per slot
	for r, res := range nw.Resources {
		m.rShop[r], m.rCap[r], m.rLead[r] = int32(res.Shop), int32(max(1, res.Capacity)), int32(res.LeadDays)
		m.base[r], fixedOn[r] = make([][]Span, m.rCap[r]), make([][]Span, m.rCap[r])
		for _, d := range res.Down {
			for k := range m.base[r] {
				m.base[r][k] = insertBusy(m.base[r][k], d)
			}
		}
	}
	v := int32(0)
	for _, o := range nw.Orders {
		m.first = append(m.first, v)
		m.ops = append(m.ops, make([]Placement, len(o.Steps)))
		for _, st := range o.Steps {
			m.ordOf = append(m.ordOf, int32(len(m.first)-1))
			m.chOff = append(m.chOff, int32(len(m.chRes)))
			for _, c := range st.Choices {
				m.chRes = append(m.chRes, int32(c.Resource))
				m.chWork = append(m.chWork, c.Work(st.Quantity))
			}
			m.fixed = append(m.fixed, Placement{Resource: -1})
			v++
		}
	}
	m.first = append(m.first, v)
	m.chOff = append(m.chOff, int32(len(m.chRes)))
	m.tail = make([]int, v)
	for o := len(m.first) - 2; o >= 0; o-- {
		acc := 0
		for u := m.first[o+1] - 1; u >= m.first[o]; u-- {
			least := never
			for i := m.chOff[u]; i < m.chOff[u+1]; i++ {
				least = min(least, m.duration(i))
			}
			acc += least
			m.tail[u] = acc
		}
	}
	// Fixed steps go on the first slot they fit.
	for o, ord := range nw.Orders {
		for s, st := range ord.Steps {
			f := st.Fixed
			if f == nil {
				continue
			}
			u := m.first[o] + int32(s)
			p := Placement{Resource: f.Resource, Start: f.Start, End: f.End}
			if p.End == 0 {
				p.End = m.end(f.Resource, m.chWork[m.choiceOf(u, f.Resource)], f.Start)
			}
			if p.End >= never {
				return nil, fmt.Errorf("order %d step %d is fixed beyond the horizon", o, s)
			}
			m.fixed[u] = p
			placed := false
			for k, busy := range fixedOn[f.Resource] {
				i := sort.Search(len(busy), func(i int) bool { return busy[i].To > p.Start })
				if i == len(busy) || busy[i].From >= p.End {
					fixedOn[f.Resource][k] = insertBusy(busy, Span{p.Start, p.End})
					m.base[f.Resource][k] = insertBusy(m.base[f.Resource][k], Span{p.Start, p.End})
					placed = true
					break
				}
			}
			if !placed {
				return nil, fmt.Errorf("order %d step %d: the fixed steps on resource %d exceed its capacity", o, s, f.Resource)
			}
		}
	}
	return m, nil
}

// duration is a rough length of choice i in minutes, for priorities.
func (m *model) duration(i int32) int {
	if l := m.rLead[m.chRes[i]]; l > 0 {
		return int(l) * 8 * 60
	}
	return m.chWork[i]
}

func (m *model) choiceOf(v int32, r int) int32 {
	for i := m.chOff[v]; i < m.chOff[v+1]; i++ {
		if int(m.chRes[i]) == r {
			return i
		}
	}
	return -1
}

// end returns when a step of the given work started at working minute s
// on resource r ends.
func (m *model) end(r, work, s int) int {
	tl := m.tls[m.rShop[r]]
	if l := m.rLead[r]; l > 0 {
		return tl.leadEnd(s, int(l))
	}
	return tl.finish(s, work)
}

// insertBusy adds span sp to a slot's busy spans, which are kept sorted and
// disjoint by merging spans that overlap or touch.
func insertBusy(busy []Span, sp Span) []Span {
	if sp.To <= sp.From {
		return busy
	}
	i := sort.Search(len(busy), func(i int) bool { return busy[i].To >= sp.From })
	j := i
	for j < len(busy) && busy[j].From <= sp.To {
		sp = Span{min(sp.From, busy[j].From), max(sp.To, busy[j].To)}
		j++
	}
	return slices.Replace(busy, i, j, sp)
}

// earliest returns the first start at or after ready when a step of the
// given work fits on a slot with the given busy spans, and its end.
func (m *model) earliest(busy []Span, r, work, ready int) (int, int) {
	tl := m.tls[m.rShop[r]]
	s := tl.next(ready)
	for s < never {
		e := m.end(r, work, s)
		i := sort.Search(len(busy), func(i int) bool { return busy[i].To > s })
		if i == len(busy) || busy[i].From >= e {
			return s, e
		}
		s = tl.next(busy[i].To)
	}
	return never, never
}

// board is the busy spans of every slot during one construction.
type board struct {
	busy [][][]Span
}

func (m *model) newBoard() *board {
	b := &board{busy: make([][][]Span, len(m.base))}
	for r := range m.base {
		b.busy[r] = make([][]Span, len(m.base[r]))
	}
	b.reset(m)
	return b
}

func (b *board) reset(m *model) {
	for r := range m.base {
		for k := range m.base[r] {
			b.busy[r][k] = append(b.busy[r][k][:0], m.base[r][k]...)
		}
	}
}

// ready returns when step v of order o can start on resource r after its
// previous step, placed at prev, has ended and travelled.
func (m *model) ready(o int, prev *Placement, r int) int {
	t := m.nw.Orders[o].Release
	if prev != nil {
		t = max(t, prev.End+int(m.trans[int(m.rShop[prev.Resource])*m.shops+int(m.rShop[r])]))
	}
	return t
}

// placeBest puts step v on the choice (all, or only choice forced when it
// is not negative) and slot where it ends first, no earlier than floor on
// each slot, records it in out and returns the slot.
func (m *model) placeBest(b *board, v int32, prev *Placement, forced int32, floor func(r, k int) int, out *Placement) (int, error) {
	o := int(m.ordOf[v])
	bestEnd, bestWork, bestK := never, 0, -1
	var best Placement
	lo, hi := m.chOff[v], m.chOff[v+1]
	if forced >= 0 {
		lo, hi = forced, forced+1
	}
	for i := lo; i < hi; i++ {
		r := int(m.chRes[i])
		ready := m.ready(o, prev, r)
		for k, busy := range b.busy[r] {
			rd := ready
			if floor != nil {
				rd = max(rd, floor(r, k))
			}
			s, e := m.earliest(busy, r, m.chWork[i], rd)
			if e < bestEnd || e == bestEnd && bestK >= 0 && m.chWork[i] < bestWork {
				bestEnd, bestWork, bestK = e, m.chWork[i], k
				best = Placement{Resource: r, Start: s, End: e}
			}
		}
	}
	if bestK < 0 {
		return 0, errHorizon
	}
	b.busy[best.Resource][bestK] = insertBusy(b.busy[best.Resource][bestK], Span{best.Start, best.End})
	*out = best
	return bestK, nil
}

var errHorizon = errors.New("schedule: the plan does not fit in the horizon; make Network.Horizon longer")

// decode builds a plan by serial schedule generation with insertion: it
// repeatedly takes, among the orders' next steps, the one with the least
// key, and puts it into the earliest gap where it ends first on its
// eligible resources (only forced[v] when not negative). out must have the
// shape of m.ops.
func (m *model) decode(b *board, keys []float64, forced []int32, out [][]Placement) error {
	b.reset(m)
	nord := len(m.first) - 1
	h := &keyHeap{keys: keys}
	for o := range nord {
		v := m.first[o]
		for ; v < m.first[o+1] && m.fixed[v].Resource >= 0; v++ {
			out[o][v-m.first[o]] = m.fixed[v]
		}
		if v < m.first[o+1] {
			h.items = append(h.items, v)
		}
	}
	h.init()
	for len(h.items) > 0 {
		v := h.items[0]
		o := int(m.ordOf[v])
		s := int(v - m.first[o])
		var prev *Placement
		if s > 0 {
			prev = &out[o][s-1]
		}
		f := int32(-1)
		if forced != nil {
			f = forced[v]
		}
		if _, err := m.placeBest(b, v, prev, f, nil, &out[o][s]); err != nil {
			return err
		}
		if v+1 < m.first[o+1] {
			h.items[0] = v + 1
			h.down(0)
		} else {
			h.pop()
		}
	}
	return nil
}

// keyHeap is a min-heap of steps by key; ties go to the lower step.
type keyHeap struct {
	items []int32
	keys  []float64
}

func (h *keyHeap) less(a, b int) bool {
	x, y := h.items[a], h.items[b]
	return h.keys[x] < h.keys[y] || h.keys[x] == h.keys[y] && x < y
}

func (h *keyHeap) init() {
	for i := len(h.items)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *keyHeap) down(i int) {
	for {
		c := 2*i + 1
		if c >= len(h.items) {
			return
		}
		if c+1 < len(h.items) && h.less(c+1, c) {
			c++
		}
		if !h.less(c, i) {
			return
		}
		h.items[i], h.items[c] = h.items[c], h.items[i]
		i = c
	}
}

func (h *keyHeap) pop() {
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	h.down(0)
}
