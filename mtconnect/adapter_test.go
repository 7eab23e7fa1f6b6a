package mtconnect_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/mtconnect"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

func TestNewAdapter(t *testing.T) {
	allowed := []string{"192.168.1.30", "cnc.shop.local:7879"}
	for addr, want := range map[string]string{
		"192.168.1.30":          "192.168.1.30:7878",
		" 192.168.1.30:7000 ":   "192.168.1.30:7000",
		"CNC.shop.local:7879":   "CNC.shop.local:7879",
		"[::ffff:192.168.1.30]": "[::ffff:192.168.1.30]:7878",
	} {
		a, err := mtconnect.NewAdapter(addr, mtconnect.AdapterOptions{AllowedHosts: allowed})
		if err != nil || a.Addr() != want {
			t.Errorf("NewAdapter(%q) = %v, %v; want %s", addr, a, err, want)
		}
	}
	for addr, code := range map[string]string{
		"127.0.0.1":           nakamawashi.EFORBIDDEN,
		"10.0.0.1:7878":       nakamawashi.EFORBIDDEN,
		"cnc.shop.local":      nakamawashi.EFORBIDDEN, // allowed on 7879 only
		"192.168.1.30:99999":  nakamawashi.EINVALID,
		"192.168.1.30:0":      nakamawashi.EINVALID,
		"":                    nakamawashi.EINVALID,
		"user@192.168.1.30:1": nakamawashi.EINVALID,
	} {
		a, err := mtconnect.NewAdapter(addr, mtconnect.AdapterOptions{AllowedHosts: allowed})
		var e *nakamawashi.Error
		if a != nil || !errors.As(err, &e) || e.Code != code {
			t.Errorf("NewAdapter(%q) = %v, %v; want an *nakamawashi.Error %q", addr, a, err, code)
		}
	}
}

