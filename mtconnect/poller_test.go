package mtconnect_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/mtconnect"
)

// fakeAgent is a scripted MTConnect agent: a buffer of observations that
// tests add to, drop from (the buffer moving on) and restart.
type fakeAgent struct {
	mu       sync.Mutex
	instance string
	next     uint64
	buf      []fakeObs
	latest   map[string]fakeObs
	lenient  bool // answer a cursor below the buffer from the buffer's start, as some agents do, instead of OUT_OF_RANGE
	failures int  // answer this many requests with 503
	requests []string
}

type fakeObs struct {
	seq            uint64
	id, typ, value string
}

func newFakeAgent(instance string) *fakeAgent {
	return &fakeAgent{instance: instance, next: 1, latest: map[string]fakeObs{}}
}

func (f *fakeAgent) add(id, typ, value string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := fakeObs{f.next, id, typ, value}
	f.next++
	f.buf = append(f.buf, o)
	f.latest[id] = o
}

func (f *fakeAgent) drop(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf = f.buf[n:]
}

func (f *fakeAgent) restart(instance string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.instance, f.next, f.buf, f.latest = instance, 1, nil, map[string]fakeObs{}
}

func (f *fakeAgent) first() uint64 {
	if len(f.buf) == 0 {
		return f.next
	}
	return f.buf[0].seq
}

func (f *fakeAgent) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.URL.RequestURI())
	if f.failures > 0 {
		f.failures--
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	var obs []fakeObs
	next := f.next
	switch r.URL.Path {
	case "/agent/current":
		for _, o := range f.latest {
			obs = append(obs, o)
		}
	case "/agent/sample":
		from, _ := strconv.ParseUint(r.URL.Query().Get("from"), 10, 64)
		count, _ := strconv.Atoi(r.URL.Query().Get("count"))
		if from < f.first() && f.lenient {
			from = f.first()
		}
		if from < f.first() || from > f.next {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `<MTConnectError xmlns="urn:mtconnect.org:MTConnectError:2.0"><Header instanceId="%s" version="2.0"/>`+
				`<Errors><Error errorCode="OUT_OF_RANGE">'from' must be between %d and %d</Error></Errors></MTConnectError>`, f.instance, f.first(), f.next)
			return
		}
		for _, o := range f.buf {
			if o.seq >= from && len(obs) < count {
				obs = append(obs, o)
				next = o.seq + 1
			}
		}
	default:
		http.NotFound(w, r)
		return
	}
	// Group by data item, as agents group by component: the document's
	// order is not the sequence order.
	sort.Slice(obs, func(i, j int) bool {
		if obs[i].id != obs[j].id {
			return obs[i].id < obs[j].id
		}
		return obs[i].seq < obs[j].seq
	})
	var b strings.Builder
	fmt.Fprintf(&b, `<MTConnectStreams xmlns="urn:mtconnect.org:MTConnectStreams:2.0"><Header instanceId="%s" version="2.0" firstSequence="%d" nextSequence="%d" lastSequence="%d"/>`,
		f.instance, f.first(), next, f.next-1)
	b.WriteString(`<Streams><DeviceStream name="M" uuid="m1"><ComponentStream component="Path" componentId="p"><Events>`)
	for _, o := range obs {
		fmt.Fprintf(&b, `<%s dataItemId="%s" sequence="%d" timestamp="2024-05-01T00:00:00Z">%s</%s>`, o.typ, o.id, o.seq, o.value, o.typ)
	}
	b.WriteString(`</Events></ComponentStream></DeviceStream></Streams></MTConnectStreams>`)
	w.Write([]byte(b.String()))
}

// collector keeps what a poller delivered.
type collector struct {
	mu      sync.Mutex
	batches []mtconnect.Batch
}

func (c *collector) handle(_ context.Context, b mtconnect.Batch) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.batches = append(c.batches, b)
	return nil
}

func seqs(obs []mtconnect.Observation) string {
	var s []string
	for _, o := range obs {
		s = append(s, fmt.Sprintf("%d:%s", o.Sequence, o.Value))
	}
	return strings.Join(s, " ")
}

