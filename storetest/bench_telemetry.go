package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// BenchIngestBatch is the size of the ingest's group commit: the intervals
// one AppendStateIntervals stores in one transaction.
const BenchIngestBatch = 500

// BenchAppendStateIntervals measures the ingest's group commit on s, which
// must be empty: batches of BenchIngestBatch intervals, spread over the
// machines of a few shops (each machine changing state in time order, each
// change closing the interval before it), one transaction each. It reports
// intervals/s, the rate the ingest sustains, and ms/batch. The "redelivery"
// case appends batches already stored, as after a broker restart.
func BenchAppendStateIntervals(b *testing.B, s *sqlstore.Store) {
	sys := nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)
	const companies, machinesEach = 10, 10
	type unit struct{ machine, device int64 }
	var units []unit
	for c := range companies {
		co := sampleCompany(nakamawashi.KindMember, fmt.Sprintf("株式会社ベンチ%02d製作所", c))
		if err := s.CreateCompany(sys, co); err != nil {
			b.Fatal(err)
		}
		for range machinesEach {
			m := lathe(co.ID)
			if err := s.CreateMachine(sys, m); err != nil {
				b.Fatal(err)
			}
			d := stackLight(m)
			if _, err := s.CreateDevice(sys, d); err != nil {
				b.Fatal(err)
			}
			units = append(units, unit{m.ID, d.ID})
		}
	}
	t0 := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	step := 0 // state changes so far, over all machines
	next := func() []nakamawashi.StateInterval {
		ivs := make([]nakamawashi.StateInterval, BenchIngestBatch)
		for i := range ivs {
			u := units[step%len(units)]
			round := step / len(units)
			ivs[i] = nakamawashi.StateInterval{MachineID: u.machine, DeviceID: u.device,
				State: nakamawashi.MachineStates[(round+int(u.machine))%len(nakamawashi.MachineStates)],
				Start: t0.Add(time.Duration(round)*17*time.Second + time.Duration(u.machine)*time.Millisecond)}
			step++
		}
		return ivs
	}
	var last []nakamawashi.StateInterval
	b.Run("append", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			ivs := next()
			b.StartTimer()
			if err := s.AppendStateIntervals(sys, ivs); err != nil {
				b.Fatal(err)
			}
			last = ivs
		}
		report(b)
	})
	b.Run("redelivery", func(b *testing.B) {
		for b.Loop() {
			if err := s.AppendStateIntervals(sys, last); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
}

// report adds the ingest figures of a BenchAppendStateIntervals run.
func report(b *testing.B) {
	if sec := b.Elapsed().Seconds(); sec > 0 {
		b.ReportMetric(float64(b.N*BenchIngestBatch)/sec, "intervals/s")
		b.ReportMetric(sec*1000/float64(b.N), "ms/batch")
	}
}
