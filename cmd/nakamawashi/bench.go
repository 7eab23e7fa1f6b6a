package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nakamawashi/nakamawashi"
	"github.com/nakamawashi/nakamawashi/ingest"
	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/postgres"
	"github.com/nakamawashi/nakamawashi/sqlite"
	"github.com/nakamawashi/nakamawashi/sqlstore"
)

// benchResult is what "bench ingest --json" prints.
type benchResult struct {
	Connections      int     `json:"connections"`
	Seconds          float64 `json:"duration_s"`
	Engine           string  `json:"engine"`
	DurableMsgsPerS  float64 `json:"durable_msgs_per_s"`
	P50ms            float64 `json:"p50_ms"`
	P99ms            float64 `json:"p99_ms"`
	MaxMs            float64 `json:"max_ms"`
	MsgsPerBatch     float64 `json:"msgs_per_batch"`
	CommitMs         float64 `json:"commit_ms"`
	RawMsgsPerS      float64 `json:"raw_msgs_per_s"`
	DurableRatio     float64 `json:"durable_to_raw"`
	Against          string  `json:"against,omitempty"`
	AgainstMsgsPerS  float64 `json:"against_msgs_per_s,omitempty"`
	IdleConnections  int     `json:"idle_connections,omitempty"`
	IdleRSSMB        float64 `json:"idle_rss_mb,omitempty"`
	IdleConnectRateS float64 `json:"idle_connects_per_s,omitempty"`
}

// benchDevice is a device of the benchmark with its login.
type benchDevice struct {
	User, Secret, Topic string
}

