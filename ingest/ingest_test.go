package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/sparkplug"
)

// An acknowledged state is in the store; a repeated state adds nothing.
func TestStatesDurableOnAck(t *testing.T) {
	s := MustOpenStore(t)
	d := MustCreateDevices(t, s, 1)[0]
	srv := MustOpenServer(t, ingest.ServerConfig{Store: s})
	c := dial(t, srv.Addr(), d, mqtt.ClientConfig{})

	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	at := func(min int) string { return t0.Add(time.Duration(min) * time.Minute).Format(time.RFC3339) }
	publish(t, c, d.topic(mqtt.KindState), `{"state":"setup","at":"`+at(0)+`"}`)
	// The PUBACK came: the interval must be there, without waiting.
	if got := states(intervals(t, s, d.MachineID)); !slices.Equal(got, []string{"setup"}) {
		t.Fatalf("after the first PUBACK: states %v, want [setup]", got)
	}
	publish(t, c, d.topic(mqtt.KindState), `{"state":"running","at":"`+at(10)+`"}`)
	publish(t, c, d.topic(mqtt.KindState), `{"state":"running","at":"`+at(20)+`"}`) // no change
	publish(t, c, d.topic(mqtt.KindState), `{"state":"alarm","at":"`+at(30)+`"}`)
	ivs := intervals(t, s, d.MachineID)
	if got := states(ivs); !slices.Equal(got, []string{"setup", "running", "alarm"}) {
		t.Fatalf("states %v, want [setup running alarm]", got)
	}
	if !ivs[1].Start.Equal(t0.Add(10*time.Minute)) || !ivs[1].End.Equal(t0.Add(30*time.Minute)) || ivs[1].DeviceID != d.ID {
		t.Errorf("running interval %+v, want 10 to 30 min after %s from device %d", ivs[1], t0, d.ID)
	}
	st := srv.Ingester.Stats()
	if st.Durable != 3 || st.Unchanged != 1 || st.Intervals != 3 {
		t.Errorf("stats %+v, want 3 durable, 1 unchanged, 3 intervals", st)
	}
}

// A stack light's lamps become states with the debounce: a blinking lamp is
// on, and a lamp that went off counts as off only after the debounce.
func TestStackLight(t *testing.T) {
	s := MustOpenStore(t)
	d := MustCreateDevices(t, s, 1)[0]
	srv := MustOpenServer(t, ingest.ServerConfig{Store: s, Ingest: ingest.Config{Debounce: 2 * time.Second}})
	c := dial(t, srv.Addr(), d, mqtt.ClientConfig{})
	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	light := func(sec int, g, y, r bool) {
		publish(t, c, d.topic(mqtt.KindLight), fmt.Sprintf(`{"green":%t,"yellow":%t,"red":%t,"at":"%s"}`, g, y, r,
			t0.Add(time.Duration(sec)*time.Second).Format(time.RFC3339)))
	}
	light(0, true, false, false) // running
	light(1, false, false, false)
	light(2, true, false, false) // blinking: still running
	light(3, false, false, false)
	light(4, true, false, false)
	light(10, false, true, false) // green off at 10, yellow (setup) on
	light(60, false, false, false)
	light(70, false, false, false) // everything off since 60, debounced at 62
	ivs := intervals(t, s, d.MachineID)
	want := []struct {
		state string
		start int
	}{{"running", 0}, {"setup", 10}, {"off", 62}}
	if len(ivs) != len(want) {
		t.Fatalf("intervals %+v, want %v", ivs, want)
	}
	for i, w := range want {
		if ivs[i].State != w.state || !ivs[i].Start.Equal(t0.Add(time.Duration(w.start)*time.Second)) {
			t.Errorf("interval %d: %s from %s, want %s from +%ds", i, ivs[i].State, ivs[i].Start, w.state, w.start)
		}
	}
}