// TestAdapterSession runs an adapter written after the SHDR specification:
// it answers the first * PING with * PONG 1000, sends data, a multiline
// asset whose lines look like data, a line that cannot be read, then goes
// silent while still connected. The client must reconnect after two
// heartbeats and read the second connection.
func TestAdapterSession(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var pings atomic.Int32 // on the first connection
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		first, err := ln.Accept()
		if err != nil {
			return
		}
		defer first.Close()
		r := bufio.NewReader(first)
		if line, _ := r.ReadString('\n'); line != "* PING\n" {
			t.Errorf("first line from the client = %q, want * PING", line)
			return
		}
		pings.Add(1)
		fmt.Fprint(first, "* PONG 1000\n",
			"* shdrVersion: 2\n",
			"2024-05-01T08:30:00.000Z|avail|AVAILABLE|execution|READY\n",
			"2024-05-01T08:30:01.000Z|@ASSET@|T1|CuttingTool|--multiline--0FED07ACED\n",
			"<CuttingTool toolId=\"T1\" assetId=\"T1\">\n",
			"2024-05-01T08:30:01.500Z|execution|ACTIVE\n", // inside the asset: skipped
			"</CuttingTool>\n",
			"--multiline--0FED07ACED\n",
			"2024-05-01T08:30:02.000Z|@REMOVE_ASSET@|T0\n",
			"2024-05-01T08:30:02.000Z|execution\n", // cannot be read
			"2024-05-01T08:30:03.000Z|system|FAULT|E101|2||Spindle overheated\n",
			"2024-05-01T08:30:04.000Z|execution|ACTIVE\n")
		// Silent from here: read the client's pings, answer none.
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				break
			}
			if line == "* PING\n" {
				pings.Add(1)
			}
		}
		second, err := ln.Accept()
		if err != nil {
			return
		}
		defer second.Close()
		fmt.Fprint(second, "2024-05-01T08:31:00.000Z|avail|UNAVAILABLE\n")
		r2 := bufio.NewReader(second)
		for {
			if _, err := r2.ReadString('\n'); err != nil {
				return
			}
		}
	}()

	var mu sync.Mutex
	var got, errs []string
	var connects int
	a, err := mtconnect.NewAdapter(ln.Addr().String(), mtconnect.AdapterOptions{
		AllowedHosts: []string{"127.0.0.1"}, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
		OnError:   func(err error) { mu.Lock(); errs = append(errs, err.Error()); mu.Unlock() },
		OnConnect: func(string) { mu.Lock(); connects++; mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var tracker mtconnect.StateTracker
	var states []string
	start := time.Now()
	var reconnectedAfter time.Duration
	err = a.Run(ctx, func(l telemetry.SHDRLine) {
		var parts []string
		for _, o := range l.Observations {
			if o.Condition {
				parts = append(parts, o.Key+"!"+o.Value+"/"+o.NativeCode+"/"+o.Message)
			} else {
				parts = append(parts, o.Key+"="+o.Value)
			}
		}
		mu.Lock()
		got = append(got, strings.Join(parts, ","))
		mu.Unlock()
		states = append(states, tracker.UpdateSHDR(l, nil).String())
		if l.Time.Minute() == 31 {
			reconnectedAfter = time.Since(start)
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want canceled after the second connection's line", err)
	}
	cancel()
	ln.Close()
	mu.Lock()
	defer mu.Unlock()
	want := []string{"avail=AVAILABLE,execution=READY", "system!FAULT/E101/Spindle overheated", "execution=ACTIVE", "avail=UNAVAILABLE"}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("lines = %q, want %q", got, want)
	}
	if strings.Join(states, " ") != "idle alarm alarm off" {
		t.Errorf("states = %v, want idle alarm alarm off", states)
	}
	// Two heartbeats of silence (2 s) end the first connection: not much
	// sooner, not much later.
	if reconnectedAfter < 1900*time.Millisecond || reconnectedAfter > 5*time.Second {
		t.Errorf("reconnected after %v, want about 2 s", reconnectedAfter)
	}
	if n := pings.Load(); n < 2 {
		t.Errorf("%d pings on the first connection, want the first and one a heartbeat later", n)
	}
	if connects != 2 {
		t.Errorf("%d connections, want 2", connects)
	}
	joined := strings.Join(errs, "\n")
	if !strings.Contains(joined, nakamawashi.Localize(nakamawashi.English, "err.mtconnect.shdr")) || !strings.Contains(joined, "silent") {
		t.Errorf("errors = %q, want the unreadable line and the silence", errs)
	}
}

// TestAdapterReconnects checks the backoff against an address that
// refuses connections, then an adapter without heartbeat (no PONG) that
// falls silent past LegacyTimeout.
func TestAdapterReconnects(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every dial fails
	var mu sync.Mutex
	var fails []time.Time
	a, err := mtconnect.NewAdapter(addr, mtconnect.AdapterOptions{
		AllowedHosts: []string{"127.0.0.1"}, MinBackoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond,
		LegacyTimeout: 100 * time.Millisecond,
		OnError:       func(error) { mu.Lock(); fails = append(fails, time.Now()); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := a.Run(ctx, func(telemetry.SHDRLine) {}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run = %v, want the deadline", err)
	}
	mu.Lock()
	if n := len(fails); n < 4 || n > 20 {
		t.Errorf("%d attempts in 300 ms with a backoff of 10–40 ms", n)
	}
	mu.Unlock()

	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			fmt.Fprint(c, "2024-05-01T08:30:00Z|pc|1\n") // then silence, and no PONG
			defer c.Close()
		}
	}()
	a, _ = mtconnect.NewAdapter(ln.Addr().String(), mtconnect.AdapterOptions{
		AllowedHosts: []string{"127.0.0.1"}, MinBackoff: 10 * time.Millisecond, LegacyTimeout: 100 * time.Millisecond,
	})
	ctx, cancel = context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	var lines atomic.Int32
	a.Run(ctx, func(telemetry.SHDRLine) { lines.Add(1) })
	if n := accepted.Load(); n < 3 {
		t.Errorf("%d connections in 500 ms with a legacy timeout of 100 ms, want at least 3", n)
	}
	if lines.Load() < 3 {
		t.Errorf("%d lines, want one per connection", lines.Load())
	}
}