func (m *Main) bench(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "idle-clients" {
		return m.benchIdleClients(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "ingest" {
		fmt.Fprint(m.Stderr, "usage: nakamawashi bench ingest [--connections N] [--duration D] [--json] [--postgres DSN] [--against tcp://127.0.0.1:1883] [--idle N]\n")
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("nakamawashi bench ingest", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	conns := fs.Int("connections", 1000, "concurrent device connections publishing QoS 1 states")
	duration := fs.Duration("duration", 10*time.Second, "how long each measurement runs (after a warm-up of a fifth of it)")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	pg := fs.String("postgres", "", "measure on this PostgreSQL database (DSN) instead of a temporary SQLite file; it gets benchmark companies")
	against := fs.String("against", "", "also measure another broker for reference, e.g. tcp://127.0.0.1:1883 (anonymous QoS 1 publishes, no store)")
	idle := fs.Int("idle", 0, "then open this many idle device connections and report the resident memory")
	inflight := fs.Int("inflight", defaultBenchInflight, "QoS 1 publishes each connection keeps awaiting their PUBACK (the client's window)")
	queue := fs.Int("queue", ingest.DefaultQueue, "messages awaiting durability at once, across all connections (ingest Queue)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the durable measurement to this file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *conns < 1 || *duration < time.Second || *idle < 0 || *inflight < 1 || *inflight > 65535 || *queue < 1 {
		return errors.New("bench ingest: --connections must be at least 1, --duration at least 1s, --idle not negative, --inflight 1 to 65535, --queue at least 1")
	}
	log := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	progress := func(format string, a ...any) { fmt.Fprintf(m.Stderr, format+"\n", a...) }

	var store *sqlstore.Store
	var err error
	engine := "sqlite"
	if *pg != "" {
		engine = "postgres"
		store, err = postgres.Open(ctx, *pg)
	} else {
		dir, derr := os.MkdirTemp("", "nakamawashi-bench-")
		if derr != nil {
			return derr
		}
		defer os.RemoveAll(dir)
		store, err = sqlite.Open(ctx, filepath.Join(dir, "nakamawashi.db"))
	}
	if err != nil {
		return err
	}
	defer store.Close()
	progress("registering %d devices (%s)…", *conns, engine)
	devices, err := benchDevices(ctx, store, *conns)
	if err != nil {
		return err
	}
	res := benchResult{Connections: *conns, Seconds: duration.Seconds(), Engine: engine}

	// Durable: the embedded broker, the ingest and the store.
	srv, err := ingest.Open(ctx, ingest.ServerConfig{Store: store, Logger: log, Addr: "127.0.0.1:0", Ingest: ingest.Config{Queue: *queue}})
	if err != nil {
		return err
	}
	progress("durable: %d connections for %s…", *conns, *duration)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	rate, err := benchLoad(ctx, srv.Addr(), devices, *duration, *inflight, true, func() { srv.Ingester.ResetLatency() }, func() uint64 { return srv.Ingester.Stats().Durable })
	st := srv.Ingester.Stats()
	pprof.StopCPUProfile()
	srv.Close()
	if err != nil {
		return err
	}
	res.DurableMsgsPerS = rate
	res.P50ms, res.P99ms, res.MaxMs = ms(st.LatencyP50), ms(st.LatencyP99), ms(st.LatencyMax)
	if st.Batches > 0 {
		res.MsgsPerBatch = float64(st.Durable) / float64(st.Batches)
		res.CommitMs = ms(st.Commit) / float64(st.Batches)
	}

	// Raw: the same broker and clients, the Handler stores nothing.
	var handled atomic.Uint64
	raw, err := mqtt.NewBroker(mqtt.Config{Addr: "127.0.0.1:0", Auth: ingest.DeviceAuth(store), Logger: log, MaxQueue: ingest.DefaultQueue,
		Handler: func(context.Context, mqtt.Message) error { handled.Add(1); return nil }})
	if err == nil {
		err = raw.Start(ctx)
	}
	if err != nil {
		return err
	}
	progress("raw broker: %d connections for %s…", *conns, *duration)
	rate, err = benchLoad(ctx, raw.Addr(), devices, *duration, *inflight, true, nil, handled.Load)
	raw.Close()
	if err != nil {
		return err
	}
	res.RawMsgsPerS = rate
	if rate > 0 {
		res.DurableRatio = res.DurableMsgsPerS / rate
	}

	if *against != "" {
		addr, _, err := ingest.ParseBrokerURL(*against)
		if err != nil {
			return err
		}
		progress("%s: %d connections for %s…", *against, *conns, *duration)
		rate, err := benchLoad(ctx, addr, devices, *duration, *inflight, false, nil, nil)
		if err != nil {
			return fmt.Errorf("bench against %s: %w", *against, err)
		}
		res.Against, res.AgainstMsgsPerS = *against, rate
	}

	if *idle > 0 {
		progress("idle: %d connections…", *idle)
		if err := benchIdle(ctx, store, devices, *idle, log, &res); err != nil {
			return err
		}
	}

	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	w := m.Stdout
	fmt.Fprintf(w, "ingest of QoS 1 states, %d connections, %s each, %s, %d CPUs\n", res.Connections, *duration, engine, runtime.NumCPU())
	fmt.Fprintf(w, "  durable:  %10.0f msgs/s   receipt→durable p50 %.0f ms, p99 %.0f ms, max %.0f ms; %.0f msgs per transaction of %.1f ms\n",
		res.DurableMsgsPerS, res.P50ms, res.P99ms, res.MaxMs, res.MsgsPerBatch, res.CommitMs)
	fmt.Fprintf(w, "  raw:      %10.0f msgs/s   (the broker without persistence; durable/raw = %.2f)\n", res.RawMsgsPerS, res.DurableRatio)
	if res.Against != "" {
		fmt.Fprintf(w, "  %s: %.0f msgs/s (acknowledged QoS 1 publishes)\n", res.Against, res.AgainstMsgsPerS)
	}
	if res.IdleConnections > 0 {
		fmt.Fprintf(w, "  idle:     %d connections, %.0f MB resident (broker, ingest and store; the clients run in a child process)\n", res.IdleConnections, res.IdleRSSMB)
	}
	return nil
}

// defaultBenchInflight is the clients' window in the benchmark: the
// embedded broker's Receive Maximum (mqtt.DefaultMaxInflight), less than
// real clients' (Mosquitto's max_inflight is 20; a deeper window waits in
// the socket).
const defaultBenchInflight = mqtt.DefaultMaxInflight

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchDevices registers n devices, ten machines per company.
func benchDevices(ctx context.Context, store nakamawashi.Store, n int) ([]benchDevice, error) {
	sys := nakamawashi.NewContextWithActor(ctx, nakamawashi.SystemActor)
	run := strconv.FormatInt(time.Now().UnixNano()%1e6, 36)
	var out []benchDevice
	var co *nakamawashi.Company
	for i := range n {
		if i%10 == 0 {
			co = &nakamawashi.Company{Kind: nakamawashi.KindMember, Name: fmt.Sprintf("株式会社ベンチ%s-%04d製作所", run, i/10), NameKana: "ベンチセイサクショ",
				PostalCode: "144-0051", Prefecture: "東京都", City: "大田区", Street: "西蒲田7-1-1", Phone: "03-1234-5678"}
			if err := store.CreateCompany(sys, co); err != nil {
				return nil, err
			}
		}
		mc := &nakamawashi.Machine{CompanyID: co.ID, Process: "turning.nc", Maker: "オークマ", Model: "LB3000 EXII", Count: 1,
			Envelope: nakamawashi.Envelope{Shape: nakamawashi.ShapeRound, D: 320, L: 500}, Axes: 2}
		if err := store.CreateMachine(sys, mc); err != nil {
			return nil, err
		}
		d := &nakamawashi.Device{CompanyID: co.ID, MachineID: mc.ID, Name: "信号灯", Kind: nakamawashi.DeviceStackLight}
		secret, err := store.CreateDevice(sys, d)
		if err != nil {
			return nil, err
		}
		c, m := d.Topic()
		out = append(out, benchDevice{User: d.Username, Secret: secret, Topic: mqtt.Topic{Company: c, Machine: m, Kind: mqtt.KindState}.String()})
	}
	return out, nil
}

// benchLoad connects one client per device (with its login when auth is
// set) and has each publish QoS 1 states, each a change, with inflight
// awaiting their PUBACK (the client's window), for a warm-up of a fifth of d and then d. It returns the rate of
// count over d: the server's durable messages, or the acknowledgements
// the clients received when count is nil. reset runs after the warm-up.
func benchLoad(ctx context.Context, addr string, devices []benchDevice, d time.Duration, inflight int, auth bool, reset func(), count func() uint64) (float64, error) {
	clients := make([]*mqtt.Client, len(devices))
	defer func() {
		for _, c := range clients {
			if c != nil {
				c.Close()
			}
		}
	}()
	var dialErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i, dev := range devices {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg := mqtt.ClientConfig{Addr: addr, ClientID: fmt.Sprintf("bench-%d", i), MaxInflight: inflight}
			if auth {
				cfg.Username, cfg.Password, cfg.ClientID = dev.User, dev.Secret, dev.User
			}
			c, err := mqtt.Dial(ctx, cfg)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				dialErr = err
				return
			}
			clients[i] = c
		})
	}
	wg.Wait()
	if dialErr != nil {
		return 0, dialErr
	}
	var acked atomic.Uint64
	if count == nil {
		count = acked.Load
	}
	stop := make(chan struct{})
	payloads := [][]byte{[]byte(`{"state":"running"}`), []byte(`{"state":"idle"}`)}
	var failed atomic.Uint64
	for i, c := range clients {
		topic := devices[i].Topic
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				case <-c.Done():
					return
				default:
				}
				c.PublishAsync(ctx, topic, payloads[n%2], 1, false, func(err error) {
					if err != nil {
						failed.Add(1)
						return
					}
					acked.Add(1)
				})
			}
		})
	}
	time.Sleep(d / 5)
	if reset != nil {
		reset()
	}
	n0, t0 := count(), time.Now()
	time.Sleep(d)
	n1, t1 := count(), time.Now()
	close(stop)
	wg.Wait()
	if n := failed.Load(); n > 0 && n1 == n0 {
		return 0, fmt.Errorf("%d publishes failed and none succeeded", n)
	}
	return float64(n1-n0) / t1.Sub(t0).Seconds(), nil
}