// The will, a published "offline" and a connection lost without a will
// all make the machine off.
func TestOffline(t *testing.T) {
	s := MustOpenStore(t)
	devs := MustCreateDevices(t, s, 3)
	srv := MustOpenServer(t, ingest.ServerConfig{Store: s})
	lastState := func(d device) string {
		ivs := intervals(t, s, d.MachineID)
		if len(ivs) == 0 {
			return ""
		}
		return ivs[len(ivs)-1].State
	}
	waitOff := func(d device) {
		t.Helper()
		eventually(t, 5*time.Second, func() error {
			if got := lastState(d); got != "off" {
				return fmt.Errorf("machine %d is %q, want off", d.MachineID, got)
			}
			return nil
		})
	}

	// With a will, dropped.
	w := dial(t, srv.Addr(), devs[0], mqtt.ClientConfig{Will: &mqtt.Will{Topic: devs[0].topic(mqtt.KindStatus), Payload: []byte("offline"), QoS: 1}})
	publish(t, w, devs[0].topic(mqtt.KindState), `{"state":"running"}`)
	w.Drop()
	waitOff(devs[0])

	// Saying so.
	c := dial(t, srv.Addr(), devs[1], mqtt.ClientConfig{})
	publish(t, c, devs[1].topic(mqtt.KindState), `{"state":"idle"}`)
	publish(t, c, devs[1].topic(mqtt.KindStatus), `offline`)
	if got := lastState(devs[1]); got != "off" {
		t.Errorf("after status offline: %q, want off", got)
	}

	// Without a will, dropped.
	n := dial(t, srv.Addr(), devs[2], mqtt.ClientConfig{})
	publish(t, n, devs[2].topic(mqtt.KindState), `{"state":"running"}`)
	n.Drop()
	waitOff(devs[2])
}

// A device that dies without a word (no FIN, no will) is offline once the
// keepalive the broker allows has run out 1.5 times.
func TestOfflineSilence(t *testing.T) {
	s := MustOpenStore(t)
	d := MustCreateDevices(t, s, 1)[0]
	srv := MustOpenServer(t, ingest.ServerConfig{Store: s, MaxKeepalive: time.Second})
	// The device asks for an hour and will not ping before 30 minutes:
	// it goes silent.
	c := dial(t, srv.Addr(), d, mqtt.ClientConfig{Keepalive: time.Hour})
	start := time.Now()
	publish(t, c, d.topic(mqtt.KindState), `{"state":"running"}`)
	eventually(t, 10*time.Second, func() error {
		ivs := intervals(t, s, d.MachineID)
		if got := states(ivs); !slices.Equal(got, []string{"running", "off"}) {
			return fmt.Errorf("states %v, want [running off]", got)
		}
		return nil
	})
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("offline after %s, want about 1.5 s", took)
	}
}

// Messages of many devices at once are committed together.
func TestGroupCommit(t *testing.T) {
	s := MustOpenStore(t)
	devs := MustCreateDevices(t, s, 50)
	srv := MustOpenServer(t, ingest.ServerConfig{Store: s})
	const each = 20
	var wg sync.WaitGroup
	t0 := time.Now().Add(-time.Hour).UTC()
	for _, d := range devs {
		c := dial(t, srv.Addr(), d, mqtt.ClientConfig{})
		wg.Go(func() {
			for i := range each {
				st := []string{"running", "idle"}[i%2]
				publish(t, c, d.topic(mqtt.KindState), fmt.Sprintf(`{"state":%q,"at":%q}`, st, t0.Add(time.Duration(i)*time.Second).Format(time.RFC3339Nano)))
			}
		})
	}
	wg.Wait()
	st := srv.Ingester.Stats()
	if st.Durable != 50*each || st.Intervals != 50*each {
		t.Errorf("stats %+v, want %d durable messages and intervals", st, 50*each)
	}
	if st.Batches >= st.Durable/2 {
		t.Errorf("%d transactions for %d messages: no group commit", st.Batches, st.Durable)
	}
	for _, d := range devs {
		if n := len(intervals(t, s, d.MachineID)); n != each {
			t.Errorf("machine %d has %d intervals, want %d", d.MachineID, n, each)
		}
	}
}

