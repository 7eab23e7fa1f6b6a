package mqtt

import (
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

// MaxPayloadSize is the largest JSON payload a decoder reads; the messages
// of the schema are a few dozen bytes.
const MaxPayloadSize = 4096

// MaxCount is the largest part counter: the largest integer a JSON number
// holds exactly in every language a device may be programmed in.
const MaxCount = 1<<53 - 1

// StateReport is the payload of a state topic:
//
//	{"state":"running","at":"2026-04-01T08:30:00+09:00"}
//
// State is one of off, idle, setup, running, alarm. At is optional: a zero
// At means the device has no clock and the broker's receive time counts.
type StateReport struct {
	State telemetry.State
	At    time.Time
}

// Lamps says which lamps of a stack light are lit.
type Lamps struct {
	Green, Yellow, Red bool
}

// LightReport is the payload of a light topic:
//
//	{"green":true,"yellow":false,"red":false,
//	 "blink":{"green":false,"yellow":false,"red":false},"at":"…"}
//
// green, yellow and red are required and say whether a lamp is lit
// steadily; blink is optional and says which lamps blink. At is optional,
// as for StateReport.
type LightReport struct {
	Lamps
	Blink Lamps
	At    time.Time
}

// Sample returns the report as a stack-light sample for telemetry: a
// blinking lamp is on, as DOMAIN.md has it.
func (r LightReport) Sample() telemetry.LightSample {
	return telemetry.LightSample{
		Time:   r.At,
		Green:  r.Green || r.Blink.Green,
		Yellow: r.Yellow || r.Blink.Yellow,
		Red:    r.Red || r.Blink.Red,
	}
}

// CountReport is the payload of a count topic:
//
//	{"good":1234,"defect":5,"at":"…"}
//
// good is required, defect optional (0). The counters are totals since the
// device's counter was last reset, not increments: QoS 1 delivers a
// message at least once, and a repeated total does no harm where a
// repeated increment would count parts twice. The consumer takes the
// differences and treats a total that goes down as a reset. At is optional,
// as for StateReport.
type CountReport struct {
	Good, Defect int64
	At           time.Time
}

// StatusReport is the payload of a status topic: whether the device is
// online. A device publishes "online" after connecting and sets "offline"
// as its last will, so that the broker publishes it when the connection
// drops. The payload is the plain word (online, offline), the word as a
// JSON string, or {"status":"offline","at":"…"}.
type StatusReport struct {
	Online bool
	At     time.Time
}

type stateJSON struct {
	State *string    `json:"state"`
	At    *time.Time `json:"at"`
}

type lampsJSON struct {
	Green  *bool `json:"green"`
	Yellow *bool `json:"yellow"`
	Red    *bool `json:"red"`
}

type lightJSON struct {
	lampsJSON
	Blink *lampsJSON `json:"blink"`
	At    *time.Time `json:"at"`
}

type countJSON struct {
	Good   *int64     `json:"good"`
	Defect *int64     `json:"defect"`
	At     *time.Time `json:"at"`
}

type statusJSON struct {
	Status *string    `json:"status"`
	At     *time.Time `json:"at"`
}

// DecodeState reads a state payload. It refuses unknown fields, a missing
// or unknown state, payloads over MaxPayloadSize and anything after the
// object.
func DecodeState(b []byte) (StateReport, error) {
	const op = "mqtt.DecodeState"
	var v stateJSON
	if err := decodeObject(op, b, &v); err != nil {
		return StateReport{}, err
	}
	if v.State == nil {
		return StateReport{}, invalid(op, "state is missing")
	}
	s, err := telemetry.ParseState(*v.State)
	if err != nil {
		return StateReport{}, invalid(op, "%v", err)
	}
	return StateReport{State: s, At: at(v.At)}, nil
}

// DecodeLight reads a light payload, as strictly as DecodeState; the three
// lamps are required.
func DecodeLight(b []byte) (LightReport, error) {
	const op = "mqtt.DecodeLight"
	var v lightJSON
	if err := decodeObject(op, b, &v); err != nil {
		return LightReport{}, err
	}
	if v.Green == nil || v.Yellow == nil || v.Red == nil {
		return LightReport{}, invalid(op, "green, yellow and red are required")
	}
	r := LightReport{Lamps: v.lampsJSON.lamps(), At: at(v.At)}
	if v.Blink != nil {
		r.Blink = v.Blink.lamps()
	}
	return r, nil
}

func (l lampsJSON) lamps() Lamps {
	return Lamps{Green: l.Green != nil && *l.Green, Yellow: l.Yellow != nil && *l.Yellow, Red: l.Red != nil && *l.Red}
}

// DecodeCount reads a count payload, as strictly as DecodeState; the
// counters are whole numbers from 0 to MaxCount.
func DecodeCount(b []byte) (CountReport, error) {
	const op = "mqtt.DecodeCount"
	var v countJSON
	if err := decodeObject(op, b, &v); err != nil {
		return CountReport{}, err
	}
	if v.Good == nil {
		return CountReport{}, invalid(op, "good is missing")
	}
	r := CountReport{Good: *v.Good, At: at(v.At)}
	if v.Defect != nil {
		r.Defect = *v.Defect
	}
	if r.Good < 0 || r.Good > MaxCount || r.Defect < 0 || r.Defect > MaxCount {
		return CountReport{}, invalid(op, "counters must be from 0 to %d", int64(MaxCount))
	}
	return r, nil
}

// DecodeStatus reads a status payload: online or offline, plain, as a JSON
// string or as a JSON object with status and an optional at.
func DecodeStatus(b []byte) (StatusReport, error) {
	const op = "mqtt.DecodeStatus"
	if len(b) > MaxPayloadSize {
		return StatusReport{}, invalid(op, "payload of %d bytes, at most %d", len(b), MaxPayloadSize)
	}
	word := string(bytes.TrimSpace(b))
	var v statusJSON
	switch {
	case len(word) > 0 && word[0] == '{':
		if err := decodeObject(op, b, &v); err != nil {
			return StatusReport{}, err
		}
		if v.Status == nil {
			return StatusReport{}, invalid(op, "status is missing")
		}
		word = *v.Status
	case len(word) > 0 && word[0] == '"':
		if err := decodeJSON(op, b, &word); err != nil {
			return StatusReport{}, err
		}
	}
	switch word {
	case "online":
		return StatusReport{Online: true, At: at(v.At)}, nil
	case "offline":
		return StatusReport{Online: false, At: at(v.At)}, nil
	}
	return StatusReport{}, invalid(op, "status %.40q: want online or offline", word)
}

func at(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// decodeObject decodes one JSON object into v strictly.
func decodeObject(op string, b []byte, v any) error {
	if len(b) > MaxPayloadSize {
		return invalid(op, "payload of %d bytes, at most %d", len(b), MaxPayloadSize)
	}
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return invalid(op, "payload is not a JSON object")
	}
	return decodeJSON(op, b, v)
}

// decodeJSON decodes exactly one JSON value into v, refusing unknown
// fields and trailing data.
func decodeJSON(op string, b []byte, v any) error {
	if len(b) > MaxPayloadSize {
		return invalid(op, "payload of %d bytes, at most %d", len(b), MaxPayloadSize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalid(op, "%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid(op, "data after the JSON value")
	}
	return nil
}
