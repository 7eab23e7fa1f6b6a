package main_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shopDay is the telemetry package's recording of a shop day; its header
// works out the seconds per state checked here.
var shopDay = filepath.Join("..", "..", "telemetry", "testdata", "shopday.shdr")

func TestTelemetryReplayJSON(t *testing.T) {
	m, out := newMain(t, nil)
	stderr := &syncBuffer{}
	m.Stderr = stderr
	if err := m.Run(context.Background(), []string{"telemetry", "replay", "--shdr", shopDay, "--json"}); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var got struct {
		Devices []struct {
			Name      string             `json:"name"`
			Seconds   map[string]float64 `json:"seconds"`
			Intervals []struct {
				State string    `json:"state"`
				Start time.Time `json:"start"`
				End   time.Time `json:"end"`
			} `json:"intervals"`
		} `json:"devices"`
	}
	dec := json.NewDecoder(strings.NewReader(out.String()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil || dec.More() {
		t.Fatalf("want exactly one JSON object of the documented shape, got %q (%v)", out, err)
	}
	want := map[string]map[string]float64{
		"mazak": {"running": 21224.75, "idle": 5175.25, "setup": 5400, "alarm": 1200, "off": 600},
		"okuma": {"running": 23339.5, "idle": 5110, "setup": 2430.5, "alarm": 1520, "off": 1800},
	}
	if len(got.Devices) != 2 {
		t.Fatalf("got %d devices, want 2: %s", len(got.Devices), out)
	}
	for _, d := range got.Devices {
		if len(d.Seconds) != 5 {
			t.Errorf("%s: seconds %v, want the five states", d.Name, d.Seconds)
		}
		for s, v := range want[d.Name] {
			if d.Seconds[s] != v {
				t.Errorf("%s %s: got %v, want %v", d.Name, s, d.Seconds[s], v)
			}
		}
		var sum float64
		for _, iv := range d.Intervals {
			sum += iv.End.Sub(iv.Start).Seconds()
		}
		if total := d.Seconds["running"] + d.Seconds["idle"] + d.Seconds["setup"] + d.Seconds["alarm"] + d.Seconds["off"]; sum != total {
			t.Errorf("%s: intervals add up to %v s, seconds to %v", d.Name, sum, total)
		}
	}
	if first := got.Devices[1].Intervals[0]; first.State != "setup" || first.Start.Format(time.RFC3339) != "2024-05-13T08:00:00+09:00" {
		t.Errorf("okuma's first interval %+v", first)
	}
	// The raw JSON carries RFC 3339 times in the recording's zone.
	if !strings.Contains(out.String(), `"start": "2024-05-13T08:25:30.5+09:00"`) {
		t.Errorf("okuma's idle at 08:25:30.5 JST not in the output:\n%s", out)
	}
	// The bad line is reported on standard error, with its number.
	if !strings.Contains(stderr.String(), "Lines that could not be read: 1") || !strings.Contains(stderr.String(), "shopday.shdr:39: timestamp \"TIME\"") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestTelemetryReplayTable(t *testing.T) {
	m, out := newMain(t, map[string]string{"LANG": "ja_JP.UTF-8"})
	if err := m.Run(context.Background(), []string{"telemetry", "replay", "--shdr", shopDay}); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"機械: mazak",
		"  running    5:53:44.75   21224.75   63.2  稼働",
		"機械: okuma",
		"  off           0:30:00       1800    5.3  停止（電源断）",
		"    2024-05-13T08:25:30.500+09:00  2024-05-13T08:26:00.500+09:00  idle          0:00:30",
		"読めなかった行：1行",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTelemetryReplayErrors(t *testing.T) {
	run := func(args ...string) (string, error) {
		m, out := newMain(t, nil)
		err := m.Run(context.Background(), append([]string{"telemetry"}, args...))
		return out.String(), err
	}
	if out, err := run(); !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "usage: nakamawashi telemetry replay") {
		t.Errorf("no subcommand: %v %q", err, out)
	}
	if _, err := run("replay"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("no --shdr: %v", err)
	}
	if _, err := run("replay", "--shdr", filepath.Join(t.TempDir(), "missing.shdr")); err == nil {
		t.Error("missing file: no error")
	}
	junk := filepath.Join(t.TempDir(), "junk.shdr")
	if err := os.WriteFile(junk, []byte("* PING\nnot shdr\n2024-05-13 08:00:00|exec|ACTIVE\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := run("replay", "--shdr", junk)
	if err == nil || !strings.Contains(err.Error(), "No machine state could be read") || !strings.Contains(out, "Lines that could not be read: 2") {
		t.Errorf("nothing readable: %v %q", err, out)
	}
	// One good line among bad ones is enough to succeed.
	some := filepath.Join(t.TempDir(), "some.shdr")
	if err := os.WriteFile(some, []byte("bad\n2024-05-13T08:00:00Z|exec|ACTIVE\n2024-05-13T08:01:00Z|exec|READY\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := run("replay", "--shdr", some, "--json"); err != nil || !strings.Contains(out, `"name": "default"`) {
		t.Errorf("partly readable: %v %q", err, out)
	}
}
