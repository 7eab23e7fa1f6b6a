package mtconnect_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mtconnect"
)

func TestParseSHDRLine(t *testing.T) {
	ts := time.Date(2024, 5, 1, 8, 30, 0, 123000000, time.UTC)
	conds := map[string]bool{"system": true, "Mazak:servo_cond": true}
	isCond := func(dev, key string) bool { return conds[key] || conds[dev+":"+key] }
	tests := []struct {
		name   string
		line   string
		isCond func(string, string) bool
		want   mtconnect.SHDRLine
	}{
		{"pairs", "2024-05-01T08:30:00.123Z|avail|AVAILABLE|execution|ACTIVE|pc|42\r\n", nil, mtconnect.SHDRLine{Timestamp: ts,
			Items: []mtconnect.SHDRItem{{Key: "avail", Value: "AVAILABLE"}, {Key: "execution", Value: "ACTIVE"}, {Key: "pc", Value: "42"}}}},
		{"device prefix", "2024-05-01T08:30:00.123Z|Mazak:estop|TRIGGERED", nil, mtconnect.SHDRLine{Timestamp: ts,
			Items: []mtconnect.SHDRItem{{Device: "Mazak", Key: "estop", Value: "TRIGGERED"}}}},
		{"duration suffix", "2024-05-01T08:30:00.123Z@100.0|pc|1", nil, mtconnect.SHDRLine{Timestamp: ts,
			Items: []mtconnect.SHDRItem{{Key: "pc", Value: "1"}}}},
		{"condition by the model", "2024-05-01T08:30:00.123Z|system|FAULT|E101|2|HIGH|Spindle overheated", isCond, mtconnect.SHDRLine{Timestamp: ts,
			Conditions: []mtconnect.SHDRCondition{{Key: "system", Level: "FAULT", NativeCode: "E101", NativeSeverity: "2", Qualifier: "HIGH", Message: "Spindle overheated"}}}},
		{"condition guessed", "2024-05-01T08:30:00.123Z|Mazak:servo_cond|warning|W7|||Servo warm", nil, mtconnect.SHDRLine{Timestamp: ts,
			Conditions: []mtconnect.SHDRCondition{{Device: "Mazak", Key: "servo_cond", Level: "WARNING", NativeCode: "W7", Message: "Servo warm"}}}},
		{"condition unavailable", "2024-05-01T08:30:00.123Z|system|UNAVAILABLE||||", nil, mtconnect.SHDRLine{Timestamp: ts,
			Conditions: []mtconnect.SHDRCondition{{Key: "system", Level: "UNAVAILABLE"}}}},
		{"short condition by the model", "2024-05-01T08:30:00.123Z|system|NORMAL", isCond, mtconnect.SHDRLine{Timestamp: ts,
			Conditions: []mtconnect.SHDRCondition{{Key: "system", Level: "NORMAL"}}}},
		{"pairs that look like a condition", "2024-05-01T08:30:00.123Z|avail|UNAVAILABLE|exec|READY|mode|AUTOMATIC", nil, mtconnect.SHDRLine{Timestamp: ts,
			Items: []mtconnect.SHDRItem{{Key: "avail", Value: "UNAVAILABLE"}, {Key: "exec", Value: "READY"}, {Key: "mode", Value: "AUTOMATIC"}}}},
		{"empty value", "2024-05-01T08:30:00.123Z|program|", nil, mtconnect.SHDRLine{Timestamp: ts,
			Items: []mtconnect.SHDRItem{{Key: "program", Value: ""}}}},
		{"asset on one line", "2024-05-01T08:30:00.123Z|@ASSET@|T1|CuttingTool|<CuttingTool/>", nil, mtconnect.SHDRLine{Timestamp: ts, Asset: "@ASSET@"}},
		{"asset opening a block", "2024-05-01T08:30:00.123Z|@ASSET@|T1|CuttingTool|--multiline--0FED07ACED", nil,
			mtconnect.SHDRLine{Timestamp: ts, Asset: "@ASSET@", Multiline: "--multiline--0FED07ACED"}},
		{"remove all assets", "2024-05-01T08:30:00.123Z|@REMOVE_ALL_ASSETS@|CuttingTool", nil, mtconnect.SHDRLine{Timestamp: ts, Asset: "@REMOVE_ALL_ASSETS@"}},
		{"pong", "* PONG 1000", nil, mtconnect.SHDRLine{Command: "PONG 1000"}},
		{"adapter command", "* shdrVersion: 2", nil, mtconnect.SHDRLine{Command: "shdrVersion: 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mtconnect.ParseSHDRLine(tt.line, tt.isCond)
			if err != nil {
				t.Fatal(err)
			}
			if got.TimeErr != nil {
				t.Errorf("TimeErr = %v", got.TimeErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseSHDRLine(%q)\n got %+v\nwant %+v", tt.line, got, tt.want)
			}
		})
	}
}

func TestParseSHDRLineProblems(t *testing.T) {
	l, err := mtconnect.ParseSHDRLine("TIME|pc|3", nil)
	if err != nil || l.TimeErr == nil || len(l.Items) != 1 || l.Items[0].Value != "3" {
		t.Errorf("a bad timestamp: %+v, %v; want TimeErr and the item kept", l, err)
	}
	for _, bad := range []string{"", "\r\n", "2024-05-01T08:30:00Z", "2024-05-01T08:30:00Z|pc", "2024-05-01T08:30:00Z||3",
		"2024-05-01T08:30:00Z|a|1|b", strings.Repeat("x", mtconnect.MaxLineBytes+1)} {
		_, err := mtconnect.ParseSHDRLine(bad, nil)
		if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
			t.Errorf("ParseSHDRLine(%.40q) = %v, want invalid", bad, err)
		}
	}
	_, err = mtconnect.ParseSHDRLine("2024-05-01T08:30:00Z|system|BROKEN|1|2|3|4", func(string, string) bool { return true })
	if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
		t.Errorf("a condition with an unknown level: %v, want invalid", err)
	}
}
