package sparkplug

import (
	"fmt"
	"time"
)

// Payload is a Sparkplug B payload, the protobuf message Payload.
type Payload struct {
	Timestamp uint64 // milliseconds since the epoch, UTC; 0 when absent
	Metrics   []Metric
	Seq       uint64 // the sequence number, when HasSeq
	HasSeq    bool   // NBIRTH, DBIRTH, NDATA, DDATA and DDEATH carry seq; NDEATH, NCMD and DCMD do not
	UUID      string
	Body      []byte
}

// Metric is one metric of a payload.
type Metric struct {
	Name         string // set in births; DATA messages may send only the alias
	Alias        uint64
	HasAlias     bool   // alias 0 is a valid alias
	Timestamp    uint64 // milliseconds since the epoch; 0 when absent
	DataType     DataType
	IsHistorical bool
	IsTransient  bool
	IsNull       bool
	MetaData     *MetaData
	Properties   *PropertySet

	// Value is the value in the Go type of DataType (see the table at
	// typed in value.go: int8 for Int8, time.Time for DateTime, …), or nil.
	// When DataType is Unknown, as it may be in a DATA message that leaves
	// the datatype to the birth, it has the type of its wire member
	// (uint32, uint64, float32, float64, bool, string, []byte, …) until a
	// Tracker types it from the birth.
	Value any

	wire wireValue // the value as decoded, kept for typing it later
}

// MetaData is the metadata of a metric, mostly for Bytes and File values.
type MetaData struct {
	IsMultiPart bool
	ContentType string
	Size        uint64
	Seq         uint64
	FileName    string
	FileType    string
	MD5         string
	Description string
}

// Time returns the payload timestamp as a time, and whether it was set.
func (p *Payload) Time() (time.Time, bool) {
	return time.UnixMilli(int64(p.Timestamp)).UTC(), p.Timestamp != 0
}

