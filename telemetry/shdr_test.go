package telemetry_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi/telemetry"
)

func TestParseSHDRLine(t *testing.T) {
	ts := time.Date(2024, 5, 13, 8, 0, 0, 123000000, time.UTC)
	type O = telemetry.Observation
	tests := []struct {
		line string
		kind telemetry.SHDRKind
		obs  []O
	}{
		{"2024-05-13T08:00:00.123Z|avail|AVAILABLE|exec|READY", telemetry.SHDRData,
			[]O{{Key: "avail", Value: "AVAILABLE"}, {Key: "exec", Value: "READY"}}},
		{"2024-05-13T17:00:00.123+09:00|exec|ACTIVE\r\n", telemetry.SHDRData, []O{{Key: "exec", Value: "ACTIVE"}}},
		{"2024-05-13T08:00:00.123|mazak:exec|ACTIVE|okuma:mode|MANUAL", telemetry.SHDRData,
			[]O{{Device: "mazak", Key: "exec", Value: "ACTIVE"}, {Device: "okuma", Key: "mode", Value: "MANUAL"}}},
		{"2024-05-13T08:00:00.123Z|system|FAULT|2010|1|HIGH|OVERTRAVEL X+", telemetry.SHDRData,
			[]O{{Key: "system", Value: "FAULT", Condition: true, NativeCode: "2010", NativeSeverity: "1", Qualifier: "HIGH", Message: "OVERTRAVEL X+"}}},
		{"2024-05-13T08:00:00.123Z|system|normal||||", telemetry.SHDRData,
			[]O{{Key: "system", Value: "NORMAL", Condition: true}}},
		{"2024-05-13T08:00:00.123Z|system|WARNING|LUB", telemetry.SHDRData,
			[]O{{Key: "system", Value: "WARNING", Condition: true, NativeCode: "LUB"}}},
		{"2024-05-13T08:00:00.123Z|system|FAULT|E1|||boom|exec|STOPPED", telemetry.SHDRData,
			[]O{{Key: "system", Value: "FAULT", Condition: true, NativeCode: "E1", Message: "boom"}, {Key: "exec", Value: "STOPPED"}}},
		// UNAVAILABLE is a condition only where an empty field follows.
		{"2024-05-13T08:00:00.123Z|system|UNAVAILABLE||||", telemetry.SHDRData,
			[]O{{Key: "system", Value: "UNAVAILABLE", Condition: true}}},
		{"2024-05-13T08:00:00.123Z|exec|UNAVAILABLE|mode|UNAVAILABLE", telemetry.SHDRData,
			[]O{{Key: "exec", Value: "UNAVAILABLE"}, {Key: "mode", Value: "UNAVAILABLE"}}},
		{"2024-05-13T08:00:00.123Z|msg|", telemetry.SHDRData, []O{{Key: "msg", Value: ""}}},
		{"* PING", telemetry.SHDRCommand, nil},
		{"* PONG 10000", telemetry.SHDRCommand, nil},
		{"", telemetry.SHDRBlank, nil},
		{"  # a comment", telemetry.SHDRBlank, nil},
		{"2024-05-13T08:00:00.123Z|@ASSET@|T1|CuttingTool|<CuttingTool/>", telemetry.SHDRAsset, nil},
		{"2024-05-13T08:00:00.123Z|@ASSET@|T1|CuttingTool|--multiline--ABC", telemetry.SHDRMultiline, nil},
	}
	for _, tt := range tests {
		l, err := telemetry.ParseSHDRLine(tt.line)
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		if l.Kind != tt.kind || !reflect.DeepEqual(l.Observations, tt.obs) {
			t.Errorf("%q:\n got %v %+v\nwant %v %+v", tt.line, l.Kind, l.Observations, tt.kind, tt.obs)
		}
		if tt.kind == telemetry.SHDRData && !l.Time.Equal(ts) && !strings.Contains(tt.line, "+09:00") {
			t.Errorf("%q: time %v, want %v", tt.line, l.Time, ts)
		}
	}
	if l, _ := telemetry.ParseSHDRLine("* PONG 10000"); l.Command != "PONG 10000" {
		t.Errorf("command %q", l.Command)
	}
	if l, _ := telemetry.ParseSHDRLine("2024-05-13T08:00:00Z|@ASSET@|T1|CuttingTool|--multiline--ABC"); l.Terminator != "--multiline--ABC" {
		t.Errorf("terminator %q", l.Terminator)
	}
}

