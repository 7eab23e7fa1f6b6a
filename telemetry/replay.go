package telemetry

import (
	"io"
	"slices"
	"time"
)

// DefaultDevice names the device of keys without a "device:" prefix.
const DefaultDevice = "default"

// A Report is what Replay read from a recording.
type Report struct {
	Devices []DeviceReport // by name
	Lines   int            // data lines read
	Bad     []*LineError   // lines that could not be read, in order
}

// A DeviceReport is one device's state intervals over a recording and the
// time it spent in each state, indexed by State.
type DeviceReport struct {
	Name      string
	Intervals []Interval
	Time      [NumStates]time.Duration
}

type replayDevice struct {
	st MTConnectState
	iv *Intervals
}

// Replay reads an SHDR recording and folds each device's observations into
// state intervals with the MTConnect rules (see MTConnectState and the
// package documentation for the keys it knows). Bad lines are collected in
// the report and skipped; a timestamp earlier than the line before it is
// taken as that line's time, so that intervals never overlap. Every
// device's last state lasts to the recording's last timestamp. The error is
// a read error only.
func Replay(r io.Reader) (*Report, error) {
	rep := &Report{}
	devices := map[string]*replayDevice{}
	var last time.Time
	sc := NewSHDRScanner(r)
	for sc.Scan() {
		l, err := sc.Line()
		if err != nil {
			rep.Bad = append(rep.Bad, err.(*LineError))
			continue
		}
		rep.Lines++
		t := l.Time
		if rep.Lines > 1 && t.Before(last) {
			t = last
		}
		last = t
		touched := map[*replayDevice]bool{}
		for _, o := range l.Observations {
			name := o.Device
			if name == "" {
				name = DefaultDevice
			}
			d := devices[name]
			if d == nil {
				d = &replayDevice{iv: NewIntervals(name)}
				devices[name] = d
			}
			touched[d] = true
			d.st.ObserveSHDR(o, "")
		}
		// A line is one instant: take the state after all of its
		// observations.
		for d := range touched {
			d.iv.Set(t, d.st.State())
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(devices))
	for n := range devices {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		ivs := devices[n].iv.Close(last)
		rep.Devices = append(rep.Devices, DeviceReport{Name: n, Intervals: ivs, Time: Totals(ivs)})
	}
	return rep, nil
}
