package edge

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/nakamawashi/nakamawashi/mqtt"
	"github.com/nakamawashi/nakamawashi/telemetry"
)

// Config configures an Agent.
type Config struct {
	// Addr is the broker's host:port; TLS, when set, connects with TLS.
	Addr string
	TLS  *tls.Config
	// Username and Secret are the device's login.
	Username, Secret string
	// Company and Machine are the topic codes of the device's machine
	// (c12, m34).
	Company, Machine string
	// Buffer keeps the messages until the broker acknowledges them.
	Buffer *Buffer
	// Debounce and Yellow configure the stack light (telemetry.StackLight).
	Debounce time.Duration
	Yellow   telemetry.State
	// Live advances the debounce on the wall clock, for inputs read as
	// they happen (GPIO): a lamp that went dark counts as off once the
	// debounce has passed, without waiting for the next sample.
	Live bool
	// Backoff is the longest pause between connection attempts; 30 s when
	// zero.
	Backoff time.Duration
	Logger  *slog.Logger
}

// Run reads the samples until the channel is closed, and publishes the
// states they show through the buffer. Once the input has ended it returns
// when the buffer is empty; it returns at once when ctx is done, leaving
// what is not acknowledged in the buffer for the next start.
func Run(ctx context.Context, cfg Config, samples <-chan telemetry.LightSample) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if !mqtt.ValidCode(cfg.Company) || !mqtt.ValidCode(cfg.Machine) {
		return invalid("edge.Run", "company %q and machine %q: want the topic codes of the device's machine, e.g. c12 and m34", cfg.Company, cfg.Machine)
	}
	added := make(chan struct{}, 1)
	inputDone := make(chan struct{})
	pubErr := make(chan error, 1)
	go func() { pubErr <- publisher(ctx, cfg, added, inputDone) }()

	light := telemetry.NewStackLight("")
	light.Debounce, light.Yellow = cfg.Debounce, cfg.Yellow
	var (
		known bool
		state telemetry.State
		since time.Time
		last  time.Time // the latest sample
	)
	stateTopic := mqtt.Topic{Company: cfg.Company, Machine: cfg.Machine, Kind: mqtt.KindState}.String()
	emit := func() error {
		ivs := light.Take()
		var changes []telemetry.Interval
		for _, iv := range ivs {
			changes = append(changes, iv)
		}
		if st, at, ok := light.Current(); ok {
			changes = append(changes, telemetry.Interval{State: st, Start: at})
		}
		for _, c := range changes {
			if known && (c.State == state || c.Start.Before(since)) {
				continue
			}
			known, state, since = true, c.State, c.Start
			payload, _ := json.Marshal(struct {
				State string    `json:"state"`
				At    time.Time `json:"at"`
			}{c.State.String(), c.Start.UTC()})
			if err := cfg.Buffer.Add(ctx, stateTopic, payload); err != nil {
				return err
			}
			select {
			case added <- struct{}{}:
			default:
			}
		}
		return nil
	}
	var tick <-chan time.Time
	if cfg.Live {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		tick = t.C
	}
	for samples != nil {
		select {
		case s, ok := <-samples:
			if !ok {
				samples = nil
				// The input has ended: let a lamp that went dark count.
				light.Advance(last.Add(light.Debounce + telemetry.DefaultDebounce))
				break
			}
			if err := light.Observe(s); err != nil {
				cfg.Logger.Warn("edge: sample out of order, skipped", "error", err)
				continue
			}
			last = s.Time
		case now := <-tick:
			light.Advance(now)
		case err := <-pubErr:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := emit(); err != nil {
			return err
		}
	}
	close(inputDone)
	return <-pubErr
}

// publisher sends the buffer's messages in order, connecting (again) as
// needed, and deletes each once acknowledged. It returns when ctx is done,
// or once the input has ended and the buffer is empty.
func publisher(ctx context.Context, cfg Config, added <-chan struct{}, inputDone <-chan struct{}) error {
	backoff := 500 * time.Millisecond
	for {
		err := connection(ctx, cfg, added, inputDone)
		if err == nil || ctx.Err() != nil {
			return ctx.Err()
		}
		cfg.Logger.Warn("edge: broker connection failed; the states wait in the buffer", "error", err, "retry_in", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(2*backoff, cfg.Backoff)
	}
}

// connection runs one connection: nil once the input has ended and the
// buffer is empty, an error when the connection fails.
func connection(ctx context.Context, cfg Config, added <-chan struct{}, inputDone <-chan struct{}) error {
	status := mqtt.Topic{Company: cfg.Company, Machine: cfg.Machine, Kind: mqtt.KindStatus}.String()
	c, err := mqtt.Dial(ctx, mqtt.ClientConfig{
		Addr: cfg.Addr, TLS: cfg.TLS, ClientID: cfg.Username, Username: cfg.Username, Password: cfg.Secret,
		Will: &mqtt.Will{Topic: status, Payload: []byte("offline"), QoS: 1},
	})
	if err != nil {
		return err
	}
	defer c.Close()
	cfg.Logger.Info("edge: connected to the broker", "addr", cfg.Addr)
	pub := func(topic string, payload []byte) error {
		pctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return c.Publish(pctx, topic, payload, 1, false)
	}
	if err := pub(status, []byte("online")); err != nil {
		return err
	}
	for {
		entries, err := cfg.Buffer.Oldest(ctx, 64)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := pub(e.Topic, e.Payload); err != nil {
				return err
			}
			if err := cfg.Buffer.Delete(ctx, e.Seq); err != nil {
				return err
			}
		}
		if len(entries) > 0 {
			continue
		}
		select {
		case <-inputDone:
			// Anything added before the input ended is in the buffer:
			// look once more.
			n, err := cfg.Buffer.Len(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
		case <-added:
		case <-c.Done():
			return c.Err()
		case <-time.After(time.Second):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
