package sparkplug_test

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sparkplug"
)

// roundTrip encodes p and decodes the result.
func roundTrip(tb testing.TB, p *sparkplug.Payload) *sparkplug.Payload {
	tb.Helper()
	b, err := sparkplug.EncodePayload(p)
	if err != nil {
		tb.Fatalf("encode: %v", err)
	}
	q, err := sparkplug.DecodePayload(b)
	if err != nil {
		tb.Fatalf("decode: %v", err)
	}
	return q
}

func TestRoundTripScalars(t *testing.T) {
	when := time.Date(2026, 4, 1, 9, 30, 15, 123e6, time.UTC)
	tests := []struct {
		dt    sparkplug.DataType
		value any
	}{
		{sparkplug.Int8, int8(-128)},
		{sparkplug.Int8, int8(-1)},
		{sparkplug.Int8, int8(127)},
		{sparkplug.Int16, int16(-32768)},
		{sparkplug.Int16, int16(-2)},
		{sparkplug.Int32, int32(math.MinInt32)},
		{sparkplug.Int32, int32(-23)},
		{sparkplug.Int32, int32(math.MaxInt32)},
		{sparkplug.Int64, int64(math.MinInt64)},
		{sparkplug.Int64, int64(-1)},
		{sparkplug.Int64, int64(math.MaxInt64)},
		{sparkplug.UInt8, uint8(255)},
		{sparkplug.UInt16, uint16(65535)},
		{sparkplug.UInt32, uint32(math.MaxUint32)},
		{sparkplug.UInt64, uint64(math.MaxUint64)},
		{sparkplug.Float, float32(12.1)},
		{sparkplug.Float, float32(math.NaN())},
		{sparkplug.Float, float32(math.Inf(-1))},
		{sparkplug.Double, math.NaN()},
		{sparkplug.Double, math.Copysign(0, -1)},
		{sparkplug.Double, -1.5e300},
		{sparkplug.Boolean, true},
		{sparkplug.Boolean, false},
		{sparkplug.String, "主軸 回転中"},
		{sparkplug.String, ""},
		{sparkplug.Text, "long text"},
		{sparkplug.UUID, "123e4567-e89b-12d3-a456-426614174000"},
		{sparkplug.DateTime, when},
		{sparkplug.Bytes, []byte{0, 1, 0xff}},
		{sparkplug.File, []byte("G00 X0 Y0")},
		{sparkplug.Int16Array, []byte{0x15, 0xcd}},
	}
	for _, tt := range tests {
		t.Run(tt.dt.String(), func(t *testing.T) {
			p := &sparkplug.Payload{Timestamp: 1, Seq: 0, HasSeq: true, Metrics: []sparkplug.Metric{
				{Name: "m", Alias: 0, HasAlias: true, DataType: tt.dt, Value: tt.value},
			}}
			q := roundTrip(t, p)
			if len(q.Metrics) != 1 {
				t.Fatalf("got %d metrics, want 1", len(q.Metrics))
			}
			m := q.Metrics[0]
			if m.Name != "m" || !m.HasAlias || m.Alias != 0 || m.DataType != tt.dt || !q.HasSeq || q.Seq != 0 {
				t.Fatalf("got %+v seq %d/%v", m, q.Seq, q.HasSeq)
			}
			if !sameValue(m.Value, tt.value) {
				t.Errorf("got %#v (%T), want %#v (%T)", m.Value, m.Value, tt.value, tt.value)
			}
		})
	}
}

// sameValue compares floats by their bits, so that NaN equals itself and
// -0 differs from 0.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float32:
		y, ok := b.(float32)
		return ok && math.Float32bits(x) == math.Float32bits(y)
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	}
	return reflect.DeepEqual(a, b)
}

