package match

// arena hands out buffers that are reused from one Match call to the next.
type arena[T any] struct {
	bufs [][]T
	next int
}

// get returns a buffer of length n; its contents are stale.
func (a *arena[T]) get(n int) []T {
	if a.next == len(a.bufs) {
		a.bufs = append(a.bufs, nil)
	}
	b := a.bufs[a.next]
	if cap(b) < n {
		b = make([]T, n, n+n/4)
		a.bufs[a.next] = b
	}
	a.next++
	return b[:n]
}

// scratch holds the working buffers of one Match call. A Network keeps
// them in a pool, so that a call allocates little beyond its result and
// the collector, which would otherwise scan the whole network every few
// dozen calls, stays out of the latency.
type scratch struct {
	f arena[float64]
	i arena[int32]
	n arena[node]
}

func (s *scratch) reset() { s.f.next, s.i.next, s.n.next = 0, 0, 0 }

func (p *problem) release() {
	if p.sc != nil {
		p.sc.reset()
		p.n.pool.Put(p.sc)
		p.sc = nil
	}
}
