package sparkplug

import (
	"strings"
)

// Namespace is the first element of every Sparkplug B topic.
const Namespace = "spBv1.0"

// MessageType is the message_type element of a topic.
type MessageType string

// The message types of Sparkplug B.
const (
	NBIRTH MessageType = "NBIRTH"
	NDEATH MessageType = "NDEATH"
	DBIRTH MessageType = "DBIRTH"
	DDEATH MessageType = "DDEATH"
	NDATA  MessageType = "NDATA"
	DDATA  MessageType = "DDATA"
	NCMD   MessageType = "NCMD"
	DCMD   MessageType = "DCMD"
	STATE  MessageType = "STATE" // spBv1.0/STATE/{host_id}, a host application's status
)

// IsDevice reports whether t is a message about a device, whose topic ends
// in a device_id.
func (t MessageType) IsDevice() bool {
	return t == DBIRTH || t == DDEATH || t == DDATA || t == DCMD
}

func (t MessageType) known() bool {
	switch t {
	case NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD:
		return true
	}
	return false
}

// Topic is a parsed Sparkplug B topic.
type Topic struct {
	GroupID    string
	Type       MessageType
	EdgeNodeID string
	DeviceID   string // set for DBIRTH, DDEATH, DDATA and DCMD
	HostID     string // set for STATE, and only there
}

// ParseTopic parses spBv1.0/{group_id}/{message_type}/{edge_node_id}, the
// same followed by /{device_id} for device messages, and
// spBv1.0/STATE/{host_id}. A topic of another form is an EINVALID error
// that says what is wrong.
func ParseTopic(s string) (Topic, error) {
	const op = "sparkplug.ParseTopic"
	parts := strings.Split(s, "/")
	if parts[0] != Namespace {
		return Topic{}, invalid(op, "topic %q: namespace %q, want %q", s, parts[0], Namespace)
	}
	if len(parts) >= 2 && parts[1] == string(STATE) {
		if len(parts) != 3 || parts[2] == "" {
			return Topic{}, invalid(op, "topic %q: want %s/STATE/{host_id}", s, Namespace)
		}
		t := Topic{Type: STATE, HostID: parts[2]}
		return t, t.Validate()
	}
	if len(parts) < 4 {
		return Topic{}, invalid(op, "topic %q: want %s/{group_id}/{message_type}/{edge_node_id}[/{device_id}]", s, Namespace)
	}
	t := Topic{GroupID: parts[1], Type: MessageType(parts[2]), EdgeNodeID: parts[3]}
	if !t.Type.known() {
		return Topic{}, invalid(op, "topic %q: unknown message type %q", s, parts[2])
	}
	want := 4
	if t.Type.IsDevice() {
		want = 5
	}
	if len(parts) != want {
		if want == 5 {
			return Topic{}, invalid(op, "topic %q: a %s topic ends in /{edge_node_id}/{device_id}", s, t.Type)
		}
		return Topic{}, invalid(op, "topic %q: a %s topic ends in /{edge_node_id}, with no device_id", s, t.Type)
	}
	if want == 5 {
		t.DeviceID = parts[4]
	}
	if err := t.Validate(); err != nil {
		return Topic{}, err
	}
	return t, nil
}

// Validate checks that every element the message type needs is there and
// that none is empty or holds a character the specification forbids in an
// element: '/', '+' or '#'.
func (t Topic) Validate() error {
	const op = "sparkplug.Topic"
	check := func(name, v string) error {
		if v == "" {
			return invalid(op, "%s topic: empty %s", t.Type, name)
		}
		if strings.ContainsAny(v, "/+#") {
			return invalid(op, "%s topic: %s %q holds '/', '+' or '#'", t.Type, name, v)
		}
		return nil
	}
	if t.Type == STATE {
		return check("host_id", t.HostID)
	}
	if !t.Type.known() {
		return invalid(op, "unknown message type %q", t.Type)
	}
	if err := check("group_id", t.GroupID); err != nil {
		return err
	}
	if err := check("edge_node_id", t.EdgeNodeID); err != nil {
		return err
	}
	if t.Type.IsDevice() {
		return check("device_id", t.DeviceID)
	}
	if t.DeviceID != "" {
		return invalid(op, "%s topic: a node message has no device_id", t.Type)
	}
	return nil
}

// String returns the topic as published.
func (t Topic) String() string {
	if t.Type == STATE {
		return Namespace + "/STATE/" + t.HostID
	}
	s := Namespace + "/" + t.GroupID + "/" + string(t.Type) + "/" + t.EdgeNodeID
	if t.DeviceID != "" {
		s += "/" + t.DeviceID
	}
	return s
}
