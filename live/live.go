// Package live tells the machine boards, within the process, that machine
// states changed: the ingest's writer publishes the intervals it has just
// committed (through Store, which wraps the store it writes to), and each
// open board subscribes.
//
// A Hub keeps nothing but a short history, for a board that reconnects
// (Since). Several servers behind a load balancer each hold their own Hub
// and see only the messages their own ingest stores; Poll, run on each of
// them, reads the current states from the store every second and publishes
// what changed, so that every board hears of every change within about a
// second more.
package live

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// A Change is a machine that entered a state.
type Change struct {
	MachineID int64
	State     string
	Since     time.Time
}

// A Batch is the changes of one publication, numbered by the Hub.
type Batch struct {
	ID      string // "{epoch}-{seq}": the SSE event id
	Changes []Change
	seq     uint64
}

// DefaultBuffer is the batches a subscriber may fall behind by before it
// is told to start over from a snapshot.
const DefaultBuffer = 64

// history is how many batches a Hub keeps for Since.
const history = 256

// Hub fans state changes out to subscribers. The zero value is not ready;
// use NewHub.
type Hub struct {
	epoch string
	mu    sync.Mutex
	seq   uint64
	subs  map[*Sub]struct{}
	ring  []Batch // the last batches, oldest first
}

// NewHub returns an empty hub. Its epoch, part of each batch's id, tells a
// restarted server's batches from the last one's.
func NewHub() *Hub {
	return &Hub{epoch: strconv.FormatInt(time.Now().UnixNano(), 36), subs: map[*Sub]struct{}{}}
}

// Sub is one subscriber: a board being served.
type Sub struct {
	hub  *Hub
	c    chan Batch
	lost atomic.Bool
}

// C delivers the batches, in order.
func (s *Sub) C() <-chan Batch { return s.c }

// Lost reports, and clears, whether batches were dropped because the
// subscriber fell behind: it should send a fresh snapshot.
func (s *Sub) Lost() bool { return s.lost.Swap(false) }

// Close unsubscribes.
func (s *Sub) Close() {
	s.hub.mu.Lock()
	delete(s.hub.subs, s)
	s.hub.mu.Unlock()
}

// Subscribe returns a subscriber with room for buffer batches
// (DefaultBuffer when buffer <= 0).
func (h *Hub) Subscribe(buffer int) *Sub {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	s := &Sub{hub: h, c: make(chan Batch, buffer)}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Subscribers returns the number of subscribers.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Publish hands the changes to every subscriber without waiting: one that
// has no room loses them and is marked Lost.
func (h *Hub) Publish(changes []Change) {
	if h == nil || len(changes) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	b := Batch{ID: h.epoch + "-" + strconv.FormatUint(h.seq, 10), Changes: changes, seq: h.seq}
	if len(h.ring) == history {
		copy(h.ring, h.ring[1:])
		h.ring = h.ring[:history-1]
	}
	h.ring = append(h.ring, b)
	for s := range h.subs {
		select {
		case s.c <- b:
		default:
			s.lost.Store(true)
		}
	}
}

// PublishIntervals publishes the intervals' starts as changes.
func (h *Hub) PublishIntervals(ivs []nakamawashi.StateInterval) {
	if h == nil || len(ivs) == 0 {
		return
	}
	changes := make([]Change, len(ivs))
	for i, iv := range ivs {
		changes[i] = Change{MachineID: iv.MachineID, State: iv.State, Since: iv.Start}
	}
	h.Publish(changes)
}

// Since returns the batches published after the one with id lastID, and
// whether the hub still holds all of them; false for an id of another
// epoch or one too old, when the subscriber needs a snapshot.
func (h *Hub) Since(lastID string) ([]Batch, bool) {
	epoch, n, ok := strings.Cut(lastID, "-")
	if !ok || epoch != h.epoch {
		return nil, false
	}
	seq, err := strconv.ParseUint(n, 10, 64)
	if err != nil {
		return nil, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if seq > h.seq {
		return nil, false
	}
	if seq == h.seq {
		return nil, true
	}
	if len(h.ring) == 0 || h.ring[0].seq > seq+1 {
		return nil, false
	}
	var out []Batch
	for _, b := range h.ring {
		if b.seq > seq {
			out = append(out, b)
		}
	}
	return out, true
}

// LastID returns the id of the latest batch, for a snapshot's event id.
func (h *Hub) LastID() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.epoch + "-" + strconv.FormatUint(h.seq, 10)
}

// Appender is the store's AppendStateIntervals.
type Appender interface {
	AppendStateIntervals(ctx context.Context, ivs []nakamawashi.StateInterval) error
}

// Store wraps an Appender (the store the ingest writes to) so that each
// batch it commits is published to Hub: after the commit, never before,
// and never one the store refused.
type Store[S Appender] struct {
	S   S
	Hub *Hub
}

// AppendStateIntervals appends, then publishes.
func (s Store[S]) AppendStateIntervals(ctx context.Context, ivs []nakamawashi.StateInterval) error {
	if err := s.S.AppendStateIntervals(ctx, ivs); err != nil {
		return err
	}
	s.Hub.PublishIntervals(ivs)
	return nil
}

// BoardReader is the store's FindBoard.
type BoardReader interface {
	FindBoard(ctx context.Context, f nakamawashi.BoardFilter) ([]*nakamawashi.BoardMachine, error)
}

// Poll reads every machine's current state every interval until ctx ends
// and publishes those that changed since the last read, for boards of a
// server whose ingest does not see every message (several servers, an
// external broker). ctx must carry an actor that sees every machine (the
// system). Errors are passed to onErr, if set, and polling goes on.
func (h *Hub) Poll(ctx context.Context, store BoardReader, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	last := map[int64]Change{}
	first := true
	for {
		ms, err := store.FindBoard(ctx, nakamawashi.BoardFilter{})
		if err != nil && onErr != nil && ctx.Err() == nil {
			onErr(err)
		}
		var changes []Change
		for _, m := range ms {
			if m.Current == nil {
				continue
			}
			c := Change{MachineID: m.Machine.ID, State: m.Current.State, Since: m.Current.Start}
			if prev, ok := last[c.MachineID]; !ok && !first || ok && (prev.State != c.State || !prev.Since.Equal(c.Since)) {
				changes = append(changes, c)
			}
			last[c.MachineID] = c
		}
		if err == nil {
			first = false
		}
		h.Publish(changes)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
