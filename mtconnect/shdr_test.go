package mtconnect_test

import (
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mtconnect"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// The parser itself is telemetry's (telemetry/shdr_test.go); these check
// what the adapter relies on: the device model, the duration suffix and
// the error code.
func TestParseSHDRLine(t *testing.T) {
	ts := time.Date(2024, 5, 1, 8, 30, 0, 123000000, time.UTC)
	conds := map[string]bool{"system": true, "Mazak:servo_cond": true}
	isCond := func(dev, key string) bool { return conds[key] || conds[dev+":"+key] }
	tests := []struct {
		name   string
		line   string
		isCond func(string, string) bool
		want   string // key=value, key!level/code/message
	}{
		{"pairs", "2024-05-01T08:30:00.123Z|avail|AVAILABLE|execution|ACTIVE|pc|42\r\n", nil, "avail=AVAILABLE execution=ACTIVE pc=42"},
		{"device prefix", "2024-05-01T08:30:00.123Z|Mazak:estop|TRIGGERED", nil, "Mazak:estop=TRIGGERED"},
		{"duration suffix", "2024-05-01T08:30:00.123Z@100.0|pc|1", nil, "pc=1"},
		{"condition by the model", "2024-05-01T08:30:00.123Z|system|FAULT|E101|2|HIGH|Spindle overheated", isCond, "system!FAULT/E101/Spindle overheated"},
		{"condition guessed", "2024-05-01T08:30:00.123Z|Mazak:servo_cond|warning|W7|||Servo warm", nil, "Mazak:servo_cond!WARNING/W7/Servo warm"},
		{"short condition by the model", "2024-05-01T08:30:00.123Z|system|NORMAL", isCond, "system!NORMAL//"},
		{"not a condition by the model", "2024-05-01T08:30:00.123Z|mode|NORMAL|pc|3", isCond, "mode=NORMAL pc=3"},
		{"pairs that look like a condition", "2024-05-01T08:30:00.123Z|avail|UNAVAILABLE|exec|READY|mode|AUTOMATIC", nil, "avail=UNAVAILABLE exec=READY mode=AUTOMATIC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := mtconnect.ParseSHDRLine(tt.line, tt.isCond)
			if err != nil {
				t.Fatal(err)
			}
			if !l.Time.Equal(ts) || l.Kind != telemetry.SHDRData {
				t.Errorf("time %v kind %v", l.Time, l.Kind)
			}
			got := ""
			for i, o := range l.Observations {
				if i > 0 {
					got += " "
				}
				k := o.Key
				if o.Device != "" {
					k = o.Device + ":" + k
				}
				if o.Condition {
					got += k + "!" + o.Value + "/" + o.NativeCode + "/" + o.Message
				} else {
					got += k + "=" + o.Value
				}
			}
			if got != tt.want {
				t.Errorf("ParseSHDRLine(%q) = %q, want %q", tt.line, got, tt.want)
			}
		})
	}
}

func TestParseSHDRLineProblems(t *testing.T) {
	for _, bad := range []string{"TIME|pc|3", "2024-05-01T08:30:00Z|pc", "2024-05-01T08:30:00Z||3", "2024-05-01T08:30:00Z|a|1|b"} {
		_, err := mtconnect.ParseSHDRLine(bad, nil)
		if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
			t.Errorf("ParseSHDRLine(%.40q) = %v, want invalid", bad, err)
		}
	}
	_, err := mtconnect.ParseSHDRLine("2024-05-01T08:30:00Z|system|BROKEN|1|2|3|4", func(string, string) bool { return true })
	if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("a condition with an unknown level: %v, want invalid", err)
	}
}
