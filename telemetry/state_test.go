package telemetry_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// t0 is 8:00 on a Monday in Japan time; at(s) is s seconds later.
var t0 = time.Date(2024, 5, 13, 8, 0, 0, 0, time.FixedZone("JST", 9*3600))

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

// show renders intervals as "state@start-end" in seconds from t0.
func show(ivs []telemetry.Interval) string {
	var b []string
	for _, iv := range ivs {
		b = append(b, fmt.Sprintf("%s@%g-%g", iv.State, iv.Start.Sub(t0).Seconds(), iv.End.Sub(t0).Seconds()))
	}
	return strings.Join(b, " ")
}

func TestStateNames(t *testing.T) {
	for _, s := range telemetry.States {
		key := s.Message().Key
		if !nakamawashi.HasMessage(key) {
			t.Errorf("%v: no catalog entry %q", s, key)
		}
		ja, en := s.Message().In(nakamawashi.Japanese), s.Message().In(nakamawashi.English)
		if ja == en || ja == key {
			t.Errorf("%v: ja %q en %q", s, ja, en)
		}
		got, err := telemetry.ParseState(s.String())
		if err != nil || got != s {
			t.Errorf("ParseState(%q) = %v, %v", s.String(), got, err)
		}
		b, _ := s.MarshalText()
		var u telemetry.State
		if err := u.UnmarshalText(b); err != nil || u != s {
			t.Errorf("text round trip of %v: %v, %v", s, u, err)
		}
	}
	if got := telemetry.Off.Message().In(nakamawashi.Japanese); got != "停止（電源断）" {
		t.Errorf("off in Japanese = %q", got)
	}
	if _, err := telemetry.ParseState("busy"); err == nil {
		t.Error("ParseState(busy): no error")
	}
}

func TestIntervals(t *testing.T) {
	b := telemetry.NewIntervals("m1")
	if _, _, ok := b.Current(); ok {
		t.Fatal("open before the first Set")
	}
	b.Set(at(0), telemetry.Idle)
	b.Set(at(10), telemetry.Idle) // merged
	b.Set(at(20), telemetry.Running)
	b.Set(at(30), telemetry.Alarm)
	b.Set(at(30), telemetry.Running) // the alarm lasted no time: merged back
	b.Set(at(25), telemetry.Setup)   // backwards: taken at 30
	b.Set(at(40), telemetry.Off)
	got := show(b.Close(at(50)))
	want := "idle@0-20 running@20-30 setup@30-40 off@40-50"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	for _, iv := range b.Closed() {
		if iv.Machine != "m1" {
			t.Errorf("machine %q", iv.Machine)
		}
	}
	// Carrying on after Close in the same state extends the last interval.
	b.Set(at(50), telemetry.Off)
	if got, want := show(b.Close(at(60))), "idle@0-20 running@20-30 setup@30-40 off@40-60"; got != want {
		t.Errorf("after reopening: got %s, want %s", got, want)
	}
	tot := telemetry.Totals(b.Closed())
	if tot[telemetry.Off] != 20*time.Second || tot[telemetry.Running] != 10*time.Second {
		t.Errorf("totals %v", tot)
	}
}
