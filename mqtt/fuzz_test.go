package mqtt_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi/mqtt"
)

// The fuzz targets check that the decoders never panic, refuse what is
// over MaxPayloadSize, and that what they accept survives a round trip
// through the JSON form the documentation gives. Seeds are in
// testdata/fuzz/<target>.

func atJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.RFC3339Nano)
	return &s
}

func sameTime(a, b time.Time) bool { return a.Equal(b) && a.IsZero() == b.IsZero() }

func FuzzDecodeState(f *testing.F) {
	f.Add([]byte(`{"state":"running","at":"2026-04-01T08:30:00+09:00"}`))
	f.Add([]byte(`{"state":"off"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := mqtt.DecodeState(b)
		if err != nil {
			return
		}
		if len(b) > mqtt.MaxPayloadSize {
			t.Fatalf("accepted %d bytes", len(b))
		}
		out, err := json.Marshal(struct {
			State string  `json:"state"`
			At    *string `json:"at,omitempty"`
		}{r.State.String(), atJSON(r.At)})
		if err != nil {
			t.Fatal(err)
		}
		r2, err := mqtt.DecodeState(out)
		if err != nil || r2.State != r.State || !sameTime(r2.At, r.At) {
			t.Fatalf("round trip of %q via %s: %+v, %v; want %+v", b, out, r2, err, r)
		}
	})
}

func FuzzDecodeLight(f *testing.F) {
	f.Add([]byte(`{"green":true,"yellow":false,"red":false,"blink":{"green":false,"yellow":true,"red":false},"at":"2026-04-01T08:30:00Z"}`))
	f.Add([]byte(`{"green":false,"yellow":false,"red":true}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := mqtt.DecodeLight(b)
		if err != nil {
			return
		}
		if len(b) > mqtt.MaxPayloadSize {
			t.Fatalf("accepted %d bytes", len(b))
		}
		type lamps struct {
			Green  bool `json:"green"`
			Yellow bool `json:"yellow"`
			Red    bool `json:"red"`
		}
		out, err := json.Marshal(struct {
			lamps
			Blink lamps   `json:"blink"`
			At    *string `json:"at,omitempty"`
		}{lamps(r.Lamps), lamps(r.Blink), atJSON(r.At)})
		if err != nil {
			t.Fatal(err)
		}
		r2, err := mqtt.DecodeLight(out)
		if err != nil || r2.Lamps != r.Lamps || r2.Blink != r.Blink || !sameTime(r2.At, r.At) {
			t.Fatalf("round trip of %q via %s: %+v, %v; want %+v", b, out, r2, err, r)
		}
		if s := r.Sample(); s.Green != (r.Green || r.Blink.Green) {
			t.Fatalf("Sample() = %+v for %+v", s, r)
		}
	})
}

func FuzzDecodeCount(f *testing.F) {
	f.Add([]byte(`{"good":1234,"defect":5,"at":"2026-04-01T08:30:00.123+09:00"}`))
	f.Add([]byte(`{"good":0}`))
	f.Add([]byte(`{"good":9007199254740991,"defect":0}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := mqtt.DecodeCount(b)
		if err != nil {
			return
		}
		if len(b) > mqtt.MaxPayloadSize {
			t.Fatalf("accepted %d bytes", len(b))
		}
		if r.Good < 0 || r.Defect < 0 || r.Good > mqtt.MaxCount || r.Defect > mqtt.MaxCount {
			t.Fatalf("accepted counters out of range: %+v", r)
		}
		out, err := json.Marshal(struct {
			Good   int64   `json:"good"`
			Defect int64   `json:"defect"`
			At     *string `json:"at,omitempty"`
		}{r.Good, r.Defect, atJSON(r.At)})
		if err != nil {
			t.Fatal(err)
		}
		r2, err := mqtt.DecodeCount(out)
		if err != nil || r2.Good != r.Good || r2.Defect != r.Defect || !sameTime(r2.At, r.At) {
			t.Fatalf("round trip of %q via %s: %+v, %v; want %+v", b, out, r2, err, r)
		}
	})
}

func FuzzDecodeStatus(f *testing.F) {
	f.Add([]byte(`offline`))
	f.Add([]byte(`"online"`))
	f.Add([]byte(`{"status":"offline","at":"2026-04-01T08:30:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := mqtt.DecodeStatus(b)
		if err != nil {
			return
		}
		if len(b) > mqtt.MaxPayloadSize {
			t.Fatalf("accepted %d bytes", len(b))
		}
		word := "offline"
		if r.Online {
			word = "online"
		}
		r2, err := mqtt.DecodeStatus([]byte(word))
		if err != nil || r2.Online != r.Online {
			t.Fatalf("round trip of %q via %s: %+v, %v", b, word, r2, err)
		}
	})
}
