package mtconnect

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/nakamawashi/nakamawashi"
)

// Limits on a document. An agent's buffer rarely makes a /sample response
// over a few megabytes; anything past these is refused rather than read.
const (
	MaxDocumentBytes = 16 << 20 // bytes of one document
	MaxDepth         = 64       // element nesting; MTConnect models nest about 15 deep
)

// Header is the header of any MTConnect document. The sequence numbers are
// set in MTConnectStreams documents only. InstanceID changes when the agent
// restarts; it is kept as text because it is only ever compared.
type Header struct {
	InstanceID    string
	Version       string
	Sender        string
	CreationTime  time.Time // zero when missing or unreadable
	BufferSize    uint64
	FirstSequence uint64 // the oldest observation still in the agent's buffer
	NextSequence  uint64 // the sequence a client asks for next
	LastSequence  uint64 // the newest observation in the buffer
}

// Devices is an MTConnectDevices document, the answer to /probe.
type Devices struct {
	Header  Header
	Devices []Device
}

// Device is one device of a probe (an Agent element of MTConnect 2.x counts
// as a device too) with every DataItem of its components, flattened in
// document order.
type Device struct {
	ID        string
	Name      string
	UUID      string
	DataItems []DataItem
}

// DataItem describes one data item of the device model. Type is in the
// model's spelling (EXECUTION, EMERGENCY_STOP); Component is the element
// that holds it (Controller, Path, Linear, or Device itself).
type DataItem struct {
	ID          string
	Name        string
	Category    string // SAMPLE, EVENT or CONDITION
	Type        string
	SubType     string
	Component   string
	ComponentID string
}

// Lookup finds the data item an SHDR key or a stream's dataItemId names: by
// id first, then by name. An empty device searches every device, otherwise
// the device of that name or uuid.
func (d *Devices) Lookup(device, key string) (DataItem, bool) {
	for _, byName := range []bool{false, true} {
		for _, dev := range d.Devices {
			if device != "" && device != dev.Name && device != dev.UUID {
				continue
			}
			for _, di := range dev.DataItems {
				if (!byName && di.ID == key) || (byName && di.Name != "" && di.Name == key) {
					return di, true
				}
			}
		}
	}
	return DataItem{}, false
}

// IsCondition reports whether the key names a CONDITION data item; it is the
// classifier ParseSHDRLine needs to read condition lines without guessing.
func (d *Devices) IsCondition(device, key string) bool {
	di, ok := d.Lookup(device, key)
	return ok && di.Category == "CONDITION"
}

// TypeOf returns the type of the data item the key names, or "".
func (d *Devices) TypeOf(device, key string) string {
	di, _ := d.Lookup(device, key)
	return di.Type
}

// Streams is an MTConnectStreams document, the answer to /current and
// /sample. Observations are in document order (grouped by component);
// the Poller sorts them by sequence.
type Streams struct {
	Header       Header
	Observations []Observation
}

// Problems returns the per-observation errors of the document.
func (s *Streams) Problems() []error {
	var errs []error
	for _, o := range s.Observations {
		if o.Err != nil {
			errs = append(errs, o.Err)
		}
	}
	return errs
}

// Observation is one sample, event or condition of a stream.
//
// Type is the element name for samples and events (Execution, Availability,
// EmergencyStop, PartCount); for a condition it is the type attribute
// (SYSTEM, ACTUATOR) and Level holds the element name in capitals (NORMAL,
// WARNING, FAULT, UNAVAILABLE). Value is the element's text; for a
// condition it is the message. Entries holds the keyed entries of DATA_SET
// and TABLE items (their text only).
//
// Err reports what could not be read in this observation (a timestamp that
// reads "TIME", a sequence that is not a number); the other fields are
// still filled, so one bad value never loses the document.
type Observation struct {
	Device         string // device name
	DeviceUUID     string
	Component      string // component name, or its type when unnamed
	ComponentID    string
	Category       string // SAMPLE, EVENT or CONDITION
	DataItemID     string
	Name           string
	Type           string
	SubType        string
	Sequence       uint64
	Timestamp      time.Time
	Value          string
	Entries        map[string]string
	Level          string // conditions only
	NativeCode     string // conditions only
	NativeSeverity string // conditions only
	Qualifier      string // conditions only
	Err            error
}

