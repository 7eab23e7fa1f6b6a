package sparkplug

import (
	"fmt"
	"maps"
	"sync"
	"time"
)

// Action is what a Tracker made of a message.
type Action int

const (
	// Accept: the message was in order and its values are applied.
	Accept Action = iota
	// Ignore: the message changes nothing: a stale NDEATH, a command, a
	// host's STATE, or data while a rebirth requested moments ago is
	// awaited.
	Ignore
	// Rebirth: the message is out of order or cannot be understood
	// (a seq gap, data before a birth, an unknown alias or metric); its
	// values are ignored and the caller should send RebirthRequest to the
	// edge node.
	Rebirth
)

func (a Action) String() string {
	switch a {
	case Accept:
		return "accept"
	case Ignore:
		return "ignore"
	case Rebirth:
		return "rebirth"
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// Update is the outcome of one message.
type Update struct {
	Action Action
	Reason string // why a message was ignored or a rebirth is needed, for the logs
	Topic  Topic
	// Metrics are the metrics of an accepted birth or data message, with
	// names resolved from aliases and values typed from the birth.
	Metrics []Metric
}

// Node is what a Tracker knows of an edge node. The values returned by
// Tracker.Node are copies.
type Node struct {
	GroupID    string
	EdgeNodeID string
	Online     bool   // between an NBIRTH and the NDEATH of its session
	BdSeq      uint64 // the bdSeq of the current session, when HasBdSeq
	HasBdSeq   bool
	Seq        uint64 // the last seq received
	// AwaitingRebirth is set from a rebirth request until the next NBIRTH.
	AwaitingRebirth bool
	Metrics         map[string]Metric // the last value of each metric, by name
	Devices         map[string]Device
}

// Device is what a Tracker knows of a device of an edge node.
type Device struct {
	ID      string
	Online  bool // between a DBIRTH and a DDEATH, NDEATH or new NBIRTH
	Metrics map[string]Metric
}

// Tracker follows the sessions of edge nodes from their messages, as a
// Sparkplug host application does: it checks bdSeq and seq, learns metric
// names, aliases and datatypes from births and keeps the last value of
// every metric. It is safe for concurrent use, but seq checks only make
// sense when messages are applied in the order they arrived.
type Tracker struct {
	// Now is the clock for rebirth requests; time.Now when nil.
	Now func() time.Time
	// RebirthInterval is how long a Tracker waits for the births it asked
	// for before it asks again; 5 seconds when zero.
	RebirthInterval time.Duration

	mu    sync.Mutex
	nodes map[[2]string]*nodeState
}

type nodeState struct {
	Node
	devices   map[string]*deviceState
	scope     // the node's own metrics
	requested time.Time
	reason    string
}

type deviceState struct {
	Device
	scope
}

// scope holds what a birth declares: names, aliases and datatypes.
type scope struct {
	aliases map[uint64]string
	types   map[string]DataType
}

// Handle parses the topic, decodes the payload and applies the message. A
// malformed topic or payload is an error and changes nothing; a gap it
// leaves in seq asks for a rebirth with the next message.
func (t *Tracker) Handle(topic string, payload []byte) (Update, error) {
	tp, err := ParseTopic(topic)
	if err != nil {
		return Update{Action: Ignore, Reason: "malformed topic"}, err
	}
	if tp.Type == STATE || tp.Type == NCMD || tp.Type == DCMD {
		return Update{Action: Ignore, Reason: "not an edge node report", Topic: tp}, nil
	}
	p, err := DecodePayload(payload)
	if err != nil {
		return Update{Action: Ignore, Reason: "malformed payload", Topic: tp}, err
	}
	return t.Apply(tp, p), nil
}

// Apply applies a decoded message.
func (t *Tracker) Apply(tp Topic, p *Payload) Update {
	t.mu.Lock()
	defer t.mu.Unlock()
	u := Update{Topic: tp}
	if tp.Type == STATE || tp.Type == NCMD || tp.Type == DCMD {
		u.Action, u.Reason = Ignore, "not an edge node report"
		return u
	}
	key := [2]string{tp.GroupID, tp.EdgeNodeID}
	if t.nodes == nil {
		t.nodes = map[[2]string]*nodeState{}
	}
	n := t.nodes[key]
	if n == nil {
		if tp.Type == NDEATH {
			u.Action, u.Reason = Ignore, "NDEATH of an unknown edge node"
			return u
		}
		n = &nodeState{Node: Node{GroupID: tp.GroupID, EdgeNodeID: tp.EdgeNodeID, Metrics: map[string]Metric{}}, devices: map[string]*deviceState{}}
		t.nodes[key] = n
	}
	switch tp.Type {
	case NBIRTH:
		return t.nbirth(n, p, u)
	case NDEATH:
		return ndeath(n, p, u)
	}
	// DBIRTH, DDEATH, NDATA, DDATA: the node must be in a session and the
	// message next in its seq.
	if n.AwaitingRebirth {
		return t.rebirth(n, u, n.reason)
	}
	if !n.Online {
		return t.rebirth(n, u, fmt.Sprintf("%s before NBIRTH", tp.Type))
	}
	if !p.HasSeq {
		return t.rebirth(n, u, fmt.Sprintf("%s without seq", tp.Type))
	}
	if want := (n.Seq + 1) % 256; p.Seq != want {
		return t.rebirth(n, u, fmt.Sprintf("%s seq %d, want %d", tp.Type, p.Seq, want))
	}
	n.Seq = p.Seq
	d := n.devices[tp.DeviceID]
	switch tp.Type {
	case DBIRTH:
		sc, ms, reason := birth(p)
		if reason != "" {
			return t.rebirth(n, u, "DBIRTH: "+reason)
		}
		if d == nil {
			d = &deviceState{Device: Device{ID: tp.DeviceID}}
			n.devices[tp.DeviceID] = d
		}
		d.Online, d.scope, d.Metrics = true, sc, map[string]Metric{}
		store(d.Metrics, ms)
		u.Action, u.Metrics = Accept, ms
	case DDEATH:
		if d == nil {
			u.Action, u.Reason = Ignore, "DDEATH of an unknown device"
			return u
		}
		d.Online = false
		u.Action = Accept
	case NDATA, DDATA:
		sc := &n.scope
		if tp.Type == DDATA {
			if d == nil || !d.Online {
				return t.rebirth(n, u, "DDATA before DBIRTH")
			}
			sc = &d.scope
		}
		ms := make([]Metric, 0, len(p.Metrics))
		for _, m := range p.Metrics {
			m, reason := sc.resolve(m)
			if reason != "" {
				return t.rebirth(n, u, fmt.Sprintf("%s: %s", tp.Type, reason))
			}
			ms = append(ms, m)
		}
		if tp.Type == DDATA {
			store(d.Metrics, ms)
		} else {
			store(n.Metrics, ms)
		}
		u.Action, u.Metrics = Accept, ms
	}
	return u
}

func (t *Tracker) nbirth(n *nodeState, p *Payload, u Update) Update {
	if !p.HasSeq {
		return t.rebirth(n, u, "NBIRTH without seq")
	}
	if p.Seq > 255 {
		return t.rebirth(n, u, fmt.Sprintf("NBIRTH seq %d out of range", p.Seq))
	}
	sc, ms, reason := birth(p)
	if reason != "" {
		return t.rebirth(n, u, "NBIRTH: "+reason)
	}
	n.scope, n.Seq, n.Online = sc, p.Seq, true
	n.AwaitingRebirth, n.reason = false, ""
	n.BdSeq, n.HasBdSeq = bdSeq(p)
	n.Metrics = map[string]Metric{}
	store(n.Metrics, ms)
	// The devices must be born again in the new session.
	for _, d := range n.devices {
		d.Online, d.scope = false, scope{}
	}
	u.Action, u.Metrics = Accept, ms
	return u
}

func ndeath(n *nodeState, p *Payload, u Update) Update {
	seq, ok := bdSeq(p)
	switch {
	case !ok:
		u.Action, u.Reason = Ignore, "NDEATH without bdSeq"
	case n.HasBdSeq && seq != n.BdSeq:
		u.Action, u.Reason = Ignore, fmt.Sprintf("stale NDEATH: bdSeq %d, session bdSeq %d", seq, n.BdSeq)
	default:
		n.Online, n.AwaitingRebirth, n.reason = false, false, ""
		for _, d := range n.devices {
			d.Online = false
		}
		u.Action = Accept
	}
	return u
}

// rebirth returns a Rebirth update, or Ignore while the births asked for
// less than RebirthInterval ago are awaited, so that a burst of messages
// after a gap asks once.
func (t *Tracker) rebirth(n *nodeState, u Update, reason string) Update {
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	interval := t.RebirthInterval
	if interval == 0 {
		interval = 5 * time.Second
	}
	at := now()
	if n.AwaitingRebirth && at.Sub(n.requested) < interval {
		u.Action, u.Reason = Ignore, "awaiting rebirth: "+n.reason
		return u
	}
	n.AwaitingRebirth, n.requested, n.reason = true, at, reason
	u.Action, u.Reason = Rebirth, reason
	return u
}

// birth reads the names, aliases and datatypes a birth declares.
func birth(p *Payload) (scope, []Metric, string) {
	sc := scope{aliases: map[uint64]string{}, types: map[string]DataType{}}
	for _, m := range p.Metrics {
		if m.Name == "" {
			return sc, nil, "a metric without a name"
		}
		if m.HasAlias {
			if other, dup := sc.aliases[m.Alias]; dup && other != m.Name {
				return sc, nil, fmt.Sprintf("alias %d names both %q and %q", m.Alias, other, m.Name)
			}
			sc.aliases[m.Alias] = m.Name
		}
		sc.types[m.Name] = m.DataType
	}
	return sc, p.Metrics, ""
}

// resolve names a DATA metric from its alias and types its value from the
// birth; it returns why not when it cannot.
func (sc *scope) resolve(m Metric) (Metric, string) {
	name := m.Name
	if m.HasAlias {
		n, ok := sc.aliases[m.Alias]
		if !ok {
			return m, fmt.Sprintf("unknown alias %d", m.Alias)
		}
		if name != "" && name != n {
			return m, fmt.Sprintf("alias %d is %q in the birth, %q here", m.Alias, n, name)
		}
		name = n
	}
	if name == "" {
		return m, "a metric with neither name nor alias"
	}
	t, ok := sc.types[name]
	if !ok {
		return m, fmt.Sprintf("metric %q is not in the birth", name)
	}
	m.Name = name
	if m.DataType == Unknown && t != Unknown {
		w := m.wire
		if w.k == kNone && m.Value != nil {
			w, _ = fromRaw(Unknown, m.Value)
		}
		v, err := typed(t, w)
		if err != nil {
			return m, fmt.Sprintf("metric %q: %v", name, err)
		}
		m.DataType, m.Value = t, v
	}
	return m, ""
}

// store keeps the last real-time value of each metric; historical values
// do not replace it.
func store(into map[string]Metric, ms []Metric) {
	for _, m := range ms {
		if !m.IsHistorical {
			into[m.Name] = m
		}
	}
}

// bdSeq returns the value of the bdSeq metric of a payload.
func bdSeq(p *Payload) (uint64, bool) {
	m, ok := p.Metric(BdSeqMetric)
	if !ok {
		return 0, false
	}
	if u, ok := m.Value.(uint64); ok {
		return u, true
	}
	i, ok := asInt(m.Value)
	return uint64(i), ok
}

// Node returns a copy of what the tracker knows of an edge node.
func (t *Tracker) Node(group, node string) (Node, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, ok := t.nodes[[2]string{group, node}]
	if !ok {
		return Node{}, false
	}
	c := n.Node
	c.Metrics = maps.Clone(n.Metrics)
	c.Devices = make(map[string]Device, len(n.devices))
	for id, d := range n.devices {
		dc := d.Device
		dc.Metrics = maps.Clone(d.Metrics)
		c.Devices[id] = dc
	}
	return c, true
}

// Device returns a copy of what the tracker knows of a device.
func (t *Tracker) Device(group, node, device string) (Device, bool) {
	n, ok := t.Node(group, node)
	if !ok {
		return Device{}, false
	}
	d, ok := n.Devices[device]
	return d, ok
}
