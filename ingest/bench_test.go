package ingest_test

import (
	"context"
	"sync"
	"testing"
	"time"

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
