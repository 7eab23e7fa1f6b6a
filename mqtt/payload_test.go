package mqtt_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

var jst = time.FixedZone("JST", 9*3600)

func TestDecodeState(t *testing.T) {
	got, err := mqtt.DecodeState([]byte(`{"state":"running","at":"2026-04-01T08:30:00+09:00"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := mqtt.StateReport{State: telemetry.Running, At: time.Date(2026, 4, 1, 8, 30, 0, 0, jst)}
	if got.State != want.State || !got.At.Equal(want.At) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	got, err = mqtt.DecodeState([]byte(" {\"state\":\"alarm\"}\n"))
	if err != nil || got.State != telemetry.Alarm || !got.At.IsZero() {
		t.Errorf("without at: got %+v, %v", got, err)
	}
}

func TestDecodeLight(t *testing.T) {
	got, err := mqtt.DecodeLight([]byte(`{"green":false,"yellow":true,"red":false,"blink":{"green":true},"at":"2026-04-01T08:30:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Green || !got.Yellow || got.Red || !got.Blink.Green || got.Blink.Yellow || got.Blink.Red {
		t.Errorf("got %+v", got)
	}
	s := got.Sample()
	if !s.Green || !s.Yellow || s.Red || !s.Time.Equal(time.Date(2026, 4, 1, 8, 30, 0, 0, time.UTC)) {
		t.Errorf("Sample() = %+v, want green (blinking) and yellow", s)
	}
}

func TestDecodeCount(t *testing.T) {
	got, err := mqtt.DecodeCount([]byte(`{"good":1234,"defect":5}`))
	if err != nil || got.Good != 1234 || got.Defect != 5 {
		t.Errorf("got %+v, %v", got, err)
	}
	got, err = mqtt.DecodeCount([]byte(`{"good":0}`))
	if err != nil || got.Good != 0 || got.Defect != 0 {
		t.Errorf("defect omitted: got %+v, %v", got, err)
	}
}

func TestDecodeStatus(t *testing.T) {
	for in, online := range map[string]bool{
		"online":               true,
		"offline":              false,
		" offline\n":           false,
		`"online"`:             true,
		`{"status":"offline"}`: false,
		`{"status":"online","at":"2026-04-01T00:00:00Z"}`: true,
	} {
		got, err := mqtt.DecodeStatus([]byte(in))
		if err != nil || got.Online != online {
			t.Errorf("DecodeStatus(%q) = %+v, %v; want online %v", in, got, err, online)
		}
	}
}

func TestDecodeInvalid(t *testing.T) {
	big := `{"state":"running","at":"2026-04-01T00:00:00Z"` + strings.Repeat(" ", mqtt.MaxPayloadSize) + "}"
	cases := map[string][]string{
		"state": {
			``, `null`, `[]`, `"running"`, `{}`, `{"state":null}`, `{"state":"RUNNING"}`, `{"state":"busy"}`,
			`{"state":3}`, `{"state":"running","extra":1}`, `{"state":"running"}{}`, `{"state":"running"} x`,
			`{"state":"running","at":"yesterday"}`, `{"state":"running","at":"2026-04-01 08:30"}`,
			`{"state":"running"`, big,
		},
		"light": {
			`{}`, `{"green":true,"yellow":false}`, `{"green":1,"yellow":false,"red":false}`,
			`{"green":true,"yellow":false,"red":false,"blue":false}`,
			`{"green":true,"yellow":false,"red":false,"blink":{"blue":true}}`,
			`{"green":true,"yellow":false,"red":false,"blink":true}`,
		},
		"count": {
			`{}`, `{"defect":1}`, `{"good":-1}`, `{"good":1.5}`, `{"good":"3"}`, `{"good":1,"defect":-2}`,
			`{"good":9007199254740992}`, `{"good":1e3}`, `{"good":99999999999999999999}`, `{"good":1,"bad":2}`,
		},
		"status": {
			``, `on`, `Online`, `"on"`, `{}`, `{"status":"online","x":1}`, `{"status":true}`, `online offline`,
			strings.Repeat("o", mqtt.MaxPayloadSize+1),
		},
	}
	decode := map[string]func([]byte) error{
		"state":  func(b []byte) error { _, err := mqtt.DecodeState(b); return err },
		"light":  func(b []byte) error { _, err := mqtt.DecodeLight(b); return err },
		"count":  func(b []byte) error { _, err := mqtt.DecodeCount(b); return err },
		"status": func(b []byte) error { _, err := mqtt.DecodeStatus(b); return err },
	}
	for kind, ins := range cases {
		for _, in := range ins {
			err := decode[kind]([]byte(in))
			if err == nil {
				t.Errorf("decode %s %.60q: no error", kind, in)
			} else if code := nakamawashi.ErrorCode(err); code != nakamawashi.EINVALID {
				t.Errorf("decode %s %.60q: code %q, want %q (%v)", kind, in, code, nakamawashi.EINVALID, err)
			}
		}
	}
}
