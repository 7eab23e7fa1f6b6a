package ingest_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/sqlite"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

var sys = nakamawashi.NewContextWithActor(context.Background(), nakamawashi.SystemActor)

// device is a registered device with its login.
type device struct {
	*nakamawashi.Device
	secret string
}

// topic returns the device's topic of kind k.
func (d device) topic(k mqtt.Kind) string {
	c, m := d.Topic()
	return mqtt.Topic{Company: c, Machine: m, Kind: k}.String()
}

// MustOpenStore opens a SQLite store in a temporary directory.
func MustOpenStore(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "nakamawashi.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// MustCreateDevices registers n devices, each on a machine of its own.
func MustCreateDevices(tb testing.TB, s nakamawashi.Store, n int) []device {
	tb.Helper()
	var out []device
	var co *nakamawashi.Company
	for i := range n {
		if i%10 == 0 {
			co = &nakamawashi.Company{Kind: nakamawashi.KindMember, Name: fmt.Sprintf("株式会社テスト%03d製作所", i/10), NameKana: "テストセイサクショ",
				PostalCode: "144-0051", Prefecture: "東京都", City: "大田区", Street: "西蒲田7-1-1", Phone: "03-1234-5678"}
			if err := s.CreateCompany(sys, co); err != nil {
				tb.Fatal(err)
			}
		}
		m := &nakamawashi.Machine{CompanyID: co.ID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000 EXII", Count: 1,
			Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 320, L: 500}, Axes: 2}
		if err := s.CreateMachine(sys, m); err != nil {
			tb.Fatal(err)
		}
		d := &nakamawashi.Device{CompanyID: co.ID, MachineID: m.ID, Name: "信号灯", Kind: nakamawashi.DeviceStackLight}
		secret, err := s.CreateDevice(sys, d)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, device{d, secret})
	}
	return out
}

// MustOpenServer starts an embedded broker with the ingest on a free port.
func MustOpenServer(tb testing.TB, cfg ingest.ServerConfig) *ingest.Server {
	tb.Helper()
	cfg.Addr = "127.0.0.1:0"
	w := &testWriter{tb: tb}
	tb.Cleanup(w.stop)
	cfg.Logger = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := ingest.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// dial connects as the device.
func dial(tb testing.TB, addr string, d device, cfg mqtt.ClientConfig) *mqtt.Client {
	tb.Helper()
	cfg.Addr, cfg.Username, cfg.Password = addr, d.Username, d.secret
	if cfg.ClientID == "" {
		cfg.ClientID = d.Username
	}
	c, err := mqtt.Dial(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// publish publishes at QoS 1 and fails the test unless it is acknowledged.
func publish(tb testing.TB, c *mqtt.Client, topic, payload string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Publish(ctx, topic, []byte(payload), 1, false); err != nil {
		tb.Fatalf("publish %s %s: %v", topic, payload, err)
	}
}

// intervals returns the machine's stored intervals of the last day.
func intervals(tb testing.TB, s nakamawashi.Store, machineID int64) []nakamawashi.StateInterval {
	tb.Helper()
	now := time.Now()
	ivs, err := s.FindStateIntervals(sys, machineID, now.Add(-24*time.Hour), now.Add(time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	return ivs
}

// states returns the states of the intervals, in order.
func states(ivs []nakamawashi.StateInterval) []string {
	out := make([]string, len(ivs))
	for i, iv := range ivs {
		out[i] = iv.State
	}
	return out
}

// eventually retries f until it returns nil, for at most d.
func eventually(tb testing.TB, d time.Duration, f func() error) {
	tb.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after %s: %v", d, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// testWriter logs to the test until it ends.
type testWriter struct {
	tb      testing.TB
	mu      sync.Mutex
	stopped bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.tb.Log(string(p))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
}
