package ingest

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/sparkplug"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// machine is what the ingest follows of one machine. Its fields are
// guarded by mu, which also keeps its messages in the order they were
// queued.
type machine struct {
	mu    sync.Mutex
	id    int64
	known bool      // state and since are what the store holds (or will, once last commits)
	state string    // the open interval's state
	since time.Time // and its start
	light *telemetry.StackLight
	lamp  int64    // the device of the stack light
	last  *Pending // the machine's latest queued write
}

// forget drops what the machine's state in memory says, after a write
// failed: the next message writes whatever it says.
func (mc *machine) forget() {
	mc.known, mc.last = false, nil
}

// apply follows the machine through message m and returns the intervals
// it adds.
func (in *Ingester) apply(mc *machine, m mqtt.Message) []nakamawashi.StateInterval {
	var out []nakamawashi.StateInterval
	emit := func(state string, at time.Time) {
		at = nakamawashi.TruncateTime(at)
		if mc.known && state == mc.state && !at.Before(mc.since) {
			return // no change
		}
		out = append(out, nakamawashi.StateInterval{MachineID: mc.id, DeviceID: m.Device.DeviceID, State: state, Start: at})
		if !mc.known || at.After(mc.since) {
			mc.known, mc.state, mc.since = true, state, at
		}
		// An interval before the open one is a late message: the store
		// fits it in before the next start, and the open one stays.
	}
	switch {
	case m.State != nil:
		emit(m.State.State.String(), m.State.At)
	case m.Light != nil:
		if mc.light == nil {
			mc.light = telemetry.NewStackLight("")
			mc.light.Debounce, mc.light.Yellow = in.cfg.Debounce, in.cfg.Yellow
		}
		mc.lamp = m.Device.DeviceID
		if err := mc.light.Observe(m.Light.Sample()); err != nil {
			in.log.Debug("ingest: stack-light sample out of order", "machine", mc.id, "error", err)
			return nil
		}
		in.emitLight(mc, emit)
	case m.Count != nil:
		// Counts are kept by the device as totals; no interval.
	case m.Status != nil:
		if !m.Status.Online {
			mc.light = nil // a new session starts from its first sample
			emit(telemetry.Off.String(), m.Status.At)
		}
	case m.Sparkplug != nil:
		in.applySparkplug(mc, m, emit)
	}
	return out
}

// emitLight emits the stack light's intervals closed since the last call
// and its open one.
func (in *Ingester) emitLight(mc *machine, emit func(string, time.Time)) {
	for _, iv := range mc.light.Take() {
		emit(iv.State.String(), iv.Start)
	}
	if st, since, ok := mc.light.Current(); ok {
		emit(st.String(), since)
	}
}

// applySparkplug follows an edge node's session and maps its metrics (the
// node's, overlaid with the device's for a device message) to a state.
func (in *Ingester) applySparkplug(mc *machine, m mqtt.Message, emit func(string, time.Time)) {
	sp := m.Sparkplug
	u := in.tracker.Apply(sp.Topic, sp.Payload)
	at := m.Received
	if t, ok := sp.Payload.Time(); ok {
		at = t
	}
	switch u.Action {
	case sparkplug.Rebirth:
		in.log.Info("ingest: asking a Sparkplug edge node for a rebirth", "group", sp.Topic.GroupID, "node", sp.Topic.EdgeNodeID, "reason", u.Reason)
		if in.cfg.Publish != nil {
			topic, payload, err := sparkplug.RebirthRequest(sp.Topic.GroupID, sp.Topic.EdgeNodeID, in.cfg.Now())
			if err == nil {
				err = in.cfg.Publish(topic, payload)
			}
			if err != nil {
				in.log.Warn("ingest: rebirth request not sent", "group", sp.Topic.GroupID, "node", sp.Topic.EdgeNodeID, "error", err)
			}
		}
		return
	case sparkplug.Ignore:
		return
	}
	switch sp.Topic.Type {
	case sparkplug.NDEATH, sparkplug.DDEATH:
		emit(telemetry.Off.String(), m.Received)
		return
	}
	n, ok := in.tracker.Node(sp.Topic.GroupID, sp.Topic.EdgeNodeID)
	if !ok {
		return
	}
	metrics := n.Metrics
	if sp.Topic.DeviceID != "" {
		if d, ok := n.Devices[sp.Topic.DeviceID]; ok {
			metrics = maps.Clone(n.Metrics)
			maps.Copy(metrics, d.Metrics)
		}
	}
	emit(in.stateMap.State(metrics), at)
}

// Tick brings the stack lights up to now: a lamp that went off and stayed
// off counts as off once its debounce has passed, even when the sensor
// sends nothing more. The intervals it adds are written without anyone
// waiting for them. Server calls it every second.
func (in *Ingester) Tick(ctx context.Context) {
	now := in.cfg.Now()
	in.machines.Range(func(_, v any) bool {
		mc := v.(*machine)
		mc.mu.Lock()
		defer mc.mu.Unlock()
		if mc.light == nil {
			return true
		}
		mc.light.Advance(now)
		var ivs []nakamawashi.StateInterval
		in.emitLight(mc, func(state string, at time.Time) {
			at = nakamawashi.TruncateTime(at)
			if mc.known && state == mc.state && !at.Before(mc.since) {
				return
			}
			ivs = append(ivs, nakamawashi.StateInterval{MachineID: mc.id, DeviceID: mc.lamp, State: state, Start: at})
			if !mc.known || at.After(mc.since) {
				mc.known, mc.state, mc.since = true, state, at
			}
		})
		if len(ivs) > 0 {
			r := &Pending{ivs: ivs, received: now, machine: mc, done: make(chan struct{})}
			if err := in.enqueue(ctx, r); err != nil {
				mc.forget()
				return false
			}
			mc.last = r
		}
		return true
	})
}
