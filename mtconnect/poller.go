package mtconnect

import (
	"context"
	"errors"
	"sort"
	"time"
)

// Reasons for a Gap.
const (
	GapRestart    = "restart"      // the agent restarted: a new instanceId, sequences start over
	GapOutOfRange = "out_of_range" // the agent's buffer moved past the cursor
)

// Gap reports that the poller started again from /current: observations
// with sequences from From up to (not including) To may be missing; the
// snapshot that comes with it holds the latest value of each data item.
// After a restart From counts in the old instance and To in the new one.
type Gap struct {
	Reason      string
	From, To    uint64
	OldInstance string
	NewInstance string
}

// Batch is what one poll delivers. Observations are in sequence order and
// none is delivered twice within an instance of the agent; across a
// restart, sequences start over and InstanceID tells them apart.
type Batch struct {
	InstanceID   string
	Snapshot     bool // from /current: the latest values, not every change
	Gap          *Gap // set when the poller started again from /current
	Observations []Observation
	Next         uint64 // the cursor after this batch
}

// Poller follows an agent's stream with a sequence cursor: the first poll
// reads /current, each later one /sample?from=cursor&count=Count. When the
// agent restarts (its instanceId changes) or its buffer has moved past the
// cursor (an OUT_OF_RANGE error, or firstSequence above the cursor), the
// poller starts again from /current and reports the Gap.
//
// A Poller is not safe for concurrent use; Run it in one goroutine.
type Poller struct {
	Agent      *Agent
	Count      int           // observations per /sample; 0 means 1000
	Interval   time.Duration // the wait when caught up; 0 means 1 s
	MaxBackoff time.Duration // the longest wait after failures; 0 means 1 min
	OnError    func(error)   // told of each failed poll that Run retries; may be nil

	instance string
	next     uint64
	started  bool
}

// Cursor returns the agent instance and the next sequence the poller asks
// for; started is false before the first successful poll.
func (p *Poller) Cursor() (instance string, next uint64, started bool) {
	return p.instance, p.next, p.started
}

func (p *Poller) count() int {
	if p.Count <= 0 {
		return 1000
	}
	return p.Count
}

// Poll makes one request and hands its batch to handle. The cursor moves
// only when handle returns nil, so a batch the handler refused is asked
// for again by the next poll.
func (p *Poller) Poll(ctx context.Context, handle func(context.Context, Batch) error) (Batch, error) {
	if !p.started {
		return p.restart(ctx, nil, handle)
	}
	s, err := p.Agent.Sample(ctx, p.next, p.count())
	if err != nil {
		var ae *AgentError
		if errors.As(err, &ae) && ae.Has("OUT_OF_RANGE") {
			gap := &Gap{Reason: GapOutOfRange, From: p.next, OldInstance: p.instance}
			if ae.Header.InstanceID != "" && ae.Header.InstanceID != p.instance {
				gap.Reason = GapRestart
			}
			return p.restart(ctx, gap, handle)
		}
		return Batch{}, err
	}
	h := s.Header
	switch {
	case h.InstanceID != p.instance, h.NextSequence != 0 && h.NextSequence < p.next:
		// A new instance, or the same one counting from below the
		// cursor: the sequences no longer mean what the cursor means.
		return p.restart(ctx, &Gap{Reason: GapRestart, From: p.next, OldInstance: p.instance}, handle)
	case p.next < h.FirstSequence:
		return p.restart(ctx, &Gap{Reason: GapOutOfRange, From: p.next, OldInstance: p.instance}, handle)
	}
	obs := inOrder(s.Observations, p.next, h.NextSequence)
	next := p.next
	if h.NextSequence > next {
		next = h.NextSequence
	}
	if n := len(obs); n > 0 && obs[n-1].Sequence >= next {
		next = obs[n-1].Sequence + 1 // an agent that leaves nextSequence out
	}
	b := Batch{InstanceID: p.instance, Observations: obs, Next: next}
	if err := handle(ctx, b); err != nil {
		return b, err
	}
	p.next = next
	return b, nil
}

// restart reads /current and makes it the new starting point.
func (p *Poller) restart(ctx context.Context, gap *Gap, handle func(context.Context, Batch) error) (Batch, error) {
	s, err := p.Agent.Current(ctx)
	if err != nil {
		return Batch{}, err
	}
	h := s.Header
	from := uint64(0)
	if gap != nil {
		gap.To, gap.NewInstance = h.NextSequence, h.InstanceID
		if h.InstanceID != gap.OldInstance {
			gap.Reason = GapRestart
		} else {
			from = gap.From // what is below the old cursor was delivered
		}
	}
	b := Batch{InstanceID: h.InstanceID, Snapshot: true, Gap: gap, Observations: inOrder(s.Observations, from, h.NextSequence), Next: h.NextSequence}
	if err := handle(ctx, b); err != nil {
		return b, err
	}
	p.instance, p.next, p.started = h.InstanceID, h.NextSequence, true
	return b, nil
}

// inOrder keeps the observations in [from, before) (before 0: no bound),
// sorted by sequence, dropping repeats of a sequence.
func inOrder(obs []Observation, from, before uint64) []Observation {
	out := make([]Observation, 0, len(obs))
	for _, o := range obs {
		if o.Sequence >= from && (before == 0 || o.Sequence < before) {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sequence < out[j].Sequence })
	dedup := out[:0]
	for i, o := range out {
		if i > 0 && o.Sequence == out[i-1].Sequence && o.Sequence != 0 {
			continue
		}
		dedup = append(dedup, o)
	}
	return dedup
}

// Run polls until ctx is done or handle fails, and returns why it stopped.
// It polls again at once while the agent has more than Count waiting,
// waits Interval when caught up, and backs off (doubling up to MaxBackoff)
// after a failed poll, which it reports to OnError.
func (p *Poller) Run(ctx context.Context, handle func(context.Context, Batch) error) error {
	interval, maxBackoff := p.Interval, p.MaxBackoff
	if interval <= 0 {
		interval = time.Second
	}
	if maxBackoff <= 0 {
		maxBackoff = time.Minute
	}
	var backoff time.Duration
	for {
		var handled bool
		b, err := p.Poll(ctx, func(ctx context.Context, b Batch) error {
			handled = true
			return handle(ctx, b)
		})
		wait := interval
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && handled:
			return err
		case err != nil:
			if p.OnError != nil {
				p.OnError(err)
			}
			backoff = min(max(2*backoff, interval), maxBackoff)
			wait = backoff
		default:
			backoff = 0
			if !b.Snapshot && len(b.Observations) >= p.count() {
				wait = 0 // more is waiting
			}
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