// benchIdle opens n idle connections to an embedded broker with the ingest
// (logged in as the devices, in turn, with client ids of their own) from a
// child process, and reports this process's resident memory: the broker,
// the ingest and the store, without the clients.
func benchIdle(ctx context.Context, store *sqlstore.Store, devices []benchDevice, n int, log *slog.Logger, res *benchResult) error {
	srv, err := ingest.Open(ctx, ingest.ServerConfig{Store: store, Logger: log, Addr: "127.0.0.1:0"})
	if err != nil {
		return err
	}
	defer srv.Close()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, self, "bench", "idle-clients", "--addr", srv.Addr(), "--n", strconv.Itoa(n))
	logins, err := json.Marshal(devices)
	if err != nil {
		return err
	}
	cmd.Stdin = bytes.NewReader(logins)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	var ready struct {
		Connected int `json:"connected"`
		Error     string
	}
	if err := json.NewDecoder(out).Decode(&ready); err != nil {
		return fmt.Errorf("idle clients: %w", err)
	}
	if ready.Error != "" {
		return fmt.Errorf("idle clients: %s", ready.Error)
	}
	res.IdleConnectRateS = float64(ready.Connected) / time.Since(start).Seconds()
	time.Sleep(2 * time.Second)
	runtime.GC()
	debug.FreeOSMemory()
	res.IdleConnections = ready.Connected
	res.IdleRSSMB = rssMB()
	return nil
}

// benchIdleClients is the child process of benchIdle: it reads the
// devices' logins from standard input, connects n clients, prints
// {"connected": n} and waits for an interrupt.
func (m *Main) benchIdleClients(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("nakamawashi bench idle-clients", flag.ContinueOnError)
	addr := fs.String("addr", "", "the broker")
	n := fs.Int("n", 0, "connections")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var devices []benchDevice
	if err := json.NewDecoder(m.Stdin).Decode(&devices); err != nil || len(devices) == 0 {
		return fmt.Errorf("bench idle-clients: the logins on standard input: %v", err)
	}
	enc := json.NewEncoder(m.Stdout)
	clients := make([]*mqtt.Client, 0, *n)
	for i := range *n {
		dev := devices[i%len(devices)]
		c, err := mqtt.Dial(ctx, mqtt.ClientConfig{Addr: *addr, Username: dev.User, Password: dev.Secret,
			ClientID: fmt.Sprintf("idle-%d", i), MaxInflight: 1})
		if err != nil {
			return enc.Encode(map[string]string{"error": err.Error()})
		}
		clients = append(clients, c)
	}
	if err := enc.Encode(map[string]int{"connected": len(clients)}); err != nil {
		return err
	}
	<-ctx.Done()
	for _, c := range clients {
		c.Close()
	}
	return nil
}

// rssMB returns the process's resident memory in MB (Linux), 0 elsewhere.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
