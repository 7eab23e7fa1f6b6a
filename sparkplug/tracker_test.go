package sparkplug_test

import (
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/sparkplug"
)

// shop drives a Tracker with messages an edge node would publish, encoded
// and decoded as on the wire.
type shop struct {
	t   *testing.T
	tr  *sparkplug.Tracker
	now time.Time
}

func newShop(t *testing.T) *shop {
	s := &shop{t: t, now: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)}
	s.tr = &sparkplug.Tracker{Now: func() time.Time { return s.now }}
	return s
}

func (s *shop) send(topic string, p *sparkplug.Payload) sparkplug.Update {
	s.t.Helper()
	b, err := sparkplug.EncodePayload(p)
	if err != nil {
		s.t.Fatalf("encode: %v", err)
	}
	u, err := s.tr.Handle(topic, b)
	if err != nil {
		s.t.Fatalf("%s: %v", topic, err)
	}
	return u
}

func (s *shop) want(u sparkplug.Update, a sparkplug.Action) {
	s.t.Helper()
	if u.Action != a {
		s.t.Fatalf("%s: got %v (%s), want %v", u.Topic, u.Action, u.Reason, a)
	}
}

const (
	nbirth = "spBv1.0/Shop A/NBIRTH/edge-1"
	ndeath = "spBv1.0/Shop A/NDEATH/edge-1"
	ndata  = "spBv1.0/Shop A/NDATA/edge-1"
	dbirth = "spBv1.0/Shop A/DBIRTH/edge-1/lathe-1"
	ddata  = "spBv1.0/Shop A/DDATA/edge-1/lathe-1"
	ddeath = "spBv1.0/Shop A/DDEATH/edge-1/lathe-1"
)

func nbirthPayload(bdSeq uint64, seq uint64) *sparkplug.Payload {
	return &sparkplug.Payload{Timestamp: 1, Seq: seq, HasSeq: true, Metrics: []sparkplug.Metric{
		{Name: "bdSeq", DataType: sparkplug.Int64, Value: int64(bdSeq)},
		{Name: "Node Control/Rebirth", DataType: sparkplug.Boolean, Value: false},
		{Name: "Supply Voltage", Alias: 1, HasAlias: true, DataType: sparkplug.Float, Value: float32(24)},
	}}
}

func dbirthPayload(seq uint64) *sparkplug.Payload {
	return &sparkplug.Payload{Timestamp: 2, Seq: seq, HasSeq: true, Metrics: []sparkplug.Metric{
		{Name: "Machine/Execution", Alias: 10, HasAlias: true, DataType: sparkplug.String, Value: "READY"},
		{Name: "Machine/Alarm", Alias: 11, HasAlias: true, DataType: sparkplug.Boolean, Value: false},
		{Name: "Machine/Power", Alias: 12, HasAlias: true, DataType: sparkplug.Boolean, Value: true},
		{Name: "Spindle/Load", Alias: 13, HasAlias: true, DataType: sparkplug.Int16, Value: int16(0)},
	}}
}

// alias returns a DATA metric that carries only an alias and its value in
// the wire type, leaving the datatype to the birth, as edge nodes may.
func alias(a uint64, raw any) sparkplug.Metric {
	return sparkplug.Metric{Alias: a, HasAlias: true, Value: raw}
}

func data(seq uint64, ms ...sparkplug.Metric) *sparkplug.Payload {
	return &sparkplug.Payload{Timestamp: 3, Seq: seq, HasSeq: true, Metrics: ms}
}

func TestTrackerBirthsDataAndState(t *testing.T) {
	s := newShop(t)
	s.want(s.send(nbirth, nbirthPayload(3, 0)), sparkplug.Accept)
	s.want(s.send(dbirth, dbirthPayload(1)), sparkplug.Accept)
	sm := sparkplug.DefaultStateMap()
	d, _ := s.tr.Device("Shop A", "edge-1", "lathe-1")
	if got := sm.State(d.Metrics); got != sparkplug.StateIdle {
		t.Errorf("after DBIRTH: got %s, want idle", got)
	}

	u := s.send(ddata, data(2, alias(10, "ACTIVE"), alias(13, uint32(0xfffffff6))))
	s.want(u, sparkplug.Accept)
	if u.Metrics[0].Name != "Machine/Execution" || u.Metrics[1].Name != "Spindle/Load" || u.Metrics[1].Value != int16(-10) {
		t.Errorf("got %+v, want names from the birth and Int16 -10", u.Metrics)
	}
	d, _ = s.tr.Device("Shop A", "edge-1", "lathe-1")
	if got := sm.State(d.Metrics); got != sparkplug.StateRunning {
		t.Errorf("got %s, want running", got)
	}
	s.want(s.send(ddata, data(3, alias(11, true))), sparkplug.Accept)
	d, _ = s.tr.Device("Shop A", "edge-1", "lathe-1")
	if got := sm.State(d.Metrics); got != sparkplug.StateAlarm {
		t.Errorf("got %s, want alarm", got)
	}
	// A node metric by name, with its datatype.
	s.want(s.send(ndata, data(4, sparkplug.Metric{Name: "Supply Voltage", DataType: sparkplug.Float, Value: float32(23.5)})), sparkplug.Accept)
	n, _ := s.tr.Node("Shop A", "edge-1")
	if !n.Online || n.BdSeq != 3 || !n.HasBdSeq || n.Seq != 4 || n.Metrics["Supply Voltage"].Value != float32(23.5) {
		t.Errorf("got %+v", n)
	}
}

