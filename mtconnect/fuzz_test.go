package mtconnect_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mtconnect"
)

// addTestdata seeds a fuzz test with the documents in testdata (the seed
// corpora under testdata/fuzz are added by the fuzzing engine itself).
func addTestdata(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(streams20))
}

// checkDecodeError holds every decoder to the same contract: an error is
// an *nakamawashi.Error, never a panic, and a result comes with no error.
func checkDecodeError(t *testing.T, ok bool, err error) {
	if err == nil && !ok {
		t.Fatal("no result and no error")
	}
	if err != nil {
		switch nakamawashi.ErrorCode(err) {
		case nakamawashi.EINVALID, nakamawashi.ETOOLARGE, nakamawashi.EUNAVAILABLE:
		default:
			t.Fatalf("error %v has code %q", err, nakamawashi.ErrorCode(err))
		}
	}
}

func FuzzParseStreams(f *testing.F) {
	addTestdata(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		s, err := mtconnect.ParseStreams(bytes.NewReader(doc))
		checkDecodeError(t, s != nil, err)
		if s == nil {
			return
		}
		// The state of any document is one of the four.
		switch st := mtconnect.MapState(s.Observations...); st {
		case mtconnect.StateOff, mtconnect.StateIdle, mtconnect.StateRunning, mtconnect.StateAlarm:
		default:
			t.Fatalf("state %q", st)
		}
	})
}

func FuzzParseDevices(f *testing.F) {
	addTestdata(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		d, err := mtconnect.ParseDevices(bytes.NewReader(doc))
		checkDecodeError(t, d != nil, err)
		if d != nil {
			for _, dev := range d.Devices {
				for _, di := range dev.DataItems {
					d.Lookup(dev.Name, di.ID)
				}
			}
		}
		ae, err := mtconnect.ParseError(bytes.NewReader(doc))
		checkDecodeError(t, ae != nil, err)
	})
}

func FuzzParseSHDRLine(f *testing.F) {
	for _, s := range []string{
		"2024-05-01T08:30:00.123Z|avail|AVAILABLE|execution|ACTIVE|pc|42",
		"2024-05-01T08:30:00.123Z|Mazak:system|FAULT|E101|2|HIGH|Spindle overheated",
		"2024-05-01T08:30:00.123Z|system|UNAVAILABLE||||",
		"2024-05-01T08:30:01.000Z|@ASSET@|T1|CuttingTool|--multiline--0FED07ACED",
		"2024-05-01T08:30:00Z@10.5|pos|1 2 3",
		"* PONG 1000",
		"TIME|pc|3",
		"||||||",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, line string, model bool) {
		var isCond func(string, string) bool
		if model {
			isCond = func(_, key string) bool { return strings.HasSuffix(key, "cond") || key == "system" }
		}
		l, err := mtconnect.ParseSHDRLine(line, isCond)
		if err != nil {
			if nakamawashi.ErrorCode(err) != nakamawashi.EINVALID {
				t.Fatalf("error %v is not invalid", err)
			}
			return
		}
		for _, c := range l.Conditions {
			switch c.Level {
			case "NORMAL", "WARNING", "FAULT", "UNAVAILABLE":
			default:
				t.Fatalf("condition level %q", c.Level)
			}
		}
		if utf8.ValidString(line) {
			for _, it := range l.Items {
				if strings.Contains(it.Value, "|") {
					t.Fatalf("value %q holds a separator", it.Value)
				}
			}
		}
		var tr mtconnect.StateTracker
		tr.UpdateSHDR(l, nil)
	})
}