// ParseDevices reads an MTConnectDevices document of any version.
func ParseDevices(r io.Reader) (*Devices, error) {
	const op = "mtconnect.ParseDevices"
	d := newDecoder(r)
	out := &Devices{}
	var dev *Device
	err := d.walk(op, "MTConnectDevices", func(stack []frame, t xml.StartElement) error {
		n := len(stack)
		switch {
		case n == 2 && t.Name.Local == "Header":
			return readHeader(&out.Header, t)
		case n == 3 && stack[1].name == "Devices" && (t.Name.Local == "Device" || t.Name.Local == "Agent"):
			out.Devices = append(out.Devices, Device{ID: attr(t, "id"), Name: attr(t, "name"), UUID: attr(t, "uuid")})
			dev = &out.Devices[len(out.Devices)-1]
		case n > 4 && dev != nil && t.Name.Local == "DataItem" && stack[n-2].name == "DataItems":
			owner := stack[n-3]
			dev.DataItems = append(dev.DataItems, DataItem{
				ID: attr(t, "id"), Name: attr(t, "name"), Category: attr(t, "category"),
				Type: attr(t, "type"), SubType: attr(t, "subType"),
				Component: owner.name, ComponentID: owner.id,
			})
		}
		return nil
	}, nil, nil)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ParseStreams reads an MTConnectStreams document of any version. When the
// document is an MTConnectError instead, the error returned wraps an
// *AgentError (errors.As finds it).
func ParseStreams(r io.Reader) (*Streams, error) {
	const op = "mtconnect.ParseStreams"
	d := newDecoder(r)
	out := &Streams{}
	var dev, comp frame
	var obs *Observation
	var obsDepth int
	var text, entry strings.Builder
	var entryKey string
	start := func(stack []frame, t xml.StartElement) error {
		n := len(stack)
		switch {
		case obs != nil:
			entryKey = ""
			if n == obsDepth+1 {
				if k := attr(t, "key"); k != "" {
					entryKey = k
					entry.Reset()
				}
			}
		case n == 2 && t.Name.Local == "Header":
			return readHeader(&out.Header, t)
		case n == 3 && t.Name.Local == "DeviceStream":
			dev = stack[2]
		case n == 4 && t.Name.Local == "ComponentStream":
			comp = stack[3]
			if comp.name = attr(t, "name"); comp.name == "" {
				comp.name = attr(t, "component")
			}
			comp.id = attr(t, "componentId")
		case n == 6 && stack[3].name == "ComponentStream" && category(stack[4].name) != "":
			obs = newObservation(t, category(stack[4].name))
			obs.Device, obs.DeviceUUID = dev.attrName, dev.uuid
			obs.Component, obs.ComponentID = comp.name, comp.id
			obsDepth = n
			text.Reset()
		}
		return nil
	}
	chars := func(stack []frame, c xml.CharData) {
		switch {
		case obs == nil:
		case len(stack) == obsDepth:
			text.Write(c)
		case len(stack) == obsDepth+1 && entryKey != "":
			entry.Write(c)
		}
	}
	end := func(stack []frame) {
		switch {
		case obs == nil:
		case len(stack) == obsDepth:
			obs.Value = strings.TrimSpace(text.String())
			out.Observations = append(out.Observations, *obs)
			obs = nil
		case len(stack) == obsDepth+1 && entryKey != "":
			if obs.Entries == nil {
				obs.Entries = map[string]string{}
			}
			obs.Entries[entryKey] = strings.TrimSpace(entry.String())
			entryKey = ""
		}
	}
	err := d.walk(op, "MTConnectStreams", start, chars, end)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// category maps a stream's container element to the data item category.
func category(container string) string {
	switch container {
	case "Samples":
		return "SAMPLE"
	case "Events":
		return "EVENT"
	case "Condition":
		return "CONDITION"
	}
	return ""
}

func newObservation(t xml.StartElement, cat string) *Observation {
	o := &Observation{
		Category:   cat,
		DataItemID: attr(t, "dataItemId"),
		Name:       attr(t, "name"),
		SubType:    attr(t, "subType"),
	}
	if cat == "CONDITION" {
		o.Level = strings.ToUpper(t.Name.Local)
		o.Type = attr(t, "type")
		o.NativeCode = attr(t, "nativeCode")
		o.NativeSeverity = attr(t, "nativeSeverity")
		o.Qualifier = attr(t, "qualifier")
	} else {
		o.Type = t.Name.Local
	}
	var errs []error
	seq, err := parseUint(attr(t, "sequence"))
	if err != nil {
		errs = append(errs, fmt.Errorf("invalid sequence %q", attr(t, "sequence")))
	}
	o.Sequence = seq
	ts, err := parseTime(attr(t, "timestamp"))
	if err != nil {
		errs = append(errs, fmt.Errorf("invalid timestamp %q", attr(t, "timestamp")))
	}
	o.Timestamp = ts
	if len(errs) > 0 {
		id := o.DataItemID
		if id == "" {
			id = o.Name
		}
		o.Err = fmt.Errorf("mtconnect: observation %s (sequence %s): %w", id, attr(t, "sequence"), errors.Join(errs...))
	}
	return o
}

func readHeader(h *Header, t xml.StartElement) error {
	h.InstanceID = attr(t, "instanceId")
	h.Version = attr(t, "version")
	h.Sender = attr(t, "sender")
	h.CreationTime, _ = parseTime(attr(t, "creationTime")) // informative only
	for _, f := range []struct {
		name string
		dst  *uint64
	}{
		{"bufferSize", &h.BufferSize}, {"firstSequence", &h.FirstSequence},
		{"nextSequence", &h.NextSequence}, {"lastSequence", &h.LastSequence},
	} {
		v, err := parseUint(attr(t, f.name))
		if err != nil {
			// The cursor is built on these numbers: a header we cannot
			// read makes the whole document unusable.
			return fmt.Errorf("header %s %q is not a number", f.name, attr(t, f.name))
		}
		*f.dst = v
	}
	return nil
}

// parseUint reads a non-negative integer; an empty or absent value is 0
// (the linuxcnc documents leave header fields empty).
func parseUint(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	return strconv.ParseUint(s, 10, 64)
}

// parseTime reads an MTConnect timestamp: ISO 8601 with a zone
// (2010-03-04T18:44:40+00:00, …Z) or without one, which MTConnect means as
// UTC. An SHDR duration suffix (@12.5) is ignored.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid timestamp %q", s)
	}
	return t, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// frame is one open element: its local name and the attributes the
// decoders look back at.
type frame struct {
	name, id, attrName, uuid string
}

// decoder walks a document by local names, so that the namespaces of
// MTConnect 1.0 to 2.x (urn:mtconnect.com…, urn:mtconnect.org…:2.7) and any
// prefixes read alike. It enforces MaxDocumentBytes and MaxDepth.
type decoder struct {
	lr *io.LimitedReader
	d  *xml.Decoder
}

func newDecoder(r io.Reader) *decoder {
	lr := &io.LimitedReader{R: r, N: MaxDocumentBytes + 1}
	return &decoder{lr: lr, d: xml.NewDecoder(lr)}
}

func (d *decoder) fail(op string, err error) error {
	if d.lr.N <= 0 {
		return &nakamawashi.Error{Code: nakamawashi.ETOOLARGE, Message: nakamawashi.Msg(msgTooLarge, MaxDocumentBytes),
			Op: op, Err: fmt.Errorf("document over %d bytes", MaxDocumentBytes)}
	}
	return &nakamawashi.Error{Code: nakamawashi.EINVALID, Message: nakamawashi.Msg(msgDocument), Op: op, Err: err}
}

// walk reads the document whose root must be named root, calling start,
// chars and end with the stack of open elements (the root is stack[0]).
// A root of MTConnectError is read as an error document and returned as an
// error wrapping *AgentError.
func (d *decoder) walk(op, root string, start func([]frame, xml.StartElement) error, chars func([]frame, xml.CharData), end func([]frame)) error {
	var stack []frame
	for {
		tok, err := d.d.Token()
		if err == io.EOF {
			if len(stack) == 0 {
				return d.fail(op, errors.New("no root element"))
			}
			return d.fail(op, io.ErrUnexpectedEOF)
		}
		if err != nil {
			return d.fail(op, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && t.Name.Local != root {
				if t.Name.Local == "MTConnectError" {
					ae, err := d.errorBody(op)
					if err != nil {
						return err
					}
					return agentFailure(op, ae)
				}
				return d.fail(op, fmt.Errorf("root element is %s, want %s", t.Name.Local, root))
			}
			if len(stack) >= MaxDepth {
				return d.fail(op, fmt.Errorf("elements nested over %d deep", MaxDepth))
			}
			stack = append(stack, frame{name: t.Name.Local, id: attr(t, "id"), attrName: attr(t, "name"), uuid: attr(t, "uuid")})
			if start != nil {
				if err := start(stack, t); err != nil {
					return d.fail(op, err)
				}
			}
		case xml.CharData:
			if chars != nil && len(stack) > 0 {
				chars(stack, t)
			}
		case xml.EndElement:
			if end != nil {
				end(stack)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				if d.lr.N <= 0 {
					return d.fail(op, nil)
				}
				return nil // what follows the root is not read
			}
		}
	}
}
