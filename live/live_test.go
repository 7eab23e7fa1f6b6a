package live_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/live"
)

func change(id int64, st string) []live.Change {
	return []live.Change{{MachineID: id, State: st, Since: time.Unix(id, 0)}}
}

func TestHubDelivers(t *testing.T) {
	h := live.NewHub()
	a, b := h.Subscribe(0), h.Subscribe(0)
	h.Publish(change(1, "running"))
	for _, s := range []*live.Sub{a, b} {
		select {
		case bt := <-s.C():
			if len(bt.Changes) != 1 || bt.Changes[0].State != "running" || bt.ID != h.LastID() {
				t.Fatalf("batch: %+v", bt)
			}
		default:
			t.Fatal("nothing delivered")
		}
	}
	b.Close()
	h.Publish(change(2, "idle"))
	if h.Subscribers() != 1 || len(b.C()) != 0 || len(a.C()) != 1 {
		t.Fatalf("after close: %d subscribers, %d, %d", h.Subscribers(), len(b.C()), len(a.C()))
	}
	h.Publish(nil) // nothing to say: no batch
	if len(a.C()) != 1 {
		t.Fatal("an empty publish made a batch")
	}
}

// A subscriber that falls behind loses batches, is told so once, and the
// publisher never waits for it.
func TestHubSlowSubscriber(t *testing.T) {
	h := live.NewHub()
	s := h.Subscribe(2)
	for i := range 10 {
		h.Publish(change(int64(i), "running"))
	}
	if len(s.C()) != 2 || !s.Lost() || s.Lost() {
		t.Fatalf("buffer %d, lost flag not set once", len(s.C()))
	}
}

func TestHubSince(t *testing.T) {
	h := live.NewHub()
	first := h.LastID()
	h.Publish(change(1, "running"))
	mid := h.LastID()
	h.Publish(change(2, "alarm"))
	if bs, ok := h.Since(first); !ok || len(bs) != 2 {
		t.Fatalf("since the start: %v %v", bs, ok)
	}
	if bs, ok := h.Since(mid); !ok || len(bs) != 1 || bs[0].Changes[0].State != "alarm" {
		t.Fatalf("since the middle: %v %v", bs, ok)
	}
	if bs, ok := h.Since(h.LastID()); !ok || len(bs) != 0 {
		t.Fatalf("since the last: %v %v", bs, ok)
	}
	for _, id := range []string{"", "x", "other-1", mid + "0", first[:len(first)-2] + "-x"} {
		if _, ok := h.Since(id); ok {
			t.Errorf("Since(%q) ok", id)
		}
	}
	for range 300 {
		h.Publish(change(3, "idle"))
	}
	if _, ok := h.Since(first); ok {
		t.Fatal("a batch the hub no longer holds")
	}
}

type appender struct{ err error }

func (a appender) AppendStateIntervals(context.Context, []nakamawashi.StateInterval) error {
	return a.err
}

// The store wrapper publishes only what the store committed.
func TestStorePublishesCommitted(t *testing.T) {
	h := live.NewHub()
	s := h.Subscribe(0)
	iv := nakamawashi.StateInterval{MachineID: 7, State: "setup", Start: time.Unix(100, 0)}
	if err := (live.Store[appender]{S: appender{errors.New("refused")}, Hub: h}).AppendStateIntervals(context.Background(), []nakamawashi.StateInterval{iv}); err == nil || len(s.C()) != 0 {
		t.Fatal("a refused batch was published")
	}
	if err := (live.Store[appender]{S: appender{}, Hub: h}).AppendStateIntervals(context.Background(), []nakamawashi.StateInterval{iv}); err != nil {
		t.Fatal(err)
	}
	if bt := <-s.C(); bt.Changes[0] != (live.Change{MachineID: 7, State: "setup", Since: iv.Start}) {
		t.Fatalf("published: %+v", bt)
	}
}

type board struct{ states chan string }

func (b board) FindBoard(ctx context.Context, f nakamawashi.BoardFilter) ([]*nakamawashi.BoardMachine, error) {
	st := <-b.states
	return []*nakamawashi.BoardMachine{{Machine: nakamawashi.Machine{ID: 1}, Current: &nakamawashi.StateInterval{MachineID: 1, State: st}}}, nil
}

// Poll publishes what changed between two reads, not the first read.
func TestPoll(t *testing.T) {
	h := live.NewHub()
	s := h.Subscribe(0)
	b := board{make(chan string)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Poll(ctx, b, time.Millisecond, nil); close(done) }()
	b.states <- "idle"
	b.states <- "idle"
	b.states <- "running"
	select {
	case bt := <-s.C():
		if len(bt.Changes) != 1 || bt.Changes[0].State != "running" {
			t.Fatalf("polled: %+v", bt)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no change published")
	}
	cancel()
	select {
	case b.states <- "running":
	case <-done:
	}
	<-done
}
