package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/sparkplug"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// Defaults of Config.
const (
	// DefaultQueue bounds the messages waiting for a transaction, and
	// the embedded broker's messages awaiting their PUBACK (each device
	// has at most mqtt.DefaultMaxInflight of them): when the devices
	// send faster than the store takes them, a message waits about
	// Queue ÷ throughput (8,192 at 25,000 a second: a third of a second),
	// and a transaction takes about half of them at once.
	DefaultQueue    = 8192
	DefaultMaxBatch = nakamawashi.MaxStateIntervalBatch
)

// Store is what the ingest needs of the store.
type Store interface {
	AppendStateIntervals(ctx context.Context, ivs []nakamawashi.StateInterval) error
}

// Config configures an Ingester.
type Config struct {
	// Store receives the intervals. Required.
	Store Store
	// Logger receives the ingest's logs; none when nil.
	Logger *slog.Logger
	// Queue bounds the messages waiting for a transaction; DefaultQueue
	// when zero. Handle waits while it is full.
	Queue int
	// MaxBatch bounds the intervals of one transaction; DefaultMaxBatch
	// when zero, at most nakamawashi.MaxStateIntervalBatch.
	MaxBatch int
	// Debounce and Yellow configure the stack lights (telemetry.StackLight).
	Debounce time.Duration
	Yellow   telemetry.State
	// StateMap maps Sparkplug metrics to states;
	// sparkplug.DefaultStateMap() when nil.
	StateMap *sparkplug.StateMap
	// Publish sends a message to a device, for Sparkplug rebirth requests;
	// none are sent when nil.
	Publish func(topic string, payload []byte) error
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Ingester turns device messages into state intervals and writes them
// with group commit. See the package documentation.
type Ingester struct {
	cfg      Config
	log      *slog.Logger
	stateMap sparkplug.StateMap
	tracker  sparkplug.Tracker

	queue   chan *Pending
	ctx     context.Context // the writer's; cancelled once it has stopped
	cancel  context.CancelFunc
	stopped chan struct{}

	closeMu sync.RWMutex
	closing bool

	machines sync.Map // machine id → *machine

	stats   counters
	latency histogram
}

// Pending is a message's intervals, waiting for their transaction.
type Pending struct {
	ivs      []nakamawashi.StateInterval
	received time.Time
	machine  *machine
	done     chan struct{} // closed once err is set
	err      error
}

// errClosed refuses messages after Close.
var errClosed = &nakamawashi.Error{Code: nakamawashi.EUNAVAILABLE, Op: "ingest", Err: errors.New("ingest is closing")}

// New returns an Ingester whose writer runs until Close.
func New(cfg Config) (*Ingester, error) {
	const op = "ingest.New"
	if cfg.Store == nil {
		return nil, &nakamawashi.Error{Code: nakamawashi.EINVALID, Op: op, Err: errors.New("a Store is required")}
	}
	if cfg.Queue <= 0 {
		cfg.Queue = DefaultQueue
	}
	if cfg.MaxBatch <= 0 || cfg.MaxBatch > nakamawashi.MaxStateIntervalBatch {
		cfg.MaxBatch = DefaultMaxBatch
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	in := &Ingester{cfg: cfg, log: cfg.Logger, stateMap: sparkplug.DefaultStateMap(),
		queue: make(chan *Pending, cfg.Queue), stopped: make(chan struct{})}
	if in.log == nil {
		in.log = slog.New(slog.DiscardHandler)
	}
	if cfg.StateMap != nil {
		if err := cfg.StateMap.Validate(); err != nil {
			return nil, err
		}
		in.stateMap = *cfg.StateMap
	}
	in.tracker.Now = cfg.Now
	in.ctx, in.cancel = context.WithCancel(nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor))
	go in.write()
	return in, nil
}

// Close stops taking messages, commits those already queued and stops the
// writer.
func (in *Ingester) Close() error {
	in.closeMu.Lock()
	if in.closing {
		in.closeMu.Unlock()
		<-in.stopped
		return nil
	}
	in.closing = true
	close(in.queue) // no Handle sends any more: they hold closeMu for reading
	in.closeMu.Unlock()
	<-in.stopped
	in.cancel()
	return nil
}

// MachineID returns the id in a machine's topic code, "m" and the id.
func MachineID(code string) (int64, error) {
	if len(code) > 1 && code[0] == 'm' && code[1] != '0' {
		if id, err := strconv.ParseInt(code[1:], 10, 64); err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, &nakamawashi.Error{Code: nakamawashi.EINVALID, Op: "ingest.MachineID", Err: fmt.Errorf("machine code %q: want m and the machine's id", code)}
}

// Handle takes one message from the broker and returns once what it says
// is durable: at once when it changes nothing stored (after the last
// write of its machine committed), after the transaction that holds its
// interval otherwise. It is the broker's Handler.
func (in *Ingester) Handle(ctx context.Context, m mqtt.Message) error {
	r, err := in.Submit(ctx, m)
	if err != nil || r == nil {
		return err
	}
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// submitAck is the broker's Submit: the PUBACK waits for the Pending.
func (in *Ingester) submitAck(ctx context.Context, m mqtt.Message) (mqtt.Ack, error) {
	r, err := in.Submit(ctx, m)
	if err != nil || r == nil {
		return nil, err // never a typed nil
	}
	return r, nil
}

// Wait blocks until the message's transaction has ended and returns its
// error.
func (r *Pending) Wait(ctx context.Context) error {
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed once the message's transaction has ended.
func (r *Pending) Done() <-chan struct{} { return r.done }

// Err is the transaction's error, once Done is closed.
func (r *Pending) Err() error { return r.err }

// Submit applies the message to its machine and queues its intervals; the
// returned Pending (nil when there is nothing to wait for) tells when they
// are durable. Messages of one machine must be submitted in order: Submit
// returns once the message has its place in the queue. It waits while the
// queue is full.
func (in *Ingester) Submit(ctx context.Context, m mqtt.Message) (*Pending, error) {
	in.stats.messages.Add(1)
	id, err := MachineID(m.Device.MachineCode)
	if err != nil {
		in.stats.refused.Add(1)
		return nil, err
	}
	mc := in.machine(id)
	mc.mu.Lock()
	defer mc.mu.Unlock()
	ivs := in.apply(mc, m)
	if len(ivs) == 0 {
		in.stats.unchanged.Add(1)
		if r := mc.last; r != nil {
			select {
			case <-r.done:
				if r.err != nil {
					mc.forget()
					return nil, r.err
				}
				mc.last = nil
				return nil, nil
			default:
				return r, nil
			}
		}
		return nil, nil
	}
	r := &Pending{ivs: ivs, received: m.Received, machine: mc, done: make(chan struct{})}
	if err := in.enqueue(ctx, r); err != nil {
		mc.forget()
		return nil, err
	}
	mc.last = r
	return r, nil
}

func (in *Ingester) enqueue(ctx context.Context, r *Pending) error {
	in.closeMu.RLock()
	defer in.closeMu.RUnlock()
	if in.closing {
		return errClosed
	}
	select {
	case in.queue <- r:
		return nil
	default:
	}
	in.stats.waits.Add(1)
	select {
	case in.queue <- r:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (in *Ingester) machine(id int64) *machine {
	if v, ok := in.machines.Load(id); ok {
		return v.(*machine)
	}
	v, _ := in.machines.LoadOrStore(id, &machine{id: id})
	return v.(*machine)
}

// write is the writer: it takes the first waiting request, then every
// other one already queued up to MaxBatch intervals, and commits them in
// one transaction.
func (in *Ingester) write() {
	defer close(in.stopped)
	var batch []*Pending
	for {
		r, ok := <-in.queue
		if !ok {
			return
		}
		batch = append(batch[:0], r)
		n := len(r.ivs)
	more:
		for n < in.cfg.MaxBatch {
			select {
			case r, ok := <-in.queue:
				if !ok {
					break more
				}
				if n+len(r.ivs) > in.cfg.MaxBatch {
					in.commit(batch)
					batch, n = append(batch[:0], r), 0
				} else {
					batch = append(batch, r)
				}
				n += len(r.ivs)
			default:
				break more
			}
		}
		in.commit(batch)
	}
}

// commit writes the requests in one transaction. When the store refuses
// the batch, it is split in halves, down to single messages, so that the
// others' messages still go in.
func (in *Ingester) commit(batch []*Pending) {
	ivs := make([]nakamawashi.StateInterval, 0, len(batch))
	for _, r := range batch {
		ivs = append(ivs, r.ivs...)
	}
	start := time.Now()
	err := in.cfg.Store.AppendStateIntervals(in.ctx, ivs)
	in.stats.batches.Add(1)
	in.stats.commitNanos.Add(int64(time.Since(start)))
	if err != nil && len(batch) > 1 && nakamawashi.ErrorCode(err) != nakamawashi.EINTERNAL {
		h := len(batch) / 2
		in.commit(batch[:h])
		in.commit(batch[h:])
		return
	}
	now := time.Now()
	if err != nil {
		in.stats.failed.Add(uint64(len(batch)))
		in.log.Error("ingest: state intervals not stored", "messages", len(batch), "intervals", len(ivs), "error", err)
	} else {
		in.stats.intervals.Add(uint64(len(ivs)))
		in.stats.durable.Add(uint64(len(batch)))
	}
	for _, r := range batch {
		if err != nil {
			// The machine's state in memory may be ahead of the store:
			// the next message writes again.
			r.machine.mu.Lock()
			r.machine.forget()
			r.machine.mu.Unlock()
		}
		r.err = err
		in.latency.add(now.Sub(r.received))
		close(r.done)
	}
}

// counters are the Ingester's statistics.
type counters struct {
	messages, unchanged, refused, waits atomic.Uint64
	durable, failed, intervals, batches atomic.Uint64
	commitNanos                         atomic.Int64
}

// Stats are an Ingester's counters since it started.
type Stats struct {
	Messages  uint64 // messages handed to Handle or Submit
	Unchanged uint64 // messages that changed no stored state
	Refused   uint64 // messages of no known machine
	Waits     uint64 // messages that found the queue full
	Durable   uint64 // messages whose intervals committed
	Failed    uint64 // messages whose intervals the store refused
	Intervals uint64 // intervals committed
	Batches   uint64 // transactions
	Commit    time.Duration
	Queued    int // messages waiting now
	// LatencyP50, P99 and Max are from a message's receipt to the commit
	// of its interval, over every committed message.
	LatencyP50, LatencyP99, LatencyMax time.Duration
}

// Stats returns the counters.
func (in *Ingester) Stats() Stats {
	c := &in.stats
	p50, p99, mx := in.latency.quantiles()
	return Stats{Messages: c.messages.Load(), Unchanged: c.unchanged.Load(), Refused: c.refused.Load(),
		Waits: c.waits.Load(), Durable: c.durable.Load(), Failed: c.failed.Load(), Intervals: c.intervals.Load(),
		Batches: c.batches.Load(), Commit: time.Duration(c.commitNanos.Load()), Queued: len(in.queue),
		LatencyP50: p50, LatencyP99: p99, LatencyMax: mx}
}

// ResetLatency forgets the latencies measured so far, e.g. after a
// benchmark's warm-up.
func (in *Ingester) ResetLatency() { in.latency.reset() }

// histogram counts latencies in buckets of a millisecond up to ten
// seconds, and above.
type histogram struct {
	buckets [10001]atomic.Uint64
	max     atomic.Int64
}

func (h *histogram) add(d time.Duration) {
	ms := min(max(d.Milliseconds(), 0), int64(len(h.buckets)-1))
	h.buckets[ms].Add(1)
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

func (h *histogram) reset() {
	for i := range h.buckets {
		h.buckets[i].Store(0)
	}
	h.max.Store(0)
}

// quantiles returns the median and the 99th percentile, as the upper
// bound of their bucket, and the maximum.
func (h *histogram) quantiles() (p50, p99, mx time.Duration) {
	var total uint64
	for i := range h.buckets {
		total += h.buckets[i].Load()
	}
	if total == 0 {
		return 0, 0, 0
	}
	var seen uint64
	found50 := false
	for i := range h.buckets {
		seen += h.buckets[i].Load()
		if !found50 && seen*2 >= total {
			p50, found50 = time.Duration(i+1)*time.Millisecond, true
		}
		if seen*100 >= total*99 {
			p99 = time.Duration(i+1) * time.Millisecond
			break
		}
	}
	return p50, p99, time.Duration(h.max.Load())
}
