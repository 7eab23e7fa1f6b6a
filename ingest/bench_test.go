package ingest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/mqtt"
)

// BenchmarkIngest publishes QoS 1 state changes from 100 devices through
// the embedded broker into SQLite; every message is durable when its
// PUBACK comes. nakamawashi bench ingest measures the same at scale.
func BenchmarkIngest(b *testing.B) {
	s := MustOpenStore(b)
	devs := MustCreateDevices(b, s, 100)
	srv := MustOpenServer(b, ingest.ServerConfig{Store: s})
	clients := make([]*mqtt.Client, len(devs))
	for i, d := range devs {
		clients[i] = dial(b, srv.Addr(), d, mqtt.ClientConfig{})
	}
	payloads := [][]byte{[]byte(`{"state":"running"}`), []byte(`{"state":"idle"}`)}
	per := b.N/len(devs) + 1
	start := time.Now()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i, c := range clients {
		topic := devs[i].topic(mqtt.KindState)
		wg.Go(func() {
			for n := range per {
				if err := c.Publish(context.Background(), topic, payloads[n%2], 1, false); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	st := srv.Ingester.Stats()
	b.ReportMetric(float64(st.Durable)/time.Since(start).Seconds(), "msgs/s")
	b.ReportMetric(float64(st.LatencyP99)/float64(time.Millisecond), "p99_ms")
	b.ReportMetric(float64(st.Durable)/float64(max(st.Batches, 1)), "msgs/tx")
}

// BenchmarkIngestWindow is BenchmarkIngest with devices that keep eight
// QoS 1 publishes awaiting their PUBACK (mqtt.DefaultMaxInflight), as MQTT
// clients do: the PUBACKs leave once durable, in order, and transactions
// take many more messages.
func BenchmarkIngestWindow(b *testing.B) {
	s := MustOpenStore(b)
	devs := MustCreateDevices(b, s, 100)
	srv := MustOpenServer(b, ingest.ServerConfig{Store: s})
	clients := make([]*mqtt.Client, len(devs))
	for i, d := range devs {
		clients[i] = dial(b, srv.Addr(), d, mqtt.ClientConfig{MaxInflight: mqtt.DefaultMaxInflight})
	}
	payloads := [][]byte{[]byte(`{"state":"running"}`), []byte(`{"state":"idle"}`)}
	per := b.N/len(devs) + 1
	start := time.Now()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i, c := range clients {
		topic := devs[i].topic(mqtt.KindState)
		wg.Go(func() {
			var acks sync.WaitGroup
			for n := range per {
				acks.Add(1)
				c.PublishAsync(context.Background(), topic, payloads[n%2], 1, false, func(err error) {
					defer acks.Done()
					if err != nil {
						b.Error(err)
					}
				})
			}
			acks.Wait()
		})
	}
	wg.Wait()
	b.StopTimer()
	st := srv.Ingester.Stats()
	b.ReportMetric(float64(st.Durable)/time.Since(start).Seconds(), "msgs/s")
	b.ReportMetric(float64(st.LatencyP99)/float64(time.Millisecond), "p99_ms")
	b.ReportMetric(float64(st.Durable)/float64(max(st.Batches, 1)), "msgs/tx")
}

// BenchmarkStoreBatch appends what one transaction of the ingest holds
// under "nakamawashi bench ingest": the state changes of 1,000 machines,
// each a machine of its own, 1, 2 or 4 per machine (the devices' windows),
// to SQLite, as the Ingester's writer does.
func BenchmarkStoreBatch(b *testing.B) {
	s := MustOpenStore(b)
	devs := MustCreateDevices(b, s, 1000)
	t0 := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	states := []string{"running", "idle"}
	step := 0
	for _, per := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("intervals=%d", per*len(devs)), func(b *testing.B) {
			ivs := make([]nakamawashi.StateInterval, 0, per*len(devs))
			n := 0
			for b.Loop() {
				ivs = ivs[:0]
				for range per {
					step++
					for _, d := range devs {
						ivs = append(ivs, nakamawashi.StateInterval{MachineID: d.MachineID, DeviceID: d.ID,
							State: states[step%2], Start: t0.Add(time.Duration(step) * time.Millisecond)})
					}
				}
				if err := s.AppendStateIntervals(sys, ivs); err != nil {
					b.Fatal(err)
				}
				n += len(ivs)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "intervals/s")
		})
	}
}