func TestTrackerSeqWraps(t *testing.T) {
	s := newShop(t)
	s.want(s.send(nbirth, nbirthPayload(0, 0)), sparkplug.Accept)
	s.want(s.send(dbirth, dbirthPayload(1)), sparkplug.Accept)
	for seq := uint64(2); seq <= 255; seq++ {
		s.want(s.send(ddata, data(seq, alias(13, uint32(seq)))), sparkplug.Accept)
	}
	s.want(s.send(ndata, data(0, alias(1, float32(1)))), sparkplug.Accept)
	s.want(s.send(ddata, data(1, alias(10, "ACTIVE"))), sparkplug.Accept)
	if n, _ := s.tr.Node("Shop A", "edge-1"); n.Seq != 1 {
		t.Errorf("seq %d, want 1", n.Seq)
	}
}

func TestTrackerSeqGapAsksForRebirth(t *testing.T) {
	s := newShop(t)
	s.want(s.send(nbirth, nbirthPayload(0, 0)), sparkplug.Accept)
	s.want(s.send(dbirth, dbirthPayload(1)), sparkplug.Accept)
	u := s.send(ddata, data(3, alias(10, "ACTIVE"))) // 2 was lost
	s.want(u, sparkplug.Rebirth)
	if u.Metrics != nil {
		t.Errorf("values of a message after a gap were passed on: %+v", u.Metrics)
	}
	d, _ := s.tr.Device("Shop A", "edge-1", "lathe-1")
	if v := d.Metrics["Machine/Execution"].Value; v != "READY" {
		t.Errorf("execution %v, want the birth's READY: the message after the gap is ignored", v)
	}
	// More messages before the births arrive ask no more…
	s.want(s.send(ddata, data(4, alias(10, "ACTIVE"))), sparkplug.Ignore)
	// …until the interval has passed without a birth.
	s.now = s.now.Add(6 * time.Second)
	s.want(s.send(ddata, data(5, alias(10, "ACTIVE"))), sparkplug.Rebirth)
	// The rebirth starts a clean session.
	s.want(s.send(nbirth, nbirthPayload(0, 0)), sparkplug.Accept)
	s.want(s.send(ddata, data(1, alias(10, "ACTIVE"))), sparkplug.Rebirth) // no DBIRTH yet
	s.now = s.now.Add(6 * time.Second)
	s.want(s.send(nbirth, nbirthPayload(0, 0)), sparkplug.Accept)
	s.want(s.send(dbirth, dbirthPayload(1)), sparkplug.Accept)
	s.want(s.send(ddata, data(2, alias(10, "ACTIVE"))), sparkplug.Accept)
	if n, _ := s.tr.Node("Shop A", "edge-1"); n.AwaitingRebirth {
		t.Error("still awaiting a rebirth after the births")
	}
}

func TestTrackerDataBeforeBirth(t *testing.T) {
	s := newShop(t)
	s.want(s.send(ddata, data(5, alias(10, "ACTIVE"))), sparkplug.Rebirth)
	s.want(s.send(ndata, data(6, alias(1, float32(1)))), sparkplug.Ignore) // asked already
	s.want(s.send(nbirth, nbirthPayload(1, 0)), sparkplug.Accept)
	s.want(s.send(ddata, data(1, alias(10, "ACTIVE"))), sparkplug.Rebirth) // device not born
}