// Metric returns the first metric with the given name.
func (p *Payload) Metric(name string) (Metric, bool) {
	for _, m := range p.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// decoder carries the limits of one DecodePayload call through the nested
// decoders.
type decoder struct {
	items int
	depth int
}

func (d *decoder) item() error {
	d.items++
	if d.items > MaxItems {
		return fmt.Errorf("more than %d metrics, rows, values and properties", MaxItems)
	}
	return nil
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > MaxDepth {
		return fmt.Errorf("nested deeper than %d", MaxDepth)
	}
	return nil
}

func (d *decoder) leave() { d.depth-- }

// DecodePayload decodes a Sparkplug B payload. A compressed payload (uuid
// CompressedUUID) is inflated and the payload it holds returned. Unknown
// fields are skipped; a malformed payload, a value that its datatype cannot
// hold, or a payload past the limits above is an EINVALID error. It never
// panics.
func DecodePayload(b []byte) (*Payload, error) {
	const op = "sparkplug.DecodePayload"
	p, err := decodePayload(b)
	if err != nil || p.UUID != CompressedUUID {
		return p, err
	}
	inner, err := decompress(p)
	if err != nil {
		return nil, invalid(op, "%w", err)
	}
	if p, err = decodePayload(inner); err == nil && p.UUID == CompressedUUID {
		return nil, invalid(op, "a compressed payload inside a compressed payload")
	}
	return p, err
}

func decodePayload(b []byte) (*Payload, error) {
	const op = "sparkplug.DecodePayload"
	if len(b) > MaxPayloadSize {
		return nil, invalid(op, "payload of %d bytes is over the limit of %d", len(b), MaxPayloadSize)
	}
	d := &decoder{}
	p := &Payload{}
	err := eachField(b, func(f field) error {
		switch f.num {
		case 1:
			p.Timestamp = f.u
			return f.want(wireVarint)
		case 2:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			m, err := d.metric(f.data)
			if err != nil {
				return fmt.Errorf("metric %d: %w", len(p.Metrics), err)
			}
			p.Metrics = append(p.Metrics, m)
		case 3:
			p.Seq, p.HasSeq = f.u, true
			return f.want(wireVarint)
		case 4:
			p.UUID = string(f.data)
			return f.want(wireBytes)
		case 5:
			p.Body = append([]byte(nil), f.data...)
			return f.want(wireBytes)
		}
		return nil
	})
	if err != nil {
		return nil, invalid(op, "%w", err)
	}
	return p, nil
}

func (d *decoder) metric(b []byte) (Metric, error) {
	var m Metric
	if err := d.item(); err != nil {
		return m, err
	}
	err := eachField(b, func(f field) error {
		switch f.num {
		case 1:
			m.Name = string(f.data)
			return f.want(wireBytes)
		case 2:
			m.Alias, m.HasAlias = f.u, true
			return f.want(wireVarint)
		case 3:
			m.Timestamp = f.u
			return f.want(wireVarint)
		case 4:
			m.DataType = DataType(uint32(f.u))
			return f.want(wireVarint)
		case 5:
			m.IsHistorical = f.u != 0
			return f.want(wireVarint)
		case 6:
			m.IsTransient = f.u != 0
			return f.want(wireVarint)
		case 7:
			m.IsNull = f.u != 0
			return f.want(wireVarint)
		case 8:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			md, err := metaData(f.data)
			m.MetaData = md
			return err
		case 9:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			ps, err := d.propertySet(f.data)
			m.Properties = ps
			return err
		}
		v, ok, err := scalar(f, 10)
		if ok {
			m.wire = v
			return err
		}
		switch f.num {
		case 16:
			m.wire = wireValue{k: kBytes, b: append([]byte{}, f.data...)}
			return f.want(wireBytes)
		case 17:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			ds, err := d.dataSet(f.data)
			m.wire = wireValue{k: kDataSet, ds: ds}
			return err
		case 18:
			if err := f.want(wireBytes); err != nil {
				return err
			}
			t, err := d.template(f.data)
			m.wire = wireValue{k: kTemplate, tpl: t}
			return err
		case 19:
			m.wire = wireValue{k: kExtension, b: append([]byte{}, f.data...)}
			return f.want(wireBytes)
		}
		return nil
	})
	if err != nil {
		return m, err
	}
	if m.wire.k == kExtension {
		// Extensions are third-party; the value is not interpreted.
		m.wire = wireValue{}
	}
	m.Value, err = typed(m.DataType, m.wire)
	if err != nil {
		return m, fmt.Errorf("%q: %w", m.Name, err)
	}
	return m, nil
}

func metaData(b []byte) (*MetaData, error) {
	md := &MetaData{}
	return md, eachField(b, func(f field) error {
		switch f.num {
		case 1:
			md.IsMultiPart = f.u != 0
			return f.want(wireVarint)
		case 2:
			md.ContentType = string(f.data)
			return f.want(wireBytes)
		case 3:
			md.Size = f.u
			return f.want(wireVarint)
		case 4:
			md.Seq = f.u
			return f.want(wireVarint)
		case 5:
			md.FileName = string(f.data)
			return f.want(wireBytes)
		case 6:
			md.FileType = string(f.data)
			return f.want(wireBytes)
		case 7:
			md.MD5 = string(f.data)
			return f.want(wireBytes)
		case 8:
			md.Description = string(f.data)
			return f.want(wireBytes)
		}
		return nil
	})
}

// EncodePayload encodes p. Each metric's Value must suit its DataType (see
// Metric.Value); integers of any Go type are taken when in range. Fields
// at their zero value are left out, except Seq when HasSeq and an alias
// when HasAlias.
func EncodePayload(p *Payload) ([]byte, error) {
	const op = "sparkplug.EncodePayload"
	var b []byte
	if p.Timestamp != 0 {
		b = appendVarintField(b, 1, p.Timestamp)
	}
	for i := range p.Metrics {
		var err error
		b, err = appendMessage(b, 2, func(b []byte) ([]byte, error) { return appendMetric(b, &p.Metrics[i]) })
		if err != nil {
			return nil, invalid(op, "metric %d %q: %w", i, p.Metrics[i].Name, err)
		}
	}
	if p.HasSeq {
		b = appendVarintField(b, 3, p.Seq)
	}
	if p.UUID != "" {
		b = appendStringField(b, 4, p.UUID)
	}
	if len(p.Body) > 0 {
		b = appendBytesField(b, 5, p.Body)
	}
	return b, nil
}

func appendMetric(b []byte, m *Metric) ([]byte, error) {
	if m.Name != "" {
		b = appendStringField(b, 1, m.Name)
	}
	if m.HasAlias {
		b = appendVarintField(b, 2, m.Alias)
	}
	if m.Timestamp != 0 {
		b = appendVarintField(b, 3, m.Timestamp)
	}
	if m.DataType != Unknown {
		b = appendVarintField(b, 4, uint64(m.DataType))
	}
	if m.IsHistorical {
		b = appendBoolField(b, 5, true)
	}
	if m.IsTransient {
		b = appendBoolField(b, 6, true)
	}
	if m.IsNull {
		b = appendBoolField(b, 7, true)
	}
	var err error
	if m.MetaData != nil {
		b = appendBytesField(b, 8, appendMetaData(nil, m.MetaData))
	}
	if m.Properties != nil {
		if b, err = appendMessage(b, 9, func(b []byte) ([]byte, error) { return appendPropertySet(b, m.Properties) }); err != nil {
			return b, err
		}
	}
	v, err := toWire(m.DataType, m.Value)
	if err != nil {
		return b, err
	}
	if b, ok := appendScalar(b, 10, v); ok {
		return b, nil
	}
	switch v.k {
	case kBytes:
		b = appendBytesField(b, 16, v.b)
	case kDataSet:
		return appendMessage(b, 17, func(b []byte) ([]byte, error) { return appendDataSet(b, v.ds) })
	case kTemplate:
		return appendMessage(b, 18, func(b []byte) ([]byte, error) { return appendTemplate(b, v.tpl) })
	case kPropSet, kPropList:
		return b, fmt.Errorf("datatype %v is for properties, not metrics", m.DataType)
	}
	return b, nil
}

func appendMetaData(b []byte, md *MetaData) []byte {
	if md.IsMultiPart {
		b = appendBoolField(b, 1, true)
	}
	if md.ContentType != "" {
		b = appendStringField(b, 2, md.ContentType)
	}
	if md.Size != 0 {
		b = appendVarintField(b, 3, md.Size)
	}
	if md.Seq != 0 {
		b = appendVarintField(b, 4, md.Seq)
	}
	for i, s := range []string{md.FileName, md.FileType, md.MD5, md.Description} {
		if s != "" {
			b = appendStringField(b, 5+i, s)
		}
	}
	return b
}

// RebirthRequest returns the topic and payload of the NCMD that asks the
// edge node group/node to publish its NBIRTH and DBIRTHs again: the metric
// "Node Control/Rebirth" set to true, with the payload timestamp the
// specification requires and no seq, which it forbids on commands.
func RebirthRequest(group, node string, now time.Time) (topic string, payload []byte, err error) {
	t := Topic{GroupID: group, Type: NCMD, EdgeNodeID: node}
	if err := t.Validate(); err != nil {
		return "", nil, err
	}
	ms := uint64(now.UnixMilli())
	payload, err = EncodePayload(&Payload{
		Timestamp: ms,
		Metrics:   []Metric{{Name: RebirthMetric, Timestamp: ms, DataType: Boolean, Value: true}},
	})
	return t.String(), payload, err
}

// Names of the metrics the specification reserves.
const (
	BdSeqMetric   = "bdSeq"
	RebirthMetric = "Node Control/Rebirth"
)
