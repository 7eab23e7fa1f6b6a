package mtconnect_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mtconnect"
	"github.com/nakamawashi/nakamawashi/telemetry"
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
		if st := mtconnect.MapState(s.Observations...); st >= telemetry.NumStates {
			t.Fatalf("state %v", st)
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