func mustPoll(t *testing.T, p *mtconnect.Poller) mtconnect.Batch {
	t.Helper()
	var c collector
	b, err := p.Poll(context.Background(), c.handle)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newPoller(t *testing.T, f *fakeAgent, count int) *mtconnect.Poller {
	a, _ := newTestAgent(t, f, mtconnect.AgentOptions{Timeout: 2 * time.Second})
	return &mtconnect.Poller{Agent: a, Count: count}
}

func TestPollerCursor(t *testing.T) {
	f := newFakeAgent("1")
	f.add("avail", "Availability", "AVAILABLE")
	f.add("exec", "Execution", "READY")
	f.add("exec", "Execution", "ACTIVE")
	p := newPoller(t, f, 2)

	b := mustPoll(t, p)
	if !b.Snapshot || b.Gap != nil || b.Next != 4 || seqs(b.Observations) != "1:AVAILABLE 3:ACTIVE" {
		t.Errorf("first poll = %+v, want the /current snapshot 1:AVAILABLE 3:ACTIVE, next 4", b)
	}
	for i := range 5 {
		f.add("pc", "PartCount", strconv.Itoa(i))
	}
	var got []string
	for range 4 {
		b = mustPoll(t, p)
		if b.Snapshot || b.Gap != nil {
			t.Errorf("poll = %+v, want a plain sample", b)
		}
		got = append(got, seqs(b.Observations))
	}
	want := []string{"4:0 5:1", "6:2 7:3", "8:4", ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("samples = %q, want %q", got, want)
	}
	if _, next, _ := p.Cursor(); next != 9 {
		t.Errorf("cursor = %d, want 9", next)
	}
	wantReq := "/agent/current /agent/sample?count=2&from=4 /agent/sample?count=2&from=6 /agent/sample?count=2&from=8 /agent/sample?count=2&from=9"
	if got := strings.Join(f.requests, " "); got != wantReq {
		t.Errorf("requests = %s, want %s", got, wantReq)
	}
}

func TestPollerRefusedBatchIsAskedAgain(t *testing.T) {
	f := newFakeAgent("1")
	f.add("exec", "Execution", "READY")
	p := newPoller(t, f, 10)
	mustPoll(t, p)
	f.add("exec", "Execution", "ACTIVE")
	refuse := errors.New("store is down")
	if _, err := p.Poll(context.Background(), func(context.Context, mtconnect.Batch) error { return refuse }); !errors.Is(err, refuse) {
		t.Fatalf("Poll = %v, want the handler's error", err)
	}
	if b := mustPoll(t, p); seqs(b.Observations) != "2:ACTIVE" {
		t.Errorf("after a refusal: %q, want 2:ACTIVE again", seqs(b.Observations))
	}
}

func TestPollerAgentRestart(t *testing.T) {
	for _, tt := range []struct {
		name  string
		added int // observations of the new instance before the poll
	}{
		{"new instance below the cursor", 2}, // OUT_OF_RANGE, with the new instanceId in its header
		{"new instance past the cursor", 8},  // the sample succeeds: only its instanceId tells
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAgent("1")
			for i := range 4 {
				f.add("exec", "Execution", "READY"+strconv.Itoa(i))
			}
			p := newPoller(t, f, 100)
			mustPoll(t, p) // cursor 5 in instance 1
			f.restart("2")
			f.add("avail", "Availability", "AVAILABLE")
			for i := 1; i < tt.added; i++ {
				f.add("exec", "Execution", "ACTIVE"+strconv.Itoa(i))
			}
			b := mustPoll(t, p)
			want := mtconnect.Gap{Reason: mtconnect.GapRestart, From: 5, To: uint64(tt.added) + 1, OldInstance: "1", NewInstance: "2"}
			if b.Gap == nil || *b.Gap != want || !b.Snapshot || b.InstanceID != "2" {
				t.Fatalf("poll after restart = %+v gap %+v, want a snapshot with gap %+v", b, b.Gap, want)
			}
			wantObs := fmt.Sprintf("1:AVAILABLE %d:ACTIVE%d", tt.added, tt.added-1)
			if got := seqs(b.Observations); got != wantObs {
				t.Errorf("snapshot = %q, want %q", got, wantObs)
			}
			f.add("exec", "Execution", "STOPPED")
			if b := mustPoll(t, p); b.Gap != nil || seqs(b.Observations) != fmt.Sprintf("%d:STOPPED", tt.added+1) {
				t.Errorf("next poll = %+v, want the new observation only", b)
			}
		})
	}
}

func TestPollerBufferOverrun(t *testing.T) {
	for _, lenient := range []bool{false, true} {
		t.Run(fmt.Sprintf("lenient=%v", lenient), func(t *testing.T) {
			f := newFakeAgent("1")
			f.lenient = lenient
			f.add("exec", "Execution", "READY")
			f.add("avail", "Availability", "AVAILABLE")
			p := newPoller(t, f, 100)
			mustPoll(t, p)                            // cursor 3
			f.add("exec", "Execution", "ACTIVE")      // 3
			f.add("pc", "PartCount", "1")             // 4
			f.add("pc", "PartCount", "2")             // 5
			f.add("exec", "Execution", "INTERRUPTED") // 6
			f.drop(4)                                 // the buffer now starts at 5
			b := mustPoll(t, p)
			want := mtconnect.Gap{Reason: mtconnect.GapOutOfRange, From: 3, To: 7, OldInstance: "1", NewInstance: "1"}
			if b.Gap == nil || *b.Gap != want || !b.Snapshot {
				t.Fatalf("poll = %+v gap %+v, want a snapshot with gap %+v", b, b.Gap, want)
			}
			// 2:AVAILABLE was delivered before: not again.
			if got := seqs(b.Observations); got != "5:2 6:INTERRUPTED" {
				t.Errorf("snapshot = %q, want 5:2 6:INTERRUPTED", got)
			}
			if _, next, _ := p.Cursor(); next != 7 {
				t.Errorf("cursor = %d, want 7", next)
			}
		})
	}
}

func TestPollerRun(t *testing.T) {
	f := newFakeAgent("1")
	f.failures = 2
	f.add("exec", "Execution", "READY")
	a, _ := newTestAgent(t, f, mtconnect.AgentOptions{Timeout: time.Second})
	var errs []error
	p := &mtconnect.Poller{Agent: a, Count: 2, Interval: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		OnError: func(err error) { errs = append(errs, err) }}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var seen []uint64
	go func() {
		for i := range 5 {
			time.Sleep(3 * time.Millisecond)
			f.add("pc", "PartCount", strconv.Itoa(i))
		}
	}()
	err := p.Run(ctx, func(ctx context.Context, b mtconnect.Batch) error {
		for _, o := range b.Observations {
			seen = append(seen, o.Sequence)
		}
		if len(seen) > 0 && seen[len(seen)-1] == 6 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want canceled once sequence 6 arrived", err)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("sequences %v are not strictly increasing", seen)
		}
	}
	if len(errs) != 2 {
		t.Errorf("OnError told %d times, want 2 (the agent's two 503s): %v", len(errs), errs)
	}
}