// TestKnownBytes cross-checks the field numbers against a payload
// assembled by hand from sparkplug_b.proto: the NDATA example of the
// specification, with an alias.
func TestKnownBytes(t *testing.T) {
	known := []byte{
		0x08, 0xea, 0xf2, 0xf5, 0xa8, 0xa0, 0x2b, // timestamp = 1 (varint) 1486144502122
		0x12, 0x19, // metrics = 2 (bytes), 25 bytes
		0x0a, 0x0e, 'S', 'u', 'p', 'p', 'l', 'y', ' ', 'V', 'o', 'l', 't', 'a', 'g', 'e', // name = 1
		0x10, 0x03, // alias = 2
		0x20, 0x09, // datatype = 4: Float
		0x65, 0x9a, 0x99, 0x41, 0x41, // float_value = 12 (fixed32) 12.1
		0x18, 0x02, // seq = 3
	}
	p, err := sparkplug.DecodePayload(known)
	if err != nil {
		t.Fatal(err)
	}
	want := &sparkplug.Payload{Timestamp: 1486144502122, Seq: 2, HasSeq: true, Metrics: []sparkplug.Metric{
		{Name: "Supply Voltage", Alias: 3, HasAlias: true, DataType: sparkplug.Float, Value: float32(12.1)},
	}}
	if got := p.Metrics[0]; p.Timestamp != want.Timestamp || p.Seq != 2 || got.Name != "Supply Voltage" ||
		got.Alias != 3 || got.DataType != sparkplug.Float || got.Value != float32(12.1) {
		t.Errorf("got %+v, want %+v", p, want)
	}
	b, err := sparkplug.EncodePayload(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, known) {
		t.Errorf("encoded\n% x\nwant\n% x", b, known)
	}

	// The other members of the value oneof, one by one.
	for _, tt := range []struct {
		name  string
		field []byte
		dt    sparkplug.DataType
		want  any
	}{
		{"int_value = 10", []byte{0x50, 0x05}, sparkplug.Int32, int32(5)},
		{"long_value = 11", []byte{0x58, 0x07}, sparkplug.Int64, int64(7)},
		{"double_value = 13", []byte{0x69, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f}, sparkplug.Double, 1.5},
		{"boolean_value = 14", []byte{0x70, 0x01}, sparkplug.Boolean, true},
		{"string_value = 15", []byte{0x7a, 0x02, 'o', 'k'}, sparkplug.String, "ok"},
		{"bytes_value = 16", []byte{0x82, 0x01, 0x01, 0xab}, sparkplug.Bytes, []byte{0xab}},
	} {
		metric := append([]byte{0x20, byte(tt.dt)}, tt.field...)
		p, err := sparkplug.DecodePayload(append([]byte{0x12, byte(len(metric))}, metric...))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !sameValue(p.Metrics[0].Value, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.name, p.Metrics[0].Value, tt.want)
		}
	}
}