func TestParseSHDRLineErrors(t *testing.T) {
	for line, want := range map[string]string{
		"TIME|exec|ACTIVE":                   "not RFC 3339",
		"2024-05-13 08:00:00|exec|ACTIVE":    "not RFC 3339",
		"2024-05-13T08:00:00Z":               "no key",
		"2024-05-13T08:00:00Z|exec":          `key "exec" has no value`,
		"2024-05-13T08:00:00Z|exec|A|mode":   `key "mode" has no value`,
		"2024-05-13T08:00:00Z||ACTIVE":       "empty key",
		"2024-05-13T08:00:00Z|:exec|ACTIVE":  "empty device",
		"2024-05-13T08:00:00Z|mazak:|ACTIVE": "empty key",
	} {
		_, err := telemetry.ParseSHDRLine(line)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error with %q", line, err, want)
		}
	}
}

func TestSHDRScanner(t *testing.T) {
	in := strings.Join([]string{
		"* PING",
		"2024-05-13T08:00:00Z|exec|READY",
		"2024-05-13T08:00:01Z|@ASSET@|T1|CuttingTool|--multiline--X1",
		"2024-05-13T08:00:02Z|exec|ACTIVE",
		"--multiline--X1",
		"bad",
		"2024-05-13T08:00:03Z|exec|STOPPED",
		"2024-05-13T08:00:04Z|@ASSET@|T2|CuttingTool|--multiline--X2",
		"2024-05-13T08:00:05Z|exec|ACTIVE",
	}, "\n")
	sc := telemetry.NewSHDRScanner(strings.NewReader(in))
	var got []string
	for sc.Scan() {
		l, err := sc.Line()
		var le *telemetry.LineError
		switch {
		case errors.As(err, &le):
			got = append(got, le.Error()[:6])
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, l.Observations[0].Value)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"READY", "line 6", "STOPPED", "line 8"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzParseSHDR checks that no line makes the parser panic and that what
// it accepts is well formed. The seeds are in testdata/fuzz/FuzzParseSHDR.
func FuzzParseSHDR(f *testing.F) {
	f.Add("2024-05-13T08:00:00.123Z|avail|AVAILABLE|exec|READY")
	f.Fuzz(func(t *testing.T, line string) {
		l, err := telemetry.ParseSHDRLine(line)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if l.Kind != telemetry.SHDRData {
			if len(l.Observations) != 0 {
				t.Fatalf("kind %v with observations", l.Kind)
			}
			return
		}
		if len(l.Observations) == 0 {
			t.Fatal("a data line without observations")
		}
		for _, o := range l.Observations {
			if o.Key == "" {
				t.Fatalf("empty key in %q", line)
			}
			if o.Condition && !telemetry.IsConditionLevel(o.Value) {
				t.Fatalf("condition with level %q", o.Value)
			}
		}
		// A data line replays without error.
		if _, err := telemetry.Replay(strings.NewReader(line)); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseSHDRLine fuzzes the parser with and without a device model, as
// the live adapter client uses it. The seeds are in
// testdata/fuzz/FuzzParseSHDRLine.
func FuzzParseSHDRLine(f *testing.F) {
	for _, s := range []string{
		"2024-05-01T08:30:00.123Z|avail|AVAILABLE|execution|ACTIVE|pc|42",
		"2024-05-01T08:30:00.123Z|Mazak:system|FAULT|E101|2|HIGH|Spindle overheated",
		"2024-05-01T08:30:00.123Z|system|UNAVAILABLE||||",
		"2024-05-01T08:30:00Z@10.5|pos|1 2 3",
		"* PONG 1000",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, line string, model bool) {
		var isCond func(string, string) bool
		if model {
			isCond = func(_, key string) bool { return strings.HasSuffix(key, "cond") || key == "system" }
		}
		l, err := telemetry.ParseSHDRLineModel(line, isCond)
		if err != nil {
			return
		}
		var st telemetry.MTConnectState
		for _, o := range l.Observations {
			if o.Key == "" || o.Condition && !telemetry.IsConditionLevel(o.Value) {
				t.Fatalf("observation %+v of %q", o, line)
			}
			if utf8.ValidString(line) && strings.Contains(o.Value, "|") {
				t.Fatalf("value %q holds a separator", o.Value)
			}
			st.ObserveSHDR(o, "")
		}
		if st.State() >= telemetry.NumStates {
			t.Fatalf("state %v", st.State())
		}
	})
}
