package mtconnect_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mtconnect"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

func mustOpen(tb testing.TB, name string) *os.File {
	tb.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

func TestParseDevices(t *testing.T) {
	type item struct{ id, name, category, typ, subType, component string }
	tests := []struct {
		file     string
		instance string
		devices  []string // name/uuid/number of data items
		items    map[string]item
	}{
		{"Devices-okuma-mazak.xml", "1", []string{"OKUMA/OKUMA.123456/100", "Mazak/Mazak/116"}, map[string]item{
			"Lavail":      {"Lavail", "avail", "EVENT", "AVAILABILITY", "", "Device"},
			"Lestop":      {"Lestop", "estop", "EVENT", "EMERGENCY_STOP", "", "Controller"},
			"Lpexecution": {"Lpexecution", "pexecution", "EVENT", "EXECUTION", "", "Controller"},
			"servo_cond":  {"servo_cond", "", "CONDITION", "ACTUATOR", "", "Axes"},
			"execution":   {"execution", "", "EVENT", "EXECUTION", "", "Path"},
		}},
		{"probe-haas.xml", "1237628993", []string{"Haas_1/000/14"}, map[string]item{
			"s1":    {"s1", "Sspeed", "SAMPLE", "SPINDLE_SPEED", "ACTUAL", "Rotary"},
			"estop": {"estop", "", "EVENT", "EMERGENCY_STOP", "", "Controller"},
			"c3":    {"c3", "execution", "EVENT", "EXECUTION", "", "Path"},
		}},
		{"probe-fanuc.xml", "1267728234", []string{"Fanuc-4Axis/000/48"}, map[string]item{
			"avail":     {"avail", "", "EVENT", "AVAILABILITY", "", "Device"},
			"Xovertemp": {"Xovertemp", "", "CONDITION", "TEMPERATURE", "", "Linear"},
			"cn6":       {"cn6", "execution", "EVENT", "EXECUTION", "", "Path"},
		}},
		{"probe-two_devices.xml", "1237628993", []string{"Device1/device-1/3", "Device2/device-2/3"}, map[string]item{
			"d2-5": {"d2-5", "exec", "EVENT", "EXECUTION", "", "Path"},
		}},
		{"linuxcnc-test_probe.xml", "", []string{"LinuxCNC/000/17"}, map[string]item{
			"13": {"13", "Sovr", "SAMPLE", "SPINDLE_SPEED", "OVERRIDE", "Spindle"},
			"24": {"24", "execution", "EVENT", "EXECUTION", "", "Controller"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d, err := mtconnect.ParseDevices(mustOpen(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if d.Header.InstanceID != tt.instance {
				t.Errorf("instanceId = %q, want %q", d.Header.InstanceID, tt.instance)
			}
			var got []string
			for _, dev := range d.Devices {
				got = append(got, dev.Name+"/"+dev.UUID+"/"+strconv.Itoa(len(dev.DataItems)))
			}
			if strings.Join(got, " ") != strings.Join(tt.devices, " ") {
				t.Errorf("devices = %v, want %v", got, tt.devices)
			}
			for id, want := range tt.items {
				di, ok := d.Lookup("", id)
				if !ok {
					t.Errorf("no data item %s", id)
					continue
				}
				g := item{di.ID, di.Name, di.Category, di.Type, di.SubType, di.Component}
				if g != want {
					t.Errorf("data item %s = %+v, want %+v", id, g, want)
				}
			}
		})
	}
}

func TestDevicesLookup(t *testing.T) {
	d, err := mtconnect.ParseDevices(mustOpen(t, "probe-two_devices.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if di, ok := d.Lookup("Device2", "exec"); !ok || di.ID != "d2-5" {
		t.Errorf("Lookup(Device2, exec) = %+v %v, want d2-5", di, ok)
	}
	if got := d.TypeOf("device-1", "avail"); got != "AVAILABILITY" {
		t.Errorf("TypeOf(device-1, avail) = %q, want AVAILABILITY", got)
	}
	if _, ok := d.Lookup("Device3", "exec"); ok {
		t.Error("found a data item of a device that does not exist")
	}
	h, err := mtconnect.ParseDevices(mustOpen(t, "probe-haas.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !h.IsCondition("", "system") || h.IsCondition("", "estop") {
		t.Error("IsCondition: want system a condition and estop not")
	}
}

func TestParseStreamsLinuxCNC(t *testing.T) {
	s, err := mtconnect.ParseStreams(mustOpen(t, "linuxcnc-test_current.xml"))
	if err != nil {
		t.Fatal(err)
	}
	h := s.Header
	if h.FirstSequence != 10123733 || h.NextSequence != 10254805 || h.LastSequence != 10254804 || h.InstanceID != "" || h.Version != "1.0" {
		t.Errorf("header = %+v", h)
	}
	if len(s.Observations) != 16 {
		t.Fatalf("%d observations, want 16", len(s.Observations))
	}
	// Every timestamp reads "TIME": each observation says so, and keeps
	// everything else.
	if n := len(s.Problems()); n != 16 {
		t.Errorf("%d problems, want 16", n)
	}
	var exec *mtconnect.Observation
	for i, o := range s.Observations {
		if o.Type == "Execution" {
			exec = &s.Observations[i]
		}
	}
	if exec == nil {
		t.Fatal("no Execution observation")
	}
	want := mtconnect.Observation{Device: "LinuxCNC", DeviceUUID: "000", Component: "Controller", ComponentID: "11",
		Category: "EVENT", DataItemID: "24", Name: "execution", Type: "Execution", Sequence: 10254795, Value: "READY"}
	got := *exec
	got.Err = nil
	if got.Device != want.Device || got.DeviceUUID != want.DeviceUUID || got.Component != want.Component || got.ComponentID != want.ComponentID ||
		got.Category != want.Category || got.DataItemID != want.DataItemID || got.Name != want.Name || got.Type != want.Type ||
		got.Sequence != want.Sequence || got.Value != want.Value || !got.Timestamp.IsZero() {
		t.Errorf("execution = %+v, want %+v", got, want)
	}
	if exec.Err == nil || !strings.Contains(exec.Err.Error(), `invalid timestamp "TIME"`) || !strings.Contains(exec.Err.Error(), "24") {
		t.Errorf("execution error = %v, want an invalid timestamp naming the data item", exec.Err)
	}
	if got := mtconnect.MapState(s.Observations...); got != telemetry.Idle {
		t.Errorf("state = %q, want idle (READY)", got)
	}

	s, err = mtconnect.ParseStreams(mustOpen(t, "linuxcnc-test_sample.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Header.FirstSequence != 10843512 || s.Header.NextSequence != 10974584 || len(s.Observations) != 12 {
		t.Errorf("sample: header %+v, %d observations; want first 10843512, next 10974584, 12", s.Header, len(s.Observations))
	}
	first := s.Observations[0]
	if first.Name != "Ycom" || first.SubType != "COMMANDED" || first.Type != "Position" || first.Value != "0.553472" || first.Sequence != 10843512 {
		t.Errorf("first sample = %+v", first)
	}
}

// streams20 is an MTConnect 2.x document with a namespace prefix, a
// condition, a data set and good timestamps, written after the standard.
const streams20 = `<?xml version="1.0" encoding="UTF-8"?>
<m:MTConnectStreams xmlns:m="urn:mtconnect.org:MTConnectStreams:2.0">
  <m:Header creationTime="2024-05-01T00:00:02Z" sender="agent" instanceId="1714521600" version="2.0.0" bufferSize="131072" nextSequence="108" firstSequence="1" lastSequence="107"/>
  <m:Streams>
    <m:DeviceStream name="Mazak" uuid="M1">
      <m:ComponentStream component="Device" componentId="d1">
        <m:Events>
          <m:Availability dataItemId="avail" sequence="100" timestamp="2024-05-01T00:00:00.123456Z">AVAILABLE</m:Availability>
        </m:Events>
      </m:ComponentStream>
      <m:ComponentStream component="Controller" name="cont" componentId="cont">
        <m:Events>
          <m:EmergencyStop dataItemId="estop" sequence="101" timestamp="2024-05-01T00:00:00.5">ARMED</m:EmergencyStop>
          <m:Variables dataItemId="vars" sequence="102" timestamp="2024-05-01T00:00:01Z" count="2"><m:Entry key="a">1</m:Entry><m:Entry key="b">2</m:Entry></m:Variables>
        </m:Events>
        <m:Condition>
          <m:Fault dataItemId="system_cond" type="SYSTEM" nativeCode="E101" nativeSeverity="2" qualifier="HIGH" sequence="103" timestamp="2024-05-01T00:00:01+09:00"> Spindle overheated </m:Fault>
          <m:Normal dataItemId="logic_cond" type="LOGIC_PROGRAM" sequence="104" timestamp="2024-05-01T00:00:01Z"/>
        </m:Condition>
      </m:ComponentStream>
      <m:ComponentStream component="Path" componentId="path1">
        <m:Events>
          <m:Execution dataItemId="execution" sequence="105" timestamp="2024-05-01T00:00:01Z">ACTIVE</m:Execution>
          <m:PartCount dataItemId="pc" sequence="zz" timestamp="2024-05-01T00:00:01Z">42</m:PartCount>
        </m:Events>
      </m:ComponentStream>
    </m:DeviceStream>
  </m:Streams>
</m:MTConnectStreams>`

func TestParseStreams20(t *testing.T) {
	s, err := mtconnect.ParseStreams(strings.NewReader(streams20))
	if err != nil {
		t.Fatal(err)
	}
	if s.Header.InstanceID != "1714521600" || s.Header.NextSequence != 108 || !s.Header.CreationTime.Equal(time.Date(2024, 5, 1, 0, 0, 2, 0, time.UTC)) {
		t.Errorf("header = %+v", s.Header)
	}
	byID := map[string]mtconnect.Observation{}
	for _, o := range s.Observations {
		byID[o.DataItemID] = o
	}
	if o := byID["avail"]; o.Type != "Availability" || o.Value != "AVAILABLE" || o.Component != "Device" ||
		!o.Timestamp.Equal(time.Date(2024, 5, 1, 0, 0, 0, 123456000, time.UTC)) || o.Err != nil {
		t.Errorf("availability = %+v", o)
	}
	if o := byID["estop"]; !o.Timestamp.Equal(time.Date(2024, 5, 1, 0, 0, 0, 5e8, time.UTC)) || o.Err != nil {
		t.Errorf("a timestamp without a zone is UTC: got %+v", o)
	}
	if o := byID["vars"]; o.Entries["a"] != "1" || o.Entries["b"] != "2" || o.Value != "" {
		t.Errorf("data set = %+v", o)
	}
	f := byID["system_cond"]
	if f.Category != "CONDITION" || f.Level != "FAULT" || f.Type != "SYSTEM" || f.NativeCode != "E101" || f.NativeSeverity != "2" ||
		f.Qualifier != "HIGH" || f.Value != "Spindle overheated" || f.Component != "cont" || f.Device != "Mazak" || f.DeviceUUID != "M1" ||
		!f.Timestamp.Equal(time.Date(2024, 4, 30, 15, 0, 1, 0, time.UTC)) {
		t.Errorf("fault = %+v", f)
	}
	if n := byID["logic_cond"]; n.Level != "NORMAL" || n.Type != "LOGIC_PROGRAM" {
		t.Errorf("normal = %+v", n)
	}
	if pc := byID["pc"]; pc.Err == nil || pc.Value != "42" || !strings.Contains(pc.Err.Error(), "invalid sequence") {
		t.Errorf("part count with a bad sequence = %+v, want an error on it and its value kept", pc)
	}
	if got := mtconnect.MapState(s.Observations...); got != telemetry.Alarm {
		t.Errorf("state = %q, want alarm (a FAULT)", got)
	}
}

func TestParseError(t *testing.T) {
	ae, err := mtconnect.ParseError(mustOpen(t, "linuxcnc-test_error.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ae.Errors) != 1 || ae.Errors[0].Code != "" || ae.Header.Version != "1.0" {
		t.Errorf("linuxcnc error = %+v", ae)
	}
	docs := map[string][]mtconnect.ErrorEntry{
		`<MTConnectError xmlns="urn:mtconnect.org:MTConnectError:1.3"><Header instanceId="7" creationTime="2024-01-01T00:00:00Z"/>
		  <Errors><Error errorCode="OUT_OF_RANGE">'from' must be greater than 40</Error><Error errorCode="INVALID_REQUEST">bad</Error></Errors></MTConnectError>`: {
			{"OUT_OF_RANGE", "'from' must be greater than 40"}, {"INVALID_REQUEST", "bad"}},
		`<MTConnectError xmlns="urn:mtconnect.org:MTConnectError:2.6"><Header instanceId="7"/><Errors>
		  <OutOfRange errorCode="OUT_OF_RANGE"><ErrorMessage>'from' must be greater
		  than 40</ErrorMessage><QueryParameter name="from"><Value>3</Value></QueryParameter></OutOfRange></Errors></MTConnectError>`: {
			{"OUT_OF_RANGE", "'from' must be greater than 40"}},
	}
	for doc, want := range docs {
		ae, err := mtconnect.ParseError(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if len(ae.Errors) != len(want) {
			t.Fatalf("errors = %+v, want %+v", ae.Errors, want)
		}
		for i := range want {
			if ae.Errors[i] != want[i] {
				t.Errorf("error %d = %+v, want %+v", i, ae.Errors[i], want[i])
			}
		}
		if !ae.Has("OUT_OF_RANGE") || ae.Header.InstanceID != "7" {
			t.Errorf("Has(OUT_OF_RANGE) = false or instance %q", ae.Header.InstanceID)
		}
		// The same document where streams were expected is an error that
		// carries the agent's errors.
		_, err = mtconnect.ParseStreams(strings.NewReader(doc))
		var got *mtconnect.AgentError
		if !errors.As(err, &got) || !got.Has("OUT_OF_RANGE") || nakamawashi.ErrorCode(err) != nakamawashi.EUNAVAILABLE {
			t.Errorf("ParseStreams(error document) = %v, want an EUNAVAILABLE error wrapping the agent's", err)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	deep := "<MTConnectStreams>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</MTConnectStreams>"
	huge := "<MTConnectStreams><Header/>" + strings.Repeat("<!-- padding padding padding -->", mtconnect.MaxDocumentBytes/32+10) + "</MTConnectStreams>"
	tests := []struct {
		name, doc, code string
	}{
		{"empty", "", nakamawashi.EINVALID},
		{"not xml", "{\"json\": true}", nakamawashi.EINVALID},
		{"wrong root", "<MTConnectDevices/>", nakamawashi.EINVALID},
		{"truncated", "<MTConnectStreams><Streams>", nakamawashi.EINVALID},
		{"bad header number", `<MTConnectStreams><Header nextSequence="-1"/></MTConnectStreams>`, nakamawashi.EINVALID},
		{"too deep", deep, nakamawashi.EINVALID},
		{"too large", huge, nakamawashi.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := mtconnect.ParseStreams(strings.NewReader(tt.doc))
			if got := nakamawashi.ErrorCode(err); got != tt.code || s != nil {
				t.Errorf("ParseStreams = %v, %v (code %q), want code %q", s, err, got, tt.code)
			}
		})
	}
}