func TestTrackerUnknownAliasOrMetric(t *testing.T) {
	for _, m := range []sparkplug.Metric{
		alias(99, "ACTIVE"),
		{Name: "Not/Born", DataType: sparkplug.String, Value: "x"},
		{Name: "Machine/Alarm", Alias: 10, HasAlias: true, DataType: sparkplug.Boolean, Value: true}, // alias of another name
		{DataType: sparkplug.Boolean, Value: true},                                                   // neither name nor alias
	} {
		s := newShop(t)
		s.want(s.send(nbirth, nbirthPayload(0, 0)), sparkplug.Accept)
		s.want(s.send(dbirth, dbirthPayload(1)), sparkplug.Accept)
		u := s.send(ddata, data(2, alias(11, true), m))
		s.want(u, sparkplug.Rebirth)
		d, _ := s.tr.Device("Shop A", "edge-1", "lathe-1")
		if d.Metrics["Machine/Alarm"].Value != false {
			t.Errorf("%+v: the message's other values were applied", m)
		}
	}
}

func TestTrackerDeaths(t *testing.T) {
	s := newShop(t)
	s.want(s.send(nbirth, nbirthPayload(7, 0)), sparkplug.Accept)
	s.want(s.send(dbirth, dbirthPayload(1)), sparkplug.Accept)

	death := func(bd uint64) *sparkplug.Payload {
		return &sparkplug.Payload{Timestamp: 9, Metrics: []sparkplug.Metric{{Name: "bdSeq", DataType: sparkplug.Int64, Value: int64(bd)}}}
	}
	// The will of an earlier session, delivered late: stale.
	u := s.send(ndeath, death(6))
	s.want(u, sparkplug.Ignore)
	if n, _ := s.tr.Node("Shop A", "edge-1"); !n.Online || !n.Devices["lathe-1"].Online {
		t.Fatalf("a stale NDEATH took the node offline: %+v", n)
	}
	s.want(s.send(ndeath, &sparkplug.Payload{}), sparkplug.Ignore) // no bdSeq

	// DDEATH takes the device offline; it carries seq.
	s.want(s.send(ddeath, &sparkplug.Payload{Timestamp: 9, Seq: 2, HasSeq: true}), sparkplug.Accept)
	n, _ := s.tr.Node("Shop A", "edge-1")
	if !n.Online || n.Devices["lathe-1"].Online {
		t.Fatalf("after DDEATH: %+v", n)
	}
	s.want(s.send(ddata, data(3, alias(10, "ACTIVE"))), sparkplug.Rebirth) // a dead device sends no data
	s.now = s.now.Add(time.Minute)

	// The NDEATH of the current session takes node and devices offline.
	s.want(s.send(nbirth, nbirthPayload(8, 0)), sparkplug.Accept)
	s.want(s.send(dbirth, dbirthPayload(1)), sparkplug.Accept)
	s.want(s.send(ndeath, death(8)), sparkplug.Accept)
	n, _ = s.tr.Node("Shop A", "edge-1")
	if n.Online || n.Devices["lathe-1"].Online {
		t.Fatalf("after NDEATH: %+v", n)
	}
	s.want(s.send(ndata, data(2, alias(1, float32(1)))), sparkplug.Rebirth)
	s.want(s.send("spBv1.0/Shop A/NDEATH/edge-9", death(0)), sparkplug.Ignore) // unknown node
}

func TestTrackerIgnoresCommandsAndState(t *testing.T) {
	tr := &sparkplug.Tracker{}
	_, b, _ := sparkplug.RebirthRequest("Shop A", "edge-1", time.Now())
	for _, topic := range []string{"spBv1.0/Shop A/NCMD/edge-1", "spBv1.0/STATE/host-1"} {
		u, err := tr.Handle(topic, b)
		if err != nil || u.Action != sparkplug.Ignore {
			t.Errorf("%s: got %v %v, want ignore", topic, u.Action, err)
		}
	}
	if _, err := tr.Handle("spBv1.0/Shop A/NDATA/edge-1", []byte{0xff}); err == nil {
		t.Error("a malformed payload gave no error")
	}
	if _, err := tr.Handle("spAv1.0/Shop A/NDATA/edge-1", nil); err == nil {
		t.Error("a malformed topic gave no error")
	}
}

func TestTrackerBadBirths(t *testing.T) {
	s := newShop(t)
	noSeq := nbirthPayload(0, 0)
	noSeq.HasSeq = false
	s.want(s.send(nbirth, noSeq), sparkplug.Rebirth)
	s.now = s.now.Add(time.Minute)
	dup := nbirthPayload(0, 0)
	dup.Metrics = append(dup.Metrics, sparkplug.Metric{Name: "Other", Alias: 1, HasAlias: true, DataType: sparkplug.Int32, Value: int32(1)})
	s.want(s.send(nbirth, dup), sparkplug.Rebirth)
}