// TestSignedForms checks that negative Int8/16/32 go out in 32-bit two's
// complement, as Tahu writes them, and that both that form and the narrow
// one read back as the negative number.
func TestSignedForms(t *testing.T) {
	b, err := sparkplug.EncodePayload(&sparkplug.Payload{Metrics: []sparkplug.Metric{{DataType: sparkplug.Int8, Value: int8(-1)}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0x12, 0x08, 0x20, 0x01, 0x50, 0xff, 0xff, 0xff, 0xff, 0x0f}
	if !bytes.Equal(b, want) {
		t.Errorf("Int8 -1 encoded as % x, want % x", b, want)
	}
	for _, tt := range []struct {
		dt   sparkplug.DataType
		wire []byte // the int_value or long_value field
		want any
	}{
		{sparkplug.Int8, []byte{0x50, 0xe9, 0x01}, int8(-23)},                   // 0xE9, 8 bits
		{sparkplug.Int8, []byte{0x50, 0xe9, 0xff, 0xff, 0xff, 0x0f}, int8(-23)}, // 0xFFFFFFE9
		{sparkplug.Int16, []byte{0x50, 0xfe, 0xff, 0x03}, int16(-2)},            // 0xFFFE
		{sparkplug.Int32, []byte{0x50, 0x80, 0x80, 0x80, 0x80, 0x08}, int32(math.MinInt32)},
		{sparkplug.Int64, append([]byte{0x58}, bytes.Repeat([]byte{0xff}, 9)...), int64(-1)},   // needs a 10th byte
		{sparkplug.UInt32, []byte{0x58, 0xff, 0xff, 0xff, 0xff, 0x0f}, uint32(math.MaxUint32)}, // Tahu JS: long_value
		{sparkplug.Int32, []byte{0x58, 0x7f}, int32(127)},                                      // long_value for Int32
	} {
		w := tt.wire
		if tt.dt == sparkplug.Int64 {
			w = append(w, 0x01)
		}
		metric := append([]byte{0x20, byte(tt.dt)}, w...)
		p, err := sparkplug.DecodePayload(append([]byte{0x12, byte(len(metric))}, metric...))
		if err != nil {
			t.Errorf("%v % x: %v", tt.dt, w, err)
			continue
		}
		if got := p.Metrics[0].Value; got != tt.want {
			t.Errorf("%v % x: got %#v, want %#v", tt.dt, w, got, tt.want)
		}
	}
}

func TestRoundTripComplex(t *testing.T) {
	ds := &sparkplug.DataSet{
		NumOfColumns: 3,
		Columns:      []string{"部品", "数量", "温度"},
		Types:        []sparkplug.DataType{sparkplug.String, sparkplug.Int32, sparkplug.Double},
		Rows:         [][]any{{"A-1", int32(-3), 21.5}, {"B-2", int32(7), nil}},
	}
	tpl := &sparkplug.Template{
		Version:     "v1",
		TemplateRef: "Lathe",
		Metrics:     []sparkplug.Metric{{Name: "Spindle/Speed", DataType: sparkplug.UInt32, Value: uint32(1200)}},
		Parameters:  []sparkplug.Parameter{{Name: "maker", Type: sparkplug.String, Value: "Okuma"}},
	}
	props := &sparkplug.PropertySet{
		Keys: []string{"engUnit", "nested", "list"},
		Values: []sparkplug.PropertyValue{
			{Type: sparkplug.String, Value: "rpm"},
			{Type: sparkplug.PropertySetType, Value: &sparkplug.PropertySet{Keys: []string{"q"}, Values: []sparkplug.PropertyValue{{Type: sparkplug.Int32, Value: int32(192)}}}},
			{Type: sparkplug.PropertySetList, Value: []*sparkplug.PropertySet{{Keys: []string{"x"}, Values: []sparkplug.PropertyValue{{Type: sparkplug.Boolean, IsNull: true}}}}},
		},
	}
	md := &sparkplug.MetaData{ContentType: "text/plain", Size: 9, FileName: "o1000.nc", MD5: "abc", IsMultiPart: true, Seq: 1, FileType: "nc", Description: "program"}
	p := &sparkplug.Payload{Timestamp: 42, UUID: "u", Body: []byte{1, 2}, Metrics: []sparkplug.Metric{
		{Name: "table", DataType: sparkplug.DataSetType, Value: ds},
		{Name: "lathe", DataType: sparkplug.TemplateType, Value: tpl, Properties: props},
		{Name: "program", DataType: sparkplug.File, Value: []byte("G00"), MetaData: md, IsHistorical: true, IsTransient: true, Timestamp: 7},
		{Name: "nothing", DataType: sparkplug.Int64, IsNull: true},
	}}
	q := roundTrip(t, p)
	if !reflect.DeepEqual(exported(q), exported(p)) {
		t.Errorf("got\n%#v\nwant\n%#v", q, p)
	}
}

// exported re-encodes p, so that two payloads compare by what they hold
// on the wire and not by unexported bookkeeping.
func exported(p *sparkplug.Payload) []byte {
	b, _ := sparkplug.EncodePayload(p)
	return b
}

func TestDecodeSkipsUnknownFields(t *testing.T) {
	metric := []byte{
		0x0a, 0x01, 'x', // name
		0xa0, 0x06, 0x05, // field 100, varint: unknown
		0x20, 0x0b, 0x70, 0x01, // Boolean true
		0x9d, 0x06, 1, 2, 3, 4, // field 99, fixed32: unknown
	}
	b := append([]byte{0x12, byte(len(metric))}, metric...)
	b = append(b, 0x31, 1, 2, 3, 4, 5, 6, 7, 8) // field 6 (an extension), fixed64
	p, err := sparkplug.DecodePayload(b)
	if err != nil {
		t.Fatal(err)
	}
	if m := p.Metrics[0]; m.Name != "x" || m.Value != true {
		t.Errorf("got %+v", m)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		b    []byte
		want string
	}{
		{"truncated varint", []byte{0x08, 0x80}, "truncated"},
		{"truncated bytes", []byte{0x12, 0x05, 0x0a}, "truncated"},
		{"varint too long", append([]byte{0x08}, bytes.Repeat([]byte{0xff}, 10)...), "overflow"},
		{"field zero", []byte{0x00, 0x01}, "field number 0"},
		{"group", []byte{0x0b}, "wire type 3"},
		{"seq as bytes", []byte{0x1a, 0x00}, "wire type 2"},
		{"datatype mismatch", []byte{0x12, 0x05, 0x20, 0x0b, 0x7a, 0x01, 'x'}, "Boolean carried in string_value"},
		{"too large", make([]byte, sparkplug.MaxPayloadSize+1), "over the limit"},
	} {
		_, err := sparkplug.DecodePayload(tt.b)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error with %q", tt.name, err, tt.want)
		}
		var e *nakamawashi.Error
		if err != nil && (!errors.As(err, &e) || e.Code != nakamawashi.EINVALID) {
			t.Errorf("%s: got %#v, want an EINVALID *nakamawashi.Error", tt.name, err)
		}
	}
}

func TestDecodeDepthLimit(t *testing.T) {
	// A template holding a metric holding a template… deeper than MaxDepth.
	inner := []byte{}
	for i := 0; i < sparkplug.MaxDepth+2; i++ {
		tpl := append([]byte{0x12}, varint(len(inner))...) // template.metrics = 2
		tpl = append(tpl, inner...)
		m := append([]byte{0x20, 19, 0x92, 0x01}, varint(len(tpl))...) // datatype Template, template_value = 18
		inner = append(m, tpl...)
	}
	b := append([]byte{0x12}, varint(len(inner))...)
	b = append(b, inner...)
	if _, err := sparkplug.DecodePayload(b); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("got %v, want a depth error", err)
	}
}