// failingStore refuses every batch that holds an interval of one machine.
type failingStore struct {
	ingest.DeviceStore
	bad int64
}

func (f failingStore) AppendStateIntervals(ctx context.Context, ivs []nakamawashi.StateInterval) error {
	for _, iv := range ivs {
		if iv.MachineID == f.bad {
			return nakamawashi.Errorf(nakamawashi.ENOTFOUND, "err.machine.not_found")
		}
	}
	return f.DeviceStore.AppendStateIntervals(ctx, ivs)
}

// One machine's refused interval fails its own message only, and the
// machine's next message is written again.
func TestRefusedBatchSplit(t *testing.T) {
	s := MustOpenStore(t)
	devs := MustCreateDevices(t, s, 8)
	srv := MustOpenServer(t, ingest.ServerConfig{Store: failingStore{s, devs[3].MachineID}})
	var wg sync.WaitGroup
	errs := make([]error, len(devs))
	for i, d := range devs {
		c := dial(t, srv.Addr(), d, mqtt.ClientConfig{Version: 5})
		wg.Go(func() {
			errs[i] = c.Publish(context.Background(), d.topic(mqtt.KindState), []byte(`{"state":"running"}`), 1, false)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (i == 3) != (err != nil) {
			t.Errorf("device %d: publish error %v", i, err)
		}
		if i != 3 && len(intervals(t, s, devs[i].MachineID)) != 1 {
			t.Errorf("device %d: no interval stored", i)
		}
	}
}

// A full queue makes publishers wait (the broker lets no more than Queue
// messages in at once); nothing is lost.
func TestBackpressure(t *testing.T) {
	s := MustOpenStore(t)
	devs := MustCreateDevices(t, s, 20)
	slow := slowStore{DeviceStore: s, delay: 20 * time.Millisecond}
	srv := MustOpenServer(t, ingest.ServerConfig{Store: slow, Ingest: ingest.Config{Queue: 2}})
	var wg sync.WaitGroup
	for _, d := range devs {
		c := dial(t, srv.Addr(), d, mqtt.ClientConfig{})
		wg.Go(func() {
			for i := range 5 {
				publish(t, c, d.topic(mqtt.KindState), fmt.Sprintf(`{"state":%q}`, []string{"running", "idle"}[i%2]))
			}
		})
	}
	wg.Wait()
	st := srv.Ingester.Stats()
	if st.Durable != 100 || st.Batches < 50 {
		t.Errorf("stats %+v, want 100 durable messages in at least 50 transactions of at most 2", st)
	}
}

type slowStore struct {
	ingest.DeviceStore
	delay time.Duration
}

func (s slowStore) AppendStateIntervals(ctx context.Context, ivs []nakamawashi.StateInterval) error {
	time.Sleep(s.delay)
	return s.DeviceStore.AppendStateIntervals(ctx, ivs)
}

// Malformed payloads are counted for their device and do not stop it or
// others.
func TestMalformed(t *testing.T) {
	s := MustOpenStore(t)
	devs := MustCreateDevices(t, s, 2)
	srv := MustOpenServer(t, ingest.ServerConfig{Store: s})
	bad := dial(t, srv.Addr(), devs[0], mqtt.ClientConfig{Version: 5})
	good := dial(t, srv.Addr(), devs[1], mqtt.ClientConfig{})
	err := bad.Publish(context.Background(), devs[0].topic(mqtt.KindState), []byte(`{"state":"dancing"}`), 1, false)
	if err == nil {
		t.Error("malformed state acknowledged as a success in MQTT 5")
	}
	publish(t, good, devs[1].topic(mqtt.KindState), `{"state":"running"}`)
	publish(t, bad, devs[0].topic(mqtt.KindState), `{"state":"idle"}`)
	if st := srv.Broker.DeviceStats(devs[0].ID); st.Malformed != 1 || st.Accepted != 1 {
		t.Errorf("device stats %+v, want 1 malformed, 1 accepted", st)
	}
}

// Sparkplug births and data map to states with the default rules; a gap in
// seq asks for a rebirth.
func TestSparkplug(t *testing.T) {
	s := MustOpenStore(t)
	d := MustCreateDevices(t, s, 1)[0]
	srv := MustOpenServer(t, ingest.ServerConfig{Store: s})
	c := dial(t, srv.Addr(), d, mqtt.ClientConfig{})
	company, machine := d.Topic()
	if err := c.Subscribe(context.Background(), "spBv1.0/"+company+"/NCMD/"+machine); err != nil {
		t.Fatal(err)
	}
	t0 := uint64(time.Now().Add(-time.Hour).UnixMilli())
	send := func(typ sparkplug.MessageType, seq uint64, ts uint64, ms ...sparkplug.Metric) {
		t.Helper()
		b, err := sparkplug.EncodePayload(&sparkplug.Payload{Timestamp: ts, Seq: seq, HasSeq: true, Metrics: ms})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Publish(context.Background(), "spBv1.0/"+company+"/"+string(typ)+"/"+machine, b, 1, false); err != nil {
			t.Fatal(err)
		}
	}
	str := func(name, v string) sparkplug.Metric {
		return sparkplug.Metric{Name: name, DataType: sparkplug.String, Value: v}
	}
	send(sparkplug.NBIRTH, 0, t0, sparkplug.Metric{Name: "bdSeq", DataType: sparkplug.UInt64, Value: uint64(0)},
		str("Machine/Execution", "READY"), str("Machine/Mode", "AUTOMATIC"))
	send(sparkplug.NDATA, 1, t0+60000, str("Machine/Execution", "ACTIVE"))
	send(sparkplug.NDATA, 2, t0+120000, str("Machine/Mode", "SETUP"))
	ivs := intervals(t, s, d.MachineID)
	if got := states(ivs); !slices.Equal(got, []string{"idle", "running", "setup"}) {
		t.Fatalf("states %v, want [idle running setup]", got)
	}
	if !ivs[1].Start.Equal(time.UnixMilli(int64(t0 + 60000))) {
		t.Errorf("running from %s, want the payload's timestamp", ivs[1].Start)
	}
	send(sparkplug.NDATA, 9, t0+180000, str("Machine/Execution", "READY")) // a gap
	if n := len(intervals(t, s, d.MachineID)); n != 3 {
		t.Errorf("data after a seq gap was applied: %d intervals", n)
	}
}

func TestMachineID(t *testing.T) {
	for code, want := range map[string]int64{"m1": 1, "m123": 123, "m0": 0, "m01": 0, "x1": 0, "m": 0, "m-1": 0, "m99999999999999999999": 0} {
		got, err := ingest.MachineID(code)
		if got != want || (err != nil) != (want == 0) {
			t.Errorf("MachineID(%q) = %d, %v; want %d", code, got, err, want)
		}
	}
	if _, err := ingest.MachineID("m0"); nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("err %v, want EINVALID", err)
	}
}

func TestNewValidates(t *testing.T) {
	if _, err := ingest.New(ingest.Config{}); err == nil {
		t.Error("New without a store: err = nil")
	}
	bad := sparkplug.StateMap{Running: []sparkplug.Rule{{Metric: "", Value: true}}}
	if _, err := ingest.New(ingest.Config{Store: MustOpenStore(t), StateMap: &bad}); err == nil {
		t.Error("New with a bad state map: err = nil")
	}
	var e *nakamawashi.Error
	if _, err := ingest.Open(context.Background(), ingest.ServerConfig{}); !errors.As(err, &e) {
		t.Errorf("Open without a store: %v, want a *nakamawashi.Error", err)
	}
}
