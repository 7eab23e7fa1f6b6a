package sparkplug_test

import (
	"bytes"
	"compress/zlib"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/sparkplug"
)

var update = flag.Bool("update", false, "rewrite the seed corpus under testdata/fuzz")

// seeds are real payloads of every message type, from the encoder.
func seeds() map[string]*sparkplug.Payload {
	when := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	_, rebirth, _ := sparkplug.RebirthRequest("Shop A", "edge-1", when)
	ncmd, _ := sparkplug.DecodePayload(rebirth)
	all := &sparkplug.Payload{Timestamp: 5, Seq: 9, HasSeq: true, UUID: "u", Body: []byte{1}}
	for i, v := range []any{int8(-1), int16(-300), int32(math.MinInt32), int64(-5), uint8(200), uint16(60000),
		uint32(4e9), uint64(math.MaxUint64), float32(math.NaN()), math.Inf(1), true, "文字", when, "text",
		"uuid", nil, []byte{1, 2}, []byte("file")} {
		dt := sparkplug.DataType(i + 1)
		if dt == sparkplug.DataSetType {
			v = &sparkplug.DataSet{NumOfColumns: 2, Columns: []string{"a", "b"}, Types: []sparkplug.DataType{sparkplug.Int8, sparkplug.String},
				Rows: [][]any{{int8(-2), "x"}, {nil, "y"}}}
		}
		all.Metrics = append(all.Metrics, sparkplug.Metric{Name: dt.String(), Alias: uint64(i), HasAlias: true, DataType: dt, Value: v})
	}
	all.Metrics = append(all.Metrics, sparkplug.Metric{Name: "tpl", DataType: sparkplug.TemplateType, Value: &sparkplug.Template{
		Version: "1", TemplateRef: "Lathe", Metrics: []sparkplug.Metric{{Name: "rpm", DataType: sparkplug.UInt32, Value: uint32(1)}},
		Parameters: []sparkplug.Parameter{{Name: "p", Type: sparkplug.Int16, Value: int16(-1)}},
	}, Properties: &sparkplug.PropertySet{Keys: []string{"k", "l"}, Values: []sparkplug.PropertyValue{
		{Type: sparkplug.String, Value: "v"},
		{Type: sparkplug.PropertySetList, Value: []*sparkplug.PropertySet{{Keys: []string{"q"}, Values: []sparkplug.PropertyValue{{Type: sparkplug.Int32, Value: int32(192)}}}}},
	}}, MetaData: &sparkplug.MetaData{ContentType: "x", Size: 3}})
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	inner, _ := sparkplug.EncodePayload(dbirthPayload(1))
	zw.Write(inner)
	zw.Close()
	return map[string]*sparkplug.Payload{
		"compressed": {UUID: sparkplug.CompressedUUID, Body: z.Bytes()},
		"nbirth":     nbirthPayload(3, 0),
		"dbirth":     dbirthPayload(1),
		"ddata":      data(2, alias(10, "ACTIVE"), alias(13, uint32(0xfffffff6))),
		"ndata":      data(255, sparkplug.Metric{Name: "Supply Voltage", DataType: sparkplug.Float, Value: float32(23.5)}),
		"ndeath":     {Metrics: []sparkplug.Metric{{Name: "bdSeq", DataType: sparkplug.Int64, Value: int64(3)}}},
		"ddeath":     {Timestamp: 1, Seq: 4, HasSeq: true},
		"ncmd":       ncmd,
		"all":        all,
	}
}

// TestSeedCorpus keeps testdata/fuzz/FuzzDecodePayload in step with the
// encoder; go test -run TestSeedCorpus -update rewrites it.
func TestSeedCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecodePayload")
	for name, p := range seeds() {
		b, err := sparkplug.EncodePayload(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(b)))
		path := filepath.Join(dir, name)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is missing or stale (%v); run go test -run TestSeedCorpus -update", path, err)
		}
	}
}

// FuzzDecodePayload checks that DecodePayload never panics and that what
// it accepts encodes again, to bytes that are stable from then on.
func FuzzDecodePayload(f *testing.F) {
	for _, p := range seeds() {
		b, err := sparkplug.EncodePayload(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := sparkplug.DecodePayload(b)
		if err != nil {
			return
		}
		b1, err := sparkplug.EncodePayload(p)
		if err != nil {
			t.Fatalf("decoded %+v does not encode: %v", p, err)
		}
		q, err := sparkplug.DecodePayload(b1)
		if err != nil {
			t.Fatalf("re-encoded payload does not decode: %v", err)
		}
		b2, err := sparkplug.EncodePayload(q)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("encoding is not stable:\n% x\n% x", b1, b2)
		}
	})
}

// FuzzParseTopic checks that ParseTopic never panics and that a topic it
// accepts prints back as given.
func FuzzParseTopic(f *testing.F) {
	for _, s := range []string{"spBv1.0/g/NBIRTH/n", "spBv1.0/g/DDATA/n/d", "spBv1.0/STATE/h", "spBv1.0//NDATA/n", "spBv1.0/g/DDATA/n/d/e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tp, err := sparkplug.ParseTopic(s)
		if err != nil {
			return
		}
		if tp.String() != s {
			t.Fatalf("%q parsed as %+v, prints as %q", s, tp, tp.String())
		}
		if err := tp.Validate(); err != nil {
			t.Fatalf("%q parsed but does not validate: %v", s, err)
		}
	})
}

// FuzzTracker feeds a tracker a birth and then arbitrary messages: it must
// never panic, whatever the topic and payload.
func FuzzTracker(f *testing.F) {
	for name, p := range seeds() {
		b, _ := sparkplug.EncodePayload(p)
		f.Add(uint8(len(name)%6), b)
	}
	topics := []string{nbirth, dbirth, ndata, ddata, ddeath, ndeath}
	birthN, _ := sparkplug.EncodePayload(nbirthPayload(3, 0))
	birthD, _ := sparkplug.EncodePayload(dbirthPayload(1))
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		tr := &sparkplug.Tracker{}
		tr.Handle(nbirth, birthN)
		tr.Handle(dbirth, birthD)
		for i := 0; i < 3; i++ {
			tr.Handle(topics[(int(which)+i)%len(topics)], b)
		}
		n, _ := tr.Node("Shop A", "edge-1")
		for _, d := range n.Devices {
			sparkplug.DefaultStateMap().State(d.Metrics)
		}
	})
}