func varint(n int) []byte {
	var b []byte
	for n >= 0x80 {
		b = append(b, byte(n)|0x80)
		n >>= 7
	}
	return append(b, byte(n))
}

func TestEncodeErrors(t *testing.T) {
	for _, m := range []sparkplug.Metric{
		{Name: "a", DataType: sparkplug.Int8, Value: 128},
		{Name: "b", DataType: sparkplug.UInt16, Value: -1},
		{Name: "c", DataType: sparkplug.Boolean, Value: "true"},
		{Name: "d", DataType: sparkplug.PropertySetType, Value: &sparkplug.PropertySet{}},
	} {
		if _, err := sparkplug.EncodePayload(&sparkplug.Payload{Metrics: []sparkplug.Metric{m}}); err == nil {
			t.Errorf("%s: %v %#v encoded, want an error", m.Name, m.DataType, m.Value)
		}
	}
}

func TestRebirthRequest(t *testing.T) {
	now := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	topic, b, err := sparkplug.RebirthRequest("Shop A", "edge-1", now)
	if err != nil {
		t.Fatal(err)
	}
	if topic != "spBv1.0/Shop A/NCMD/edge-1" {
		t.Errorf("topic %q", topic)
	}
	p, err := sparkplug.DecodePayload(b)
	if err != nil {
		t.Fatal(err)
	}
	if p.HasSeq {
		t.Errorf("an NCMD carries seq %d; the specification forbids it", p.Seq)
	}
	if ts, ok := p.Time(); !ok || !ts.Equal(now) {
		t.Errorf("timestamp %v, want %v", ts, now)
	}
	m, ok := p.Metric("Node Control/Rebirth")
	if !ok || m.DataType != sparkplug.Boolean || m.Value != true || len(p.Metrics) != 1 {
		t.Errorf("got %+v", p.Metrics)
	}
	if _, _, err := sparkplug.RebirthRequest("a/b", "n", now); err == nil {
		t.Error("a group with '/' was accepted")
	}
}

// TestDecodeCompressed reads the compressed payloads Tahu's clients send:
// the encoded payload, deflated (zlib) or gzipped, in the body of an outer
// payload with uuid SPBV1.0_COMPRESSED.
func TestDecodeCompressed(t *testing.T) {
	inner := &sparkplug.Payload{Timestamp: 9, Seq: 4, HasSeq: true, Metrics: []sparkplug.Metric{{Name: "Machine/Execution", DataType: sparkplug.String, Value: "ACTIVE"}}}
	raw, err := sparkplug.EncodePayload(inner)
	if err != nil {
		t.Fatal(err)
	}
	for _, alg := range []string{"", "DEFLATE", "GZIP", "RAW"} {
		var body bytes.Buffer
		var w io.WriteCloser
		switch alg {
		case "GZIP":
			w = gzip.NewWriter(&body)
		case "RAW":
			w, _ = flate.NewWriter(&body, flate.DefaultCompression)
		default:
			w = zlib.NewWriter(&body)
		}
		w.Write(raw)
		w.Close()
		outer := &sparkplug.Payload{UUID: sparkplug.CompressedUUID, Body: body.Bytes()}
		if alg == "GZIP" || alg == "DEFLATE" {
			outer.Metrics = []sparkplug.Metric{{Name: "algorithm", DataType: sparkplug.String, Value: alg}}
		}
		p := roundTrip(t, outer)
		if p.UUID != "" || p.Seq != 4 || len(p.Metrics) != 1 || p.Metrics[0].Value != "ACTIVE" {
			t.Errorf("%s: got %+v", alg, p)
		}
	}
	bad := &sparkplug.Payload{UUID: sparkplug.CompressedUUID, Body: []byte("not compressed"), Metrics: []sparkplug.Metric{{Name: "algorithm", DataType: sparkplug.String, Value: "LZ4"}}}
	b, _ := sparkplug.EncodePayload(bad)
	if _, err := sparkplug.DecodePayload(b); err == nil {
		t.Error("an unknown algorithm was accepted")
	}
}
