package mqtt_test

import (
	"strings"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

func TestParseTopic(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want mqtt.Topic
	}{
		{"nakamawashi/v1/c12/m34/state", mqtt.Topic{Company: "c12", Machine: "m34", Kind: mqtt.KindState}},
		{"nakamawashi/v1/ota-seimitsu/nc-2/light", mqtt.Topic{Company: "ota-seimitsu", Machine: "nc-2", Kind: mqtt.KindLight}},
		{"nakamawashi/v1/a/b/count", mqtt.Topic{Company: "a", Machine: "b", Kind: mqtt.KindCount}},
		{"nakamawashi/v1/a/b/status", mqtt.Topic{Company: "a", Machine: "b", Kind: mqtt.KindStatus}},
		{"nakamawashi/v1/a/b/cmd", mqtt.Topic{Company: "a", Machine: "b", Kind: mqtt.KindCommand}},
	} {
		got, err := mqtt.ParseTopic(tt.in)
		if err != nil {
			t.Errorf("ParseTopic(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseTopic(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("%+v.String() = %q, want %q", got, got.String(), tt.in)
		}
	}
}

func TestParseTopicInvalid(t *testing.T) {
	long := strings.Repeat("a", mqtt.MaxCodeLen+1)
	for _, in := range []string{
		"",
		"nakamawashi/v1",
		"nakamawashi/v1/c/m",
		"nakamawashi/v2/c/m/state",
		"Nakamawashi/v1/c/m/state",
		"nakamawashi/v1/C/m/state",
		"nakamawashi/v1/c/m/State",
		"nakamawashi/v1/c/m/temperature",
		"nakamawashi/v1/c//state",
		"nakamawashi/v1//m/state",
		"nakamawashi/v1/c/m/state/",
		"nakamawashi/v1/c/m/state/x",
		"nakamawashi/v1/+/m/state",
		"nakamawashi/v1/c/#",
		"nakamawashi/v1/c_1/m/state",
		"nakamawashi/v1/工場/m/state",
		"nakamawashi/v1/" + long + "/m/state",
		"/nakamawashi/v1/c/m/state",
		"spBv1.0/c/NDATA/m",
	} {
		if got, err := mqtt.ParseTopic(in); err == nil {
			t.Errorf("ParseTopic(%q) = %+v, want an error", in, got)
		} else if code := nakamawashi.ErrorCode(err); code != nakamawashi.EINVALID {
			t.Errorf("ParseTopic(%q): code %q, want %q", in, code, nakamawashi.EINVALID)
		}
	}
}

func TestValidCode(t *testing.T) {
	if !mqtt.ValidCode(strings.Repeat("z", mqtt.MaxCodeLen)) {
		t.Error("a code of MaxCodeLen is refused")
	}
	for _, s := range []string{"", "A", "a b", "a/b", "a+", "a#", "ａ", "a.b"} {
		if mqtt.ValidCode(s) {
			t.Errorf("ValidCode(%q) = true", s)
		}
	}
}

func TestACL(t *testing.T) {
	id := mqtt.DeviceIdentity{CompanyCode: "c1", MachineCode: "m2", DeviceID: 7}
	pub := map[string]bool{
		"nakamawashi/v1/c1/m2/state":  true,
		"nakamawashi/v1/c1/m2/light":  true,
		"nakamawashi/v1/c1/m2/count":  true,
		"nakamawashi/v1/c1/m2/status": true,
		"nakamawashi/v1/c1/m2/cmd":    false, // commands are the application's
		"nakamawashi/v1/c1/m3/state":  false, // another machine
		"nakamawashi/v1/c9/m2/state":  false, // another company
		"nakamawashi/v1/c1/m2/other":  false,
		"spBv1.0/c1/NBIRTH/m2":        true,
		"spBv1.0/c1/NDATA/m2":         true,
		"spBv1.0/c1/NDEATH/m2":        true,
		"spBv1.0/c1/DBIRTH/m2/plc1":   true,
		"spBv1.0/c1/DDATA/m2/plc1":    true,
		"spBv1.0/c1/DDEATH/m2/plc1":   true,
		"spBv1.0/c1/NCMD/m2":          false,
		"spBv1.0/c1/DCMD/m2/plc1":     false,
		"spBv1.0/STATE/host":          false,
		"spBv1.0/c9/NDATA/m2":         false,
		"spBv1.0/c1/NDATA/m3":         false,
		"spBv1.0/c1/DDATA/m2":         false,
		"spBv1.0/c1/NDATA/m2/x":       false,
		"$SYS/broker/uptime":          false,
		"other/topic":                 false,
	}
	for topic, want := range pub {
		if got := id.MayPublish(topic); got != want {
			t.Errorf("MayPublish(%q) = %v, want %v", topic, got, want)
		}
	}
	sub := map[string]bool{
		"nakamawashi/v1/c1/m2/cmd":          true,
		"nakamawashi/v1/c1/m2/state":        false,
		"nakamawashi/v1/c1/m2/+":            false,
		"nakamawashi/v1/c1/+/cmd":           false,
		"nakamawashi/v1/c1/m3/cmd":          false,
		"nakamawashi/v1/#":                  false,
		"#":                                 false,
		"$share/g/nakamawashi/v1/c1/m2/cmd": false,
		"spBv1.0/c1/NCMD/m2":                true,
		"spBv1.0/c1/DCMD/m2/plc1":           true,
		"spBv1.0/c1/DCMD/m2/+":              true,
		"spBv1.0/c1/DCMD/m2/#":              true,
		"spBv1.0/c1/DCMD/m3/+":              false,
		"spBv1.0/c1/NCMD/+":                 false,
		"spBv1.0/c1/NCMD/m2/#":              true,
		"spBv1.0/c1/NCMD/m2/+":              false,
		"spBv1.0/c1/NCMD/m3/#":              false,
		"spBv1.0/c2/NCMD/m2/#":              false,
		"spBv1.0/c1/NDATA/m2":               false,
		"spBv1.0/c1/#":                      false,
		"spBv1.0/STATE/scada":               true,
		"spBv1.0/STATE/+":                   false,
		"spBv1.0/STATE/#":                   false,
		"$SYS/#":                            false,
	}
	for filter, want := range sub {
		if got := id.MaySubscribe(filter); got != want {
			t.Errorf("MaySubscribe(%q) = %v, want %v", filter, got, want)
		}
	}
}
